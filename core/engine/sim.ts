// The simulator behind the app's Simulation view (issue 6, "In the app"): one loaded network at a
// time, played forward in steps (the kernel never runs backwards), with its events, the packets
// of those events decoded as `packet()` decodes them, device state as the tools print it, and
// each tapped interface's frames as a capture the analyzer can open.
import '../protocols';
import { Dissection, type FrameMeta } from '../dissect/dissection';
import { dissectPacket } from '../dissect/packet';
import { CaptureState } from '../dissect/state';
import { createCaptureWriter } from '../capture/writer';
import {
  Network,
  PRESETS,
  SCENARIO_SCHEMA,
  SpecError,
  TOPOLOGY_SCHEMA,
  findPreset,
  loadScenario,
  parseTopology,
  type ScenarioSpec,
  type TopologySpec,
} from '../sim';
import { parseDuration } from '../sim/kernel';
import { SECOND, type SimEvent } from '../sim/stack';
import type { Tap } from '../sim/device';
import type {
  PacketDetail,
  SimEventDTO,
  SimGraphDTO,
  SimInspectDTO,
  SimLoadDTO,
  SimPresetDTO,
  SimProblemDTO,
  SimReplayDTO,
  SimRunDTO,
} from './api';
import { EngineError } from './errors';
import { treeNodeDTO } from './tree-dto';
import type { CaptureReader } from '../capture/types';
import {
  ReplayError,
  formatReplaySummary,
  parseAddressMap,
  prepareReplay,
  readReplayInput,
  replayCapture,
  type AddressMap,
  type ReplayInput,
  type ReplaySetup,
} from '../replay';
import { concatBytes } from '../capture/bytes';

const LINKTYPE_ETHERNET = 1;
/** Events one `simRun` call may return: the rest come with the next call. */
const MAX_EVENTS_PER_CALL = 5000;
/** Kernel events one `simRun` may execute, so a runaway scenario cannot hang the engine. */
const MAX_KERNEL_EVENTS_PER_CALL = 2_000_000;

/** Per tap: its own dissection state, filled in frame order as frames are first decoded. */
interface TapDecoder {
  state: CaptureState;
  decoded: number;
}

export class SimSession {
  private net: Network | null = null;
  private name = '';
  /** Interfaces the topology or scenario tapped (the view marks them; "Open capture"). */
  private userTaps = new Set<string>();
  /** Events already handed to the view. */
  private delivered = 0;
  private end = 600 * SECOND;
  /** The checked specs of the loaded network (to run it again for an earlier moment). */
  private loaded:
    | {
        topology: TopologySpec;
        scenario: ScenarioSpec;
        /** A replayed capture (loadReplay) instead of the scenario's steps. */
        replaying?: { input: ReplayInput; setup: ReplaySetup };
      }
    | undefined;
  private decoders = new Map<Tap, TapDecoder>();

  presets(): SimPresetDTO[] {
    return PRESETS.map((p) => ({
      name: p.name,
      ...(p.alias ? { alias: p.alias } : {}),
      title: p.title,
      summary: p.summary,
      topology: p.topology.replace(/^\n/, ''),
      scenario: p.scenario.replace(/^\n/, ''),
    }));
  }

  schemas(): { topology: unknown; scenario: unknown } {
    return { topology: TOPOLOGY_SCHEMA, scenario: SCENARIO_SCHEMA };
  }

  /** Checks and builds a network from YAML texts (or a preset's); nothing runs yet. */
  load(topologyText: string, scenarioText: string): SimLoadDTO {
    let loaded;
    try {
      loaded = loadScenario(scenarioText, 'scenario', { topologyText, topologyFile: 'topology' });
    } catch (e) {
      if (e instanceof SpecError) return { ok: false, problems: problemsOf(e) };
      throw e;
    }
    let net: Network;
    try {
      net = new Network(loaded.topology, { seed: loaded.scenario.seed, recording: true });
      net.load(loaded.scenario);
    } catch (e) {
      // Semantic errors found while building (a gateway on no connected network).
      return { ok: false, problems: [problemOf('topology', (e as Error).message)] };
    }
    this.userTaps = new Set(net.taps.map((t) => t.port.fullName));
    // Every linked port is tapped too, so that every event has its packet's bytes.
    for (const d of net.devices.values())
      for (const p of d.ports.values()) if (p.link || p.name === 'lo') net.tap(p.fullName);
    this.net = net;
    this.loaded = { topology: loaded.topology, scenario: loaded.scenario };
    this.replay = undefined;
    this.name = loaded.name === 'scenario' ? 'simulation' : loaded.name;
    this.delivered = 0;
    this.decoders = new Map();
    const until = loaded.scenario.until !== undefined ? parseDuration(loaded.scenario.until) : undefined;
    this.end = until ?? 600 * SECOND;
    return { ok: true, problems: [], graph: this.graph(loaded.topology) };
  }

  /**
   * Loads a replay of a capture (core/replay) through a topology (YAML text, or a preset's name
   * or alias): nothing runs yet, `run` plays it like a scenario. The summary comes from a copy
   * run to its end at once (events off), so the view can show the outcome from the start.
   */
  loadReplay(reader: CaptureReader, captureName: string, options: unknown): SimReplayDTO {
    const o = checkReplayOptions(options);
    const text = o.topology;
    const preset = !text.includes('\n') ? findPreset(text.trim()) : undefined;
    let topology: TopologySpec;
    try {
      topology = preset
        ? parseTopology(preset.topology, `${preset.name} (topology)`)
        : parseTopology(text, 'topology');
    } catch (e) {
      if (e instanceof SpecError) return { ok: false, problems: problemsOf(e) };
      throw e;
    }
    let maps: AddressMap[];
    try {
      maps = (o.map ?? []).map(parseAddressMap);
    } catch (e) {
      if (e instanceof ReplayError)
        return { ok: false, problems: [{ file: 'topology', message: e.message }] };
      throw e;
    }
    const input = readReplayInput(reader, { count: o.count });
    const setup: ReplaySetup = { maps, speed: o.speed };
    let prepared;
    let summary;
    try {
      summary = replayCapture(topology, input, { ...setup, recording: false }).summary;
      prepared = prepareReplay(topology, input, setup);
    } catch (e) {
      if (e instanceof ReplayError)
        return { ok: false, problems: [{ file: 'topology', message: e.message }] };
      throw e;
    }
    const net = prepared.net;
    this.userTaps = new Set(net.taps.map((t) => t.port.fullName));
    for (const d of net.devices.values())
      for (const p of d.ports.values()) if (p.link || p.name === 'lo') net.tap(p.fullName);
    this.net = net;
    this.loaded = { topology, scenario: { steps: [] }, replaying: { input, setup } };
    this.replay = undefined;
    this.name = `replay of ${captureName}`;
    this.delivered = 0;
    this.decoders = new Map();
    // Past the last injection: time for ARP retries and the last deliveries.
    this.end = Math.max(600 * SECOND, prepared.driver.lastInjection + 120 * SECOND);
    return {
      ok: true,
      problems: [],
      graph: this.graph(topology),
      summary,
      summaryText: formatReplaySummary(summary, captureName, preset ? preset.name : 'the topology'),
    };
  }

  check(topologyText: string, scenarioText: string): SimProblemDTO[] {
    try {
      loadScenario(scenarioText, 'scenario', { topologyText, topologyFile: 'topology' });
      return [];
    } catch (e) {
      if (e instanceof SpecError) return problemsOf(e);
      return [problemOf('topology', (e as Error).message)];
    }
  }

  loadPreset(name: string): SimLoadDTO {
    const p = findPreset(name);
    if (!p) throw new EngineError('bad-request', `There is no preset "${name}" (see the list of presets).`);
    const r = this.load(p.topology, p.scenario);
    this.name = p.name;
    return r;
  }

  /** Plays forward: to `until` seconds, or `steps` kernel events, or to the end. */
  run(opts: { until?: number; steps?: number }): SimRunDTO {
    const net = this.require();
    const k = net.kernel;
    const { until, steps } = opts;
    if (until !== undefined && !(typeof until === 'number' && Number.isFinite(until) && until >= 0))
      throw new EngineError('bad-request', 'until must be a number of seconds (0 or more).');
    if (steps !== undefined && !(Number.isInteger(steps) && steps >= 0 && steps <= 1e6))
      throw new EngineError('bad-request', 'steps must be an integer from 0 to 1000000.');
    if (opts.steps !== undefined) {
      // A step is one recorded event: run kernel events until one more is recorded.
      const before = k.events.length;
      for (
        let i = 0;
        i < MAX_KERNEL_EVENTS_PER_CALL && k.pending() && k.events.length < before + opts.steps;
        i++
      )
        if (k.run({ maxEvents: 1, until: this.end }) === 0) break;
    } else {
      const until = opts.until !== undefined ? Math.min(Math.round(opts.until * SECOND), this.end) : this.end;
      k.run({ until, maxEvents: MAX_KERNEL_EVENTS_PER_CALL });
    }
    return this.progress();
  }

  private progress(): SimRunDTO {
    const net = this.require();
    const k = net.kernel;
    const from = this.delivered;
    const to = Math.min(k.events.length, from + MAX_EVENTS_PER_CALL);
    const events: SimEventDTO[] = [];
    for (let i = from; i < to; i++) events.push(this.eventDTO(i, k.events[i]!));
    this.delivered = to;
    return {
      time: k.now() / SECOND,
      events,
      more: to < k.events.length,
      // Cancelled timers stay queued until their time: the end time settles those.
      done: k.pending() === 0 || k.now() >= this.end,
      transcript: net.transcript(),
    };
  }

  private eventDTO(index: number, e: SimEvent): SimEventDTO {
    const d: SimEventDTO = { index, time: e.time / SECOND, node: e.node, kind: e.kind, text: e.text };
    if (e.iface !== undefined) d.iface = e.iface;
    if (e.protocol !== undefined) d.protocol = e.protocol;
    if (e.packet !== undefined) {
      const tap = this.tapOf(e);
      if (tap) {
        d.packet = e.packet;
        d.capture = tap.port.fullName;
      }
    }
    // Where the frame goes, for the animation: out of `iface` for sends, forwards and ARP
    // requests/replies; a flood's `iface` is where the frame came in, so out of every other port.
    if (e.iface !== undefined && e.packet !== undefined) {
      const port = this.net!.port(`${e.node}.${e.iface}`);
      const sent =
        e.kind === 'send' || e.kind === 'forward' || (e.kind === 'arp' && /ARP (request|reply)/.test(e.text));
      const out =
        e.kind === 'flood'
          ? [...(port?.device.ports.values() ?? [])].filter((p) => p !== port)
          : sent && port
            ? [port]
            : [];
      const to = new Set<string>();
      for (const o of out) for (const end of o.link?.ends ?? []) if (end !== o) to.add(end.device.name);
      if (to.size) d.to = [...to];
    }
    return d;
  }

  /** The layers of an event's packet, decoded like `packet()` (in its tap's frame order). */
  eventPacket(index: number): PacketDetail {
    const net = this.require();
    const e = net.kernel.events[index];
    if (!e) throw new EngineError('bad-request', `There is no event ${index}.`);
    const tap = this.tapOf(e);
    if (!tap || e.packet === undefined) throw new EngineError('bad-request', 'This event has no packet.');
    let dec = this.decoders.get(tap);
    if (!dec) {
      dec = { state: new CaptureState(), decoded: 0 };
      this.decoders.set(tap, dec);
    }
    // First passes in order (TCP analysis and reassembly state), then the packet as a revisit.
    while (dec.decoded < e.packet) {
      this.dissect(tap, dec.decoded, dec.state, false, false);
      dec.decoded++;
    }
    const p = this.dissect(tap, e.packet - 1, dec.state, true, true);
    return {
      number: e.packet,
      tree: p.roots.map(treeNodeDTO),
      sources: p.sources.map((s) => ({ name: s.name, base64: Buffer.from(s.bytes).toString('base64') })),
      issues: p.issues.map((x) => ({ ...x })),
    };
  }

  /**
   * The tap holding an event's frame. `packet` numbers the frame in the tap of `iface`, except
   * where a device decides on a frame it received and names the port it sends it out of (a
   * switch's or router's forward): then the number is the arrival port's. The decision is made
   * when the frame arrives, so the arrival port's frame has the event's time.
   */
  private tapOf(e: SimEvent): Tap | undefined {
    if (e.packet === undefined || e.iface === undefined) return undefined;
    const at = (t: Tap | undefined) => {
      const r = t?.records[e.packet! - 1];
      return r && r.time === e.time ? t : undefined;
    };
    const named = this.net!.port(`${e.node}.${e.iface}`)?.tap;
    const exact = at(named);
    if (exact) return exact;
    for (const p of this.net!.devices.get(e.node)?.ports.values() ?? []) {
      const t = at(p.tap);
      if (t) return t;
    }
    return undefined;
  }

  private dissect(tap: Tap, i: number, state: CaptureState, tree: boolean, visited: boolean): Dissection {
    const rec = tap.records[i]!;
    const first = tap.records[0]!;
    const prev = tap.records[i > 0 ? i - 1 : 0]!;
    const epoch = this.net!.kernel.epoch;
    const meta: FrameMeta = {
      number: i + 1,
      tsSec: epoch + Math.floor(rec.time / SECOND),
      tsNsec: rec.time % SECOND,
      relativeNs: rec.time - first.time,
      deltaNs: rec.time - prev.time,
      capLen: rec.data.length,
      origLen: rec.data.length,
      linkType: LINKTYPE_ETHERNET,
      interfaceId: 0,
      interfaceName: tap.port.fullName,
    };
    return dissectPacket(meta, rec.data, state, { tree, columns: true }, new Dissection(), visited);
  }

  /** A device's tables as the tools print them, at the current simulated time. */
  inspect(node: string, time?: number): SimInspectDTO {
    let net = this.require();
    if (time !== undefined) {
      if (!(typeof time === 'number' && Number.isFinite(time) && time >= 0))
        throw new EngineError('bad-request', 'time must be a number of seconds (0 or more).');
      // An earlier moment: the simulation is deterministic, so the same network run again to
      // that time is in the state it was in then (all events at that instant done).
      const t = Math.round(time * SECOND);
      if (t < net.kernel.now()) net = this.replayTo(t);
    }
    const tables = net.inspect(node);
    if (!tables) throw new EngineError('bad-request', `There is no node "${node}".`);
    return { node, kind: net.devices.get(node)!.kind, time: net.kernel.now() / SECOND, tables };
  }

  private replay: { time: number; net: Network } | undefined;
  private replayTo(t: number): Network {
    if (this.replay?.time === t) return this.replay.net;
    const { topology, scenario, replaying } = this.loaded!;
    let net: Network;
    if (replaying)
      net = prepareReplay(topology, replaying.input, { ...replaying.setup, recording: false }).net;
    else {
      net = new Network(topology, { seed: scenario.seed, recording: false });
      net.load(scenario);
    }
    net.kernel.run({ until: t, maxEvents: MAX_KERNEL_EVENTS_PER_CALL });
    this.replay = { time: t, net };
    return net;
  }

  /** One tapped interface's frames so far as pcapng bytes (for the analyzer). */
  tapCapture(endpoint: string): { name: string; bytes: Uint8Array } {
    const net = this.require();
    const tap = net.port(endpoint)?.tap;
    if (!tap) throw new EngineError('bad-request', `${endpoint} is not a tapped interface.`);
    const epoch = net.kernel.epoch;
    const chunks: Uint8Array[] = [];
    const w = createCaptureWriter((c) => chunks.push(c.slice()), 'pcapng', {
      nanosecond: true,
      comment: `Wirelens simulation ${this.name}: ${endpoint}`,
    });
    const id = w.addInterface({ linkType: LINKTYPE_ETHERNET, snapLen: 262144, name: endpoint });
    for (const r of tap.records)
      w.writePacket({
        interfaceId: id,
        tsSec: epoch + Math.floor(r.time / SECOND),
        tsNsec: r.time % SECOND,
        data: r.data,
      });
    w.close();
    return { name: `${this.name}-${endpoint.replace('.', '-')}.pcapng`, bytes: concatBytes(chunks) };
  }

  /** The whole scenario run to its end (a fresh network), every tap of the scenario in one
   * pcapng: File → New Trace from Scenario. */
  generate(preset: string): { name: string; bytes: Uint8Array } {
    const p = findPreset(preset);
    if (!p) throw new EngineError('bad-request', `There is no preset "${preset}".`);
    const topology = parseTopology(p.topology, `${p.name} (topology)`);
    const loaded = loadScenario(p.scenario, `${p.name} (scenario)`, { topologyText: p.topology });
    const net = new Network(topology, { seed: loaded.scenario.seed, recording: false });
    net.runScenario(loaded.scenario);
    const chunks: Uint8Array[] = [];
    net.writeCombined((c) => chunks.push(c.slice()), `Wirelens: ${p.name} — ${p.title}`);
    return { name: `${p.name}.pcapng`, bytes: concatBytes(chunks) };
  }

  private graph(t: TopologySpec): SimGraphDTO {
    const net = this.net!;
    const nodes = Object.entries(t.nodes).map(([id, n]) => ({
      id,
      kind: n.kind,
      interfaces: [...(net.devices.get(id)?.ports.keys() ?? [])],
    }));
    const links = net.links.map((l, i) => {
      const spec = t.links?.[i];
      const label: string[] = [];
      if (spec && !Array.isArray(spec)) {
        if (spec.delay !== undefined) label.push(String(spec.delay));
        if (spec.bandwidth !== undefined) label.push(String(spec.bandwidth));
        if (spec.loss) label.push(`loss ${spec.loss}`);
      }
      return { id: `link${i}`, ends: l.ends.map((p) => p.fullName), label: label.join(' ') };
    });
    return { nodes, links, taps: [...this.userTaps] };
  }

  private require(): Network {
    if (!this.net) throw new EngineError('no-simulation', 'No simulation is loaded.');
    return this.net;
  }
}

/** `links[3].b: no interface "eth9" on node "R" (line 14)` → path, message, line. */
function problemOf(file: 'topology' | 'scenario', text: string): SimProblemDTO {
  const m = /^(.*?)(?: \(line (\d+)\))?$/s.exec(text)!;
  const body = m[1]!;
  const colon = /^([\w[\].-]+|\(top level\)): (.*)$/s.exec(body);
  const p: SimProblemDTO = { file, message: colon ? colon[2]! : body };
  if (colon) p.path = colon[1]!;
  if (m[2]) p.line = Number(m[2]);
  return p;
}

function problemsOf(e: SpecError): SimProblemDTO[] {
  const file = e.file.startsWith('topology') || e.file.includes('(topology)') ? 'topology' : 'scenario';
  return e.problems.map((t) => problemOf(file, t));
}

/** The Engine API's replay options, checked (they come from the front end). */
function checkReplayOptions(v: unknown): {
  topology: string;
  map?: string[];
  speed?: number;
  count?: number;
} {
  const o = v as Record<string, unknown>;
  const bad = (m: string): never => {
    throw new EngineError('bad-request', m);
  };
  if (typeof o.topology !== 'string' || !o.topology.trim())
    bad('topology must be YAML text or a preset name.');
  if (
    o.map !== undefined &&
    (!Array.isArray(o.map) || o.map.length > 10_000 || !o.map.every((m) => typeof m === 'string'))
  )
    bad('map must be a list of ADDR=NODE strings.');
  if (o.speed !== undefined && !(typeof o.speed === 'number' && Number.isFinite(o.speed) && o.speed > 0))
    bad('speed must be a positive number.');
  if (o.count !== undefined && !(Number.isInteger(o.count) && (o.count as number) >= 1))
    bad('count must be a whole number from 1.');
  return o as { topology: string; map?: string[]; speed?: number; count?: number };
}
