// The engine's simulator methods (core/engine/sim.ts) as the Simulation view uses them.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../core/engine/engine';

describe('engine simulator methods', () => {
  it('lists the presets with their YAML', async () => {
    const e = new Engine();
    const presets = await e.simPresets();
    expect(presets.map((p) => p.name)).toContain('scenario-2');
    expect(presets.find((p) => p.name === 'scenario-2')!.topology).toMatch(/^nodes:/);
  });

  it('loads a preset as a graph, steps, plays to the end and decodes an event packet', async () => {
    const e = new Engine();
    const l = await e.simLoadPreset('scenario-2');
    expect(l.ok).toBe(true);
    const g = l.graph!;
    expect(g.nodes.find((n) => n.id === 'R1')).toMatchObject({
      kind: 'router',
      interfaces: ['lo', 'eth0', 'eth1'],
    });
    expect(g.links.some((k) => k.ends.includes('A.eth0'))).toBe(true);
    // A step runs the simulator until at least one more event is recorded. Building the
    // network already recorded B's listening socket; the first step runs A's command.
    const first = await e.simRun({ steps: 1 });
    expect(first.events[0]).toMatchObject({ index: 0, kind: 'tcp-state', node: 'B' });
    expect(first.events).toContainEqual(
      expect.objectContaining({ kind: 'command', node: 'A', text: 'A$ ping -c 2 203.0.113.20' }),
    );
    expect(first.done).toBe(false);
    const rest = await e.simRun({});
    expect(rest.done).toBe(true);
    expect(rest.events[0]!.index).toBe(first.events.length);
    expect(rest.transcript).toMatch(/A\$ ping/);
    // The first frame A sends is its ARP who-has for the gateway, on its link to sw1; sw1
    // floods it to R1.
    const all = [...first.events, ...rest.events];
    const send = all.find((x) => x.node === 'A' && x.packet !== undefined)!;
    expect(send).toMatchObject({ kind: 'arp', iface: 'eth0', protocol: 'ARP', packet: 1, to: ['sw1'] });
    expect(all.find((x) => x.kind === 'flood')).toMatchObject({ node: 'sw1', iface: 'p1', to: ['R1'] });
    const p = await e.simEventPacket(send.index);
    expect(p.tree.map((t) => t.label)).toEqual([
      expect.stringMatching(/^Frame 1:/),
      expect.stringMatching(/^Ethernet II/),
      expect.stringMatching(/^Address Resolution Protocol \(request\)/),
    ]);
  });

  it('inspects a router as the tools print and opens a tapped interface in the analyzer', async () => {
    const e = new Engine();
    await e.simLoadPreset('scenario-2');
    // One second in: the pings are done and the ARP entries have not expired yet.
    const run = await e.simRun({ until: 1 });
    expect(run.time).toBe(1);
    const r = await e.simInspect('R1');
    expect(r.kind).toBe('router');
    expect(r.tables['route -n']![0]).toBe('Kernel IP routing table');
    expect(r.tables['route -n']!.join('\n')).toMatch(/203\.0\.113\.0\s+10\.0\.12\.2\s+255\.255\.255\.0\s+UG/);
    expect(r.tables['arp -a']!.join('\n')).toMatch(/192\.168\.1\.2/);
    // At an earlier moment (the network run again to then): before A's first ping, R1 knows
    // no neighbour yet; once its ARP exchange with R2 is done, it knows both.
    const before = await e.simInspect('R1', 0);
    expect(before.time).toBe(0);
    expect(before.tables['arp -a']).toEqual([]);
    expect((await e.simInspect('R1', 0.005)).tables['arp -a']!.join('\n')).toMatch(/10\.0\.12\.2/);
    // The current network is left as it was.
    expect((await e.simInspect('R1')).time).toBe(1);
    const sw = await e.simInspect('sw1');
    expect(Object.keys(sw.tables)).toEqual(['bridge fdb']);
    const summary = await e.simOpenTap('A.eth0');
    expect(summary.name).toBe('scenario-2-A-eth0.pcapng');
    expect(summary.packets).toBeGreaterThan(4);
    const rows = await e.rows(0, 1);
    expect(rows[0]!.protocol).toBe('ARP');
    await expect(e.simInspect('nope')).rejects.toThrow(/no node "nope"/);
  });

  it('reports problems with path and line', async () => {
    const e = new Engine();
    const bad = await e.simLoad(
      'nodes:\n  A: { kind: host, interfaces: { eth0: { ip: [10.0.0.1/24] } } }\nlinks:\n  - [A.eth0, A.eth9]\n',
      'steps: []\n',
    );
    expect(bad.ok).toBe(false);
    expect(bad.problems[0]).toMatchObject({ file: 'topology', path: 'links[0][1]', line: 4 });
    const kind = await e.simLoad('nodes:\n  A: { kind: hst }\n', 'steps: []\n');
    expect(kind.problems[0]).toMatchObject({ file: 'topology', line: 2 });
    const step = await e.simLoad(
      'nodes:\n  A: { kind: host }\n',
      'steps:\n  - { at: soon, on: A, run: "ip addr" }\n',
    );
    expect(step.problems[0]).toMatchObject({ file: 'scenario', path: 'steps[0].at', line: 2 });
  });

  it('generates a preset trace into the analyzer', async () => {
    const e = new Engine();
    const s = await e.generate('scenario-1');
    expect(s.name).toBe('scenario-1.pcapng');
    expect(s.packets).toBeGreaterThanOrEqual(10);
  });

  it('every preset loads, plays to its end, and the packets of its events decode cleanly', async () => {
    const e = new Engine();
    for (const preset of await e.simPresets()) {
      const l = await e.simLoadPreset(preset.name);
      expect(l.ok, preset.name).toBe(true);
      expect(l.graph!.nodes.length, preset.name).toBeGreaterThan(0);
      let run = await e.simRun({});
      const events = [...run.events];
      while (run.more) {
        run = await e.simRun({ steps: 0 });
        events.push(...run.events);
      }
      expect(run.done, preset.name).toBe(true);
      expect(events.map((x) => x.index)).toEqual(events.map((_, i) => i));
      // The first 150 frames of each preset, decoded in their interface's order.
      for (const ev of events.filter((x) => x.packet !== undefined).slice(0, 150)) {
        const p = await e.simEventPacket(ev.index);
        expect(p.tree[0]!.label, `${preset.name} event ${ev.index}`).toMatch(/^Frame \d+:/);
        // The frame is the one the explanation describes (its MAC addresses), also for a
        // switch's forward, whose number is the arrival port's.
        const macs = /\(([0-9a-f:]{17}) → ([0-9a-f:]{17})\)$/.exec(ev.text);
        if (macs) expect(p.tree[1]!.label).toMatch(new RegExp(`Src: (\\S+ \\()?${macs[1]}`));
        expect(ev.capture).toMatch(new RegExp(`^${ev.node}\\.`));
        const bad = p.issues.filter((i) => i.severity === 'error' || /malformed|checksum/i.test(i.message));
        expect(bad, `${preset.name} event ${ev.index}: ${ev.text}`).toEqual([]);
      }
      for (const n of l.graph!.nodes)
        expect(Object.keys((await e.simInspect(n.id)).tables).length).toBeGreaterThan(0);
    }
  });
});
