// DNS names (RFC 1035 §3.1, §4.1.4): length-prefixed labels ending in a zero byte, or in a
// two-byte pointer (top bits 11) to an earlier name in the message. The bytes walked are
// bounded by the message length, so a pointer loop in a hostile packet ends (as Wireshark
// shows it) instead of hanging.
import type { Dissection } from '../dissect/dissection';

/** Wireshark's MAX_DNAME_LEN: longer names are shown as `<Name too long>`. */
const MAX_NAME_TEXT = 255;

export const NAME_TOO_LONG = '<Name too long>';
export const NAME_LOOPS = '<Name contains a pointer that loops>';

export interface DnsName {
  /** Dotted text as Wireshark shows it (`<Root>` for the root). */
  text: string;
  /** Bytes the name occupies where it starts (up to and including a first pointer). */
  len: number;
  /** Number of labels (1 for the `<…>` placeholders, as Wireshark counts them). */
  labels: number;
}

/**
 * Reads the name at `off`; pointers are offsets from `msgStart`. As Wireshark's get_dns_name:
 * once the bytes walked reach the message length the name "contains a pointer that loops";
 * text beyond 255 characters becomes `<Name too long>` (the wire length is still walked, so
 * the fields after the name are found). Throws a BoundsError past the layer's end and on a
 * reserved label type.
 */
export function readName(p: Dissection, off: number, msgStart: number): DnsName {
  const msgLen = Math.max(1, Math.min(p.end, p.data.length) - msgStart);
  let pos = off;
  let len = -1;
  let processed = 0;
  let labels = 0;
  let text = '';
  let tooLong = false;
  for (;;) {
    const b = p.u8(pos);
    if (b === 0) {
      if (len < 0) len = pos + 1 - off;
      break;
    }
    const kind = b & 0xc0;
    if (kind === 0xc0) {
      const target = msgStart + (((b & 0x3f) << 8) | p.u8(pos + 1));
      if (len < 0) len = pos + 2 - off;
      processed += 2;
      if (processed >= msgLen) return { text: NAME_LOOPS, len, labels: 1 };
      pos = target;
      continue;
    }
    if (kind !== 0) throw new DnsNameError(`Unsupported label type 0x${b.toString(16)}`);
    const bytes = p.bytes(pos + 1, b);
    processed += 1 + b;
    if (processed >= msgLen && len >= 0) return { text: NAME_LOOPS, len, labels: 1 };
    if (!tooLong) {
      if (text.length + (labels ? 1 : 0) + b > MAX_NAME_TEXT) tooLong = true;
      else {
        if (labels) text += '.';
        text += labelText(bytes);
        labels++;
      }
    }
    pos += 1 + b;
  }
  if (tooLong) return { text: NAME_TOO_LONG, len, labels: 1 };
  return { text: labels ? text : '<Root>', len, labels };
}

export class DnsNameError extends Error {}

/** Printable ASCII as is; other bytes as `\xNN` (Wireshark's format_text escapes). */
function labelText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}

/** Encodes a dotted name as labels ending in the root (no compression). */
export function encodeName(name: string): number[] {
  const out: number[] = [];
  if (name !== '' && name !== '.' && name !== '<Root>') {
    for (const label of name.replace(/\.$/, '').split('.')) {
      const bytes = Array.from(label, (c) => c.charCodeAt(0) & 0xff);
      if (bytes.length === 0 || bytes.length > 63) throw new RangeError(`bad DNS label in ${name}`);
      out.push(bytes.length, ...bytes);
    }
  }
  out.push(0);
  return out;
}
