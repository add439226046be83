// The display-filter scanner (Wireshark 4.0's epan/dfilter/scanner.l, re-derived): punctuation,
// comparison and logical operators in their symbol and word forms, quoted strings with C escapes
// and raw strings, character constants, slice bodies `[...]`, layer numbers `#2`, field
// references `${...}`, and "words": Wireshark does not tell field names from literals while
// scanning, so `ip.src`, `10.0.0.0/8`, `aa:bb:cc`, `2001:db8::1` and `frame.len-60` are all one
// word, resolved later against the field registry (which is why `A-B` needs a space to subtract).
import { FilterError } from './errors';

export type TokenKind =
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'lbrace'
  | 'rbrace'
  | 'dotdot'
  | 'slice' // a whole `[...]`: text holds the inside
  | 'hash' // `#N` or `#[...]`: text holds N or the bracket body
  | 'ref' // `${field}`: text holds the field name
  | 'cmp' // text: any_eq all_ne all_eq any_ne gt ge lt le contains matches
  | 'in'
  | 'not'
  | 'and'
  | 'or'
  | 'xor'
  | 'any'
  | 'all'
  | 'arith' // text: + - * / % &
  | 'string' // text: the decoded value
  | 'char' // value: the character code
  | 'word'
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** Character constants: the code. */
  value?: number;
  /** Strings: `r"…"`. */
  raw?: boolean;
  /** The operator was written in a deprecated spelling (`~=`). */
  deprecated?: boolean;
  /** Layer `#[…]` written with brackets. */
  bracket?: boolean;
}

/** Longest input the scanner accepts (the filter bar's own limit is far below). */
export const MAX_FILTER_LENGTH = 65536;

const WORD_OPERATORS: Record<string, [TokenKind, string]> = {
  eq: ['cmp', 'any_eq'],
  any_eq: ['cmp', 'any_eq'],
  ne: ['cmp', 'all_ne'],
  all_ne: ['cmp', 'all_ne'],
  all_eq: ['cmp', 'all_eq'],
  any_ne: ['cmp', 'any_ne'],
  gt: ['cmp', 'gt'],
  ge: ['cmp', 'ge'],
  lt: ['cmp', 'lt'],
  le: ['cmp', 'le'],
  contains: ['cmp', 'contains'],
  matches: ['cmp', 'matches'],
  in: ['in', 'in'],
  not: ['not', 'not'],
  and: ['and', 'and'],
  or: ['or', 'or'],
  xor: ['xor', 'xor'],
  any: ['any', 'any'],
  all: ['all', 'all'],
  bitwise_and: ['arith', '&'],
  bitand: ['arith', '&'],
};

// Symbols, longest first.
const SYMBOLS: [string, TokenKind, string][] = [
  ['===', 'cmp', 'all_eq'],
  ['!==', 'cmp', 'any_ne'],
  ['==', 'cmp', 'any_eq'],
  ['!=', 'cmp', 'all_ne'],
  ['~=', 'cmp', 'any_ne'],
  ['>=', 'cmp', 'ge'],
  ['<=', 'cmp', 'le'],
  ['&&', 'and', 'and'],
  ['||', 'or', 'or'],
  ['^^', 'xor', 'xor'],
  ['..', 'dotdot', '..'],
  ['>', 'cmp', 'gt'],
  ['<', 'cmp', 'lt'],
  ['~', 'cmp', 'matches'],
  ['!', 'not', 'not'],
  ['(', 'lparen', '('],
  [')', 'rparen', ')'],
  [',', 'comma', ','],
  ['{', 'lbrace', '{'],
  ['}', 'rbrace', '}'],
  ['+', 'arith', '+'],
  ['-', 'arith', '-'],
  ['*', 'arith', '*'],
  ['/', 'arith', '/'],
  ['%', 'arith', '%'],
  ['&', 'arith', '&'],
];

const isWordStart = (c: string): boolean => /[A-Za-z0-9_:]/.test(c);
const isWordChar = (c: string): boolean => /[A-Za-z0-9_:/\-.]/.test(c);

const SIMPLE_ESCAPES: Record<string, string> = {
  "'": "'",
  '"': '"',
  '\\': '\\',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

export function tokenize(src: string): Token[] {
  if (src.length > MAX_FILTER_LENGTH)
    throw new FilterError(`The filter is longer than ${MAX_FILTER_LENGTH} characters.`, 0, src.length);
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    // Strings: "…" and r"…".
    if (c === '"' || ((c === 'r' || c === 'R') && src[i + 1] === '"')) {
      const raw = c !== '"';
      i += raw ? 2 : 1;
      let value = '';
      for (;;) {
        if (i >= n) throw new FilterError('The final quote was missing from a quoted string.', start, n);
        const d = src[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d !== '\\') {
          // Strings are byte strings (as packet strings are): non-ASCII text becomes its UTF-8 bytes.
          const cp = src.codePointAt(i)!;
          value += cp < 0x80 ? d : String.fromCharCode(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
          i += cp > 0xffff ? 2 : 1;
          continue;
        }
        const e = src[i + 1];
        if (e === undefined)
          throw new FilterError('The final quote was missing from a quoted string.', start, n);
        if (raw) {
          // Raw strings keep the backslash; `\"` still does not end the string.
          value += '\\' + e;
          i += 2;
          continue;
        }
        const esc = readEscape(src, i, start);
        value += esc.text;
        i = esc.next;
      }
      out.push({ kind: 'string', text: value, start, end: i, raw });
      continue;
    }
    // Character constants: 'a', '\n', '\x0a', '\012'.
    if (c === "'") {
      i++;
      let body = '';
      while (i < n && src[i] !== "'") {
        if (src[i] === '\\' && i + 1 < n) {
          body += src[i]! + src[i + 1]!;
          i += 2;
        } else body += src[i++]!;
      }
      if (i >= n) throw new FilterError('The final quote was missing from a character constant.', start, n);
      i++;
      let code: number | undefined;
      if (body.length === 1) code = body.charCodeAt(0);
      else if (body.startsWith('\\')) {
        const esc = readEscape(body, 0, 0);
        if (esc.next === body.length && esc.text.length === 1) code = esc.text.charCodeAt(0);
      }
      if (code === undefined || code > 0xff)
        throw new FilterError(`${src.slice(start, i)} is not a valid character constant.`, start, i);
      out.push({ kind: 'char', text: src.slice(start, i), start, end: i, value: code });
      continue;
    }
    // Slices: everything up to `]` is the slice body (Wireshark's RANGE start condition).
    if (c === '[') {
      const close = src.indexOf(']', i + 1);
      if (close < 0) throw new FilterError('The right bracket was missing from a slice.', start, n);
      out.push({ kind: 'slice', text: src.slice(i + 1, close), start, end: close + 1 });
      i = close + 1;
      continue;
    }
    // Layers: #2, #[1-2].
    if (c === '#') {
      i++;
      if (src[i] === '[') {
        const close = src.indexOf(']', i + 1);
        if (close < 0) throw new FilterError('The right bracket was missing from a slice.', start, n);
        out.push({ kind: 'hash', text: src.slice(i + 1, close), start, end: close + 1, bracket: true });
        i = close + 1;
        continue;
      }
      let j = i;
      while (j < n && src[j]! >= '0' && src[j]! <= '9') j++;
      if (j === i) {
        if (i >= n) throw new FilterError('The layer number or range was missing.', start, n);
        throw new FilterError(`Expected digit or "[", not "${src[i]}"`, i, i + 1);
      }
      out.push({ kind: 'hash', text: src.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    // Field references: ${ip.src}.
    if (c === '$' && src[i + 1] === '{') {
      const close = src.indexOf('}', i + 2);
      if (close < 0) throw new FilterError('The right brace was missing from a field reference.', start, n);
      out.push({ kind: 'ref', text: src.slice(i + 2, close).trim(), start, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      // A word never contains "..": `1..3` is a range of two words.
      while (j < n && isWordChar(src[j]!) && !(src[j] === '.' && src[j + 1] === '.')) j++;
      // A trailing '.' before '..' stays out too (`10.0.0.1...`) — and a lone trailing dot
      // belongs to nothing, so keep it in the word for the error message.
      const text = src.slice(i, j);
      const op = WORD_OPERATORS[text];
      if (op) out.push({ kind: op[0], text: op[1], start, end: j });
      else out.push({ kind: 'word', text, start, end: j });
      i = j;
      continue;
    }
    const sym = SYMBOLS.find(([s]) => src.startsWith(s, i));
    if (sym) {
      const t: Token = { kind: sym[1], text: sym[2], start, end: i + sym[0].length };
      if (sym[0] === '~=') t.deprecated = true;
      out.push(t);
      i += sym[0].length;
      continue;
    }
    throw new FilterError(`"${c}" was unexpected in this context.`, start, start + 1);
  }
  out.push({ kind: 'eof', text: '', start: n, end: n });
  return out;
}

/** One escape sequence at `s[i] === '\\'`: its text and where scanning continues. */
function readEscape(s: string, i: number, tokenStart: number): { text: string; next: number } {
  const e = s[i + 1]!;
  if (e in SIMPLE_ESCAPES) return { text: SIMPLE_ESCAPES[e]!, next: i + 2 };
  if (e >= '0' && e <= '7') {
    let j = i + 1;
    while (j < s.length && j < i + 4 && s[j]! >= '0' && s[j]! <= '7') j++;
    const v = parseInt(s.slice(i + 1, j), 8);
    if (v > 0xff)
      throw new FilterError(`${s.slice(i, j)} is larger than 255.`, tokenStart + i, tokenStart + j);
    return { text: String.fromCharCode(v), next: j };
  }
  if (e === 'x') {
    const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 2));
    if (!m) throw new FilterError(`\\x has no hex digits.`, tokenStart + i, tokenStart + i + 2);
    return { text: String.fromCharCode(parseInt(m[0], 16)), next: i + 2 + m[0].length };
  }
  if (e === 'u' || e === 'U') {
    const digits = e === 'u' ? 4 : 8;
    const m = new RegExp(`^[0-9a-fA-F]{${digits}}`).exec(s.slice(i + 2));
    const cp = m ? parseInt(m[0], 16) : NaN;
    if (!m || cp > 0x10ffff)
      throw new FilterError(
        `${s.slice(i, i + 2 + digits)} is not a valid universal character name.`,
        tokenStart + i,
        tokenStart + i + 2 + digits,
      );
    // Wireshark stores strings as UTF-8; a code point above 0x7f becomes its UTF-8 bytes.
    const utf8 = Buffer.from(String.fromCodePoint(cp), 'utf8');
    return { text: String.fromCharCode(...utf8), next: i + 2 + digits };
  }
  throw new FilterError(`\\${e} is not a valid escape sequence.`, tokenStart + i, tokenStart + i + 2);
}
