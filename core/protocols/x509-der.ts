// A small, bounded DER reader (ITU-T X.690 §8, §10) and the label helpers the X.509 modules
// share (x509.ts, x509-names.ts, x509-extensions.ts). Nothing here throws on bad DER: a TLV
// that does not parse is `undefined` and ends the walk at that point.
import type { Dissection } from '../dissect/dissection';
import { registerField, type Field } from '../dissect/fields';
import { bytesToHex, escapeControl } from '../dissect/format';
import { oidLabel } from './x509-oids';

export interface Tlv {
  tag: number;
  /** Start of the TLV (its tag byte). */
  at: number;
  /** Start of the contents. */
  start: number;
  end: number;
}

/** Reads one TLV at `off` (definite lengths only, as DER requires), or undefined. */
export function readTlv(b: Uint8Array, off: number, limit: number = b.length): Tlv | undefined {
  if (off + 2 > limit) return undefined;
  const tag = b[off]!;
  if ((tag & 0x1f) === 0x1f) return undefined; // high tag numbers do not occur in certificates
  let len = b[off + 1]!;
  let at = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || at + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[at + i]!;
    at += n;
  }
  if (at + len > limit) return undefined;
  return { tag, at: off, start: at, end: at + len };
}

/** The TLVs directly inside `[start, end)`; at most `max` (bounds the work on bad input). */
export function children(b: Uint8Array, start: number, end: number, max = 256): Tlv[] {
  const out: Tlv[] = [];
  let off = start;
  while (off < end && out.length < max) {
    const t = readTlv(b, off, end);
    if (!t) break;
    out.push(t);
    off = t.end;
  }
  return out;
}

/** The contents of a TLV wrapping exactly one TLV (an explicit tag, an OCTET STRING holding DER). */
export function inner(b: Uint8Array, t: Tlv | undefined): Tlv | undefined {
  return t && readTlv(b, t.start, t.end);
}

/** OID text (X.690 §8.19), e.g. 2.5.4.3. */
export function oidText(b: Uint8Array, start: number, end: number): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = start; i < end && parts.length < 64; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      if (!parts.length) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** A non-negative INTEGER's value (X.690 §8.3) when it fits in 2^53, else NaN. */
export function intValue(b: Uint8Array, t: Tlv): number {
  if (t.end - t.start > 7) return NaN;
  let v = b[t.start]! & 0x80 ? -1 : 0;
  for (let i = t.start; i < t.end; i++) v = v * 256 + b[i]!;
  return v;
}

/** Tag numbers of the string types (X.680 §41). */
export const TAG_UTF8 = 0x0c;
export const TAG_PRINTABLE = 0x13;
export const TAG_TELETEX = 0x14;
export const TAG_IA5 = 0x16;
export const TAG_UNIVERSAL = 0x1c;
export const TAG_BMP = 0x1e;

/** GeneralizedTime (YYYYMMDDHHMMSS[.fff]Z, RFC 5280 §4.1.2.5.2) as nanoseconds since the epoch. */
export function generalizedTimeNs(d: Uint8Array, t: Tlv): bigint | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:[.,](\d{1,9}))?Z$/.exec(stringValue(d, t, TAG_IA5));
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (!Number.isFinite(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[7] ?? '').padEnd(9, '0') || '0');
}

const UNREPL = '\ufffd';

/** T.61 (ITU-T T.61 / ISO 6937) to Unicode, as Wireshark's get_t61_string (from OpenLDAP's
 * t61.c): 0 = not representable. 0xC1–0xCF are non-spacing accents that precede their base. */
const T61 = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 0xa0; i++) t[i] = i;
  for (const i of [0x23, 0x24, 0x5c, 0x5e, 0x60, 0x7b, 0x7d, 0x7e]) t[i] = 0;
  const high = [
    0x0a0, 0x0a1, 0x0a2, 0x0a3, 0x024, 0x0a5, 0x023, 0x0a7, 0x0a4, 0, 0, 0x0ab, 0, 0, 0, 0, 0x0b0, 0x0b1,
    0x0b2, 0x0b3, 0x0d7, 0x0b5, 0x0b6, 0x0b7, 0x0f7, 0, 0, 0x0bb, 0x0bc, 0x0bd, 0x0be, 0x0bf, 0, 0x300, 0x301,
    0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0, 0x30a, 0x327, 0x332, 0x30b, 0x328, 0x30c, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x2126, 0xc6, 0x0d0, 0x0aa, 0x126, 0, 0x132, 0x13f, 0x141, 0x0d8, 0x152,
    0x0ba, 0x0de, 0x166, 0x14a, 0x149, 0x138, 0x0e6, 0x111, 0x0f0, 0x127, 0x131, 0x133, 0x140, 0x142, 0x0f8,
    0x153, 0x0df, 0x0fe, 0x167, 0x14b, 0,
  ];
  high.forEach((v, i) => (t[0xa0 + i] = v));
  return t;
})();

/** Spacing forms of the accents, used when an accent ends the string or precedes a space. */
const T61_SPACING = [
  0, 0x60, 0xb4, 0x5e, 0x7e, 0xaf, 0x2d8, 0x2d9, 0xa8, 0, 0x2da, 0xb8, 0, 0x2dd, 0x2db, 0x2c7,
];

/** Wireshark composes an accent with a letter (0x41–0x5A, 0x61–0x7A, and Æ/æ for acute and
 * macron) when Unicode has the precomposed character; NFC finds exactly those. */
function t61Compose(accent: number, base: number): string | undefined {
  const row = base >> 5;
  const letter = (row === 2 || row === 3) && /[A-Za-z]/.test(String.fromCharCode(base));
  const ae = row === 7 && (base & 0x1f) === 1 && (accent === 0xc2 || accent === 0xc5);
  if (!letter && !ae) return undefined;
  const s = (String.fromCharCode(T61[base]!) + String.fromCharCode(T61[accent]!)).normalize('NFC');
  return s.length === 1 ? s : undefined;
}

export function t61String(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (!T61[c]) s += UNREPL;
    else if (i < b.length - 1 && (c & 0xf0) === 0xc0) {
      const next = b[i + 1]!;
      const spacing = T61_SPACING[c & 0x0f]!;
      // (An accent with no composite: the base is written first, taken as a code point.)
      if ((next === 0 || next === 0x20) && spacing) s += String.fromCharCode(spacing);
      else s += t61Compose(c, next) ?? String.fromCharCode(next) + String.fromCharCode(T61[c]!);
      i++;
    } else s += String.fromCharCode(T61[c]!);
  }
  return s;
}

/** A string value as tshark decodes it: UTF8String as UTF-8, BMPString as UCS-2,
 * UniversalString as UCS-4, TeletexString as T.61, the others (PrintableString, IA5String) as
 * ASCII with other bytes replaced. */
export function stringValue(b: Uint8Array, t: Tlv, tag = t.tag): string {
  const bytes = b.subarray(t.start, t.end);
  if (tag === TAG_UTF8) return new TextDecoder().decode(bytes);
  if (tag === TAG_TELETEX) return t61String(bytes);
  let s = '';
  if (tag === TAG_BMP || tag === TAG_UNIVERSAL) {
    const w = tag === TAG_BMP ? 2 : 4;
    for (let i = 0; i + w <= bytes.length; i += w) {
      let c = 0;
      for (let k = 0; k < w; k++) c = c * 256 + bytes[i + k]!;
      s += c <= 0x10ffff ? String.fromCodePoint(c) : UNREPL;
    }
    return s;
  }
  for (let i = 0; i < bytes.length; i++) s += bytes[i]! < 0x80 ? String.fromCharCode(bytes[i]!) : UNREPL;
  return s;
}

/** Raw bytes as Wireshark's format_text shows them in a label: UTF-8, control characters
 * escaped (`\n`, `\ooo`). The distinguished-name texts in labels are built this way. */
export function labelText(b: Uint8Array): string {
  const s = new TextDecoder().decode(b);
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c !== 0x7f) out += ch;
    else out += escapeControl(c);
  }
  return out;
}

/** Wireshark's label buffer holds 240 bytes with the NUL: longer labels are cut at 239 bytes
 * of UTF-8 (e.g. a long rdnSequence text). */
export function clampLabel(s: string): string {
  if (s.length <= 79) return s; // at most 3 bytes per UTF-16 unit
  const bytes = new TextEncoder().encode(s);
  if (bytes.length <= 239) return s;
  let cut = 239;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--; // not inside a character
  return new TextDecoder().decode(bytes.subarray(0, cut));
}

/** Bytes as a label shows them: the first 36 bytes in hex, then `…`. */
export function hexLabel(b: Uint8Array): string {
  return bytesToHex(b.subarray(0, 36)) + (b.length > 36 ? '…' : '');
}

/** `1 item` / `2 items`. */
export function items(n: number): string {
  return `${n} item${n === 1 ? '' : 's'}`;
}

/** The BER engine's item for a BIT STRING's unused-bits octet (X.690 §8.6.2.2). */
const padding = registerField({ abbrev: 'ber.bitstring.padding', name: 'Padding', type: 'uint8' });
const oidNotImplemented = registerField({
  abbrev: 'ber.error.oid_not_implemented',
  name: 'BER: Dissector for OID not implemented',
  type: 'none',
});

const NOT_IMPLEMENTED =
  'BER: Dissector for OID not implemented. Contact Wireshark developers if you want this supported';

/** tshark's BER engine on an OID it has no dissector for (an extension, an attribute type): a
 * text item over the value, and an
 * Undecoded warning (whose field, ber.error.oid_not_implemented, filters can ask for). */
export function notImplemented(p: Dissection, start: number, end: number): void {
  p.issue('expert', 'warn', NOT_IMPLEMENTED, start, end, 'Undecoded');
  const item = p.addText(NOT_IMPLEMENTED, start, end - start);
  p.open(item);
  const ex = p.addText(`[Expert Info (Warning/Undecoded): ${NOT_IMPLEMENTED}]`, start, 0);
  if (ex) {
    ex.generated = true;
    ex.severity = 'warn';
  }
  p.open(ex);
  const node = p.add(oidNotImplemented, start, 0, undefined, `[${NOT_IMPLEMENTED}]`);
  if (node) node.generated = true;
  for (const text of ['[Severity level: Warning]', '[Group: Undecoded]']) {
    const t = p.addText(text, start, 0);
    if (t) t.generated = true;
  }
  p.close(ex);
  p.close(item);
}

/** `oid` of an OBJECT IDENTIFIER TLV, added as `f` with its `Name: oid (name)` label. */
export function addOid(p: Dissection, f: Field, t: Tlv, prefix: string = f.name): string {
  const oid = oidText(p.data, t.start, t.end);
  p.add(f, t.start, t.end - t.start, oid, p.tree ? `${prefix}: ${oidLabel(oid)}` : undefined);
  return oid;
}

/** A BIT STRING: its padding octet as tshark shows it, then the bits as `f`. */
export function addBitString(
  p: Dissection,
  f: Field,
  t: Tlv,
  showPadding = true,
): ReturnType<Dissection['add']> {
  if (t.end <= t.start) return undefined;
  if (showPadding) p.add(padding, t.start, 1);
  const bits = p.data.subarray(t.start + 1, t.end);
  return p.add(f, t.start + 1, bits.length, bits, p.tree ? `${f.name}: ${hexLabel(bits)}` : undefined);
}
