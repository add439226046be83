// The frames of test/fixtures/netlayer-crafted.pcap, built with our encoders: message types and
// options our live captures lack (ICMP redirect/parameter problem/timestamps/address masks/router
// discovery, IPv4 source routes/timestamps/security/traceroute options, MLDv1, ICMPv6 errors and
// redirect, IPv6 routing types 0 and 2, destination options), so tshark can judge them.
// `buildCraftedPcap()` regenerates the file byte for byte.
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIpv4 } from '../../../core/protocols/ip';
import { encodeIpv6 } from '../../../core/protocols/ipv6';
import { encodeIcmp } from '../../../core/protocols/icmp';
import { encodeIcmpv6 } from '../../../core/protocols/icmpv6';
import { parseIpv6 } from '../../../core/dissect/address';

export function buildCraftedPcap(): Buffer {
  const v4 = (ip: Uint8Array) =>
    encodeEthernet({ dst: '00:00:5e:00:53:02', src: '00:00:5e:00:53:01', type: 0x0800 }, ip);
  const v6 = (ip: Uint8Array) =>
    encodeEthernet({ dst: '00:00:5e:00:53:02', src: '00:00:5e:00:53:01', type: 0x86dd }, ip);
  const A = '192.0.2.1',
    B = '198.51.100.2';
  const quotedUdp = encodeIpv4(
    { src: B, dst: '203.0.113.9', protocol: 17, id: 7 },
    new Uint8Array([0x82, 0x9a, 0x82, 0x9b, 0, 12, 0, 0, 1, 2, 3, 4]),
  );
  const u32 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const ip4 = (t: string) => t.split('.').map(Number);
  const frames: Uint8Array[] = [];
  const icmp4 = (
    type: number,
    code: number,
    rest: number[] | undefined,
    payload: number[] | Uint8Array,
    extra: Partial<Parameters<typeof encodeIpv4>[0]> = {},
  ) =>
    frames.push(
      v4(
        encodeIpv4(
          { src: A, dst: B, protocol: 1, id: frames.length + 1, ...extra },
          encodeIcmp(
            {
              type,
              code,
              rest: rest ? new Uint8Array(rest) : undefined,
              identifier: rest ? undefined : 0x1234,
              sequence: rest ? undefined : 9,
            },
            Uint8Array.from(payload),
          ),
        ),
      ),
    );
  icmp4(4, 0, [0, 0, 0, 0], quotedUdp); // source quench
  icmp4(5, 1, ip4('192.0.2.254'), quotedUdp); // redirect for host
  icmp4(12, 0, [20, 0, 0, 0], quotedUdp); // parameter problem
  icmp4(3, 4, [0, 0, 0x05, 0xdc], quotedUdp); // fragmentation needed, MTU 1500
  icmp4(3, 13, [0, 0, 0, 0], quotedUdp); // administratively filtered
  icmp4(11, 1, [0, 0, 0, 0], quotedUdp); // reassembly time exceeded
  icmp4(13, 0, undefined, [...u32(3600000), ...u32(0), ...u32(0)]); // timestamp request
  icmp4(14, 0, undefined, [...u32(3600000), ...u32(3600010), ...u32(3600011)]); // timestamp reply
  icmp4(17, 0, undefined, [0, 0, 0, 0]); // address mask request
  icmp4(18, 0, undefined, [255, 255, 255, 0]); // address mask reply
  icmp4(10, 0, [0, 0, 0, 0], []); // router solicitation
  icmp4(
    9,
    0,
    [2, 2, 0x07, 0x08],
    [...ip4('192.0.2.254'), ...u32(10), ...ip4('192.0.2.253'), ...u32(0xfffffff0)],
  ); // router advertisement
  // IPv4 options
  const opt = (o: number[]) => icmp4(8, 0, undefined, [1, 2, 3, 4], { options: new Uint8Array(o) });
  opt([131, 11, 4, ...ip4('203.0.113.1'), ...ip4('203.0.113.2'), 0]); // LSRR
  opt([137, 11, 8, ...ip4('203.0.113.1'), ...ip4('203.0.113.2'), 0]); // SSRR
  opt([68, 20, 13, 0x01, ...ip4('203.0.113.1'), ...u32(1000), ...ip4('0.0.0.0'), ...u32(0)]); // timestamp + addresses
  opt([130, 11, 0xaf, 0x13, 0, 0, 0x41, 0x42, 0x43, 0x44, 0x45, 0]); // security
  opt([136, 4, 0x12, 0x34]); // stream id
  opt([82, 12, 0, 7, 0, 1, 0, 0, ...ip4(A)]); // traceroute
  opt([11, 4, 0x05, 0xdc]); // MTU probe
  opt([1, 1, 148, 4, 0, 0]); // NOP NOP router alert
  // IPv6
  const S6 = 'fe80::200:5eff:fe00:5301',
    D6 = 'ff02::1';
  const icmp6 = (type: number, code: number, body: number[] | Uint8Array, dst = D6, hopLimit = 255) =>
    frames.push(
      v6(
        encodeIpv6(
          { src: S6, dst, nextHeader: 58, hopLimit },
          encodeIcmpv6({ type, code, body: Uint8Array.from(body) }, { src: S6, dst }),
        ),
      ),
    );
  const g = [...parseIpv6('ff02::fb')!];
  icmp6(130, 0, [0x27, 0x10, 0, 0, ...new Uint8Array(16)], D6, 1); // MLDv1 general query
  icmp6(131, 0, [0, 0, 0, 0, ...g], 'ff02::fb', 1); // MLDv1 report
  icmp6(132, 0, [0, 0, 0, 0, ...g], 'ff02::2', 1); // MLDv1 done
  icmp6(130, 0, [0x03, 0xe8, 0, 0, ...g, 0x0a, 125, 0, 1, ...parseIpv6('2001:db8::7')!], D6, 1); // MLDv2 specific query
  const quoted6 = encodeIpv6(
    { src: 'fe80::1', dst: '2001:db8::9', nextHeader: 17 },
    new Uint8Array([0x82, 0x9a, 0x82, 0x9b, 0, 8, 0, 0]),
  );
  icmp6(2, 0, [...u32(1280), ...quoted6], 'fe80::1', 64); // packet too big
  icmp6(4, 1, [...u32(6), ...quoted6], 'fe80::1', 64); // parameter problem
  icmp6(1, 1, [...u32(0), ...quoted6], 'fe80::1', 64); // admin prohibited
  icmp6(133, 0, [0, 0, 0, 0, 1, 1, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01]); // RS with SLLA
  icmp6(
    137,
    0,
    [
      0,
      0,
      0,
      0,
      ...parseIpv6('fe80::254')!,
      ...parseIpv6('2001:db8::9')!,
      2,
      1,
      0x00,
      0x00,
      0x5e,
      0x00,
      0x53,
      0xfe,
      4,
      3,
      0,
      0,
      0,
      0,
      0,
      0,
      ...quoted6.subarray(0, 16),
    ],
    'fe80::1',
    255,
  ); // redirect
  // IPv6 routing headers (type 0 and type 2), destination options with PadN and unknown option
  const rt0 = [58, 2, 0, 1, 0, 0, 0, 0, ...parseIpv6('2001:db8::1')!];
  const rt2 = [58, 2, 2, 1, 0, 0, 0, 0, ...parseIpv6('2001:db8::2')!];
  const echo6 = (nxt: number, ext: number[]) => {
    const e = encodeIcmpv6(
      { type: 128, code: 0, body: new Uint8Array([0, 1, 0, 2]) },
      { src: S6, dst: '2001:db8::1' },
    );
    frames.push(
      v6(encodeIpv6({ src: S6, dst: '2001:db8::1', nextHeader: nxt }, new Uint8Array([...ext, ...e]))),
    );
  };
  echo6(43, rt0);
  echo6(43, rt2);
  echo6(60, [58, 1, 4, 1, 3, 1, 0, 0, 0x1e, 2, 0xaa, 0xbb, 1, 2, 0, 0]);

  return classicPcap(frames);
}

/** A classic pcap (Ethernet, microseconds) holding `frames`, one second apart. */
export function classicPcap(frames: Uint8Array[]): Buffer {
  // classic pcap, microsecond timestamps
  const parts: Buffer[] = [];
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(65535, 16);
  gh.writeUInt32LE(1, 20);
  parts.push(gh);
  frames.forEach((f, i) => {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(1700000000 + i, 0);
    h.writeUInt32LE(0, 4);
    h.writeUInt32LE(f.length, 8);
    h.writeUInt32LE(f.length, 12);
    parts.push(h, Buffer.from(f));
  });
  return Buffer.concat(parts);
}
