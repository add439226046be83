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

/** What a walk from one position yields: the name text from there on (kept only while it
 * can still fit), its full length and label count, and the bytes walked until the terminating
 * zero (Infinity when the walk runs in a circle). */
interface Suffix {
  text: string;
  textLen: number;
  labels: number;
  dist: number;
}

/** Walk results by position for the message being decoded: every name in a message shares
 * them, so hostile pointer chains cost O(message length) per message, not per name. */
let memoData: Uint8Array | undefined;
let memoStart = -1;
let memoEnd = -1;
const memo = new Map<number, Suffix>();

/** Forgets the walks of the previous message (call once per message: buffers are reused). */
export function resetNameMemo(): void {
  memoData = undefined;
  memo.clear();
}

function memoFor(p: Dissection, msgStart: number): Map<number, Suffix> {
  if (memoData !== p.data || memoStart !== msgStart || memoEnd !== p.end) {
    memoData = p.data;
    memoStart = msgStart;
    memoEnd = p.end;
    memo.clear();
  }
  return memo;
}

const ON_STACK: Suffix = { text: '', textLen: 0, labels: 0, dist: Infinity };

/** The suffix at `pos`, walking iteratively and filling the memo for every position passed. */
function suffixAt(p: Dissection, pos: number, msgStart: number, table: Map<number, Suffix>): Suffix {
  // Each step: a label at `at` (its text, 1 + length bytes) or a pointer at `at` (2 bytes).
  const steps: { at: number; label?: string; size: number }[] = [];
  let tail: Suffix | undefined;
  for (;;) {
    const known = table.get(pos);
    if (known) {
      // A position still on the stack: the walk came back to itself.
      tail = known === ON_STACK ? { text: '', textLen: 0, labels: 0, dist: Infinity } : known;
      break;
    }
    const b = p.u8(pos);
    if (b === 0) {
      tail = { text: '', textLen: 0, labels: 0, dist: 0 };
      table.set(pos, tail);
      break;
    }
    const kind = b & 0xc0;
    table.set(pos, ON_STACK);
    if (kind === 0xc0) {
      steps.push({ at: pos, size: 2 });
      pos = msgStart + (((b & 0x3f) << 8) | p.u8(pos + 1));
      continue;
    }
    if (kind !== 0) {
      for (const st of steps) table.delete(st.at);
      table.delete(pos);
      throw new DnsNameError(`Unsupported label type 0x${b.toString(16)}`);
    }
    steps.push({ at: pos, label: labelText(p.bytes(pos + 1, b)), size: 1 + b });
    pos += 1 + b;
  }
  for (let k = steps.length - 1; k >= 0; k--) {
    const st = steps[k]!;
    let next: Suffix;
    if (st.label === undefined) {
      next = { ...tail, dist: tail.dist + st.size };
    } else {
      const textLen = st.label.length + (tail.labels ? 1 + tail.textLen : 0);
      const text = textLen <= MAX_NAME_TEXT ? (tail.labels ? `${st.label}.${tail.text}` : st.label) : '';
      next = { text, textLen, labels: tail.labels + 1, dist: tail.dist + st.size };
    }
    table.set(st.at, next);
    tail = next;
  }
  return tail;
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
  // Bytes the name occupies here: labels up to the terminating zero or the first pointer.
  let pos = off;
  for (;;) {
    const b = p.u8(pos);
    if (b === 0) {
      pos += 1;
      break;
    }
    if ((b & 0xc0) === 0xc0) {
      p.u8(pos + 1);
      pos += 2;
      break;
    }
    if (b & 0xc0) throw new DnsNameError(`Unsupported label type 0x${b.toString(16)}`);
    pos += 1 + b;
  }
  const len = pos - off;
  const s = suffixAt(p, off, msgStart, memoFor(p, msgStart));
  // The loop check counts the bytes walked, as Wireshark's chars_processed.
  if (s.dist >= msgLen) return { text: NAME_LOOPS, len, labels: 1 };
  if (s.textLen > MAX_NAME_TEXT) return { text: NAME_TOO_LONG, len, labels: 1 };
  // Wireshark counts the root as one label.
  return { text: s.labels ? s.text : '<Root>', len, labels: Math.max(1, s.labels) };
}

export class DnsNameError extends Error {
  constructor(message: string) {
    // Control flow for a reserved label type, caught by the message decoder (hostile or
    // non-DNS payloads on port 53 raise it per packet): no stack trace to capture.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
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
