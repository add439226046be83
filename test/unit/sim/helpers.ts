// Building small simulated networks from YAML for the simulator's unit tests.
import { Network } from '../../../core/sim/network';
import { parseScenario, parseTopology } from '../../../core/sim/topology';
import '../../../core/sim/commands';

export function net(topology: string, seed = 1): Network {
  return new Network(parseTopology(topology), { seed });
}

/** Runs commands `[at, node, line]` and returns the network afterwards. */
export function run(topology: string, steps: [number, string | undefined, string][], seed = 1): Network {
  const n = net(topology, seed);
  const yaml = `steps:\n${steps.map(([at, on, line]) => `  - { at: ${at}, ${on ? `on: ${on}, ` : ''}run: ${JSON.stringify(line)} }`).join('\n')}\n`;
  n.runScenario(parseScenario(yaml));
  return n;
}

export function output(n: Network, index: number): string[] {
  return n.runs[index]!.output;
}

/** Frames captured on one interface as hex strings of selected byte ranges. */
export function frames(n: Network, endpoint: string): Uint8Array[] {
  const p = n.port(endpoint);
  if (!p?.tap) throw new Error(`${endpoint} is not tapped`);
  return p.tap.records.map((r) => r.data);
}

export const LAN = `
nodes:
  A: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0a", ip: [10.0.0.1/24] } }, routes: [ { dst: default, via: 10.0.0.254 } ] }
  B: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0b", ip: [10.0.0.2/24] } } }
  sw: { kind: switch, ports: [p1, p2, p3] }
  R:
    kind: router
    interfaces:
      eth0: { mac: "02:00:00:00:00:fe", ip: [10.0.0.254/24] }
      eth1: { mac: "02:00:00:00:01:fe", ip: [192.0.2.1/24] }
  S: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:01:05", ip: [192.0.2.5/24] } }, routes: [ { dst: default, via: 192.0.2.1 } ] }
links:
  - [A.eth0, sw.p1]
  - [B.eth0, sw.p2]
  - [R.eth0, sw.p3]
  - [R.eth1, S.eth0]
taps: [A.eth0, B.eth0, S.eth0]
`;
