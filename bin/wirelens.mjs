#!/usr/bin/env node
// The `wirelens` command: runs the esbuild bundle out/node/cli.mjs, (re)building it first when
// it is missing or older than any source under core/ (npm install runs no build: .npmrc has
// ignore-scripts=true). The staleness check is a stat walk of core/ — a few milliseconds.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'node', 'cli.mjs');

function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function bundleMtime() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return -1;
  }
}

const built = bundleMtime();
if (built < 0 || newestMtime(join(root, 'core')) > built) {
  try {
    const { buildNode } = await import(pathToFileURL(join(root, 'scripts', 'build-node.mjs')).href);
    await buildNode({ quiet: true });
  } catch (e) {
    process.stderr.write(
      `wirelens: internal error: could not build the CLI bundle: ${e instanceof Error ? e.message : e}\n`,
    );
    process.exit(1);
  }
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
