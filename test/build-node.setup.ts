// Vitest global setup: the integration tests run the `wirelens` command (bin/wirelens.mjs) from
// several workers at once; building its bundle here, once, spares each of them a rebuild on a
// fresh checkout or after core/ changed.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const script = fileURLToPath(new URL('../scripts/build-node.mjs', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: ['ignore', 'ignore', 'inherit'] });
}
