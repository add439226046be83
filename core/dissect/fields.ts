// The field registry: every header field any protocol decodes is declared once here, in the
// spirit of Wireshark's hf_register_info. A record carries the filter name (`ip.ttl`), the
// display name, the type, the display base, an optional bit mask and value strings. The same
// record drives tree labels, `-T fields` output and (later) the display-filter type checker.

export type FieldType =
  | 'protocol' // a whole layer, e.g. `ip`
  | 'none' // a label-only item (text)
  | 'bool'
  | 'uint8'
  | 'uint16'
  | 'uint24'
  | 'uint32'
  | 'uint48'
  | 'uint64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'ipv4'
  | 'ipv6'
  | 'ether'
  | 'bytes'
  | 'string'
  | 'abstime' // bigint nanoseconds since the epoch
  | 'reltime' // bigint nanoseconds
  | 'float'
  | 'double'
  | 'framenum';

/** How integers are displayed (Wireshark's BASE_*). */
export type FieldBase = 'dec' | 'hex' | 'oct' | 'dec_hex' | 'hex_dec';

/** A decoded field value. Integers up to 2^53 are numbers; addresses are byte views. */
export type FieldValue = number | bigint | boolean | string | Uint8Array;

export interface FieldSpec {
  /** Wireshark-compatible filter name, e.g. `tcp.flags.syn`. */
  abbrev: string;
  /** Display name used in the details tree, e.g. `Syn`. */
  name: string;
  type: FieldType;
  base?: FieldBase;
  /** Bit mask applied to the containing integer; the value is shifted down. */
  mask?: number;
  /** Width in bits of the integer the mask applies to (default: from the type; 8 for bool). */
  bits?: number;
  /** Value strings: `6 → 'TCP'`. */
  vals?: Readonly<Record<number, string>>;
  /** True/false strings for booleans; default `Set` / `Not set`. */
  tfs?: readonly [string, string];
  /** Unit appended in labels, e.g. ` bytes`. */
  unit?: string;
  /** One line for completions and tooltips. */
  blurb?: string;
}

export interface Field extends Readonly<FieldSpec> {
  /** Dense id, index into per-field arrays (e.g. the set of fields a filter wants). */
  readonly id: number;
  /** Right shift derived from the mask. */
  readonly shift: number;
  /** Width in bits of the container (for masks and hex padding). */
  readonly width: number;
}

const TYPE_WIDTH: Partial<Record<FieldType, number>> = {
  bool: 8,
  uint8: 8,
  uint16: 16,
  uint24: 24,
  uint32: 32,
  uint48: 48,
  uint64: 64,
  int8: 8,
  int16: 16,
  int32: 32,
  framenum: 32,
  ipv4: 32,
};

/** All fields, indexed by id; and by filter name. Protocols register at module load. */
export const fieldList: Field[] = [];
export const fieldsByAbbrev = new Map<string, Field>();

export function registerField(spec: FieldSpec): Field {
  const existing = fieldsByAbbrev.get(spec.abbrev);
  // Several protocols may legitimately register the same abbreviation with the same type
  // (e.g. `ip.addr` for source and destination); they share one registry entry.
  if (existing) {
    if (existing.type !== spec.type) {
      throw new Error(`field ${spec.abbrev} registered twice with types ${existing.type} and ${spec.type}`);
    }
    return existing;
  }
  const mask = spec.mask ?? 0;
  // Trailing zero bits, in plain arithmetic: `mask & -mask` is 32-bit signed, wrong for 0x80000000.
  let shift = 0;
  if (mask > 0) while ((mask / 2 ** shift) % 2 === 0) shift++;
  const field: Field = Object.freeze({
    ...spec,
    id: fieldList.length,
    shift,
    width: spec.bits ?? TYPE_WIDTH[spec.type] ?? 0,
  });
  fieldList.push(field);
  fieldsByAbbrev.set(spec.abbrev, field);
  return field;
}

export function registerFields<T extends Record<string, FieldSpec>>(specs: T): { [K in keyof T]: Field } {
  const out = {} as { [K in keyof T]: Field };
  for (const key of Object.keys(specs) as (keyof T)[]) out[key] = registerField(specs[key]);
  return out;
}
