// Key completion for the Simulation view's YAML editors (renderer/src/components/sim/yaml-schema.ts).
import { describe, expect, it } from 'vitest';
import { keysAt, pathAt } from '../../../renderer/src/components/sim/yaml-schema';
import { SCENARIO_SCHEMA, TOPOLOGY_SCHEMA } from '../../../core/sim/schema';

const keys = (schema: unknown, before: string) =>
  keysAt(schema as Record<string, unknown>, pathAt(before)).map((k) => k.key);

describe('YAML key completion from the simulator schemas', () => {
  it('finds the path from indentation and list items', () => {
    expect(pathAt('nodes:\n  A:\n    ')).toEqual(['nodes', 'A']);
    expect(pathAt('nodes:\n  A:\n    interfaces:\n      eth0:\n        ')).toEqual([
      'nodes',
      'A',
      'interfaces',
      'eth0',
    ]);
    expect(pathAt('nodes:\n  A:\n    routes:\n      - dst: default\n        ')).toEqual([
      'nodes',
      'A',
      'routes',
      '-',
    ]);
    expect(pathAt('steps:\n  - ')).toEqual(['steps', '-']);
  });

  it('follows flow maps open on the line', () => {
    expect(pathAt('nodes:\n  A: { kind: host, interfaces: { eth0: { ')).toEqual([
      'nodes',
      'A',
      'interfaces',
      'eth0',
    ]);
    expect(pathAt('steps:\n  - { at: 0, ')).toEqual(['steps', '-']);
    expect(pathAt('nodes:\n  A: { kind: host, routes: [ { ')).toEqual(['nodes', 'A', 'routes', '-']);
    expect(pathAt('nodes:\n  A: { kind: host, interfaces: { eth0: {} }, ')).toEqual(['nodes', 'A']);
  });

  it('offers the properties the schema has there', () => {
    expect(keys(TOPOLOGY_SCHEMA, '')).toEqual(['name', 'description', 'seed', 'nodes', 'links', 'taps']);
    expect(keys(TOPOLOGY_SCHEMA, 'nodes:\n  R:\n    ')).toContain('forwarding');
    expect(keys(TOPOLOGY_SCHEMA, 'nodes:\n  A: { interfaces: { eth0: { ')).toEqual([
      'mac',
      'ip',
      'mtu',
      'up',
    ]);
    expect(keys(TOPOLOGY_SCHEMA, 'links:\n  - { ')).toEqual([
      'a',
      'b',
      'delay',
      'bandwidth',
      'loss',
      'mtu',
      'queue',
      'up',
      'segment',
    ]);
    expect(keys(SCENARIO_SCHEMA, 'steps:\n  - { ')).toEqual(['at', 'on', 'run']);
    const kind = keysAt(TOPOLOGY_SCHEMA as never, ['nodes', 'A']).find((k) => k.key === 'kind');
    expect(kind?.values).toEqual(['host', 'router', 'switch', 'hub']);
  });
});
