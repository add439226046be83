// The in-process engine: one open capture at a time. Opening streams the file once through the
// fast dissect path (no tree, no column strings) so per-capture state (TCP bases, IP
// reassembly) is built in packet order and each packet's malformed bit and colour rule are
// known; rows and details are then decoded again on demand from the file by offset, as a
// revisit (`visited = true`), so strings exist only for rows someone asked for.
import '../protocols';
import { openCaptureBytes, openCaptureFile, type CaptureFileInfo, type CaptureReader } from '../capture';
import { Dissection } from '../dissect/dissection';
import { hexDumpToCapture, HexDumpError } from '../capture/hexdump';
import { FrameSequence, emptyFrameMeta } from '../dissect/frame-sequence';
import { fieldList, fieldsByAbbrev, type FieldValue } from '../dissect/fields';
import { dissectPacket } from '../dissect/packet';
import { CaptureState } from '../dissect/state';
import type {
  CaptureSummary,
  EngineApi,
  EngineEvent,
  InterfaceInfo,
  PacketDetail,
  PacketRow,
  ColorRuleDTO,
  FilterCheck,
  FilterCompletion,
  FilterResult,
  ExpertEntryDTO,
  FlowGraphDTO,
  FollowDTO,
  HttpExchangeDTO,
  HttpObjectDTO,
  IoGraphDTO,
  StatsDTO,
  StatsOptionsDTO,
  SimInspectDTO,
  SimLoadDTO,
  SimReplayDTO,
  SimReplayOptions,
  SimPresetDTO,
  SimProblemDTO,
  SimRunDTO,
} from './api';
import { Colorizer, DEFAULT_COLOR_RULES, type ColorRule } from './coloring';
import { compileForEngine, factsBytesPass, factsPass, filterPass } from './display-filter';
import { FilterFacts } from './filter-facts';
import { checkFilter as checkFilterText, filterCompletions, filterReferences, FilterError } from '../filter';
import { treeNodeDTO } from './tree-dto';
import { EngineError } from './errors';
import { PacketIndex } from './packet-index';
import { CaptureAnalysis, indexPackets } from './analysis';

export interface EngineOptions {
  /** A shared cancel flag (index 0 ≠ 0 means cancel), set from another thread by the worker
   * client while this engine is busy in `open`. */
  cancelFlag?: Int32Array;
  /** Yield to the event loop during `open` (in-process use, so `cancel()` calls and progress
   * listeners get a chance to run). A worker does not need it: it polls `cancelFlag`. */
  yieldDuringOpen?: boolean;
  /** Minimum interval between progress events. */
  progressIntervalMs?: number;
  /** Clear the cancel flag when an open starts (default). The worker client clears it itself
   * before sending the request, so that a cancel sent just after is never lost. */
  resetCancelOnOpen?: boolean;
}

interface OpenCapture {
  name: string;
  path?: string;
  reader: CaptureReader;
  index: PacketIndex;
  state: CaptureState;
  summary: CaptureSummary;
  comments: Map<number, string[]>;
  /** Ports, flags, addresses and protocols per packet, for filters that need no decoding. */
  facts: FilterFacts;
  /** 0-based indexes of the packets the display filter matched (absent: no filter). */
  displayed?: Uint32Array;
  filterExpr?: string;
}

const CHECK_EVERY = 2048;

export class Engine implements EngineApi {
  private current: OpenCapture | null = null;
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly cancelFlag: Int32Array;
  private readonly yieldDuringOpen: boolean;
  private readonly progressIntervalMs: number;
  private readonly resetCancelOnOpen: boolean;
  private generation = 0;
  /** Reused for row decoding. */
  private readonly rowDissection = new Dissection();
  private colorizer: Colorizer;
  /** Bumped by each filter pass, so an older pass still running stops. */
  private filterGeneration = 0;

  constructor(opts: EngineOptions = {}) {
    this.cancelFlag = opts.cancelFlag ?? new Int32Array(1);
    this.yieldDuringOpen = opts.yieldDuringOpen ?? true;
    this.progressIntervalMs = opts.progressIntervalMs ?? 100;
    this.resetCancelOnOpen = opts.resetCancelOnOpen ?? true;
    this.colorizer = new Colorizer();
  }

  onEvent(cb: (e: EngineEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  async openFile(path: string): Promise<CaptureSummary> {
    const reader = openCaptureFile(path);
    const name = path.split(/[\\/]/).pop() ?? path;
    return this.load(reader, name, path);
  }

  async openBytes(name: string, bytes: Uint8Array): Promise<CaptureSummary> {
    return this.load(openCaptureBytes(bytes, name), name);
  }

  async openDemo(): Promise<CaptureSummary> {
    // Loaded on demand: the demo's encoders are not needed to read files.
    const { demoCaptureBytes } = await import('./demo-capture');
    return this.openBytes('demo.pcapng', demoCaptureBytes());
  }

  async importHex(text: string, link: 'ether' | 'ip'): Promise<CaptureSummary> {
    let bytes: Uint8Array;
    try {
      bytes = hexDumpToCapture(text, link).bytes;
    } catch (e) {
      if (e instanceof HexDumpError)
        throw new EngineError('bad-dump', `The hex dump cannot be imported: ${e.message}.`);
      throw e;
    }
    return this.openBytes('Imported from hex dump', bytes);
  }

  async cancel(): Promise<void> {
    Atomics.store(this.cancelFlag, 0, 1);
  }

  async info(): Promise<CaptureSummary | null> {
    return this.current?.summary ?? null;
  }

  async rows(start: number, count: number): Promise<PacketRow[]> {
    const c = this.require();
    const out: PacketRow[] = [];
    const from = Math.max(0, Math.floor(start));
    const shown = c.displayed ? c.displayed.length : c.index.count;
    const to = Math.min(shown, from + Math.max(0, Math.floor(count)));
    const rules = this.colorizer.rules;
    for (let k = from; k < to; k++) {
      // With a display filter, row k is the k-th matching packet.
      const i = c.displayed ? c.displayed[k]! : k;
      const p = this.decodeAgain(c, i, false, this.rowDissection);
      const row: PacketRow = {
        number: i + 1,
        time: relativeSeconds(c.index, i),
        source: p.cols.src,
        destination: p.cols.dst,
        protocol: p.cols.protocol,
        length: c.index.origLen[i]!,
        info: p.cols.info,
      };
      const ci = c.index.color[i]!;
      if (ci >= 0) {
        const r = rules[ci]!;
        row.color = { name: r.name, fg: r.fg, bg: r.bg };
      }
      if (c.index.isMalformed(i)) row.malformed = true;
      const severity = expertSeverity(p.issues);
      if (severity) row.severity = severity;
      out.push(row);
    }
    return out;
  }

  async packet(number: number): Promise<PacketDetail> {
    const c = this.require();
    const i = Math.floor(number) - 1;
    if (!(i >= 0 && i < c.index.count)) {
      throw new EngineError(
        'bad-request',
        `There is no packet ${number} (the capture has ${c.index.count}).`,
      );
    }
    const p = this.decodeAgain(c, i, true, new Dissection());
    return {
      number: i + 1,
      tree: p.roots.map(treeNodeDTO),
      sources: p.sources.map((s) => ({ name: s.name, base64: Buffer.from(s.bytes).toString('base64') })),
      issues: p.issues.map((x) => ({ ...x })),
    };
  }

  // ---- display filters and colouring rules (issue 5) ----

  async checkFilter(expr: string): Promise<FilterCheck> {
    return checkFilterText(expr);
  }

  async completions(prefix: string): Promise<FilterCompletion[]> {
    return filterCompletions(prefix);
  }

  async filter(expr: string, selected?: number): Promise<FilterResult> {
    const c = this.require();
    const started = performance.now();
    const total = c.index.count;
    if (expr.trim() === '') {
      delete c.displayed;
      delete c.filterExpr;
      return { expr, displayed: total, total, milliseconds: 0 };
    }
    const compiled = compileForEngine(expr, this.referenceValues(c, expr, selected));
    const generation = this.generation;
    const mine = ++this.filterGeneration;
    if (this.resetCancelOnOpen) Atomics.store(this.cancelFlag, 0, 0);
    let lastProgress = started;
    const hooks = {
      cancelled: () =>
        Atomics.load(this.cancelFlag, 0) !== 0 ||
        generation !== this.generation ||
        mine !== this.filterGeneration,
      progress: (done: number, all: number, matched: number) => {
        const now = performance.now();
        if (done < all && now - lastProgress < this.progressIntervalMs) return;
        lastProgress = now;
        this.emit({ type: 'filterProgress', progress: { done, total: all, matched } });
      },
      ...(this.yieldDuringOpen ? { yieldEvery: 50 } : {}),
    };
    // Filters on ports, flags, addresses and protocols are answered from the open pass's facts.
    const scratch = new Dissection();
    const covered = c.facts.covers(compiled);
    const displayed =
      covered === 'bytes'
        ? await factsBytesPass(
            c.reader,
            c.state,
            total,
            compiled,
            c.facts.view(compiled, (i) => c.index.origLen[i]!),
            (i) => c.facts.isComplex(i, compiled),
            hooks,
          )
        : covered === 'facts'
          ? await factsPass(
              total,
              compiled,
              c.facts.view(compiled, (i) => c.index.origLen[i]!),
              (i) => c.facts.isComplex(i, compiled),
              (i, wanted) => this.decodeAgain(c, i, false, scratch, wanted),
              hooks,
            )
          : await filterPass(c.reader, c.state, total, compiled, hooks);
    c.displayed = displayed;
    c.filterExpr = expr;
    return {
      expr,
      displayed: displayed.length,
      total,
      milliseconds: Math.round(performance.now() - started),
    };
  }

  async colorRules(): Promise<ColorRuleDTO[]> {
    return this.colorizer.rules.map((r) => ({
      name: r.name,
      filter: r.filter,
      fg: r.fg,
      bg: r.bg,
      enabled: r.enabled,
    }));
  }

  async setColorRules(rules: ColorRuleDTO[]): Promise<void> {
    const list: ColorRule[] = rules.map((r) => ({ ...r }));
    let colorizer: Colorizer;
    try {
      colorizer = new Colorizer(list);
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      // Name the first rule whose filter does not compile.
      const bad = list.find((r) => r.enabled && checkFilterText(r.filter).status === 'invalid');
      throw new EngineError('bad-filter', `Colouring rule "${bad?.name ?? '?'}": ${e.message}`);
    }
    this.colorizer = colorizer;
    const c = this.current;
    if (c) await this.recolor(c);
  }

  /** The default colouring rules (what a "reset" in the UI restores). */
  async defaultColorRules(): Promise<ColorRuleDTO[]> {
    return DEFAULT_COLOR_RULES.map((r) => ({ ...r }));
  }

  // ---- analysis (issue 4): core/engine/analysis.ts over the open capture ----

  async stats(kind: string, options?: StatsOptionsDTO): Promise<StatsDTO> {
    return this.analysis().stats(kind, options);
  }
  async follow(
    protocol: 'tcp' | 'udp' | 'http',
    stream: number,
    format?: 'ascii' | 'hex' | 'raw' | 'yaml',
  ): Promise<FollowDTO> {
    return this.analysis().follow(protocol, stream, format);
  }
  async httpExchanges(): Promise<HttpExchangeDTO[]> {
    return this.analysis().httpExchanges();
  }
  async exportHar(): Promise<string> {
    return this.analysis().exportHar();
  }
  async exportObject(id: number): Promise<HttpObjectDTO> {
    return this.analysis().exportObject(id);
  }
  async ioGraph(options: { interval: number; filters?: string[] }): Promise<IoGraphDTO> {
    return this.analysis().ioGraph(options);
  }
  async flowGraph(options?: { stream?: number }): Promise<FlowGraphDTO> {
    return this.analysis().flowGraph(options);
  }
  async expertInfo(): Promise<ExpertEntryDTO[]> {
    return this.analysis().expertInfo();
  }

  // ---- the simulator (issue 6): core/engine/sim.ts, loaded on first use ----

  private simSession: import('./sim').SimSession | undefined;
  private async sim(): Promise<import('./sim').SimSession> {
    if (!this.simSession) this.simSession = new (await import('./sim')).SimSession();
    return this.simSession;
  }
  async simPresets(): Promise<SimPresetDTO[]> {
    return (await this.sim()).presets();
  }
  async simSchemas(): Promise<{ topology: unknown; scenario: unknown }> {
    return (await this.sim()).schemas();
  }
  async simLoad(topology: string, scenario: string): Promise<SimLoadDTO> {
    return (await this.sim()).load(topology, scenario);
  }
  async simCheck(topology: string, scenario: string): Promise<SimProblemDTO[]> {
    return (await this.sim()).check(topology, scenario);
  }
  async simLoadPreset(name: string): Promise<SimLoadDTO> {
    return (await this.sim()).loadPreset(name);
  }
  async simRun(options: { until?: number; steps?: number }): Promise<SimRunDTO> {
    return (await this.sim()).run(options);
  }
  async simEventPacket(index: number): Promise<PacketDetail> {
    return (await this.sim()).eventPacket(index);
  }
  async simInspect(node: string, time?: number): Promise<SimInspectDTO> {
    return (await this.sim()).inspect(node, time);
  }
  async simOpenTap(endpoint: string): Promise<CaptureSummary> {
    const { name, bytes } = (await this.sim()).tapCapture(endpoint);
    return this.openBytes(name, bytes);
  }
  async generate(preset: string): Promise<CaptureSummary> {
    const { name, bytes } = (await this.sim()).generate(preset);
    return this.openBytes(name, bytes);
  }
  async replay(options: SimReplayOptions): Promise<SimReplayDTO> {
    const c = this.require();
    return (await this.sim()).loadReplay(c.reader, c.name, options);
  }

  private readonly analyses = new WeakMap<OpenCapture, CaptureAnalysis>();
  private analysis(): CaptureAnalysis {
    const c = this.require();
    let a = this.analyses.get(c);
    if (!a) {
      a = new CaptureAnalysis(() => indexPackets(c.reader, c.index));
      this.analyses.set(c, a);
    }
    return a;
  }

  /** Closes the open capture (releases the reader). */
  close(): void {
    this.current?.reader.close();
    this.current = null;
  }

  /** Bytes held by the per-packet arrays of the open capture (memory diagnostics). */
  get indexBytes(): number {
    return this.current?.index.byteSize ?? 0;
  }

  /** Number of packets of the open capture (0 when none). */
  get packetCount(): number {
    return this.current?.index.count ?? 0;
  }

  // ---- internals ----

  /** `${field}` values of the selected packet (decoded again with just those fields). */
  private referenceValues(
    c: OpenCapture,
    expr: string,
    selected: number | undefined,
  ): ((f: { id: number }) => FieldValue[]) | undefined {
    const names = filterReferences(expr);
    if (!names.length || selected === undefined || selected < 1 || selected > c.index.count) return undefined;
    const wanted = new Uint8Array(fieldList.length);
    for (const n of names) wanted[fieldsByAbbrev.get(n)!.id] = 1;
    const p = this.decodeAgain(c, selected - 1, false, new Dissection(), wanted);
    const byField = new Map<number, FieldValue[]>();
    p.valueFields.forEach((f, k) => {
      const list = byField.get(f.id) ?? [];
      // Views into the reader's buffer: copy what outlives this call.
      const v = p.values[k]!;
      list.push(v instanceof Uint8Array ? v.slice() : v);
      byField.set(f.id, list);
    });
    return (f) => byField.get(f.id) ?? [];
  }

  /** Colours every packet again with the current rules (after `setColorRules`). */
  private async recolor(c: OpenCapture): Promise<void> {
    const colorizer = this.colorizer;
    const wanted = new Uint8Array(fieldList.length);
    colorizer.markWanted(wanted);
    const p = new Dissection();
    const frames = new FrameSequence(c.reader.info.interfaces);
    const opts = { tree: false, columns: false, wanted };
    let i = 0;
    for (const r of c.reader.records()) {
      if (i >= c.index.count) break;
      dissectPacket(frames.next(r), r.data, c.state, opts, p, true);
      c.index.color[i++] = colorizer.classify(p);
      if ((i & 8191) === 0 && this.yieldDuringOpen)
        await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.current !== c || this.colorizer !== colorizer) return;
    }
  }

  private require(): OpenCapture {
    if (!this.current) throw new EngineError('bad-request', 'No capture is open.');
    return this.current;
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  private async load(reader: CaptureReader, name: string, path?: string): Promise<CaptureSummary> {
    const generation = ++this.generation;
    if (this.resetCancelOnOpen) Atomics.store(this.cancelFlag, 0, 0);
    const started = performance.now();
    // A new open replaces the old capture at once: its reader is no longer needed.
    this.close();
    const index = new PacketIndex();
    const state = new CaptureState();
    const comments = new Map<number, string[]>();
    const wanted = new Uint8Array(fieldList.length);
    this.colorizer.markWanted(wanted);
    const facts = new FilterFacts();
    facts.markWanted(wanted);
    const opts = { tree: false, columns: false, wanted };
    const p = new Dissection();
    const frames = new FrameSequence(reader.info.interfaces);
    let bytes = 0;
    let malformed = 0;
    let lastProgress = started;
    let lastYield = started;
    try {
      for (const r of reader.records()) {
        const i = index.push(r.offset, r.tsSec, r.tsNsec, r.capLen, r.origLen, r.interfaceId);
        const meta = frames.next(r);
        if (r.comments?.length) comments.set(i, r.comments.slice());
        bytes += r.capLen;
        dissectPacket(meta, r.data, state, opts, p, false);
        if (p.malformed) {
          index.setMalformed(i);
          malformed++;
        }
        index.color[i] = this.colorizer.classify(p);
        facts.record(i, p);

        if ((i & (CHECK_EVERY - 1)) === CHECK_EVERY - 1) {
          if (Atomics.load(this.cancelFlag, 0) !== 0 || generation !== this.generation) throw cancelled();
          const now = performance.now();
          if (now - lastProgress >= this.progressIntervalMs) {
            lastProgress = now;
            this.emit({
              type: 'progress',
              progress: { bytesRead: reader.position, totalBytes: reader.size, packets: index.count },
            });
          }
          if (this.yieldDuringOpen && now - lastYield >= 50) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            lastYield = performance.now();
            if (Atomics.load(this.cancelFlag, 0) !== 0 || generation !== this.generation) throw cancelled();
          }
        }
      }
    } catch (e) {
      reader.close();
      throw e;
    }
    if (Atomics.load(this.cancelFlag, 0) !== 0 || generation !== this.generation) {
      reader.close();
      throw cancelled();
    }
    this.emit({
      type: 'progress',
      progress: { bytesRead: reader.position, totalBytes: reader.size, packets: index.count },
    });
    const info = reader.info;
    const n = index.count;
    const firstTime = n ? index.tsSec[0]! + index.tsNsec[0]! / 1e9 : undefined;
    const lastTime = n ? index.tsSec[n - 1]! + index.tsNsec[n - 1]! / 1e9 : undefined;
    const summary: CaptureSummary = {
      name,
      format: info.format,
      formatDescription: info.compressed
        ? `gzip-compressed ${info.formatDescription}`
        : info.formatDescription,
      compressed: info.compressed,
      fileSize: info.fileSize,
      packets: n,
      bytes,
      durationSeconds: n ? relativeSeconds(index, n - 1) : 0,
      interfaces: interfaceInfo(info),
      comments: [...info.comments],
      malformedPackets: malformed,
      loadMilliseconds: Math.round(performance.now() - started),
    };
    if (path !== undefined) summary.path = path;
    if (firstTime !== undefined) summary.firstTime = firstTime;
    if (lastTime !== undefined) summary.lastTime = lastTime;
    if (reader.damage) summary.damage = { offset: reader.damage.offset, reason: reader.damage.reason };
    this.current = { name, reader, index, state, summary, comments, facts };
    if (path !== undefined) this.current.path = path;
    return summary;
  }

  /** Decodes packet `i` again from the file, as a revisit of the first pass. */
  private decodeAgain(
    c: OpenCapture,
    i: number,
    tree: boolean,
    into: Dissection,
    wanted: Uint8Array | null = null,
  ): Dissection {
    const idx = c.index;
    const meta = idx.frameMeta(i, c.reader.info.interfaces, emptyFrameMeta());
    const cm = c.comments.get(i);
    if (cm) meta.comments = cm;
    const data = c.reader.readPacketAt(idx.offset[i]!);
    return dissectPacket(meta, data, c.state, { tree, columns: !wanted, wanted }, into, true);
  }
}

function relativeSeconds(idx: PacketIndex, i: number): number {
  return idx.tsSec[i]! - idx.tsSec[0]! + (idx.tsNsec[i]! - idx.tsNsec[0]!) / 1e9;
}

function cancelled(): EngineError {
  return new EngineError('cancelled', 'Opening the capture was cancelled.');
}

/** The capture's interfaces as the Engine API describes them (also used by `wirelens info`). */
export function interfaceInfo(info: CaptureFileInfo): InterfaceInfo[] {
  return info.interfaces.map((f) => ({
    id: f.id,
    linkType: f.linkType,
    linkTypeName: f.linkTypeName,
    snapLen: f.snapLen,
    tsResolution: f.tsResolution,
    packets: f.packets,
    ...(f.name !== undefined ? { name: f.name } : {}),
    ...(f.description !== undefined ? { description: f.description } : {}),
  }));
}

const SEVERITY_RANK = { chat: 1, note: 2, warn: 3, error: 4 } as const;

/** The highest severity among `issues` when it is above chat (the packet list's expert marker). */
export function expertSeverity(
  issues: readonly { severity: string }[],
): 'note' | 'warn' | 'error' | undefined {
  let best = 0;
  for (const issue of issues)
    best = Math.max(best, SEVERITY_RANK[issue.severity as keyof typeof SEVERITY_RANK] ?? 0);
  return best === 4 ? 'error' : best === 3 ? 'warn' : best === 2 ? 'note' : undefined;
}
