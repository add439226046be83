// Recursive-descent parser for the display-filter grammar (Wireshark 4.0's grammar.lemon):
//   or < xor < and < not < comparison / membership < & < + - < * / % < unary minus < slice.
// `xor`/`^^` is accepted as a Wirelens extension (Wireshark adds it after 4.0). Parentheses group
// tests, braces group arithmetic. Depth is bounded so hostile input cannot exhaust the stack.
import type { CmpOp, LayerSpec, SetItem, SliceRange, TestNode, ValueNode } from './ast';
import { FilterError } from './errors';
import { tokenize, type Token } from './lexer';

/** Deepest nesting of parentheses, braces, `not` and operators the parser follows. */
export const MAX_DEPTH = 200;

export function parseFilter(src: string): TestNode | null {
  const tokens = tokenize(src);
  if (tokens.length === 1) return null; // empty: matches everything
  const p = new Parser(tokens);
  const t = p.test();
  p.expectEnd();
  return t;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    return this.tokens[this.i]!;
  }
  private peek(): Token['kind'] {
    return this.tokens[this.i]!.kind;
  }
  private next(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private unexpected(t: Token = this.tok): never {
    if (t.kind === 'eof') throw new FilterError('Unexpected end of filter expression.', t.start, t.end);
    const text = t.kind === 'string' ? `"${t.text}"` : t.kind === 'slice' ? '[' : tokenText(t);
    throw new FilterError(`"${text}" was unexpected in this context.`, t.start, t.end);
  }
  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH)
      throw new FilterError(`The filter nests deeper than ${MAX_DEPTH} levels.`, t.start, t.end);
  }
  private leave(): void {
    this.depth--;
  }

  expectEnd(): void {
    if (this.tok.kind !== 'eof') this.unexpected();
  }

  test(): TestNode {
    this.enter(this.tok);
    let a = this.xorExpr();
    while (this.tok.kind === 'or') {
      this.next();
      const b = this.xorExpr();
      a = { k: 'or', a, b, start: a.start, end: b.end };
    }
    this.leave();
    return a;
  }

  private xorExpr(): TestNode {
    let a = this.andExpr();
    while (this.tok.kind === 'xor') {
      this.next();
      const b = this.andExpr();
      a = { k: 'xor', a, b, start: a.start, end: b.end };
    }
    return a;
  }

  private andExpr(): TestNode {
    let a = this.notExpr();
    while (this.tok.kind === 'and') {
      this.next();
      const b = this.notExpr();
      a = { k: 'and', a, b, start: a.start, end: b.end };
    }
    return a;
  }

  private notExpr(): TestNode {
    if (this.tok.kind === 'not') {
      const t = this.next();
      this.enter(t);
      const a = this.notExpr();
      this.leave();
      return { k: 'not', a, start: t.start, end: a.end };
    }
    return this.relation();
  }

  private relation(): TestNode {
    const first = this.tok;
    if (first.kind === 'lparen') {
      this.next();
      const t = this.test();
      if (this.tok.kind !== 'rparen') this.unexpected();
      const close = this.next();
      return { ...t, start: first.start, end: close.end } as TestNode;
    }
    let quant: 'any' | 'all' | undefined;
    if (first.kind === 'any' || first.kind === 'all') {
      quant = first.kind;
      this.next();
    }
    const a = this.value();
    const t = this.tok;
    if (t.kind === 'cmp') {
      this.next();
      const b = this.value();
      let op = t.text as CmpOp;
      if (quant === 'all' && op === 'any_eq') op = 'all_eq';
      if (quant === 'any' && op === 'all_ne') op = 'any_ne';
      const node: TestNode = {
        k: 'cmp',
        op,
        a,
        b,
        start: first.start,
        end: b.end,
        opStart: t.start,
        opEnd: t.end,
        opText: tokenTextRaw(t),
      };
      if (quant) node.quant = quant;
      if (t.deprecated) node.deprecated = true;
      return node;
    }
    if (t.kind === 'in' || (t.kind === 'not' && this.tokens[this.i + 1]?.kind === 'in')) {
      const negated = t.kind === 'not';
      if (negated) this.next();
      this.next();
      const { items, end } = this.set();
      const node: TestNode = { k: 'in', a, items, negated, start: first.start, end };
      if (quant) node.quant = quant;
      return node;
    }
    if (quant) this.unexpected();
    return { k: 'exists', v: a, start: a.start, end: a.end };
  }

  private set(): { items: SetItem[]; end: number } {
    if (this.tok.kind !== 'lbrace') this.unexpected();
    this.next();
    const items: SetItem[] = [];
    for (;;) {
      const lo = this.value();
      const item: SetItem = { lo };
      if (this.peek() === 'dotdot') {
        this.next();
        item.hi = this.value();
      }
      items.push(item);
      if (this.peek() === 'comma') {
        this.next();
        continue;
      }
      if (this.peek() === 'rbrace') return { items, end: this.next().end };
      this.unexpected();
    }
  }

  value(): ValueNode {
    let a = this.sum();
    while (this.tok.kind === 'arith' && this.tok.text === '&') {
      const op = this.next();
      const b = this.sum();
      a = { k: 'arith', op: '&', a, b, start: a.start, end: b.end, opStart: op.start };
    }
    return a;
  }

  private sum(): ValueNode {
    let a = this.product();
    while (this.tok.kind === 'arith' && (this.tok.text === '+' || this.tok.text === '-')) {
      const op = this.next();
      const b = this.product();
      a = { k: 'arith', op: op.text as '+' | '-', a, b, start: a.start, end: b.end, opStart: op.start };
    }
    return a;
  }

  private product(): ValueNode {
    let a = this.unary();
    while (
      this.tok.kind === 'arith' &&
      (this.tok.text === '*' || this.tok.text === '/' || this.tok.text === '%')
    ) {
      const op = this.next();
      const b = this.unary();
      a = { k: 'arith', op: op.text as '*' | '/' | '%', a, b, start: a.start, end: b.end, opStart: op.start };
    }
    return a;
  }

  private unary(): ValueNode {
    const t = this.tok;
    if (t.kind === 'arith' && (t.text === '-' || t.text === '+')) {
      this.next();
      this.enter(t);
      const a = this.unary();
      this.leave();
      return t.text === '-' ? { k: 'neg', a, start: t.start, end: a.end } : a;
    }
    let v = this.primary();
    while (this.tok.kind === 'slice') {
      const s = this.next();
      v = { k: 'slice', of: v, ranges: parseSliceBody(s.text, s.start + 1), start: v.start, end: s.end };
    }
    return v;
  }

  private primary(): ValueNode {
    const t = this.tok;
    switch (t.kind) {
      case 'word': {
        this.next();
        if (this.tok.kind === 'lparen') return this.call(t);
        const node: ValueNode = { k: 'word', text: t.text, start: t.start, end: t.end };
        if (this.tok.kind === 'hash') {
          const h = this.next();
          node.layer = parseLayer(h);
          node.end = h.end;
        }
        return node;
      }
      case 'string':
        this.next();
        return { k: 'string', value: t.text, raw: t.raw === true, start: t.start, end: t.end };
      case 'char':
        this.next();
        return { k: 'char', value: t.value!, text: t.text, start: t.start, end: t.end };
      case 'ref':
        this.next();
        return { k: 'ref', name: t.text, start: t.start, end: t.end };
      case 'lbrace': {
        this.next();
        this.enter(t);
        const v = this.value();
        this.leave();
        if (this.tok.kind !== 'rbrace') this.unexpected();
        const close = this.next();
        return { ...v, start: t.start, end: close.end };
      }
      default:
        return this.unexpected();
    }
  }

  private call(name: Token): ValueNode {
    this.next(); // (
    this.enter(name);
    const args: ValueNode[] = [];
    if (this.tok.kind !== 'rparen') {
      for (;;) {
        args.push(this.value());
        if (this.tok.kind === 'comma') {
          this.next();
          continue;
        }
        break;
      }
    }
    this.leave();
    if (this.tok.kind !== 'rparen') this.unexpected();
    const close = this.next();
    return { k: 'call', name: name.text, nameEnd: name.end, args, start: name.start, end: close.end };
  }
}

function tokenText(t: Token): string {
  return tokenTextRaw(t);
}

/** The token as written (operators are normalised in `text`; recover a readable form). */
function tokenTextRaw(t: Token): string {
  const SYM: Record<string, string> = {
    any_eq: '==',
    all_ne: '!=',
    all_eq: '===',
    any_ne: '!==',
    gt: '>',
    ge: '>=',
    lt: '<',
    le: '<=',
  };
  if (t.kind === 'cmp') return t.deprecated ? '~=' : (SYM[t.text] ?? t.text);
  if (t.kind === 'hash') return '#';
  if (t.kind === 'ref') return '$';
  return t.text;
}

/** Parses a slice body such as `0:3`, `1-2`, `-2:`, `1,3-5,9:` (Wireshark's range syntax). */
export function parseSliceBody(body: string, offset: number): SliceRange[] {
  const out: SliceRange[] = [];
  let pos = 0;
  for (const part of body.split(',')) {
    const text = part.trim();
    const at = offset + pos + (part.length - part.trimStart().length);
    const fail = (): never => {
      throw new FilterError(`"${text}" is not a valid range.`, at, at + Math.max(1, text.length));
    };
    let m: RegExpExecArray | null;
    if ((m = /^(-?\d+)?:(\d+)?$/.exec(text)) && (m[1] !== undefined || m[2] !== undefined || text === ':')) {
      const r: SliceRange = { start: m[1] === undefined ? 0 : Number(m[1]) };
      if (m[2] !== undefined) r.length = Number(m[2]);
      if (r.length === 0) fail();
      out.push(r);
    } else if ((m = /^(-?\d+)-(-?\d+)$/.exec(text))) {
      out.push({ start: Number(m[1]), endInclusive: Number(m[2]) });
    } else if ((m = /^(-?\d+)$/.exec(text))) {
      out.push({ start: Number(m[1]), length: 1 });
    } else fail();
    pos += part.length + 1;
  }
  return out;
}

function parseLayer(h: Token): LayerSpec {
  if (!h.bracket) return { ranges: [{ from: Number(h.text), to: Number(h.text) }] };
  const ranges = parseSliceBody(h.text, h.start + 2).map((r) => {
    const from = r.start;
    // tshark 4.0 refuses a layer range whose end is not above its start (`#[2-2]`).
    if (r.endInclusive !== undefined && r.endInclusive <= r.start)
      throw new FilterError(
        `Range ${r.start}-${r.endInclusive} isn't valid because ${r.start} is greater or equal than ${r.endInclusive}`,
        h.start,
        h.end,
      );
    const to =
      r.endInclusive !== undefined
        ? r.endInclusive
        : r.length !== undefined
          ? r.start + r.length - 1
          : Infinity;
    return { from, to };
  });
  return { ranges };
}
