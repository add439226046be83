// Display-filter functions. Wireshark 4.0 has upper, lower, len, count, string, max, min and abs;
// the rest are Wirelens extensions (later Wireshark versions have similar ones): vals (value-string
// name), dec and hex (integer as text), float/double (number), and address tests ip_rfc1918,
// ip_multicast, ip_linklocal, ip_loopback.
import type { Dissection } from '../dissect/dissection';
import {
  formatFieldValue,
  ipv4ToString,
  ipv6ToString,
  etherToString,
  bytesToHex,
  nsToSeconds,
  formatAbsoluteTime,
} from '../dissect/format';
import type { ValueNode } from './ast';
import type { Compiler, CV } from './compile';
import { FilterError } from './errors';
import { bytesToString, ftName, type Kind, type Val } from './values';

export interface FunctionInfo {
  name: string;
  signature: string;
  description: string;
  /** Present in Wireshark 4.0 (false: a Wirelens extension). */
  wireshark: boolean;
}

export const FUNCTIONS: readonly FunctionInfo[] = [
  {
    name: 'upper',
    signature: 'upper(string)',
    description: 'Converts a string field to upper case',
    wireshark: true,
  },
  {
    name: 'lower',
    signature: 'lower(string)',
    description: 'Converts a string field to lower case',
    wireshark: true,
  },
  {
    name: 'len',
    signature: 'len(field)',
    description: 'Byte length of a string or bytes field (or protocol)',
    wireshark: true,
  },
  {
    name: 'count',
    signature: 'count(field)',
    description: 'Number of occurrences of a field in the frame',
    wireshark: true,
  },
  {
    name: 'string',
    signature: 'string(field)',
    description: 'Converts a non-string field to a string',
    wireshark: true,
  },
  { name: 'max', signature: 'max(f1, …, fn)', description: 'The largest value', wireshark: true },
  { name: 'min', signature: 'min(f1, …, fn)', description: 'The smallest value', wireshark: true },
  { name: 'abs', signature: 'abs(field)', description: 'Absolute value of a numeric field', wireshark: true },
  {
    name: 'vals',
    signature: 'vals(field)',
    description: 'The value-string name of an integer field (Wirelens extension)',
    wireshark: false,
  },
  {
    name: 'dec',
    signature: 'dec(field)',
    description: 'An integer field in decimal, as a string (Wirelens extension)',
    wireshark: false,
  },
  {
    name: 'hex',
    signature: 'hex(field)',
    description: 'An integer field in hexadecimal, as a string (Wirelens extension)',
    wireshark: false,
  },
  {
    name: 'float',
    signature: 'float(field)',
    description: 'A numeric field as a floating-point number (Wirelens extension)',
    wireshark: false,
  },
  {
    name: 'double',
    signature: 'double(field)',
    description: 'A numeric field as a floating-point number (Wirelens extension)',
    wireshark: false,
  },
  {
    name: 'ip_rfc1918',
    signature: 'ip_rfc1918(ipv4)',
    description: 'True for RFC 1918 private IPv4 addresses (Wirelens extension)',
    wireshark: false,
  },
  {
    name: 'ip_multicast',
    signature: 'ip_multicast(address)',
    description: 'True for IPv4 224/4 and IPv6 ff00::/8 (Wirelens extension)',
    wireshark: false,
  },
  {
    name: 'ip_linklocal',
    signature: 'ip_linklocal(address)',
    description: 'True for IPv4 169.254/16 and IPv6 fe80::/10 (Wirelens extension)',
    wireshark: false,
  },
  {
    name: 'ip_loopback',
    signature: 'ip_loopback(address)',
    description: 'True for IPv4 127/8 and IPv6 ::1 (Wirelens extension)',
    wireshark: false,
  },
];

const BY_NAME = new Map(FUNCTIONS.map((f) => [f.name, f]));

type Base = { start: number; end: number; text: string };

/** Builds a value node computing `node` (a call); `c` compiles the arguments. */
export function callFunction(c: Compiler, node: ValueNode & { k: 'call' }, base: Base): CV {
  const fail = (
    m: string,
    at: { start: number; end: number } = { start: node.start, end: node.nameEnd },
  ): never => {
    throw new FilterError(m, at.start, at.end);
  };
  const info = BY_NAME.get(node.name);
  if (!info) fail(`Function '${node.name}' does not exist`);
  const name = node.name;
  const arity = (min: number, max: number) => {
    if (node.args.length < min)
      fail(
        `Function ${name}() needs at least ${min} argument${min === 1 ? '' : 's'}, got ${node.args.length}.`,
      );
    if (node.args.length > max)
      fail(
        `Function ${name}() can take at most ${max} argument${max === 1 ? '' : 's'}, got ${node.args.length}.`,
      );
  };
  const argNode = (i: number) => node.args[i]!;
  const field = (i: number): CV => {
    const v = c.value(argNode(i));
    if (v.literal) fail(`Only fields can be used as parameter for ${name}()`, argNode(i));
    return v;
  };
  const out: Val[] = [];
  const mapped = (kind: Kind, a: CV, fn: (x: Val) => Val | undefined): CV => ({
    ...base,
    kind,
    eval: (p: Dissection) => {
      out.length = 0;
      for (const x of a.eval(p)) {
        const r = fn(x);
        if (r !== undefined) out.push(r);
      }
      return out;
    },
  });
  const needKinds = (a: CV, kinds: Kind[], i: number) => {
    if (!kinds.includes(a.kind))
      fail(
        `Argument to ${name}() must be ${kinds.join(' or ')}, not ${ftName(a.field?.type ?? a.kind)}`,
        argNode(i),
      );
  };

  switch (name) {
    case 'upper':
    case 'lower': {
      arity(1, 1);
      const a = field(0);
      needKinds(a, ['string'], 0);
      return mapped('string', a, (x) =>
        name === 'upper' ? (x as string).toUpperCase() : (x as string).toLowerCase(),
      );
    }
    case 'len': {
      arity(1, 1);
      const a = field(0);
      // Integers and IPv4 addresses: the bytes the field occupies (Wireshark's item length).
      const width = a.field && a.field.width ? Math.ceil(a.field.width / 8) : a.kind === 'ipv4' ? 4 : 0;
      if (!width) needKinds(a, ['string', 'bytes', 'ether', 'ipv6'], 0);
      return mapped('int', a, (x) =>
        typeof x === 'string' ? x.length : x instanceof Uint8Array ? x.length : width,
      );
    }
    case 'count': {
      arity(1, 1);
      const a = field(0);
      if (!a.field) return fail(`Only fields can be used as parameter for count()`, argNode(0));
      c.usesLayers = true;
      const f = a.field;
      if (f.type === 'protocol') {
        // A protocol's occurrences are its layers (no values need collecting).
        const abbrev = f.abbrev;
        return {
          ...base,
          kind: 'int',
          eval: (p) => {
            let n = 0;
            for (const x of p.protocols) if (x === abbrev) n++;
            out.length = 0;
            if (n) out.push(n);
            return out;
          },
        };
      }
      return {
        ...base,
        kind: 'int',
        eval: (p) => {
          const n = a.eval(p).length;
          out.length = 0;
          if (n) out.push(n);
          return out;
        },
      };
    }
    case 'string': {
      arity(1, 1);
      const a = field(0);
      if (a.kind === 'string' || a.kind === 'bytes')
        fail(`String conversion for field "${a.text}" is not supported`, argNode(0));
      return mapped('string', a, (x) => valueText(a, x));
    }
    case 'max':
    case 'min': {
      if (node.args.length < 1) arity(1, Infinity);
      const args = node.args.map((_, i) => c.value(argNode(i)));
      const typed = args.find((a) => !a.literal);
      if (!typed) return fail(`All arguments to ${name}() are literals`, node);
      const first = args.indexOf(typed);
      const resolved = args.map((a) => (a.literal ? c.coerce(a, typed.kind, typed.field) : a));
      resolved.forEach((a, i) => {
        const t0 = typed.field?.type ?? typed.kind;
        const ti = a.field?.type ?? a.kind;
        if (!args[i]!.literal && ti !== t0)
          fail(
            `Arguments to '${name}' must have the same type (expected ${ftName(t0)}, got ${ftName(ti)})`,
            argNode(i),
          );
      });
      void first;
      if (!['int', 'float', 'reltime', 'abstime', 'ipv4', 'string', 'bool'].includes(typed.kind))
        fail(
          `Argument to ${name}() must be a number, not ${ftName(typed.field?.type ?? typed.kind)}`,
          argNode(first),
        );
      const better = (x: Val, y: Val) => (name === 'max' ? x > y : x < y);
      return {
        ...base,
        kind: typed.kind,
        eval: (p) => {
          let best: Val | undefined;
          for (const a of resolved)
            for (const x of a.eval(p)) if (best === undefined || better(x, best)) best = x;
          out.length = 0;
          if (best !== undefined) out.push(best);
          return out;
        },
      };
    }
    case 'abs': {
      arity(1, 1);
      const a = field(0);
      needKinds(a, ['int', 'float', 'reltime'], 0);
      return mapped(a.kind, a, (x) => (typeof x === 'bigint' ? (x < 0n ? -x : x) : Math.abs(x as number)));
    }
    case 'vals': {
      arity(1, 1);
      const a = field(0);
      const f = a.field;
      const vals = f?.vals;
      if (!vals) return fail(`vals() needs a field with value strings`, argNode(0));
      return mapped('string', a, (x) => vals[Number(x)]);
    }
    case 'dec':
    case 'hex': {
      arity(1, 1);
      const a = field(0);
      needKinds(a, ['int', 'bool'], 0);
      return mapped('string', a, (x) => (name === 'dec' ? x.toString() : '0x' + (x as number).toString(16)));
    }
    case 'float':
    case 'double': {
      arity(1, 1);
      const a = field(0);
      needKinds(a, ['int', 'bool', 'float', 'reltime'], 0);
      return mapped('float', a, (x) => (a.kind === 'reltime' ? Number(x) / 1e9 : Number(x)));
    }
    default: {
      arity(1, 1);
      const a = field(0);
      needKinds(a, ['ipv4', 'ipv6'], 0);
      const test = ADDRESS_TESTS[name]!;
      return mapped('bool', a, (x) => (test(x) ? 1 : 0));
    }
  }
}

const ADDRESS_TESTS: Record<string, (x: Val) => boolean> = {
  ip_rfc1918: (x) => {
    if (typeof x !== 'number') return false;
    return x >>> 24 === 10 || x >>> 20 === 0xac1 || x >>> 16 === 0xc0a8;
  },
  ip_multicast: (x) => (typeof x === 'number' ? x >>> 28 === 0xe : x instanceof Uint8Array && x[0] === 0xff),
  ip_linklocal: (x) =>
    typeof x === 'number'
      ? x >>> 16 === 0xa9fe
      : x instanceof Uint8Array && x[0] === 0xfe && (x[1]! & 0xc0) === 0x80,
  ip_loopback: (x) =>
    typeof x === 'number'
      ? x >>> 24 === 127
      : x instanceof Uint8Array && x.length === 16 && x.every((b, i) => b === (i === 15 ? 1 : 0)),
};

/** string(): the value as text (integers in decimal, addresses in their usual spelling). */
function valueText(a: CV, x: Val): string {
  switch (a.kind) {
    case 'int':
    case 'bool':
    case 'float':
      return String(x);
    case 'ipv4':
      return ipv4ToString(x as number);
    case 'ipv6':
      return ipv6ToString(x as Uint8Array);
    case 'ether':
      return etherToString(x as Uint8Array);
    case 'reltime':
      return nsToSeconds(x as bigint);
    case 'abstime':
      return formatAbsoluteTime(x as bigint);
    default:
      if (a.field) return formatFieldValue(a.field, x as never);
      return x instanceof Uint8Array
        ? bytesToHex(x, ':')
        : typeof x === 'string'
          ? x
          : bytesToString(new Uint8Array());
  }
}
