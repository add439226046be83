// Literal values by field type, as Wireshark 4.0 reads them (ftypes' "from literal/string"):
// integers in decimal, hex, octal, binary or as character constants, falling back to the field's
// value strings (`ip.proto == TCP`); booleans; IPv4/IPv6 with CIDR prefixes; MAC addresses and
// byte strings in all their spellings; absolute times (ISO 8601 or "Sep 26, 2004 23:18:04") and
// relative times in seconds. The runtime representation of each kind is described in `Val`.
import { parseIpv4, parseIpv6 } from '../dissect/address';
import type { Field, FieldType } from '../dissect/fields';

/** The kinds the checker types values with (several FieldTypes share one kind). */
export type Kind =
  | 'int' // number | bigint
  | 'bool' // 0 | 1
  | 'ipv4' // uint32 number (or Cidr4 for a literal)
  | 'ipv6' // 16-byte Uint8Array (or Cidr6)
  | 'ether' // 6-byte Uint8Array
  | 'bytes' // Uint8Array (protocols and slices too)
  | 'string' // byte string: one char per byte
  | 'abstime' // bigint ns since the epoch
  | 'reltime' // bigint ns
  | 'float' // number
  | 'none'; // label-only fields: existence only

/** A literal IPv4 network: `10.0.0.0/8`. */
export class Cidr4 {
  constructor(
    readonly net: number,
    readonly mask: number,
  ) {}
}
/** A literal IPv6 network: `2001:db8::/32`. */
export class Cidr6 {
  constructor(
    readonly bytes: Uint8Array,
    readonly prefix: number,
  ) {}
}

export type Val = number | bigint | string | Uint8Array | Cidr4 | Cidr6;

export function kindOf(t: FieldType): Kind {
  switch (t) {
    case 'bool':
      return 'bool';
    case 'ipv4':
      return 'ipv4';
    case 'ipv6':
      return 'ipv6';
    case 'ether':
      return 'ether';
    case 'bytes':
    case 'protocol':
      return 'bytes';
    case 'string':
      return 'string';
    case 'abstime':
      return 'abstime';
    case 'reltime':
      return 'reltime';
    case 'float':
    case 'double':
      return 'float';
    case 'none':
      return 'none';
    default:
      return 'int';
  }
}

/** Wireshark's name of a field type, for messages (`FT_UINT8`). */
export function ftName(t: FieldType | Kind): string {
  const M: Record<string, string> = {
    protocol: 'FT_PROTOCOL',
    none: 'FT_NONE',
    bool: 'FT_BOOLEAN',
    uint8: 'FT_UINT8',
    uint16: 'FT_UINT16',
    uint24: 'FT_UINT24',
    uint32: 'FT_UINT32',
    uint48: 'FT_UINT48',
    uint64: 'FT_UINT64',
    int8: 'FT_INT8',
    int16: 'FT_INT16',
    int32: 'FT_INT32',
    int: 'FT_INT64',
    ipv4: 'FT_IPv4',
    ipv6: 'FT_IPv6',
    ether: 'FT_ETHER',
    bytes: 'FT_BYTES',
    string: 'FT_STRING',
    abstime: 'FT_ABSOLUTE_TIME',
    reltime: 'FT_RELATIVE_TIME',
    float: 'FT_DOUBLE',
    double: 'FT_DOUBLE',
    framenum: 'FT_FRAMENUM',
  };
  return M[t] ?? t;
}

/** Human name of a kind for messages ("Ethernet or other MAC address", as tshark says). */
export function kindDescription(k: Kind): string {
  const M: Record<Kind, string> = {
    int: 'Integer',
    bool: 'Boolean',
    ipv4: 'IPv4 address',
    ipv6: 'IPv6 address',
    ether: 'Ethernet or other MAC address',
    bytes: 'Byte sequence',
    string: 'Character string',
    abstime: 'Date and time',
    reltime: 'Time offset',
    float: 'Floating point',
    none: 'Label',
  };
  return M[k];
}

/** An integer literal: decimal, 0x hex, 0b binary, leading-0 octal, optional sign. */
export function parseInteger(text: string): number | bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const body = m[2]!;
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt(body);
  else if (/^0[bB]/.test(body)) v = BigInt(body);
  else if (body.length > 1 && body.startsWith('0')) v = BigInt('0o' + body.slice(1));
  else v = BigInt(body);
  if (m[1] === '-') v = -v;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Byte strings: `aa:bb:cc`, `aa.bb.cc`, `aa-bb-cc`, `aabbcc`, one byte `7a`. */
export function parseBytes(text: string): Uint8Array | undefined {
  let hex: string;
  if (/^[0-9a-fA-F]{1,2}([:.-][0-9a-fA-F]{1,2})*$/.test(text)) {
    const parts = text.split(/[:.-]/);
    const out = new Uint8Array(parts.length);
    parts.forEach((p, i) => (out[i] = parseInt(p, 16)));
    return out;
  }
  if (/^([0-9a-fA-F]{2})+$/.test(text)) hex = text;
  else if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})+$/.test(text)) hex = text.replace(/\./g, '');
  else return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** MAC addresses: 6 bytes in any byte-string spelling (`aa:bb:…`, `aabb.ccdd.eeff`, `aabbccddeeff`). */
export function parseMac(text: string): Uint8Array | undefined {
  const b = parseBytes(text);
  return b && b.length === 6 ? b : undefined;
}

export function stringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function bytesToString(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

export type LiteralResult = { value: Val } | { error: string };

export function parseIpv4Literal(text: string): LiteralResult {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIpv4(addrText);
  if (addr === undefined) return { error: `"${addrText}" is not a valid hostname or IPv4 address.` };
  if (slash < 0) return { value: addr };
  const bitsText = text.slice(slash + 1);
  if (!/^\d+$/.test(bitsText)) return { error: `"${bitsText}" is not a valid number of netmask bits.` };
  const bits = Number(bitsText);
  if (bits > 32) return { error: `Netmask bits in a CIDR IPv4 address should be <= 32, not ${bits}` };
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { value: new Cidr4((addr & mask) >>> 0, mask) };
}

export function parseIpv6Literal(text: string): LiteralResult {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIpv6(addrText);
  if (addr === undefined || addrText.includes('%') || addrText.startsWith('['))
    return { error: `"${addrText}" is not a valid hostname or IPv6 address.` };
  if (slash < 0) return { value: addr };
  const bitsText = text.slice(slash + 1);
  const bits = Number(bitsText);
  if (!/^\d+$/.test(bitsText) || bits > 128)
    return { error: `Prefix in a CIDR IPv6 address should be <= 128, not ${bitsText}` };
  return { value: new Cidr6(addr, bits) };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Absolute times: ISO 8601 (`2020-07-04T12:34:56.5`, `T` optional, `Z`/`±hh:mm`) or the legacy
 * `Sep 26, 2004 23:18:04.954975` (optionally ending in `UTC`); local time unless a zone is given,
 * as Wireshark reads them. Returns nanoseconds since the epoch.
 */
export function parseAbsTime(text: string): bigint | undefined {
  const s = text.trim();
  let y: number, mo: number, d: number, h: number, mi: number, sec: number, frac: string;
  let zone: string | undefined;
  let m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(
      s,
    );
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    [h, mi, sec] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    frac = m[7] ?? '';
    zone = m[8];
  } else {
    m =
      /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(UTC)?$/.exec(
        s,
      );
    if (!m) return undefined;
    mo = MONTHS.indexOf(m[1]!.toLowerCase()) + 1;
    if (mo === 0) return undefined;
    [d, y] = [Number(m[2]), Number(m[3])];
    [h, mi, sec] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    frac = m[7] ?? '';
    zone = m[8];
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return undefined;
  let ms: number;
  if (zone === undefined) ms = new Date(y, mo - 1, d, h, mi, sec).getTime();
  else {
    ms = Date.UTC(y, mo - 1, d, h, mi, sec);
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (z) ms -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  }
  if (!Number.isFinite(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0') || '0');
}

/** Relative times: seconds with an optional fraction and sign (`1.5`, `-0.25`, `10`). */
export function parseRelTime(text: string): bigint | undefined {
  const m = /^([+-]?)(\d+)(?:\.(\d{0,9})\d*)?$/.exec(text) ?? /^([+-]?)()\.(\d{1,9})\d*$/.exec(text);
  if (!m) return undefined;
  const ns = BigInt(m[2] || '0') * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0') || '0');
  return m[1] === '-' ? -ns : ns;
}

/** A value string's number by name, case-insensitively (`TCP` → 6). */
export function lookupValueString(f: Field, name: string): number | undefined {
  if (!f.vals) return undefined;
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(f.vals)) if (v.toLowerCase() === want) return Number(k);
  return undefined;
}
