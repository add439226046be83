// The app under test, started the way a user starts it: Electron when its runtime exists,
// otherwise the browser host (out/node/browser-host.mjs) on a free port, opened in Chromium.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, chromium, _electron, type Page } from '@playwright/test';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixture = (name: string) => join(root, 'test', 'fixtures', name);
/** Where a spec's screenshot goes: docs/ with UPDATE_SCREENSHOT=1 (the README's pictures),
 * test-results/ otherwise. */
export const screenshot = (name: string): string =>
  process.env.UPDATE_SCREENSHOT ? join(root, 'docs', name) : join(root, 'test-results', name);

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export const CHROMIUM = process.env['WIRELENS_CHROMIUM'] ?? '/usr/bin/chromium';

/** Starts the browser host and resolves with the URL (with token) it prints. */
export function startHost(args: string[] = []): Promise<{ url: string; process: ChildProcess }> {
  const host = spawn(
    process.execPath,
    [join(root, 'out', 'node', 'browser-host.mjs'), '--port', '0', ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match) resolve({ url: match[0], process: host });
    };
    host.stdout.on('data', onData);
    host.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    host.on('exit', (code) => reject(new Error(`browser host exited (${code}): ${output}`)));
  });
}

type AppFixtures = { app: Page; capturePath: string | undefined };

export const test = base.extend<AppFixtures>({
  capturePath: [undefined, { option: true }],
  app: async ({ capturePath }, use) => {
    const captureArgs = capturePath ? [capturePath] : [];
    const electron = electronBinary();
    if (electron) {
      const app = await _electron.launch({ executablePath: electron, args: [root, ...captureArgs] });
      await use(await app.firstWindow());
      await app.close();
      return;
    }
    const host = await startHost(captureArgs);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(host.url);
    await use(page);
    await browser.close();
    host.process.kill('SIGTERM');
    // CSP violations and uncaught errors show up on the console: the app must produce none.
    if (problems.length > 0) throw new Error(`console errors:\n${problems.join('\n')}`);
  },
});

export { expect } from '@playwright/test';

/** Where tshark puts a field in frame `frame`: its byte offset and size (from `-T pdml`). */
export function tsharkFieldPosition(
  file: string,
  frame: number,
  field: string,
): { pos: number; size: number } | null {
  const result = spawnSync('tshark', ['-r', file, '-T', 'pdml', '-Y', `frame.number == ${frame}`], {
    encoding: 'utf8',
  });
  if (result.status !== 0) return null;
  const match = new RegExp(
    `<field name="${field.replace(/\./g, '\\.')}"[^>]*size="(\\d+)" pos="(\\d+)"`,
  ).exec(result.stdout);
  return match ? { size: Number(match[1]), pos: Number(match[2]) } : null;
}

export function hasTshark(): boolean {
  return spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
}
