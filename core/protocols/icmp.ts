// Internet Control Message Protocol (RFC 792, RFC 950 address mask, RFC 1256 router discovery,
// RFC 1191 next-hop MTU). Echo requests and replies are paired per capture (Wireshark's
// "reply in" / "request in"); error messages decode the datagram they quote (RFC 792: the IP
// header plus at least its first 64 bits) without touching the columns or conversation state.
import type { Dissection } from '../dissect/dissection';
import { hex } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { internetChecksum, addVerifiedChecksum } from './checksum';
import { data } from './data';
import { ip, ipHeaderTtl } from './ip';

export const ICMP_TYPES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply',
  1: 'Reserved',
  2: 'Reserved',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  6: 'Alternate host address',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  19: 'Reserved (for security)',
  30: 'Traceroute',
  31: 'Datagram Conversion Error',
  32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You',
  34: 'IPv6 I-Am-Here',
  35: 'Mobile Registration Request',
  36: 'Mobile Registration Reply',
  37: 'Domain Name Request',
  38: 'Domain Name Reply',
  39: 'SKIP',
  40: 'Photuris',
  41: 'Experimental mobility protocols',
  42: 'Extended Echo request',
  43: 'Extended Echo reply',
};

const UNREACH_CODES: Readonly<Record<number, string>> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  5: 'Source route failed',
  6: 'Destination network unknown',
  7: 'Destination host unknown',
  8: 'Source host isolated',
  9: 'Network administratively prohibited',
  10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS',
  13: 'Communication administratively filtered',
  14: 'Host precedence violation',
  15: 'Precedence cutoff in effect',
};
const REDIRECT_CODES = {
  0: 'Redirect for network',
  1: 'Redirect for host',
  2: 'Redirect for TOS and network',
  3: 'Redirect for TOS and host',
};
const TIME_EXCEEDED_CODES = { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' };
const PARAM_PROBLEM_CODES = {
  0: 'Pointer indicates the error',
  1: 'Required option missing',
  2: 'Bad length',
};
const ROUTER_ADV_CODES = { 0: 'Normal router advertisement', 16: 'Does not route common traffic' };

/** Code names per type (Wireshark shows them in parentheses, in the tree and the Info column). */
const CODE_NAMES: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  3: UNREACH_CODES,
  5: REDIRECT_CODES,
  9: ROUTER_ADV_CODES,
  11: TIME_EXCEEDED_CODES,
  12: PARAM_PROBLEM_CODES,
};

const STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified' };

export const icmp = defineProtocol({
  abbrev: 'icmp',
  name: 'Internet Control Message Protocol',
  short: 'ICMP',
  fields: {
    type: { abbrev: 'icmp.type', name: 'Type', type: 'uint8' },
    code: { abbrev: 'icmp.code', name: 'Code', type: 'uint8' },
    checksum: { abbrev: 'icmp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
    checksumStatus: { abbrev: 'icmp.checksum.status', name: 'Checksum Status', type: 'uint8', vals: STATUS },
    unused: { abbrev: 'icmp.unused', name: 'Unused', type: 'bytes' },
    ident: { abbrev: 'icmp.ident', name: 'Identifier (BE)', type: 'uint16', base: 'dec_hex' },
    identLe: { abbrev: 'icmp.ident_le', name: 'Identifier (LE)', type: 'uint16', base: 'dec_hex' },
    seq: { abbrev: 'icmp.seq', name: 'Sequence Number (BE)', type: 'uint16', base: 'dec_hex' },
    seqLe: { abbrev: 'icmp.seq_le', name: 'Sequence Number (LE)', type: 'uint16', base: 'dec_hex' },
    mtu: { abbrev: 'icmp.mtu', name: 'MTU of next hop', type: 'uint16' },
    length: { abbrev: 'icmp.length', name: 'Length', type: 'uint8' },
    numAddrs: { abbrev: 'icmp.num_addrs', name: 'Number of addresses', type: 'uint8' },
    addrEntrySize: { abbrev: 'icmp.addr_entry_size', name: 'Address entry size', type: 'uint8' },
    lifetime: { abbrev: 'icmp.lifetime', name: 'Lifetime', type: 'uint16' },
    pointer: { abbrev: 'icmp.pointer', name: 'Pointer', type: 'uint32' },
    routerAddress: { abbrev: 'icmp.router_address', name: 'Router address', type: 'ipv4' },
    prefLevel: { abbrev: 'icmp.pref_level', name: 'Preference level', type: 'int32' },
    originateTimestamp: { abbrev: 'icmp.originate_timestamp', name: 'Originate Timestamp', type: 'uint32' },
    receiveTimestamp: { abbrev: 'icmp.receive_timestamp', name: 'Receive Timestamp', type: 'uint32' },
    transmitTimestamp: { abbrev: 'icmp.transmit_timestamp', name: 'Transmit Timestamp', type: 'uint32' },
    addressMask: { abbrev: 'icmp.address_mask', name: 'Address Mask', type: 'ipv4' },
    redirGw: { abbrev: 'icmp.redir_gw', name: 'Gateway Address', type: 'ipv4' },
    respIn: { abbrev: 'icmp.resp_in', name: 'Response frame', type: 'framenum' },
    noResp: { abbrev: 'icmp.no_resp', name: 'No response seen', type: 'none' },
    respTo: { abbrev: 'icmp.resp_to', name: 'Request frame', type: 'framenum' },
    respTime: { abbrev: 'icmp.resptime', name: 'Response time', type: 'double' },
  },
  dissect: dissectIcmp,
});

// ---- echo pairing (per capture) ----

interface EchoTransaction {
  requestFrame: number;
  /** Capture timestamp of the request (seconds, nanoseconds): exact differences. */
  requestSec: number;
  requestNsec: number;
  replyFrame?: number;
}

/** Pairs echo requests and replies by (addresses, identifier, sequence), shared with ICMPv6. */
export class EchoPairing {
  private readonly open = new Map<string, EchoTransaction>();
  /** Per frame: the transaction it belongs to (so revisits read, never update). */
  private readonly byFrame = new Map<number, EchoTransaction>();

  /** Records (first pass) or looks up (revisit) the transaction for this request/reply. */
  track(
    p: Dissection,
    isRequest: boolean,
    a: string,
    b: string,
    ident: number,
    seq: number,
  ): EchoTransaction | undefined {
    const frame = p.frame.number;
    const known = this.byFrame.get(frame);
    if (known || p.visited) return known;
    const key = `${isRequest ? a : b}>${isRequest ? b : a}#${ident}/${seq}`;
    if (isRequest) {
      const t: EchoTransaction = {
        requestFrame: frame,
        requestSec: p.frame.tsSec,
        requestNsec: p.frame.tsNsec,
      };
      this.open.set(key, t);
      this.byFrame.set(frame, t);
      return t;
    }
    const t = this.open.get(key);
    if (!t || t.replyFrame !== undefined) return undefined;
    t.replyFrame = frame;
    this.byFrame.set(frame, t);
    return t;
  }
}

/** Appends the pairing items and Info suffix for an echo request or reply. */
export function showEchoPairing(
  p: Dissection,
  t: EchoTransaction | undefined,
  isRequest: boolean,
  f: {
    respIn: typeof icmp.f.respIn;
    respTo: typeof icmp.f.respTo;
    respTime: typeof icmp.f.respTime;
    noResp: typeof icmp.f.noResp;
  },
): void {
  if (isRequest) {
    if (t?.replyFrame !== undefined) {
      p.addGenerated(f.respIn, t.replyFrame, `Response frame: ${t.replyFrame}`);
      p.appendInfo(` (reply in ${t.replyFrame})`);
    } else if (p.visited) {
      // Only a complete pass can say no reply exists (tshark -2).
      p.addGenerated(f.noResp, 0, 'No response seen');
      p.appendInfo(' (no response found!)');
    }
    return;
  }
  if (!t) return;
  p.addGenerated(f.respTo, t.requestFrame, `Request frame: ${t.requestFrame}`);
  const ns = (p.frame.tsSec - t.requestSec) * 1e9 + (p.frame.tsNsec - t.requestNsec);
  const ms = ns / 1e6;
  p.addGenerated(f.respTime, ms, `Response time: ${ms.toFixed(3)} ms`);
  p.appendInfo(` (request in ${t.requestFrame})`);
}

const pairing = (p: Dissection): EchoPairing => p.state.slot('icmp.echo', () => new EchoPairing());

// ---- decode ----

function dissectIcmp(p: Dissection, start: number, end: number): void {
  const f = icmp.f;
  const type = p.u8(start);
  const code = p.u8(start + 1);
  // Wireshark calls every code 0/16 router advertisement a Mobile IP one (RFC 5944 §2.1).
  const typeName =
    type === 9 && (code === 0 || code === 16)
      ? 'Mobile IP Advertisement'
      : (ICMP_TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)');
  const codeName = CODE_NAMES[type]?.[code];
  const top = p.add(icmp.field, start, end - start);
  p.open(top);
  p.add(f.type, start, 1, type, `Type: ${type} (${typeName})`);
  p.add(f.code, start + 1, 1, code, codeName ? `Code: ${code} (${codeName})` : `Code: ${code}`);
  if (p.columns) p.setInfo(`${typeName.padEnd(20)}${codeName ? ` (${codeName})` : ''}`);
  addChecksum(p, start, end);

  switch (type) {
    case 0:
    case 8:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18:
      dissectQuery(p, type, start, end);
      break;
    case 3:
    case 4:
    case 5:
    case 11:
    case 12:
      dissectError(p, type, code, start, end);
      break;
    case 9:
      dissectRouterAdvertisement(p, start, end);
      break;
    case 10:
      break; // router solicitation: only a reserved word (RFC 1256 §3)
    default:
      if (end > start + 4) p.call(data, start + 4, end);
  }
  p.close(top);
}

/** The message checksum (RFC 792: over the whole ICMP message). Unverifiable when cut short. */
function addChecksum(p: Dissection, start: number, end: number): void {
  const f = icmp.f;
  const stored = p.u16(start + 2);
  const complete = p.remaining(start) >= end - start;
  if (!complete || p.inError) {
    const why = p.inError ? ' [in ICMP error packet]' : '';
    p.add(f.checksum, start + 2, 2, stored, `Checksum: 0x${hex(stored, 4)} [unverified]${why}`);
    p.addGenerated(f.checksumStatus, 2, 'Checksum Status: Unverified');
    return;
  }
  const residue = internetChecksum(p.data, start, end);
  addVerifiedChecksum(p, f, start + 2, stored, residue, 'ICMP');
}

/** Echo, timestamp, information and address-mask messages: identifier and sequence number. */
function dissectQuery(p: Dissection, type: number, start: number, end: number): void {
  const f = icmp.f;
  const ident = p.u16(start + 4);
  const seq = p.u16(start + 6);
  const identLe = ((ident & 0xff) << 8) | (ident >> 8);
  const seqLe = ((seq & 0xff) << 8) | (seq >> 8);
  p.add(f.ident, start + 4, 2);
  p.add(f.identLe, start + 4, 2, identLe);
  p.add(f.seq, start + 6, 2);
  p.add(f.seqLe, start + 6, 2, seqLe);
  if (p.columns) p.appendInfo(` id=0x${hex(ident, 4)}, seq=${seq}/${seqLe}, ttl=${ipHeaderTtl(p) ?? 0}`);
  if (type === 0 || type === 8) {
    const isRequest = type === 8;
    if (!p.inError) {
      const t = pairing(p).track(p, isRequest, p.cols.netSrc, p.cols.netDst, ident, seq);
      showEchoPairing(p, t, isRequest, f);
    }
    if (end > start + 8) p.call(data, start + 8, end);
    return;
  }
  if (type === 13 || type === 14) {
    // Timestamps: milliseconds since midnight UT (RFC 792).
    for (const [field, at] of [
      [f.originateTimestamp, 8],
      [f.receiveTimestamp, 12],
      [f.transmitTimestamp, 16],
    ] as const) {
      const v = p.u32(start + at);
      p.add(field, start + at, 4, v, `${field.name}: ${v} (${durationText(v)} after midnight UTC)`);
    }
    return;
  }
  if (type === 17 || type === 18) {
    p.add(f.addressMask, start + 8, 4);
    return;
  }
  if (end > start + 8) p.call(data, start + 8, end);
}

/** Wireshark's signed_time_msecs_to_str: `1 hour, 0.010 seconds`, `0 seconds`. */
export function durationText(ms: number): string {
  const neg = ms < 0;
  let rest = Math.abs(ms);
  const parts: string[] = [];
  const unit = (n: number, name: string) => `${n} ${name}${n === 1 ? '' : 's'}`;
  const days = Math.floor(rest / 86_400_000);
  rest %= 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest %= 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest %= 60_000;
  if (days) parts.push(unit(days, 'day'));
  if (hours) parts.push(unit(hours, 'hour'));
  if (minutes) parts.push(unit(minutes, 'minute'));
  const seconds = Math.floor(rest / 1000);
  const millis = rest % 1000;
  if (millis) parts.push(`${seconds}.${String(millis).padStart(3, '0')} seconds`);
  else if (seconds || !parts.length) parts.push(unit(seconds, 'second'));
  return (neg ? '-' : '') + parts.join(', ');
}

/** Unreachable, source quench, redirect, time exceeded, parameter problem: 4 bytes, then the quoted datagram. */
function dissectError(p: Dissection, type: number, code: number, start: number, end: number): void {
  const f = icmp.f;
  if (type === 5) {
    p.add(f.redirGw, start + 4, 4);
  } else if (type === 12) {
    const ptr = p.u8(start + 4);
    p.add(f.pointer, start + 4, 1, ptr);
    p.add(f.unused, start + 5, 3);
  } else if (type === 4) {
    // Source quench: Wireshark shows no item for the unused word.
  } else if (type === 3 && code === 4) {
    // RFC 1191: unused (16 bits) then the next-hop MTU.
    p.add(f.unused, start + 4, 2);
    p.add(f.mtu, start + 6, 2);
  } else {
    const len = p.u8(start + 5);
    if (len && type !== 4) {
      // RFC 4884: length of the original datagram in 32-bit words.
      p.add(f.unused, start + 4, 1);
      p.add(f.length, start + 5, 1, len, `Length: ${len}`);
      p.add(f.unused, start + 6, 2);
    } else {
      p.add(f.unused, start + 4, 4);
    }
  }
  if (p.inError) return; // an error about an error is not decoded further (RFC 1122 §3.2.2)
  const quotedStart = start + 8;
  if (quotedStart >= end) return;
  p.quoted(() => {
    p.call(ip, quotedStart, end);
  });
}

/** RFC 1256 router advertisement: address count, entry size, lifetime, then (address, preference) pairs. */
function dissectRouterAdvertisement(p: Dissection, start: number, end: number): void {
  const f = icmp.f;
  const n = p.u8(start + 4);
  const size = p.u8(start + 5);
  p.add(f.numAddrs, start + 4, 1);
  p.add(f.addrEntrySize, start + 5, 1);
  const lifetime = p.u16(start + 6);
  p.add(f.lifetime, start + 6, 2, lifetime, `Lifetime: ${lifetime} (${durationText(lifetime * 1000)})`);
  const step = Math.max(2, size) * 4;
  for (let i = 0, o = start + 8; i < n && o + 8 <= end; i++, o += step) {
    p.add(f.routerAddress, o, 4);
    p.add(f.prefLevel, o + 4, 4);
  }
}

// ---- encoding ----

export interface IcmpRepr {
  type: number;
  code: number;
  identifier?: number;
  sequence?: number;
  checksum?: number;
  /** Bytes 4..7 for non-echo messages (unused, gateway, pointer…). */
  rest?: Uint8Array;
}

const isEcho = (type: number) => type === 0 || type === 8 || (type >= 13 && type <= 18);

/** Builds an ICMP message: 8-byte header + payload, checksum computed unless given. */
export function encodeIcmp(repr: IcmpRepr, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  out[0] = repr.type;
  out[1] = repr.code;
  if (repr.rest) out.set(repr.rest.subarray(0, 4), 4);
  else if (isEcho(repr.type) || repr.identifier !== undefined || repr.sequence !== undefined) {
    const id = repr.identifier ?? 0;
    const seq = repr.sequence ?? 0;
    out[4] = id >> 8;
    out[5] = id & 0xff;
    out[6] = seq >> 8;
    out[7] = seq & 0xff;
  }
  out.set(payload, 8);
  const ck = repr.checksum ?? internetChecksum(out);
  out[2] = ck >> 8;
  out[3] = ck & 0xff;
  return out;
}

export function parseIcmp(bytes: Uint8Array): { repr: IcmpRepr; payload: Uint8Array } | undefined {
  if (bytes.length < 8) return undefined;
  const type = bytes[0]!;
  const repr: IcmpRepr = { type, code: bytes[1]!, checksum: (bytes[2]! << 8) | bytes[3]! };
  if (isEcho(type)) {
    repr.identifier = (bytes[4]! << 8) | bytes[5]!;
    repr.sequence = (bytes[6]! << 8) | bytes[7]!;
  } else {
    repr.rest = bytes.slice(4, 8);
  }
  return { repr, payload: bytes.subarray(8) };
}

tables.ipProto.register(1, icmp);
