// Follow Stream's views of one chunk of stream data, as Wireshark's Follow dialog shows them:
// ASCII (non-printable bytes as dots, line breaks kept), hex dump, raw hex and C arrays.
import { asciiChar, hexByte } from '../../util/format';

export type StreamView = 'ascii' | 'hex' | 'raw' | 'carray' | 'yaml';

export function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b === 0x0a || b === 0x0d || b === 0x09 ? String.fromCharCode(b) : asciiChar(b);
  return s;
}

/** Hex dump lines as tshark's `follow,tcp,hex` and Wireshark's Follow dialog write them: offset,
 * two groups of 8 bytes, two spaces, the ASCII in two groups of 8. `offset` is where the chunk
 * starts in its direction's byte count; the server's lines are indented by 4 spaces, as Wireshark
 * does, so the two directions stay apart when pasted. */
export function hexDumpText(bytes: Uint8Array, offset: number, indent: boolean): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hex = Array.from(row, hexByte);
    const hexPart = [hex.slice(0, 8).join(' '), hex.slice(8).join(' ')].filter(Boolean).join('  ');
    const ascii = Array.from(row, asciiChar).join('');
    const asciiPart = ascii.length > 8 ? `${ascii.slice(0, 8)} ${ascii.slice(8)}` : ascii;
    lines.push(
      `${indent ? '    ' : ''}${(offset + i).toString(16).padStart(8, '0')}  ${hexPart.padEnd(48, ' ')}  ${asciiPart}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function rawText(bytes: Uint8Array): string {
  return Array.from(bytes, hexByte).join('') + '\n';
}

/** `char peer0_3[] = { /* Packet 8 *\/ 0x48, … };` as Wireshark's C Arrays view. */
export function cArrayText(bytes: Uint8Array, peer: number, index: number, frame: number): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 8)
    lines.push(
      Array.from(bytes.subarray(i, i + 8), (b) => `0x${hexByte(b)}`).join(', ') +
        (i + 8 < bytes.length ? ',' : ' };'),
    );
  return `char peer${peer}_${index}[] = { /* Packet ${frame} */\n${lines.join('\n')}\n`;
}

/** Splits `text` around the case-insensitive occurrences of `query` (Find). */
export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  if (!query) return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(q); at >= 0; at = lower.indexOf(q, at + q.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + q.length), match: true });
    from = at + q.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}
