import { describe, expect, it } from 'vitest';
import { CaptureState } from '../../../core/dissect/state';
import { dissectPacket } from '../../../core/dissect/packet';
import { decodeFields, fromHex, hasTshark, readClassicPcap, tsharkFields } from '../../helpers/decode';
import {
  TCPDUMP_TESTS,
  frameMeta,
  ourColumns,
  tempPcap,
  tsharkColumns,
  writeClassicPcap,
} from './link-golden';

const IPV4 = fromHex(`4500005393250000801125ecc0a80037c0a8000105d40045003fac40
0001633a5c71776572712e717765006e6574617363696900626c6b73697a65003531320074696d656f75
74003130007473697a65003000`);
const IPV6 = fromHex(`6000000000003b40${'00'.repeat(15)}01${'00'.repeat(15)}01`);

/** The first `n` layers of frame.protocols, which the link layer decides. */
const layers = (rows: string[][], n: number) => rows.map(([p = '']) => p.split(':').slice(0, n).join(':'));

describe('raw IP link types', () => {
  const files = [
    'LINKTYPE_IPV4.pcap', // 228
    'extract_read2_asan.pcap',
    'scps_invalid.pcap',
    'ipv6-rthdr-oobr.pcap', // 229
    'ipv6-next-header-oobr-1.pcap',
    'babel_rtt.pcap', // 101, IPv6
    'gquic.pcap', // 101, IPv4
    'heap-overflow-1.pcap', // 101, a 1-byte record
  ];
  it.skipIf(!hasTshark).each(files)('%s: the same first layers as tshark', (file) => {
    const path = `${TCPDUMP_TESTS}/${file}`;
    const ours = decodeFields(readClassicPcap(path), ['frame.protocols']);
    const theirs = tsharkFields(path, ['frame.protocols']);
    const n = theirs[0]![0]!.startsWith('raw') ? 2 : 1;
    expect(layers(ours, n)).toEqual(layers(theirs, n));
  });

  it.skipIf(!hasTshark)('picks IPv4 or IPv6 from the version nibble (link types 101, 12, 14)', () => {
    for (const lt of [101, 12, 14]) {
      const path = tempPcap(`raw-${lt}.pcap`);
      writeClassicPcap(path, lt, [IPV4, IPV6, new Uint8Array([0x50, 1, 2, 3])]);
      const ours = decodeFields(readClassicPcap(path), ['frame.protocols']);
      expect(layers(ours, 2), `link type ${lt}`).toEqual(layers(tsharkFields(path, ['frame.protocols']), 2));
    }
  });

  it.skipIf(!hasTshark)('shows packet-raw.c placeholders when nothing better is known', () => {
    const path = `${TCPDUMP_TESTS}/heap-overflow-1.pcap`;
    const [ours] = ourColumns(readClassicPcap(path));
    const [theirs] = tsharkColumns(path);
    expect(ours!.protocol).toBe(theirs!.protocol);
    expect(ours!.src).toBe(theirs!.src);
    expect(ours!.info.replace(' [', '[')).toBe(theirs!.info);
  });

  it('never throws on an empty record', () => {
    const empty = new Uint8Array(0);
    const p = dissectPacket(frameMeta(empty, { linkType: 101 }), empty, new CaptureState(), { tree: true });
    expect(p.protocols[1]).toBe('raw');
  });
});
