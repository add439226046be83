// DNS names (RFC 1035 §3.1, §4.1.4): length-prefixed labels ending in a zero byte, or in a
// two-byte pointer (top bits 11) to an earlier name in the message. Pointers are followed a
// bounded number of times, so a pointer loop in a hostile packet ends as a malformed mark.
import type { Dissection } from '../dissect/dissection';

/** More jumps than any legal name needs (a name has at most 127 labels). */
const MAX_POINTER_JUMPS = 128;
/** RFC 1035 §2.3.4: 255 octets on the wire; leave room for escapes in the text. */
const MAX_NAME_TEXT = 1024;

export interface DnsName {
  /** Dotted text as Wireshark shows it (`<Root>` for the root). */
  text: string;
  /** Bytes the name occupies where it starts (up to and including a first pointer). */
  len: number;
  /** Number of labels. */
  labels: number;
}

export class DnsNameError extends Error {}

/** Reads the name at `off`; pointers are offsets from `msgStart`. Throws a BoundsError past the
 * layer's end and a DnsNameError for loops or reserved label types. */
export function readName(p: Dissection, off: number, msgStart: number): DnsName {
  let pos = off;
  let len = -1;
  let jumps = 0;
  let labels = 0;
  let text = '';
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
      if (++jumps > MAX_POINTER_JUMPS) throw new DnsNameError('Name contains a pointer that loops');
      pos = target;
      continue;
    }
    if (kind !== 0) throw new DnsNameError(`Unsupported label type 0x${b.toString(16)}`);
    const bytes = p.bytes(pos + 1, b);
    if (labels) text += '.';
    text += labelText(bytes);
    labels++;
    if (text.length > MAX_NAME_TEXT) throw new DnsNameError('Name too long');
    pos += 1 + b;
  }
  return { text: labels ? text : '<Root>', len, labels };
}

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
