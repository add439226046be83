// Loading topologies and scenarios for the simulator commands: a preset name or a YAML file;
// problems in them become usage errors (exit 2) that name the path and line.
import { readFileSync } from 'node:fs';
import {
  SpecError,
  findPreset,
  loadPreset,
  loadScenario,
  parseTopology,
  type Loaded,
  type TopologySpec,
} from '../sim';
import { sniffKind } from '../sim/topology';
import { UsageError } from './usage';

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`,
    );
  }
}

export function specErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(e.message);
    throw e;
  }
}

/** A preset (`scenario-3`), or a scenario file (with `--topology` or its own `topology:`). */
export function loadRunnable(what: string, topologyFile?: string): Loaded {
  return specErrors(() => {
    const preset = !what.includes('/') && !/\.ya?ml$/i.test(what) ? loadPreset(what) : undefined;
    if (preset) {
      if (topologyFile) preset.topology = parseTopology(read(topologyFile), topologyFile);
      return preset;
    }
    if (!/\.ya?ml$/i.test(what) && !what.includes('/'))
      throw new UsageError(`no preset "${what}" (see wirelens generate --list) and not a .yaml file`);
    const text = read(what);
    if (sniffKind(text) === 'topology' && !topologyFile) {
      throw new UsageError(
        `${what} is a topology; give a scenario (steps: …) with --topology ${what}, or use wirelens simulate`,
      );
    }
    return loadScenario(text, what, {
      topologyText: topologyFile ? read(topologyFile) : undefined,
      topologyFile,
      readFile: read,
    });
  });
}

/** A topology file, or the topology of a preset. */
export function loadTopology(what: string): TopologySpec {
  return specErrors(() => {
    const preset = !/\.ya?ml$/i.test(what) && !what.includes('/') ? findPreset(what) : undefined;
    if (preset) return parseTopology(preset.topology, `${preset.name} (topology)`);
    return parseTopology(read(what), what);
  });
}
