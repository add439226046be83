// Shared by the network-layer protocol tests: decode a capture our way and tshark's way and
// list every difference, for the fields given and the Info column (`_ws.col.Info`).
import '../../../core/protocols';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { execFileSync } from 'node:child_process';
import { Dissection, type TreeNode } from '../../../core/dissect/dissection';
import { decodeFields, readClassicPcap, tsharkFields, type RawRecord } from '../../helpers/decode';

export const INFO = '_ws.col.Info';

/** Every packet's Info column, decoded in one pass like `tshark -r`. */
export function decodeInfo(records: RawRecord[]): string[] {
  const state = new CaptureState();
  const p = new Dissection();
  return records.map(
    (r) => dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p).cols.info,
  );
}

export interface Mismatch {
  frame: number;
  field: string;
  ours: string;
  tshark: string;
}

/**
 * Differences between our values and tshark 4.0's for `fields` (may include `_ws.col.Info`),
 * restricted to packets where `only(frameNumber)` holds (default: all).
 */
export function compareWithTshark(
  path: string,
  fields: string[],
  only: (frame: number, tsharkRow: string[]) => boolean = () => true,
): { packets: number; mismatches: Mismatch[] } {
  const records = readClassicPcap(path);
  const plain = fields.filter((f) => f !== INFO);
  const ours = decodeFields(records, plain);
  const info = fields.includes(INFO) ? decodeInfo(records) : [];
  const theirs = tsharkFields(path, fields);
  const mismatches: Mismatch[] = [];
  for (let i = 0; i < records.length; i++) {
    const row = theirs[i] ?? [];
    if (!only(i + 1, row)) continue;
    fields.forEach((field, j) => {
      const mine = field === INFO ? info[i]! : ours[i]![plain.indexOf(field)]!;
      const ref = row[j] ?? '';
      if (mine !== ref) mismatches.push({ frame: i + 1, field, ours: mine, tshark: ref });
    });
  }
  return { packets: records.length, mismatches };
}

function treeLines(nodes: TreeNode[], depth: number, out: string[]): void {
  for (const n of nodes) {
    out.push('    '.repeat(depth) + n.label);
    treeLines(n.children ?? [], depth + 1, out);
  }
}

/** Our details tree for `frames`, as `tshark -V` lays it out, restricted to top-level items of
 * the given protocols. */
export function ourTree(path: string, frames: number[], protocols: string[]): string[] {
  const state = new CaptureState();
  const p = new Dissection();
  const out: string[] = [];
  for (const r of readClassicPcap(path)) {
    const wanted = frames.includes(r.meta.number);
    dissectPacket(r.meta, r.data, state, { tree: wanted, columns: true }, p);
    if (wanted)
      treeLines(
        p.roots.filter((n) => protocols.includes(n.field ?? '')),
        0,
        out,
      );
  }
  return out;
}

/** tshark 4.0's `-V` tree for `frames`, only the given protocols' items, without expert-info
 * sub-trees (the framework reports those as issues, not tree items). */
export function tsharkTree(path: string, frames: number[], protocols: string[]): string[] {
  const text = execFileSync(
    'tshark',
    ['-r', path, '-V', '-O', protocols.join(','), '-Y', frames.map((n) => `frame.number==${n}`).join('||')],
    { encoding: 'utf8', maxBuffer: 1 << 26, stderr: 'ignore' } as never,
  ) as unknown as string;
  const out: string[] = [];
  let skipDeeperThan = -1;
  let inProtocol = false;
  for (const line of text.split('\n')) {
    if (line === '' || /^[0-9a-f]{4}  /.test(line)) continue; // a Data item's hex dump
    if (!line.startsWith(' ')) {
      // A top-level item: keep it only if it is one of ours (expanded by -O).
      inProtocol =
        !/^(Frame|Ethernet|Address Resolution|User Datagram|Transmission|Data) /.test(line) &&
        !line.startsWith('Frame ');
      if (inProtocol) out.push(line);
      skipDeeperThan = -1;
      continue;
    }
    if (!inProtocol) continue;
    const indent = line.length - line.trimStart().length;
    if (skipDeeperThan >= 0 && indent > skipDeeperThan) continue;
    skipDeeperThan = -1;
    if (line.trimStart().startsWith('[Expert Info')) {
      skipDeeperThan = indent;
      continue;
    }
    out.push(line);
  }
  return out;
}

export { frameMeta as meta } from '../../helpers/decode';
