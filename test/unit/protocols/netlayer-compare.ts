// Shared by the network-layer protocol tests: decode a capture our way and tshark's way and
// list every difference, for the fields given and the Info column (`_ws.col.Info`).
import '../../../core/protocols';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection, type FrameMeta } from '../../../core/dissect/dissection';
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

/** Frame metadata for a hand-built frame. */
export function meta(data: Uint8Array, over: Partial<FrameMeta> = {}): FrameMeta {
  return {
    number: 1,
    tsSec: 0,
    tsNsec: 0,
    relativeNs: 0,
    deltaNs: 0,
    capLen: data.length,
    origLen: data.length,
    linkType: 1,
    interfaceId: 0,
    ...over,
  };
}
