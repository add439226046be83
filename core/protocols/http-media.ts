// What HTTP (and HTTP/2, SMTP…) hand a message body to, by media type, as Wireshark's
// "media_type" table does: line-based text (`data-text-lines`), JSON (`json`, RFC 8259) and
// HTML form data (`urlencoded-form`); anything else is plain data. Also the body codings HTTP
// undoes first: chunked transfer coding (RFC 9112 §7.1) and gzip/deflate/br content coding
// (RFC 9110 §8.4.1), with an output bound against decompression bombs.
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { latin1, type Dissection, type Dissector } from '../dissect/dissection';
import { defineProtocol } from '../dissect/protocol';
import { data } from './data';

/** Largest decoded body kept (a bomb stops here and is reported). */
export const MAX_DECODED_BODY = 16 << 20;
/** Lines shown for a text body, items for a form: bounds the tree of a huge body. */
const MAX_ITEMS = 100_000;

/** RFC 9110 §15 reason phrases (Wireshark's vals_http_status_code). */
export const HTTP_STATUS: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Time-out',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Requested Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
  505: 'HTTP Version not supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  510: 'Not Extended',
  511: 'Network Authentication Required',
};

// ---- media type dissectors ----

export const textLines = defineProtocol({
  abbrev: 'data-text-lines',
  name: 'Line-based text data',
  short: '',
  fields: {},
  dissect: dissectTextLines,
});

/** `text/html;charset=utf-8` → `text/html` (RFC 9110 §8.3.1: type/subtype, case-insensitive). */
export function mediaTypeOf(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi >= 0 ? contentType.slice(0, semi) : contentType).trim().toLowerCase();
}

/** The media type the current body is dissected as (set by the caller around `dissectBody`). */
let currentMediaType = '';

function dissectTextLines(p: Dissection, start: number, end: number): void {
  const len = end - start;
  let lines = 0;
  for (let i = start; i < end; i++) if (p.data[i] === 0x0a) lines++;
  if (end > start && p.data[end - 1] !== 0x0a) lines++;
  const type = currentMediaType;
  const item = p.add(
    textLines.field,
    start,
    len,
    undefined,
    type ? `Line-based text data: ${type} (${lines} lines)` : `Line-based text data (${lines} lines)`,
  );
  if (p.tree) {
    p.open(item);
    let from = start;
    for (let n = 0; from < end && n < MAX_ITEMS; n++) {
      let to = from;
      while (to < end && p.data[to] !== 0x0a) to++;
      const stop = to < end ? to + 1 : to;
      p.addText(escapeText(p.data.subarray(from, stop)), from, stop - from);
      from = stop;
    }
    p.close(item);
  }
  if (type) p.appendInfo(` (${type})`);
}

/** Wireshark's format_text: CR, LF and tabs as escapes, other control bytes as \xNN. */
export function escapeText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x09) s += '\\t';
    else if (c < 0x20 || c === 0x7f) s += '\\x' + c.toString(16).padStart(2, '0');
    else s += String.fromCharCode(c);
  }
  return s;
}

export const json = defineProtocol({
  abbrev: 'json',
  name: 'JavaScript Object Notation',
  short: '',
  fields: {
    key: { abbrev: 'json.key', name: 'Key', type: 'string' },
    valueString: { abbrev: 'json.value.string', name: 'String value', type: 'string' },
    valueNumber: { abbrev: 'json.value.number', name: 'Number value', type: 'string' },
    valueTrue: { abbrev: 'json.value.true', name: 'True value', type: 'none' },
    valueFalse: { abbrev: 'json.value.false', name: 'False value', type: 'none' },
    valueNull: { abbrev: 'json.value.null', name: 'Null value', type: 'none' },
  },
  dissect: dissectJson,
});

function dissectJson(p: Dissection, start: number, end: number): void {
  const type = currentMediaType;
  // tshark: Protocol "HTTP/JSON", Info "…, JavaScript Object Notation (application/json)".
  if (p.columns) {
    p.cols.protocol = p.cols.protocol ? `${p.cols.protocol}/JSON` : 'JSON';
    p.cols.info = p.cols.info ? `${p.cols.info}, JavaScript Object Notation` : 'JavaScript Object Notation';
    if (type) p.cols.info += ` (${type})`;
  }
  const item = p.add(
    json.field,
    start,
    end - start,
    undefined,
    type ? `JavaScript Object Notation: ${type}` : undefined,
  );
  if (!p.detailFor('json')) return;
  p.open(item);
  // Values with their byte ranges: a small tokenizer (strings, numbers, literals); structure is
  // shown flat, keys before their values, bounded by MAX_ITEMS.
  const b = p.data;
  const f = json.f;
  let i = start;
  let items = 0;
  let expectKey = false;
  const stack: string[] = [];
  while (i < end && items++ < MAX_ITEMS) {
    const c = b[i]!;
    if (c === 0x7b || c === 0x5b) {
      stack.push(c === 0x7b ? '{' : '[');
      expectKey = c === 0x7b;
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
    } else if (c === 0x2c) {
      expectKey = stack[stack.length - 1] === '{';
      i++;
    } else if (c === 0x3a) {
      expectKey = false;
      i++;
    } else if (c === 0x22) {
      let j = i + 1;
      while (j < end && b[j] !== 0x22) j += b[j] === 0x5c ? 2 : 1;
      const text = new TextDecoder().decode(b.subarray(i + 1, Math.min(j, end)));
      p.add(expectKey ? f.key : f.valueString, i, Math.min(j + 1, end) - i, text);
      i = j + 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < end && /[0-9eE.+-]/.test(String.fromCharCode(b[j]!))) j++;
      p.add(f.valueNumber, i, j - i, latin1(b.subarray(i, j)));
      i = j;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const word = c === 0x74 ? 4 : c === 0x66 ? 5 : 4;
      p.add(c === 0x74 ? f.valueTrue : c === 0x66 ? f.valueFalse : f.valueNull, i, Math.min(word, end - i));
      i += word;
    } else i++;
  }
  p.close(item);
}

export const urlencodedForm = defineProtocol({
  abbrev: 'urlencoded-form',
  name: 'HTML Form URL Encoded',
  short: '',
  fields: {
    key: { abbrev: 'urlencoded-form.key', name: 'Key', type: 'string' },
    value: { abbrev: 'urlencoded-form.value', name: 'Value', type: 'string' },
  },
  dissect: dissectForm,
});

function dissectForm(p: Dissection, start: number, end: number): void {
  const type = currentMediaType;
  const item = p.add(urlencodedForm.field, start, end - start, undefined, `HTML Form URL Encoded: ${type}`);
  if (type) p.appendInfo(` (${type})`);
  if (!p.detailFor('urlencoded-form')) return;
  p.open(item);
  let i = start;
  for (let n = 0; i < end && n < MAX_ITEMS; n++) {
    let amp = i;
    while (amp < end && p.data[amp] !== 0x26) amp++;
    let eq = i;
    while (eq < amp && p.data[eq] !== 0x3d) eq++;
    const key = formDecode(p.data.subarray(i, eq));
    const value = eq < amp ? formDecode(p.data.subarray(eq + 1, amp)) : '';
    const pair = p.addText(`Form item: "${key}" = "${value}"`, i, amp - i);
    p.open(pair);
    p.add(urlencodedForm.f.key, i, eq - i, key);
    if (eq < amp) p.add(urlencodedForm.f.value, eq + 1, amp - eq - 1, value);
    p.close(pair);
    i = amp + 1;
  }
  p.close(item);
}

/** application/x-www-form-urlencoded: '+' is a space, %XX a byte. */
function formDecode(b: Uint8Array): string {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x2b) out.push(0x20);
    else if (c === 0x25 && i + 2 < b.length && /^[0-9a-fA-F]{2}$/.test(latin1(b.subarray(i + 1, i + 3)))) {
      out.push(parseInt(latin1(b.subarray(i + 1, i + 3)), 16));
      i += 2;
    } else out.push(c);
  }
  return latin1(Uint8Array.from(out));
}

/** Media types Wireshark 4.0 hands to these dissectors (packet-text-media.c, packet-json.c,
 * packet-http-urlencoded.c). */
const MEDIA_TYPES = new Map<string, Dissector>([
  ['text/plain', textLines],
  ['text/html', textLines],
  ['text/css', textLines],
  ['text/javascript', textLines],
  ['text/richtext', textLines],
  ['text/enriched', textLines],
  ['text/vnd.sun.j2me.app-descriptor', textLines],
  ['application/x-javascript', textLines],
  ['application/javascript', textLines],
  ['application/x-ns-proxy-autoconfig', textLines],
  ['application/json', json],
  ['application/json-rpc', json],
  ['application/jsonrequest', json],
  ['application/problem+json', json],
  ['application/x-www-form-urlencoded', urlencodedForm],
]);

/** Decodes a body `[start, end)` of `p.data` by its media type (data when none fits). */
export function dissectBody(p: Dissection, mediaType: string, start: number, end: number): void {
  if (end <= start) return;
  const d = MEDIA_TYPES.get(mediaType) ?? data;
  const saved = currentMediaType;
  currentMediaType = mediaType;
  try {
    p.call(d, start, end);
  } finally {
    currentMediaType = saved;
  }
}

/** Decodes `[start, end)` as line-based text without a media type (FTP data, mail bodies). */
export function dissectText(p: Dissection, start: number, end: number): void {
  if (end <= start) return;
  const saved = currentMediaType;
  currentMediaType = '';
  try {
    p.call(textLines, start, end);
  } finally {
    currentMediaType = saved;
  }
}

/** Whether a media type is text a front end may show as such (HTTP exchanges, HAR). */
export function isTextMediaType(mediaType: string): boolean {
  return (
    mediaType.startsWith('text/') ||
    mediaType.endsWith('+json') ||
    mediaType.endsWith('+xml') ||
    MEDIA_TYPES.has(mediaType) ||
    mediaType === 'application/xml'
  );
}

// ---- chunked transfer coding (RFC 9112 §7.1) ----

export interface Chunk {
  /** Offsets in the buffer: the size line, the data, and the CRLF after the data. */
  lineStart: number;
  lineEnd: number;
  size: number;
  dataStart: number;
  dataEnd: number;
}

export interface ChunkedBody {
  chunks: Chunk[];
  /** The last-chunk line ("0\r\n") start and its end, and where the trailer section ends. */
  lastStart: number;
  lastEnd: number;
  end: number;
  /** False when the buffer ended before the last chunk and trailer section. */
  complete: boolean;
  /** Where an incomplete walk stopped (a chunk-size line): a later call with more bytes can
   * resume there instead of walking the body again. */
  resume: number;
  /** Trailer field lines `[start, end)` (without CRLF). */
  trailers: [number, number][];
}

/** Most chunks parsed from one body (each costs a tree item). */
const MAX_CHUNKS = 1 << 16;

/** The end of the line starting at `i` (the CR of CRLF or the LF), or -1. */
export function lineEnd(b: Uint8Array, i: number, end: number): number {
  for (let j = i; j < end; j++) if (b[j] === 0x0a) return j > i && b[j - 1] === 0x0d ? j - 1 : j;
  return -1;
}

/**
 * The lines of `b[start, end)` for the line-oriented protocols (FTP, SMTP, POP, IMF): each as
 * [start, end of its text (before CRLF or LF), start of the next]; a last line without LF ends
 * at `end`. At most `max` lines.
 */
export function lineRanges(
  b: Uint8Array,
  start: number,
  end: number,
  max: number,
): [number, number, number][] {
  const out: [number, number, number][] = [];
  let i = start;
  while (i < end && out.length < max) {
    let e = i;
    while (e < end && b[e] !== 0x0a) e++;
    const next = e < end ? e + 1 : e;
    out.push([i, e > i && b[e - 1] === 0x0d ? e - 1 : e, next]);
    i = next;
  }
  return out;
}

/** Past the line terminator at `e` (CRLF or LF). */
export function afterLine(b: Uint8Array, e: number): number {
  return b[e] === 0x0d ? e + 2 : e + 1;
}

/** Walks a chunked body from `start` (bounded by `end`). */
export function parseChunked(b: Uint8Array, start: number, end: number): ChunkedBody {
  const body: ChunkedBody = {
    chunks: [],
    lastStart: -1,
    lastEnd: -1,
    end,
    complete: false,
    trailers: [],
    resume: start,
  };
  let i = start;
  while (i < end && body.chunks.length < MAX_CHUNKS) {
    body.resume = i;
    const e = lineEnd(b, i, end);
    if (e < 0) return body;
    // chunk-size [ chunk-ext ]: hex digits, then anything after ';' is an extension.
    let size = 0;
    let j = i;
    let digits = 0;
    while (j < e && isHex(b[j]!) && digits < 13) {
      size = size * 16 + parseInt(String.fromCharCode(b[j]!), 16);
      j++;
      digits++;
    }
    if (digits === 0) return body;
    const dataStart = afterLine(b, e);
    if (size === 0) {
      body.lastStart = i;
      body.lastEnd = dataStart;
      // Trailer section: field lines until an empty line.
      let t = dataStart;
      for (;;) {
        const te = lineEnd(b, t, end);
        if (te < 0) return body;
        if (te === t) {
          body.end = afterLine(b, te);
          body.complete = true;
          return body;
        }
        body.trailers.push([t, te]);
        t = afterLine(b, te);
      }
    }
    const dataEnd = dataStart + size;
    if (dataEnd + 1 > end) {
      body.chunks.push({
        lineStart: i,
        lineEnd: dataStart,
        size,
        dataStart,
        dataEnd: Math.min(dataEnd, end),
      });
      return body;
    }
    body.chunks.push({ lineStart: i, lineEnd: dataStart, size, dataStart, dataEnd });
    i = b[dataEnd] === 0x0d ? dataEnd + 2 : b[dataEnd] === 0x0a ? dataEnd + 1 : dataEnd;
  }
  body.resume = i;
  return body;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The chunks' data joined. */
export function dechunk(b: Uint8Array, body: ChunkedBody): Uint8Array {
  let n = 0;
  for (const c of body.chunks) n += c.dataEnd - c.dataStart;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of body.chunks) {
    out.set(b.subarray(c.dataStart, c.dataEnd), o);
    o += c.dataEnd - c.dataStart;
  }
  return out;
}

// ---- content coding (RFC 9110 §8.4.1) ----

export type DecodeResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/** Undoes `gzip`, `x-gzip`, `deflate` (zlib or raw, as browsers accept) or `br`, producing at
 * most `limit` bytes. Unknown codings (zstd, compress) are reported, not guessed. */
export function decodeContent(coding: string, body: Uint8Array, limit = MAX_DECODED_BODY): DecodeResult {
  const opts = { maxOutputLength: limit };
  try {
    switch (coding.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return { ok: true, bytes: new Uint8Array(gunzipSync(body, opts)) };
      case 'deflate':
        try {
          return { ok: true, bytes: new Uint8Array(inflateSync(body, opts)) };
        } catch {
          return { ok: true, bytes: new Uint8Array(inflateRawSync(body, opts)) };
        }
      case 'br':
        return { ok: true, bytes: new Uint8Array(brotliDecompressSync(body, opts)) };
      default:
        return { ok: false, reason: `unsupported content coding ${coding}` };
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    return {
      ok: false,
      reason:
        code === 'ERR_BUFFER_TOO_LARGE' ? `decoded body larger than ${limit} bytes` : 'decompression failed',
    };
  }
}
