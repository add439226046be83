// `wirelens simulate TOPOLOGY.yaml --scenario S.yaml --out DIR`: one pcapng per tapped
// interface (`<node>-<iface>.pcapng`), every event as JSON lines, and the commands' output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCaptureWriter } from '../capture/writer';
import { Network, SpecError, parseScenario } from '../sim';
import { SECOND, type SimEvent } from '../sim/stack';
import { checkScenarioAgainst } from '../sim/topology';
import { loadRunnable, loadTopology, specErrors } from './sim-load';
import type { Output } from './output';
import { UsageError, withValues } from './usage';
import { readFileSync } from 'node:fs';

export const SIMULATE_HELP = `Usage: wirelens simulate TOPOLOGY.yaml --scenario S.yaml --out DIR [options]
       wirelens simulate PRESET --out DIR

Runs the scenario's timed commands on the topology and writes into DIR:
  <node>-<iface>.pcapng   what each tapped interface saw
  events.jsonl            every decision (send, receive, forward, drop, learn, flood, ARP…),
                          one JSON object per line: time (seconds), node, iface, kind,
                          protocol, packet (its number in that interface's capture), text
  output.txt              the commands' output, as the simulated terminals show it
and prints the commands' output.

Options:
  --scenario S.yaml   the timed commands (steps: [{ at, on, run }])
  --out DIR           where to write (created if missing)
  --tap NODE.IFACE    tap another interface (repeatable); --tap all taps every host port
  --seed N            random seed
  --until SECONDS     stop at this time
`;

export interface SimulateOptions {
  topology?: string;
  scenario?: string;
  out?: string;
  taps: string[];
  seed?: number;
  until?: number;
}

export function parseSimulate(args: string[]): SimulateOptions {
  const o: SimulateOptions = { taps: [] };
  for (const [a, value] of withValues(args)) {
    if (a === '--scenario' || a === '-s') o.scenario = value();
    else if (a === '--out' || a === '-o') o.out = value();
    else if (a === '--tap') o.taps.push(value());
    else if (a === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError(`--seed needs a whole number, not "${v}"`);
      o.seed = Number(v);
    } else if (a === '--until') {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) throw new UsageError('--until needs a number of seconds');
      o.until = v;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (see wirelens help simulate)`);
    else if (o.topology === undefined) o.topology = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (!o.topology) throw new UsageError('simulate: give a topology file (or a preset name)');
  if (!o.out) throw new UsageError('simulate: give the output directory with --out DIR');
  return o;
}

export function simulateCommand(o: SimulateOptions, out: Output): void {
  const loaded = specErrors(() => {
    if (!o.scenario) return loadRunnable(o.topology!);
    const topology = loadTopology(o.topology!);
    let text: string;
    try {
      text = readFileSync(o.scenario!, 'utf8');
    } catch (e) {
      throw new UsageError(
        `${o.scenario}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      );
    }
    const scenario = parseScenario(text, o.scenario!);
    checkScenarioAgainst(scenario, topology, o.scenario!);
    return { name: o.scenario!, topology, scenario };
  });
  let net: Network;
  try {
    net = new Network(loaded.topology, { seed: o.seed ?? loaded.scenario.seed });
    for (const t of o.taps) {
      if (t === 'all') net.tapAll();
      else if (!net.port(t)) throw new UsageError(`--tap ${t}: no such interface`);
      else net.tap(t);
    }
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(e.message);
    throw e;
  }
  const dir = o.out!;
  makeOutputDir(dir);
  const lines = collectEventLines(net);
  net.runScenario(loaded.scenario, { until: o.until !== undefined ? o.until * SECOND : undefined });
  const files = writeTapsAndEvents(net, dir, loaded.name, lines);
  const transcript = net.transcript();
  writeFileSync(join(dir, 'output.txt'), transcript);
  out.write(transcript);
  out.write(
    `wrote ${dir}: ${files.join(', ')}${files.length ? ', ' : ''}events.jsonl (${lines.length} events), output.txt\n`,
  );
}

/** Creates an output directory (a usage error when it cannot be). */
export function makeOutputDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`${dir}: cannot create: ${(e as Error).message}`);
  }
}

/** From now on (with `already`, also the events recorded so far), every event of `net` as a
 * line of events.jsonl (shared with `replay`). */
export function collectEventLines(net: Network, already = false): string[] {
  const lines: string[] = [];
  const add = (e: SimEvent): void => {
    lines.push(
      JSON.stringify({
        time: e.time / SECOND,
        node: e.node,
        iface: e.iface,
        kind: e.kind,
        protocol: e.protocol,
        packet: e.packet,
        text: e.text,
      }),
    );
  };
  if (already) for (const e of net.kernel.events) add(e);
  net.kernel.onEvent = add;
  return lines;
}

/** Writes `<node>-<iface>.pcapng` per tap and events.jsonl into `dir`; returns the captures
 * written as `name (N packets)` (shared with `replay`). */
export function writeTapsAndEvents(net: Network, dir: string, source: string, lines: string[]): string[] {
  const files: string[] = [];
  net.writeEach((tap) => {
    const name = `${tap.port.device.name}-${tap.port.name}.pcapng`;
    files.push(`${name} (${tap.records.length} packets)`);
    return createCaptureWriter(join(dir, name), 'pcapng', {
      nanosecond: true,
      comment: `${tap.port.fullName}, generated by wirelens from ${source}`,
    });
  });
  writeFileSync(join(dir, 'events.jsonl'), lines.length ? lines.join('\n') + '\n' : '');
  return files;
}
