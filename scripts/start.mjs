// `npm start [-- capture]` / `npm run dev [-- capture]`: the Electron app when its runtime is
// installed, otherwise browser mode — the same UI and engine served on 127.0.0.1 to a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const dev = args.includes('--dev');
const capture = args.find((arg) => !arg.startsWith('--'));
const captureArgs = capture ? [resolve(capture)] : [];
const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');

if (capture && !existsSync(capture)) {
  console.error(`wirelens: ${capture}: no such file`);
  process.exit(2);
}

/** The Electron binary's path when the runtime was downloaded (npm's postinstall fetches it). */
function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function buildAll() {
  run(process.execPath, [join(root, 'scripts', 'build-node.mjs')]);
  run(process.execPath, [electronVite, 'build']);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts the browser host; resolves with the URL it prints (carrying the per-run token). */
function startHost(extraArgs) {
  const host = spawn(
    process.execPath,
    [join(root, 'out', 'node', 'browser-host.mjs'), ...extraArgs, ...captureArgs],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => host.kill(signal));
  host.on('exit', (code) => process.exit(code ?? 0));
  return new Promise((resolveUrl) => {
    let buffered = '';
    host.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffered += chunk;
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(buffered);
      if (match) resolveUrl(match[0]);
    });
  });
}

/** Opens the URL in the desktop's browser when there is a desktop to open it on. */
function openInBrowser(url) {
  const hasDisplay = process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY;
  if (!hasDisplay || process.env.WIRELENS_NO_OPEN) return;
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => console.log(`Open ${url} in your browser.`));
  child.unref();
}

async function browserMode() {
  if (!dev) {
    buildAll();
    const url = await startHost([]);
    openInBrowser(url);
    return;
  }
  // Dev: the vite dev server (hot reload) serves the renderer and proxies /api to the host.
  run(process.execPath, [join(root, 'scripts', 'build-node.mjs')]);
  const vitePort = await freePort();
  const viteOrigins = [`http://localhost:${vitePort}`, `http://127.0.0.1:${vitePort}`];
  const hostUrl = new URL(
    await startHost([
      ...viteOrigins.flatMap((origin) => ['--allow-origin', origin]),
      '--renderer',
      join(root, 'renderer'),
    ]),
  );
  const { loadConfigFromFile } = await import('electron-vite');
  const { createServer: createViteServer } = await import('vite');
  const loaded = await loadConfigFromFile({ mode: 'development', command: 'serve' }, undefined, root);
  const renderer = loaded.config.renderer;
  const server = await createViteServer({
    ...renderer,
    configFile: false,
    root: join(root, 'renderer'),
    server: {
      host: '127.0.0.1',
      port: vitePort,
      strictPort: true,
      proxy: { '/api': { target: `ws://${hostUrl.host}`, ws: true, changeOrigin: true } },
    },
  });
  await server.listen();
  const url = `http://127.0.0.1:${vitePort}/?token=${hostUrl.searchParams.get('token')}`;
  console.log(`Wirelens (dev) is running at ${url}`);
  openInBrowser(url);
}

const electron = electronBinary();
if (electron) {
  if (dev) run(process.execPath, [electronVite, 'dev', '--', ...captureArgs]);
  else {
    run(process.execPath, [electronVite, 'build']);
    run(electron, [root, ...captureArgs]);
  }
} else {
  console.log('Electron runtime not installed: starting browser mode.');
  await browserMode();
}
