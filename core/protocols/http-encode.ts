// HTTP/1.1 messages as bytes (RFC 9112) for the simulator's curl and HTTP server, and back:
// a request or status line, header fields, and a body framed by Content-Length or by the
// chunked transfer coding (§7.1). Lengths are computed unless the headers give them, so a test
// can also craft a message whose Content-Length lies.
import { HTTP_STATUS, dechunk, parseChunked } from './http-media';
import { messageLength, parseHead } from './http-message';
import { NEED_MORE_BYTES, UNTIL_STREAM_END } from '../dissect/transport';

export interface HttpRequestRepr {
  method: string;
  /** request-target, e.g. `/index.html`. */
  target: string;
  /** Default `HTTP/1.1`. */
  version?: string;
  headers?: [string, string][];
  body?: Uint8Array | string;
  /** Send the body with chunked transfer coding in chunks of this many bytes (true: one chunk). */
  chunked?: boolean | number;
}

export interface HttpResponseRepr {
  status: number;
  /** Default: the RFC 9110 reason phrase. */
  reason?: string;
  version?: string;
  headers?: [string, string][];
  body?: Uint8Array | string;
  chunked?: boolean | number;
  /** Omit Content-Length for a body delimited by closing the connection (§6.3 item 8). */
  closeDelimited?: boolean;
}

export type HttpMessageRepr =
  | ({ kind: 'request' } & Required<Pick<HttpRequestRepr, 'method' | 'target' | 'version'>> & {
        headers: [string, string][];
        body: Uint8Array;
        chunked: boolean;
      })
  | ({ kind: 'response' } & { status: number; reason: string; version: string } & {
      headers: [string, string][];
      body: Uint8Array;
      chunked: boolean;
    });

const enc = new TextEncoder();

function bodyBytes(b: Uint8Array | string | undefined): Uint8Array {
  return b === undefined ? new Uint8Array(0) : typeof b === 'string' ? enc.encode(b) : b;
}

function has(headers: [string, string][], name: string): boolean {
  const l = name.toLowerCase();
  return headers.some(([n]) => n.toLowerCase() === l);
}

function frame(
  startLine: string,
  headers: [string, string][],
  body: Uint8Array,
  chunked: boolean | number | undefined,
  lengthAllowed: boolean,
): Uint8Array {
  const all: [string, string][] = [...headers];
  const parts: Uint8Array[] = [];
  if (chunked) {
    if (!has(all, 'transfer-encoding')) all.push(['Transfer-Encoding', 'chunked']);
    const size = typeof chunked === 'number' && chunked > 0 ? chunked : Math.max(1, body.length);
    for (let o = 0; o < body.length; o += size) {
      const piece = body.subarray(o, Math.min(body.length, o + size));
      parts.push(enc.encode(`${piece.length.toString(16)}\r\n`), piece, enc.encode('\r\n'));
    }
    parts.push(enc.encode('0\r\n\r\n'));
  } else {
    if (lengthAllowed && !has(all, 'content-length')) all.push(['Content-Length', String(body.length)]);
    parts.push(body);
  }
  const head = enc.encode(`${startLine}\r\n${all.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`);
  let n = head.length;
  for (const x of parts) n += x.length;
  const out = new Uint8Array(n);
  out.set(head, 0);
  let o = head.length;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

/** A request; Content-Length is added for a body (or for methods that carry one) unless given. */
export function encodeHttpRequest(repr: HttpRequestRepr): Uint8Array {
  const body = bodyBytes(repr.body);
  const wantsLength = body.length > 0 || ['POST', 'PUT', 'PATCH'].includes(repr.method);
  return frame(
    `${repr.method} ${repr.target} ${repr.version ?? 'HTTP/1.1'}`,
    repr.headers ?? [],
    body,
    repr.chunked,
    wantsLength,
  );
}

/** A response; no body framing for 1xx/204/304 (RFC 9112 §6.3). */
export function encodeHttpResponse(repr: HttpResponseRepr): Uint8Array {
  const reason = repr.reason ?? HTTP_STATUS[repr.status] ?? '';
  const bodiless = (repr.status >= 100 && repr.status < 200) || repr.status === 204 || repr.status === 304;
  return frame(
    `${repr.version ?? 'HTTP/1.1'} ${repr.status} ${reason}`,
    repr.headers ?? [],
    bodiless ? new Uint8Array(0) : bodyBytes(repr.body),
    bodiless ? false : repr.chunked,
    !bodiless && !repr.closeDelimited,
  );
}

/**
 * Parses one complete message from `bytes` (the body de-chunked). Returns undefined when the
 * bytes are not an HTTP/1.x message or not complete; `length` is how many bytes it used.
 */
export function parseHttpMessage(
  bytes: Uint8Array,
  opts: { requestMethod?: string; atEndOfStream?: boolean } = {},
): { repr: HttpMessageRepr; length: number } | undefined {
  const head = parseHead(bytes, 0, bytes.length);
  if (!head || head.headerEnd < 0) return undefined;
  let length = messageLength(bytes, 0, bytes.length, head, opts.requestMethod);
  if (length === UNTIL_STREAM_END) {
    if (!opts.atEndOfStream) return undefined;
    length = bytes.length;
  }
  if (length === NEED_MORE_BYTES || length > bytes.length) return undefined;
  const headers: [string, string][] = head.headers.map((h) => [h.name, h.value]);
  const te = head.headers.find((h) => h.name.toLowerCase() === 'transfer-encoding')?.value ?? '';
  const chunked = /(^|,)\s*chunked\s*$/i.test(te);
  const rawBody = bytes.subarray(head.headerEnd, length);
  const body = chunked ? dechunk(bytes, parseChunked(bytes, head.headerEnd, length)) : rawBody.slice();
  const repr: HttpMessageRepr =
    head.kind === 'request'
      ? {
          kind: 'request',
          method: head.method,
          target: head.uri,
          version: head.version,
          headers,
          body,
          chunked,
        }
      : {
          kind: 'response',
          status: head.status,
          reason: head.phrase,
          version: head.version,
          headers,
          body,
          chunked,
        };
  return { repr, length };
}
