// Where the shared material lives: `../shared` beside the repository (as CI and a developer's
// checkout have it), else /work/shared, or WIRELENS_SHARED when set.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SHARED =
  process.env.WIRELENS_SHARED ??
  [join(repo, '..', 'shared'), '/work/shared'].find((p) => existsSync(join(p, 'captures'))) ??
  join(repo, '..', 'shared');

/** tcpdump's test-suite captures (many malformed on purpose). */
export const TCPDUMP_TESTS = join(SHARED, 'captures', 'tcpdump-tests');
