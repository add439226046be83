// DNS messages as plain data for the simulator (RFC 1035 §4.1): `encodeDns` builds the wire
// form (names uncompressed; a TCP length prefix on request), `parseDns` reads one back (names
// decompressed, pointer jumps bounded). Common RDATA has typed fields (address, target, MX,
// TXT, SRV); any other type carries raw `rdata`.
import { ipv4ToString, ipv6ToString } from '../dissect/format';
import { parseIpv4, parseIpv6 } from '../dissect/address';
import { encodeName } from './dns-names';

export interface DnsQuestionRepr {
  name: string;
  type: number;
  /** Default 1 (IN). */
  class?: number;
}

export interface DnsRecordRepr {
  name: string;
  type: number;
  class?: number;
  ttl?: number;
  /** A / AAAA. */
  address?: string;
  /** NS, CNAME, PTR; MX exchange; SRV target. */
  target?: string;
  /** MX preference. */
  preference?: number;
  /** SRV (RFC 2782). */
  priority?: number;
  weight?: number;
  port?: number;
  /** TXT strings. */
  txt?: string[];
  /** Any other type (and OPT): the RDATA bytes. */
  rdata?: Uint8Array;
}

export interface DnsRepr {
  id: number;
  /** QR bit. */
  response?: boolean;
  opcode?: number;
  authoritative?: boolean;
  truncated?: boolean;
  recursionDesired?: boolean;
  recursionAvailable?: boolean;
  authenticated?: boolean;
  checkingDisabled?: boolean;
  rcode?: number;
  questions?: DnsQuestionRepr[];
  answers?: DnsRecordRepr[];
  authority?: DnsRecordRepr[];
  additional?: DnsRecordRepr[];
}

const NAME_TYPES = new Set([2, 5, 12]);

export function encodeDns(repr: DnsRepr, opts: { tcp?: boolean } = {}): Uint8Array {
  const out: number[] = [];
  const u16 = (v: number) => out.push((v >>> 8) & 0xff, v & 0xff);
  const u32 = (v: number) => out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  const qd = repr.questions ?? [];
  const an = repr.answers ?? [];
  const ns = repr.authority ?? [];
  const ar = repr.additional ?? [];
  u16(repr.id);
  u16(
    (repr.response ? 0x8000 : 0) |
      (((repr.opcode ?? 0) & 0xf) << 11) |
      (repr.authoritative ? 0x400 : 0) |
      (repr.truncated ? 0x200 : 0) |
      (repr.recursionDesired ? 0x100 : 0) |
      (repr.recursionAvailable ? 0x80 : 0) |
      (repr.authenticated ? 0x20 : 0) |
      (repr.checkingDisabled ? 0x10 : 0) |
      ((repr.rcode ?? 0) & 0xf),
  );
  u16(qd.length);
  u16(an.length);
  u16(ns.length);
  u16(ar.length);
  for (const q of qd) {
    out.push(...encodeName(q.name));
    u16(q.type);
    u16(q.class ?? 1);
  }
  for (const r of [...an, ...ns, ...ar]) {
    out.push(...encodeName(r.name));
    u16(r.type);
    u16(r.class ?? 1);
    u32(r.ttl ?? 0);
    const rdata = encodeRdata(r);
    u16(rdata.length);
    out.push(...rdata);
  }
  if (opts.tcp) out.unshift((out.length >>> 8) & 0xff, out.length & 0xff);
  return Uint8Array.from(out);
}

function encodeRdata(r: DnsRecordRepr): number[] {
  if (r.rdata) return Array.from(r.rdata);
  const u16 = (v: number) => [(v >>> 8) & 0xff, v & 0xff];
  switch (r.type) {
    case 1: {
      const a = parseIpv4(r.address ?? '0.0.0.0') ?? 0;
      return [a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff];
    }
    case 28:
      return Array.from(parseIpv6(r.address ?? '::') ?? new Uint8Array(16));
    case 15:
      return [...u16(r.preference ?? 0), ...encodeName(r.target ?? '')];
    case 16:
      return (r.txt ?? []).flatMap((s) => {
        const b = Array.from(s, (c) => c.charCodeAt(0) & 0xff).slice(0, 255);
        return [b.length, ...b];
      });
    case 33:
      return [
        ...u16(r.priority ?? 0),
        ...u16(r.weight ?? 0),
        ...u16(r.port ?? 0),
        ...encodeName(r.target ?? ''),
      ];
    default:
      if (NAME_TYPES.has(r.type)) return encodeName(r.target ?? '');
      return [];
  }
}

/** Parses one message (without a TCP length prefix). Undefined when it is not well formed. */
export function parseDns(bytes: Uint8Array): DnsRepr | undefined {
  try {
    return parseOrThrow(bytes);
  } catch {
    return undefined;
  }
}

function parseOrThrow(b: Uint8Array): DnsRepr {
  const need = (o: number, n: number) => {
    if (o + n > b.length) throw new RangeError('short');
  };
  const u16 = (o: number) => (need(o, 2), (b[o]! << 8) | b[o + 1]!);
  const u32 = (o: number) => (
    need(o, 4),
    ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!)
  );
  const name = (off: number): [string, number] => {
    const labels: string[] = [];
    let pos = off;
    let len = -1;
    for (let jumps = 0; ;) {
      need(pos, 1);
      const n = b[pos]!;
      if (n === 0) {
        if (len < 0) len = pos + 1 - off;
        break;
      }
      if ((n & 0xc0) === 0xc0) {
        if (len < 0) len = pos + 2 - off;
        if (++jumps > 128) throw new RangeError('loop');
        pos = u16(pos) & 0x3fff;
        continue;
      }
      if (n & 0xc0) throw new RangeError('label type');
      need(pos + 1, n);
      labels.push(String.fromCharCode(...b.subarray(pos + 1, pos + 1 + n)));
      pos += 1 + n;
    }
    return [labels.join('.'), len];
  };
  const flags = u16(2);
  const repr: DnsRepr = {
    id: u16(0),
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    authoritative: (flags & 0x400) !== 0,
    truncated: (flags & 0x200) !== 0,
    recursionDesired: (flags & 0x100) !== 0,
    recursionAvailable: (flags & 0x80) !== 0,
    authenticated: (flags & 0x20) !== 0,
    checkingDisabled: (flags & 0x10) !== 0,
    rcode: flags & 0xf,
    questions: [],
    answers: [],
    authority: [],
    additional: [],
  };
  let o = 12;
  for (let i = u16(4); i > 0; i--) {
    const [n, len] = name(o);
    repr.questions!.push({ name: n, type: u16(o + len), class: u16(o + len + 2) });
    o += len + 4;
  }
  const sections = [repr.answers!, repr.authority!, repr.additional!];
  const counts = [u16(6), u16(8), u16(10)];
  sections.forEach((list, s) => {
    for (let i = counts[s]!; i > 0; i--) {
      const [n, len] = name(o);
      const t = o + len;
      const type = u16(t);
      const rdlen = u16(t + 8);
      const rd = t + 10;
      need(rd, rdlen);
      const r: DnsRecordRepr = { name: n, type, class: u16(t + 2), ttl: u32(t + 4) };
      if (type === 1 && rdlen === 4) r.address = ipv4ToString(u32(rd));
      else if (type === 28 && rdlen === 16) r.address = ipv6ToString(b, rd);
      else if (NAME_TYPES.has(type)) r.target = name(rd)[0];
      else if (type === 15) [r.preference, r.target] = [u16(rd), name(rd + 2)[0]];
      else if (type === 33)
        [r.priority, r.weight, r.port, r.target] = [u16(rd), u16(rd + 2), u16(rd + 4), name(rd + 6)[0]];
      else if (type === 16) {
        r.txt = [];
        for (let q = rd; q < rd + rdlen; q += 1 + b[q]!) {
          need(q + 1, b[q]!);
          r.txt.push(String.fromCharCode(...b.subarray(q + 1, q + 1 + b[q]!)));
        }
      } else r.rdata = b.slice(rd, rd + rdlen);
      list.push(r);
      o = rd + rdlen;
    }
  });
  return repr;
}
