// Where a completion goes: the word being typed at the cursor (a field name, a function or a
// value), which the chosen completion replaces. Pure, so it is tested without Monaco.

/** Characters that end a word in the filter language: blanks, operators and brackets. `.`, `-`,
 * `:` and `/` belong to words (`tcp.flags.syn`, `frame.len-60`, `aa:bb`, `10.0.0.0/8`). */
const WORD_BREAKS = new Set([...' \t()[]{}!=<>&|^~,#$+*%']);

/** The start (0-based) of the word that ends at `cursor` in `text`; a `"` opens a string word. */
export function completionWordStart(text: string, cursor: number): number {
  let start = Math.min(cursor, text.length);
  while (start > 0 && !WORD_BREAKS.has(text[start - 1]!)) {
    if (text[start - 1] === '"') return start - 1;
    start--;
  }
  return start;
}

/** Text is one line in the bar: pasted line breaks become spaces. */
export function singleLine(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ');
}
