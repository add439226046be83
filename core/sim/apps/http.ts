// HTTP/1.1 over the simulated TCP: an origin server service (files from the topology,
// keep-alive, Content-Length or chunked bodies; Go net/http's header order) and `curl URL…`
// (-o FILE, -I, -s, -v; several URLs to one origin reuse the connection as curl does).
import { encodeHttpRequest, encodeHttpResponse, parseHttpMessage } from '../../protocols/http-encode';
import { registerCommand } from '../commands';
import type { Host } from '../host';
import { registerService } from '../services';
import type { CommandContext, HostServices, TcpConnection } from '../stack';
import { resolveName } from './resolve';

const enc = new TextEncoder();
const dec = new TextDecoder();

export const CURL_USER_AGENT = 'curl/7.64.1';

interface FileSpec {
  body: Uint8Array;
  type: string;
  chunked: boolean;
  cached?: { key: string; bytes: Uint8Array };
}

/** Deterministic content of `size` bytes for files given by size only. */
export function filler(size: number): Uint8Array {
  const b = new Uint8Array(size);
  const line = enc.encode('Wirelens simulated file content 0123456789abcdefghijklmnopqrstuvwxyz\n');
  for (let i = 0; i < size; i++) b[i] = line[i % line.length]!;
  return b;
}

function contentType(path: string, body: Uint8Array): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'html' || ext === 'htm') return 'text/html; charset=utf-8';
  if (ext === 'txt') return 'text/plain; charset=utf-8';
  if (ext === 'json') return 'application/json';
  if (ext === 'bin' || ext === 'iso' || ext === '0') return 'application/octet-stream';
  // Go's DetectContentType: text when the first bytes hold no control characters.
  const sniff = body.subarray(0, 512);
  if (sniff.length >= 5 && dec.decode(sniff.subarray(0, 5)).toLowerCase() === '<html')
    return 'text/html; charset=utf-8';
  return sniff.every((c) => c >= 0x20 || c === 9 || c === 10 || c === 13)
    ? 'text/plain; charset=utf-8'
    : 'application/octet-stream';
}

function files(config: Record<string, unknown>): Map<string, FileSpec> {
  const out = new Map<string, FileSpec>();
  const f = (config.files ?? {}) as Record<string, unknown>;
  for (const [path, v] of Object.entries(f)) {
    let body: Uint8Array;
    let chunked = config.chunked === true;
    let type: string | undefined;
    if (typeof v === 'string') body = enc.encode(v);
    else if (v && typeof v === 'object') {
      const o = v as { size?: number; content?: string; chunked?: boolean; type?: string };
      body =
        o.content !== undefined
          ? enc.encode(o.content)
          : filler(Math.max(0, Math.min(o.size ?? 0, 64 << 20)));
      if (o.chunked !== undefined) chunked = o.chunked;
      type = o.type;
    } else body = enc.encode(String(v));
    const p = path.startsWith('/') ? path : `/${path}`;
    out.set(p, { body, type: type ?? contentType(p, body), chunked });
  }
  return out;
}

/** A stream buffer with `data` added. Usually the buffer is empty (a message fits in what one
 * read gives) and `data` is taken as it is. */
function append(buf: Uint8Array, data: Uint8Array): Uint8Array {
  if (!buf.length) return data;
  const out = new Uint8Array(buf.length + data.length);
  out.set(buf);
  out.set(data, buf.length);
  return out;
}

function httpDate(host: HostServices): string {
  const k = (host as unknown as Host).kernel;
  return new Date((k.epoch + Math.floor(k.now() / 1e9)) * 1000).toUTCString();
}

function header(headers: [string, string][], name: string): string | undefined {
  const l = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === l)?.[1];
}

/** `services: { http: { port, files: { /path: "text" | { size, chunked, type } }, chunked } }`. */
export function startHttpServer(host: HostServices, raw: unknown): void {
  const config = (raw ?? {}) as Record<string, unknown>;
  const port = typeof config.port === 'number' ? config.port : 80;
  const table = files(config);
  host.tcp.listen(port, (c) => serve(host, c, table));
  host.ip.emit({
    kind: 'app',
    protocol: 'HTTP',
    text: `${host.ip.node}: HTTP server listening on port ${port} (${table.size} files)`,
  });
}

function serve(host: HostServices, c: TcpConnection, table: Map<string, FileSpec>): void {
  let buf: Uint8Array = new Uint8Array(0);
  let closing = false;
  c.onData = (data) => {
    buf = append(buf, data);
    for (let guard = 0; guard < 1000 && !closing; guard++) {
      const m = parseHttpMessage(buf);
      if (!m || m.repr.kind !== 'request') return;
      buf = buf.subarray(m.length);
      const req = m.repr;
      const path = req.target.split('?')[0]!;
      const f = table.get(path) ?? (path.endsWith('/') ? table.get(`${path}index.html`) : undefined);
      const close =
        header(req.headers, 'connection')?.toLowerCase() === 'close' || req.version === 'HTTP/1.0';
      const head = req.method === 'HEAD';
      let bytes: Uint8Array;
      if (!f || (req.method !== 'GET' && !head)) {
        const body = f ? 'Method Not Allowed\n' : '404 page not found\n';
        bytes = encodeHttpResponse({
          status: f ? 405 : 404,
          headers: [
            ['Content-Type', 'text/plain; charset=utf-8'],
            ['X-Content-Type-Options', 'nosniff'],
            ['Date', httpDate(host)],
            ['Content-Length', String(body.length)],
          ],
          body: head ? undefined : body,
        });
      } else {
        // The same file in the same second gives the same bytes: keep the last response.
        const date = httpDate(host);
        const cacheKey = `${date}|${close}|${head}`;
        if (f.cached?.key === cacheKey) bytes = f.cached.bytes;
        else {
          const headers: [string, string][] = [['Date', date]];
          if (!f.chunked) headers.push(['Content-Length', String(f.body.length)]);
          headers.push(['Content-Type', f.type]);
          if (close) headers.push(['Connection', 'close']);
          bytes = encodeHttpResponse({
            status: 200,
            headers,
            body: head ? undefined : f.body,
            chunked: f.chunked ? 8192 : false,
          });
          f.cached = { key: cacheKey, bytes };
        }
        if (head && !f.chunked) {
          // HEAD: the headers a GET would carry, no body.
          const text = dec.decode(bytes);
          bytes = enc.encode(text.slice(0, text.indexOf('\r\n\r\n') + 4));
        }
      }
      host.ip.emit({
        kind: 'app',
        protocol: 'HTTP',
        text: `${host.ip.node}: HTTP ${req.method} ${req.target} → ${f ? 200 : 404}, ${bytes.length} bytes`,
      });
      c.write(bytes);
      if (close) {
        closing = true;
        c.end();
      }
    }
  };
  c.onEnd = () => {
    if (!closing) c.end();
  };
}

registerService('http', startHttpServer);

interface Parsed {
  host: string;
  port: number;
  path: string;
  url: string;
}

function parseUrl(u: string): Parsed | undefined {
  const m = /^(?:http:\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/i.exec(u);
  if (!m) return undefined;
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 80, path: m[3] ?? '/', url: u };
}

/** `curl [-s] [-v] [-I] [-o FILE] URL…` */
export function curl(args: string[], ctx: CommandContext): void {
  const urls: Parsed[] = [];
  let head = false;
  let verbose = false;
  let output: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-I' || a === '--head') head = true;
    else if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '-s' || a === '--silent' || a === '-S' || a === '-sS') continue;
    else if (a === '-o' || a === '--output') output = args[++i];
    else if (a.startsWith('-')) {
      ctx.print(`curl: option ${a}: is unknown`);
      ctx.exit(2);
      return;
    } else {
      const p = parseUrl(a);
      if (!p) {
        ctx.print(`curl: (3) URL using bad/illegal format or missing URL`);
        ctx.exit(3);
        return;
      }
      urls.push(p);
    }
  }
  if (!urls.length) {
    ctx.print('curl: no URL specified!');
    ctx.exit(2);
    return;
  }
  let conn: TcpConnection | undefined;
  let connKey = '';
  let index = 0;
  let status = 0;
  const finish = (code: number): void => {
    if (conn && conn.state !== 'CLOSED') conn.end();
    ctx.exit(code);
  };
  const next = (): void => {
    if (index >= urls.length) {
      finish(status);
      return;
    }
    const u = urls[index++]!;
    resolveName(ctx.host, u.host, (addr, err) => {
      if (!addr) {
        ctx.print(`curl: (6) Could not resolve host: ${u.host}${err ? '' : ''}`);
        status = 6;
        next();
        return;
      }
      const k = `${addr}:${u.port}`;
      if (conn && connKey === k && conn.state === 'ESTABLISHED') {
        if (verbose) ctx.print(`* Re-using existing connection! with host ${u.host}`);
        request(u, conn);
        return;
      }
      if (conn && conn.state !== 'CLOSED') conn.end();
      if (verbose) ctx.print(`*   Trying ${addr}:${u.port}...`);
      let c: TcpConnection;
      try {
        c = ctx.host.tcp.connect(addr, u.port);
      } catch (e) {
        ctx.print(`curl: (7) Failed to connect to ${u.host} port ${u.port}: ${(e as Error).message}`);
        status = 7;
        next();
        return;
      }
      conn = c;
      connKey = k;
      c.onConnect = () => {
        if (verbose) ctx.print(`* Connected to ${u.host} (${addr}) port ${u.port} (#0)`);
        request(u, c);
      };
      c.onClose = (err) => {
        if (err && pending) {
          pending = false;
          ctx.print(
            err === 'Connection refused' || err === 'Connection timed out'
              ? `curl: (${err === 'Connection refused' ? 7 : 28}) Failed to connect to ${u.host} port ${u.port}: ${err}`
              : `curl: (56) Recv failure: ${err}`,
          );
          status = err === 'Connection refused' ? 7 : err === 'Connection timed out' ? 28 : 56;
          conn = undefined;
          next();
        }
      };
      pending = true;
    });
  };
  let pending = false;
  const request = (u: Parsed, c: TcpConnection): void => {
    pending = true;
    const hostHeader = u.port === 80 ? u.host : `${u.host}:${u.port}`;
    const req = encodeHttpRequest({
      method: head ? 'HEAD' : 'GET',
      target: u.path,
      headers: [
        ['Host', hostHeader],
        ['User-Agent', CURL_USER_AGENT],
        ['Accept', '*/*'],
      ],
    });
    if (verbose) {
      for (const l of dec.decode(req).split('\r\n').slice(0, -1)) ctx.print(`> ${l}`);
    }
    let buf: Uint8Array = new Uint8Array(0);
    let ended = false;
    const tryParse = (): void => {
      const m = parseHttpMessage(buf, { requestMethod: head ? 'HEAD' : 'GET', atEndOfStream: ended });
      if (!m || m.repr.kind !== 'response') {
        if (ended && pending) {
          pending = false;
          ctx.print('curl: (52) Empty reply from server');
          status = 52;
          next();
        }
        return;
      }
      pending = false;
      const r = m.repr;
      if (verbose || head) {
        const text = dec.decode(buf.subarray(0, m.length));
        const headLines = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
        for (const l of headLines) ctx.print(verbose ? `< ${l}` : l);
        if (head) ctx.print('');
      }
      if (!head) {
        if (output) ctx.print(`  % Total    % Received: ${r.body.length} bytes saved to ${output}`);
        else {
          const text = dec.decode(r.body);
          for (const l of text.replace(/\n$/, '').split('\n')) ctx.print(l);
        }
      }
      const closeHeader =
        r.headers.find(([n]) => n.toLowerCase() === 'connection')?.[1]?.toLowerCase() === 'close';
      c.onData = undefined;
      if (closeHeader) {
        c.end();
        conn = undefined;
      }
      next();
    };
    c.onData = (d) => {
      buf = append(buf, d);
      tryParse();
    };
    c.onEnd = () => {
      ended = true;
      if (pending) tryParse();
      if (c.state === 'CLOSE-WAIT') c.end();
    };
    c.write(req);
  };
  next();
}

registerCommand('curl', curl);
