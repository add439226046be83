// A small, bounded DER reader (ITU-T X.690 §8, §10) and the label helpers the X.509 modules
// share (x509.ts, x509-names.ts, x509-extensions.ts). Nothing here throws on bad DER: a TLV
// that does not parse is `undefined` and ends the walk at that point.
import type { Dissection } from '../dissect/dissection';
import { registerField, type Field } from '../dissect/fields';
import { bytesToHex } from '../dissect/format';
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

/** A string value: UTF8String as UTF-8, BMPString as UCS-2, UniversalString as UCS-4, the
 * others (PrintableString, IA5String, TeletexString) byte by byte. */
export function stringValue(b: Uint8Array, t: Tlv, tag = t.tag): string {
  const bytes = b.subarray(t.start, t.end);
  if (tag === TAG_UTF8) return new TextDecoder().decode(bytes);
  let s = '';
  if (tag === TAG_BMP || tag === TAG_UNIVERSAL) {
    const w = tag === TAG_BMP ? 2 : 4;
    for (let i = 0; i + w <= bytes.length; i += w) {
      let c = 0;
      for (let k = 0; k < w; k++) c = c * 256 + bytes[i + k]!;
      s += c <= 0x10ffff ? String.fromCodePoint(c) : '\ufffd';
    }
    return s;
  }
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
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
