// Transport Layer Security 1.0–1.3 over TCP (RFC 2246, 4346, 5246, 8446): the record layer
// (RFC 8446 §5.1: type, legacy version, length), handshake messages (§4) with their extensions,
// Change Cipher Spec, alerts (§6) and application data, as tshark 4.0 shows them — including
// its Protocol column, which names the session's version once a Server Hello fixed it
// (supported_versions for TLS 1.3, RFC 8446 §4.2.1) and the record's version before that.
//
// Records are found by `pduLength` (5-byte header + length); `dissect` decodes every complete
// record in what it is given (several records per segment), and handshake messages that span
// records are put back together per direction (RFC 8446 §5.1: handshake messages may be
// coalesced into one record or fragmented across several).
import type { Dissection } from '../dissect/dissection';
import { PerFrameTable } from '../dissect/per-frame';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { addStreamHeuristic, NEED_MORE_BYTES, type StreamDissector } from '../dissect/transport';
import { dissectHandshake, handshakeFields, handshakeName, type HandshakeContext } from './tls-handshake';
import { ALERT_DESCRIPTIONS, ALERT_LEVELS, CONTENT_TYPES, VERSIONS } from './tls-names';

export const TLS_RECORD_HEADER = 5;
/** RFC 8446 §5.2: a record's ciphertext is at most 2^14 + 256 bytes; TLS 1.2 allows 2^14 + 2048. */
const MAX_RECORD = (1 << 14) + 2048;

const CT_CHANGE_CIPHER_SPEC = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APPLICATION_DATA = 23;
const CT_HEARTBEAT = 24;

/** tshark's short version names (Protocol column and record labels). */
const SHORT_VERSIONS: Readonly<Record<number, string>> = {
  0x0002: 'SSLv2',
  0x0300: 'SSLv3',
  0x0301: 'TLSv1',
  0x0302: 'TLSv1.1',
  0x0303: 'TLSv1.2',
  0x0304: 'TLSv1.3',
  0xfeff: 'DTLSv1.0',
  0xfefd: 'DTLSv1.2',
};

/** TCP ports tshark 4.0 decodes as TLS by default (`tshark -G decodes`: HTTPS, SMTPS, LDAPS,
 * DNS over TLS, IMAPS, POP3S, SIPS, AMQPS, MQTTS, …). Other ports are found by the heuristic. */
export const TLS_TCP_PORTS = [
  324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684,
  5868, 8883, 11207, 19999, 27017,
];

export const tls = defineProtocol({
  abbrev: 'tls',
  name: 'Transport Layer Security',
  short: 'TLS',
  fields: {
    record: { abbrev: 'tls.record', name: 'Record Layer', type: 'none' },
    contentType: {
      abbrev: 'tls.record.content_type',
      name: 'Content Type',
      type: 'uint8',
      vals: CONTENT_TYPES,
    },
    opaqueType: { abbrev: 'tls.record.opaque_type', name: 'Opaque Type', type: 'uint8', vals: CONTENT_TYPES },
    version: { abbrev: 'tls.record.version', name: 'Version', type: 'uint16', base: 'hex', vals: VERSIONS },
    length: { abbrev: 'tls.record.length', name: 'Length', type: 'uint16' },
    appData: { abbrev: 'tls.app_data', name: 'Encrypted Application Data', type: 'bytes' },
    changeCipherSpec: { abbrev: 'tls.change_cipher_spec', name: 'Change Cipher Spec Message', type: 'none' },
    alert: { abbrev: 'tls.alert_message', name: 'Alert Message', type: 'none' },
    alertLevel: { abbrev: 'tls.alert_message.level', name: 'Level', type: 'uint8', vals: ALERT_LEVELS },
    alertDesc: {
      abbrev: 'tls.alert_message.desc',
      name: 'Description',
      type: 'uint8',
      vals: ALERT_DESCRIPTIONS,
    },
    handshakeEncrypted: { abbrev: 'tls.handshake', name: 'Handshake Protocol', type: 'none' },
    ignoredUnknownRecord: {
      abbrev: 'tls.ignored_unknown_record',
      name: 'Ignored Unknown Record',
      type: 'none',
    },
    segmentData: { abbrev: 'tls.segment.data', name: 'TLS segment data', type: 'bytes' },
    appDataProto: { abbrev: 'tls.app_data_proto', name: 'Application Data Protocol', type: 'string' },
    ...handshakeFields,
  },
  dissect: dissectTls,
});

// ---- per-conversation state ----

interface Direction {
  /** A ChangeCipherSpec (or, in TLS 1.3, the Server Hello) was seen: later handshake records
   * in this direction are encrypted. */
  encrypted: boolean;
  /** A handshake message still missing bytes: the bytes so far, and the pieces (frame, size)
   * they came in. */
  pending: Uint8Array | null;
  pieces: Piece[];
}

interface Piece {
  frame: number;
  size: number;
}

interface Session {
  /** The negotiated version (0 until a Server Hello says), e.g. 0x0304. */
  version: number;
  /** The client's port, from its Client Hello (tells the directions apart). */
  clientPort: number;
  /** The protocol the server selected by ALPN (RFC 7301 §3.2), if any. */
  alpn: string;
  dirs: [Direction, Direction];
}

interface TlsState {
  sessions: Map<number, Session>;
  /** The session version and the two directions' encrypted flags as they were when each TLS
   * call of a frame began (a frame may hold several records), so a revisit decodes as the
   * first pass did; packed by `packCall`. The first call of a frame in a typed column (no
   * object per frame), later ones by frame number × 65536 + call index. */
  firstCall: PerFrameTable;
  laterCalls: Map<number, number>;
  /** Handshake messages continued from an earlier record, by where the record's body starts
   * (frame, call, offset): the bytes they took there and the completed message, for revisits. */
  continued: Map<string, { consumed: number; joined: Uint8Array | null; type: number; pieces: Piece[] }>;
}

function newState(): TlsState {
  return {
    sessions: new Map(),
    firstCall: new PerFrameTable(['u32']),
    laterCalls: new Map(),
    continued: new Map(),
  };
}

/** Version × 4 + the two directions' encrypted flags. */
function packCall(s: Session): number {
  return s.version * 4 + (s.dirs[0].encrypted ? 2 : 0) + (s.dirs[1].encrypted ? 1 : 0);
}

/** Which TLS call of the packet this is (TCP reassembly hands over one record at a time), and
 * the data source of the previous one. */
interface CallTrack {
  index: number;
  /** The bytes the previous call read (the frame, or a reassembled buffer). */
  data: Uint8Array;
}
const calls = new WeakMap<Dissection, CallTrack>();
const FIRST_CALL: { readonly index: number; readonly continued: boolean } = Object.freeze({
  index: 0,
  continued: false,
});

/**
 * Counts this call and, when the previous layer of the packet is TLS over the same bytes,
 * folds this call into it: tshark decodes all records of a segment in one TLS layer
 * (`frame.protocols` …tcp:tls), and a reassembled record plus the segment's own records in two.
 */
function enterCall(p: Dissection): { index: number; continued: boolean } {
  const first = p.layerNumber('tls') === 1;
  const prev = calls.get(p);
  if (!prev) {
    calls.set(p, { index: 0, data: p.data });
    return FIRST_CALL;
  }
  if (first) {
    prev.index = 0;
    prev.data = p.data;
    return FIRST_CALL;
  }
  prev.index++;
  const at = p.protocols.length - 1;
  // (The certificate's x509/pkcs-1/pkix1/ns_cert_exts layers belong to the TLS layer before them.)
  let below = at - 1;
  while (below > 0 && /^(x509|pkcs-1$|pkix1|ns_cert_exts$)/.test(p.protocols[below]!)) below--;
  const continued = p.protocols[below] === 'tls' && prev.data === p.data;
  if (continued) p.protocols.length = at;
  prev.data = p.data;
  return { index: prev.index, continued };
}

function newSession(): Session {
  return {
    version: 0,
    clientPort: 0,
    alpn: '',
    dirs: [
      { encrypted: false, pending: null, pieces: [] },
      { encrypted: false, pending: null, pieces: [] },
    ],
  };
}

/** The session for this TCP stream; on a revisit a copy restored to the call's first-pass state. */
function sessionFor(p: Dissection, call: number): Session {
  const st = p.state.slot('tls', newState);
  const stream = p.transport?.stream ?? -1;
  const frame = p.frame.number;
  const key = frame * 65536 + Math.min(call, 65535);
  const saved = !p.visited
    ? undefined
    : call === 0
      ? st.firstCall.has(frame)
        ? st.firstCall.get(frame, 0, 0)
        : undefined
      : st.laterCalls.get(key);
  const live = st.sessions.get(stream);
  if (saved !== undefined) {
    const s = newSession();
    s.version = Math.floor(saved / 4);
    s.dirs[0].encrypted = (saved & 2) !== 0;
    s.dirs[1].encrypted = (saved & 1) !== 0;
    s.clientPort = live?.clientPort ?? 0;
    s.alpn = live?.alpn ?? '';
    return s;
  }
  let s = live;
  if (!s) st.sessions.set(stream, (s = newSession()));
  if (call === 0) st.firstCall.set(frame, 0, 0, packCall(s));
  else st.laterCalls.set(key, packCall(s));
  return s;
}

// ---- record framing ----

function looksLikeRecord(data: Uint8Array, start: number, end: number): boolean {
  if (end - start < 3) return false;
  const type = data[start]!;
  const major = data[start + 1]!;
  const minor = data[start + 2]!;
  return type >= CT_CHANGE_CIPHER_SPEC && type <= CT_HEARTBEAT && major === 3 && minor <= 4;
}

/**
 * RFC 8446 §5.1: a 5-byte header then `length` bytes. Bytes that do not start a record (a
 * capture that began mid-record, a lost segment) are taken whole, as tshark shows them:
 * "Continuation Data" of the TLS conversation.
 */
export function tlsPduLength(_p: Dissection, data: Uint8Array, start: number, end: number): number {
  const avail = end - start;
  if (avail < 3) return NEED_MORE_BYTES;
  if (!looksLikeRecord(data, start, end)) return avail;
  if (avail < TLS_RECORD_HEADER) return NEED_MORE_BYTES;
  const len = (data[start + 3]! << 8) | data[start + 4]!;
  if (len > MAX_RECORD) return avail;
  return TLS_RECORD_HEADER + len;
}

/** ALPN protocol IDs (RFC 7301 §6 registry) and TLS ports → the protocol name tshark gives the
 * application data. */
const ALPN_PROTOCOLS: Readonly<Record<string, string>> = {
  'http/1.1': 'Hypertext Transfer Protocol',
  'http/1.0': 'Hypertext Transfer Protocol',
  h2: 'HyperText Transfer Protocol 2',
  imap: 'Internet Message Access Protocol',
  pop3: 'Post Office Protocol',
  dot: 'Domain Name System',
};
const PORT_PROTOCOLS: Readonly<Record<number, string>> = {
  443: 'Hypertext Transfer Protocol',
  853: 'Domain Name System',
  993: 'Internet Message Access Protocol',
  995: 'Post Office Protocol',
  465: 'Simple Mail Transfer Protocol',
};

function appProtocol(p: Dissection, session: Session): string {
  const byAlpn = session.alpn ? ALPN_PROTOCOLS[session.alpn] : undefined;
  if (byAlpn) return byAlpn;
  const t = p.transport;
  return (t && (PORT_PROTOCOLS[t.srcPort] ?? PORT_PROTOCOLS[t.dstPort])) ?? 'Application Data';
}

// ---- decode ----

function versionShort(v: number): string {
  return SHORT_VERSIONS[v] ?? 'TLS';
}

function dissectTls(p: Dissection, start: number, end: number): void {
  const call = enterCall(p);
  const session = sessionFor(p, call.index);
  const t = p.transport;
  if (session.clientPort === 0 && t) {
    // Until a Client Hello says which side is the client, the lower-numbered well-known port
    // is taken to be the server's.
    session.clientPort = TLS_TCP_PORTS.includes(t.dstPort) ? t.srcPort : t.dstPort;
  }
  const dirIndex = t && t.srcPort === session.clientPort ? 0 : 1;
  // Records of one packet share one "Transport Layer Security" item, as in tshark, even when
  // TCP reassembly hands them over one at a time.
  const previous = call.continued ? p.roots[p.roots.length - 1] : undefined;
  const reuse = previous?.field === 'tls' ? previous : undefined;
  const top = reuse ?? p.add(tls.field, start, end - start);
  p.open(top);
  const names: string[] = [];
  let off = start;
  let lastVersion = 0;
  // Each pass consumes at least a 5-byte header, so this ends.
  while (off < end) {
    const avail = end - off;
    if (avail < TLS_RECORD_HEADER || !looksLikeRecord(p.data, off, end)) {
      // Not a record boundary (a continuation we have no reassembly for) or a short tail.
      if (p.tree)
        p.add(
          tls.f.segmentData,
          off,
          Math.min(avail, p.remaining(off)),
          undefined,
          `TLS segment data (${avail} bytes)`,
        );
      if (!names.length) names.push('Continuation Data');
      break;
    }
    const len = p.u16(off + 3);
    if (len > avail - TLS_RECORD_HEADER) {
      // The record continues in a later segment (TCP reassembly, when present, gives whole ones).
      if (p.tree) p.add(tls.f.segmentData, off, avail, undefined, `TLS segment data (${avail} bytes)`);
      names.push('Ignored Unknown Record');
      break;
    }
    lastVersion = p.u16(off + 1);
    dissectRecord(p, session, dirIndex, off, len, names, call.index);
    off += TLS_RECORD_HEADER + len;
  }
  if (top && !reuse) top.end = off > start ? off : end;
  else if (top) top.end = Math.max(top.end, off);
  p.close(top);
  if (p.columns) {
    // Neither the session nor a record says which version: tshark names the protocol "SSL".
    const version = session.version || lastVersion;
    p.cols.protocol = version ? versionShort(version) : 'SSL';
    // TCP reassembly hands over one record at a time: later records of the same packet follow
    // the earlier ones' Info, comma-separated as tshark lists them.
    if (call.index > 0) p.appendInfo(`, ${names.join(', ')}`);
    else p.setInfo(names.join(', '));
  }
}

function recordLabel(version: number, what: string): string {
  return `${versionShort(version)} Record Layer: ${what}`;
}

function dissectRecord(
  p: Dissection,
  session: Session,
  dirIndex: 0 | 1,
  start: number,
  len: number,
  names: string[],
  call: number,
): void {
  const f = tls.f;
  const dir = session.dirs[dirIndex];
  const type = p.u8(start);
  const recVersion = p.u16(start + 1);
  const body = start + TLS_RECORD_HEADER;
  const bodyEnd = body + len;
  // TLS 1.3 (RFC 8446 §5.2): encrypted records carry the outer type 23, which tshark calls the
  // opaque type.
  const tls13 = session.version === 0x0304;
  const item = p.add(f.record, start, TLS_RECORD_HEADER + len, undefined, '');
  p.open(item);
  if (type === CT_APPLICATION_DATA && tls13) p.add(f.opaqueType, start, 1);
  else p.add(f.contentType, start, 1);
  p.add(f.version, start + 1, 2);
  p.add(f.length, start + 3, 2);
  // The record's label names the version known when the record began (a Server Hello's own
  // record still shows the record version).
  const labelVersion = session.version || recVersion;
  let label: string;
  switch (type) {
    case CT_CHANGE_CIPHER_SPEC: {
      p.add(f.changeCipherSpec, body, len);
      names.push('Change Cipher Spec');
      label = 'Change Cipher Spec Protocol: Change Cipher Spec';
      // RFC 5246 §7.1: what follows in this direction is protected. TLS 1.3's CCS is only for
      // middlebox compatibility (RFC 8446 §D.4) and changes nothing: a client may send it before
      // its second Client Hello after a HelloRetryRequest.
      if (session.version !== 0x0304) dir.encrypted = true;
      break;
    }
    case CT_ALERT: {
      if (dir.encrypted || len !== 2) {
        p.add(f.alert, body, len, undefined, 'Alert Message: Encrypted Alert');
        names.push('Encrypted Alert');
        label = 'Encrypted Alert';
      } else {
        const level = p.u8(body);
        const desc = p.u8(body + 1);
        const alertItem = p.add(f.alert, body, 2, undefined, 'Alert Message');
        p.open(alertItem);
        p.add(f.alertLevel, body, 1);
        p.add(f.alertDesc, body + 1, 1);
        p.close(alertItem);
        const text = `Alert (Level: ${ALERT_LEVELS[level] ?? 'Unknown'}, Description: ${ALERT_DESCRIPTIONS[desc] ?? 'Unknown'})`;
        names.push(text);
        label = `Alert (Level: ${ALERT_LEVELS[level] ?? 'Unknown'}, Description: ${ALERT_DESCRIPTIONS[desc] ?? 'Unknown'})`;
      }
      break;
    }
    case CT_HANDSHAKE: {
      if (dir.encrypted) {
        p.add(f.handshakeEncrypted, body, len, undefined, 'Handshake Protocol: Encrypted Handshake Message');
        names.push('Encrypted Handshake Message');
        label = 'Handshake Protocol: Encrypted Handshake Message';
        break;
      }
      const ctx: HandshakeContext = {
        onServerVersion: (v, helloRetry) => {
          session.version = v;
          // RFC 8446 §2: in TLS 1.3 everything after the Server Hello is encrypted (not after a
          // HelloRetryRequest, §4.1.4: a second Client Hello follows in the clear).
          if (v === 0x0304 && !helloRetry) {
            session.dirs[0].encrypted = true;
            session.dirs[1].encrypted = true;
          }
        },
        onServerAlpn: (proto) => {
          session.alpn = proto;
        },
        onClientHello: () => {
          if (p.transport) session.clientPort = p.transport.srcPort;
        },
        sessionVersion: session.version,
        isQuic: false,
      };
      const msgs = handshakeMessages(p, dir, body, bodyEnd, ctx, call);
      names.push(...msgs.info);
      label = `Handshake Protocol: ${msgs.labels.length > 1 ? 'Multiple Handshake Messages' : (msgs.labels[0] ?? 'Fragment')}`;
      break;
    }
    case CT_APPLICATION_DATA: {
      p.add(f.appData, body, len);
      names.push('Application Data');
      const proto = appProtocol(p, session);
      label = `Application Data Protocol: ${proto}`;
      // Only a protocol known from ALPN or the port gets the generated item.
      if (proto !== 'Application Data')
        p.addGenerated(f.appDataProto, proto, `Application Data Protocol: ${proto}`);
      break;
    }
    default: {
      names.push('Heartbeat');
      label = 'Heartbeat';
    }
  }
  if (item) item.label = recordLabel(labelVersion, label);
  p.close(item);
}

/** Bound on reassembled handshake messages (a certificate chain can be large, not unbounded). */
const MAX_HANDSHAKE_MESSAGE = 1 << 20;

/**
 * The handshake messages in one record's body. A message that continues in the next record
 * is kept per direction and completed there, then decoded from a reassembled data source.
 */
function handshakeMessages(
  p: Dissection,
  dir: Direction,
  start: number,
  end: number,
  ctx: HandshakeContext,
  call: number,
): { info: string[]; labels: string[] } {
  const info: string[] = [];
  const labels: string[] = [];
  const f = tls.f;
  let off = start;
  const st = p.state.slot('tls', newState);
  const key = `${p.frame.number}:${call}:${start}`;
  let memo = p.visited ? st.continued.get(key) : undefined;
  if (!p.visited && dir.pending) {
    const pending = dir.pending;
    const need = 4 + ((pending[1]! << 16) | (pending[2]! << 8) | pending[3]!) - pending.length;
    const consumed = Math.min(need, end - off);
    const grown = new Uint8Array(pending.length + consumed);
    grown.set(pending);
    grown.set(p.data.subarray(off, off + consumed), pending.length);
    const pieces = [...dir.pieces, { frame: p.frame.number, size: consumed }];
    const complete = consumed === need;
    dir.pending = complete ? null : grown;
    dir.pieces = complete ? [] : pieces;
    memo = { consumed, joined: complete ? grown : null, type: pending[0]!, pieces };
    st.continued.set(key, memo);
  }
  if (memo && memo.consumed > 0) {
    const name = handshakeName(memo.type);
    const joined = memo.joined;
    p.add(
      f.handshake,
      off,
      memo.consumed,
      undefined,
      `Handshake Protocol: ${name} (${joined ? 'last fragment' : 'fragment'})`,
    );
    off += memo.consumed;
    if (joined) {
      addFragmentsTree(p, memo.pieces, joined.length);
      p.withSource(`Reassembled TLS (${joined.length} bytes)`, joined, () => {
        dissectHandshake(p, 0, joined.length, ctx);
      });
      info.push(name);
      labels.push(name);
    } else {
      info.push(`[${name} Fragment]`);
      labels.push(`${name} (fragment)`);
    }
  }
  // Each message has a 4-byte header, so this ends.
  while (off < end) {
    if (end - off < 4) {
      if (!p.visited) {
        dir.pending = p.data.slice(off, end);
        dir.pieces = [{ frame: p.frame.number, size: end - off }];
      }
      break;
    }
    const msgLen = (p.u8(off + 1) << 16) | p.u16(off + 2);
    if (off + 4 + msgLen > end) {
      if (!p.visited && msgLen <= MAX_HANDSHAKE_MESSAGE) {
        dir.pending = p.data.slice(off, end);
        dir.pieces = [{ frame: p.frame.number, size: end - off }];
      }
      const name = dissectHandshake(p, off, end, ctx, true);
      info.push(`[${name} Fragment]`);
      labels.push(`${name} (fragment)`);
      break;
    }
    const name = dissectHandshake(p, off, off + 4 + msgLen, ctx);
    info.push(name);
    labels.push(name);
    off += 4 + msgLen;
  }
  return { info, labels };
}

/** "[2 Reassembled Handshake Fragments (840 bytes): #6(512), #6(328)]", as tshark. */
function addFragmentsTree(p: Dissection, pieces: Piece[], total: number): void {
  if (!p.detailFor('tls')) return;
  const f = tls.f;
  const list = pieces.map((x) => `#${x.frame}(${x.size})`).join(', ');
  const node = p.addGenerated(
    f.fragments,
    '',
    `${pieces.length} Reassembled Handshake Fragments (${total} bytes): ${list}`,
  );
  p.open(node);
  let at = 0;
  for (const x of pieces) {
    p.addGenerated(
      f.fragment,
      x.frame,
      `Frame: ${x.frame}, payload: ${at}-${at + x.size - 1} (${x.size} bytes)`,
    );
    at += x.size;
  }
  p.addGenerated(f.fragmentCount, pieces.length, `Handshake Fragment count: ${pieces.length}`);
  p.close(node);
}

export const tlsStream: StreamDissector = Object.assign(tls, { pduLength: tlsPduLength });

for (const port of TLS_TCP_PORTS) tables.tcpPort.register(port, tlsStream);

// tshark's enabled "tls over tcp" heuristic: a handshake record holding a Client Hello or
// Server Hello starts TLS on any port.
addStreamHeuristic({
  name: 'tls_tcp',
  dissector: tlsStream,
  test(_p, data, start, end) {
    if (end - start < TLS_RECORD_HEADER + 4 || !looksLikeRecord(data, start, end)) return false;
    const len = (data[start + 3]! << 8) | data[start + 4]!;
    const hsType = data[start + 5]!;
    return data[start] === CT_HANDSHAKE && len <= MAX_RECORD && len >= 4 && (hsType === 1 || hsType === 2);
  },
});
