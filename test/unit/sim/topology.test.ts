import { describe, expect, it } from 'vitest';
import { SpecError, parseScenario, parseTopology } from '../../../core/sim/topology';
import { PRESETS } from '../../../core/sim/presets';
import { loadPreset } from '../../../core/sim';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpecError) return e.problems;
    throw e;
  }
  return [];
}

describe('topology files', () => {
  it('names the path and line of each problem', () => {
    const text = `nodes:
  A: { kind: host, interfaces: { eth0: { ip: [10.0.0.1/24] } } }
  R:
    kind: router
    interfaces:
      eth0: { ip: [10.0.0.2/24] }
      eth1: { ip: [10.0.1.1] }
links:
  - [A.eth0, R.eth0]
  - { a: R.eth9, b: X.eth0, delay: soon }
`;
    expect(problems(() => parseTopology(text, 't.yaml'))).toEqual([
      'nodes.R.interfaces.eth1.ip[0]: "10.0.1.1" needs a prefix length (e.g. 10.0.1.1/24) (line 7)',
      'links[1].a: no interface "eth9" on node "R" (line 10)',
      'links[1].b: no node "X" (line 10)',
      'links[1].delay: not a duration: "soon" (line 10)',
    ]);
  });

  it('reports schema violations by path: unknown kinds and properties, bad MACs', () => {
    const text = `nodes:
  A: { kind: hots }
  B: { kind: host, colour: red }
  C: { kind: host, interfaces: { eth0: { mac: "zz:00" } } }
`;
    const p = problems(() => parseTopology(text));
    expect(p).toContain('nodes.A.kind: must be one of host, router, switch, hub (line 2)');
    expect(p).toContain('nodes.B: unknown property "colour" (line 3)');
    expect(p).toContain('nodes.C.interfaces.eth0.mac: not a MAC address (02:00:00:00:00:0a) (line 4)');
  });

  it('refuses an interface linked twice, and YAML syntax errors with their line', () => {
    expect(
      problems(() =>
        parseTopology(
          'nodes:\n  A: { kind: host, interfaces: { eth0: {} } }\n  B: { kind: hub, ports: [a, b] }\nlinks:\n  - [A.eth0, B.a]\n  - [A.eth0, B.b]\n',
        ),
      ),
    ).toEqual(['links[1][0]: A.eth0 is already linked (links[0][0]) (line 6)']);
    expect(problems(() => parseTopology('nodes: [\n'))[0]).toMatch(/\(line 2\)$/);
  });

  it('checks scenarios: times and the node that runs each step', () => {
    expect(
      problems(() =>
        parseScenario('steps:\n  - { at: soon, on: A, run: "ping x" }\n  - { at: 1, run: "ping x" }\n'),
      ),
    ).toEqual([
      'steps[0].at: not a time: "soon" (line 2)',
      'steps[1]: missing "on" (the node that runs the command) (line 3)',
    ]);
  });

  it('every preset parses, and its steps name nodes of its topology', () => {
    expect(PRESETS.length).toBeGreaterThanOrEqual(12);
    for (let i = 1; i <= 11; i++) expect(PRESETS.some((p) => p.name === `scenario-${i}`)).toBe(true);
    for (const p of PRESETS) expect(loadPreset(p.name)?.name).toBe(p.name);
  });
});

describe('switching loops', () => {
  it('are refused, since there is no spanning tree protocol', () => {
    const text = `nodes:
  s1: { kind: switch, ports: [a, b] }
  s2: { kind: switch, ports: [a, b] }
  s3: { kind: switch, ports: [a, b] }
links:
  - [s1.a, s2.a]
  - [s2.b, s3.a]
  - [s3.b, s1.b]
`;
    expect(problems(() => parseTopology(text))).toEqual([
      'links[2]: s3 and s1 are already connected: this link makes a switching loop (there is no spanning tree protocol; remove a link) (line 8)',
    ]);
  });
});
