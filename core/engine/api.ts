// The Engine API: one JSON-serialisable service used by every front end (CLI in-process,
// Electron over IPC, browser mode over WebSocket), in the spirit of Wireshark's sharkd.
// This file holds only types so the renderer can import it without pulling in the engine.
import type { FlowGraph, IoGraphResult } from '../analysis/stats-types';

export interface InterfaceInfo {
  id: number;
  linkType: number;
  linkTypeName: string;
  name?: string;
  description?: string;
  snapLen: number;
  /** Timestamp resolution, e.g. `1e-6` or `2^-20`. */
  tsResolution: string;
  packets: number;
}

export interface CaptureDamageInfo {
  /** Byte offset in the (decompressed) file where reading stopped. */
  offset: number;
  reason: string;
}

export interface CaptureSummary {
  /** File name (no directory) or the name given to opened bytes. */
  name: string;
  path?: string;
  format: 'pcap' | 'pcapng';
  /** e.g. `pcap (nanosecond)`, `pcapng`; prefixed `gzip-compressed` when it was. */
  formatDescription: string;
  compressed: boolean;
  fileSize: number;
  packets: number;
  /** Sum of captured lengths. */
  bytes: number;
  /** Seconds since the epoch, with fraction; absent for an empty capture. */
  firstTime?: number;
  lastTime?: number;
  durationSeconds: number;
  interfaces: InterfaceInfo[];
  comments: string[];
  /** Set when the file is damaged: it was read up to `offset`. */
  damage?: CaptureDamageInfo;
  malformedPackets: number;
  loadMilliseconds: number;
}

/** One line of the packet list. */
export interface PacketRow {
  number: number;
  /** Seconds since the first packet. */
  time: number;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  /** Colouring rule that matched (Wireshark's default rule names), with its colours. */
  color?: { name: string; fg: string; bg: string };
  malformed?: boolean;
  /** The highest severity of the packet's expert items when it is note, warn or error (Wireshark's
   * `_ws.expert.severity` column; chat items, e.g. every SYN, are left out). */
  severity?: 'note' | 'warn' | 'error';
}

export interface TreeNodeDTO {
  label: string;
  field?: string;
  start: number;
  end: number;
  /** Data source index; 0 (absent) is the frame. */
  ds?: number;
  severity?: 'chat' | 'note' | 'warn' | 'error';
  generated?: boolean;
  /** The display filter that selects this item ("Apply as Filter"), e.g. `ip.src == 192.0.2.1`,
   * `tcp`; absent for text-only items. */
  filter?: string;
  children?: TreeNodeDTO[];
}

export interface PacketDetail {
  number: number;
  tree: TreeNodeDTO[];
  /** Bytes of each data source, base64-encoded (the frame first). */
  sources: { name: string; base64: string }[];
  issues: { kind: string; severity: string; protocol: string; message: string; start: number; end: number }[];
}

export interface OpenProgress {
  /** Bytes read so far and the total (decompressed for gzip, so total may be an estimate). */
  bytesRead: number;
  totalBytes: number;
  packets: number;
}

/** What every transport exposes. Methods are async so that transports can be remote. */
export interface EngineApi extends FilterApi, AnalysisApi, SimApi {
  /** Opens a capture file by path; progress is reported through `onProgress`. */
  openFile(path: string): Promise<CaptureSummary>;
  /** Opens capture bytes (drag and drop in the browser, tests). */
  openBytes(name: string, bytes: Uint8Array): Promise<CaptureSummary>;
  /** Opens the built-in demo capture (seed scenario 1). */
  openDemo(): Promise<CaptureSummary>;
  /** Opens the packets of a hex dump (File → Import from Hex Dump); a wrong line is an error
   * (`code` `bad-dump`) naming it. */
  importHex(text: string, link: 'ether' | 'ip'): Promise<CaptureSummary>;
  /** Cancels a running open; the promise rejects with a cancellation error. */
  cancel(): Promise<void>;
  info(): Promise<CaptureSummary | null>;
  /** Rows `[start, start + count)` by 0-based position in the packet list. */
  rows(start: number, count: number): Promise<PacketRow[]>;
  packet(number: number): Promise<PacketDetail>;
}

/** Display filters and colouring rules (issue 5). */
export interface FilterApi {
  /** Validates a display filter as the user types (no packets are read). */
  checkFilter(expr: string): Promise<FilterCheck>;
  /** Applies a display filter ('' clears it): afterwards `rows` pages the packets it matched.
   * `selected` is the packet `${field}` references read from. Progress events; `cancel` stops. */
  filter(expr: string, selected?: number): Promise<FilterResult>;
  /** Field, protocol, function and value-string names for the filter bar's completion. */
  completions(prefix: string): Promise<FilterCompletion[]>;
  /** The colouring rules in order (the first that matches colours a row). */
  colorRules(): Promise<ColorRuleDTO[]>;
  /** Replaces the colouring rules (each filter is compiled; a bad one rejects the whole list
   * with a `bad-filter` error naming the rule) and recolours the open capture. */
  setColorRules(rules: ColorRuleDTO[]): Promise<void>;
  /** Wireshark's default colouring rules (what "Reset" restores). */
  defaultColorRules(): Promise<ColorRuleDTO[]>;
}

/** A colouring rule as the UI edits it; colours are CSS `#rrggbb`. */
export interface ColorRuleDTO {
  name: string;
  filter: string;
  fg: string;
  bg: string;
  enabled: boolean;
}

/** Where in the expression a problem is: 0-based `[start, end)` in UTF-16 units. */
export interface FilterProblem {
  message: string;
  start: number;
  end: number;
}

export interface FilterCheck {
  /** `valid`: green; `suspicious`: yellow (valid, but e.g. `!=` on a multi-occurrence field);
   * `invalid`: red. An empty expression is `valid`. */
  status: 'valid' | 'suspicious' | 'invalid';
  error?: FilterProblem;
  warnings: FilterProblem[];
}

export interface FilterResult {
  expr: string;
  /** Packets matched (the displayed count) and in the capture. */
  displayed: number;
  total: number;
  milliseconds: number;
}

export interface FilterCompletion {
  /** What to insert, e.g. `tcp.port`, `len(`, `"GET"`. */
  label: string;
  kind: 'protocol' | 'field' | 'function' | 'value';
  /** Field type (`uint16`, `ipv4`…) for fields; the value for value-string entries. */
  detail?: string;
  description?: string;
}

/** Events an engine emits while working. */
export type EngineEvent =
  | { type: 'progress'; progress: OpenProgress }
  /** A display-filter pass: packets examined so far of `total`, and how many matched. */
  | { type: 'filterProgress'; progress: { done: number; total: number; matched: number } };

/** A user-facing error: `message` is complete and meant to be shown as is. */
export interface EngineErrorDTO {
  message: string;
  /** e.g. `not-a-capture`, `cancelled`, `unreadable`, `bad-request`. */
  code: string;
}

/**
 * The `window.wirelens` object the Electron preload exposes: the Engine API plus engine events
 * and the native open dialog. Browser mode offers the same shape over a WebSocket.
 */
export interface WirelensBridge extends EngineApi {
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Shows the native open dialog and opens the chosen file; `null` when the user cancels. */
  openDialog(): Promise<CaptureSummary | null>;
  /** Subscribes to opens started outside the renderer (menu, second instance, macOS `open-file`). */
  onOpened(listener: (outcome: OpenOutcome) => void): () => void;
  /** The file-system path of a dropped file, so a large capture is read from disk, not copied. */
  pathForFile(file: unknown): string;
}

/** How an open started outside the renderer ended. */
export type OpenOutcome = { summary: CaptureSummary } | { error: EngineErrorDTO };

/** Statistics, follow stream, HTTP exchanges, I/O and flow graphs, expert info (issue 4).
 * Each call reads the open capture once more from its first packet. */
export interface AnalysisApi {
  /** `kind`: `conv,eth|ip|ipv6|tcp|udp`, `endpoints,…`, `phs`, `expert` or `io,INTERVAL`;
   * `text` is what `tshark -q -z` prints for it. */
  stats(kind: string, options?: StatsOptionsDTO): Promise<StatsDTO>;
  /** One TCP or UDP stream's data as chunks (or, for `http`, the HTTP messages of TCP stream
   * `stream`: heads as sent, bodies decoded), plus the text `tshark -z follow` prints. */
  follow(
    protocol: 'tcp' | 'udp' | 'http',
    stream: number,
    format?: 'ascii' | 'hex' | 'raw' | 'yaml',
  ): Promise<FollowDTO>;
  /** HTTP requests paired with responses (headers, sizes, times; bodies via exportObject). */
  httpExchanges(): Promise<HttpExchangeDTO[]>;
  /** The HTTP exchanges as a HAR 1.2 document (JSON text). */
  exportHar(): Promise<string>;
  /** Export Objects → HTTP: one object (a decoded body) with Wireshark's file name; ids are
   * `requestObject` / `responseObject` of `httpExchanges`, 1-based in frame order. */
  exportObject(id: number): Promise<HttpObjectDTO>;
  /** Packets and bytes per interval: all packets, then one series per display filter. */
  ioGraph(options: { interval: number; filters?: string[] }): Promise<IoGraphDTO>;
  /** Sequence diagram of one TCP stream or of the whole capture. */
  flowGraph(options?: { stream?: number }): Promise<FlowGraphDTO>;
  /** Expert items grouped by severity, group, protocol and summary, with their frames. */
  expertInfo(): Promise<ExpertEntryDTO[]>;
}

export interface StatsOptionsDTO {
  /** Nothing yet: reserved for a display filter as tshark's `-z conv,tcp,FILTER`. */
  filter?: string;
}

export interface StatsDTO {
  kind: string;
  /** The structured result: `conversations`, `endpoints`, `root` (hierarchy), `entries`
   * (expert) or `buckets` (I/O), as core/analysis/stats.ts's StatsResult. */
  result: unknown;
  text: string;
}

// The shapes inside StatsDTO.result, for the views that read them (type-only: no analysis code
// reaches the renderer).
export type {
  Conversation as ConversationDTO,
  ConversationKind,
  Endpoint as EndpointDTO,
  HierarchyNode as HierarchyNodeDTO,
} from '../analysis/stats-types';
export type IoGraphDTO = IoGraphResult;
export type FlowGraphDTO = FlowGraph;
import type { ReplaySummary } from '../replay/types';
export type { ReplaySummary } from '../replay/types';

export interface FollowDTO {
  protocol: 'tcp' | 'udp' | 'http';
  stream: number;
  filter: string;
  client?: { address: string; port: number };
  server?: { address: string; port: number };
  chunks: { peer: 0 | 1; frame: number; time: number; base64: string; missing?: boolean }[];
  bytes: [number, number];
  text: string;
}

export interface HttpExchangeDTO {
  id: number;
  time: number;
  relTime: number;
  duration?: number;
  client?: { address: string; port: number };
  server?: { address: string; port: number };
  stream: number;
  version: string;
  method: string;
  host: string;
  uri: string;
  fullUri: string;
  status: number;
  phrase: string;
  reqFrame: number;
  resFrame: number;
  requestHeaders: [string, string][];
  responseHeaders: [string, string][];
  requestContentType: string;
  responseContentType: string;
  requestBodySize: number;
  responseBodySize: number;
  /** Decoded body lengths (0 when none was kept). */
  requestBodyLength: number;
  responseBodyLength: number;
  /** Export object ids of the bodies (see exportObject). */
  requestObject?: number;
  responseObject?: number;
  bodyTruncated: boolean;
  decodeError?: string;
}

export interface HttpObjectDTO {
  id: number;
  frame: number;
  hostname: string;
  contentType: string;
  filename: string;
  base64: string;
}

export interface ExpertEntryDTO {
  severity: 'chat' | 'note' | 'warn' | 'error';
  group: string;
  protocol: string;
  summary: string;
  count: number;
  frames: number[];
}

/** The network simulator for the Simulation view (issue 6, "In the app"): one loaded network at
 * a time, played forward by `simRun`. Times are simulated seconds. */
export interface SimApi {
  /** The presets (`scenario-N` of SEEDS.md…) with their topology and scenario YAML. */
  simPresets(): Promise<SimPresetDTO[]>;
  /** The JSON Schemas of topology and scenario files (the YAML editors' completion). */
  simSchemas(): Promise<{ topology: unknown; scenario: unknown }>;
  /** Checks and builds a network from YAML (nothing runs yet); problems name path and line. */
  simLoad(topology: string, scenario: string): Promise<SimLoadDTO>;
  /** The problems `simLoad` would report, without building anything (the editors' markers). */
  simCheck(topology: string, scenario: string): Promise<SimProblemDTO[]>;
  /** Loads a preset by name or alias. */
  simLoadPreset(name: string): Promise<SimLoadDTO>;
  /** Plays forward to `until` seconds, by `steps` recorded events, or to the end; returns the
   * events recorded since the last call. */
  simRun(options: { until?: number; steps?: number }): Promise<SimRunDTO>;
  /** The layers of event `index`'s packet, as `packet()` gives them. */
  simEventPacket(index: number): Promise<PacketDetail>;
  /** A node's route table, ARP cache, addresses, sockets or MAC table as the tools print them,
   * now or at an earlier `time` (seconds; the network is run again to then). */
  simInspect(node: string, time?: number): Promise<SimInspectDTO>;
  /** Opens a tapped interface's frames so far (`NODE.IFACE`) in the analyzer. */
  simOpenTap(endpoint: string): Promise<CaptureSummary>;
  /** File → New Trace from Scenario: runs a preset to its end and opens its trace. */
  generate(preset: string): Promise<CaptureSummary>;
  /** Replays the open capture's IP datagrams through a topology into the simulation (replacing
   * what was loaded): play, step and inspect it like a scenario. The summary is of the whole
   * replay run to its end at once (core/replay; `wirelens replay`). */
  replay(options: SimReplayOptions): Promise<SimReplayDTO>;
}

export interface SimPresetDTO {
  name: string;
  alias?: string;
  title: string;
  summary: string;
  topology: string;
  scenario: string;
}

export interface SimProblemDTO {
  file: 'topology' | 'scenario';
  /** e.g. `links[3].b`. */
  path?: string;
  /** 1-based line in that file's YAML. */
  line?: number;
  message: string;
}

export interface SimGraphDTO {
  nodes: { id: string; kind: 'host' | 'router' | 'switch' | 'hub'; interfaces: string[] }[];
  /** `ends` are `NODE.IFACE`; `label` gives delay, bandwidth, loss when set. */
  links: { id: string; ends: string[]; label: string }[];
  /** Interfaces the topology or scenario taps. */
  taps: string[];
}

export interface SimLoadDTO {
  ok: boolean;
  problems: SimProblemDTO[];
  graph?: SimGraphDTO;
}

export interface SimReplayOptions {
  /** Topology YAML, or the name or alias of a preset (its topology). */
  topology: string;
  /** `ADDR=NODE` entries, as `wirelens replay --map`. */
  map?: string[];
  /** Capture time is divided by this (default 1). */
  speed?: number;
  /** Replay only the first N IP datagrams. */
  count?: number;
}

export interface SimReplayDTO extends SimLoadDTO {
  /** When ok: the whole replay's accounting, and the same as `wirelens replay` prints it. */
  summary?: ReplaySummary;
  summaryText?: string;
}

export interface SimEventDTO {
  /** Position in the simulation's event list (for simEventPacket). */
  index: number;
  time: number;
  node: string;
  iface?: string;
  kind: string;
  protocol?: string;
  /** Frame number of the event's packet in the capture of `capture`. */
  packet?: number;
  /** The interface (`NODE.IFACE`) whose capture holds the packet: `iface`, or for a forward
   * the port the frame arrived on. */
  capture?: string;
  text: string;
  /** For a frame put on a link: the nodes at the link's other ends (the animation). */
  to?: string[];
}

export interface SimRunDTO {
  time: number;
  events: SimEventDTO[];
  /** More events were recorded than one reply carries: call again (e.g. `steps: 0`). */
  more: boolean;
  /** Nothing is left to run. */
  done: boolean;
  /** The commands and their output so far, as a terminal shows them. */
  transcript: string;
}

export interface SimInspectDTO {
  node: string;
  kind: string;
  time: number;
  /** Tool command → its output lines (`route -n`, `arp -a`, `netstat -ant`, `bridge fdb`…). */
  tables: Record<string, string[]>;
}
