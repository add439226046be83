// Hypertext Transfer Protocol 1.0/1.1 (RFC 9110, RFC 9112) over TCP, and SSDP (HTTP over UDP,
// UPnP Device Architecture §1). One message decoder with tshark 4.0's `http.*` fields:
// request/status line, header fields, body (chunked transfer coding undone, then gzip/deflate/br
// content coding) handed to a media-type dissector (http-media.ts).
//
// Over TCP HTTP is a `StreamDissector`: `pduLength` finds where a message ends (RFC 9112 §6.3:
// no body for 1xx/204/304 and answers to HEAD; else Transfer-Encoding chunked, Content-Length,
// or — for a response — the end of the connection), so TCP reassembly decodes each message once,
// in the frame that completes it. Requests and responses are paired per conversation as tshark
// does (`http.request_in`, `http.prev_request_in`, `http.response_number`…), remembered per
// message for revisits, which also know `http.response_in`. An "Upgrade: h2c" answered by 101
// and the HTTP/2 connection preface switch the stream to HTTP/2 (RFC 7540 §3.2, §3.4).
import type { Dissection, Dissector } from '../dissect/dissection';
import { latin1 } from '../dissect/dissection';
import type { Field } from '../dissect/fields';
import { bytesToHex, escapeControl, ipv4ToString, ipv6ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import {
  NEED_MORE_BYTES,
  NOT_THIS_PROTOCOL,
  addStreamHeuristic,
  type StreamDissector,
} from '../dissect/transport';
import {
  MAX_DECODED_BODY,
  decodeContent,
  dechunk,
  dissectBody,
  escapeText,
  lineEnd,
  mediaTypeOf,
  parseChunked,
  type ChunkedBody,
  HTTP_STATUS,
} from './http-media';

export { HTTP_STATUS };
import {
  METHODS,
  bodilessResponse,
  headerValue,
  isChunked,
  messageLength,
  parseHead,
  parseStartLine,
  type HeaderLine,
  type MessageHead,
} from './http-message';
import {
  HTTP2_PREFACE,
  dissectSettingsPayload,
  http2Exchanges,
  http2Stream,
  isHttp2Preface,
  noteH2cUpgrade,
} from './http2';
import type { CaptureState } from '../dissect/state';

export { parseHead, parseStartLine, messageLength, headerValue, type MessageHead, type HeaderLine };

export { encodeHttpRequest, encodeHttpResponse, parseHttpMessage } from './http-encode';
export type { HttpRequestRepr, HttpResponseRepr, HttpMessageRepr } from './http-encode';

/** Wireshark 4.0's http.tcp.port default range. */
export const HTTP_TCP_PORTS = [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371];
export const SSDP_PORT = 1900;

/** The longest header section we wait for before giving up on a message (bytes). */
const MAX_HEADER_SECTION = 256 << 10;

const HEADER_FIELD_SPECS = {
  authorization: { abbrev: 'http.authorization', name: 'Authorization', type: 'string' },
  proxyAuthorization: { abbrev: 'http.proxy_authorization', name: 'Proxy-Authorization', type: 'string' },
  proxyAuthenticate: { abbrev: 'http.proxy_authenticate', name: 'Proxy-Authenticate', type: 'string' },
  wwwAuthenticate: { abbrev: 'http.www_authenticate', name: 'WWW-Authenticate', type: 'string' },
  contentType: { abbrev: 'http.content_type', name: 'Content-Type', type: 'string' },
  contentLengthHeader: { abbrev: 'http.content_length_header', name: 'Content-Length', type: 'string' },
  contentEncoding: { abbrev: 'http.content_encoding', name: 'Content-Encoding', type: 'string' },
  transferEncoding: { abbrev: 'http.transfer_encoding', name: 'Transfer-Encoding', type: 'string' },
  upgrade: { abbrev: 'http.upgrade', name: 'Upgrade', type: 'string' },
  userAgent: { abbrev: 'http.user_agent', name: 'User-Agent', type: 'string' },
  host: { abbrev: 'http.host', name: 'Host', type: 'string' },
  range: { abbrev: 'http.range', name: 'Range', type: 'string' },
  contentRange: { abbrev: 'http.content_range', name: 'Content-Range', type: 'string' },
  connection: { abbrev: 'http.connection', name: 'Connection', type: 'string' },
  cookie: { abbrev: 'http.cookie', name: 'Cookie', type: 'string' },
  accept: { abbrev: 'http.accept', name: 'Accept', type: 'string' },
  referer: { abbrev: 'http.referer', name: 'Referer', type: 'string' },
  acceptLanguage: { abbrev: 'http.accept_language', name: 'Accept-Language', type: 'string' },
  acceptEncoding: { abbrev: 'http.accept_encoding', name: 'Accept Encoding', type: 'string' },
  date: { abbrev: 'http.date', name: 'Date', type: 'string' },
  cacheControl: { abbrev: 'http.cache_control', name: 'Cache-Control', type: 'string' },
  server: { abbrev: 'http.server', name: 'Server', type: 'string' },
  location: { abbrev: 'http.location', name: 'Location', type: 'string' },
  secWebsocketAccept: { abbrev: 'http.sec_websocket_accept', name: 'Sec-WebSocket-Accept', type: 'string' },
  secWebsocketExtensions: {
    abbrev: 'http.sec_websocket_extensions',
    name: 'Sec-WebSocket-Extensions',
    type: 'string',
  },
  secWebsocketKey: { abbrev: 'http.sec_websocket_key', name: 'Sec-WebSocket-Key', type: 'string' },
  secWebsocketProtocol: {
    abbrev: 'http.sec_websocket_protocol',
    name: 'Sec-WebSocket-Protocol',
    type: 'string',
  },
  secWebsocketVersion: {
    abbrev: 'http.sec_websocket_version',
    name: 'Sec-WebSocket-Version',
    type: 'string',
  },
  setCookie: { abbrev: 'http.set_cookie', name: 'Set-Cookie', type: 'string' },
  lastModified: { abbrev: 'http.last_modified', name: 'Last-Modified', type: 'string' },
  xForwardedFor: { abbrev: 'http.x_forwarded_for', name: 'X-Forwarded-For', type: 'string' },
  http2Settings: { abbrev: 'http.http2_settings', name: 'HTTP2-Settings', type: 'string' },
} as const;

/** Header names (lower case) → the key of their field, as packet-http.c's headers[] table. */
const HEADER_NAMES: Record<string, keyof typeof HEADER_FIELD_SPECS> = {
  authorization: 'authorization',
  'proxy-authorization': 'proxyAuthorization',
  'proxy-authenticate': 'proxyAuthenticate',
  'www-authenticate': 'wwwAuthenticate',
  'content-type': 'contentType',
  'content-length': 'contentLengthHeader',
  'content-encoding': 'contentEncoding',
  'transfer-encoding': 'transferEncoding',
  upgrade: 'upgrade',
  'user-agent': 'userAgent',
  host: 'host',
  range: 'range',
  'content-range': 'contentRange',
  connection: 'connection',
  cookie: 'cookie',
  accept: 'accept',
  referer: 'referer',
  'accept-language': 'acceptLanguage',
  'accept-encoding': 'acceptEncoding',
  date: 'date',
  'cache-control': 'cacheControl',
  server: 'server',
  location: 'location',
  'sec-websocket-accept': 'secWebsocketAccept',
  'sec-websocket-extensions': 'secWebsocketExtensions',
  'sec-websocket-key': 'secWebsocketKey',
  'sec-websocket-protocol': 'secWebsocketProtocol',
  'sec-websocket-version': 'secWebsocketVersion',
  'set-cookie': 'setCookie',
  'last-modified': 'lastModified',
  'x-forwarded-for': 'xForwardedFor',
  'http2-settings': 'http2Settings',
};

const HTTP_FIELD_SPECS = {
  ...HEADER_FIELD_SPECS,
  request: { abbrev: 'http.request', name: 'Request', type: 'bool' },
  response: { abbrev: 'http.response', name: 'Response', type: 'bool' },
  requestMethod: { abbrev: 'http.request.method', name: 'Request Method', type: 'string' },
  requestUri: { abbrev: 'http.request.uri', name: 'Request URI', type: 'string' },
  requestUriPath: { abbrev: 'http.request.uri.path', name: 'Request URI Path', type: 'string' },
  requestUriQuery: { abbrev: 'http.request.uri.query', name: 'Request URI Query', type: 'string' },
  requestUriQueryParameter: {
    abbrev: 'http.request.uri.query.parameter',
    name: 'Request URI Query Parameter',
    type: 'string',
  },
  requestVersion: { abbrev: 'http.request.version', name: 'Request Version', type: 'string' },
  responseVersion: { abbrev: 'http.response.version', name: 'Response Version', type: 'string' },
  responseCode: { abbrev: 'http.response.code', name: 'Status Code', type: 'uint16' },
  responseCodeDesc: { abbrev: 'http.response.code.desc', name: 'Status Code Description', type: 'string' },
  responsePhrase: { abbrev: 'http.response.phrase', name: 'Response Phrase', type: 'string' },
  requestLine: { abbrev: 'http.request.line', name: 'Request line', type: 'string' },
  responseLine: { abbrev: 'http.response.line', name: 'Response line', type: 'string' },
  contentLength: { abbrev: 'http.content_length', name: 'Content length', type: 'uint64' },
  cookiePair: { abbrev: 'http.cookie_pair', name: 'Cookie pair', type: 'string' },
  fullUri: { abbrev: 'http.request.full_uri', name: 'Full request URI', type: 'string' },
  responseForUri: { abbrev: 'http.response_for.uri', name: 'Request URI', type: 'string' },
  requestNumber: { abbrev: 'http.request_number', name: 'Request number', type: 'uint32' },
  responseNumber: { abbrev: 'http.response_number', name: 'Response number', type: 'uint32' },
  requestIn: { abbrev: 'http.request_in', name: 'Request in frame', type: 'framenum' },
  responseIn: { abbrev: 'http.response_in', name: 'Response in frame', type: 'framenum' },
  nextRequestIn: { abbrev: 'http.next_request_in', name: 'Next request in frame', type: 'framenum' },
  nextResponseIn: { abbrev: 'http.next_response_in', name: 'Next response in frame', type: 'framenum' },
  prevRequestIn: { abbrev: 'http.prev_request_in', name: 'Prev request in frame', type: 'framenum' },
  prevResponseIn: { abbrev: 'http.prev_response_in', name: 'Prev response in frame', type: 'framenum' },
  time: { abbrev: 'http.time', name: 'Time since request', type: 'reltime', unit: ' seconds' },
  chunkSize: { abbrev: 'http.chunk_size', name: 'Chunk size', type: 'uint32', unit: ' octets' },
  chunkData: { abbrev: 'http.chunk_data', name: 'Chunk data', type: 'bytes' },
  chunkBoundary: { abbrev: 'http.chunk_boundary', name: 'Chunk boundary', type: 'bytes' },
  chunkedTrailerPart: { abbrev: 'http.chunked_trailer_part', name: 'trailer-part', type: 'string' },
  fileData: { abbrev: 'http.file_data', name: 'File Data', type: 'string' },
  teAndLength: {
    abbrev: 'http.te_and_length',
    name: 'The Content-Length and Transfer-Encoding header must not be set together',
    type: 'none',
  },
  decompressionFailed: { abbrev: 'http.decompression_failed', name: 'Decompression failed', type: 'none' },
} as const;

export const http = defineProtocol({
  abbrev: 'http',
  name: 'Hypertext Transfer Protocol',
  short: 'HTTP',
  fields: HTTP_FIELD_SPECS,
  dissect: (p, start, end) => dissectHttp(p, start, end, 'http'),
});

export const ssdp = defineProtocol({
  abbrev: 'ssdp',
  name: 'Simple Service Discovery Protocol',
  short: 'SSDP',
  fields: {},
  dissect: (p, start, end) => dissectHttp(p, start, end, 'ssdp'),
});

// ---- per-conversation state: pairing, HTTP/2 switch ----

/** One request/response pair as tshark numbers them (packet-http.c's http_req_res_t). */
export interface ReqRes {
  /** Pair number in its conversation (HTTP/1), or the HTTP/2 stream id. */
  number: number;
  /** `HTTP/1.1`, `HTTP/1.0`… of the request (else the response), or `HTTP/2`. */
  version: string;
  reqFrame: number;
  resFrame: number;
  reqTimeNs: bigint;
  resTimeNs: bigint;
  method: string;
  uri: string;
  host: string;
  fullUri: string;
  status: number;
  phrase: string;
  requestHeaders: [string, string][];
  responseHeaders: [string, string][];
  requestContentType: string;
  responseContentType: string;
  /** Decoded bodies (transfer and content codings undone) within the capture's budget. */
  requestBody?: Uint8Array;
  responseBody?: Uint8Array;
  /** Bytes of the body as sent (before content decoding) and whether it was cut short. */
  requestBodySize: number;
  responseBodySize: number;
  bodyTruncated: boolean;
  /** Content coding that could not be undone, if any. */
  decodeError?: string;
}

interface Conversation {
  kind: 'tcp' | 'udp';
  stream: number;
  all: ReqRes[];
  /** Full URI of the last request (tshark's response_for.uri for an unmatched response). */
  lastFullUri: string;
  /** For pduLength: methods of the requests sized so far, and final responses sized so far. */
  sizedMethods: string[];
  sizedAnswers: number;
  /** Frame from which bytes that are not an HTTP/1 message are HTTP/2 (0: never). */
  http2From: number;
  /** Per direction: where sizing a chunked message in progress stopped (see chunkedLength). */
  chunkResume: [ChunkResume | undefined, ChunkResume | undefined];
}

interface ChunkResume {
  fingerprint: string;
  offset: number;
}

interface HttpState {
  convs: Map<string, Conversation>;
  /** Per message, for revisits: "frame|dataLength|start" → pair number and role. */
  messages: Map<string, { conv: string; number: number; request: boolean }>;
  /** The last pair each frame recorded (tshark's per-frame HTTP_PROTO_DATA_REQRES). */
  lastByFrame: Map<number, { conv: string; number: number; request: boolean }>;
  /** Bytes of bodies kept for httpExchanges. */
  bodyBytes: number;
}

/** Bodies kept per capture for `httpExchanges` (beyond this they are counted, not kept). */
export const HTTP_BODY_BUDGET = 256 << 20;

function newHttpState(): HttpState {
  return { convs: new Map(), messages: new Map(), lastByFrame: new Map(), bodyBytes: 0 };
}

/** (Per segment on an HTTP port: no closure per call.) */
function httpState(p: Dissection): HttpState {
  return p.state.slot<HttpState>('http', newHttpState);
}

function convKey(p: Dissection): string {
  const t = p.transport;
  return t ? `${t.kind}${t.stream}` : 'none';
}

function conversation(p: Dissection): Conversation {
  const st = httpState(p);
  const key = convKey(p);
  let c = st.convs.get(key);
  if (!c) {
    c = {
      kind: p.transport?.kind ?? 'tcp',
      stream: p.transport?.stream ?? -1,
      all: [],
      lastFullUri: '',
      sizedMethods: [],
      sizedAnswers: 0,
      http2From: 0,
      chunkResume: [undefined, undefined],
    };
    st.convs.set(key, c);
  }
  return c;
}

// ---- pduLength (TCP reassembly) ----

function pduLength(p: Dissection, data: Uint8Array, start: number, end: number): number {
  if (
    isHttp2Preface(data, start, end) ||
    (end - start < HTTP2_PREFACE.length && prefacePrefix(data, start, end))
  ) {
    const conv = conversation(p);
    if (!conv.http2From) conv.http2From = p.frame.number;
    return http2Stream.pduLength(p, data, start, end);
  }
  const head = parseHead(data, start, end);
  if (!head) {
    // Every segment of a non-HTTP stream on an HTTP port comes here: look the conversation up
    // without creating one (an empty conversation changes nothing but costs memory).
    const conv = httpState(p).convs.get(convKey(p));
    if (conv?.http2From) return http2Stream.pduLength(p, data, start, end);
    // Not a message start: a start line still arriving, continuation data, or — before any
    // message — not HTTP at all (an h2 server's SETTINGS ahead of the client's preface).
    if (end - start < 16 && couldStartMessage(data, start, end)) return NEED_MORE_BYTES;
    return conv && (conv.sizedMethods.length || conv.sizedAnswers) ? end - start : NOT_THIS_PROTOCOL;
  }
  const conv = conversation(p);
  if (head.headerEnd < 0) return end - start > MAX_HEADER_SECTION ? end - start : NEED_MORE_BYTES;
  const method = head.kind === 'response' ? conv.sizedMethods[conv.sizedAnswers] : undefined;
  const chunkedBody =
    isChunked(head) &&
    !(head.kind === 'response' && bodilessResponse(head.status, method)) &&
    !(head.kind === 'request' && head.method === 'CONNECT');
  const len = chunkedBody
    ? chunkedLength(p, conv, data, start, end, head)
    : messageLength(data, start, end, head, method);
  if (len === NEED_MORE_BYTES) return len;
  // Sized: remember what the other direction needs (HEAD), and an upgrade to HTTP/2.
  if (head.kind === 'request') {
    if (conv.sizedMethods.length < 1_000_000) conv.sizedMethods.push(head.method);
  } else if (head.status >= 200 || head.status === 101) {
    conv.sizedAnswers++;
  }
  if (head.kind === 'response' && head.status === 101 && /h2c/i.test(headerValue(head, 'upgrade') ?? ''))
    conv.http2From ||= p.frame.number;
  return len;
}

/**
 * The length of a chunked message, resuming the chunk walk where the previous call for the same
 * message stopped: reassembly asks again with each new segment, and walking a large body from
 * its start every time would be quadratic.
 */
function chunkedLength(
  p: Dissection,
  conv: Conversation,
  data: Uint8Array,
  start: number,
  end: number,
  head: MessageHead,
): number {
  const dir = p.transport?.direction ?? 0;
  const headerLen = head.headerEnd - start;
  const fingerprint = `${headerLen}|${latin1(data.subarray(start, start + Math.min(64, headerLen)))}`;
  const cached = conv.chunkResume[dir];
  const from =
    cached && cached.fingerprint === fingerprint && start + cached.offset <= end
      ? start + cached.offset
      : head.headerEnd;
  const body = parseChunked(data, from, end);
  if (!body.complete) {
    conv.chunkResume[dir] = { fingerprint, offset: body.resume - start };
    return NEED_MORE_BYTES;
  }
  conv.chunkResume[dir] = undefined;
  return body.end - start;
}

/** Whether `[start, end)` may be the beginning of a start line (a method or "HTTP/"). */
function couldStartMessage(b: Uint8Array, start: number, end: number): boolean {
  const text = latin1(b.subarray(start, end));
  if ('HTTP/1.'.startsWith(text) || text.startsWith('HTTP/')) return true;
  for (const m of METHODS) if ((m + ' ').startsWith(text) || text.startsWith(m + ' ')) return true;
  return false;
}

function prefacePrefix(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== HTTP2_PREFACE[i - start]) return false;
  return end > start;
}

/**
 * The Info of a segment in which a message begins but does not end: its start line, as tshark's
 * HTTP writes it before asking TCP for the rest (packet-http.c: col_add_fstr(…, "%s ", …) ahead
 * of req_resp_hdrs_do_reassembly). Nothing until the whole start line is there, nor for bytes
 * that are not a request or status line (an HTTP/2 frame after an upgrade).
 */
function partialInfo(data: Uint8Array, start: number, end: number): string {
  const e = lineEnd(data, start, Math.min(end, start + 8192));
  if (e < 0 || isHttp2Preface(data, start, end) || !parseStartLine(data, start, e)) return '';
  return startLineInfo(data, start, e);
}

/** HTTP over TCP as a stream protocol. */
export const httpStream: StreamDissector = { ...http, pduLength, partialInfo };

/** A message's part of the Info column: its start line `[start, end)` and a space. */
function startLineInfo(b: Uint8Array, start: number, end: number): string {
  return formatText(b, start, end) + ' ';
}

/** Not shown as itself by format_text (GLib's g_unichar_isprint is false for these). */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cn}\p{Cs}]/u;

function upperHex(n: number, digits: number): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}

/** How many continuation bytes a UTF-8 lead byte announces (format_text accepts the old 5- and
 * 6-byte forms too); -1 for a continuation byte, 0xfe or 0xff. */
function continuationBytes(c: number): number {
  if ((c & 0xe0) === 0xc0) return 1;
  if ((c & 0xf0) === 0xe0) return 2;
  if ((c & 0xf8) === 0xf0) return 3;
  if ((c & 0xfc) === 0xf8) return 4;
  if ((c & 0xfe) === 0xfc) return 5;
  return -1;
}

/**
 * Wireshark's format_text (epan/strutil.c): bytes read as UTF-8; printable characters as they
 * are, other ASCII as C escapes (`\t`, `\001`), a malformed sequence as U+FFFD, any other
 * unprintable character as `\uXXXX`.
 */
function formatText(b: Uint8Array, start: number, end: number): string {
  let s = '';
  let i = start;
  while (i < end) {
    const c = b[i++]!;
    if (c >= 0x20 && c < 0x7f) {
      s += String.fromCharCode(c);
      continue;
    }
    if (c < 0x80) {
      s += escapeControl(c);
      continue;
    }
    const more = continuationBytes(c);
    let uc = more > 0 ? c & (0x3f >> more) : 0xfffd;
    for (let k = 0; k < more; k++) {
      // Out of bytes, or not a continuation byte (re-read as the start of the next character).
      if (i >= end || (b[i]! & 0xc0) !== 0x80) {
        uc = 0xfffd;
        break;
      }
      uc = uc * 64 + (b[i++]! & 0x3f);
    }
    if (uc > 0x10ffff || (uc >= 0xd800 && uc <= 0xdfff)) uc = 0xfffd;
    const ch = String.fromCodePoint(uc);
    if (!UNPRINTABLE.test(ch)) s += ch;
    else s += uc > 0xffff ? '\\U' + upperHex(uc, 8) : '\\u' + upperHex(uc, 4);
  }
  return s;
}

// ---- decode ----

type Flavour = 'http' | 'ssdp';

function dissectHttp(p: Dissection, start: number, end: number, flavour: Flavour): void {
  // Without reassembly (or over UDP) the range may hold several messages: one at a time.
  let off = start;
  for (let guard = 0; off < end && guard < 1000; guard++) {
    if (flavour === 'http' && isHttp2Preface(p.data, off, end)) {
      conversation(p).http2From ||= p.frame.number;
      p.call(http2Stream, off, end);
      return;
    }
    const head = parseHead(p.data, off, end);
    if (!head) {
      const conv = flavour === 'http' ? conversation(p) : undefined;
      if (conv?.http2From && p.frame.number >= conv.http2From) {
        p.call(http2Stream, off, end);
        return;
      }
      dissectContinuation(p, off, end, flavour);
      return;
    }
    const used = dissectMessage(p, off, end, head, flavour, off === start);
    if (used <= 0) return;
    off += used;
  }
}

function layerField(flavour: Flavour): Field {
  return flavour === 'ssdp' ? ssdp.field : http.field;
}

function dissectContinuation(p: Dissection, start: number, end: number, flavour: Flavour): void {
  const item = p.add(layerField(flavour), start, end - start);
  p.open(item);
  if (p.wants(http.f.fileData))
    p.add(
      http.f.fileData,
      start,
      end - start,
      latin1(p.data.subarray(start, end)),
      `File Data: ${end - start} bytes`,
    );
  p.close(item);
  p.setInfo('Continuation');
}

/** Decodes one message; returns how many bytes it used. */
function dissectMessage(
  p: Dissection,
  start: number,
  end: number,
  head: MessageHead,
  flavour: Flavour,
  first: boolean,
): number {
  const f = http.f;
  const isRequest = head.kind === 'request';
  const conv = conversation(p);
  const st = httpState(p);
  const msgKey = `${p.frame.number}|${p.data.length}|${start}`;

  // Pairing (first pass), or what the first pass recorded (revisit).
  let rr: ReqRes | undefined;
  let prev: ReqRes | undefined;
  const seen = st.messages.get(msgKey);
  if (seen) {
    // tshark keeps one pair per frame (the last one the frame started): on a second pass every
    // message of a frame with pipelined requests shows that pair.
    const shown = p.visited ? (st.lastByFrame.get(p.frame.number) ?? seen) : seen;
    const c = st.convs.get(shown.conv);
    rr = c?.all[shown.number - 1];
    prev = c?.all[shown.number - 2];
  } else if (!p.inError) {
    rr = pair(p, conv, head);
    prev = conv.all[rr.number - 2];
    const record = { conv: convKey(p), number: rr.number, request: isRequest };
    st.messages.set(msgKey, record);
    st.lastByFrame.set(p.frame.number, record);
  }

  // Where the message ends: the header section, then the body by §6.3.
  const headerEnd = head.headerEnd < 0 ? end : head.headerEnd;
  const method = isRequest ? undefined : rr && rr.reqFrame ? rr.method : undefined;
  const length = head.headerEnd < 0 ? end - start : messageLength(p.data, start, end, head, method);
  const msgEnd = length > 0 ? Math.min(end, start + length) : end;

  const item = p.add(layerField(flavour), start, msgEnd - start);
  p.open(item);
  const detail = p.detailFor('http');

  // Start line.
  const lineNode = p.tree
    ? p.addText(`${escapeText(p.data.subarray(start, head.headersStart))}`, start, head.headersStart - start)
    : undefined;
  p.open(lineNode);
  const [a, b, c] = head.parts as [[number, number], [number, number], [number, number]];
  if (isRequest) {
    p.add(f.requestMethod, a[0], a[1] - a[0], head.method);
    p.add(f.requestUri, b[0], b[1] - b[0], head.uri);
    if (detail) addUriParts(p, head.uri, b[0]);
    p.add(f.requestVersion, c[0], c[1] - c[0], head.version);
  } else {
    p.add(f.responseVersion, a[0], a[1] - a[0], head.version);
    p.add(f.responseCode, b[0], 3, head.status);
    if (p.wants(f.responseCodeDesc))
      p.addGenerated(f.responseCodeDesc, HTTP_STATUS[head.status] ?? 'Unknown');
    p.add(f.responsePhrase, c[0], c[1] - c[0], head.phrase);
  }
  p.close(lineNode);
  if (p.wants(isRequest ? f.request : f.response)) {
    // Hidden booleans (tshark's http.request / http.response): filterable, not shown.
    if (!p.tree) p.add(isRequest ? f.request : f.response, start, 0, true);
  }

  // Header fields.
  let host = '';
  let contentType = '';
  let contentCoding = '';
  const headerList: [string, string][] = [];
  for (const h of head.headers) {
    const key = HEADER_NAMES[h.name.toLowerCase()];
    const lineLen = h.next - h.lineStart;
    headerList.push([h.name, h.value]);
    if (key === 'host') host = h.value;
    else if (key === 'contentType') contentType = h.value;
    else if (key === 'contentEncoding') contentCoding = h.value;
    if (!detail) {
      if (key && p.wants(f[key])) p.add(f[key], h.lineStart, lineLen, h.value);
      if (key === 'http2Settings' && p.detailFor('http2')) addHttp2Settings(p, h.value);
      if (key === 'contentLengthHeader' && p.wants(f.contentLength)) addContentLength(p, h);
      continue;
    }
    const label = `${escapeText(p.data.subarray(h.lineStart, h.next))}`;
    const lineField = isRequest ? f.requestLine : f.responseLine;
    if (key) {
      const node = p.add(f[key], h.lineStart, lineLen, h.value, label);
      p.open(node);
      if (key === 'contentLengthHeader') addContentLength(p, h);
      if (key === 'cookie') addCookiePairs(p, h);
      if (key === 'http2Settings') addHttp2Settings(p, h.value);
      p.close(node);
      if (!p.tree && p.wants(lineField)) p.add(lineField, h.lineStart, lineLen, lineText(p, h));
    } else {
      p.add(lineField, h.lineStart, lineLen, lineText(p, h), label);
    }
  }
  if (head.headerEnd > 0 && p.tree) {
    const blank = head.headerEnd - (p.data[head.headerEnd - 2] === 0x0d ? 2 : 1);
    p.addText(p.data[blank] === 0x0d ? '\\r\\n' : '\\n', blank, head.headerEnd - blank);
  }

  // Generated pairing items, in tshark's order.
  if (rr) addPairing(p, head, rr, prev, conv, host, isRequest);

  // Body, then Info: the start line, to which the media dissector appends " (text/plain)".
  const body = dissectEntity(p, head, headerEnd, msgEnd, contentCoding, isRequest);
  p.close(item);
  if (p.columns) {
    const info = startLineInfo(p.data, start, head.firstEnd);
    if (first) p.setInfo(info);
    else p.cols.info += info;
  }
  dissectMedia(p, body, mediaTypeOf(contentType));

  // First pass: what httpExchanges reports.
  if (rr && !seen) {
    recordExchange(st, rr, isRequest, headerList, contentType, body);
    // RFC 7540 §3.2: after "101 Switching Protocols" to h2c the request is HTTP/2 stream 1.
    if (!isRequest && head.status === 101 && /h2c/i.test(headerValue(head, 'upgrade') ?? '') && rr.reqFrame)
      noteH2cUpgrade(p, rr);
  }
  return msgEnd - start;
}

/** A header line's value for http.request.line / http.response.line (with its CRLF, as tshark). */
function lineText(p: Dissection, h: HeaderLine): string {
  return latin1(p.data.subarray(h.lineStart, h.lineEnd)) + '\r\n';
}

/** RFC 7540 §3.2.1: the h2c upgrade's SETTINGS payload, base64url without padding. */
function addHttp2Settings(p: Dissection, value: string): void {
  const bytes = new Uint8Array(Buffer.from(value.trim(), 'base64url'));
  if (bytes.length === 0 || bytes.length % 6 !== 0) return;
  p.withSource('Base64-decoded HTTP2-Settings', bytes, () => dissectSettingsPayload(p, 0, bytes.length));
}

function addContentLength(p: Dissection, h: HeaderLine): void {
  const v = h.value.trim();
  if (/^\d{1,15}$/.test(v)) p.addGenerated(http.f.contentLength, Number(v), `Content length: ${Number(v)}`);
}

function addCookiePairs(p: Dissection, h: HeaderLine): void {
  let i = h.valueStart;
  const end = h.valueEnd;
  for (let n = 0; i < end && n < 1000; n++) {
    let semi = i;
    while (semi < end && p.data[semi] !== 0x3b) semi++;
    let s = i;
    while (s < semi && p.data[s] === 0x20) s++;
    if (semi > s) p.add(http.f.cookiePair, s, semi - s, latin1(p.data.subarray(s, semi)));
    i = semi + 1;
  }
}

function addUriParts(p: Dissection, uri: string, at: number): void {
  const q = uri.indexOf('?');
  if (q < 0) return;
  const f = http.f;
  const node = p.add(f.requestUriPath, at, q, uri.slice(0, q));
  void node;
  const query = uri.slice(q + 1);
  const qNode = p.add(f.requestUriQuery, at + q + 1, query.length, query);
  p.open(qNode);
  let o = 0;
  for (const param of query.split('&').slice(0, 1000)) {
    p.add(f.requestUriQueryParameter, at + q + 1 + o, param.length, param);
    o += param.length + 1;
  }
  p.close(qNode);
}

/** packet-http.c push_req / push_res: a request always starts a new pair; a response takes the
 * newest pair unless that one already has its response. */
function pair(p: Dissection, conv: Conversation, head: MessageHead): ReqRes {
  const timeNs = BigInt(p.frame.tsSec) * 1_000_000_000n + BigInt(p.frame.tsNsec);
  const tail = conv.all[conv.all.length - 1];
  if (head.kind === 'request') {
    const host = headerValue(head, 'host') ?? '';
    const fullUri = fullUriOf(p, host, head.uri);
    conv.lastFullUri = fullUri;
    return pushPair(conv, {
      reqFrame: p.frame.number,
      reqTimeNs: timeNs,
      version: head.version,
      method: head.method,
      uri: head.uri,
      host,
      fullUri,
    });
  }
  const rr = !tail || tail.resFrame ? pushPair(conv, {}) : tail;
  rr.resFrame = p.frame.number;
  rr.resTimeNs = timeNs;
  rr.version ||= head.version;
  rr.status = head.status;
  rr.phrase = head.phrase;
  return rr;
}

function pushPair(conv: Conversation, init: Partial<ReqRes>): ReqRes {
  const rr: ReqRes = {
    number: conv.all.length + 1,
    version: '',
    reqFrame: 0,
    resFrame: 0,
    reqTimeNs: 0n,
    resTimeNs: 0n,
    method: '',
    uri: '',
    host: '',
    fullUri: '',
    status: 0,
    phrase: '',
    requestHeaders: [],
    responseHeaders: [],
    requestContentType: '',
    responseContentType: '',
    requestBodySize: 0,
    responseBodySize: 0,
    bodyTruncated: false,
    ...init,
  };
  conv.all.push(rr);
  return rr;
}

/** tshark: "http://" + Host + URI (the URI itself when absolute, as a proxy request has it). */
function fullUriOf(p: Dissection, host: string, uri: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return uri;
  if (!host) {
    host =
      p.netFamily === 4 && p.netDst.length === 4
        ? ipv4ToString(
            ((p.netDst[0]! << 24) >>> 0) + ((p.netDst[1]! << 16) | (p.netDst[2]! << 8) | p.netDst[3]!),
          )
        : p.netFamily === 6
          ? ipv6ToString(p.netDst)
          : '';
  }
  return `http://${host}${uri}`;
}

function addPairing(
  p: Dissection,
  head: MessageHead,
  rr: ReqRes,
  prev: ReqRes | undefined,
  conv: Conversation,
  host: string,
  isRequest: boolean,
): void {
  const f = http.f;
  const total = p.visited ? conv.all.length : rr.number;
  if (isRequest) {
    // From this message itself (pipelined requests of one frame share a pair on revisits).
    const full = fullUriOf(p, host, head.uri);
    p.addGenerated(f.fullUri, full, `Full request URI: ${full}`);
    p.addGenerated(f.requestNumber, rr.number, `HTTP request ${rr.number}/${total}`);
    if (prev?.reqFrame)
      p.addGenerated(f.prevRequestIn, prev.reqFrame, `Prev request in frame: ${prev.reqFrame}`);
    // Known on a revisit (the response came later), as Wireshark's second pass shows it.
    if (p.visited && rr.resFrame && rr.resFrame !== p.frame.number)
      p.addGenerated(f.responseIn, rr.resFrame, `Response in frame: ${rr.resFrame}`);
    const next = p.visited ? conv.all[rr.number] : undefined;
    if (next?.reqFrame)
      p.addGenerated(f.nextRequestIn, next.reqFrame, `Next request in frame: ${next.reqFrame}`);
    return;
  }
  p.addGenerated(f.responseNumber, rr.number, `HTTP response ${rr.number}/${total}`);
  if (rr.reqFrame) {
    const dt = rr.resTimeNs - rr.reqTimeNs;
    p.addGenerated(f.time, dt, `Time since request: ${nsText(dt)} seconds`);
  }
  if (prev?.reqFrame)
    p.addGenerated(f.prevRequestIn, prev.reqFrame, `Prev request in frame: ${prev.reqFrame}`);
  if (prev?.resFrame)
    p.addGenerated(f.prevResponseIn, prev.resFrame, `Prev response in frame: ${prev.resFrame}`);
  if (rr.reqFrame) p.addGenerated(f.requestIn, rr.reqFrame, `Request in frame: ${rr.reqFrame}`);
  const next = p.visited ? conv.all[rr.number] : undefined;
  if (next?.reqFrame)
    p.addGenerated(f.nextRequestIn, next.reqFrame, `Next request in frame: ${next.reqFrame}`);
  if (next?.resFrame)
    p.addGenerated(f.nextResponseIn, next.resFrame, `Next response in frame: ${next.resFrame}`);
  // The response's request URI: its own request's, else the conversation's last one.
  const uri = rr.reqFrame ? rr.fullUri : conv.lastFullUri;
  if (uri) p.addGenerated(f.responseForUri, uri, `Request URI: ${uri}`);
}

function nsText(ns: bigint): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  return `${neg ? '-' : ''}${a / 1_000_000_000n}.${(a % 1_000_000_000n).toString().padStart(9, '0')}`;
}

interface EntityInfo {
  /** The body after transfer and content decoding (kept for exchanges), and its wire size. */
  decoded?: Uint8Array;
  wireSize: number;
  decodeError?: string;
  /** Where the media dissector reads the body: a range of `p.data`, or a buffer of its own
   * (de-chunked and/or uncompressed) shown as a data source named `source`. */
  mediaStart: number;
  mediaEnd: number;
  ownBytes?: Uint8Array;
  source?: string;
}

/** The message body inside the HTTP item: chunks, content coding, File Data. */
function dissectEntity(
  p: Dissection,
  head: MessageHead,
  bodyStart: number,
  bodyEnd: number,
  coding: string,
  isRequest: boolean,
): EntityInfo {
  const f = http.f;
  const out: EntityInfo = { wireSize: 0, mediaStart: 0, mediaEnd: 0 };
  if (bodyEnd <= bodyStart) return out;
  if (headerValue(head, 'content-length') !== undefined && isChunked(head) && p.tree)
    p.issue('malformed', 'warn', f.teAndLength.name, bodyStart, bodyStart);

  let entity: Uint8Array = p.data.subarray(bodyStart, bodyEnd);
  let at = bodyStart;
  let source: string | undefined;
  if (isChunked(head)) {
    const chunked = parseChunked(p.data, bodyStart, bodyEnd);
    addChunks(p, chunked, isRequest);
    entity = dechunk(p.data, chunked);
    source = `De-chunked entity body (${entity.length} bytes)`;
    at = 0;
  }
  out.wireSize = entity.length;
  if (coding && coding.toLowerCase() !== 'identity') {
    const r = decodeContent(coding, entity, MAX_DECODED_BODY);
    if (r.ok) {
      p.addText(
        `Content-encoded entity body (${coding}): ${entity.length} bytes -> ${r.bytes.length} bytes`,
        source ? bodyStart : at,
        source ? bodyEnd - bodyStart : entity.length,
      );
      entity = r.bytes;
      source = `Uncompressed entity body (${entity.length} bytes)`;
      at = 0;
    } else {
      out.decodeError = r.reason;
      p.issue('malformed', 'warn', `Decompression failed (${coding}): ${r.reason}`, bodyStart, bodyEnd);
    }
  }
  out.decoded = entity;
  const fileData = () => {
    if (p.wants(f.fileData))
      p.add(
        f.fileData,
        at,
        entity.length,
        p.tree ? latin1(entity.subarray(0, 64)) : latin1(entity),
        `File Data: ${entity.length} bytes`,
      );
  };
  if (source) {
    p.withSource(source, entity, fileData);
    out.ownBytes = entity;
    out.source = source;
  } else fileData();
  out.mediaStart = at;
  out.mediaEnd = at + entity.length;
  return out;
}

/** The media-type dissector, after the HTTP item (its layer is HTTP's sibling, as in tshark),
 * from the data source its bytes live in. */
function dissectMedia(p: Dissection, body: EntityInfo, mediaType: string): void {
  if (body.mediaEnd <= body.mediaStart) return;
  const run = () => dissectBody(p, mediaType, body.mediaStart, body.mediaEnd);
  if (body.ownBytes) p.withSource(body.source ?? 'Entity body', body.ownBytes, run);
  else run();
}

function addChunks(p: Dissection, body: ChunkedBody, isRequest: boolean): void {
  const f = http.f;
  if (!p.detailFor('http')) return;
  const top = p.addText(
    isRequest ? 'HTTP chunked request' : 'HTTP chunked response',
    body.chunks[0]?.lineStart ?? body.lastStart,
    Math.max(0, body.end - (body.chunks[0]?.lineStart ?? body.lastStart)),
  );
  p.open(top);
  for (const c of body.chunks) {
    const node = p.addText(`Data chunk (${c.size} octets)`, c.lineStart, c.dataEnd + 2 - c.lineStart);
    p.open(node);
    p.add(f.chunkSize, c.lineStart, c.lineEnd - c.lineStart, c.size, `Chunk size: ${c.size} octets`);
    const n = c.dataEnd - c.dataStart;
    // tshark shows at most 36 bytes of a bytes item, then an ellipsis.
    p.add(
      f.chunkData,
      c.dataStart,
      n,
      undefined,
      p.tree
        ? `Chunk data: ${bytesToHex(p.bytes(c.dataStart, Math.min(n, 36)))}${n > 36 ? '…' : ''}`
        : undefined,
    );
    if (c.dataEnd + 2 <= p.remaining(0)) p.add(f.chunkBoundary, c.dataEnd, 2);
    p.close(node);
  }
  if (body.lastStart >= 0) {
    const node = p.addText('End of chunked encoding', body.lastStart, body.lastEnd - body.lastStart);
    p.open(node);
    p.add(f.chunkSize, body.lastStart, body.lastEnd - body.lastStart, 0, 'Chunk size: 0 octets');
    p.close(node);
    for (const [s, e] of body.trailers) p.add(f.chunkedTrailerPart, s, e - s, latin1(p.data.subarray(s, e)));
    if (body.complete && p.tree) p.addText('\\r\\n', body.end - 2, 2);
  }
  p.close(top);
}

function recordExchange(
  st: HttpState,
  rr: ReqRes,
  isRequest: boolean,
  headers: [string, string][],
  contentType: string,
  body: EntityInfo,
): void {
  let kept = body.decoded;
  if (kept && st.bodyBytes + kept.length > HTTP_BODY_BUDGET) {
    kept = undefined;
    rr.bodyTruncated = true;
  }
  if (kept) {
    kept = kept.slice(); // views into frame bytes must not outlive them
    st.bodyBytes += kept.length;
  }
  if (body.decodeError) rr.decodeError = body.decodeError;
  if (isRequest) {
    rr.requestHeaders = headers;
    rr.requestContentType = contentType;
    rr.requestBody = kept;
    rr.requestBodySize = body.wireSize;
  } else {
    rr.responseHeaders = headers;
    rr.responseContentType = contentType;
    rr.responseBody = kept;
    rr.responseBodySize = body.wireSize;
  }
}

// ---- the exchanges API (issue 4: HTTP view, HAR, export objects) ----

export interface HttpExchange extends Readonly<ReqRes> {
  transport: 'tcp' | 'udp';
  /** `tcp.stream` / `udp.stream`. */
  stream: number;
}

/** Every request/response pair decoded so far in this capture, per stream in order. */
export function httpExchanges(state: CaptureState): HttpExchange[] {
  const st = state.slot<HttpState>('http', newHttpState);
  const out: HttpExchange[] = [];
  for (const c of st.convs.values()) {
    if (c.stream < 0) continue;
    for (const rr of c.all) out.push({ ...rr, transport: c.kind, stream: c.stream });
  }
  // HTTP/2 streams (prior knowledge or after an h2c upgrade) are exchanges too.
  for (const x of http2Exchanges(state)) out.push(x);
  return out.sort((a, b) => (a.reqFrame || a.resFrame) - (b.reqFrame || b.resFrame));
}

// ---- registration ----

/** A request line or a status line starts the stream (Wireshark's dissect_http_heur_tcp). */
function looksLikeHttp(_p: Dissection, data: Uint8Array, start: number, end: number): boolean {
  return (
    parseStartLine(data, start, end) !== undefined && lineEnd(data, start, Math.min(end, start + 8192)) > 0
  );
}

for (const port of HTTP_TCP_PORTS) tables.tcpPort.register(port, httpStream);
tables.udpPort.register(SSDP_PORT, ssdp);
addStreamHeuristic({ name: 'http_tcp', dissector: httpStream, test: looksLikeHttp });

/** For modules that hand HTTP-shaped messages to this decoder (RTSP-like protocols). */
export const httpDissector: Dissector = http;
