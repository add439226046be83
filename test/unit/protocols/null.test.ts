import { describe, expect, it } from 'vitest';
import { CaptureState } from '../../../core/dissect/state';
import { dissectPacket } from '../../../core/dissect/packet';
import { nullHeaderValue } from '../../../core/protocols/null';
import { fromHex, hasTshark, readClassicPcap, tsharkFields, decodeFields } from '../../helpers/decode';
import {
  TCPDUMP_TESTS,
  fieldDiffs,
  findNode,
  frameMeta,
  labels,
  tempPcap,
  treeOf,
  tsharkLayerLines,
  writeClassicPcap,
} from './link-golden';

// The IPv4/UDP datagram of SEEDS.md's TFTP read request (the bytes after its Ethernet header).
const IPV4 = fromHex(`4500005393250000801125ecc0a80037c0a8000105d40045003fac40
0001633a5c71776572712e717765006e6574617363696900626c6b73697a65003531320074696d656f75
74003130007473697a65003000`);
// A minimal IPv6 header (no next header, payload length 0), ::1 → ::1.
const IPV6 = fromHex(`6000000000003b40${'00'.repeat(15)}01${'00'.repeat(15)}01`);

const cat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

describe('BSD loopback header value', () => {
  it('reads the family in either byte order and in 16-bit forms, as packet-null.c', () => {
    expect(nullHeaderValue(2, 0, 0, 0)).toBe(2); // little-endian writer
    expect(nullHeaderValue(0, 0, 0, 2)).toBe(2); // big-endian writer
    expect(nullHeaderValue(0, 2, 0, 0)).toBe(2); // 16-bit big-endian in the first half
    expect(nullHeaderValue(0, 0, 2, 0)).toBe(2); // 16-bit little-endian in the second half
    expect(nullHeaderValue(30, 0, 0, 0)).toBe(30);
    expect(nullHeaderValue(0, 0, 0, 24)).toBe(24);
  });
});

const NULL_FIELDS = ['null.family', 'null.type'];

describe('NULL / LOOP against tshark', () => {
  it.skipIf(!hasTshark).each(['dns-badcookie.pcap', 'ospf-gmpls.pcap', 'tcp_rst_diag_payload.pcap'])(
    '%s: null.family and the tree',
    (file) => {
      const path = `${TCPDUMP_TESTS}/${file}`;
      expect(fieldDiffs(path, NULL_FIELDS)).toEqual([]);
      const ours = labels(findNode(treeOf(readClassicPcap(path)[0]!).roots, 'null')!);
      expect(ours).toEqual(tsharkLayerLines(path, 1, /^Null\/Loopback/));
    },
  );

  it.skipIf(!hasTshark)(
    'LINKTYPE_NULL written by either byte order, every IPv6 family, and an ethertype',
    () => {
      const path = tempPcap('null-crafted.pcap');
      writeClassicPcap(path, 0, [
        cat([2, 0, 0, 0], IPV4),
        cat([0, 0, 0, 2], IPV4),
        cat([0, 2, 0, 0], IPV4),
        cat([24, 0, 0, 0], IPV6),
        cat([0, 0, 0, 28], IPV6),
        cat([30, 0, 0, 0], IPV6),
        cat([0x00, 0x08, 0, 0], IPV4), // 0x0800 as an ethertype in host order
        cat([99, 0, 0, 0], [1, 2, 3, 4]),
      ]);
      expect(fieldDiffs(path, NULL_FIELDS)).toEqual([]);
      // The payload goes to IPv4/IPv6 (bound through the ethertype table) as in tshark.
      const layers = (rows: string[][]) => rows.map(([p = '']) => p.split(':').slice(0, 2).join(':'));
      expect(layers(decodeFields(readClassicPcap(path), ['frame.protocols']))).toEqual(
        layers(tsharkFields(path, ['frame.protocols'])),
      );
    },
  );

  it.skipIf(!hasTshark)('LINKTYPE_LOOP carries the family in network byte order', () => {
    const path = tempPcap('loop-crafted.pcap');
    writeClassicPcap(path, 108, [
      cat([0, 0, 0, 2], IPV4),
      cat([0, 0, 0, 24], IPV6),
      cat([0, 0, 0, 30], IPV6),
    ]);
    expect(fieldDiffs(path, ['null.family'])).toEqual([]);
    const layers = (rows: string[][]) => rows.map(([p = '']) => p.split(':').slice(0, 2).join(':'));
    expect(layers(decodeFields(readClassicPcap(path), ['frame.protocols']))).toEqual(
      layers(tsharkFields(path, ['frame.protocols'])),
    );
  });

  it('marks a header shorter than 4 bytes as malformed', () => {
    const frame = new Uint8Array([2, 0]);
    const p = dissectPacket(frameMeta(frame, { linkType: 0 }), frame, new CaptureState(), { tree: true });
    expect(p.malformed).toBe(true);
  });
});
