// The checker and compiler: resolves words against the field registry (a word that names no
// field is a literal, typed by what it is compared with, as in Wireshark), checks types, and
// builds a predicate over a fast-path Dissection. Every value expression evaluates to the list
// of its values in the packet (a field occurring twice has two), and comparisons follow
// Wireshark 4.0: `==` any pair equal, `!=` no pair equal ("all not equal"), `===` every pair
// equal, `!==` some pair not equal, each with the implicit "the field exists" test.
import type { Dissection } from '../dissect/dissection';
import { fieldsByAbbrev, type Field, type FieldValue } from '../dissect/fields';
import type { LayerSpec, SliceRange, TestNode, ValueNode } from './ast';
import { FilterError } from './errors';
import { callFunction, FUNCTIONS } from './functions';
import { parseFilter } from './parser';
import {
  bytesToString,
  Cidr4,
  Cidr6,
  ftName,
  kindDescription,
  kindOf,
  lookupValueString,
  parseAbsTime,
  parseBytes,
  parseInteger,
  parseIpv4Literal,
  parseIpv6Literal,
  parseMac,
  parseRelTime,
  stringToBytes,
  type Kind,
  type Val,
} from './values';

export interface FilterProblemInfo {
  message: string;
  start: number;
  end: number;
}

export interface CompileOptions {
  /** Values of `${field}` references (the selected packet's); none → references are empty. */
  reference?: (f: Field) => readonly FieldValue[];
  /** Colouring rules: a name that is no field is a field that is never present (Wireshark's
   * default rules name protocols Wirelens does not decode), instead of an error. */
  lenient?: boolean;
}

export interface CompiledFilter {
  readonly expr: string;
  /** True when the packet decoded into `p` (fast path, with `wanted` marked) matches. */
  match(p: Dissection): boolean;
  /** Fields whose values the predicate reads: mark them in the Dissection's `wanted`. */
  readonly fields: readonly Field[];
  /** Fields read through `${…}` references. */
  readonly references: readonly Field[];
  readonly warnings: readonly FilterProblemInfo[];
  /** The filter counts layers (`ip#2`, `count(ip)`): repeated protocols matter. */
  readonly usesLayers: boolean;
  markWanted(wanted: Uint8Array): void;
}

/** A compiled value expression. `eval` returns a list owned by the node (valid until its next call). */
export interface CV {
  kind: Kind;
  /** The field when the expression is a plain field (or field with a layer). */
  field?: Field;
  layer?: LayerSpec;
  /** A literal not yet typed: `word`, `string` or `char` — resolved by `coerce`. */
  literal?: ValueNode & { k: 'word' | 'string' | 'char' };
  /** Compile-time constant values. */
  constant?: Val[];
  /** True for the result of `&`: a bare test checks for a non-zero value. */
  truthy?: boolean;
  /** Arithmetic of literals only (`14 + 60`): computed once the other side gives it a type. */
  defer?: (kind: Kind, field?: Field) => CV;
  eval(p: Dissection): Val[];
  start: number;
  end: number;
  text: string;
}

const MATCH_ALL: CompiledFilter = {
  expr: '',
  match: () => true,
  fields: [],
  references: [],
  warnings: [],
  usesLayers: false,
  markWanted: () => {},
};

/** Fields that usually occur more than once per packet (source and destination both). */
function multiOccurrence(f: Field): boolean {
  return /\.(addr|port|host)$/.test(f.abbrev) || /^(eth|wlan)\.(addr|ig|lg)/.test(f.abbrev);
}

export function compileFilter(expr: string, opts: CompileOptions = {}): CompiledFilter {
  const ast = parseFilter(expr);
  if (!ast) return { ...MATCH_ALL, expr };
  const c = new Compiler(expr, opts);
  const match = c.test(ast);
  const fields = [...c.fields];
  return {
    expr,
    match,
    fields,
    references: [...c.references],
    warnings: c.warnings,
    usesLayers: c.usesLayers,
    markWanted(wanted: Uint8Array) {
      for (const f of fields) if (f.id < wanted.length) wanted[f.id] = 1;
    },
  };
}

type Pred = (p: Dissection) => boolean;

class Compiler {
  readonly fields = new Set<Field>();
  readonly references = new Set<Field>();
  readonly warnings: FilterProblemInfo[] = [];
  usesLayers = false;

  constructor(
    readonly expr: string,
    readonly opts: CompileOptions,
  ) {}

  fail(message: string, n: { start: number; end: number }): never {
    throw new FilterError(message, n.start, n.end);
  }

  text(n: { start: number; end: number }): string {
    return this.expr.slice(n.start, n.end);
  }

  test(n: TestNode): Pred {
    switch (n.k) {
      case 'and': {
        const a = this.test(n.a);
        const b = this.test(n.b);
        return (p) => a(p) && b(p);
      }
      case 'or': {
        const a = this.test(n.a);
        const b = this.test(n.b);
        return (p) => a(p) || b(p);
      }
      case 'xor': {
        const a = this.test(n.a);
        const b = this.test(n.b);
        return (p) => a(p) !== b(p);
      }
      case 'not': {
        const a = this.test(n.a);
        return (p) => !a(p);
      }
      case 'exists':
        return this.exists(n.v);
      case 'cmp':
        return this.compare(n);
      case 'in':
        return this.membership(n);
    }
  }

  // ---- existence ----

  private exists(v: ValueNode): Pred {
    if (v.k === 'word') {
      const f = fieldsByAbbrev.get(v.text);
      if (!f && this.opts.lenient) return () => false;
      if (!f) this.fail(`${v.text} is neither a field nor a protocol name.`, v);
      return this.fieldExists(f, v.layer);
    }
    if (v.k === 'string' || v.k === 'char')
      this.fail(`${this.text(v)} is not a field or a protocol name.`, v);
    const cv = this.value(v);
    if (cv.literal) this.fail(`${cv.text} is neither a field nor a protocol name.`, v);
    if (v.k === 'slice' || v.k === 'ref') return (p) => cv.eval(p).length > 0;
    return (p) => cv.eval(p).some(truthy);
  }

  private fieldExists(f: Field, layer?: LayerSpec): Pred {
    if (layer) this.usesLayers = true;
    if (f.type === 'protocol') {
      const name = f.abbrev;
      if (!layer) return (p) => p.protocols.includes(name);
      return (p) => {
        let n = 0;
        for (const x of p.protocols) if (x === name && inLayer(layer, ++n)) return true;
        return false;
      };
    }
    this.fields.add(f);
    return (p) => {
      const vf = p.valueFields;
      for (let i = 0; i < vf.length; i++)
        if (vf[i] === f && (!layer || inLayer(layer, p.valueLayers[i]!))) return true;
      return false;
    };
  }

  // ---- values ----

  value(v: ValueNode): CV {
    const base = { start: v.start, end: v.end, text: this.text(v) };
    switch (v.k) {
      case 'word': {
        const f = fieldsByAbbrev.get(v.text);
        if (!f) {
          if (v.layer) this.fail(`${v.text} is neither a field nor a protocol name.`, v);
          return { ...base, kind: 'string', literal: v, eval: () => [] };
        }
        return this.fieldValue(f, v.layer, base);
      }
      case 'string':
      case 'char':
        return { ...base, kind: 'string', literal: v, eval: () => [] };
      case 'ref': {
        const f = fieldsByAbbrev.get(v.name);
        if (!f) this.fail(`${v.name} is neither a field nor a protocol name.`, v);
        this.references.add(f);
        const kind = kindOf(f.type);
        const vals = (this.opts.reference?.(f) ?? []).map((x) => normalise(kind, x));
        return { ...base, kind, field: f, constant: vals, eval: () => vals };
      }
      case 'slice':
        return this.slice(v.of, v.ranges, base);
      case 'call':
        return callFunction(this, v, base);
      case 'neg': {
        const a = this.value(v.a);
        if (a.literal) {
          // `-1`, `-0x10`: a negative literal, typed later.
          const lit = { ...a.literal, start: v.start } as ValueNode & { k: 'word' };
          if (a.literal.k === 'word') lit.text = '-' + a.literal.text;
          return { ...base, kind: 'string', literal: lit, eval: () => [] };
        }
        if (!['int', 'float', 'reltime'].includes(a.kind))
          this.fail(`Constant arithmetic expression on the LHS is invalid.`, v);
        const out: Val[] = [];
        return {
          ...base,
          kind: a.kind,
          eval: (p) => {
            out.length = 0;
            for (const x of a.eval(p)) out.push(negate(x));
            return out;
          },
        };
      }
      case 'arith':
        return this.arith(v, base);
    }
  }

  fieldValue(f: Field, layer: LayerSpec | undefined, base: { start: number; end: number; text: string }): CV {
    const kind = kindOf(f.type);
    this.fields.add(f);
    if (layer) this.usesLayers = true;
    const out: Val[] = [];
    const isBool = f.type === 'bool';
    const cv: CV = {
      ...base,
      kind,
      field: f,
      eval: (p) => {
        out.length = 0;
        const vf = p.valueFields;
        for (let i = 0; i < vf.length; i++) {
          if (vf[i] !== f) continue;
          if (layer && !inLayer(layer, p.valueLayers[i]!)) continue;
          const x = p.values[i]!;
          out.push(isBool ? (x ? 1 : 0) : (x as Val));
        }
        return out;
      },
    };
    if (layer) cv.layer = layer;
    return cv;
  }

  private slice(of: ValueNode, ranges: SliceRange[], base: { start: number; end: number; text: string }): CV {
    const a = this.value(of);
    if (a.literal) this.fail(`Range is not supported on a literal ${a.text}.`, of);
    if (!['bytes', 'ether', 'ipv6', 'string', 'ipv4'].includes(a.kind))
      this.fail(`${a.text} is a ${ftName(a.field?.type ?? a.kind)} and cannot be sliced.`, of);
    const out: Val[] = [];
    return {
      ...base,
      kind: 'bytes',
      eval: (p) => {
        out.length = 0;
        for (const x of a.eval(p)) {
          const s = applySlice(toBytes(x), ranges);
          if (s) out.push(s);
        }
        return out;
      },
    };
  }

  private arith(v: ValueNode & { k: 'arith' }, base: { start: number; end: number; text: string }): CV {
    let a = this.value(v.a);
    let b = this.value(v.b);
    if ((a.literal || a.defer) && (b.literal || b.defer)) {
      const [la, lb] = [a, b];
      return {
        ...base,
        kind: 'int',
        eval: () => [],
        defer: (kind, field) => {
          const x = this.coerce(la, kind, field).constant![0]!;
          const y = this.coerce(lb, kind, field).constant![0]!;
          const r = arithmetic(v.op, x, y);
          if (r === undefined) this.fail(`The arithmetic expression ${base.text} has no value.`, v);
          const vals = [r!];
          return { kind, constant: vals, eval: () => vals, start: v.start, end: v.end, text: base.text };
        },
      };
    }
    if (a.literal || a.defer) a = this.coerce(a, b.kind, b.field);
    if (b.literal || b.defer) b = this.coerce(b, a.kind, a.field);
    const op = v.op;
    const kind = a.kind === 'bool' ? 'int' : a.kind;
    const okKinds: Kind[] = op === '&' ? ['int', 'bool', 'bytes'] : ['int', 'float', 'reltime', 'abstime'];
    if (!okKinds.includes(a.kind))
      this.fail(`${a.text} is a ${ftName(a.field?.type ?? a.kind)} and cannot be used with "${op}".`, v.a);
    if (!compatible(a.kind, b.kind) && !(op !== '&' && a.kind === 'abstime' && b.kind === 'reltime'))
      this.fail(`${a.text} and ${b.text} are not of compatible types.`, v);
    const out: Val[] = [];
    return {
      ...base,
      kind,
      truthy: op === '&',
      eval: (p) => {
        out.length = 0;
        const av = a.eval(p);
        if (!av.length) return out;
        const bv = b.eval(p);
        for (const x of av)
          for (const y of bv) {
            const r = arithmetic(op, x, y);
            if (r !== undefined) out.push(r);
          }
        return out;
      },
    };
  }

  /** Gives a literal the type of the other side (`TCP` against `ip.proto` → 6). */
  coerce(cv: CV, kind: Kind, field?: Field): CV {
    if (cv.defer) return cv.defer(kind, field);
    const lit = cv.literal;
    if (!lit) return cv;
    const value = this.literalValue(lit, kind, field);
    const vals = [value];
    return { kind, constant: vals, eval: () => vals, start: cv.start, end: cv.end, text: cv.text };
  }

  literalValue(lit: ValueNode & { k: 'word' | 'string' | 'char' }, kind: Kind, field?: Field): Val {
    const text = lit.k === 'word' ? lit.text : lit.k === 'string' ? lit.value : '';
    const shown = lit.k === 'char' ? lit.text : text;
    const fname = field?.abbrev ?? 'the field';
    const fail = (msg: string): never => this.fail(msg, lit);
    switch (kind) {
      case 'int':
      case 'bool': {
        let n: number | bigint | undefined;
        if (lit.k === 'char') n = lit.value;
        else if (lit.k === 'word') n = parseInteger(text);
        if (n === undefined && field) n = lookupValueString(field, text);
        if (kind === 'bool') {
          if (lit.k === 'word' && /^(True|TRUE)$/.test(text)) return 1;
          if (lit.k === 'word' && /^(False|FALSE)$/.test(text)) return 0;
          if (n === undefined) fail(`"${shown}" cannot be found among the possible values for ${fname}.`);
          return n == 0 ? 0 : 1;
        }
        if (n === undefined) {
          if (lit.k === 'string' || field?.vals)
            fail(`"${shown}" cannot be found among the possible values for ${fname}.`);
          fail(`"${shown}" is not a valid number.`);
        }
        return n!;
      }
      case 'float': {
        const n = lit.k === 'char' ? lit.value : Number(text);
        if (lit.k === 'string' || !Number.isFinite(n) || text === '')
          fail(`"${shown}" is not a valid number.`);
        return n;
      }
      case 'ipv4': {
        if (lit.k === 'char') fail(`"${shown}" is not a valid hostname or IPv4 address.`);
        const r = parseIpv4Literal(text);
        if ('error' in r) fail(r.error);
        return (r as { value: Val }).value;
      }
      case 'ipv6': {
        if (lit.k === 'char') fail(`"${shown}" is not a valid hostname or IPv6 address.`);
        const r = parseIpv6Literal(text);
        if ('error' in r) fail(r.error);
        return (r as { value: Val }).value;
      }
      case 'ether': {
        if (lit.k === 'string')
          fail(`${kindDescription('ether')} cannot be converted from a string ("${text}").`);
        if (lit.k === 'char') return new Uint8Array([lit.value]);
        const b = parseMac(text) ?? parseBytes(text) ?? hexByte(text);
        if (!b) fail(`"${shown}" is not a valid Ethernet address.`);
        return b!;
      }
      case 'bytes': {
        if (lit.k === 'string') return stringToBytes(text);
        if (lit.k === 'char') return new Uint8Array([lit.value]);
        const b = parseBytes(text) ?? hexByte(text);
        if (!b) fail(`"${shown}" is not a valid byte string.`);
        return b!;
      }
      case 'string':
        if (lit.k === 'char') return String.fromCharCode(lit.value);
        if (lit.k === 'word')
          this.warnings.push({
            message: `"${text}" is an unquoted string; write "${text}" with quotes (unquoted strings are deprecated).`,
            start: lit.start,
            end: lit.end,
          });
        return text;
      case 'abstime': {
        const t = lit.k === 'char' ? undefined : parseAbsTime(text);
        if (t === undefined)
          fail(
            `"${shown}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`,
          );
        return t!;
      }
      case 'reltime': {
        const t = lit.k === 'word' ? parseRelTime(text) : undefined;
        if (t === undefined) fail(`"${shown}" is not a valid time.`);
        return t!;
      }
      case 'none':
        return fail(`${fname} is a FT_NONE field and has no value to compare with.`);
    }
  }

  // ---- comparisons ----

  private compare(n: TestNode & { k: 'cmp' }): Pred {
    const a = this.value(n.a);
    let b = this.value(n.b);
    const opText = n.opText;
    if (a.literal && a.literal.k === 'word' && this.opts.lenient) return () => false;
    if (a.literal) {
      if (
        a.literal.k === 'word' &&
        !a.literal.text.startsWith('-') &&
        /[a-zA-Z_]/.test(a.literal.text[0]!) &&
        !b.literal
      )
        this.fail(`Left side of "${opText}" expression must be a field or function, not ${a.text}.`, n.a);
      if (b.literal)
        this.fail(`Left side of "${opText}" expression must be a field or function, not ${a.text}.`, n.a);
      this.fail(`Left side of "${opText}" expression must be a field or function, not ${a.text}.`, n.a);
    }
    if (n.deprecated)
      this.warnings.push({
        message: `"~=" is deprecated and will be removed in a future version. Use "!==" instead.`,
        start: n.opStart,
        end: n.opEnd,
      });
    if (a.kind === 'none')
      this.fail(`${a.text} is a FT_NONE field; it can only be tested for existence.`, n.a);

    if (n.op === 'matches') {
      if (!b.literal || b.literal.k !== 'string')
        this.fail(`Matches' right side must be a string (use double quotes).`, n.b);
      if (a.kind !== 'string' && a.kind !== 'bytes')
        this.fail(
          `${a.text} (type=${ftName(a.field?.type ?? a.kind)}) cannot participate in "${opText}" comparison.`,
          n.a,
        );
      const re = compileRegex(b.literal.value, (m) => this.fail(m, n.b));
      const test = (x: Val) =>
        re.test(typeof x === 'string' ? x : bytesToString(searchable(x as Uint8Array)));
      return n.quant === 'all' ? allOf(a, test) : anyOf(a, test);
    }
    if (n.op === 'contains') {
      if (a.kind !== 'string' && a.kind !== 'bytes' && a.kind !== 'ether' && a.kind !== 'ipv6')
        this.fail(
          `${a.text} (type=${ftName(a.field?.type ?? a.kind)}) cannot participate in "${opText}" comparison.`,
          n.a,
        );
      if (b.literal?.k === 'string' && a.kind === 'ether')
        this.fail(
          `${kindDescription('ether')} cannot be converted from a string ("${b.literal.value}").`,
          n.b,
        );
      if (b.literal || b.defer) b = this.coerce(b, a.kind === 'string' ? 'string' : 'bytes', a.field);
      else if (!compatible(a.kind, b.kind))
        this.fail(`${a.text} and ${b.text} are not of compatible types.`, n.b);
      const contains = a.kind === 'string' ? stringContains : bytesContains;
      return pairs(a, b, n.quant === 'all' ? 'all' : 'any', contains);
    }

    if (a.defer) this.fail(`Constant arithmetic expression on the LHS is invalid.`, n.a);
    if (b.literal || b.defer) b = this.coerce(b, a.kind, a.field);
    else if (!compatible(a.kind, b.kind))
      this.fail(`${a.text} and ${b.text} are not of compatible types.`, n.b);
    if (n.op === 'all_ne' && a.field && !a.layer && multiOccurrence(a.field))
      this.warnings.push({
        message: `"!=" is true only when no ${a.field.abbrev} equals the value (all occurrences differ); "!==" tests any occurrence.`,
        start: n.opStart,
        end: n.opEnd,
      });
    const eq = equality(a.kind);
    const ord = ordering(a.kind);
    if ((n.op === 'gt' || n.op === 'ge' || n.op === 'lt' || n.op === 'le') && !ord)
      this.fail(
        `${a.text} (type=${ftName(a.field?.type ?? a.kind)}) cannot participate in "${opText}" comparison.`,
        n.a,
      );
    const quant = n.quant;
    switch (n.op) {
      case 'any_eq':
        return pairs(a, b, 'any', eq);
      case 'all_eq':
        return pairs(a, b, 'all', eq);
      case 'all_ne': {
        const anyEq = pairs(a, b, 'any', eq);
        if (quant === 'any') return pairs(a, b, 'any', (x, y) => !eq(x, y));
        return (p) => a.eval(p).length > 0 && b.eval(p).length > 0 && !anyEq(p);
      }
      case 'any_ne':
        return quant === 'all'
          ? pairs(a, b, 'all', (x, y) => !eq(x, y))
          : pairs(a, b, 'any', (x, y) => !eq(x, y));
      default: {
        const o = ord!;
        const t =
          n.op === 'gt'
            ? (x: Val, y: Val) => o(x, y) > 0
            : n.op === 'ge'
              ? (x: Val, y: Val) => o(x, y) >= 0
              : n.op === 'lt'
                ? (x: Val, y: Val) => o(x, y) < 0
                : (x: Val, y: Val) => o(x, y) <= 0;
        return pairs(a, b, quant === 'all' ? 'all' : 'any', t);
      }
    }
  }

  private membership(n: TestNode & { k: 'in' }): Pred {
    const a = this.value(n.a);
    if (a.literal && a.literal.k === 'word' && this.opts.lenient) return () => false;
    if (a.literal) this.fail(`Left side of "in" expression must be a field or function, not ${a.text}.`, n.a);
    if (a.kind === 'none')
      this.fail(`${a.text} is a FT_NONE field; it can only be tested for existence.`, n.a);
    const eq = equality(a.kind);
    const ord = ordering(a.kind);
    const items = n.items.map((it) => {
      let lo = this.value(it.lo);
      if (lo.literal || lo.defer) lo = this.coerce(lo, a.kind, a.field);
      else if (!compatible(a.kind, lo.kind))
        this.fail(`${a.text} and ${lo.text} are not of compatible types.`, it.lo);
      if (!it.hi) return { lo, hi: undefined };
      if (!ord)
        this.fail(`${a.text} (type=${ftName(a.field?.type ?? a.kind)}) cannot be used in a range.`, it.lo);
      let hi = this.value(it.hi);
      if (hi.literal || hi.defer) hi = this.coerce(hi, a.kind, a.field);
      return { lo, hi };
    });
    const inSet = (p: Dissection, x: Val): boolean => {
      for (const it of items) {
        const los = it.lo.eval(p);
        if (!it.hi) {
          for (const y of los) if (eq(x, y)) return true;
          continue;
        }
        const his = it.hi.eval(p);
        for (const lo of los) for (const hi of his) if (ord!(x, lo) >= 0 && ord!(x, hi) <= 0) return true;
      }
      return false;
    };
    const all = n.quant === 'all';
    const test: Pred = (p) => {
      const av = a.eval(p);
      if (!av.length) return false;
      for (const x of av) {
        const r = inSet(p, x);
        if (r && !all) return true;
        if (!r && all) return false;
      }
      return all;
    };
    if (!n.negated) return test;
    // Wireshark 4.0: `a not in {…}` is exactly `not (a in {…})`, true where a is absent.
    return (p) => !test(p);
  }
}

export type { Compiler };

// ---- helpers ----

function inLayer(layer: LayerSpec, n: number): boolean {
  for (const r of layer.ranges) if (n >= r.from && n <= r.to) return true;
  return false;
}

function normalise(kind: Kind, x: FieldValue): Val {
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (kind === 'bool') return x ? 1 : 0;
  return x as Val;
}

export function truthy(x: Val): boolean {
  if (typeof x === 'number') return x !== 0;
  if (typeof x === 'bigint') return x !== 0n;
  if (typeof x === 'string') return x.length > 0;
  if (x instanceof Uint8Array) {
    for (let i = 0; i < x.length; i++) if (x[i] !== 0) return true;
    return false;
  }
  return true;
}

export function compatible(a: Kind, b: Kind): boolean {
  if (a === b) return true;
  const numeric = (k: Kind) => k === 'int' || k === 'bool' || k === 'float';
  if (numeric(a) && numeric(b)) return true;
  const bytesLike = (k: Kind) => k === 'bytes' || k === 'ether';
  return bytesLike(a) && bytesLike(b);
}

function negate(x: Val): Val {
  if (typeof x === 'bigint') return -x;
  if (typeof x === 'number') return -x;
  return x;
}

function arithmetic(op: string, x: Val, y: Val): Val | undefined {
  if (x instanceof Uint8Array && y instanceof Uint8Array) {
    if (op !== '&') return undefined;
    const n = Math.min(x.length, y.length);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = x[i]! & y[i]!;
    return out;
  }
  if (typeof x === 'bigint' || typeof y === 'bigint') {
    if (typeof x !== 'bigint' && typeof x !== 'number') return undefined;
    if (typeof y !== 'bigint' && typeof y !== 'number') return undefined;
    if (!Number.isInteger(x) && typeof x === 'number') return undefined;
    if (!Number.isInteger(y) && typeof y === 'number') return undefined;
    const a = BigInt(x);
    const b = BigInt(y);
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return b === 0n ? undefined : a / b;
      case '%':
        return b === 0n ? undefined : a % b;
      case '&':
        return a & b;
    }
    return undefined;
  }
  if (typeof x !== 'number' || typeof y !== 'number') return undefined;
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? undefined : Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y;
    case '%':
      return y === 0 ? undefined : x % y;
    case '&':
      return x <= 0xffffffff && y <= 0xffffffff && x >= 0 && y >= 0
        ? (x & y) >>> 0
        : Number(BigInt(Math.trunc(x)) & BigInt(Math.trunc(y)));
  }
  return undefined;
}

function hexByte(text: string): Uint8Array | undefined {
  // A hex integer up to 0xff is one byte (`frame[4] == 0xff`).
  const m = /^0[xX]([0-9a-fA-F]{1,2})$/.exec(text);
  return m ? new Uint8Array([parseInt(m[1]!, 16)]) : undefined;
}

export function toBytes(x: Val): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (typeof x === 'string') return stringToBytes(x);
  if (typeof x === 'number') return new Uint8Array([x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255]);
  return new Uint8Array(0);
}

/** The bytes a slice selects, or undefined when a range falls outside the value. */
export function applySlice(b: Uint8Array, ranges: SliceRange[]): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  for (const r of ranges) {
    let start = r.start < 0 ? b.length + r.start : r.start;
    let end: number;
    if (r.endInclusive !== undefined) {
      const e = r.endInclusive < 0 ? b.length + r.endInclusive : r.endInclusive;
      end = e + 1;
    } else if (r.length !== undefined) end = start + r.length;
    else end = b.length;
    if (start < 0 || end > b.length || end < start) return undefined;
    if (r.length === undefined && r.endInclusive === undefined && start >= b.length) return undefined;
    parts.push(b.subarray(start, end));
    start = end;
  }
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bytesOrder(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function prefixEqual(a: Uint8Array, c: Cidr6): boolean {
  const full = c.prefix >> 3;
  for (let i = 0; i < full; i++) if (a[i] !== c.bytes[i]) return false;
  const rest = c.prefix & 7;
  if (!rest) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[full]! & mask) === (c.bytes[full]! & mask);
}

type Eq = (x: Val, y: Val) => boolean;
type Ord = (x: Val, y: Val) => number;

function equality(kind: Kind): Eq {
  switch (kind) {
    case 'ipv4':
      return (x, y) =>
        y instanceof Cidr4 ? ((x as number) & y.mask) >>> 0 === y.net : x instanceof Cidr4 ? false : x === y;
    case 'ipv6':
      return (x, y) =>
        y instanceof Cidr6 ? prefixEqual(x as Uint8Array, y) : bytesEqual(x as Uint8Array, y as Uint8Array);
    case 'bytes':
    case 'ether':
      return (x, y) => bytesEqual(toBytes(x), toBytes(y));
    case 'string':
      return (x, y) => x === y;
    default:
      // number and bigint compare by value (1n == 1)
      return (x, y) => x == y;
  }
}

function ordering(kind: Kind): Ord | undefined {
  switch (kind) {
    case 'ipv4':
      return (x, y) => {
        const a = x instanceof Cidr4 ? x.net : (x as number);
        const b = y instanceof Cidr4 ? y.net : (y as number);
        return a - b;
      };
    case 'ipv6':
      return (x, y) =>
        bytesOrder(
          x instanceof Cidr6 ? x.bytes : (x as Uint8Array),
          y instanceof Cidr6 ? y.bytes : (y as Uint8Array),
        );
    case 'bytes':
    case 'ether':
      return (x, y) => bytesOrder(toBytes(x), toBytes(y));
    case 'string':
      return (x, y) => ((x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0);
    case 'none':
      return undefined;
    default:
      return (x, y) => ((x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0);
  }
}

function stringContains(x: Val, y: Val): boolean {
  return (x as string).includes(y as string);
}

/** What `contains`/`matches` search in a protocol: its whole layer, not just its header item. */
function searchable(b: Uint8Array): Uint8Array {
  return (b as Uint8Array & { tvb?: Uint8Array }).tvb ?? b;
}

function bytesContains(x: Val, y: Val): boolean {
  const a = x instanceof Uint8Array ? searchable(x) : toBytes(x);
  const b = toBytes(y);
  if (b.length === 0) return true;
  return (
    Buffer.from(a.buffer, a.byteOffset, a.length).indexOf(Buffer.from(b.buffer, b.byteOffset, b.length)) >= 0
  );
}

/** any: some pair satisfies `t`; all: both sides non-empty and every pair does. */
function pairs(a: CV, b: CV, mode: 'any' | 'all', t: (x: Val, y: Val) => boolean): Pred {
  // The common case: one constant on the right.
  if (b.constant && b.constant.length === 1) {
    const y = b.constant[0]!;
    if (mode === 'any')
      return (p) => {
        const av = a.eval(p);
        for (let i = 0; i < av.length; i++) if (t(av[i]!, y)) return true;
        return false;
      };
    return (p) => {
      const av = a.eval(p);
      if (!av.length) return false;
      for (let i = 0; i < av.length; i++) if (!t(av[i]!, y)) return false;
      return true;
    };
  }
  return (p) => {
    const av = a.eval(p);
    if (!av.length) return false;
    const bv = b.eval(p);
    if (!bv.length) return false;
    for (const x of av)
      for (const y of bv) {
        const r = t(x, y);
        if (r && mode === 'any') return true;
        if (!r && mode === 'all') return false;
      }
    return mode === 'all';
  };
}

function anyOf(a: CV, t: (x: Val) => boolean): Pred {
  return (p) => a.eval(p).some(t);
}
function allOf(a: CV, t: (x: Val) => boolean): Pred {
  return (p) => {
    const v = a.eval(p);
    return v.length > 0 && v.every(t);
  };
}

/**
 * PCRE2 patterns as JavaScript regular expressions: case-insensitive unless the pattern starts
 * with `(?-i)` (Wireshark compiles with PCRE2_CASELESS); leading `(?flags)` groups become flags.
 */
export function compileRegex(pattern: string, fail: (message: string) => never): RegExp {
  let flags = 'i';
  let body = pattern;
  for (;;) {
    const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]+))?\)/.exec(body);
    if (!m) break;
    for (const f of m[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    for (const f of m[2] ?? '') flags = flags.replace(f, '');
    body = body.slice(m[0].length);
  }
  // Byte strings: match on code units, never as UTF-16 surrogates.
  try {
    return new RegExp(body, flags);
  } catch (e) {
    return fail(
      `"${pattern}" is not a valid regular expression: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

export { FUNCTIONS };
