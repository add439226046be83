// "Replay Open Capture…" in the Simulation view: the engine's `replay` loads the open capture's
// datagrams into the simulation session (core/engine/sim.ts), and the view's state starts
// afresh as after loading a scenario; then Play, Step, Run to end and the inspector work as
// they do for a scenario.
import type { SimReplayDTO, SimReplayOptions } from '../../../../core/engine/api';
import { engineClient } from '../../engine/client';
import type { useSimStore } from '../../stores/sim';

type SimStore = ReturnType<typeof useSimStore>;

/** Loads a replay; on problems (a bad --map, bad YAML) the running network stays as it was. */
export async function loadReplay(sim: SimStore, options: SimReplayOptions): Promise<SimReplayDTO> {
  sim.pause();
  const engine = engineClient();
  const r = await engine.replay(options);
  if (!r.ok) return r;
  sim.events = [];
  sim.fresh = [];
  sim.selectedEvent = null;
  sim.packet = null;
  sim.inspection = null;
  sim.problems = [];
  sim.error = null;
  sim.graph = r.graph ?? null;
  const first = sim.graph?.nodes.find((n) => n.kind === 'router') ?? sim.graph?.nodes[0];
  sim.inspectedNode = first?.id ?? null;
  // The events recorded while building (the mapped addresses and routes), as `load` shows them.
  const start = await engine.simRun({ steps: 0 });
  sim.time = start.time;
  sim.done = start.done;
  sim.transcript = start.transcript;
  sim.events = start.events;
  sim.fresh = start.events;
  if (sim.inspectedNode) await sim.inspect();
  return r;
}
