// Turning field values into text: the `-T fields` spelling (as tshark 4.0 prints them) and
// the details-tree label (as Wireshark shows them). Address formatters live here too, since
// every layer and every front end needs the same spelling.
import type { Field, FieldValue } from './fields';

const HEX = '0123456789abcdef';

export function hex(n: number, digits: number): string {
  let s = n.toString(16);
  while (s.length < digits) s = '0' + s;
  return s;
}

/** Recent IPv4 address texts (see ipv4ToString). */
const V4_CACHE_SIZE = 4096;
const v4CacheKey = new Uint32Array(V4_CACHE_SIZE);
const v4CacheSet = new Uint8Array(V4_CACHE_SIZE);
const v4CacheText: string[] = new Array<string>(V4_CACHE_SIZE).fill('');

export function ipv4ToString(addr: number): string {
  // Every IPv4 packet's Source and Destination columns come here: a small direct-mapped cache
  // of recent addresses saves building (and later flattening) the same text again and again.
  const a = addr >>> 0;
  const slot = (a ^ (a >>> 11) ^ (a >>> 22)) & (V4_CACHE_SIZE - 1);
  if (v4CacheKey[slot] === a && v4CacheSet[slot] === 1) return v4CacheText[slot]!;
  const text = `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
  v4CacheKey[slot] = a;
  v4CacheSet[slot] = 1;
  v4CacheText[slot] = text;
  return text;
}

export function etherToString(b: Uint8Array, off = 0): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const v = b[off + i] ?? 0;
    if (i) s += ':';
    s += HEX[v >> 4]! + HEX[v & 15]!;
  }
  return s;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run (≥2) of zero groups as `::`;
 * IPv4-mapped and -compatible forms as Wireshark prints them. */
export function ipv6ToString(b: Uint8Array, off = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(((b[off + 2 * i] ?? 0) << 8) | (b[off + 2 * i + 1] ?? 0));
  // ::ffff:a.b.c.d (RFC 5952 §5)
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length && !s.endsWith(':')) s += ':';
    s += g[i]!.toString(16);
  }
  return s;
}

export function bytesToHex(b: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (i && sep) s += sep;
    s += HEX[b[i]! >> 4]! + HEX[b[i]! & 15]!;
  }
  return s;
}

/** Nanoseconds as seconds with nine decimals, e.g. `1.000000000`. */
export function nsToSeconds(ns: bigint, decimals = 9): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  const sec = a / 1_000_000_000n;
  let frac = (a % 1_000_000_000n).toString().padStart(9, '0');
  frac = frac.slice(0, decimals);
  return `${neg ? '-' : ''}${sec}${decimals ? '.' + frac : ''}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Nov 22, 2026 15:32:39.123456789 UTC`, as Wireshark prints `frame.time` (in UTC here). */
export function formatAbsoluteTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  const frac = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const two = (n: number) => String(n).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[d.getUTCMonth()]} ${day}, ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${frac.toString().padStart(9, '0')} UTC`;
}

function isIntegerType(f: Field): boolean {
  return f.type.startsWith('uint') || f.type.startsWith('int') || f.type === 'framenum';
}

function formatInteger(f: Field, v: number | bigint, forFields: boolean): string {
  // tshark -T fields pads hex to the container type's width (`ip.flags` → 0x02); labels pad to the
  // mask's width (`Flags: 0x2`).
  const bits = f.mask && !forFields ? Math.ceil(Math.log2(f.mask / 2 ** f.shift + 1)) : f.width;
  const digits = Math.ceil(bits / 4) || 1;
  const hexText = '0x' + (typeof v === 'bigint' ? v.toString(16) : v.toString(16)).padStart(digits, '0');
  switch (f.base) {
    case 'hex':
      return hexText;
    case 'hex_dec':
      return forFields ? hexText : `${hexText} (${v})`;
    case 'dec_hex':
      return forFields ? String(v) : `${v} (${hexText})`;
    case 'oct':
      return '0' + v.toString(8);
    default:
      return String(v);
  }
}

/** The value as `tshark -T fields -e FIELD` prints it (tshark 4.0). */
/**
 * A number as C's printf `%.<precision>g` writes it, which is how Wireshark prints FT_FLOAT
 * (precision FLT_DIG = 6: `7.776e+07`) and FT_DOUBLE (DBL_DIG = 15) values: `precision`
 * significant digits, exponent form when the exponent is below -4 or not below the precision,
 * trailing zeros dropped, and an exponent of at least two digits (C11 §7.21.6.1).
 */
export function formatG(v: number, precision: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // The exponent after rounding to `precision` digits (9.9999996 → 1e+01).
  const [mantissa, exp] = v.toExponential(precision - 1).split('e') as [string, string];
  const x = Number(exp);
  const trim = (digits: string) => (digits.includes('.') ? digits.replace(/\.?0+$/, '') : digits);
  if (x < -4 || x >= precision) {
    const e = Math.abs(x).toString().padStart(2, '0');
    return `${trim(mantissa)}e${x < 0 ? '-' : '+'}${e}`;
  }
  return trim(v.toFixed(precision - 1 - x));
}

export function formatFieldValue(f: Field, v: FieldValue): string {
  if (isIntegerType(f) && (typeof v === 'number' || typeof v === 'bigint')) return formatInteger(f, v, true);
  switch (f.type) {
    case 'bool':
      return v ? '1' : '0';
    case 'ipv4':
      return ipv4ToString(v as number);
    case 'ipv6':
      return ipv6ToString(v as Uint8Array);
    case 'ether':
      return etherToString(v as Uint8Array);
    case 'bytes':
      return bytesToHex(v as Uint8Array); // tshark 4.0 prints byte fields without separators
    case 'abstime':
      return formatAbsoluteTime(v as bigint);
    case 'reltime':
      return nsToSeconds(v as bigint);
    case 'protocol':
      return '';
    case 'none':
      return '1'; // tshark prints a present FT_NONE item (tcp.analysis.retransmission) as 1
    case 'float':
      return formatG(v as number, 6);
    case 'double':
      return formatG(v as number, 15);
    default:
      return String(v);
  }
}

const C_ESCAPES: Readonly<Record<number, string>> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/**
 * A control character as Wireshark's format_text writes it: `\a \b \t \n \v \f \r`, else
 * a backslash and three octal digits (`\001`). Which characters reach it is the caller's
 * (ASCII-only strings, UTF-8 text, NUL-terminated strings differ in tshark).
 */
export function escapeControl(c: number): string {
  return C_ESCAPES[c] ?? '\\' + c.toString(8).padStart(3, '0');
}

/** The bit pattern Wireshark prints before masked fields: `.... 0101 = Header Length: 20`. */
export function bitPattern(mask: number, width: number, value: number): string {
  let s = '';
  for (let bit = width - 1; bit >= 0; bit--) {
    const m = 2 ** bit;
    s += Math.floor(mask / m) % 2 ? (Math.floor(value / m) % 2 ? '1' : '0') : '.';
    if (bit % 4 === 0 && bit) s += ' ';
  }
  return s;
}

/** The details-tree label of a field, as Wireshark composes it. `raw` is the unshifted
 * container value for masked fields (to draw the bit pattern). */
export function fieldLabel(f: Field, v: FieldValue | undefined, raw?: number): string {
  if (f.type === 'protocol' || f.type === 'none' || v === undefined) return f.name;
  const prefix = f.mask && raw !== undefined ? bitPattern(f.mask, f.width, raw) + ' = ' : '';
  const unit = f.unit ?? '';
  if (f.type === 'bool') {
    const tfs = f.tfs ?? ['Set', 'Not set'];
    return `${prefix}${f.name}: ${v ? tfs[0] : tfs[1]}`;
  }
  if (isIntegerType(f) && (typeof v === 'number' || typeof v === 'bigint')) {
    const name = f.vals?.[Number(v)];
    if (f.vals) {
      const numText = formatInteger({ ...f, base: f.base === 'hex' ? 'hex' : 'dec' }, v, false);
      return `${prefix}${f.name}: ${name ?? 'Unknown'} (${numText})`;
    }
    return `${prefix}${f.name}: ${formatInteger(f, v, false)}${unit}`;
  }
  if (f.type === 'string') return `${f.name}: ${v as string}`;
  return `${prefix}${f.name}: ${formatFieldValue(f, v)}${unit}`;
}
