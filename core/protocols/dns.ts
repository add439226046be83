// Domain Name System (RFC 1035) over UDP and TCP port 53, Multicast DNS (RFC 6762, UDP 5353)
// and LLMNR (RFC 4795, UDP/TCP 5355). One message decoder serves all three, with tshark's
// `dns.*` fields: the header and its flags (§4.1.1), the question section (§4.1.2), then the
// answer, authority and additional RRs (§4.1.3) with their RDATA (dns-rr.ts). Over TCP each
// message carries a two-byte length prefix (§4.2.2); `pduLength` lets TCP reassembly find
// message ends. Queries and responses are paired per conversation and transaction ID
// (`dns.response_in`, `dns.response_to`, `dns.time`), remembered per frame for revisits.
import type { Dissection } from '../dissect/dissection';
import { hex, ipv4ToString, ipv6ToString, nsToSeconds } from '../dissect/format';
import { PerFrameTable } from '../dissect/per-frame';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { NEED_MORE_BYTES, type StreamDissector } from '../dissect/transport';
import { CLASS_NAMES, DNS_FIELD_SPECS, F, OPCODES, RCODES, EDNS_OPTIONS, rrTypeName } from './dns-fields';
import { readName, resetNameMemo } from './dns-names';
import { dissectRdata, timeSecsText } from './dns-rr';

export { encodeDns, parseDns, type DnsRepr, type DnsQuestionRepr, type DnsRecordRepr } from './dns-encode';

export const DNS_PORT = 53;
export const MDNS_PORT = 5353;
export const LLMNR_PORT = 5355;

const HEADER = 12;
const TYPE_OPT = 41;
const TYPE_SRV = 33;
const OPCODE_UPDATE = 5;
/** Bounds the work a hostile header can ask for (counts are 16 bits each). */
const MAX_RECORDS = 4096;
/** tshark's Info column holds at most 4095 characters (COL_MAX_INFO_LEN less the NUL). */
const MAX_INFO = 4095;

/** Appends to Info, cut at tshark's column size (a message with thousands of records). */
function appendInfo(p: Dissection, text: string): void {
  if (!p.columns) return;
  const room = MAX_INFO - p.cols.info.length;
  if (room > 0) p.appendInfo(room >= text.length ? text : text.slice(0, room));
}

type Flavour = 'dns' | 'mdns' | 'llmnr';

export const dns = defineProtocol({
  abbrev: 'dns',
  name: 'Domain Name System',
  short: 'DNS',
  fields: DNS_FIELD_SPECS,
  dissect: (p, start, end) => dissectTransport(p, start, end, 'dns'),
});

export const mdns = defineProtocol({
  abbrev: 'mdns',
  name: 'Multicast Domain Name System',
  short: 'MDNS',
  fields: {},
  dissect: (p, start, end) => dissectTransport(p, start, end, 'mdns'),
});

export const llmnr = defineProtocol({
  abbrev: 'llmnr',
  name: 'Link-local Multicast Name Resolution',
  short: 'LLMNR',
  fields: {},
  dissect: (p, start, end) => dissectTransport(p, start, end, 'llmnr'),
});

/** RFC 1035 §4.2.2: over TCP each message is preceded by its two-byte length. */
function pduLength(_p: Dissection, data: Uint8Array, start: number, end: number): number {
  if (end - start < 2) return NEED_MORE_BYTES;
  return 2 + ((data[start]! << 8) | data[start + 1]!);
}

/** DNS over TCP (port 53) as a stream protocol. */
export const dnsTcp: StreamDissector = { ...dns, pduLength };
export const llmnrTcp: StreamDissector = { ...llmnr, pduLength };

const LAYER_NAMES: Record<Flavour, string> = {
  dns: 'Domain Name System',
  mdns: 'Multicast Domain Name System',
  llmnr: 'Link-local Multicast Name Resolution',
};

function dissectTransport(p: Dissection, start: number, end: number, flavour: Flavour): void {
  if (p.transport?.kind !== 'tcp') {
    dissectMessage(p, start, end, flavour, -1, true);
    return;
  }
  // Until reassembly hands over whole messages, a segment may hold several (or a part of one).
  let o = start;
  let first = true;
  while (o + 2 <= end) {
    const len = p.u16(o);
    const msgEnd = Math.min(end, o + 2 + len);
    if (!first) p.appendInfo(' ; ');
    dissectMessage(p, o + 2, msgEnd, flavour, o, first);
    first = false;
    o += 2 + len;
    if (len === 0) break;
  }
}

interface Counts {
  qd: number;
  an: number;
  ns: number;
  ar: number;
}

/** One message at `[start, end)`; `lenAt` is the TCP length prefix's offset, or -1. */
function dissectMessage(
  p: Dissection,
  start: number,
  end: number,
  flavour: Flavour,
  lenAt: number,
  first: boolean,
): void {
  resetNameMemo();
  const id = p.u16(start);
  const flags = p.u16(start + 2);
  const isResponse = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  const tree = p.tree;
  const proto = flavour === 'dns' ? dns : flavour === 'mdns' ? mdns : llmnr;
  const top = p.add(
    proto.field,
    lenAt >= 0 ? lenAt : start,
    end - (lenAt >= 0 ? lenAt : start),
    undefined,
    tree ? `${LAYER_NAMES[flavour]} (${isResponse ? 'response' : 'query'})` : undefined,
  );
  p.open(top);
  if (lenAt >= 0) p.add(F.length, lenAt, 2);
  p.add(F.id, start, 2, id);
  const opName = OPCODES[opcode] ?? `Unknown operation (${opcode})`;
  const rcodeName = RCODES[rcode] ?? `Unknown error (${rcode})`;
  const flagsItem = p.add(
    F.flags,
    start + 2,
    2,
    flags,
    tree
      ? `Flags: 0x${hex(flags, 4)} ${OPCODES[opcode] ?? 'Unknown operation'}${isResponse ? ` response, ${RCODES[rcode] ?? 'Unknown error'}` : ''}`
      : undefined,
  );
  p.open(flagsItem);
  if (flagsItem || p.detailFor('dns')) addFlags(p, start + 2, flags, isResponse, flavour);
  p.close(flagsItem);

  const counts: Counts = {
    qd: p.u16(start + 4),
    an: p.u16(start + 6),
    ns: p.u16(start + 8),
    ar: p.u16(start + 10),
  };
  const update = opcode === OPCODE_UPDATE;
  p.add(update ? F.countZones : F.countQueries, start + 4, 2, counts.qd);
  p.add(update ? F.countPrerequisites : F.countAnswers, start + 6, 2, counts.an);
  p.add(update ? F.countUpdates : F.countAuth, start + 8, 2, counts.ns);
  p.add(F.countAdd, start + 10, 2, counts.ar);

  let info = `${opName}${isResponse ? ' response' : ''} 0x${hex(id, 4)}`;
  if (isResponse && rcode !== 0) info += ` ${rcodeName}`;
  if (p.columns) {
    if (first) p.setInfo(info);
    else p.appendInfo(info);
  }

  // Pairing first, so a malformed body still pairs (Wireshark does it after the header too).
  const pair = pairTransaction(p, id, isResponse, start, counts.qd);

  let o = start + HEADER;
  try {
    o = questions(p, o, start, counts.qd, flavour, update ? 'Zone' : 'Queries');
    o = records(p, o, start, counts.an, flavour, update ? 'Prerequisites' : 'Answers');
    o = records(p, o, start, counts.ns, flavour, update ? 'Updates' : 'Authoritative nameservers');
    records(p, o, start, counts.ar, flavour, 'Additional records');
  } finally {
    if (pair) addPairing(p, pair);
    p.close(top);
  }
}

function addFlags(p: Dissection, at: number, flags: number, isResponse: boolean, flavour: Flavour): void {
  const b = (m: number) => (flags & m) !== 0;
  p.add(F.response, at, 2);
  p.add(F.opcode, at, 2);
  if (flavour === 'llmnr') {
    // RFC 4795 §2.1.1: C(onflict), TC, T(entative) replace AA, TC, RD; no RA.
    // RFC 4795 §2.1.1: in a query C means the sender saw several responses.
    if (isResponse) p.add(F.conflict, at, 2);
    else
      p.add(
        F.conflict,
        at,
        2,
        b(0x400),
        p.tree
          ? `.... .${b(0x400) ? 1 : 0}.. .... .... = Conflict: ${b(0x400) ? 'The sender received multiple responses' : 'None'}`
          : undefined,
      );
    p.add(F.truncated, at, 2);
    p.add(F.tentative, at, 2);
    if (isResponse) p.add(F.rcode, at, 2);
    return;
  }
  if (isResponse) p.add(F.authoritative, at, 2);
  p.add(F.truncated, at, 2);
  p.add(F.recdesired, at, 2);
  if (isResponse) p.add(F.recavail, at, 2);
  p.add(F.z, at, 2);
  // In a query the AD bit asks for the AD bit in the answer (RFC 6840 §5.7); tshark shows it
  // only when set.
  if (isResponse) p.add(F.authenticated, at, 2);
  else if (b(0x20))
    p.add(F.authenticated, at, 2, true, p.tree ? '.... .... ..1. .... = AD bit: Set' : undefined);
  p.add(F.checkdisable, at, 2);
  if (isResponse) p.add(F.rcode, at, 2);
}

function className(cls: number): string {
  return CLASS_NAMES[cls] ?? 'Unknown';
}

function questions(
  p: Dissection,
  o: number,
  msgStart: number,
  count: number,
  flavour: Flavour,
  title: string,
): number {
  if (count === 0) return o;
  const section = p.addText(title, o, 0);
  p.open(section);
  const n = Math.min(count, MAX_RECORDS);
  try {
    for (let i = 0; i < n; i++) {
      const name = readName(p, o, msgStart);
      const type = p.u16(o + name.len);
      let cls = p.u16(o + name.len + 2);
      const qu = flavour === 'mdns' && (cls & 0x8000) !== 0;
      if (flavour === 'mdns') cls &= 0x7fff;
      const typeName = rrTypeName(type);
      const item = p.addText(
        `${name.text}: type ${typeName}, class ${className(cls)}${flavour === 'mdns' ? `, "${qu ? 'QU' : 'QM'}" question` : ''}`,
        o,
        name.len + 4,
      );
      p.open(item);
      p.add(F.qryName, o, name.len, name.text);
      p.addGenerated(F.qryNameLen, name.text === '<Root>' ? 6 : name.text.length);
      p.addGenerated(F.labelCount, name.labels);
      p.add(F.qryType, o + name.len, 2, type);
      if (flavour === 'mdns') {
        p.add(
          F.qryClass,
          o + name.len + 2,
          2,
          cls,
          p.tree ? `.${bits15(cls)} = Class: ${className(cls)} (0x${hex(cls, 4)})` : undefined,
        );
        p.add(F.qryQu, o + name.len + 2, 2);
      } else {
        p.add(F.qryClass, o + name.len + 2, 2, cls);
      }
      p.close(item);
      appendInfo(
        p,
        ` ${typeName} ${name.text}${flavour === 'mdns' ? `, "${qu ? 'QU' : 'QM'}" question` : ''}`,
      );
      o += name.len + 4;
      if (section) section.end = o;
    }
  } finally {
    p.close(section);
  }
  return o;
}

/** The bit pattern of a 15-bit class under mDNS's QU/cache-flush bit. */
function bits15(cls: number): string {
  let s = '';
  for (let bit = 14; bit >= 0; bit--) {
    s += (cls >> bit) & 1 ? '1' : '0';
    if (bit % 4 === 0 && bit) s += ' ';
  }
  return s;
}

function records(
  p: Dissection,
  o: number,
  msgStart: number,
  count: number,
  flavour: Flavour,
  title: string,
): number {
  if (count === 0) return o;
  const section = p.addText(title, o, 0);
  p.open(section);
  const n = Math.min(count, MAX_RECORDS);
  try {
    for (let i = 0; i < n; i++) {
      o = record(p, o, msgStart, flavour);
      if (section) section.end = o;
    }
  } finally {
    p.close(section);
  }
  return o;
}

/** One resource record (RFC 1035 §4.1.3): NAME TYPE CLASS TTL RDLENGTH RDATA. */
function record(p: Dissection, o: number, msgStart: number, flavour: Flavour): number {
  const name = readName(p, o, msgStart);
  const t = o + name.len;
  const type = p.u16(t);
  const rawClass = p.u16(t + 2);
  const ttl = p.u32(t + 4);
  const rdlen = p.u16(t + 8);
  const rdata = t + 10;
  const typeName = rrTypeName(type);
  if (type === TYPE_OPT) return optRecord(p, o, name.text, name.len, rawClass, ttl, rdlen);

  const flush = flavour === 'mdns' && (rawClass & 0x8000) !== 0;
  const cls = flavour === 'mdns' ? rawClass & 0x7fff : rawClass;
  const item = p.addText('', o, name.len + 10 + rdlen);
  p.open(item);
  if (type === TYPE_SRV && name.labels >= 3) {
    // RFC 2782: _Service._Proto.Name; Wireshark splits the first two labels off whatever they are.
    const [service, proto] = name.text.split('.', 2) as [string, string];
    p.add(F.srvService, o, name.len, service);
    p.add(F.srvProto, o, name.len, proto);
    p.add(F.srvName, o, name.len, name.text.slice(service.length + proto.length + 2));
  } else {
    p.add(F.respName, o, name.len, name.text);
  }
  p.add(F.respType, t, 2, type);
  if (flavour === 'mdns') {
    p.add(
      F.respClass,
      t + 2,
      2,
      cls,
      p.tree ? `.${bits15(cls)} = Class: ${className(cls)} (0x${hex(cls, 4)})` : undefined,
    );
    p.add(F.cacheFlush, t + 2, 2);
  } else {
    p.add(F.respClass, t + 2, 2, cls);
  }
  p.add(F.ttl, t + 4, 4, ttl, p.tree ? `Time to live: ${ttl} (${timeSecsText(ttl)})` : undefined);
  p.add(F.rdLength, t + 8, 2, rdlen);
  p.check(rdata, rdlen);
  const saved = p.end;
  // RDATA must not read past its length (a name inside runs into the next record otherwise).
  let text;
  try {
    text = dissectRdata(p, type, rdata, rdlen, msgStart);
  } finally {
    p.end = saved;
  }
  if (item)
    item.label = `${name.text}: type ${typeName}, class ${className(cls)}${flush ? ', cache flush' : ''}${text.label}`;
  p.close(item);
  appendInfo(p, ` ${typeName}${flush ? ', cache flush' : ''}${text.info}`);
  return rdata + rdlen;
}

/** RFC 6891 §6.1.2: the OPT pseudo-RR; CLASS is the UDP payload size, TTL holds the extended
 * RCODE, version and the DO bit; RDATA is a list of options. */
function optRecord(
  p: Dissection,
  o: number,
  nameText: string,
  nameLen: number,
  payloadSize: number,
  ttl: number,
  rdlen: number,
): number {
  const t = o + nameLen;
  const rdata = t + 10;
  const item = p.addText(`${nameText}: type OPT`, o, nameLen + 10 + rdlen);
  p.open(item);
  p.add(F.respName, o, nameLen, nameText);
  p.add(F.respType, t, 2, TYPE_OPT);
  p.add(F.udpPayloadSize, t + 2, 2, payloadSize);
  p.add(F.extRcode, t + 4, 1, ttl >>> 24);
  p.add(F.ednsVersion, t + 5, 1, (ttl >>> 16) & 0xff);
  const z = ttl & 0xffff;
  const zItem = p.add(F.ednsZ, t + 6, 2, z);
  p.open(zItem);
  p.add(F.ednsDo, t + 6, 2);
  p.add(F.ednsZReserved, t + 6, 2);
  p.close(zItem);
  p.add(F.rdLength, t + 8, 2, rdlen);
  p.check(rdata, rdlen);
  const end = rdata + rdlen;
  for (let a = rdata; a + 4 <= end;) {
    const code = p.u16(a);
    const len = p.u16(a + 2);
    const optItem = p.add(
      F.opt,
      a,
      4 + len,
      undefined,
      p.tree ? `Option: ${EDNS_OPTIONS[code] ?? `Unknown (${code})`}` : undefined,
    );
    p.open(optItem);
    p.add(F.optCode, a, 2, code);
    p.add(F.optLen, a + 2, 2, len);
    const v = a + 4;
    if (len > 0) p.add(F.optData, v, Math.min(len, end - v));
    if (code === 10 && len >= 8) {
      // RFC 7873 §4: an 8-byte client cookie, then 8-32 bytes of server cookie.
      p.add(F.cookieClient, v, 8);
      if (len > 8) p.add(F.cookieServer, v + 8, len - 8);
      else p.addText('Server Cookie: <MISSING>', v + 8, 0);
    } else if (code === 8 && len >= 4 && p.tree) {
      const family = p.u16(v);
      const srcPrefix = p.u8(v + 2);
      const scopePrefix = p.u8(v + 3);
      p.addText(`Family: ${family === 1 ? 'IPv4' : family === 2 ? 'IPv6' : family} (${family})`, v, 2);
      p.addText(`Source Netmask: ${srcPrefix}`, v + 2, 1);
      p.addText(`Scope Netmask: ${scopePrefix}`, v + 3, 1);
      const addr = new Uint8Array(family === 2 ? 16 : 4);
      addr.set(p.bytes(v + 4, Math.min(len - 4, addr.length)));
      p.addText(
        `Client Subnet: ${family === 2 ? ipv6ToString(addr) : ipv4ToString(new DataView(addr.buffer).getUint32(0))}`,
        v + 4,
        len - 4,
      );
    }
    p.close(optItem);
    a = v + len;
  }
  p.close(item);
  appendInfo(p, ' OPT');
  return end;
}

// ---- query/response pairing ----

/** Transactions per conversation and ID; frames remember their role for revisits. */
interface DnsPairing {
  /** `${kind}/${stream}/${id}` → index of the open (or last) transaction. */
  open: Map<string, number>;
  requestFrame: number[];
  responseFrame: number[];
  /** Request timestamps: whole seconds and nanoseconds (exact, unlike one float of ns). */
  requestSec: number[];
  requestNsec: number[];
  /** The first question's name of each request (a retransmission asks the same). */
  requestName: string[];
  /** Per frame: role (see `Role`) and transaction index. */
  byFrame: PerFrameTable;
}

interface PairResult {
  role: number;
  txn: number;
  st: DnsPairing;
}

function pairing(p: Dissection): DnsPairing {
  return p.state.slot<DnsPairing>('dns.pairing', () => ({
    open: new Map(),
    requestFrame: [],
    responseFrame: [],
    requestName: [],
    requestSec: [],
    requestNsec: [],
    // Role (1…5) and transaction index (-1 for none): 5 bytes per frame.
    byFrame: new PerFrameTable(['u8', 'i32']),
  }));
}

const enum Role {
  Request = 1,
  Response = 2,
  Unsolicited = 3,
  RetransmittedRequest = 4,
  RetransmittedResponse = 5,
}

/** The first question's name, if it reads (for telling retransmissions from new requests). */
function firstName(p: Dissection, msgStart: number, qd: number): string {
  if (qd === 0) return '';
  try {
    return readName(p, msgStart + HEADER, msgStart).text;
  } catch {
    return '';
  }
}

function pairTransaction(
  p: Dissection,
  id: number,
  isResponse: boolean,
  msgStart: number,
  qd: number,
): PairResult | undefined {
  if (p.inError) return undefined;
  const st = pairing(p);
  const frame = p.frame.number;
  const nth = p.layerNumber(p.protocol) - 1;
  if (st.byFrame.has(frame, nth))
    return { role: st.byFrame.get(frame, nth, 0), txn: st.byFrame.get(frame, nth, 1), st };
  if (p.visited) return undefined;
  const tr = p.transport;
  const key = `${tr?.kind ?? 'x'}/${tr?.stream ?? -1}/${id}`;
  let txn = st.open.get(key);
  let role: Role;
  if (!isResponse) {
    const name = firstName(p, msgStart, qd);
    if (txn !== undefined && st.responseFrame[txn] === 0 && st.requestName[txn] === name) {
      // The same question again before any answer: a retransmission of the open request.
      role = Role.RetransmittedRequest;
    } else {
      txn = st.requestFrame.length;
      st.requestFrame.push(frame);
      st.responseFrame.push(0);
      st.requestName.push(name);
      st.requestSec.push(p.frame.tsSec);
      st.requestNsec.push(p.frame.tsNsec);
      st.open.set(key, txn);
      role = Role.Request;
    }
  } else if (txn !== undefined && st.responseFrame[txn] === 0) {
    st.responseFrame[txn] = frame;
    role = Role.Response;
  } else if (txn !== undefined) {
    role = Role.RetransmittedResponse;
  } else {
    role = Role.Unsolicited;
    txn = -1;
  }
  st.byFrame.set(frame, nth, 0, role);
  st.byFrame.set(frame, nth, 1, txn);
  return { role, txn, st };
}

function addPairing(p: Dissection, { role, txn, st }: PairResult): void {
  if (role === Role.Request) {
    const resp = st.responseFrame[txn] ?? 0;
    // Known on a revisit (or a second pass); tshark's single pass cannot know it yet.
    if (resp !== 0 && (p.visited || resp < p.frame.number))
      p.addGenerated(F.responseIn, resp, `Response In: ${resp}`);
  } else if (role === Role.Response) {
    const req = st.requestFrame[txn]!;
    p.addGenerated(F.responseTo, req, `Request In: ${req}`);
    if (p.wants(F.time)) {
      const ns =
        BigInt(p.frame.tsSec - st.requestSec[txn]!) * 1_000_000_000n +
        BigInt(p.frame.tsNsec - st.requestNsec[txn]!);
      p.addGenerated(F.time, ns, `Time: ${nsToSeconds(ns)} seconds`);
    }
  } else if (role === Role.RetransmittedRequest || role === Role.RetransmittedResponse) {
    const request = role === Role.RetransmittedRequest;
    const original = request ? st.requestFrame[txn]! : st.responseFrame[txn]!;
    const what = request ? 'request' : 'response';
    const ex = p.addText(
      `[Expert Info (Warning/Protocol): DNS ${request ? 'query' : what} retransmission. Original ${what} in frame ${original}]`,
      0,
      0,
    );
    if (ex) ex.severity = 'warn';
    p.addGenerated(
      request ? F.retransmitRequestIn : F.retransmitResponseIn,
      original,
      `Retransmitted ${what}. Original ${what} in: ${original}`,
    );
    p.addGenerated(F.retransmission, true, 'Retransmission: True');
  } else if (role === Role.Unsolicited) {
    p.addGenerated(F.unsolicited, true, 'Unsolicited: True');
  }
}

tables.udpPort.register(DNS_PORT, dns);
tables.tcpPort.register(DNS_PORT, dnsTcp);
tables.udpPort.register(MDNS_PORT, mdns);
tables.udpPort.register(LLMNR_PORT, llmnr);
tables.tcpPort.register(LLMNR_PORT, llmnrTcp);
