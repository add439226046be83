// The Simulation view's store against the real engine, answering one call at a time as the worker
// does. Picking a second preset while the first one is still loading must leave the second
// network on screen with no error: the first load's late answers belong to a replaced network.
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WirelensBridge } from '../../../core/engine/api';
import { Engine } from '../../../core/engine/engine';
import { useSimStore } from '../../../renderer/src/stores/sim';

/** A bridge over a real Engine whose calls run one after another, each after a macrotask. */
function serialBridge(engine: Engine): WirelensBridge {
  let queue: Promise<unknown> = Promise.resolve();
  return new Proxy({} as WirelensBridge, {
    get(_target, name: string) {
      const method = (engine as unknown as Record<string, unknown>)[name];
      if (typeof method !== 'function') return undefined;
      return (...args: unknown[]) => {
        const call = queue.then(async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return (method as (...a: unknown[]) => unknown).apply(engine, args);
        });
        queue = call.catch(() => undefined);
        return call;
      };
    },
  });
}

const REPLAY_CAPTURE = new URL('../../fixtures/replay/netns-replay.pcap', import.meta.url).pathname;

describe('sim store', () => {
  // The renderer keeps the first bridge it finds, so one engine serves every test; each test has
  // a fresh store and loads its own network.
  const engine = new Engine();
  beforeAll(() => {
    (globalThis as { window?: unknown }).window = { wirelens: serialBridge(engine) };
  });
  afterAll(() => {
    delete (globalThis as { window?: unknown }).window;
  });
  beforeEach(() => setActivePinia(createPinia()));

  it('a preset picked while the default one loads replaces it without an error', async () => {
    const sim = useSimStore();
    const opening = sim.show();
    // The default preset's network is drawn but its first run and inspection are still on their
    // way when the user picks scenario 1 (as the e2e test may).
    while (!sim.graph) await new Promise((resolve) => setTimeout(resolve, 0));
    const first = sim.presetName;
    expect(first).not.toBe('scenario-1');
    const picked = sim.loadPreset('scenario-1');
    await Promise.all([opening, picked]);
    expect(sim.error).toBeNull();
    expect(sim.presetName).toBe('scenario-1');
    const nodes = sim.graph!.nodes.map((n) => n.id);
    expect(nodes).toContain('mac');
    expect(nodes).toContain(sim.inspectedNode);
    expect(sim.inspection?.node).toBe(sim.inspectedNode);
    // Stepping goes on in the network on screen.
    await sim.step();
    expect(sim.error).toBeNull();
    expect(sim.events.every((e) => nodes.includes(e.node))).toBe(true);
  });

  it('a replay started while the default preset loads is the network on screen', async () => {
    await engine.openFile(REPLAY_CAPTURE);
    const sim = useSimStore();
    const opening = sim.show();
    while (!sim.graph) await new Promise((resolve) => setTimeout(resolve, 0));
    // scenario-3's LAN has no router R1 for the default preset's inspector to ask about.
    const replayed = sim.replay({ topology: 'scenario-3', map: ['10.66.0.1=A', '10.66.0.2=B'] });
    await opening;
    const r = await replayed;
    expect(r?.ok).toBe(true);
    expect(sim.error).toBeNull();
    expect(sim.time).toBe(0);
    // The mapping's addresses and routes are the events at time 0, and nothing of the default
    // preset's run; the inspector shows the replay network's first node.
    const texts = sim.events.map((e) => e.text);
    expect(texts).toContain('A: replay: ip addr add 10.66.0.1/32 dev eth0 (--map)');
    expect(texts).toContain("B: replay: route 10.66.0.1/32 dev eth0, as for A's 192.168.0.10");
    expect(sim.events.every((e) => ['A', 'B', 'C', 'D', 'E', 'sw', 'hub'].includes(e.node))).toBe(true);
    expect(sim.inspection?.node).toBe('A');
  });

  it('a replay with a bad mapping leaves the running network as it was', async () => {
    await engine.openFile(REPLAY_CAPTURE);
    const sim = useSimStore();
    await sim.show();
    const before = sim.graph;
    const r = await sim.replay({ topology: 'scenario-2', map: ['10.66.0.2=Z'] });
    expect(r?.ok).toBe(false);
    expect(r?.problems.map((p) => p.message)).toEqual([
      '--map 10.66.0.2=Z: no node "Z" in the topology (hosts and routers: A, R1, R2, B)',
    ]);
    expect(sim.graph).toBe(before);
    expect(sim.error).toBeNull();
  });
});
