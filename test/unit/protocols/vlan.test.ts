import { describe, expect, it } from 'vitest';
import { CaptureState } from '../../../core/dissect/state';
import { dissectPacket } from '../../../core/dissect/packet';
import { encodeArp } from '../../../core/protocols/arp';
import { encodeEthernet, parseEthernet } from '../../../core/protocols/eth';
import { encodeVlan, parseVlan } from '../../../core/protocols/vlan';
import { hasTshark, readClassicPcap, tsharkFields } from '../../helpers/decode';
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

const VLAN_FIELDS = [
  'vlan.priority',
  'vlan.dei',
  'vlan.id',
  'vlan.etype',
  'vlan.len',
  'vlan.trailer',
  'ieee8021ad.priority',
  'ieee8021ad.dei',
  'ieee8021ad.id',
  'ieee8021ah.etype',
  'ieee8021ah.trailer',
  'eth.padding',
  'eth.type',
];

const arpBody = encodeArp({
  opcode: 1,
  senderMac: '02:00:00:00:00:0a',
  senderIp: '198.51.100.10',
  targetMac: '00:00:00:00:00:00',
  targetIp: '198.51.100.1',
});

describe('802.1Q / 802.1ad against tshark', () => {
  const captures = [
    `${TCPDUMP_TESTS}/802.1ad_QinQ.pcap`,
    `${FIXTURES}netns-eth-arp-vlan-llc.pcap`, // PCP 5 + DEI, unknown ethertype, QinQ + trailer, 0x9100, 802.3 length
    `${FIXTURES}netns-sll1.pcap`,
    `${FIXTURES}netns-sll2.pcap`,
  ];
  it.skipIf(!hasTshark).each(captures)('%s: tag fields, padding and trailers', (path) => {
    // Padding is compared only where a tag owns it (untagged 802.3 padding belongs to eth.ts).
    const tagged = new Set(
      tsharkFields(path, ['frame.protocols']).flatMap(([p = ''], i) =>
        /vlan|ieee8021ad/.test(p) ? [i + 1] : [],
      ),
    );
    expect(tagged.size).toBeGreaterThan(0);
    expect(fieldDiffs(path, VLAN_FIELDS, (n) => tagged.has(n))).toEqual([]);
  });

  it.skipIf(!hasTshark)('stacked tags appear in frame.protocols as tshark lists them', () => {
    const path = `${TCPDUMP_TESTS}/802.1ad_QinQ.pcap`;
    expect(fieldDiffs(path, ['frame.protocols'])).toEqual([]);
    expect(ourColumns(readClassicPcap(path))).toEqual(tsharkColumns(path));
  });

  it.skipIf(!hasTshark)(
    'tree labels match tshark -V (802.1Q with priority names, 802.1ad, padding, trailer)',
    () => {
      const path = `${FIXTURES}netns-eth-arp-vlan-llc.pcap`;
      const records = readClassicPcap(path);
      for (const n of [11, 12, 13, 14]) {
        const p = treeOf(records[n - 1]!);
        const tag = findNode(p.roots, 'vlan')!;
        expect(labels(tag), `frame ${n}`).toEqual(tsharkLayerLines(path, n, /^802\.1Q Virtual LAN/));
      }
      const p = treeOf(records[12]!);
      expect(labels(findNode(p.roots, 'ieee8021ad')!)).toEqual(tsharkLayerLines(path, 13, /^IEEE 802\.1ad/));
    },
  );

  it.skipIf(!hasTshark)('an unknown ethertype inside a tag gets tshark columns', () => {
    const path = `${FIXTURES}netns-eth-arp-vlan-llc.pcap`;
    expect(ourColumns(readClassicPcap(path))[11]).toEqual(tsharkColumns(path)[11]);
  });
});

describe('802.1Q encoder', () => {
  it('encodes a tag (PCP/DEI/VID) that decodes back, with the payload after it', () => {
    const tagged = encodeVlan({ priority: 5, dei: true, vid: 10, type: 0x0806 }, arpBody);
    expect(Array.from(tagged.subarray(0, 4))).toEqual([0xb0, 0x0a, 0x08, 0x06]);
    const frame = encodeEthernet(
      { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', type: 0x8100 },
      tagged,
    );
    const p = dissectPacket(frameMeta(frame), frame, new CaptureState(), { tree: true });
    expect(p.protocols).toEqual(['frame', 'eth', 'ethertype', 'vlan', 'ethertype', 'arp']);
    expect(findNode(p.roots, 'vlan')!.label).toBe('802.1Q Virtual LAN, PRI: 5, DEI: 1, ID: 10');
    expect(p.cols.info).toBe('Who has 198.51.100.1? Tell 198.51.100.10');
    // 14 + 4 + 28 = 46 bytes: padded to 60 and shown under the tag, as tshark does.
    const pad = findNode(p.roots, 'eth.padding')!;
    expect([pad.start, pad.end]).toEqual([46, 60]);
  });

  it('round-trips decode → encode → decode, including stacked tags', () => {
    const inner = encodeVlan({ priority: 1, vid: 30, type: 0x0806 }, arpBody);
    const outer = encodeVlan({ priority: 3, vid: 200, type: 0x8100 }, inner);
    const frame = encodeEthernet(
      { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', type: 0x88a8 },
      outer,
      false,
    );
    const eth = parseEthernet(frame)!;
    const o = parseVlan(eth.payload)!;
    expect(o.repr).toEqual({ priority: 3, dei: false, vid: 200, type: 0x8100 });
    const i = parseVlan(o.payload)!;
    expect(i.repr).toEqual({ priority: 1, dei: false, vid: 30, type: 0x0806 });
    expect(encodeVlan(o.repr, encodeVlan(i.repr, i.payload))).toEqual(eth.payload);
    expect(parseVlan(new Uint8Array(3))).toBeUndefined();
  });

  it.skipIf(!hasTshark)('encoded frames decode the same in tshark', () => {
    const path = tempPcap('vlan-encoded.pcap');
    writeClassicPcap(path, 1, [
      encodeEthernet(
        { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', type: 0x8100 },
        encodeVlan({ priority: 7, dei: true, vid: 4094, type: 0x0806 }, arpBody),
      ),
      encodeEthernet(
        { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', type: 0x88a8 },
        encodeVlan({ priority: 2, vid: 100, type: 0x8100 }, encodeVlan({ vid: 5, type: 0x0806 }, arpBody)),
      ),
    ]);
    expect(fieldDiffs(path, [...VLAN_FIELDS, 'frame.protocols'])).toEqual([]);
    expect(ourColumns(readClassicPcap(path))).toEqual(tsharkColumns(path));
  });
});

describe('802.1Q on bad input', () => {
  it('marks a cut tag as malformed and keeps Ethernet', () => {
    const frame = encodeEthernet(
      { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', type: 0x8100 },
      new Uint8Array([0x20]),
      false,
    );
    const p = dissectPacket(frameMeta(frame), frame, new CaptureState(), { tree: true });
    expect(p.malformed).toBe(true);
    expect(findNode(p.roots, 'eth.type')).toBeDefined();
  });

  it('flags an 802.3 length past the end of the frame', () => {
    const tagged = encodeVlan({ vid: 5, type: 200 }, new Uint8Array([0xe0, 0xe0, 0x03, 1, 2, 3]));
    const frame = encodeEthernet(
      { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', type: 0x8100 },
      tagged,
      false,
    );
    const p = dissectPacket(frameMeta(frame), frame, new CaptureState(), { tree: true });
    expect(p.issues.some((i) => i.protocol === 'vlan' && i.kind === 'malformed')).toBe(true);
    expect(p.protocols).toContain('llc');
  });
});
