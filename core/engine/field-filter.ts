// The display filter that selects a details-tree item, as Wireshark's "Apply as Filter → Selected"
// builds it (proto_construct_match_selected_string): a protocol or a text-like item is just its
// name (`tcp`, `tcp.analysis.retransmission`), any other field is `name == value` with the value
// spelled the way the filter language reads it back.
import type { Field, FieldValue } from '../dissect/fields';
import { bytesToHex, formatAbsoluteTime, formatFieldValue } from '../dissect/format';

/** A string literal of the filter language: double quotes, `\` and `"` escaped, controls as `\xNN`. */
export function filterStringLiteral(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** The filter text for `field` with `value`, or just the field's name when it has no value to compare. */
export function fieldFilter(field: Field, value: FieldValue | undefined): string {
  if (field.type === 'protocol' || field.type === 'none' || value === undefined) return field.abbrev;
  return `${field.abbrev} == ${filterValue(field, value)}`;
}

function filterValue(field: Field, value: FieldValue): string {
  switch (field.type) {
    case 'string':
      return filterStringLiteral(String(value));
    // Byte strings are read as colon-separated hex (`aa:bb:cc`); tshark's -T fields has no colons.
    case 'bytes':
      return bytesToHex(value as Uint8Array, ':');
    // Absolute times are compared with a quoted date as Wireshark prints them.
    case 'abstime':
      return `"${formatAbsoluteTime(value as bigint)}"`;
    // Booleans as Wireshark 4.0 writes them into filters: `tcp.flags.syn == 1`.
    case 'bool':
      return value ? '1' : '0';
    default:
      // Integers (in the field's base: `eth.type == 0x0800`), addresses, relative times and floats
      // print the same way in a filter as in tshark's -T fields.
      return formatFieldValue(field, value);
  }
}
