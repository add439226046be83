// `-T fields -e FIELD … [-E option=value]`: one line per packet with the values of the asked
// fields, formatted as `tshark -T fields` formats them (tshark 4.0), plus the column pseudo-fields
// (`_ws.col.Info` in tshark 4.0's spelling, `_ws.col.info` in 4.2's).
import type { Dissection } from '../dissect/dissection';
import { fieldsByAbbrev, type Field } from '../dissect/fields';
import { formatFieldValue } from '../dissect/format';
import { UsageError } from './usage';

export type ColumnId =
  | 'number'
  | 'time'
  | 'src'
  | 'dst'
  | 'protocol'
  | 'length'
  | 'info'
  | 'dlSrc'
  | 'dlDst'
  | 'netSrc'
  | 'netDst';

/** Column pseudo-field names (4.0 and 4.2 spellings, matched case-insensitively). */
const COLUMN_FIELDS: Record<string, ColumnId> = {
  '_ws.col.no.': 'number',
  '_ws.col.number': 'number',
  '_ws.col.time': 'time',
  '_ws.col.cls_time': 'time',
  '_ws.col.source': 'src',
  '_ws.col.def_src': 'src',
  '_ws.col.destination': 'dst',
  '_ws.col.def_dst': 'dst',
  '_ws.col.protocol': 'protocol',
  '_ws.col.length': 'length',
  '_ws.col.packet_length': 'length',
  '_ws.col.info': 'info',
  '_ws.col.def_dl_src': 'dlSrc',
  '_ws.col.def_dl_dst': 'dlDst',
  '_ws.col.def_net_src': 'netSrc',
  '_ws.col.def_net_dst': 'netDst',
};

export interface FieldsOptions {
  separator: string;
  header: boolean;
  quote: '' | '"' | "'";
  occurrence: 'a' | 'f' | 'l' | number;
  aggregator: string;
}

export const DEFAULT_FIELDS_OPTIONS: FieldsOptions = {
  separator: '\t',
  header: false,
  quote: '',
  occurrence: 'a',
  aggregator: ',',
};

/** Applies one `-E name=value` option (tshark's spelling). */
export function applyFieldsOption(o: FieldsOptions, spec: string): void {
  const eq = spec.indexOf('=');
  const name = eq < 0 ? spec : spec.slice(0, eq);
  const value = eq < 0 ? '' : spec.slice(eq + 1);
  const special = (v: string) => (v === '/t' ? '\t' : v === '/s' ? ' ' : v);
  switch (name) {
    case 'separator':
      o.separator = special(value);
      return;
    case 'aggregator':
      o.aggregator = special(value);
      return;
    case 'header':
      if (value !== 'y' && value !== 'n') break;
      o.header = value === 'y';
      return;
    case 'quote':
      if (value === 'd') o.quote = '"';
      else if (value === 's') o.quote = "'";
      else if (value === 'n') o.quote = '';
      else break;
      return;
    case 'occurrence':
      if (value === 'a' || value === 'f' || value === 'l') o.occurrence = value;
      else if (/^-?\d+$/.test(value) && Number(value) !== 0) o.occurrence = Number(value);
      else break;
      return;
    case 'bom':
    case 'escape':
      return; // accepted for compatibility: output is always UTF-8 without a BOM, escaped
  }
  throw new UsageError(`invalid -E option "${spec}"`);
}

type Column = { kind: 'field'; field: Field } | { kind: 'column'; column: ColumnId };

export class FieldsPrinter {
  readonly columns: Column[];
  /** Field ids to collect (for the Dissection's `wanted`). */
  readonly wanted: Uint8Array;
  readonly needsColumns: boolean;

  constructor(
    readonly names: string[],
    fieldCount: number,
    readonly opts: FieldsOptions,
  ) {
    this.wanted = new Uint8Array(fieldCount);
    this.columns = names.map((name) => {
      const col = COLUMN_FIELDS[name.toLowerCase()];
      if (col) return { kind: 'column', column: col };
      const f = fieldsByAbbrev.get(name);
      if (!f) throw new UsageError(`unknown field "${name}" (-e ${name}): not a field Wirelens decodes`);
      this.wanted[f.id] = 1;
      return { kind: 'field', field: f };
    });
    this.needsColumns = this.columns.some((c) => c.kind === 'column');
  }

  header(): string {
    return this.names.map((n) => this.quoted(n)).join(this.opts.separator) + '\n';
  }

  line(p: Dissection, columnText: (c: ColumnId) => string): string {
    let line = '';
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i]!;
      if (i) line += this.opts.separator;
      if (c.kind === 'column') {
        line += this.quoted(columnText(c.column));
        continue;
      }
      const parts: string[] = [];
      const vf = p.valueFields;
      for (let k = 0; k < vf.length; k++)
        if (vf[k] === c.field) parts.push(formatFieldValue(c.field, p.values[k]!));
      line += this.quoted(this.pick(parts));
    }
    return line + '\n';
  }

  private pick(parts: string[]): string {
    const o = this.opts.occurrence;
    if (!parts.length) return '';
    if (o === 'a') return parts.join(this.opts.aggregator);
    if (o === 'f') return parts[0]!;
    if (o === 'l') return parts[parts.length - 1]!;
    const k = o > 0 ? o - 1 : parts.length + o;
    return parts[k] ?? '';
  }

  private quoted(s: string): string {
    const q = this.opts.quote;
    return q ? q + s + q : s;
  }
}
