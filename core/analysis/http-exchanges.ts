// HTTP exchanges of a capture for people and tools: a list (time, client, server, method, host,
// URI, status, type, sizes, duration), HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/)
// and Export Objects → HTTP files named as Wireshark 4.0 names them.
//
// The pairing, body de-chunking and content decoding (with its size budget against
// decompression bombs) are core/protocols/http.ts's `httpExchanges`; this module adds who
// talked to whom, from the transport of the frames involved.
import '../protocols';
import { Dissection } from '../dissect/dissection';
import { fieldList } from '../dissect/fields';
import { dissectPacket } from '../dissect/packet';
import { CaptureState } from '../dissect/state';
import { httpExchanges as decodedExchanges, type HttpExchange } from '../protocols/http';
import { addressText } from './conversations';
import { PacketFacts } from './packet-facts';
import type { PacketSource } from './packet-source';

export interface HttpEndpoint {
  address: string;
  port: number;
}

export interface HttpExchangeRow {
  /** 1-based, in order of the request (or lone response) frame. */
  id: number;
  exchange: HttpExchange;
  client?: HttpEndpoint;
  server?: HttpEndpoint;
  /** Seconds since the epoch of the request (else the response). */
  time: number;
  /** The same, in seconds since the first packet of the capture. */
  relTime: number;
  /** Seconds from the request to the response, when both were seen. */
  duration?: number;
}

/** Decodes the capture once and lists its HTTP exchanges with client and server endpoints. */
export function readHttpExchanges(source: PacketSource): HttpExchangeRow[] {
  const wanted = new Uint8Array(fieldList.length);
  PacketFacts.markWanted(wanted);
  const opts = { tree: false, columns: false, wanted };
  const p = new Dissection();
  const state = new CaptureState();
  const facts = new PacketFacts();
  // Per stream its two endpoints (the first packet's source first); per frame which stream it
  // belongs to and which way it went, in typed arrays (no object per packet).
  const streams = new Map<string, number>();
  const pairs: [HttpEndpoint, HttpEndpoint][] = [];
  let frameStream = new Int32Array(1024).fill(-1);
  let frameFromB = new Uint8Array(1024);
  let firstTime: number | undefined;
  for (const { meta, data } of source) {
    firstTime ??= meta.tsSec + meta.tsNsec / 1e9;
    dissectPacket(meta, data, state, opts, p, false);
    facts.read(p);
    const t = facts.transports[0];
    if (!t) continue;
    const key = `${t.kind}${t.stream}`;
    let id = streams.get(key);
    if (id === undefined) {
      id = pairs.length;
      streams.set(key, id);
      pairs.push([
        { address: addressText(t.net, 'src'), port: t.srcPort },
        { address: addressText(t.net, 'dst'), port: t.dstPort },
      ]);
    }
    if (meta.number >= frameStream.length) {
      const n = Math.max(meta.number + 1, frameStream.length * 2);
      const fs = new Int32Array(n).fill(-1);
      fs.set(frameStream);
      frameStream = fs;
      const fb = new Uint8Array(n);
      fb.set(frameFromB);
      frameFromB = fb;
    }
    frameStream[meta.number] = id;
    const a = pairs[id]![0];
    frameFromB[meta.number] = a.port === t.srcPort && a.address === addressText(t.net, 'src') ? 0 : 1;
  }
  const sender = (frame: number): [HttpEndpoint, HttpEndpoint] | undefined => {
    const id = frame > 0 && frame < frameStream.length ? frameStream[frame]! : -1;
    if (id < 0) return undefined;
    const [a, b] = pairs[id]!;
    return frameFromB[frame] ? [b, a] : [a, b];
  };
  const byStream = (x: HttpExchange): [HttpEndpoint, HttpEndpoint] | undefined => {
    const id = streams.get(`${x.transport}${x.stream}`);
    return id === undefined ? undefined : pairs[id];
  };
  return rowsFor(decodedExchanges(state), sender, byStream, firstTime ?? 0);
}

function rowsFor(
  list: HttpExchange[],
  sender: (frame: number) => [HttpEndpoint, HttpEndpoint] | undefined,
  byStream: (x: HttpExchange) => [HttpEndpoint, HttpEndpoint] | undefined,
  firstTime: number,
): HttpExchangeRow[] {
  return list.map((x, i) => {
    const time = Number(x.reqFrame ? x.reqTimeNs : x.resTimeNs) / 1e9;
    const row: HttpExchangeRow = { id: i + 1, exchange: x, time, relTime: time - firstTime };
    const req = x.reqFrame ? sender(x.reqFrame) : undefined;
    const res = x.resFrame ? sender(x.resFrame) : undefined;
    const pair = req ?? (res ? [res[1], res[0]] : byStream(x));
    if (pair) {
      row.client = pair[0];
      row.server = pair[1];
    }
    if (x.reqFrame && x.resFrame) row.duration = Number(x.resTimeNs - x.reqTimeNs) / 1e9;
    return row;
  });
}

// ---- the list `wirelens http FILE` prints ----

function host(e: HttpEndpoint | undefined): string {
  if (!e) return '';
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

export function formatExchangeList(rows: readonly HttpExchangeRow[]): string {
  const head = [
    '#',
    'Time',
    'Client',
    'Server',
    'Method',
    'Host',
    'URI',
    'Status',
    'Type',
    'Req',
    'Resp',
    'Duration',
  ];
  const table = rows.map((r) => {
    const x = r.exchange;
    return [
      String(r.id),
      r.relTime.toFixed(6),
      host(r.client),
      host(r.server),
      x.method,
      x.host,
      x.uri,
      x.resFrame ? String(x.status) : '',
      (x.responseContentType || x.requestContentType).split(';')[0]!.trim(),
      String(x.requestBodySize),
      String(x.responseBodySize),
      r.duration === undefined ? '' : r.duration.toFixed(6),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const right = new Set([0, 1, 7, 9, 10, 11]);
  const line = (cells: string[]): string =>
    cells
      .map((c, i) =>
        i === cells.length - 1
          ? c.padStart(widths[i]!)
          : right.has(i)
            ? c.padStart(widths[i]!)
            : c.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd() + '\n';
  return line(head) + table.map(line).join('');
}

// ---- HAR 1.2 ----

export interface HarOptions {
  creatorVersion: string;
}

const TEXT_TYPES =
  /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded|[\w.+-]*\+(json|xml))|image\/svg\+xml)/i;

function isText(mime: string, body: Uint8Array): boolean {
  if (TEXT_TYPES.test(mime)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(body);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}

function headerSize(startLine: string, headers: [string, string][]): number {
  let n = startLine.length + 2 + 2;
  for (const [k, v] of headers) n += k.length + 2 + v.length + 2;
  return n;
}

function queryString(uri: string): { name: string; value: string }[] {
  const q = uri.indexOf('?');
  if (q < 0) return [];
  return uri
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((kv) => {
      const eq = kv.indexOf('=');
      const dec = (s: string): string => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          return s;
        }
      };
      return eq < 0
        ? { name: dec(kv), value: '' }
        : { name: dec(kv.slice(0, eq)), value: dec(kv.slice(eq + 1)) };
    });
}

function cookies(
  headers: [string, string][],
  name: 'cookie' | 'set-cookie',
): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [k, v] of headers) {
    if (k.toLowerCase() !== name) continue;
    const parts = name === 'cookie' ? v.split(';') : [v.split(';')[0]!];
    for (const part of parts) {
      const eq = part.indexOf('=');
      if (eq > 0) out.push({ name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
    }
  }
  return out;
}

function headerValue(headers: [string, string][], name: string): string | undefined {
  for (const [k, v] of headers) if (k.toLowerCase() === name) return v;
  return undefined;
}

function isoTime(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

function fullUrl(x: HttpExchange): string {
  if (x.fullUri) return x.fullUri;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(x.uri) ? x.uri : `http://${x.host}${x.uri}`;
}

/** HAR 1.2 of the exchanges: timings from the packets (send 0, wait = request to response). */
export function toHar(rows: readonly HttpExchangeRow[], opts: HarOptions): unknown {
  const entries = rows
    .filter((r) => r.exchange.reqFrame)
    .map((r) => {
      const x = r.exchange;
      const reqBody = x.requestBody ?? new Uint8Array(0);
      const resBody = x.responseBody ?? new Uint8Array(0);
      const mime = x.responseContentType || 'application/octet-stream';
      const content: Record<string, unknown> = { size: resBody.length, mimeType: mime };
      if (resBody.length) {
        if (isText(mime, resBody)) content.text = new TextDecoder().decode(resBody);
        else {
          content.text = Buffer.from(resBody.buffer, resBody.byteOffset, resBody.byteLength).toString(
            'base64',
          );
          content.encoding = 'base64';
        }
      }
      if (x.responseBodySize !== resBody.length && resBody.length)
        content.compression = resBody.length - x.responseBodySize;
      const wait = r.duration === undefined ? 0 : r.duration * 1000;
      const entry: Record<string, unknown> = {
        startedDateTime: isoTime(r.time),
        time: wait,
        request: {
          method: x.method,
          url: fullUrl(x),
          httpVersion: x.version,
          cookies: cookies(x.requestHeaders, 'cookie'),
          headers: x.requestHeaders.map(([name, value]) => ({ name, value })),
          queryString: queryString(x.uri),
          headersSize:
            x.version === 'HTTP/2' ? -1 : headerSize(`${x.method} ${x.uri} ${x.version}`, x.requestHeaders),
          bodySize: x.requestBodySize,
          ...(reqBody.length
            ? {
                postData: {
                  mimeType: x.requestContentType || 'application/octet-stream',
                  text: isText(x.requestContentType, reqBody)
                    ? new TextDecoder().decode(reqBody)
                    : Buffer.from(reqBody.buffer, reqBody.byteOffset, reqBody.byteLength).toString('base64'),
                },
              }
            : {}),
        },
        response: x.resFrame
          ? {
              status: x.status,
              statusText: x.phrase,
              httpVersion: x.version,
              cookies: cookies(x.responseHeaders, 'set-cookie'),
              headers: x.responseHeaders.map(([name, value]) => ({ name, value })),
              content,
              redirectURL: headerValue(x.responseHeaders, 'location') ?? '',
              headersSize:
                x.version === 'HTTP/2'
                  ? -1
                  : headerSize(`${x.version} ${x.status} ${x.phrase}`, x.responseHeaders),
              bodySize: x.responseBodySize,
            }
          : {
              status: 0,
              statusText: '',
              httpVersion: x.version,
              cookies: [],
              headers: [],
              content: { size: 0, mimeType: 'x-unknown' },
              redirectURL: '',
              headersSize: -1,
              bodySize: -1,
            },
        cache: {},
        timings: { send: 0, wait, receive: 0 },
        connection: String(x.stream),
      };
      if (r.server) entry.serverIPAddress = r.server.address;
      return entry;
    });
  return {
    log: {
      version: '1.2',
      creator: { name: 'Wirelens', version: opts.creatorVersion },
      entries,
    },
  };
}

// ---- Export Objects → HTTP ----

export interface ExportedObject {
  /** Frame of the message that carried the body. */
  frame: number;
  hostname: string;
  contentType: string;
  /** Wireshark's name: the URI's last path segment, unsafe characters as %xx, made unique. */
  filename: string;
  data: Uint8Array;
}

/** Longest file name Wireshark writes (EXPORT_OBJECT_MAXFILELEN). */
const MAX_FILE_NAME = 255;
const REJECT = /[<>:"/\\|?*\x01-\x1f]/g;

/** g_path_get_basename: the last non-empty segment; "/" for a path of slashes only. */
function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (!trimmed) return path ? '/' : '.';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** ui/export_objects.c eo_massage_str + eo_rename: escape, bound the length, number duplicates. */
export function exportFileName(name: string, duplicate: number): string {
  let out = name.replace(REJECT, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (out.length > MAX_FILE_NAME) {
    const dot = out.lastIndexOf('.');
    out =
      dot >= 0
        ? out.slice(0, MAX_FILE_NAME - (out.length - dot)) + out.slice(dot)
        : out.slice(0, MAX_FILE_NAME);
  }
  if (duplicate) {
    const dot = out.lastIndexOf('.');
    out = dot > 0 ? `${out.slice(0, dot)}(${duplicate})${out.slice(dot)}` : `${out}(${duplicate})`;
  }
  return out;
}

/** The objects Export Objects → HTTP lists: every decoded body, in frame order. */
export function exportObjects(rows: readonly HttpExchangeRow[]): ExportedObject[] {
  const found: Omit<ExportedObject, 'filename'>[] = [];
  const names: string[] = [];
  for (const r of rows) {
    const x = r.exchange;
    if (x.requestBody?.length) {
      found.push({
        frame: x.reqFrame,
        hostname: x.host,
        contentType: x.requestContentType,
        data: x.requestBody,
      });
      names.push(basename(x.uri));
    }
    if (x.responseBody?.length) {
      found.push({
        frame: x.resFrame,
        hostname: x.host,
        contentType: x.responseContentType,
        data: x.responseBody,
      });
      names.push(basename(x.uri));
    }
  }
  const order = found.map((_, i) => i).sort((a, b) => found[a]!.frame - found[b]!.frame);
  const seen = new Map<string, number>();
  const out: ExportedObject[] = [];
  for (const i of order) {
    const name = names[i]!;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    out.push({ ...found[i]!, filename: exportFileName(name, n) });
  }
  return out;
}
