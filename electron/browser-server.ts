// Browser mode: the same renderer and Engine API as the Electron app, served on 127.0.0.1 to a
// browser. Only someone holding the per-run token (printed in the URL) may load the app or talk
// to the engine, and only pages from this very origin may open the WebSocket.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { EngineApi, EngineEvent } from '../core/engine/api';
import { contentSecurityPolicy } from './csp';
import { EngineService } from './engine-service';
import { toErrorDTO } from './ipc';
import { decodeUploadFrame, type RpcReply, type RpcRequest, type ServerMessage } from './ws-protocol';

export interface BrowserServerOptions {
  engine: EngineApi & { onEvent(listener: (event: EngineEvent) => void): unknown };
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** A capture to open at start; without one the demo opens. */
  capturePath?: string;
  token?: string;
  /** Extra page origins allowed to call the API (the vite dev server in `npm run dev`). */
  allowOrigins?: string[];
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  service: EngineService;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** Uploads (drag and drop, the file picker) are whole captures; allow big ones, but not unbounded. */
const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const service = new EngineService(options.engine);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST}:${port}`;
  const allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const allowedOrigins = new Set([origin, `http://localhost:${port}`, ...(options.allowOrigins ?? [])]);
  const csp = contentSecurityPolicy({ connect: [`ws://${HOST}:${port}`] });

  /** Rejects requests for another host name (DNS rebinding) or from another origin's page. */
  const sameSite = (req: IncomingMessage): boolean => {
    if (!allowedHosts.has(req.headers.host ?? '')) return false;
    const from = req.headers.origin;
    return from === undefined || allowedOrigins.has(from);
  };
  const hasToken = (req: IncomingMessage): boolean => tokenMatches(new URL(req.url ?? '/', origin), token);

  server.on('request', (req, res) => {
    void serveStatic(req, res, { dir: options.rendererDir, csp, sameSite, hasToken }).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_UPLOAD_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/api' || !sameSite(req) || req.headers.origin === undefined || !hasToken(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, service));
  });

  options.engine.onEvent((event) => {
    const text = JSON.stringify({ event } satisfies ServerMessage);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  void service.openAtStart(options.capturePath);

  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    service,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function tokenMatches(url: URL, token: string): boolean {
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function serveSocket(ws: WebSocket, service: EngineService): void {
  ws.on('message', (data: RawData, isBinary: boolean) => {
    let request: RpcRequest;
    try {
      request = isBinary
        ? decodeUploadFrame(toBuffer(data))
        : (JSON.parse(toBuffer(data).toString('utf8')) as RpcRequest);
    } catch {
      ws.send(JSON.stringify({ id: -1, error: { message: 'Malformed request.', code: 'bad-request' } }));
      return;
    }
    void answer(service, request).then((reply) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
    });
  });
}

async function answer(service: EngineService, request: RpcRequest): Promise<RpcReply> {
  const id = typeof request?.id === 'number' ? request.id : -1;
  try {
    return { id, result: (await service.call(request.method, request.params)) ?? null };
  } catch (error) {
    return { id, error: toErrorDTO(error) };
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

interface StaticContext {
  dir: string;
  csp: string;
  sameSite(req: IncomingMessage): boolean;
  hasToken(req: IncomingMessage): boolean;
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, ctx: StaticContext): Promise<void> {
  const refuse = (status: number, text: string) => {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  if (!ctx.sameSite(req)) return refuse(403, 'Forbidden');
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405, 'Method not allowed');
  const url = new URL(req.url ?? '/', 'http://localhost');
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return refuse(400, 'Bad request');
  }
  const isPage = pathname === '/' || pathname === '/index.html';
  // The page needs the token; the bundled scripts and styles it loads hold nothing secret.
  if (isPage && !ctx.hasToken(req))
    return refuse(403, 'Forbidden: open the URL Wirelens printed (it carries the token).');
  if (pathname === '/api') return refuse(403, 'Forbidden');
  const file = normalize(join(ctx.dir, isPage ? 'index.html' : pathname));
  if (!file.startsWith(ctx.dir.endsWith(sep) ? ctx.dir : ctx.dir + sep)) return refuse(403, 'Forbidden');
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return refuse(404, 'Not found');
  const body = await readFile(file);
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Content-Security-Policy': ctx.csp,
    'X-Content-Type-Options': 'nosniff',
    // The page URL carries the token: never send it anywhere as a referrer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': isPage ? 'no-store' : 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
