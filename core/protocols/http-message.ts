// HTTP/1.x message framing (RFC 9112), shared by the decoder (http.ts) and the encoder
// (http-encode.ts): the start line, the header section, and where the message ends (§6.3).
import { latin1 } from '../dissect/dissection';
import { NEED_MORE_BYTES, UNTIL_STREAM_END } from '../dissect/transport';
import { afterLine, lineEnd, parseChunked } from './http-media';

/** Most header lines decoded per message. */
const MAX_HEADERS = 1000;

// ---- parsing the header section (RFC 9112 §2-§5) ----

/** Request methods Wireshark recognises (RFC 9110 §9, WebDAV, UPnP/SSDP, RTSP-like). */
export const METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'SEARCH',
  'REPORT',
  'MKACTIVITY',
  'CHECKOUT',
  'MERGE',
  'M-SEARCH',
  'NOTIFY',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'ACL',
  'BIND',
  'UNBIND',
  'REBIND',
  'VERSION-CONTROL',
  'CHECKIN',
  'UNCHECKOUT',
  'MKWORKSPACE',
  'UPDATE',
  'LABEL',
  'BASELINE-CONTROL',
  'MKREDIRECTREF',
  'UPDATEREDIRECTREF',
  'ORDERPATCH',
  'PRI',
  'POLL',
  'BPROPFIND',
  'BPROPPATCH',
  'BCOPY',
  'BDELETE',
  'BMOVE',
  'RPC_IN_DATA',
  'RPC_OUT_DATA',
]);

export interface HeaderLine {
  /** Name and value offsets (value trimmed of surrounding whitespace), and the line without
   * its terminator `[lineStart, lineEnd)`; `next` is where the following line starts. */
  name: string;
  value: string;
  lineStart: number;
  lineEnd: number;
  valueStart: number;
  valueEnd: number;
  next: number;
}

export interface MessageHead {
  kind: 'request' | 'response';
  /** First line `[start, firstEnd)` (without CRLF), and where the headers start. */
  firstEnd: number;
  headersStart: number;
  method: string;
  uri: string;
  version: string;
  status: number;
  phrase: string;
  /** Offsets of the request-line / status-line parts. */
  parts: [number, number][];
  headers: HeaderLine[];
  /** Offset just past the empty line ending the header section; -1 when it is not all here. */
  headerEnd: number;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** `HTTP/d.d` at `i`. */
function isVersion(b: Uint8Array, i: number, end: number): boolean {
  return (
    i + 8 <= end &&
    b[i] === 0x48 &&
    b[i + 1] === 0x54 &&
    b[i + 2] === 0x54 &&
    b[i + 3] === 0x50 &&
    b[i + 4] === 0x2f &&
    isDigit(b[i + 5]) &&
    b[i + 6] === 0x2e &&
    isDigit(b[i + 7])
  );
}

/** Parses the start line at `start`; undefined when it is not an HTTP request or status line. */
export function parseStartLine(b: Uint8Array, start: number, end: number): MessageHead | undefined {
  if (!mayStartLine(b, start, end)) return undefined;
  const limit = Math.min(end, start + 8192);
  let e = lineEnd(b, start, limit);
  if (e < 0) e = limit;
  const head: MessageHead = {
    kind: 'request',
    firstEnd: e,
    headersStart: e < end ? afterLine(b, e) : e,
    method: '',
    uri: '',
    version: '',
    status: 0,
    phrase: '',
    parts: [],
    headers: [],
    headerEnd: -1,
  };
  if (isVersion(b, start, e) && b[start + 8] === 0x20) {
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]
    const c = start + 9;
    if (!(isDigit(b[c]) && isDigit(b[c + 1]) && isDigit(b[c + 2])) || c + 3 > e) return undefined;
    head.kind = 'response';
    head.version = latin1(b.subarray(start, start + 8));
    head.status = (b[c]! - 48) * 100 + (b[c + 1]! - 48) * 10 + (b[c + 2]! - 48);
    const phraseStart = Math.min(c + 4, e);
    head.phrase = latin1(b.subarray(phraseStart, e));
    head.parts = [
      [start, start + 8],
      [c, c + 3],
      [phraseStart, e],
    ];
    return head;
  }
  // request-line = method SP request-target SP HTTP-version
  let sp1 = start;
  while (sp1 < e && b[sp1] !== 0x20 && sp1 - start < 20) sp1++;
  if (sp1 >= e || b[sp1] !== 0x20) return undefined;
  const method = latin1(b.subarray(start, sp1));
  if (!METHODS.has(method)) return undefined;
  let sp2 = e;
  while (sp2 > sp1 && b[sp2] !== 0x20) sp2--;
  if (sp2 <= sp1 + 1 || !isVersion(b, sp2 + 1, e) || sp2 + 9 !== e) return undefined;
  head.method = method;
  head.uri = latin1(b.subarray(sp1 + 1, sp2));
  head.version = latin1(b.subarray(sp2 + 1, e));
  head.parts = [
    [start, sp1],
    [sp1 + 1, sp2],
    [sp2 + 1, e],
  ];
  return head;
}

/**
 * A cheap test before any scan or allocation (every TCP payload on an HTTP port, and every
 * unclaimed one through the heuristic, comes here): a start line begins with an upper-case
 * method token and a space, or with `HTTP/`. A token cut by the end of the data may still be one.
 */
function mayStartLine(b: Uint8Array, start: number, end: number): boolean {
  const first = b[start];
  if (first === undefined || first < 0x41 || first > 0x5a) return false;
  const limit = Math.min(end, start + 21);
  for (let i = start + 1; i < limit; i++) {
    const c = b[i]!;
    if (c === 0x20) return true;
    // `HTTP/`: the status line's version.
    if (c === 0x2f)
      return i === start + 4 && b[start + 1] === 0x54 && b[start + 2] === 0x54 && b[start + 3] === 0x50;
    if (!((c >= 0x41 && c <= 0x5a) || c === 0x2d || c === 0x5f)) return false;
  }
  return limit === end;
}

/** The start line and header fields of the message at `start`. */
export function parseHead(b: Uint8Array, start: number, end: number): MessageHead | undefined {
  const head = parseStartLine(b, start, end);
  if (!head || head.firstEnd >= end) return head;
  let i = head.headersStart;
  while (i < end && head.headers.length < MAX_HEADERS) {
    const e = lineEnd(b, i, end);
    if (e < 0) return head;
    if (e === i) {
      head.headerEnd = afterLine(b, e);
      return head;
    }
    let colon = i;
    while (colon < e && b[colon] !== 0x3a) colon++;
    let vs = colon < e ? colon + 1 : e;
    while (vs < e && (b[vs] === 0x20 || b[vs] === 0x09)) vs++;
    let ve = e;
    while (ve > vs && (b[ve - 1] === 0x20 || b[ve - 1] === 0x09)) ve--;
    head.headers.push({
      name: latin1(b.subarray(i, colon)).trim(),
      value: latin1(b.subarray(vs, ve)),
      lineStart: i,
      lineEnd: e,
      valueStart: vs,
      valueEnd: ve,
      next: afterLine(b, e),
    });
    i = afterLine(b, e);
  }
  return head;
}

export function headerValue(head: MessageHead, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const h of head.headers) if (h.name.toLowerCase() === lower) return h.value;
  return undefined;
}

/** RFC 9112 §6.1: chunked is the final transfer coding. */
export function isChunked(head: MessageHead): boolean {
  const te = headerValue(head, 'transfer-encoding');
  if (te === undefined) return false;
  const codings = te.toLowerCase().split(',');
  return codings[codings.length - 1]!.trim() === 'chunked';
}

/** Content-Length as a number (undefined when absent or not a valid length). */
export function contentLength(head: MessageHead): number | undefined {
  const v = headerValue(head, 'content-length');
  if (v === undefined || !/^\d{1,15}$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

/** RFC 9112 §6.3 items 1-2: responses that never have a body. */
export function bodilessResponse(status: number, requestMethod: string | undefined): boolean {
  return (status >= 100 && status < 200) || status === 204 || status === 304 || requestMethod === 'HEAD';
}

/**
 * The length of the message starting at `start` (RFC 9112 §6.3), NEED_MORE_BYTES, or
 * UNTIL_STREAM_END. `head` is the parsed header section; `requestMethod` the method of the
 * request a response answers (for HEAD).
 */
export function messageLength(
  b: Uint8Array,
  start: number,
  end: number,
  head: MessageHead,
  requestMethod: string | undefined,
): number {
  if (head.headerEnd < 0) return NEED_MORE_BYTES;
  const headerLen = head.headerEnd - start;
  if (head.kind === 'response' && bodilessResponse(head.status, requestMethod)) return headerLen;
  if (head.kind === 'request' && head.method === 'CONNECT') return headerLen;
  if (isChunked(head)) {
    const body = parseChunked(b, head.headerEnd, end);
    return body.complete ? body.end - start : NEED_MORE_BYTES;
  }
  const cl = contentLength(head);
  if (cl !== undefined) return headerLen + cl;
  // §6.3 items 7-8: a request without length has no body; a response runs to the close.
  return head.kind === 'request' ? headerLen : UNTIL_STREAM_END;
}
