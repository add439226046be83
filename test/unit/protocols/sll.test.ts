import { describe, expect, it } from 'vitest';
import { CaptureState } from '../../../core/dissect/state';
import { dissectPacket } from '../../../core/dissect/packet';
import { encodeArp } from '../../../core/protocols/arp';
import { encodeLlc } from '../../../core/protocols/llc';
import { hasTshark, readClassicPcap } from '../../helpers/decode';
import {
  FIXTURES,
  TCPDUMP_TESTS,
  fieldDiffs,
  findNode,
  frameMeta,
  labels,
  ourColumns,
  tempPcap,
  treeOf,
  tsharkColumns,
  tsharkLayerLines,
  writeClassicPcap,
} from './link-golden';

const SLL_FIELDS = [
  'sll.pkttype',
  'sll.hatype',
  'sll.halen',
  'sll.src.eth',
  'sll.src.ipv4',
  'sll.src.other',
  'sll.unused',
  'sll.ltype',
  'sll.etype',
  'sll.gretype',
  'sll.ifindex',
  'sll.trailer',
];

// tcpdump's test captures with LINKTYPE_LINUX_SLL (classic pcap), plus our own: SLL v1/v2 from
// `tcpdump -i any` on loopback and in a network namespace (ARP, IPv4/IPv6, tagged frames, LLC).
const SLL_CAPTURES = [
  ...[
    'RADIUS-RFC4675.pcap',
    'RADIUS-RFC5176-2.pcap',
    'RADIUS-RFC5580.pcap',
    'bgp-infinite-loop.pcap',
    'forces1.pcap',
    'forces2.pcap',
    'icmp-cksum-oobr-1.pcap',
    'isis-infinite-loop.pcap',
    'radius_rfc5447.pcap',
    'tcp-handshake-nano.pcap',
    'timestamp_invalid_nano.pcap',
  ].map((f) => `${TCPDUMP_TESTS}/${f}`),
  `${FIXTURES}loopback-sll1.pcap`,
  `${FIXTURES}loopback-sll2.pcap`,
  `${FIXTURES}netns-sll1.pcap`,
  `${FIXTURES}netns-sll2.pcap`,
];

describe('Linux cooked capture against tshark', () => {
  it.skipIf(!hasTshark).each(SLL_CAPTURES)('%s: every SLL field', (path) => {
    expect(fieldDiffs(path, SLL_FIELDS)).toEqual([]);
  });

  it.skipIf(!hasTshark).each([`${FIXTURES}netns-sll1.pcap`, `${FIXTURES}netns-sll2.pcap`])(
    '%s: link-layer columns and the Protocol/Info of frames whose payload we decode',
    (path) => {
      const ours = ourColumns(readClassicPcap(path));
      const theirs = tsharkColumns(path);
      // ARP rows and the unknown-ethertype row are decided by SLL + our own layers.
      const rows = theirs.flatMap((t, i) => (/^(ARP|RARP|0x88b5)$/.test(t.protocol) ? [i] : []));
      expect(rows.length).toBeGreaterThan(8);
      expect(rows.map((i) => ours[i])).toEqual(rows.map((i) => theirs[i]));
    },
  );

  it.skipIf(!hasTshark)('tree labels match tshark -V for v1 and v2 headers', () => {
    for (const [file, header] of [
      ['loopback-sll1.pcap', /^Linux cooked capture v1/],
      ['loopback-sll2.pcap', /^Linux cooked capture v2/],
      ['netns-sll1.pcap', /^Linux cooked capture v1/],
      ['netns-sll2.pcap', /^Linux cooked capture v2/],
    ] as const) {
      const path = `${FIXTURES}${file}`;
      const records = readClassicPcap(path);
      for (const n of [1, 2, 5]) {
        const ours = labels(findNode(treeOf(records[n - 1]!).roots, 'sll')!);
        expect(ours, `${file} #${n}`).toEqual(tsharkLayerLines(path, n, header));
      }
    }
    const ppp = `${TCPDUMP_TESTS}/tcp-handshake-nano.pcap`; // hatype PPP, no address
    const ours = labels(findNode(treeOf(readClassicPcap(ppp)[0]!).roots, 'sll')!);
    expect(ours).toEqual(tsharkLayerLines(ppp, 1, /^Linux cooked capture v1/));
  });
});

/** An SLL v1 header: packet type, ARPHRD type, address, protocol. */
function sll1(
  pkttype: number,
  hatype: number,
  addr: number[],
  protocol: number,
  payload: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(16 + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, pkttype);
  dv.setUint16(2, hatype);
  dv.setUint16(4, addr.length);
  out.set(addr.slice(0, 8), 6);
  dv.setUint16(14, protocol);
  out.set(payload, 16);
  return out;
}

describe('Linux cooked capture: protocol types other than ethertypes', () => {
  const llc = encodeLlc({ dsap: 0x42, ssap: 0x42 }, new Uint8Array(35));
  const mac = [0x02, 0, 0, 0, 0, 0x0a];

  it('dispatches 802.2 LLC (protocol 4) through sll.ltype', () => {
    const frame = sll1(1, 1, mac, 4, llc);
    const p = dissectPacket(frameMeta(frame, { linkType: 113 }), frame, new CaptureState(), { tree: true });
    expect(p.protocols.slice(0, 3)).toEqual(['frame', 'sll', 'llc']);
    expect(findNode(p.roots, 'sll.ltype')!.label).toBe('Protocol: 802.2 LLC (0x0004)');
  });

  it.skipIf(!hasTshark)(
    'crafted headers (LLC, IPv4 link address, long address, GRE) decode as in tshark',
    () => {
      const arp = encodeArp({
        opcode: 1,
        senderMac: '02:00:00:00:00:0a',
        senderIp: '10.0.0.1',
        targetMac: '00:00:00:00:00:00',
        targetIp: '10.0.0.2',
      });
      const path = tempPcap('sll-crafted.pcap');
      writeClassicPcap(path, 113, [
        sll1(1, 1, mac, 4, llc),
        sll1(0, 778, [10, 0, 0, 1], 0x0806, arp), // IP GRE: sll.gretype, IPv4 source
        sll1(3, 32, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0x0806, arp), // InfiniBand: 8 of 10 address bytes
        sll1(2, 1, mac, 0x0806, new Uint8Array([...arp, 0xde, 0xad])), // trailer after ARP
      ]);
      expect(fieldDiffs(path, [...SLL_FIELDS, 'arp.opcode'])).toEqual([]);
    },
  );

  it('marks a header shorter than 16 bytes as malformed', () => {
    const frame = sll1(0, 1, mac, 0x0800, new Uint8Array(0)).subarray(0, 10);
    const p = dissectPacket(frameMeta(frame, { linkType: 113 }), frame, new CaptureState(), { tree: true });
    expect(p.malformed).toBe(true);
    const v2 = dissectPacket(frameMeta(frame, { linkType: 276 }), frame, new CaptureState(), { tree: true });
    expect(v2.malformed).toBe(true);
  });
});
