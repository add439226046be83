// The Engine API's `replay`: the open capture replayed into the simulation session, played,
// stepped and inspected like a scenario.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../core/engine/engine';
import { checkArgs } from '../../../core/engine/methods';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CAPTURE = readFileSync(`${ROOT}test/fixtures/replay/netns-replay.pcap`);
const TOPOLOGY = readFileSync(`${ROOT}test/fixtures/replay/two-routers.yaml`, 'utf8');
const MAP = ['10.66.0.1=A', '10.66.0.2=B', 'fd66::1=A', 'fd66::2=B'];

describe('Engine replay', () => {
  it('loads the open capture into the simulation: summary at once, then play, inspect, open a tap', async () => {
    const e = new Engine();
    await e.openBytes('netns-replay.pcap', CAPTURE);
    const l = await e.replay({ topology: TOPOLOGY, map: MAP });
    expect(l.ok).toBe(true);
    expect(l.graph!.taps.sort()).toEqual(['A.eth0', 'B.eth0']);
    expect(l.summary).toMatchObject({ frames: 29, injected: 26, delivered: 25, dropped: 1 });
    expect(l.summaryText).toContain('Replay of netns-replay.pcap through the topology');
    const first = await e.simRun({ steps: 1 });
    expect(first.done).toBe(false);
    const rest = await e.simRun({});
    expect(rest.done).toBe(true);
    const all = [...first.events, ...rest.events];
    expect(
      all.filter((x) => x.kind === 'receive' && /delivered \(replayed\) frame \d+:/.test(x.text)),
    ).toHaveLength(25);
    const sent = all.find(
      (x) => x.node === 'A' && x.kind === 'send' && x.text.includes('replaying frame 4'),
    )!;
    expect(sent.text).toContain('ARP cache miss → who-has 10.0.1.1');
    // The routes the mapping added, as `route -n` prints them, and at an earlier time too.
    const r1 = await e.simInspect('R1');
    expect(r1.tables['route -n']!.join('\n')).toMatch(/^10\.66\.0\.2 +10\.0\.12\.2 +255\.255\.255\.255 /m);
    const early = await e.simInspect('B', 0.0001);
    expect(early.time).toBeCloseTo(0.0001, 9);
    expect(early.tables['arp -a']).toEqual([]);
    const tap = await e.simOpenTap('B.eth0');
    expect(tap.packets).toBeGreaterThan(25);
  });

  it('a preset topology by name, and problems instead of exceptions', async () => {
    const e = new Engine();
    await e.openBytes('netns-replay.pcap', CAPTURE);
    const ok = await e.replay({
      topology: 'two-lans',
      map: ['10.66.0.1=A', '10.66.0.2=B'],
      speed: 2,
      count: 10,
    });
    expect(ok.ok).toBe(true);
    expect(ok.summary).toMatchObject({ datagrams: 10, countReached: true, speed: 2 });
    const badMap = await e.replay({ topology: TOPOLOGY, map: ['10.66.0.1=Q'] });
    expect(badMap).toEqual({
      ok: false,
      problems: [
        {
          file: 'topology',
          message: '--map 10.66.0.1=Q: no node "Q" in the topology (hosts and routers: A, R1, R2, B)',
        },
      ],
    });
    const badYaml = await e.replay({ topology: 'nodes:\n  A: { kind: nonsense }\n' });
    expect(badYaml.ok).toBe(false);
    expect(badYaml.problems[0]!.file).toBe('topology');
    await expect(e.replay({ topology: TOPOLOGY, speed: -1 })).rejects.toThrow(
      'speed must be a positive number.',
    );
  });

  it('needs an open capture; the arguments are checked', async () => {
    await expect(new Engine().replay({ topology: TOPOLOGY })).rejects.toThrow('No capture is open.');
    expect(() => checkArgs('replay', ['x'])).toThrow('options must be an object.');
  });
});
