// Running the `wirelens` command (bin/wirelens.mjs, which rebuilds its bundle when stale) and
// tshark for golden comparisons; a small pool runs many files in parallel.
import { TCPDUMP_TESTS } from '../helpers/paths';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const BIN = `${ROOT}bin/wirelens.mjs`;
export { TCPDUMP_TESTS } from '../helpers/paths';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<RunResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { maxBuffer: 1 << 30, timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : err.killed ? -1 : 1) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - t0 });
      },
    );
  });
}

export const wirelens = (args: string[], timeoutMs?: number) =>
  run(process.execPath, [BIN, ...args], timeoutMs);
export const tshark = (args: string[], timeoutMs?: number) => run('tshark', args, timeoutMs);

/**
 * tshark's output for `args` on `file`, cached under .cache/tshark/ (gitignored) by the file's
 * path, size and mtime and the tshark version: tshark takes ~0.5 s per run, and the reference
 * output of a file that did not change does not change either.
 */
export async function tsharkCached(file: string, args: string[], timeoutMs?: number): Promise<RunResult> {
  const st = statSync(file);
  const key = createHash('sha1')
    .update(JSON.stringify([file, st.size, st.mtimeMs, args, tsharkVersion()]))
    .digest('hex');
  const dir = `${ROOT}.cache/tshark`;
  const path = `${dir}/${key}.json`;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunResult;
  } catch {
    // not cached yet
  }
  const r = await tshark(['-r', file, ...args], timeoutMs);
  if (r.code >= 0) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, JSON.stringify(r));
  }
  return r;
}

let version: string | undefined;
function tsharkVersion(): string {
  if (version === undefined) {
    try {
      version = statSync('/usr/bin/tshark').mtimeMs.toString();
    } catch {
      version = '';
    }
  }
  return version;
}

/** Maps `items` through `fn` with at most `limit` running at once. */
export async function pool<T, R>(
  items: T[],
  fn: (t: T) => Promise<R>,
  limit = Math.max(2, cpus().length),
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The capture files of tcpdump's test suite (everything but its README/LICENSE). */
export function tcpdumpTestFiles(): string[] {
  try {
    return readdirSync(TCPDUMP_TESTS)
      .filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/i.test(f))
      .map((f) => `${TCPDUMP_TESTS}/${f}`);
  } catch {
    return [];
  }
}
