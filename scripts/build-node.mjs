// Bundles the Node-side programs with esbuild (Node 20, ESM):
//   core/cli/main.ts          → out/node/cli.mjs            (the `wirelens` command)
//   core/engine/worker.ts     → out/node/engine-worker.mjs  (EngineWorkerClient's worker)
//   electron/browser-host.ts  → out/node/browser-host.mjs   (browser mode, when present)
// Run directly (`node scripts/build-node.mjs`) or imported by bin/wirelens.mjs when stale.
// Several processes may build at once (parallel tests each running `wirelens` on a fresh
// checkout), so every output is written beside its place and renamed into it: a reader sees
// the old bundle or the new one, never half of one.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildNode({ quiet = false } = {}) {
  const { build } = await import('esbuild');
  const entries = [
    ['core/cli/main.ts', 'out/node/cli.mjs'],
    ['core/engine/worker.ts', 'out/node/engine-worker.mjs'],
    ['electron/browser-host.ts', 'out/node/browser-host.mjs'],
  ].filter(([src]) => existsSync(join(root, src)));
  const results = await Promise.all(
    entries.map(([src, out]) =>
      build({
        write: false,
        entryPoints: [join(root, src)],
        outfile: join(root, out),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'esm',
        sourcemap: 'linked',
        logLevel: quiet ? 'error' : 'warning',
        // Bundled CommonJS dependencies may call require(); give the ESM bundle one.
        banner: {
          js: "import { createRequire as __wlCreateRequire } from 'node:module'; const require = __wlCreateRequire(import.meta.url);",
        },
        // Electron is provided by the runtime, never bundled.
        external: ['electron'],
      }),
    ),
  );
  for (const { outputFiles } of results) {
    for (const file of outputFiles) {
      mkdirSync(dirname(file.path), { recursive: true });
      const temporary = `${file.path}.${process.pid}.tmp`;
      writeFileSync(temporary, file.contents);
      renameSync(temporary, file.path);
    }
  }
  if (!quiet) for (const [, out] of entries) console.log(`built ${out}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildNode().catch((e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
