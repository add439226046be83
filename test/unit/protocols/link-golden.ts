// Golden comparisons for the link-layer tests: our `-T fields` values and summary columns
// against tshark 4.0's on the same capture, row by row.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection, type TreeNode } from '../../../core/dissect/dissection';
import { decodeFields, readClassicPcap, tsharkFields, type RawRecord } from '../../helpers/decode';

export { TCPDUMP_TESTS } from '../../helpers/paths';
export const FIXTURES = new URL('../../fixtures/link/', import.meta.url).pathname;

/** Rows of `[ours, tshark]` that differ for `fields`, as readable strings (empty when all agree). */
export function fieldDiffs(path: string, fields: string[], only?: (row: number) => boolean): string[] {
  const records = readClassicPcap(path);
  const ours = decodeFields(records, fields);
  const theirs = tsharkFields(path, fields);
  const diffs: string[] = [];
  ours.forEach((row, i) => {
    if (only && !only(i + 1)) return;
    row.forEach((v, j) => {
      const t = theirs[i]?.[j] ?? '';
      if (v !== t) diffs.push(`${path.split('/').pop()} #${i + 1} ${fields[j]}: ours=${v} tshark=${t}`);
    });
  });
  return diffs;
}

export interface ColumnRow {
  src: string;
  dst: string;
  protocol: string;
  info: string;
}

export function ourColumns(records: RawRecord[]): ColumnRow[] {
  const state = new CaptureState();
  const p = new Dissection();
  return records.map((r) => {
    dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p);
    return { src: p.cols.src, dst: p.cols.dst, protocol: p.cols.protocol, info: p.cols.info };
  });
}

export function tsharkColumns(path: string): ColumnRow[] {
  return tsharkFields(path, [
    '_ws.col.Source',
    '_ws.col.Destination',
    '_ws.col.Protocol',
    '_ws.col.Info',
  ]).map(([src = '', dst = '', protocol = '', info = '']) => ({ src, dst, protocol, info }));
}

/** The tree of one packet (tree path). */
export function treeOf(record: RawRecord): Dissection {
  return dissectPacket(record.meta, record.data, new CaptureState(), { tree: true });
}

export function findNode(nodes: readonly TreeNode[], field: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.field === field) return n;
    const c = n.children && findNode(n.children, field);
    if (c) return c;
  }
  return undefined;
}

/** Labels of a layer's subtree, indented like `tshark -V` (4 spaces per level). */
export function labels(node: TreeNode, depth = 0): string[] {
  const out = [`${' '.repeat(4 * depth)}${node.label}`];
  for (const c of node.children ?? []) out.push(...labels(c, depth + 1));
  return out;
}

/** Writes a classic pcap (microsecond, little-endian) so crafted frames can be shown to tshark. */
export function writeClassicPcap(path: string, linkType: number, frames: readonly Uint8Array[]): void {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(linkType, 20);
  parts.push(header);
  frames.forEach((f, i) => {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE(f.length, 8);
    rec.writeUInt32LE(f.length, 12);
    parts.push(rec, Buffer.from(f));
  });
  writeFileSync(path, Buffer.concat(parts));
}

/** A fresh temporary file path for one test. */
export function tempPcap(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'wirelens-l2-')), name);
}

/** The lines of one layer in `tshark -V` for packet `n` (the layer's header line up to the next
 * top-level line), with tshark's 4-space indentation. */
export function tsharkLayerLines(path: string, n: number, header: RegExp): string[] {
  const out = execFileSync('tshark', ['-r', path, '-V', '-Y', `frame.number == ${n}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).split('\n');
  const at = out.findIndex((l) => header.test(l));
  if (at < 0) return [];
  const end = out.findIndex((l, i) => i > at && l !== '' && !l.startsWith(' '));
  return out.slice(at, end < 0 ? undefined : end).filter((l) => l !== '');
}

export { frameMeta } from '../../helpers/decode';
