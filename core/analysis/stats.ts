// One pass over a capture that feeds every statistic asked for: conversations, endpoints,
// the protocol hierarchy, I/O intervals and expert information. Packets are decoded on the
// fast path with only the address and port fields the tables need (no tree, no columns).
import '../protocols';
import { Dissection } from '../dissect/dissection';
import { fieldList } from '../dissect/fields';
import { dissectPacket } from '../dissect/packet';
import { CaptureState } from '../dissect/state';
import {
  ConversationTable,
  EndpointTable,
  formatConversationsText,
  formatEndpointsText,
  type Conversation,
  type ConversationKind,
  type Endpoint,
} from './conversations';
import { ExpertInfo, formatExpertText, type ExpertEntry } from './expert';
import { formatIoStatsText, IoStats, type IoBucket } from './io-stats';
import { PacketFacts } from './packet-facts';
import type { PacketSource } from './packet-source';
import {
  formatHierarchyText,
  markHierarchyWanted,
  ProtocolHierarchy,
  type HierarchyNode,
} from './protocol-hierarchy';
import type { IoGraphResult, IoGraphSeries } from './stats-types';

export type { IoGraphResult, IoGraphSeries };

export type StatsRequest =
  | { type: 'conv'; kind: ConversationKind }
  | { type: 'endpoints'; kind: ConversationKind }
  | { type: 'phs' }
  | { type: 'expert' }
  | { type: 'io'; interval: string };

export type StatsResult =
  | { type: 'conv'; kind: ConversationKind; conversations: Conversation[] }
  | { type: 'endpoints'; kind: ConversationKind; endpoints: Endpoint[] }
  | { type: 'phs'; root: HierarchyNode }
  | { type: 'expert'; entries: ExpertEntry[] }
  | {
      type: 'io';
      interval: string;
      intervalSeconds: number;
      durationSeconds: number;
      buckets: IoBucket[];
      text: string;
    };

const KINDS: readonly ConversationKind[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

/** Parses `conv,tcp`, `endpoints,ip`, `phs` (or tshark's `io,phs`), `expert`, `io,0.5` (or `io,stat,0.5`). */
export function parseStatsRequest(spec: string): StatsRequest {
  const parts = spec.split(',');
  const [what, arg, arg2] = parts;
  if ((what === 'conv' || what === 'endpoints') && parts.length === 2) {
    if (!KINDS.includes(arg as ConversationKind))
      throw new RangeError(`unknown ${what} type "${arg}" (one of ${KINDS.join(', ')})`);
    return { type: what, kind: arg as ConversationKind };
  }
  if (spec === 'phs' || spec === 'io,phs') return { type: 'phs' };
  if (spec === 'expert') return { type: 'expert' };
  if (what === 'io') {
    const interval = arg === 'stat' ? arg2 : arg;
    if (interval !== undefined && parts.length === (arg === 'stat' ? 3 : 2)) {
      new IoStats(interval); // validates
      return { type: 'io', interval };
    }
  }
  throw new RangeError(
    `unknown statistic "${spec}" (conv,TYPE | endpoints,TYPE | phs | expert | io,INTERVAL; TYPE: ${KINDS.join(', ')})`,
  );
}

interface Collector {
  packet(
    p: Dissection,
    facts: PacketFacts,
    length: number,
    relNs: number,
    absSec: number,
    frame: number,
  ): void;
  result(): StatsResult;
}

function collectorFor(req: StatsRequest): Collector {
  switch (req.type) {
    case 'conv': {
      const t = new ConversationTable(req.kind);
      return {
        packet: (_p, facts, len, rel, abs) => t.add(facts, len, rel, abs),
        result: () => ({ type: 'conv', kind: req.kind, conversations: t.conversations() }),
      };
    }
    case 'endpoints': {
      const t = new EndpointTable(req.kind);
      return {
        packet: (_p, facts, len) => t.add(facts, len),
        result: () => ({ type: 'endpoints', kind: req.kind, endpoints: t.endpoints() }),
      };
    }
    case 'phs': {
      const h = new ProtocolHierarchy();
      return { packet: (p, _f, len) => h.add(p, len), result: () => ({ type: 'phs', root: h.root }) };
    }
    case 'expert': {
      const x = new ExpertInfo();
      return {
        packet: (p, _f, _l, _r, _a, frame) => x.add(p, frame),
        result: () => ({ type: 'expert', entries: x.list() }),
      };
    }
    case 'io': {
      const io = new IoStats(req.interval);
      return {
        packet: (_p, _f, len, rel) => io.add(rel, len),
        result: () => ({
          type: 'io',
          interval: req.interval,
          intervalSeconds: Math.min(io.intervalUs, io.elapsedUs) / 1e6,
          durationSeconds: io.elapsedUs / 1e6,
          buckets: io.buckets(),
          text: formatIoStatsText(io),
        }),
      };
    }
  }
}

export interface StatsPassResult {
  results: StatsResult[];
  packets: number;
}

/** Reads every packet of `reader` once and computes each request. */
export function collectStats(source: PacketSource, requests: readonly StatsRequest[]): StatsPassResult {
  const collectors = requests.map(collectorFor);
  const wanted = new Uint8Array(fieldList.length);
  PacketFacts.markWanted(wanted);
  if (requests.some((r) => r.type === 'phs')) markHierarchyWanted(wanted);
  const opts = { tree: false, columns: false, wanted };
  const p = new Dissection();
  const state = new CaptureState();
  const facts = new PacketFacts();
  let n = 0;
  for (const { meta, data } of source) {
    dissectPacket(meta, data, state, opts, p, false);
    facts.read(p);
    n++;
    const abs = meta.tsSec + meta.tsNsec / 1e9;
    for (const c of collectors) c.packet(p, facts, meta.origLen, meta.relativeNs, abs, meta.number);
  }
  return { results: collectors.map((c) => c.result()), packets: n };
}

/** The text tshark prints for a result. */
export function formatStatsText(r: StatsResult): string {
  switch (r.type) {
    case 'conv':
      return formatConversationsText(r.kind, r.conversations);
    case 'endpoints':
      return formatEndpointsText(r.kind, r.endpoints);
    case 'phs':
      return formatHierarchyText(r.root);
    case 'expert':
      return formatExpertText(r.entries);
    case 'io':
      return r.text;
  }
}

/** A display filter as the I/O graph needs it (core/filter's CompiledFilter satisfies it). */
export interface PacketPredicate {
  readonly expr: string;
  match(p: Dissection): boolean;
  markWanted(wanted: Uint8Array): void;
}

/** Packets and bytes per interval: one series for all packets, then one per display filter. */
export function collectIoGraph(
  source: PacketSource,
  interval: string,
  filters: readonly PacketPredicate[] = [],
): IoGraphResult {
  const all = new IoStats(interval);
  const per = filters.map(() => new IoStats(interval));
  const wanted = new Uint8Array(fieldList.length);
  for (const f of filters) f.markWanted(wanted);
  const p = new Dissection();
  const state = new CaptureState();
  const opts = { tree: false, columns: filters.length > 0, wanted };
  for (const { meta, data } of source) {
    if (filters.length) dissectPacket(meta, data, state, opts, p, false);
    all.add(meta.relativeNs, meta.origLen);
    for (let i = 0; i < filters.length; i++) {
      const io = per[i]!;
      // Every series sees every packet's time, so all share the capture's duration.
      io.add(meta.relativeNs, meta.origLen, filters[i]!.match(p));
    }
  }
  return {
    intervalSeconds: Math.min(all.intervalUs, all.elapsedUs) / 1e6,
    durationSeconds: all.elapsedUs / 1e6,
    series: [
      { filter: '', buckets: all.buckets() },
      ...filters.map((f, i) => ({ filter: f.expr, buckets: per[i]!.buckets() })),
    ],
  };
}
