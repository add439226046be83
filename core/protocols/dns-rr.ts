// Resource record data (RDATA) by type: RFC 1035 §3.3-3.4 (A, NS, CNAME, SOA, PTR, MX, TXT),
// RFC 3596 (AAAA), RFC 2782 (SRV), RFC 3403 (NAPTR), RFC 8659 (CAA), RFC 9460 (SVCB/HTTPS),
// RFC 4034 (DS, DNSKEY, RRSIG, NSEC), RFC 4255 (SSHFP); anything else is shown as data. Each decoder adds its
// items under the open RR item and returns what Wireshark appends to the Info column and to
// the RR item's label.
import type { Dissection } from '../dissect/dissection';
import { escapeControl, ipv4ToString, ipv6ToString } from '../dissect/format';
import { F, RR_TYPE_DESCRIPTIONS, SVC_PARAM_KEYS, rrTypeName } from './dns-fields';
import { readName } from './dns-names';

export interface RdataText {
  /** Appended to Info after the type name, e.g. ` 10.0.0.1` (empty for TXT, CAA…). */
  info: string;
  /** Appended to the RR item label, e.g. `, addr 10.0.0.1`. */
  label: string;
}

const NONE: RdataText = { info: '', label: '' };

/** Decodes `[start, start + len)` as the RDATA of `type`. */
export function dissectRdata(
  p: Dissection,
  type: number,
  start: number,
  len: number,
  msgStart: number,
): RdataText {
  if (len === 0) return NONE;
  const end = start + len;
  switch (type) {
    case 1: {
      // A
      const addr = p.u32(start);
      p.add(F.a, start, 4, addr);
      const text = ipv4ToString(addr);
      return { info: ` ${text}`, label: `, addr ${text}` };
    }
    case 28: {
      // AAAA
      const text = ipv6ToString(p.bytes(start, 16));
      p.add(F.aaaa, start, 16);
      return { info: ` ${text}`, label: `, addr ${text}` };
    }
    case 2:
    case 5:
    case 12: {
      // NS, CNAME, PTR: one name
      const name = readName(p, start, msgStart);
      const field = type === 2 ? F.ns : type === 5 ? F.cname : F.ptr;
      p.add(field, start, name.len, name.text);
      const word = type === 2 ? 'ns ' : type === 5 ? 'cname ' : '';
      return { info: ` ${name.text}`, label: `, ${word}${name.text}` };
    }
    case 6:
      return soa(p, start, msgStart);
    case 15: {
      // MX
      const pref = p.u16(start);
      p.add(F.mxPreference, start, 2, pref);
      const name = readName(p, start + 2, msgStart);
      p.add(F.mxExchange, start + 2, name.len, name.text);
      return { info: ` ${pref} ${name.text}`, label: `, preference ${pref}, mx ${name.text}` };
    }
    case 16:
    case 99:
      characterStrings(p, start, end, F.txtLength, F.txt);
      return NONE;
    case 33:
      return srv(p, start, msgStart);
    case 35:
      return naptr(p, start, msgStart);
    case 257:
      caa(p, start, end);
      return NONE;
    case 64:
    case 65:
      return svcb(p, start, end, msgStart);
    case 43:
    case 59:
      ds(p, start, end);
      return NONE;
    case 48:
    case 60:
      dnskey(p, start, end);
      return NONE;
    case 46:
      rrsig(p, start, end, msgStart);
      return NONE;
    case 47:
      return nsec(p, start, end, msgStart);
    case 44:
      // RFC 4255 §3.1: algorithm, fingerprint type, fingerprint.
      p.add(F.sshfpAlgorithm, start, 1);
      p.add(F.sshfpType, start + 1, 1);
      if (len > 2) p.add(F.sshfpFingerprint, start + 2, len - 2);
      return NONE;
    default:
      p.add(F.data, start, len);
      return NONE;
  }
}

function soa(p: Dissection, start: number, msgStart: number): RdataText {
  const mname = readName(p, start, msgStart);
  p.add(F.soaMname, start, mname.len, mname.text);
  let o = start + mname.len;
  const rname = readName(p, o, msgStart);
  p.add(F.soaRname, o, rname.len, rname.text);
  o += rname.len;
  p.add(F.soaSerial, o, 4);
  for (const [f, at] of [
    [F.soaRefresh, o + 4],
    [F.soaRetry, o + 8],
    [F.soaExpire, o + 12],
    [F.soaMinimum, o + 16],
  ] as const) {
    const v = p.u32(at);
    p.add(f, at, 4, v, p.tree ? `${f.name}: ${v} (${timeSecsText(v)})` : undefined);
  }
  return { info: ` ${mname.text}`, label: `, mname ${mname.text}` };
}

function srv(p: Dissection, start: number, msgStart: number): RdataText {
  const priority = p.u16(start);
  const weight = p.u16(start + 2);
  const port = p.u16(start + 4);
  p.add(F.srvPriority, start, 2, priority);
  p.add(F.srvWeight, start + 2, 2, weight);
  p.add(F.srvPort, start + 4, 2, port);
  const target = readName(p, start + 6, msgStart);
  p.add(F.srvTarget, start + 6, target.len, target.text);
  return {
    info: ` ${priority} ${weight} ${port} ${target.text}`,
    label: `, priority ${priority}, weight ${weight}, port ${port}, target ${target.text}`,
  };
}

function naptr(p: Dissection, start: number, msgStart: number): RdataText {
  const order = p.u16(start);
  const pref = p.u16(start + 2);
  p.add(F.naptrOrder, start, 2, order);
  p.add(F.naptrPreference, start + 2, 2, pref);
  let o = start + 4;
  let flags = '';
  for (const [lenField, field] of [
    [F.naptrFlagsLength, F.naptrFlags],
    [F.naptrServiceLength, F.naptrService],
    [F.naptrRegexLength, F.naptrRegex],
  ] as const) {
    const n = p.u8(o);
    p.add(lenField, o, 1, n);
    const text = printable(p.bytes(o + 1, n));
    if (field === F.naptrFlags) flags = text;
    p.add(field, o + 1, n, text);
    o += 1 + n;
  }
  const repl = readName(p, o, msgStart);
  p.addGenerated(F.naptrReplacementLength, repl.text.length);
  p.add(F.naptrReplacement, o, repl.len, repl.text);
  return {
    info: ` ${order} ${pref} ${flags}`,
    label: `, order ${order}, preference ${pref}, flags ${flags}`,
  };
}

function caa(p: Dissection, start: number, end: number): void {
  const flags = p.u8(start);
  const flagsItem = p.add(F.caaFlags, start, 1, flags);
  p.open(flagsItem);
  p.add(F.caaCritical, start, 1);
  p.close(flagsItem);
  const tagLen = p.u8(start + 1);
  const tag = printable(p.bytes(start + 2, tagLen));
  const valueStart = start + 2 + tagLen;
  const value = valueStart < end ? printable(p.bytes(valueStart, end - valueStart)) : '';
  const field =
    tag === 'issue'
      ? F.caaIssue
      : tag === 'issuewild'
        ? F.caaIssuewild
        : tag === 'iodef'
          ? F.caaIodef
          : F.caaUnknown;
  const item = p.add(
    field,
    start + 1,
    end - start - 1,
    value,
    p.tree ? `${field.name}: ${value}` : undefined,
  );
  p.open(item);
  p.add(F.caaTagLength, start + 1, 1, tagLen);
  p.add(F.caaTag, start + 2, tagLen, tag);
  p.add(F.caaValue, valueStart, end - valueStart, value);
  p.close(item);
}

/** RFC 9460 §2.2: SvcPriority, TargetName (uncompressed), then key/length/value params. */
function svcb(p: Dissection, start: number, end: number, msgStart: number): RdataText {
  const priority = p.u16(start);
  p.add(F.svcPriority, start, 2, priority);
  const target = readName(p, start + 2, msgStart);
  p.add(F.svcTarget, start + 2, target.len, target.text);
  let o = start + 2 + target.len;
  while (o + 4 <= end) {
    const key = p.u16(o);
    const len = p.u16(o + 2);
    const v = o + 4;
    const keyName = SVC_PARAM_KEYS[key] ?? `key${key}`;
    const item = p.add(F.svcParam, o, 4 + len, undefined, p.tree ? `SvcParam: ${keyName}` : undefined);
    p.open(item);
    p.add(F.svcParamKey, o, 2, key);
    p.add(F.svcParamLength, o + 2, 2, len);
    p.check(v, len);
    const values: string[] = [];
    if (key === 0) {
      for (let i = v; i + 2 <= v + len; i += 2) {
        const k = p.u16(i);
        p.add(F.svcMandatory, i, 2, k);
        values.push(SVC_PARAM_KEYS[k] ?? `key${k}`);
      }
    } else if (key === 1) {
      for (let i = v; i < v + len;) {
        const n = p.u8(i);
        p.add(F.svcAlpnLength, i, 1, n);
        const id = printable(p.bytes(i + 1, n));
        p.add(F.svcAlpn, i + 1, n, id);
        values.push(id);
        i += 1 + n;
      }
    } else if (key === 3 && len === 2) {
      const port = p.u16(v);
      p.add(F.svcPort, v, 2, port);
      values.push(String(port));
    } else if (key === 4) {
      for (let i = v; i + 4 <= v + len; i += 4) {
        const a = p.u32(i);
        p.add(F.svcIpv4, i, 4, a);
        values.push(ipv4ToString(a));
      }
    } else if (key === 6) {
      for (let i = v; i + 16 <= v + len; i += 16) {
        p.add(F.svcIpv6, i, 16);
        values.push(ipv6ToString(p.bytes(i, 16)));
      }
    } else if (key === 5) {
      p.add(F.svcEch, v, len);
    } else if (len > 0) {
      p.add(F.svcParamValue, v, len);
    }
    if (item && values.length) item.label += `=${values.join(',')}`;
    p.close(item);
    o = v + len;
  }
  return { info: '', label: '' };
}

function ds(p: Dissection, start: number, end: number): void {
  p.add(F.dsKeyId, start, 2);
  p.add(F.dsAlgorithm, start + 2, 1);
  p.add(F.dsDigestType, start + 3, 1);
  if (end > start + 4) p.add(F.dsDigest, start + 4, end - start - 4);
}

function dnskey(p: Dissection, start: number, end: number): void {
  const flags = p.u16(start);
  const item = p.add(F.dnskeyFlags, start, 2, flags);
  p.open(item);
  p.add(F.dnskeyZoneKey, start, 2);
  p.add(F.dnskeyRevoked, start, 2);
  p.add(F.dnskeySep, start, 2);
  p.add(F.dnskeyReserved, start, 2);
  p.close(item);
  p.add(F.dnskeyProtocol, start + 2, 1);
  p.add(F.dnskeyAlgorithm, start + 3, 1);
  if (p.wants(F.dnskeyKeyId)) p.addGenerated(F.dnskeyKeyId, keyTag(p.bytes(start, end - start)));
  if (end > start + 4) p.add(F.dnskeyPublicKey, start + 4, end - start - 4);
}

/** RFC 4034 Appendix B: the key tag over the whole DNSKEY RDATA. */
export function keyTag(rdata: Uint8Array): number {
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i]! : rdata[i]! << 8;
  ac += (ac >>> 16) & 0xffff;
  return ac & 0xffff;
}

function rrsig(p: Dissection, start: number, end: number, msgStart: number): void {
  p.add(F.rrsigTypeCovered, start, 2);
  p.add(F.rrsigAlgorithm, start + 2, 1);
  p.add(F.rrsigLabels, start + 3, 1);
  const ttl = p.u32(start + 4);
  p.add(
    F.rrsigOriginalTtl,
    start + 4,
    4,
    ttl,
    p.tree ? `Original TTL: ${ttl} (${timeSecsText(ttl)})` : undefined,
  );
  p.add(F.rrsigExpiration, start + 8, 4, BigInt(p.u32(start + 8)) * 1_000_000_000n);
  p.add(F.rrsigInception, start + 12, 4, BigInt(p.u32(start + 12)) * 1_000_000_000n);
  p.add(F.rrsigKeyTag, start + 16, 2);
  const signer = readName(p, start + 18, msgStart);
  p.add(F.rrsigSigner, start + 18, signer.len, signer.text);
  const sig = start + 18 + signer.len;
  if (end > sig) p.add(F.rrsigSignature, sig, end - sig);
}

/** RFC 4034 §4.1: next owner name (uncompressed) and the type bit maps (§4.1.2). */
function nsec(p: Dissection, start: number, end: number, msgStart: number): RdataText {
  const next = readName(p, start, msgStart);
  p.add(F.nsecNext, start, next.len, next.text);
  let o = start + next.len;
  while (p.tree && o + 2 <= end) {
    const window = p.u8(o);
    const len = p.u8(o + 1);
    p.check(o + 2, len);
    for (let i = 0; i < len; i++) {
      const bits = p.u8(o + 2 + i);
      for (let b = 0; b < 8; b++) {
        if (bits & (0x80 >> b)) {
          const t = window * 256 + i * 8 + b;
          p.addText(`RR type in bit map: ${RR_TYPE_DESCRIPTIONS[t] ?? rrTypeName(t)}`, o + 2 + i, 1);
        }
      }
    }
    o += 2 + len;
  }
  return { info: '', label: '' };
}

/** RFC 1035 §3.3: one or more <character-string>s (a length byte, then that many bytes). */
function characterStrings(
  p: Dissection,
  start: number,
  end: number,
  lenField: typeof F.txtLength,
  field: typeof F.txt,
): void {
  for (let o = start; o < end;) {
    const n = p.u8(o);
    p.add(lenField, o, 1, n);
    p.add(field, o + 1, n, printable(p.bytes(o + 1, n)));
    o += 1 + n;
  }
}

/** C escapes for control characters (Wireshark's format_text): `\a`, `\n`…, else octal. */
function printable(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += escapeControl(c);
  }
  return s;
}

/** Wireshark's time_secs_to_str: `1 hour, 2 minutes, 3 seconds`; `0 seconds`. */
export function timeSecsText(total: number): string {
  if (total === 0) return '0 seconds';
  const parts: string[] = [];
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let rest = total;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}
