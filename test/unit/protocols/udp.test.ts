import { TCPDUMP_TESTS } from '../../helpers/paths';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../core/protocols';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import type { FrameMeta, TreeNode } from '../../../core/dissect/dissection';
import { internetChecksum, pseudoHeaderSum } from '../../../core/protocols/checksum';
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIcmp } from '../../../core/protocols/icmp';
import { encodeIpv4 } from '../../../core/protocols/ip';
import { encodeIpv6 } from '../../../core/protocols/ipv6';
import { encodeUdp, parseUdp, type UdpRepr } from '../../../core/protocols/udp';
import { hasTshark, readClassicPcap, tsharkFields } from '../../helpers/decode';
import {
  TRANSPORT_FIELDS,
  compareTreeWithTshark,
  compareWithTshark,
  infoComparedCount,
  writeClassicPcap,
} from './transport-golden';

const FIXTURES = join(__dirname, '../../fixtures/transport');
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-udp-'));
const UDP_FIELDS = [
  ...TRANSPORT_FIELDS.filter((f) => f.startsWith('udp.')),
  'udp.stream',
  'udp.checksum',
  'udp.port',
];

const V4 = { src: '192.0.2.1', dst: '192.0.2.2' };
const V6 = { src: '2001:db8::1', dst: '2001:db8::2' };
const MACS = { dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01' };

function meta(data: Uint8Array, number = 1): FrameMeta {
  const base = { tsSec: 0, tsNsec: 0, relativeNs: 0, deltaNs: 0, linkType: 1, interfaceId: 0 };
  return { ...base, number, capLen: data.length, origLen: data.length };
}

/** A UDP datagram (possibly with a crafted header) in IPv4/IPv6 in Ethernet. */
function frame(repr: UdpRepr, payload: Uint8Array, v6 = false, ipPayloadExtra = 0) {
  const net = v6 ? V6 : V4;
  const dgram = encodeUdp(repr, payload, net);
  const body = new Uint8Array(dgram.length + ipPayloadExtra);
  body.set(dgram);
  const ip = v6 ? encodeIpv6({ ...net, nextHeader: 17 }, body) : encodeIpv4({ ...net, protocol: 17 }, body);
  return { tsSec: 1700000000, tsNsec: 0, data: encodeEthernet({ ...MACS, type: v6 ? 0x86dd : 0x0800 }, ip) };
}

function find(nodes: TreeNode[], field: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.field === field) return n;
    const c = n.children && find(n.children, field);
    if (c) return c;
  }
  return undefined;
}

describe.skipIf(!hasTshark)('UDP: golden comparison with tshark 4.0', () => {
  it('matches a loopback capture (IPv4 and IPv6, empty and 40-byte datagrams, replies)', () => {
    const path = join(FIXTURES, 'loopback-tcp-udp.pcap');
    expect(compareWithTshark(path, UDP_FIELDS)).toEqual([]);
    expect(compareTreeWithTshark(path)).toEqual([]);
    expect(infoComparedCount(path)).toBeGreaterThan(50);
  });

  it.each([
    'dns_udp.pcap',
    'ntp.pcap',
    'dhcp-rfc4388.pcap',
    'babel_rfc6126bis.pcap',
    'sflow-print-v6.pcap',
    'dhcpv6-mud.pcap',
    'bigtcp-ipv4-vxlan-ipv4.pcap', // UDP length 0 over IPv4: "[BAD UDP LENGTH 0 < 8]"
    'vxlan_port_8472.pcap',
  ])('matches tshark on tcpdump-tests/%s', (name) => {
    expect(compareWithTshark(join(TCPDUMP_TESTS, name), UDP_FIELDS)).toEqual([]);
    expect(compareTreeWithTshark(join(TCPDUMP_TESTS, name))).toEqual([]);
  });

  it('matches tshark on crafted lengths and checksums', () => {
    const hello = new Uint8Array([104, 101, 108, 108, 111]);
    const frames = [
      frame({ srcPort: 53126, dstPort: 18080 }, hello),
      frame({ srcPort: 1000, dstPort: 2000, length: 30 }, hello), // longer than the IP payload
      frame({ srcPort: 1000, dstPort: 2000, length: 5 }, hello), // shorter than the header
      frame({ srcPort: 1000, dstPort: 2000, length: 10 }, hello), // shorter than the IP payload
      frame({ srcPort: 1000, dstPort: 2000, checksum: 0 }, hello), // IPv4: no checksum
      frame({ srcPort: 1000, dstPort: 2000, checksum: 0 }, hello, true), // IPv6: illegal zero
      frame({ srcPort: 1000, dstPort: 2000, checksum: 0xbeef }, hello, true), // wrong
      frame({ srcPort: 2000, dstPort: 1000 }, hello, true), // same conversation, reversed
    ];
    const path = join(tmp, 'crafted-udp.pcap');
    writeClassicPcap(path, 1, frames);
    expect(compareWithTshark(path, [...UDP_FIELDS, 'udp.payload'])).toEqual([]);
    expect(compareTreeWithTshark(path)).toEqual([]);
  });

  it('computes checksums tshark verifies as good over IPv4 and IPv6', () => {
    const payload = new Uint8Array([1, 2, 3]);
    const path = join(tmp, 'udp-checksums.pcap');
    writeClassicPcap(path, 1, [
      frame({ srcPort: 7, dstPort: 9 }, payload),
      frame({ srcPort: 7, dstPort: 9 }, payload, true),
    ]);
    expect(tsharkFields(path, ['udp.checksum.status'], ['-o', 'udp.check_checksum:TRUE'])).toEqual([
      ['1'],
      ['1'],
    ]);
  });
});

describe('UDP: tree, issues and state', () => {
  it('labels the tree like tshark -V and sets Info', () => {
    const f = frame({ srcPort: 53126, dstPort: 18080 }, new Uint8Array([104, 101, 108, 108, 111]));
    const p = dissectPacket(meta(f.data), f.data, new CaptureState(), { tree: true });
    expect(find(p.roots, 'udp')!.label).toBe('User Datagram Protocol, Src Port: 53126, Dst Port: 18080');
    expect(find(p.roots, 'udp.srcport')!.label).toBe('Source Port: 53126');
    expect(find(p.roots, 'udp.length')!.label).toBe('Length: 13');
    expect(find(p.roots, 'udp.checksum')!.label).toMatch(/^Checksum: 0x[0-9a-f]{4} \[unverified\]$/);
    expect(find(p.roots, 'udp.checksum.status')!.label).toBe('[Checksum Status: Unverified]');
    expect(find(p.roots, 'udp.stream')!.label).toBe('[Stream index: 0]');
    const payload = find(p.roots, 'udp.payload')!;
    expect(payload.label).toBe('UDP payload (5 bytes)');
    expect([payload.start, payload.end]).toEqual([14 + 20 + 8, 14 + 20 + 13]);
    expect(p.cols.info).toBe('53126 → 18080 Len=5');
    expect(p.cols.protocol).toBe('UDP');
    expect(p.issues).toEqual([]);
  });

  it('records a wrong checksum and an illegal IPv6 zero checksum as issues', () => {
    const bad = frame({ srcPort: 1, dstPort: 2, checksum: 0x1234 }, new Uint8Array(4));
    const p = dissectPacket(meta(bad.data), bad.data, new CaptureState(), { tree: true });
    expect(p.issues.map((i) => [i.kind, i.protocol])).toEqual([['checksum-bad', 'udp']]);
    expect(find(p.roots, 'udp.checksum')!.label).toBe('Checksum: 0x1234 [unverified]');
    const zero6 = frame({ srcPort: 1, dstPort: 2, checksum: 0 }, new Uint8Array(4), true);
    const q = dissectPacket(meta(zero6.data), zero6.data, new CaptureState(), { tree: true });
    expect(q.issues.map((i) => i.kind)).toEqual(['checksum-bad']);
    const zero4 = frame({ srcPort: 1, dstPort: 2, checksum: 0 }, new Uint8Array(4));
    const r = dissectPacket(meta(zero4.data), zero4.data, new CaptureState(), { tree: true });
    expect(r.issues).toEqual([]);
    expect(find(r.roots, 'udp.checksum.status')!.label).toBe('[Checksum Status: Not present]');
  });

  it('decodes a datagram quoted by ICMP without touching streams or columns', () => {
    const quotedDgram = encodeUdp({ srcPort: 40000, dstPort: 33434 }, new Uint8Array(12), V4);
    const quotedIp = encodeIpv4({ ...V4, protocol: 17 }, quotedDgram);
    const icmp = encodeIcmp({ type: 3, code: 3 }, quotedIp);
    const err = encodeEthernet(
      { ...MACS, type: 0x0800 },
      encodeIpv4({ src: V4.dst, dst: V4.src, protocol: 1 }, icmp),
    );
    const direct = frame({ srcPort: 5000, dstPort: 53 }, new Uint8Array(3)).data;
    const state = new CaptureState();
    const q = dissectPacket(meta(err, 1), err, state, { tree: true });
    expect(q.protocols.slice(-2)).toEqual(['ip', 'udp']);
    expect(find(q.roots, 'udp.srcport')!.label).toBe('Source Port: 40000');
    expect(find(q.roots, 'udp.stream')).toBeUndefined();
    expect(q.cols.info).not.toContain('→');
    // The quoted datagram did not take stream 0.
    const d = dissectPacket(meta(direct, 2), direct, state, { tree: true });
    expect(find(d.roots, 'udp.stream')!.label).toBe('[Stream index: 0]');
  });

  it('keeps stream indices on a revisit', () => {
    const records = readClassicPcap(join(FIXTURES, 'loopback-tcp-udp.pcap'));
    const state = new CaptureState();
    const streams = (visited: boolean) =>
      records.map((r) => {
        const p = dissectPacket(r.meta, r.data, state, { tree: true }, undefined, visited);
        return find(p.roots, 'udp.stream')?.label ?? '';
      });
    const first = streams(false);
    expect(first.filter(Boolean)).toHaveLength(6);
    expect(streams(true)).toEqual(first);
  });
});

describe('UDP encoder', () => {
  it('round-trips the datagrams of a real capture', () => {
    const records = readClassicPcap(join(FIXTURES, 'loopback-tcp-udp.pcap'));
    let n = 0;
    for (const r of records) {
      if (r.data[12] !== 0x08 || r.data[13] !== 0x00 || r.data[14 + 9] !== 17) continue;
      const ihl = (r.data[14]! & 15) * 4;
      const total = (r.data[16]! << 8) | r.data[17]!;
      const dgram = r.data.subarray(14 + ihl, 14 + total);
      const parsed = parseUdp(dgram)!;
      // Loopback captures carry partial (offloaded) checksums, so the captured value is kept.
      expect(encodeUdp(parsed.repr, parsed.payload, { src: '127.0.0.1', dst: '127.0.0.1' })).toEqual(dgram);
      expect(
        parseUdp(encodeUdp(parsed.repr, parsed.payload, { src: '127.0.0.1', dst: '127.0.0.1' })),
      ).toEqual(parsed);
      n++;
    }
    expect(n).toBe(4);
  });

  it('sends a computed zero checksum as 0xffff, keeps an explicit 0, and rejects short input', () => {
    // Find a payload whose checksum computes to zero: vary the last byte.
    let found = false;
    for (let b = 0; b < 65536 && !found; b++) {
      const payload = new Uint8Array([b >> 8, b & 0xff]);
      const zeroed = encodeUdp({ srcPort: 1, dstPort: 2, checksum: 0 }, payload, V4);
      const computed = encodeUdp({ srcPort: 1, dstPort: 2 }, payload, V4);
      if (computed[6] === 0xff && computed[7] === 0xff) {
        found = true;
        expect(Array.from(zeroed.subarray(6, 8))).toEqual([0, 0]);
        // 0xffff is the one's-complement "negative zero": the datagram still verifies.
        expect(
          internetChecksum(
            computed,
            0,
            computed.length,
            pseudoHeaderSum(4, V4.src, V4.dst, 17, computed.length),
          ),
        ).toBe(0);
      }
    }
    expect(found).toBe(true);
    expect(parseUdp(new Uint8Array(7))).toBeUndefined();
  });
});
