// The Simulation view's state (issue 6, "In the app"): the loaded network's graph, the events
// played so far, play / pause / step at a speed, the selected event with its packet's layers,
// the device inspector, the YAML being edited and its problems. The engine holds the network
// (core/engine/sim.ts); this store only asks it to move forward.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type {
  PacketDetail,
  SimEventDTO,
  SimGraphDTO,
  SimInspectDTO,
  SimLoadDTO,
  SimPresetDTO,
  SimProblemDTO,
  SimReplayDTO,
  SimReplayOptions,
} from '../../../core/engine/api';
import { engineClient } from '../engine/client';
import { useCaptureStore } from './capture';

/** Real milliseconds between two steps at speed 1 (the packet animation takes most of it). */
export const STEP_INTERVAL_MS = 600;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const useSimStore = defineStore('sim', () => {
  const engine = engineClient();
  /** The Simulation view replaces the analyzer's panes while open. */
  const open = ref(false);
  const presets = shallowRef<SimPresetDTO[]>([]);
  const presetName = ref('');
  const topologyText = ref('');
  const scenarioText = ref('');
  const problems = shallowRef<SimProblemDTO[]>([]);
  const graph = shallowRef<SimGraphDTO | null>(null);
  const events = shallowRef<SimEventDTO[]>([]);
  /** Events recorded by the last run or step (the animation plays these). */
  const fresh = shallowRef<SimEventDTO[]>([]);
  const time = ref(0);
  const done = ref(false);
  const transcript = ref('');
  const playing = ref(false);
  const speed = ref(1);
  const busy = ref(false);
  const error = ref<string | null>(null);
  const protocolFilter = ref('');
  const selectedEvent = ref<number | null>(null);
  const packet = shallowRef<PacketDetail | null>(null);
  const inspectedNode = ref<string | null>(null);
  const inspection = shallowRef<SimInspectDTO | null>(null);
  /** Inspect at the selected event's time instead of now (the engine runs the network again). */
  const inspectAtEvent = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Counts the networks loaded. An answer that arrives after another load began belongs to the
   * replaced network (the user picked a second preset while the first was loading) and is dropped:
   * asking the new network about the old one's nodes would only give errors.
   */
  let network = 0;
  // A capture opened from anywhere (a tap, a generated trace, File → Open) is shown at once.
  watch(
    () => useCaptureStore().summary,
    () => hide(),
  );

  const protocols = computed(
    () => [...new Set(events.value.map((e) => e.protocol).filter(Boolean))].sort() as string[],
  );
  const shownEvents = computed(() =>
    protocolFilter.value ? events.value.filter((e) => e.protocol === protocolFilter.value) : events.value,
  );
  const selected = computed(() =>
    selectedEvent.value === null ? null : (events.value.find((e) => e.index === selectedEvent.value) ?? null),
  );

  async function show(): Promise<void> {
    open.value = true;
    if (!presets.value.length) {
      try {
        presets.value = await engine.simPresets();
        if (!graph.value && presets.value.length)
          await loadPreset(presets.value[1]?.name ?? presets.value[0]!.name);
      } catch (e) {
        error.value = message(e);
      }
    }
  }

  function hide(): void {
    pause();
    open.value = false;
  }

  function reset(): void {
    pause();
    events.value = [];
    fresh.value = [];
    time.value = 0;
    done.value = false;
    transcript.value = '';
    selectedEvent.value = null;
    packet.value = null;
    inspection.value = null;
  }

  async function loadPreset(name: string): Promise<void> {
    const p = presets.value.find((x) => x.name === name);
    if (!p) return;
    presetName.value = name;
    topologyText.value = p.topology;
    scenarioText.value = p.scenario;
    await load();
  }

  /**
   * Puts the network `build` makes (a scenario, or a replay) on screen, as it stands at time 0.
   * Resolves to the engine's answer (with problems, the running network stays as it was), or
   * to null when a newer load began meanwhile.
   */
  async function loadNetwork<T extends SimLoadDTO>(build: () => Promise<T>): Promise<T | null> {
    pause();
    error.value = null;
    const mine = ++network;
    let r: T;
    try {
      r = await build();
    } catch (e) {
      if (mine !== network) return null;
      throw e;
    }
    if (mine !== network) return null;
    if (!r.ok) return r;
    reset();
    graph.value = r.graph ?? null;
    // Inspect the first router (else the first node) of the new network.
    const first = graph.value?.nodes.find((n) => n.kind === 'router') ?? graph.value?.nodes[0];
    inspectedNode.value = first?.id ?? null;
    // The events recorded while building (services started, a replay's mapped routes).
    await advance({ steps: 0 });
    return mine === network ? r : null;
  }

  /** Builds the network from the editors' text; problems go to the editors as markers. */
  async function load(): Promise<boolean> {
    try {
      // A preset as shipped loads by name (its captures are named after it); edited text as is.
      const preset = presets.value.find((p) => p.name === presetName.value);
      const asShipped =
        preset && preset.topology === topologyText.value && preset.scenario === scenarioText.value;
      const r = await loadNetwork(() =>
        asShipped
          ? engine.simLoadPreset(preset.name)
          : engine.simLoad(topologyText.value, scenarioText.value),
      );
      if (!r) return false;
      if (!asShipped && r.ok) presetName.value = '';
      problems.value = r.problems;
      return r.ok;
    } catch (e) {
      error.value = message(e);
      return false;
    }
  }

  /**
   * Simulation → Replay Open Capture…: the analyzer's open capture through a topology
   * (core/replay). Its problems (a bad --map, bad YAML) are the dialog's to show, and so is a
   * failure, which is thrown; null when a newer load replaced it.
   */
  async function replay(options: SimReplayOptions): Promise<SimReplayDTO | null> {
    const r = await loadNetwork(() => engine.replay(options));
    if (r?.ok) problems.value = [];
    return r;
  }

  /** Checks the editors' YAML as the user types (the running network stays as it is). */
  async function check(): Promise<void> {
    try {
      problems.value = await engine.simCheck(topologyText.value, scenarioText.value);
    } catch (e) {
      error.value = message(e);
    }
  }

  async function advance(opts: { until?: number; steps?: number }): Promise<SimEventDTO[]> {
    busy.value = true;
    const mine = network;
    try {
      let r = await engine.simRun(opts);
      const got = [...r.events];
      // A long run returns its events in pages.
      for (let i = 0; r.more && i < 1000 && mine === network; i++) {
        r = await engine.simRun({ steps: 0 });
        got.push(...r.events);
      }
      if (mine !== network) return [];
      time.value = r.time;
      done.value = r.done;
      transcript.value = r.transcript;
      events.value = events.value.concat(got);
      fresh.value = got;
      if (inspectedNode.value) await inspect();
      return got;
    } catch (e) {
      if (mine === network) error.value = message(e);
      pause();
      return [];
    } finally {
      busy.value = false;
    }
  }

  async function step(): Promise<void> {
    if (done.value || busy.value) return;
    const got = await advance({ steps: 1 });
    const last = got.filter((e) => !protocolFilter.value || e.protocol === protocolFilter.value).at(-1);
    if (last) await selectEvent(last.index);
  }

  function play(): void {
    if (playing.value || done.value) return;
    playing.value = true;
    const tick = async () => {
      if (!playing.value) return;
      await step();
      if (done.value) playing.value = false;
      if (playing.value) timer = setTimeout(() => void tick(), STEP_INTERVAL_MS / speed.value);
    };
    void tick();
  }

  function pause(): void {
    playing.value = false;
    clearTimeout(timer);
  }

  async function runToEnd(): Promise<void> {
    pause();
    await advance({});
  }

  async function selectEvent(index: number): Promise<void> {
    selectedEvent.value = index;
    packet.value = null;
    if (inspectAtEvent.value) void inspect();
    const e = events.value.find((x) => x.index === index);
    if (!e || e.packet === undefined) return;
    const mine = network;
    try {
      const p = await engine.simEventPacket(index);
      if (mine === network && selectedEvent.value === index) packet.value = p;
    } catch (err) {
      if (mine === network) error.value = message(err);
    }
  }

  async function inspect(node?: string): Promise<void> {
    if (node !== undefined) inspectedNode.value = node;
    if (!inspectedNode.value) return;
    const mine = network;
    try {
      const at = inspectAtEvent.value ? selected.value?.time : undefined;
      const got =
        at === undefined
          ? await engine.simInspect(inspectedNode.value)
          : await engine.simInspect(inspectedNode.value, at);
      if (mine === network) inspection.value = got;
    } catch (e) {
      if (mine === network) error.value = message(e);
    }
  }

  /** "Open capture": the tapped interface's frames so far, in the analyzer's packet list. */
  async function openTap(endpoint: string): Promise<void> {
    pause();
    const capture = useCaptureStore();
    await capture.runOpen(() => engine.simOpenTap(endpoint));
  }

  /** File → New Trace from Scenario: the preset run to its end, its trace in the analyzer. */
  async function generate(name: string): Promise<void> {
    pause();
    const capture = useCaptureStore();
    await capture.runOpen(() => engine.generate(name));
  }

  return {
    open,
    presets,
    presetName,
    topologyText,
    scenarioText,
    problems,
    graph,
    events,
    fresh,
    time,
    done,
    transcript,
    playing,
    speed,
    busy,
    error,
    protocolFilter,
    protocols,
    shownEvents,
    selectedEvent,
    selected,
    packet,
    inspectedNode,
    inspection,
    inspectAtEvent,
    show,
    hide,
    loadPreset,
    load,
    replay,
    check,
    step,
    play,
    pause,
    runToEnd,
    selectEvent,
    inspect,
    openTap,
    generate,
  };
});
