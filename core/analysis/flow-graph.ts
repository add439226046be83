// Flow Graph (Statistics → Flow Graph): a sequence diagram of a TCP stream or of the whole
// capture. Each host is a lane (in order of first appearance); each packet an arrow from its
// source lane to its destination lane, labelled with the TCP flags (or the protocol) and the
// relative seq/ack, with the Info column, as in the seeds' handshake drawings:
//   A ── SYN  Seq=0 ──────────────> B
//   A <── SYN, ACK  Seq=0 Ack=1 ─── B
import '../protocols';
import { Dissection } from '../dissect/dissection';
import { fieldList, fieldsByAbbrev, type Field } from '../dissect/fields';
import { dissectPacket } from '../dissect/packet';
import { CaptureState } from '../dissect/state';
import { addressText } from './conversations';
import { PacketFacts } from './packet-facts';
import type { PacketSource } from './packet-source';
import type { FlowArrow, FlowGraph } from './stats-types';

export type { FlowArrow, FlowGraph };

export interface FlowGraphOptions {
  /** Only this `tcp.stream`; absent: every packet with a network layer. */
  stream?: number;
  maxArrows?: number;
}

const FLAG_NAMES: readonly [number, string][] = [
  [0x001, 'FIN'],
  [0x002, 'SYN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
];

export function tcpFlagsLabel(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, n]) => n);
  return names.length ? names.join(', ') : '<None>';
}

export function buildFlowGraph(source: PacketSource, opts: FlowGraphOptions = {}): FlowGraph {
  const max = opts.maxArrows ?? 100_000;
  const wanted = new Uint8Array(fieldList.length);
  PacketFacts.markWanted(wanted);
  const want = (name: string): Field | undefined => {
    const f = fieldsByAbbrev.get(name);
    if (f) wanted[f.id] = 1;
    return f;
  };
  const fFlags = want('tcp.flags');
  const fSeq = want('tcp.seq');
  const fAck = want('tcp.ack');
  const fLen = want('tcp.len');
  const p = new Dissection();
  const state = new CaptureState();
  const facts = new PacketFacts();
  const lanes: string[] = [];
  const laneOf = new Map<string, number>();
  const lane = (name: string): number => {
    let i = laneOf.get(name);
    if (i === undefined) {
      i = lanes.length;
      lanes.push(name);
      laneOf.set(name, i);
    }
    return i;
  };
  const first = (f: Field | undefined): number | undefined => {
    for (let i = 0; i < p.valueFields.length; i++) if (p.valueFields[i] === f) return p.values[i] as number;
    return undefined;
  };
  const graph: FlowGraph = { lanes, arrows: [], truncated: false };
  for (const { meta, data } of source) {
    dissectPacket(meta, data, state, { tree: false, columns: true, wanted }, p, false);
    facts.read(p);
    const tcp = facts.transports.find((t) => t.kind === 'tcp');
    if (opts.stream !== undefined && tcp?.stream !== opts.stream) continue;
    const net = facts.ip[0] ?? facts.ipv6[0] ?? tcp?.net ?? facts.transports[0]?.net;
    const from = net ? addressText(net, 'src') : p.cols.src;
    const to = net ? addressText(net, 'dst') : p.cols.dst;
    if (!from || !to) continue;
    if (graph.arrows.length >= max) {
      graph.truncated = true;
      break;
    }
    const arrow: FlowArrow = {
      frame: meta.number,
      time: meta.relativeNs / 1e9,
      from: lane(from),
      to: lane(to),
      label: p.cols.protocol,
      comment: '',
      info: p.cols.info,
    };
    if (tcp) {
      arrow.label = tcpFlagsLabel(first(fFlags) ?? 0);
      const len = first(fLen) ?? 0;
      arrow.comment = `Seq = ${first(fSeq) ?? 0}${first(fAck) !== undefined ? ` Ack = ${first(fAck)}` : ''}${len ? ` Len = ${len}` : ''}`;
      arrow.srcPort = tcp.srcPort;
      arrow.dstPort = tcp.dstPort;
      arrow.stream = tcp.stream;
    }
    graph.arrows.push(arrow);
  }
  return graph;
}
