// Browser mode's host guards the engine: only the page it printed (token in the URL, its own
// origin, its own host name) may load the app and open the API socket. Checked at the HTTP and
// WebSocket level, the way another page or program on the machine would try.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { expect, fixture, startHost, test } from './app';

let host: { url: string; process: ChildProcess };
let base: URL;
let token: string;

test.beforeAll(async () => {
  host = await startHost();
  base = new URL(host.url);
  token = base.searchParams.get('token')!;
});
test.afterAll(() => {
  host.process.kill('SIGTERM');
});

/** A raw GET, so the Host and Origin headers can be anything (fetch would not allow it). */
function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: base.port, path, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the API socket; resolves with the socket, or rejects with the HTTP status it was refused with. */
function connect(query: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${base.port}/api${query}`, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(
  ws: WebSocket,
  id: number,
  payload: string | Uint8Array,
): Promise<{ id: number; result?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.id !== id) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(payload);
  });
}

test('the page needs the token and comes with the CSP', async () => {
  expect((await get('/')).status).toBe(403);
  expect((await get('/?token=wrong')).status).toBe(403);
  expect((await get(`/?token=${token}x`)).status).toBe(403);
  const page = await get(`/?token=${token}`);
  expect(page.status).toBe(200);
  const csp = String(page.headers['content-security-policy']);
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).toContain(`ws://127.0.0.1:${base.port}`);
  expect(page.headers['referrer-policy']).toBe('no-referrer');
});

test('another host name (DNS rebinding) or another origin is refused', async () => {
  expect((await get(`/?token=${token}`, { Host: `evil.example:${base.port}` })).status).toBe(403);
  expect((await get(`/?token=${token}`, { Origin: 'http://evil.example' })).status).toBe(403);
});

test('files outside the renderer are not served', async () => {
  expect((await get('/../package.json')).status).not.toBe(200);
  expect((await get('/%2e%2e/package.json')).status).not.toBe(200);
  expect((await get('/%2e%2e%2fpackage.json')).status).not.toBe(200);
});

test('the API socket needs the token and the host’s own origin', async () => {
  const origin = base.origin;
  await expect(connect('', origin)).rejects.toThrow('refused 403');
  await expect(connect('?token=wrong', origin)).rejects.toThrow('refused 403');
  await expect(connect(`?token=${token}`, 'http://evil.example')).rejects.toThrow('refused 403');
  await expect(connect(`?token=${token}`, undefined)).rejects.toThrow('refused 403');
  const ws = await connect(`?token=${token}`, origin);
  const info = await call(ws, 1, JSON.stringify({ id: 1, method: 'info', params: [] }));
  expect((info.result as { name: string; packets: number }).packets).toBe(12);
  ws.close();
});

test('calls are checked: unknown methods and bad arguments are refused with a message', async () => {
  const ws = await connect(`?token=${token}`, base.origin);
  const unknown = await call(ws, 1, JSON.stringify({ id: 1, method: 'constructor', params: [] }));
  expect(unknown.error?.code).toBe('bad-request');
  const rows = await call(ws, 2, JSON.stringify({ id: 2, method: 'rows', params: [-1, 1e9] }));
  expect(rows.error?.code).toBe('bad-request');
  const packet = await call(ws, 3, JSON.stringify({ id: 3, method: 'packet', params: ['1'] }));
  expect(packet.error?.code).toBe('bad-request');
  ws.close();
});

test('capture bytes uploaded in one binary frame open like a file', async () => {
  const ws = await connect(`?token=${token}`, base.origin);
  const bytes = readFileSync(fixture('e2e/dnssec.pcap'));
  const header = Buffer.from(JSON.stringify({ id: 7, method: 'openBytes', params: ['dnssec.pcap'] }));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  const opened = await call(ws, 7, Buffer.concat([length, header, bytes]));
  expect(opened.result).toMatchObject({ name: 'dnssec.pcap', packets: 6, format: 'pcap' });
  const rows = await call(ws, 8, JSON.stringify({ id: 8, method: 'rows', params: [0, 6] }));
  expect((rows.result as { number: number; length: number }[]).map((r) => r.length)).toEqual([
    88, 3054, 88, 240, 88, 258,
  ]);
  ws.close();
});
