import { describe, expect, it } from 'vitest';
import { CaptureState } from '../../../core/dissect/state';
import { dissectPacket } from '../../../core/dissect/packet';
import { fieldsByAbbrev, fieldList } from '../../../core/dissect/fields';
import { formatFieldValue } from '../../../core/dissect/format';
import { encodeArp, parseArp } from '../../../core/protocols/arp';
import { encodeEthernet } from '../../../core/protocols/eth';
import { fromHex, hasTshark, readClassicPcap } from '../../helpers/decode';
import {
  FIXTURES,
  frameMeta as meta,
  TCPDUMP_TESTS,
  fieldDiffs,
  findNode,
  labels,
  ourColumns,
  tempPcap,
  treeOf,
  tsharkColumns,
  tsharkLayerLines,
  writeClassicPcap,
} from './link-golden';

// Seed 003's ARP exchange (SEEDS.md): 60-byte frames, 28-byte ARP body, 18 bytes of padding.
const SEED_REQUEST =
  fromHex(`ffffffffffff00055d6158a80806000108000604000100055d6158a8c0a80037000000000000c0a80002
007731d25010fd7841d30000000000000000`);
const SEED_REPLY =
  fromHex(`00055d6158a800055da1b8400806000108000604000200055da1b840c0a8000200055d6158a8c0a80037
007731d25010fd7841d30000000000000000`);

const ARP_FIELDS = [
  'arp.hw.type',
  'arp.proto.type',
  'arp.hw.size',
  'arp.proto.size',
  'arp.opcode',
  'arp.src.hw_mac',
  'arp.src.proto_ipv4',
  'arp.dst.hw_mac',
  'arp.dst.proto_ipv4',
  'arp.src.hw',
  'arp.dst.hw',
  'arp.src.proto',
  'arp.dst.proto',
  'arp.isgratuitous',
  'arp.isannouncement',
  'arp.isprobe',
  'eth.padding',
  'eth.trailer',
  'frame.protocols',
];

/** One frame's values for `fields`, `-T fields` spelling. */
function values(frame: Uint8Array, fields: string[]): Record<string, string> {
  const wanted = new Uint8Array(fieldList.length);
  for (const f of fields) wanted[fieldsByAbbrev.get(f)!.id] = 1;
  const p = dissectPacket(meta(frame), frame, new CaptureState(), { tree: false, wanted, columns: true });
  const out: Record<string, string> = {};
  for (const f of fields) {
    const field = fieldsByAbbrev.get(f)!;
    out[f] = p.valueFields
      .flatMap((vf, i) => (vf === field ? [formatFieldValue(vf, p.values[i]!)] : []))
      .join(',');
  }
  out.info = p.cols.info;
  out.protocol = p.cols.protocol;
  out.src = p.cols.src;
  out.dst = p.cols.dst;
  return out;
}

describe('ARP seed vectors (SEEDS.md)', () => {
  it('decodes the request: fields, Info, MAC columns and 18 bytes of padding', () => {
    const v = values(SEED_REQUEST, ARP_FIELDS);
    expect(v).toMatchObject({
      'arp.hw.type': '1',
      'arp.proto.type': '0x0800',
      'arp.hw.size': '6',
      'arp.proto.size': '4',
      'arp.opcode': '1',
      'arp.src.hw_mac': '00:05:5d:61:58:a8',
      'arp.src.proto_ipv4': '192.168.0.55',
      'arp.dst.hw_mac': '00:00:00:00:00:00',
      'arp.dst.proto_ipv4': '192.168.0.2',
      'arp.isgratuitous': '',
      'eth.padding': '007731d25010fd7841d30000000000000000',
      'eth.trailer': '',
      'frame.protocols': 'eth:ethertype:arp',
      info: 'Who has 192.168.0.2? Tell 192.168.0.55',
      protocol: 'ARP',
      dst: 'Broadcast',
    });
    expect(v['eth.padding']!.length / 2).toBe(18);
    // Columns show the MACs (ARP has no network-layer addresses), resolved like tshark.
    expect(v.src).toMatch(/_61:58:a8$/);
  });

  it('decodes the reply', () => {
    const v = values(SEED_REPLY, ARP_FIELDS);
    expect(v).toMatchObject({
      'arp.opcode': '2',
      'arp.src.hw_mac': '00:05:5d:a1:b8:40',
      'arp.src.proto_ipv4': '192.168.0.2',
      'arp.dst.hw_mac': '00:05:5d:61:58:a8',
      'arp.dst.proto_ipv4': '192.168.0.55',
      info: '192.168.0.2 is at 00:05:5d:a1:b8:40',
    });
    expect(v['eth.padding']!.length / 2).toBe(18);
  });

  it('builds a tree whose ARP item spans exactly the 28-byte body', () => {
    const p = treeOf({ meta: meta(SEED_REQUEST), data: SEED_REQUEST });
    const arp = findNode(p.roots, 'arp')!;
    expect([arp.start, arp.end]).toEqual([14, 42]);
    expect(labels(arp)).toEqual([
      'Address Resolution Protocol (request)',
      '    Hardware type: Ethernet (1)',
      '    Protocol type: IPv4 (0x0800)',
      '    Hardware size: 6',
      '    Protocol size: 4',
      '    Opcode: request (1)',
      `    Sender MAC address: ${values(SEED_REQUEST, []).src} (00:05:5d:61:58:a8)`,
      '    Sender IP address: 192.168.0.55',
      '    Target MAC address: 00:00:00_00:00:00 (00:00:00:00:00:00)',
      '    Target IP address: 192.168.0.2',
    ]);
    const padding = findNode(p.roots, 'eth.padding')!;
    expect([padding.start, padding.end]).toEqual([42, 60]);
  });

  it.skipIf(!hasTshark)('matches tshark on the seed frames (fields, columns, tree)', () => {
    const path = tempPcap('seed-arp.pcap');
    writeClassicPcap(path, 1, [SEED_REQUEST, SEED_REPLY]);
    // The 18 bytes after the body are not all zero, so tshark 4.0 calls them eth.trailer while
    // SEEDS.md (and eth.ts) call them padding; the ARP fields themselves must agree.
    expect(
      fieldDiffs(
        path,
        ARP_FIELDS.filter((f) => !f.startsWith('eth.')),
      ),
    ).toEqual([]);
    expect(ourColumns(readClassicPcap(path))).toEqual(tsharkColumns(path));
    const records = readClassicPcap(path);
    for (const n of [1, 2]) {
      const ours = labels(findNode(treeOf(records[n - 1]!).roots, 'arp')!);
      expect(ours).toEqual(tsharkLayerLines(path, n, /^Address Resolution Protocol/));
    }
  });
});

describe('ARP against tshark on real captures', () => {
  const captures = [
    `${FIXTURES}netns-eth-arp-vlan-llc.pcap`, // request/reply, announcement, gratuitous, probe, RARP, tagged
    `${FIXTURES}netns-sll1.pcap`,
    `${FIXTURES}netns-sll2.pcap`,
    `${TCPDUMP_TESTS}/802.1ad_QinQ.pcap`,
    `${TCPDUMP_TESTS}/arp-too-long-tha.pcap`,
  ];
  it.skipIf(!hasTshark).each(captures)('%s: every ARP field', (path) => {
    expect(
      fieldDiffs(
        path,
        ARP_FIELDS.filter((f) => f !== 'frame.protocols' && !f.startsWith('eth.')),
      ),
    ).toEqual([]);
  });

  it.skipIf(!hasTshark).each(captures)(
    '%s: Protocol, Info, Source and Destination of ARP/RARP rows',
    (path) => {
      const ours = ourColumns(readClassicPcap(path));
      const theirs = tsharkColumns(path);
      const rows = theirs.flatMap((t, i) => (t.protocol === 'ARP' || t.protocol === 'RARP' ? [i] : []));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((i) => ours[i])).toEqual(rows.map((i) => theirs[i]));
    },
  );

  it.skipIf(!hasTshark)('shows gratuitous, announcement, probe and RARP trees as tshark -V', () => {
    const path = `${FIXTURES}netns-eth-arp-vlan-llc.pcap`;
    const records = readClassicPcap(path);
    for (const n of [1, 2, 5, 6, 7, 8, 9, 10]) {
      const ours = labels(findNode(treeOf(records[n - 1]!).roots, 'arp')!);
      expect(ours, `frame ${n}`).toEqual(tsharkLayerLines(path, n, /^Address Resolution Protocol/));
    }
  });
});

describe('ARP encoder', () => {
  it('encodes the seed request body byte for byte', () => {
    const body = encodeArp({
      opcode: 1,
      senderMac: '00:05:5d:61:58:a8',
      senderIp: '192.168.0.55',
      targetMac: '00:00:00:00:00:00',
      targetIp: '192.168.0.2',
    });
    expect(body).toEqual(SEED_REQUEST.subarray(14, 42));
  });

  it('round-trips decode → encode → decode on both seeds and RARP', () => {
    for (const frame of [SEED_REQUEST, SEED_REPLY]) {
      const parsed = parseArp(frame.subarray(14))!;
      const again = encodeArp(parsed.repr);
      expect(again).toEqual(frame.subarray(14, 42));
      expect(parseArp(again)!.repr).toEqual(parsed.repr);
      expect(parsed.payload).toEqual(frame.subarray(42));
    }
    const rarp = encodeEthernet(
      { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', type: 0x8035 },
      encodeArp({
        opcode: 3,
        senderMac: '02:00:00:00:00:0a',
        senderIp: '0.0.0.0',
        targetMac: '02:00:00:00:00:0a',
        targetIp: '0.0.0.0',
      }),
    );
    const v = values(rarp, ['arp.opcode']);
    expect(v.protocol).toBe('RARP');
    expect(v.info).toBe('Who is 02:00:00:00:00:0a? Tell 02:00:00:00:00:0a');
  });

  it('lets a caller craft non-Ethernet hardware types', () => {
    const body = encodeArp({
      opcode: 2,
      senderMac: '02:00:00:00:00:01',
      senderIp: '10.0.0.1',
      targetMac: '02:00:00:00:00:02',
      targetIp: '10.0.0.2',
      hwType: 6,
    });
    expect(parseArp(body)!.repr.hwType).toBe(6);
    expect(parseArp(body.subarray(0, 27))).toBeUndefined();
  });
});

describe('ARP on bad input', () => {
  it('marks a truncated ARP as malformed without throwing', () => {
    const cut = SEED_REQUEST.subarray(0, 30);
    const p = dissectPacket(meta(cut), cut, new CaptureState(), { tree: true });
    expect(p.malformed).toBe(true);
    expect(p.issues.some((i) => i.protocol === 'arp')).toBe(true);
  });

  it('handles absurd address sizes by bounding reads to the frame', () => {
    const weird = SEED_REQUEST.slice();
    weird[18] = 0xff; // hardware size 255
    const p = dissectPacket(meta(weird), weird, new CaptureState(), { tree: true });
    expect(p.malformed).toBe(true);
  });
});
