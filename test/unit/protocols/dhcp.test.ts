// DHCP/BOOTP: a real exchange (busybox udhcpc ↔ dnsmasq in two namespaces) and hand-built PXE,
// relay-agent, plain BOOTP, release and NAK packets (scripts/fixtures/dhcp-crafted.py) decode
// as tshark 4.0 does; bad options never throw; encodeDhcp/parseDhcp round-trip.
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { encodeDhcp, parseDhcp, type DhcpRepr } from '../../../core/protocols/dhcp';
import { decodeFrame, frameMeta, udpFrame as udpFrameAt } from '../../helpers/decode';
import { compareWithTshark } from './dns-golden';

const AT = {
  src: '0.0.0.0',
  dst: '255.255.255.255',
  ethSrc: '02:00:00:00:00:01',
  ethDst: 'ff:ff:ff:ff:ff:ff',
};
const udpFrame = (payload: Uint8Array, srcPort: number, dstPort: number): Uint8Array =>
  udpFrameAt(payload, srcPort, dstPort, AT);

describe('DHCP against tshark 4.0', () => {
  it('udhcpc ↔ dnsmasq: Discover, Offer, Request, ACK with every compared field', () => {
    expect(compareWithTshark('dhcp')).toEqual([]);
  });

  it('PXE (93, 94, 97, 43 as PXEClient), relay agent 82, plain BOOTP, Release, NAK', () => {
    expect(
      compareWithTshark('crafted-udp', (c) => !/^(dhcpv6|ntp|syslog)\./.test(c)).filter((m) => m.frame <= 5),
    ).toEqual([]);
  });

  it('shows the tree as Wireshark does for the PXE offer', () => {
    const repr: DhcpRepr = {
      op: 2,
      xid: 0x1a2b3c4d,
      chaddr: '02:00:00:00:0a:0a',
      yiaddr: '192.0.2.77',
      options: [
        { code: 53, data: Uint8Array.of(2) },
        { code: 60, data: new TextEncoder().encode('PXEClient') },
        { code: 43, data: Uint8Array.of(6, 1, 7, 255) },
      ],
    };
    const frame = udpFrame(encodeDhcp(repr), 67, 68);
    const p = dissectPacket(frameMeta(frame), frame, new CaptureState(), { tree: true });
    const flat: string[] = [];
    const walk = (n: { label: string; children?: unknown[] }[]) =>
      n.forEach((x) => (flat.push(x.label), x.children && walk(x.children as never)));
    walk(p.roots);
    expect(flat).toContain('Dynamic Host Configuration Protocol (Offer)');
    expect(flat).toContain('Option: (43) Vendor-Specific Information (PXEClient)');
    expect(flat).toContain('discovery control: 0x07, Disable Broadcast, Disable Multicast, Serverlist only');
    expect(flat).toContain('.... 0... = Bootstrap override: Not set');
    expect(p.cols.info).toBe('DHCP Offer    - Transaction ID 0x1a2b3c4d');
  });
});

describe('DHCP robustness', () => {
  it('an option running past the end is malformed and the header still decodes', () => {
    const bytes = encodeDhcp({
      op: 1,
      xid: 5,
      chaddr: '02:00:00:00:00:01',
      options: [{ code: 53, data: Uint8Array.of(1) }],
    });
    const cut = bytes.slice(0, 242); // cookie, then 53/len 1 without its value
    const { p, value } = decodeFrame(udpFrame(cut, 68, 67), ['dhcp.hw.mac_addr', 'dhcp.id']);
    expect(p.malformed).toBe(true);
    expect(value('dhcp.hw.mac_addr')).toBe('02:00:00:00:00:01');
    expect(value('dhcp.id')).toBe('0x00000005');
  });

  it('a header shorter than 236 bytes is malformed, not thrown', () => {
    const { p } = decodeFrame(udpFrame(Uint8Array.of(1, 1, 6, 0, 0, 0, 0, 9), 68, 67), []);
    expect(p.malformed).toBe(true);
    // Wireshark names the layer BOOTP until it has seen a DHCP message type option.
    expect(p.cols.protocol).toBe('BOOTP');
  });
});

describe('encodeDhcp / parseDhcp', () => {
  const repr: DhcpRepr = {
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 0xdeadbeef,
    secs: 3,
    broadcast: true,
    ciaddr: '0.0.0.0',
    yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0',
    giaddr: '0.0.0.0',
    chaddr: '02:00:00:00:00:0a',
    sname: '',
    file: 'pxelinux.0',
    options: [
      { code: 53, data: Uint8Array.of(3) },
      { code: 50, data: Uint8Array.of(192, 0, 2, 10) },
      { code: 55, data: Uint8Array.of(1, 3, 6, 15) },
      { code: 61, data: Uint8Array.of(1, 2, 0, 0, 0, 0, 0x0a) },
    ],
  };

  it('round-trips decode → encode → decode, padded to the 300-byte BOOTP minimum', () => {
    const bytes = encodeDhcp(repr);
    expect(bytes.length).toBe(300);
    const parsed = parseDhcp(bytes)!;
    expect(parsed).toEqual(repr);
    expect(encodeDhcp(parsed)).toEqual(bytes);
  });

  it('is read back by the dissector with tshark names and Info', () => {
    const { p, value } = decodeFrame(udpFrame(encodeDhcp(repr), 68, 67), [
      'dhcp.option.dhcp',
      'dhcp.option.requested_ip_address',
      'dhcp.hw.mac_addr',
      'dhcp.flags.bc',
      'dhcp.file',
    ]);
    expect(p.cols.info).toBe('DHCP Request  - Transaction ID 0xdeadbeef');
    expect(value('dhcp.option.dhcp')).toBe('3');
    expect(value('dhcp.option.requested_ip_address')).toBe('192.0.2.10');
    expect(value('dhcp.hw.mac_addr')).toBe('02:00:00:00:00:0a,02:00:00:00:00:0a');
    expect(value('dhcp.flags.bc')).toBe('1');
    expect(value('dhcp.file')).toBe('pxelinux.0');
  });

  it('encodes plain BOOTP without a cookie, which reads as BOOTP', () => {
    const bytes = encodeDhcp({ op: 2, xid: 1, chaddr: '02:00:00:00:00:0b', bootp: true });
    expect(parseDhcp(bytes)!.bootp).toBe(true);
    const { p } = decodeFrame(udpFrame(bytes, 67, 68), []);
    expect([p.cols.protocol, p.cols.info]).toEqual(['BOOTP', 'Boot Reply']);
  });
});
