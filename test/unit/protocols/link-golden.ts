// Golden comparisons for the link-layer tests: our `-T fields` values and summary columns
// against tshark 4.0's on the same capture, row by row.
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection, type TreeNode } from '../../../core/dissect/dissection';
import { decodeFields, readClassicPcap, tsharkFields, type RawRecord } from '../../helpers/decode';

export const TCPDUMP_TESTS = '/work/shared/captures/tcpdump-tests';
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
