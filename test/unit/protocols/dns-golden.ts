// Golden comparison for the application-protocol fixtures (test/fixtures/app/*.pcap): every
// packet's Protocol and Info columns and the fields in the capture's `.tshark.tsv` (written by
// scripts/fixtures/app-expectations.sh from tshark 4.0) must equal what Wirelens decodes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import '../../../core/protocols';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { fieldList, fieldsByAbbrev } from '../../../core/dissect/fields';
import { formatFieldValue } from '../../../core/dissect/format';
import { readClassicPcap } from '../../helpers/decode';

export const APP_FIXTURES = join(__dirname, '../../fixtures/app');

export interface Mismatch {
  frame: number;
  column: string;
  tshark: string;
  wirelens: string;
}

/** Decodes `name.pcap` and compares it with `name.tshark.tsv`; returns the differences. */
export function compareWithTshark(name: string, only?: (column: string) => boolean): Mismatch[] {
  return compareFiles(join(APP_FIXTURES, `${name}.pcap`), join(APP_FIXTURES, `${name}.tshark.tsv`), only);
}

/** Decodes a classic pcap and compares it with a tshark `-T fields -E header=y` TSV. With
 * `twoPass`, every packet is decoded once first and compared on the revisit (tshark -2). */
export function compareFiles(
  pcap: string,
  tsv: string,
  only?: (column: string) => boolean,
  twoPass = false,
): Mismatch[] {
  const records = readClassicPcap(pcap);
  const [head, ...rows] = readFileSync(tsv, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const columns = head!.split('\t');
  const wanted = new Uint8Array(fieldList.length);
  for (const c of columns) {
    if (c.startsWith('_ws.col.') || c === 'frame.number' || (only && !only(c))) continue;
    const f = fieldsByAbbrev.get(c);
    if (!f) throw new Error(`field ${c} is not registered`);
    wanted[f.id] = 1;
  }
  const state = new CaptureState();
  const p = new Dissection();
  const out: Mismatch[] = [];
  if (twoPass)
    for (const r of records) dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p);
  records.forEach((r, i) => {
    dissectPacket(r.meta, r.data, state, { tree: false, wanted, columns: true }, p, twoPass);
    const expected = (rows[i] ?? '').split('\t');
    columns.forEach((c, j) => {
      if (only && !only(c)) return;
      let got: string;
      if (c === 'frame.number') got = String(r.meta.number);
      else if (c === '_ws.col.Protocol') got = p.cols.protocol;
      else if (c === '_ws.col.Info') got = p.cols.info;
      else {
        const f = fieldsByAbbrev.get(c)!;
        const parts: string[] = [];
        p.valueFields.forEach((vf, k) => {
          if (vf === f) parts.push(formatFieldValue(f, p.values[k]!));
        });
        got = parts.join(',');
      }
      const want = expected[j] ?? '';
      if (got !== want) out.push({ frame: r.meta.number, column: c, tshark: want, wirelens: got });
    });
  });
  return out;
}
