// `node out/node/browser-host.mjs [--port N] [--renderer DIR] [--allow-origin O]… [capture]`: serves the Wirelens UI
// and engine to a browser on 127.0.0.1 and prints the URL (with its token) to open.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EngineWorkerClient } from '../core/engine/worker-client';
import { startBrowserServer } from './browser-server';

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      renderer: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${values.port}`);
  const rendererDir = resolve(values.renderer ?? resolve(here, '../renderer'));
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    throw new Error(`no built renderer in ${rendererDir} (run electron-vite build)`);
  }
  const capture = positionals[0];
  if (capture !== undefined && !existsSync(capture)) throw new Error(`${capture}: no such file`);

  const engine = new EngineWorkerClient(resolve(here, 'engine-worker.mjs'));
  const server = await startBrowserServer({
    engine,
    rendererDir,
    port,
    allowOrigins: values['allow-origin'] ?? [],
    capturePath: capture === undefined ? undefined : resolve(capture),
  });
  process.stdout.write(`Wirelens is running at ${server.url}\n`);

  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`wirelens: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
