// The display-filter language for Monaco's Monarch tokenizer: what to colour, not what is valid
// (the engine's checkFilter says that). Token classes follow the wireshark-filter(4) manual page:
// field and protocol names, comparison / logical / arithmetic operators in symbol and word forms,
// literals (numbers, addresses, byte strings, strings and raw strings, character constants),
// functions, field references `${ip.src}` and layer numbers `ip.addr#2`.
import type { languages } from 'monaco-editor/editor/editor.api.js';

export const FILTER_LANGUAGE_ID = 'wireshark-filter';

/** Word operators: comparisons, logic, membership and the `any`/`all` quantifiers. */
export const WORD_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'any_eq',
  'all_ne',
  'all_eq',
  'any_ne',
  'contains',
  'matches',
  'in',
  'and',
  'or',
  'xor',
  'not',
  'any',
  'all',
  'bitwise_and',
  'bitand',
];

/** Display-filter functions of Wireshark 4.x. */
export const FUNCTIONS = [
  'len',
  'count',
  'upper',
  'lower',
  'string',
  'vals',
  'dec',
  'hex',
  'float',
  'double',
  'max',
  'min',
  'abs',
  'ip_rfc1918',
  'ip_linklocal',
  'ip_multicast',
  'ip_special_name',
  'ip_special_mask',
];

export const filterTokens: languages.IMonarchLanguage = {
  defaultToken: 'invalid',
  ignoreCase: false,
  wordOperators: WORD_OPERATORS,
  functions: FUNCTIONS,
  tokenizer: {
    root: [
      [/\s+/, 'white'],
      // Field references: `${ip.src}` (and the older `$ip.src`).
      [/\$\{[^}]*\}?/, 'variable'],
      [/\$[A-Za-z_][\w.-]*/, 'variable'],
      // Layer operator: `ip.addr#2`, `ip.addr#[1-2]`.
      [/#\[[^\]]*\]?|#\d+/, 'annotation'],
      // Raw strings, then strings with C escapes.
      [/r"/, { token: 'string.quote', next: '@rawString' }],
      [/"/, { token: 'string.quote', next: '@string' }],
      [/'(?:\\.|[^'\\])*'/, 'string.char'],
      // Operators, longest first.
      [/===|!==|==|!=|<=|>=|&&|\|\||\^\^|~=|[<>!~&|^+*/%-]/, 'operator'],
      [/\.\./, 'operator'],
      [/[()]/, '@brackets'],
      [/[{}]/, '@brackets'],
      [/\[[^\]]*\]?/, 'number.slice'],
      [/,/, 'delimiter'],
      // Byte strings, MAC and IPv6 addresses (colon or dash separated hex), then IPv4 / CIDR and numbers.
      [/[0-9A-Fa-f]{1,4}(?:[:-][0-9A-Fa-f]{0,4}){2,}(?:\/\d+)?/, 'number.address'],
      [/[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+/, 'number.address'],
      [/::[0-9A-Fa-f:.]*(?:\/\d+)?/, 'number.address'],
      [/\d+\.\d+\.\d+\.\d+(?:\/\d+)?/, 'number.address'],
      [/0[xX][0-9A-Fa-f]+/, 'number.hex'],
      [/\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
      // Names: a word operator, a function (followed by `(`), or a field / protocol name.
      [
        /[A-Za-z_][\w-]*(?:\.[\w-]+)*(?=\s*\()/,
        { cases: { '@functions': 'predefined.function', '@default': 'invalid.function' } },
      ],
      [/[A-Za-z_][\w-]*(?:\.[\w-]+)*/, { cases: { '@wordOperators': 'keyword', '@default': 'type.field' } }],
    ],
    string: [
      [/[^\\"]+/, 'string'],
      [/\\./, 'string.escape'],
      [/"/, { token: 'string.quote', next: '@pop' }],
    ],
    rawString: [
      [/[^"]+/, 'string'],
      [/"/, { token: 'string.quote', next: '@pop' }],
    ],
  },
};

export const filterLanguageConfiguration: languages.LanguageConfiguration = {
  brackets: [
    ['(', ')'],
    ['{', '}'],
    ['[', ']'],
  ],
  autoClosingPairs: [
    { open: '(', close: ')' },
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '"', close: '"', notIn: ['string'] },
  ],
  // Field names contain dots and dashes: `tcp.analysis.ack_rtt`, `frame.len-60` is one word too.
  wordPattern: /[A-Za-z0-9_][\w.:-]*/,
};
