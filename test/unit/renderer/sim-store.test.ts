// The Simulation view's store against the real engine, answering one call at a time as the worker
// does. Picking a second preset while the first one is still loading must leave the second
// network on screen with no error: the first load's late answers belong to a replaced network.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('sim store', () => {
  beforeEach(() => {
    (globalThis as { window?: unknown }).window = { wirelens: serialBridge(new Engine()) };
    setActivePinia(createPinia());
  });
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

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
});
