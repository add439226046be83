// HTTP/2 (RFC 9113) in cleartext: the connection preface ("Magic"), then frames — a 9-octet
// header (§4.1: length, type, flags, stream id) and a payload per type (§6). Header blocks are
// decoded with HPACK (hpack.ts), one dynamic table per direction of each connection; DATA
// frames of a stream are collected until END_STREAM and the body handed to its media type,
// as tshark does. Reached from HTTP (prior knowledge: the preface; or the h2c upgrade after
// "101 Switching Protocols"), so HTTP/2 shows as http:http2 like in tshark.
import type { Dissection } from '../dissect/dissection';
import { latin1 } from '../dissect/dissection';
import type { Field } from '../dissect/fields';
import { bitPattern, bytesToHex, hex } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { NEED_MORE_BYTES, type StreamDissector } from '../dissect/transport';
import { HpackDecoder, type DecodedBlock } from './hpack';
import type { ReqRes } from './http';
import { HTTP_STATUS, MAX_DECODED_BODY, decodeContent, dissectBody, mediaTypeOf } from './http-media';
import { concatBytes } from '../capture/bytes';

/** §3.4: the client connection preface. */
export const HTTP2_PREFACE = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const FRAME_HEADER = 9;

export function isHttp2Preface(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < HTTP2_PREFACE.length) return false;
  for (let i = 0; i < HTTP2_PREFACE.length; i++) if (b[start + i] !== HTTP2_PREFACE[i]) return false;
  return true;
}

/** §6 frame types (and the extension frames Wireshark names). */
export const FRAME_TYPES: Readonly<Record<number, string>> = {
  0: 'DATA',
  1: 'HEADERS',
  2: 'PRIORITY',
  3: 'RST_STREAM',
  4: 'SETTINGS',
  5: 'PUSH_PROMISE',
  6: 'PING',
  7: 'GOAWAY',
  8: 'WINDOW_UPDATE',
  9: 'CONTINUATION',
  10: 'ALTSVC',
  11: 'BLOCKED',
  12: 'ORIGIN',
  16: 'PRIORITY_UPDATE',
};

/** §6.5.2 setting identifiers, as Wireshark labels them. */
const SETTINGS: Readonly<Record<number, string>> = {
  1: 'Header table size',
  2: 'Enable PUSH',
  3: 'Max concurrent streams',
  4: 'Initial Windows size',
  5: 'Max frame size',
  6: 'Max header list size',
  8: 'Extended CONNECT',
};

/** §7 error codes. */
const ERRORS: Readonly<Record<number, string>> = {
  0: 'NO_ERROR',
  1: 'PROTOCOL_ERROR',
  2: 'INTERNAL_ERROR',
  3: 'FLOW_CONTROL_ERROR',
  4: 'SETTINGS_TIMEOUT',
  5: 'STREAM_CLOSED',
  6: 'FRAME_SIZE_ERROR',
  7: 'REFUSED_STREAM',
  8: 'CANCEL',
  9: 'COMPRESSION_ERROR',
  10: 'CONNECT_ERROR',
  11: 'ENHANCE_YOUR_CALM',
  12: 'INADEQUATE_SECURITY',
  13: 'HTTP_1_1_REQUIRED',
};

const TYPE_DATA = 0;
const TYPE_HEADERS = 1;
const TYPE_PRIORITY = 2;
const TYPE_RST_STREAM = 3;
const TYPE_SETTINGS = 4;
const TYPE_PUSH_PROMISE = 5;
const TYPE_PING = 6;
const TYPE_GOAWAY = 7;
const TYPE_WINDOW_UPDATE = 8;
const TYPE_CONTINUATION = 9;

const FLAG_END_STREAM = 0x1;
const FLAG_ACK = 0x1;
const FLAG_END_HEADERS = 0x4;
const FLAG_PADDED = 0x8;
const FLAG_PRIORITY = 0x20;

/** Pseudo-headers and common fields tshark gives their own filter name (`http2.headers.*`). */
const NAMED_HEADERS = {
  ':authority': { abbrev: 'http2.headers.authority', name: ':authority', type: 'string' },
  ':status': { abbrev: 'http2.headers.status', name: ':status', type: 'uint16' },
  ':path': { abbrev: 'http2.headers.path', name: ':path', type: 'string' },
  ':method': { abbrev: 'http2.headers.method', name: ':method', type: 'string' },
  ':scheme': { abbrev: 'http2.headers.scheme', name: ':scheme', type: 'string' },
  accept: { abbrev: 'http2.headers.accept', name: 'accept', type: 'string' },
  'accept-encoding': { abbrev: 'http2.headers.accept_encoding', name: 'accept-encoding', type: 'string' },
  'accept-language': { abbrev: 'http2.headers.accept_language', name: 'accept-language', type: 'string' },
  'cache-control': { abbrev: 'http2.headers.cache_control', name: 'cache-control', type: 'string' },
  'content-encoding': { abbrev: 'http2.headers.content_encoding', name: 'content-encoding', type: 'string' },
  'content-length': { abbrev: 'http2.headers.content_length', name: 'content-length', type: 'uint64' },
  'content-type': { abbrev: 'http2.headers.content_type', name: 'content-type', type: 'string' },
  cookie: { abbrev: 'http2.headers.cookie', name: 'cookie', type: 'string' },
  date: { abbrev: 'http2.headers.date', name: 'date', type: 'string' },
  location: { abbrev: 'http2.headers.location', name: 'location', type: 'string' },
  referer: { abbrev: 'http2.headers.referer', name: 'referer', type: 'string' },
  server: { abbrev: 'http2.headers.server', name: 'server', type: 'string' },
  'set-cookie': { abbrev: 'http2.headers.set_cookie', name: 'set-cookie', type: 'string' },
  'user-agent': { abbrev: 'http2.headers.user_agent', name: 'user-agent', type: 'string' },
} as const;

export const http2 = defineProtocol({
  abbrev: 'http2',
  name: 'HyperText Transfer Protocol 2',
  short: 'HTTP2',
  fields: {
    stream: { abbrev: 'http2.stream', name: 'Stream', type: 'none' },
    length: { abbrev: 'http2.length', name: 'Length', type: 'uint24' },
    type: { abbrev: 'http2.type', name: 'Type', type: 'uint8', vals: FRAME_TYPES },
    flags: { abbrev: 'http2.flags', name: 'Flags', type: 'uint8', base: 'hex' },
    flagsEndStream: {
      abbrev: 'http2.flags.end_stream',
      name: 'End Stream',
      type: 'bool',
      mask: 0x1,
      tfs: ['True', 'False'],
    },
    flagsEndHeaders: {
      abbrev: 'http2.flags.eh',
      name: 'End Headers',
      type: 'bool',
      mask: 0x4,
      tfs: ['True', 'False'],
    },
    flagsPadded: {
      abbrev: 'http2.flags.padded',
      name: 'Padded',
      type: 'bool',
      mask: 0x8,
      tfs: ['True', 'False'],
    },
    flagsPriority: {
      abbrev: 'http2.flags.priority',
      name: 'Priority',
      type: 'bool',
      mask: 0x20,
      tfs: ['True', 'False'],
    },
    flagsAckSettings: {
      abbrev: 'http2.flags.ack.settings',
      name: 'ACK',
      type: 'bool',
      mask: 0x1,
      tfs: ['True', 'False'],
    },
    flagsAckPing: {
      abbrev: 'http2.flags.ack.ping',
      name: 'ACK',
      type: 'bool',
      mask: 0x1,
      tfs: ['True', 'False'],
    },
    // Bit 31 of a 32-bit word: value and label computed here (no mask in the registry).
    flagsUnused: { abbrev: 'http2.flags.unused', name: 'Unused', type: 'uint8', base: 'hex' },
    flagsUnusedSettings: {
      abbrev: 'http2.flags.unused_settings',
      name: 'Unused',
      type: 'uint8',
      base: 'hex',
    },
    flagsUnusedPing: { abbrev: 'http2.flags.unused_ping', name: 'Unused', type: 'uint8', base: 'hex' },
    flagsUnusedContinuation: {
      abbrev: 'http2.flags.unused_continuation',
      name: 'Unused',
      type: 'uint8',
      base: 'hex',
    },
    flagsUnusedPushPromise: {
      abbrev: 'http2.flags.unused_push_promise',
      name: 'Unused',
      type: 'uint8',
      base: 'hex',
    },
    flagsUnusedData: { abbrev: 'http2.flags.unused_data', name: 'Unused', type: 'uint8', base: 'hex' },
    flagsUnusedHeaders: { abbrev: 'http2.flags.unused_headers', name: 'Unused', type: 'uint8', base: 'hex' },
    reserved: { abbrev: 'http2.r', name: 'Reserved', type: 'uint32', base: 'hex' },
    streamId: { abbrev: 'http2.streamid', name: 'Stream Identifier', type: 'uint32', mask: 0x7fffffff },
    magic: { abbrev: 'http2.magic', name: 'Magic', type: 'string' },
    padLength: { abbrev: 'http2.padding', name: 'Pad Length', type: 'uint8', base: 'hex' },
    exclusive: { abbrev: 'http2.exclusive', name: 'Exclusive', type: 'bool' },
    streamDependency: {
      abbrev: 'http2.stream_dependency',
      name: 'Stream Dependency',
      type: 'uint32',
      mask: 0x7fffffff,
    },
    weight: { abbrev: 'http2.headers.weight', name: 'Weight', type: 'uint8' },
    weightReal: { abbrev: 'http2.headers.weight_real', name: 'Weight real', type: 'uint8' },
    data: { abbrev: 'http2.data.data', name: 'Data', type: 'bytes' },
    dataPadding: { abbrev: 'http2.data.padding', name: 'Padding', type: 'bytes' },
    headers: { abbrev: 'http2.headers', name: 'Header Block Fragment', type: 'bytes' },
    headersPadding: { abbrev: 'http2.headers.padding', name: 'Padding', type: 'bytes' },
    header: { abbrev: 'http2.header', name: 'Header', type: 'none' },
    headerLength: { abbrev: 'http2.header.length', name: 'Header Length', type: 'uint32' },
    headerCount: { abbrev: 'http2.header.count', name: 'Header Count', type: 'uint32' },
    headerNameLength: { abbrev: 'http2.header.name.length', name: 'Name Length', type: 'uint32' },
    headerName: { abbrev: 'http2.header.name', name: 'Name', type: 'string' },
    headerValueLength: { abbrev: 'http2.header.value.length', name: 'Value Length', type: 'uint32' },
    headerValue: { abbrev: 'http2.header.value', name: 'Value', type: 'string' },
    headerUnescaped: { abbrev: 'http2.header.unescaped', name: 'Unescaped', type: 'string' },
    headerRepr: { abbrev: 'http2.header.repr', name: 'Representation', type: 'string' },
    headerIndex: { abbrev: 'http2.header.index', name: 'Index', type: 'uint32' },
    tableSizeUpdate: {
      abbrev: 'http2.header_table_size_update',
      name: 'Header table size update',
      type: 'none',
    },
    tableSize: {
      abbrev: 'http2.header_table_size_update.header_table_size',
      name: 'Header table size',
      type: 'uint32',
    },
    fullUri: { abbrev: 'http2.request.full_uri', name: 'Full request URI', type: 'string' },
    rstError: { abbrev: 'http2.rst_stream.error', name: 'Error', type: 'uint32', vals: ERRORS },
    settings: { abbrev: 'http2.settings', name: 'Settings', type: 'none' },
    settingsId: { abbrev: 'http2.settings.id', name: 'Settings Identifier', type: 'uint16', vals: SETTINGS },
    settingsHeaderTableSize: {
      abbrev: 'http2.settings.header_table_size',
      name: 'Header table size',
      type: 'uint32',
    },
    settingsEnablePush: { abbrev: 'http2.settings.enable_push', name: 'Enable PUSH', type: 'uint32' },
    settingsMaxConcurrentStreams: {
      abbrev: 'http2.settings.max_concurrent_streams',
      name: 'Max concurrent streams',
      type: 'uint32',
    },
    settingsInitialWindowSize: {
      abbrev: 'http2.settings.initial_window_size',
      name: 'Initial Windows Size',
      type: 'uint32',
    },
    settingsMaxFrameSize: { abbrev: 'http2.settings.max_frame_size', name: 'Max frame size', type: 'uint32' },
    settingsMaxHeaderListSize: {
      abbrev: 'http2.settings.max_header_list_size',
      name: 'Max header list size',
      type: 'uint32',
    },
    settingsExtendedConnect: {
      abbrev: 'http2.settings.extended_connect',
      name: 'Extended CONNECT',
      type: 'uint32',
    },
    settingsUnknown: { abbrev: 'http2.settings.unknown', name: 'Unknown Settings', type: 'uint32' },
    promisedStreamId: {
      abbrev: 'http2.push_promise.promised_stream_id',
      name: 'Promised-Stream-ID',
      type: 'uint32',
      mask: 0x7fffffff,
    },
    pushPromiseHeader: { abbrev: 'http2.push_promise.header', name: 'Header Block Fragment', type: 'bytes' },
    ping: { abbrev: 'http2.ping', name: 'Ping', type: 'bytes' },
    pong: { abbrev: 'http2.pong', name: 'Pong', type: 'bytes' },
    goawayLastStreamId: {
      abbrev: 'http2.goaway.last_stream_id',
      name: 'Last-Stream-ID',
      type: 'uint32',
      mask: 0x7fffffff,
    },
    goawayError: { abbrev: 'http2.goaway.error', name: 'Error', type: 'uint32', vals: ERRORS },
    goawayData: { abbrev: 'http2.goaway.addata', name: 'Additional Debug Data', type: 'bytes' },
    windowSizeIncrement: {
      abbrev: 'http2.window_update.window_size_increment',
      name: 'Window Size Increment',
      type: 'uint32',
      mask: 0x7fffffff,
    },
    windowUpdateReserved: { abbrev: 'http2.window_update.r', name: 'Reserved', type: 'uint32', base: 'hex' },
    continuationHeader: { abbrev: 'http2.continuation.header', name: 'Continuation Header', type: 'string' },
    unknown: { abbrev: 'http2.unknown', name: 'Unknown', type: 'bytes' },
    reassembledLength: {
      abbrev: 'http2.body.reassembled.length',
      name: 'Reassembled body length',
      type: 'uint32',
    },
    ...NAMED_HEADERS,
  },
  dissect: dissectHttp2,
});

// ---- where a PDU ends (one frame, or the preface) ----

function pduLength(_p: Dissection, data: Uint8Array, start: number, end: number): number {
  if (end - start >= HTTP2_PREFACE.length && isHttp2Preface(data, start, end)) return HTTP2_PREFACE.length;
  if (end - start < FRAME_HEADER) return NEED_MORE_BYTES;
  return FRAME_HEADER + ((data[start]! << 16) | (data[start + 1]! << 8) | data[start + 2]!);
}

export const http2Stream: StreamDissector = { ...http2, pduLength };

// ---- per-connection state ----

interface StreamBody {
  contentType: string;
  contentEncoding: string;
  parts: Uint8Array[];
  size: number;
}

interface Connection {
  /** HPACK decoders by direction (blocks sent in that direction). */
  hpack: [HpackDecoder, HpackDecoder];
  /** Header block fragments waiting for CONTINUATION, by direction and stream id. */
  pendingBlocks: Map<string, { parts: Uint8Array[]; streamId: number }>;
  /** DATA collected per direction and stream id until END_STREAM. */
  bodies: Map<string, StreamBody>;
  /** Content type of each stream's messages, per direction (from their HEADERS). */
  types: Map<string, { contentType: string; contentEncoding: string }>;
  /** Bytes held in `bodies`. */
  pendingBytes: number;
}

/** One HTTP/2 stream as a request/response exchange, in the shape of HTTP/1's pairs. */
export interface Http2Exchange extends ReqRes {
  transport: 'tcp' | 'udp';
  stream: number;
  /** Direction (TransportInfo.direction) the request travelled in. */
  clientDirection: 0 | 1;
}

interface Http2State {
  conns: Map<string, Connection>;
  /** By "connection|stream id", first pass. */
  exchanges: Map<string, Http2Exchange>;
  /** First-pass results for revisits, by "frame|dataLength|start". */
  blocks: Map<string, DecodedBlock>;
  bodies: Map<string, { bytes: Uint8Array; mediaType: string; coding: string }>;
  bodyBytes: number;
}

/** DATA bytes one connection may hold for streams still open. */
const MAX_PENDING = 64 << 20;

/** Bytes of HTTP/2 bodies kept for revisits per capture. */
const BODY_BUDGET = 64 << 20;

function newHttp2State(): Http2State {
  return { conns: new Map(), exchanges: new Map(), blocks: new Map(), bodies: new Map(), bodyBytes: 0 };
}

function state(p: Dissection): Http2State {
  return p.state.slot<Http2State>('http2', newHttp2State);
}

function connection(p: Dissection): Connection {
  const st = state(p);
  const key = `${p.transport?.kind ?? ''}${p.transport?.stream ?? -1}`;
  let c = st.conns.get(key);
  if (!c) {
    c = {
      hpack: [new HpackDecoder(), new HpackDecoder()],
      pendingBlocks: new Map(),
      bodies: new Map(),
      types: new Map(),
      pendingBytes: 0,
    };
    st.conns.set(key, c);
  }
  return c;
}

// ---- Info column: frames of one packet joined by ", " (tshark's col_append_sep_str) ----

let infoOwner: { p: Dissection; frame: number; text: string } | undefined;

function addInfo(p: Dissection, text: string): void {
  if (!p.columns) return;
  const o = infoOwner;
  if (o && o.p === p && o.frame === p.frame.number && p.cols.info === o.text && o.text)
    p.cols.info = `${o.text}, ${text}`;
  else p.cols.info = text;
  infoOwner = { p, frame: p.frame.number, text: p.cols.info };
}

/** After a media dissector appended to this packet's Info ("DATA[1] (text/plain)"). */
function adoptInfo(p: Dissection): void {
  if (p.columns) infoOwner = { p, frame: p.frame.number, text: p.cols.info };
}

// ---- decode ----

function dissectHttp2(p: Dissection, start: number, end: number): void {
  let off = start;
  for (let guard = 0; off < end && guard < 10_000; guard++) {
    if (isHttp2Preface(p.data, off, end)) {
      const n = HTTP2_PREFACE.length;
      const item = p.add(http2.field, off, n);
      p.open(item);
      const s = p.addText('Stream: Magic', off, n);
      p.open(s);
      p.add(
        http2.f.magic,
        off,
        n,
        latin1(p.data.subarray(off, off + n)),
        'Magic: PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n',
      );
      p.close(s);
      p.close(item);
      addInfo(p, 'Magic');
      off += n;
      continue;
    }
    const len = p.u24(off);
    const frameEnd = off + FRAME_HEADER + len;
    if (frameEnd > end) {
      // A partial frame (no reassembly below us): decode the header, flag the rest.
      dissectFrame(p, off, Math.min(frameEnd, end), len);
      p.issue('truncated', 'warn', `HTTP/2 frame needs ${frameEnd - end} more bytes`, off, end);
      return;
    }
    dissectFrame(p, off, frameEnd, len);
    off = frameEnd;
  }
}

function flagsText(type: number, flags: number): string {
  const names: string[] = [];
  if (type === TYPE_SETTINGS || type === TYPE_PING) {
    if (flags & FLAG_ACK) names.push('ACK');
  } else if (type === TYPE_DATA || type === TYPE_HEADERS) {
    if (type === TYPE_HEADERS && flags & FLAG_PRIORITY) names.push('Priority');
    if (flags & FLAG_PADDED) names.push('Padded');
    if (type === TYPE_HEADERS && flags & FLAG_END_HEADERS) names.push('End Headers');
    if (flags & FLAG_END_STREAM) names.push('End Stream');
  } else if (type === TYPE_CONTINUATION || type === TYPE_PUSH_PROMISE) {
    if (flags & FLAG_PADDED && type === TYPE_PUSH_PROMISE) names.push('Padded');
    if (flags & FLAG_END_HEADERS) names.push('End Headers');
  }
  return `0x${hex(flags, 2)}${names.length ? ', ' + names.join(', ') : ''}`;
}

function dissectFrame(p: Dissection, start: number, end: number, len: number): void {
  const f = http2.f;
  const type = p.u8(start + 3);
  const flags = p.u8(start + 4);
  const streamId = p.u32(start + 5) & 0x7fffffff;
  const typeName = FRAME_TYPES[type] ?? `Unknown type (${type})`;
  const payload = start + FRAME_HEADER;
  const dir = p.transport?.direction ?? 0;
  const msgKey = `${p.frame.number}|${p.data.length}|${start}`;

  const item = p.add(http2.field, start, end - start);
  p.open(item);
  const streamNode = p.add(
    f.stream,
    start,
    end - start,
    undefined,
    `Stream: ${typeName}, Stream ID: ${streamId}, Length ${len}`,
  );
  p.open(streamNode);
  p.add(f.length, start, 3, len);
  p.add(f.type, start + 3, 1, type, p.tree ? `Type: ${typeName} (${type})` : undefined);
  const flagsNode = p.add(
    f.flags,
    start + 4,
    1,
    flags,
    p.tree ? `Flags: ${flagsText(type, flags)}` : undefined,
  );
  if (p.detailFor('http2')) {
    p.open(flagsNode);
    addFlagBits(p, type, flags, start + 4);
    p.close(flagsNode);
  }
  addTopBit(p, f.reserved, start + 5, 'Reserved');
  p.add(f.streamId, start + 5, 4);

  let info = `${typeName}[${streamId}]`;
  let afterInfo: (() => void) | undefined;
  const available = Math.min(end, p.remaining(0) + 0);
  void available;
  switch (type) {
    case TYPE_DATA: {
      const [dataStart, dataEnd] = padded(p, payload, end, flags, f.dataPadding);
      if (dataEnd > dataStart) addBytes(p, f.data, dataStart, dataEnd - dataStart);
      afterInfo = collectData(p, msgKey, dir, streamId, dataStart, dataEnd, (flags & FLAG_END_STREAM) !== 0);
      break;
    }
    case TYPE_HEADERS:
    case TYPE_PUSH_PROMISE:
    case TYPE_CONTINUATION: {
      let [blockStart, blockEnd] =
        type === TYPE_CONTINUATION ? [payload, end] : padded(p, payload, end, flags, f.headersPadding);
      let blockStream = streamId;
      if (type === TYPE_HEADERS && flags & FLAG_PRIORITY) {
        addTopBit(p, f.exclusive, blockStart, 'Exclusive');
        p.add(f.streamDependency, blockStart, 4);
        p.add(f.weight, blockStart + 4, 1);
        p.addGenerated(f.weightReal, p.u8(blockStart + 4) + 1);
        blockStart += 5;
      }
      if (type === TYPE_PUSH_PROMISE) {
        p.add(f.promisedStreamId, blockStart, 4);
        blockStream = p.u32(blockStart) & 0x7fffffff;
        blockStart += 4;
      }
      blockEnd = Math.max(blockStart, blockEnd);
      const blockField = type === TYPE_PUSH_PROMISE ? f.pushPromiseHeader : f.headers;
      if (type === TYPE_CONTINUATION)
        p.add(
          f.continuationHeader,
          blockStart,
          blockEnd - blockStart,
          latin1(p.bytes(blockStart, blockEnd - blockStart)),
        );
      else addBytes(p, blockField, blockStart, blockEnd - blockStart);
      const block = headerBlock(p, msgKey, dir, streamId, type, flags, blockStart, blockEnd);
      if (block) info += showHeaders(p, block, blockStart, dir, blockStream, type);
      break;
    }
    case TYPE_PRIORITY:
      addTopBit(p, f.exclusive, payload, 'Exclusive');
      p.add(f.streamDependency, payload, 4);
      p.add(f.weight, payload + 4, 1);
      p.addGenerated(f.weightReal, p.u8(payload + 4) + 1);
      break;
    case TYPE_RST_STREAM:
      p.add(f.rstError, payload, 4);
      break;
    case TYPE_SETTINGS:
      dissectSettingsPayload(p, payload, end);
      break;
    case TYPE_PING:
      p.add(flags & FLAG_ACK ? f.pong : f.ping, payload, Math.min(8, end - payload));
      break;
    case TYPE_GOAWAY:
      p.add(f.goawayLastStreamId, payload, 4);
      p.add(f.goawayError, payload + 4, 4);
      if (end > payload + 8) p.add(f.goawayData, payload + 8, end - payload - 8);
      break;
    case TYPE_WINDOW_UPDATE:
      addTopBit(p, f.windowUpdateReserved, payload, 'Reserved');
      p.add(f.windowSizeIncrement, payload, 4);
      break;
    default:
      if (end > payload) p.add(f.unknown, payload, end - payload);
  }
  if (streamNode && info.length > `${typeName}[${streamId}]`.length)
    streamNode.label += `, ${info.slice(`${typeName}[${streamId}]: `.length)}`;
  p.close(streamNode);
  addInfo(p, info);
  // The body's media layer sits inside this HTTP/2 item, after the stream (tshark's tree).
  if (afterInfo) afterInfo();
  p.close(item);
}

/** The 1-bit field at the top of a 32-bit word (R, E): `0... .... = Reserved: 0x0`. */
function addTopBit(p: Dissection, field: Field, at: number, name: string): void {
  const word = p.u32(at);
  const bit = word >>> 31;
  const label = p.tree
    ? `${bitPattern(0x80000000, 32, word)} = ${name}: ${field.type === 'bool' ? (bit ? 'True' : 'False') : '0x' + bit}`
    : undefined;
  p.add(field, at, 4, field.type === 'bool' ? bit === 1 : bit, label);
}

/** Bits a frame type does not define (§6): shown as "Unused", as tshark does. */
const UNUSED_MASKS: Readonly<Record<number, [number, keyof typeof http2.f]>> = {
  [TYPE_DATA]: [0xf6, 'flagsUnusedData'],
  [TYPE_HEADERS]: [0xd2, 'flagsUnusedHeaders'],
  [TYPE_SETTINGS]: [0xfe, 'flagsUnusedSettings'],
  [TYPE_PING]: [0xfe, 'flagsUnusedPing'],
  [TYPE_PUSH_PROMISE]: [0xf3, 'flagsUnusedPushPromise'],
  [TYPE_CONTINUATION]: [0xfb, 'flagsUnusedContinuation'],
};

function addFlagBits(p: Dissection, type: number, flags: number, at: number): void {
  const f = http2.f;
  const [mask, key] = UNUSED_MASKS[type] ?? [0xff, 'flagsUnused'];
  p.add(
    f[key],
    at,
    1,
    flags & mask,
    p.tree ? `${bitPattern(mask, 8, flags)} = Unused: 0x${hex(flags & mask, 2)}` : undefined,
  );
  switch (type) {
    case TYPE_DATA:
      p.add(f.flagsPadded, at, 1);
      p.add(f.flagsEndStream, at, 1);
      break;
    case TYPE_HEADERS:
      p.add(f.flagsPriority, at, 1);
      p.add(f.flagsPadded, at, 1);
      p.add(f.flagsEndHeaders, at, 1);
      p.add(f.flagsEndStream, at, 1);
      break;
    case TYPE_SETTINGS:
      p.add(f.flagsAckSettings, at, 1);
      break;
    case TYPE_PING:
      p.add(f.flagsAckPing, at, 1);
      break;
    case TYPE_PUSH_PROMISE:
      p.add(f.flagsPadded, at, 1);
      p.add(f.flagsEndHeaders, at, 1);
      break;
    case TYPE_CONTINUATION:
      p.add(f.flagsEndHeaders, at, 1);
      break;
  }
  void flags;
}

/** A bytes item labelled as tshark does: at most 36 bytes of hex, then an ellipsis. */
function addBytes(p: Dissection, field: Field, at: number, len: number): void {
  const label = p.tree
    ? `${field.name}: ${bytesToHex(p.bytes(at, Math.min(len, 36)))}${len > 36 ? '…' : ''}`
    : undefined;
  p.add(field, at, len, undefined, label);
}

/** §6.1/§6.2: an optional Pad Length octet and trailing padding; returns the content range. */
function padded(
  p: Dissection,
  payload: number,
  end: number,
  flags: number,
  paddingField: Field,
): [number, number] {
  if (!(flags & FLAG_PADDED)) return [payload, end];
  const pad = p.u8(payload);
  p.add(http2.f.padLength, payload, 1, pad);
  const contentEnd = Math.max(payload + 1, end - pad);
  if (pad) p.add(paddingField, contentEnd, end - contentEnd);
  return [payload + 1, contentEnd];
}

/** §6.5.1: SETTINGS entries, 6 octets each (also the HTTP2-Settings header of an h2c upgrade). */
export function dissectSettingsPayload(p: Dissection, start: number, end: number): void {
  const f = http2.f;
  const valueField: Record<number, Field> = {
    1: f.settingsHeaderTableSize,
    2: f.settingsEnablePush,
    3: f.settingsMaxConcurrentStreams,
    4: f.settingsInitialWindowSize,
    5: f.settingsMaxFrameSize,
    6: f.settingsMaxHeaderListSize,
    8: f.settingsExtendedConnect,
  };
  for (let i = start; i + 6 <= end; i += 6) {
    const id = p.u16(i);
    const value = p.u32(i + 2);
    const name = SETTINGS[id] ?? 'Unknown';
    const node = p.add(f.settings, i, 6, undefined, `Settings - ${name} : ${value}`);
    p.open(node);
    p.add(f.settingsId, i, 2, id);
    p.add(valueField[id] ?? f.settingsUnknown, i + 2, 4, value);
    p.close(node);
  }
}

/** The decoded header block of a HEADERS/PUSH_PROMISE/CONTINUATION frame, once END_HEADERS
 * completes it (first pass: decode and remember; revisit: remembered). */
function headerBlock(
  p: Dissection,
  msgKey: string,
  dir: 0 | 1,
  streamId: number,
  type: number,
  flags: number,
  start: number,
  end: number,
): { block: DecodedBlock; bytes: Uint8Array; own: boolean } | undefined {
  const st = state(p);
  const remembered = st.blocks.get(msgKey);
  const fragment = p.data.subarray(start, end);
  if (remembered) return { block: remembered, bytes: fragment, own: true };
  if (p.visited) return undefined;
  const conn = connection(p);
  const key = `${dir}|${streamId}`;
  const pending = conn.pendingBlocks.get(key);
  if (!(flags & FLAG_END_HEADERS)) {
    if (type === TYPE_CONTINUATION && pending) pending.parts.push(fragment.slice());
    else conn.pendingBlocks.set(key, { parts: [fragment.slice()], streamId });
    return undefined;
  }
  let bytes = fragment;
  let own = true;
  if (type === TYPE_CONTINUATION && pending) {
    pending.parts.push(fragment);
    bytes = concatBytes(pending.parts);
    own = false;
    conn.pendingBlocks.delete(key);
  }
  const block = conn.hpack[dir].decode(bytes, 0, bytes.length, 1000);
  st.blocks.set(msgKey, block);
  // Remember the stream's content type for its DATA.
  recordHeaders(p, st, dir, streamId, type, block);
  const ct = block.headers.find((h) => h.name === 'content-type')?.value;
  const ce = block.headers.find((h) => h.name === 'content-encoding')?.value;
  if (ct !== undefined || ce !== undefined)
    conn.types.set(key, { contentType: ct ?? '', contentEncoding: ce ?? '' });
  return { block, bytes, own };
}

const utf8 = new TextEncoder();

/** The headers under the frame; returns the Info suffix (": GET /a", ": 200 OK"). */
function showHeaders(
  p: Dissection,
  decoded: { block: DecodedBlock; bytes: Uint8Array; own: boolean },
  blockStart: number,
  _dir: 0 | 1,
  _streamId: number,
  _type: number,
): string {
  const f = http2.f;
  const { block } = decoded;
  let method = '';
  let path = '';
  let status = '';
  let scheme = 'http';
  let authority = '';
  const detail = p.detailFor('http2');
  if (detail) {
    let total = 0;
    for (const h of block.headers) total += h.name.length + h.value.length + 32;
    p.addGenerated(f.headerLength, total, `Header Length: ${total}`);
    p.addGenerated(f.headerCount, block.headers.length, `Header Count: ${block.headers.length}`);
  }
  for (const u of block.sizeUpdates) {
    if (!detail) break;
    const at = decoded.own ? blockStart + u.start : blockStart;
    const node = p.add(f.tableSizeUpdate, at, decoded.own ? u.end - u.start : 0);
    p.open(node);
    p.add(f.tableSize, at, decoded.own ? u.end - u.start : 0, u.size);
    p.close(node);
  }
  for (const h of block.headers) {
    if (h.name === ':method') method = h.value;
    else if (h.name === ':path') path = h.value;
    else if (h.name === ':status') status = h.value;
    else if (h.name === ':scheme') scheme = h.value;
    else if (h.name === ':authority') authority = h.value;
    if (!detail) {
      addNamed(p, h.name, h.value, blockStart, 0);
      continue;
    }
    const at = decoded.own ? blockStart + h.start : blockStart;
    const len = decoded.own ? h.end - h.start : 0;
    const statusText = h.name === ':status' ? ` ${HTTP_STATUS[Number(h.value)] ?? ''}`.trimEnd() : '';
    const node = p.add(f.header, at, len, undefined, `Header: ${h.name}: ${h.value}${statusText}`);
    p.open(node);
    p.add(f.headerNameLength, at, 0, utf8.encode(h.name).length);
    p.add(f.headerName, at, 0, h.name);
    p.add(f.headerValueLength, at, 0, utf8.encode(h.value).length);
    p.add(f.headerValue, at, 0, h.value);
    addNamed(p, h.name, h.value, at, len);
    p.add(f.headerUnescaped, at, 0, h.value, `[Unescaped: ${h.value}]`);
    p.add(f.headerRepr, at, len, h.representation);
    if (h.index) p.add(f.headerIndex, at, len, h.index);
    p.close(node);
  }
  if (block.error) p.issue('malformed', 'warn', `HPACK: ${block.error}`, blockStart, blockStart);
  if (method && p.detailFor('http2')) {
    const uri = `${scheme}://${authority}${path}`;
    p.addGenerated(f.fullUri, uri, `Full request URI: ${uri}`);
  }
  if (method) return `: ${method} ${path}`;
  if (status) {
    const phrase = HTTP_STATUS[Number(status)];
    return `: ${status}${phrase ? ' ' + phrase : ''}`;
  }
  return '';
}

function addNamed(p: Dissection, name: string, value: string, at: number, len: number): void {
  const field = (http2.f as Record<string, Field>)[name];
  if (!field || !(name in NAMED_HEADERS) || !p.wants(field)) return;
  if (field.type === 'uint16' || field.type === 'uint64') {
    if (/^\d{1,15}$/.test(value)) p.add(field, at, len, Number(value), `${name}: ${value}`);
  } else p.add(field, at, len, value, `${name}: ${value}`);
}

/** Collects DATA of a stream; at END_STREAM returns what decodes the body (run after the
 * frame's Info, so the media type lands after "DATA[1]"). */
function collectData(
  p: Dissection,
  msgKey: string,
  dir: 0 | 1,
  streamId: number,
  start: number,
  end: number,
  endStream: boolean,
): (() => void) | undefined {
  const st = state(p);
  let done = st.bodies.get(msgKey);
  if (!done && !p.visited) {
    const conn = connection(p);
    const key = `${dir}|${streamId}`;
    let body = conn.bodies.get(key);
    if (end > start) {
      if (!body) {
        const t = conn.types.get(key);
        body = {
          contentType: t?.contentType ?? '',
          contentEncoding: t?.contentEncoding ?? '',
          parts: [],
          size: 0,
        };
        conn.bodies.set(key, body);
      }
      // Bounded per stream and per connection (streams that never end hold their bytes).
      if (body.size + (end - start) <= MAX_DECODED_BODY && conn.pendingBytes + (end - start) <= MAX_PENDING) {
        body.parts.push(p.data.slice(start, end));
        conn.pendingBytes += end - start;
      }
      body.size += end - start;
    }
    if (endStream && body) {
      conn.bodies.delete(key);
      for (const part of body.parts) conn.pendingBytes -= part.length;
      const bytes = concatBytes(body.parts);
      recordBody(p, st, dir, streamId, bytes, body.contentEncoding, body.size);
      done = { bytes, mediaType: mediaTypeOf(body.contentType), coding: body.contentEncoding };
      if (st.bodyBytes + bytes.length <= BODY_BUDGET) {
        st.bodies.set(msgKey, done);
        st.bodyBytes += bytes.length;
      }
    }
  }
  if (!done || !done.bytes.length) return undefined;
  const body = done;
  return () => {
    let bytes = body.bytes;
    if (body.coding && body.coding !== 'identity') {
      const r = decodeContent(body.coding, bytes);
      if (r.ok) bytes = r.bytes;
    }
    p.withSource(`Reassembled body (${bytes.length} bytes)`, bytes, () => {
      dissectBody(p, body.mediaType, 0, bytes.length);
    });
    adoptInfo(p);
  };
}

// ---- exchanges (for the HTTP view, HAR and export objects) ----

function exchangeKey(p: Dissection, streamId: number): string {
  return `${p.transport?.kind ?? ''}${p.transport?.stream ?? -1}|${streamId}`;
}

function recordHeaders(
  p: Dissection,
  st: Http2State,
  dir: 0 | 1,
  streamId: number,
  type: number,
  block: DecodedBlock,
): void {
  if (type === TYPE_PUSH_PROMISE || p.inError) return;
  const key = exchangeKey(p, streamId);
  const headers: [string, string][] = block.headers.map((h) => [h.name, h.value]);
  const get = (n: string) => block.headers.find((h) => h.name === n)?.value;
  const timeNs = BigInt(p.frame.tsSec) * 1_000_000_000n + BigInt(p.frame.tsNsec);
  let x = st.exchanges.get(key);
  const method = get(':method');
  if (method !== undefined && !x) {
    const authority = get(':authority') ?? '';
    const path = get(':path') ?? '';
    x = {
      transport: p.transport?.kind ?? 'tcp',
      stream: p.transport?.stream ?? -1,
      number: streamId,
      version: 'HTTP/2',
      reqFrame: p.frame.number,
      resFrame: 0,
      reqTimeNs: timeNs,
      resTimeNs: 0n,
      method,
      uri: path,
      host: authority,
      fullUri: `${get(':scheme') ?? 'http'}://${authority}${path}`,
      status: 0,
      phrase: '',
      requestHeaders: headers,
      responseHeaders: [],
      requestContentType: get('content-type') ?? '',
      responseContentType: '',
      requestBodySize: 0,
      responseBodySize: 0,
      bodyTruncated: false,
      clientDirection: dir,
    };
    st.exchanges.set(key, x);
    return;
  }
  const status = get(':status');
  if (status !== undefined && x && !x.resFrame) {
    x.resFrame = p.frame.number;
    x.resTimeNs = timeNs;
    x.status = Number(status) || 0;
    x.phrase = HTTP_STATUS[x.status] ?? '';
    x.responseHeaders = headers;
    x.responseContentType = get('content-type') ?? '';
  }
}

function recordBody(
  p: Dissection,
  st: Http2State,
  dir: 0 | 1,
  streamId: number,
  bytes: Uint8Array,
  coding: string,
  size: number,
): void {
  const x = st.exchanges.get(exchangeKey(p, streamId));
  if (!x) return;
  let decoded = bytes;
  if (coding && coding !== 'identity') {
    const r = decodeContent(coding, bytes);
    if (r.ok) decoded = r.bytes;
    else x.decodeError = r.reason;
  }
  if (size > bytes.length) x.bodyTruncated = true;
  if (dir === x.clientDirection) {
    x.requestBody = decoded;
    x.requestBodySize = size;
  } else {
    x.responseBody = decoded;
    x.responseBodySize = size;
  }
}

/** The HTTP/1.1 request an h2c upgrade answered becomes stream 1's request (RFC 7540 §3.2);
 * its response comes as HTTP/2 HEADERS and DATA on stream 1. */
export function noteH2cUpgrade(
  p: Dissection,
  request: {
    reqFrame: number;
    reqTimeNs: bigint;
    method: string;
    uri: string;
    host: string;
    fullUri: string;
    requestHeaders: [string, string][];
    requestContentType: string;
    requestBody?: Uint8Array;
    requestBodySize: number;
  },
): void {
  if (p.visited) return;
  const st = state(p);
  const key = exchangeKey(p, 1);
  if (st.exchanges.has(key)) return;
  const serverDir = p.transport?.direction ?? 0;
  st.exchanges.set(key, {
    transport: p.transport?.kind ?? 'tcp',
    stream: p.transport?.stream ?? -1,
    number: 1,
    version: 'HTTP/2',
    reqFrame: request.reqFrame,
    resFrame: 0,
    reqTimeNs: request.reqTimeNs,
    resTimeNs: 0n,
    method: request.method,
    uri: request.uri,
    host: request.host,
    fullUri: request.fullUri,
    status: 0,
    phrase: '',
    requestHeaders: request.requestHeaders,
    responseHeaders: [],
    requestContentType: request.requestContentType,
    responseContentType: '',
    requestBody: request.requestBody,
    requestBodySize: request.requestBodySize,
    responseBodySize: 0,
    bodyTruncated: false,
    clientDirection: serverDir === 0 ? 1 : 0,
  });
}

/** Every HTTP/2 stream seen so far with its request and response. */
export function http2Exchanges(state: import('../dissect/state').CaptureState): Http2Exchange[] {
  return [...state.slot<Http2State>('http2', newHttp2State).exchanges.values()];
}
