// The simulator's entry points: load a scenario (a file or a preset) with its topology, run it,
// and get the captures, events and the commands' output.
import './commands';
import './tcp';
import './apps';
import { Network, type NetworkOptions } from './network';
import { findPreset, PRESETS } from './presets';
import { SECOND } from './stack';
import {
  SpecError,
  checkScenarioAgainst,
  checkTopologyObject,
  parseScenario,
  parseTopology,
  type ScenarioSpec,
  type TopologySpec,
} from './topology';

export { Network, PRESETS, findPreset, SpecError, parseScenario, parseTopology };
export type { ScenarioSpec, TopologySpec };
export { registerCommand } from './commands';
export { registerService } from './services';
export { registerTcp } from './host';
export { TOPOLOGY_SCHEMA, SCENARIO_SCHEMA } from './schema';

export interface Loaded {
  name: string;
  topology: TopologySpec;
  scenario: ScenarioSpec;
}

/**
 * A scenario with its topology. `scenarioText` may name its topology (`topology: file.yaml`,
 * read with `readFile` relative to the scenario) or hold it inline; `topologyText` overrides.
 */
export function loadScenario(
  scenarioText: string,
  scenarioFile: string,
  opts: { topologyText?: string; topologyFile?: string; readFile?: (path: string) => string } = {},
): Loaded {
  const scenario = parseScenario(scenarioText, scenarioFile);
  let topology: TopologySpec;
  if (opts.topologyText !== undefined)
    topology = parseTopology(opts.topologyText, opts.topologyFile ?? 'topology');
  else if (typeof scenario.topology === 'string') {
    if (!opts.readFile)
      throw new SpecError(scenarioFile, [`topology: cannot read "${scenario.topology}" here`]);
    const dir = scenarioFile.includes('/') ? scenarioFile.slice(0, scenarioFile.lastIndexOf('/') + 1) : '';
    const path = scenario.topology.startsWith('/') ? scenario.topology : dir + scenario.topology;
    let text: string;
    try {
      text = opts.readFile(path);
    } catch (e) {
      throw new SpecError(scenarioFile, [`topology: cannot read ${path}: ${(e as Error).message}`]);
    }
    topology = parseTopology(text, path);
  } else if (scenario.topology && typeof scenario.topology === 'object') {
    topology = checkTopologyObject(scenario.topology, `${scenarioFile} (topology)`);
  } else throw new SpecError(scenarioFile, ['no topology: give "topology:" in the scenario or --topology']);
  checkScenarioAgainst(scenario, topology, scenarioFile);
  return { name: scenario.name ?? scenarioFile, topology, scenario };
}

export function loadPreset(name: string): Loaded | undefined {
  const p = findPreset(name);
  if (!p) return undefined;
  const topology = parseTopology(p.topology, `${p.name} (topology)`);
  const scenario = parseScenario(p.scenario, `${p.name} (scenario)`);
  checkScenarioAgainst(scenario, topology, p.name);
  return { name: p.name, topology, scenario };
}

/** Builds the network and runs the scenario to the end. */
export function simulate(l: Loaded, opts: NetworkOptions & { until?: number } = {}): Network {
  const net = new Network(l.topology, { seed: opts.seed ?? l.scenario.seed, recording: opts.recording });
  net.runScenario(l.scenario, { until: opts.until !== undefined ? opts.until * SECOND : undefined });
  return net;
}
