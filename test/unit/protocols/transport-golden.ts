// Golden comparisons for the transport layers: decode a capture with Wirelens and with
// tshark 4.0, field by field and (for packets whose top layer is TCP or UDP) the Info column.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection, type TreeNode } from '../../../core/dissect/dissection';
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
      // tshark pads some Info texts with a trailing space. A segment that starts a PDU the
      // payload protocol reassembles takes that protocol's Info (compared with that protocol);
      // the rest, TCP analysis notes ("[TCP Retransmission] ", "[TCP Dup ACK 6#1] "…)
      // included, must agree exactly.
      const theirInfo = (t[fields.length + 1] ?? '').trimEnd();
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

/** tshark -V items decoded by later modules (conversation tracking, TCP analysis, timing). */
const LATER_ITEMS = [
  '[Conversation completeness',
  '[Timestamps]',
  '[SEQ/ACK analysis]',
  '[Expert Info',
  'TCP segment data',
  '[Reassembled PDU in frame',
  'Retransmitted TCP segment data',
  '[Connection state', // Wirelens's own (RFC 9293 states), not in tshark
];

function flattenTree(node: TreeNode, depth: number, out: string[]): void {
  if (LATER_ITEMS.some((prefix) => node.label.startsWith(prefix))) return;
  out.push(`${'    '.repeat(depth)}${node.label}`);
  for (const child of node.children ?? []) flattenTree(child, depth + 1, out);
}

/** The TCP/UDP subtree of every frame in `tshark -V` text, without the later modules' items. */
function tsharkTransportTrees(path: string): string[][] {
  const text = execFileSync('tshark', ['-r', path, '-V', '-O', 'tcp,udp'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return text.split(/\n(?=Frame \d+:)/).map((block) => {
    const lines = block.split('\n');
    const out: string[] = [];
    let inside = false;
    let skipDeeperThan = -1;
    for (const line of lines) {
      const depth = (line.length - line.trimStart().length) / 4;
      if (depth === 0) inside = /^(Transmission Control Protocol|User Datagram Protocol),/.test(line);
      if (!inside || line === '') continue;
      if (skipDeeperThan >= 0 && depth > skipDeeperThan) continue;
      skipDeeperThan = -1;
      if (LATER_ITEMS.some((prefix) => line.trimStart().startsWith(prefix))) {
        skipDeeperThan = depth;
        continue;
      }
      out.push(line);
    }
    return out;
  });
}

/**
 * Compares the TCP/UDP details tree with `tshark -V` for every frame whose top layer is TCP or
 * UDP in both decoders: labels, order and nesting. Returns the first differing line per frame.
 */
export function compareTreeWithTshark(path: string): { frame: number; ours: string; tshark: string }[] {
  const records = readClassicPcap(path);
  const theirs = tsharkTransportTrees(path);
  const protocols = tsharkFields(path, ['frame.protocols']);
  const state = new CaptureState();
  const out: { frame: number; ours: string; tshark: string }[] = [];
  records.forEach((r, i) => {
    const p = dissectPacket(r.meta, r.data, state, { tree: true, columns: true });
    if (!transportOnTop(p.protocols) || !transportOnTop((protocols[i]?.[0] ?? '').split(':'))) return;
    const ours: string[] = [];
    for (const root of p.roots) if (root.field === 'tcp' || root.field === 'udp') flattenTree(root, 0, ours);
    const t = theirs[i] ?? [];
    for (let k = 0; k < Math.max(ours.length, t.length); k++) {
      if (ours[k] !== t[k]) {
        out.push({ frame: i + 1, ours: ours[k] ?? '(end)', tshark: t[k] ?? '(end)' });
        break;
      }
    }
  });
  return out;
}
