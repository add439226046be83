// Golden comparisons for the transport layers: decode a capture with Wirelens and with
// tshark 4.0, field by field and (for packets whose top layer is TCP or UDP) the Info column.
import { writeFileSync } from 'node:fs';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { decodeFields, readClassicPcap, tsharkFields, type RawRecord } from '../../helpers/decode';

export const TRANSPORT_FIELDS = [
  'tcp.srcport',
  'tcp.dstport',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.flags',
  'tcp.window_size_value',
  'tcp.window_size',
  'tcp.options.mss_val',
  'tcp.stream',
  'tcp.nxtseq',
  'udp.srcport',
  'udp.dstport',
  'udp.length',
];

const ANALYSIS_NOTES = /^(\[TCP [^\]]*\] )+/;
const REASSEMBLED = '[TCP segment of a reassembled PDU]';

export interface Mismatch {
  frame: number;
  field: string;
  ours: string;
  tshark: string;
}

/** Our Info column and layer list for every packet (fast path, columns on). */
export function ourColumns(records: RawRecord[]): { info: string; protocols: string[] }[] {
  const state = new CaptureState();
  const p = new Dissection();
  return records.map((r) => {
    dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p);
    return { info: p.cols.info, protocols: [...p.protocols] };
  });
}

/** True when TCP or UDP is the top layer (possibly followed by undissected data). */
function transportOnTop(protocols: string[]): boolean {
  const layers = protocols[protocols.length - 1] === 'data' ? protocols.slice(0, -1) : protocols;
  const top = layers[layers.length - 1];
  return top === 'tcp' || top === 'udp';
}

/** Every difference between Wirelens and tshark for `fields` and the Info column. */
export function compareWithTshark(path: string, fields: string[] = TRANSPORT_FIELDS): Mismatch[] {
  const records = readClassicPcap(path);
  const ours = decodeFields(records, fields);
  const cols = ourColumns(records);
  const theirs = tsharkFields(path, [...fields, 'frame.protocols', '_ws.col.Info']);
  const out: Mismatch[] = [];
  if (theirs.length !== records.length) {
    out.push({
      frame: 0,
      field: 'packet count',
      ours: String(records.length),
      tshark: String(theirs.length),
    });
  }
  records.forEach((_, i) => {
    const t = theirs[i] ?? [];
    fields.forEach((field, j) => {
      if (ours[i]![j] !== (t[j] ?? ''))
        out.push({ frame: i + 1, field, ours: ours[i]![j]!, tshark: t[j] ?? '' });
    });
    const tsProtocols = (t[fields.length] ?? '').split(':');
    if (transportOnTop(tsProtocols) && transportOnTop(cols[i]!.protocols)) {
      // tshark pads some Info texts with a trailing space. Its TCP analysis notes
      // ("[TCP Retransmission] ", "[TCP Dup ACK 6#1] "…) belong to the analysis module, and a
      // segment that starts a PDU the payload protocol reassembles takes that protocol's Info:
      // both are compared elsewhere, the rest of the text must agree exactly.
      const theirInfo = (t[fields.length + 1] ?? '').trimEnd().replace(ANALYSIS_NOTES, '');
      if (!theirInfo.includes(REASSEMBLED) && cols[i]!.info !== theirInfo) {
        out.push({ frame: i + 1, field: 'Info', ours: cols[i]!.info, tshark: theirInfo });
      }
    }
  });
  return out;
}

/** Number of packets whose Info column was compared (TCP/UDP on top in both decoders). */
export function infoComparedCount(path: string): number {
  const records = readClassicPcap(path);
  const cols = ourColumns(records);
  const theirs = tsharkFields(path, ['frame.protocols']);
  return records.filter(
    (_, i) => transportOnTop((theirs[i]?.[0] ?? '').split(':')) && transportOnTop(cols[i]!.protocols),
  ).length;
}

/** Writes frames as a classic little-endian pcap with nanosecond timestamps. */
export function writeClassicPcap(
  path: string,
  linkType: number,
  frames: { tsSec: number; tsNsec: number; data: Uint8Array }[],
): void {
  const size = 24 + frames.reduce((n, f) => n + 16 + f.data.length, 0);
  const buf = Buffer.alloc(size);
  buf.writeUInt32LE(0xa1b23c4d, 0); // nanosecond-resolution magic
  buf.writeUInt16LE(2, 4);
  buf.writeUInt16LE(4, 6);
  buf.writeUInt32LE(262144, 16);
  buf.writeUInt32LE(linkType, 20);
  let off = 24;
  for (const f of frames) {
    buf.writeUInt32LE(f.tsSec, off);
    buf.writeUInt32LE(f.tsNsec, off + 4);
    buf.writeUInt32LE(f.data.length, off + 8);
    buf.writeUInt32LE(f.data.length, off + 12);
    buf.set(f.data, off + 16);
    off += 16 + f.data.length;
  }
  writeFileSync(path, buf);
}
