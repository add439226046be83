// The shapes of the statistics results (conversations, endpoints, protocol hierarchy, I/O graph,
// flow graph), in a file of types with no imports so the renderer can read them through the
// Engine API (core/engine/api.ts) without pulling in analysis code.

export type ConversationKind = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';

export interface Conversation {
  /** Endpoint A (the first packet's source) and B, as Wireshark shows them (names resolved
   * for Ethernet, ports as numbers). */
  addressA: string;
  addressB: string;
  portA?: number;
  portB?: number;
  /** TCP/UDP stream index. */
  stream?: number;
  /** A → B. */
  framesAB: number;
  bytesAB: number;
  /** B → A. */
  framesBA: number;
  bytesBA: number;
  /** Seconds since the first packet of the capture. */
  relStart: number;
  duration: number;
  /** Absolute start, seconds since the epoch. */
  absStart: number;
}

export interface Endpoint {
  address: string;
  port?: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

export interface HierarchyNode {
  /** Filter name, e.g. `eth`, `tcp`, `_ws.malformed`. */
  protocol: string;
  frames: number;
  bytes: number;
  children: HierarchyNode[];
}

export interface IoBucket {
  /** Start of the interval, seconds since the first packet. */
  start: number;
  frames: number;
  bytes: number;
}

export interface IoGraphSeries {
  /** The display filter ('' for all packets). */
  filter: string;
  buckets: IoBucket[];
}

export interface IoGraphResult {
  intervalSeconds: number;
  durationSeconds: number;
  series: IoGraphSeries[];
}

export interface FlowArrow {
  frame: number;
  /** Seconds since the first packet. */
  time: number;
  /** Lane indexes. */
  from: number;
  to: number;
  /** `SYN`, `SYN, ACK`, `PSH, ACK`… for TCP, else the protocol column. */
  label: string;
  /** `Seq = 0 Ack = 1 Len = 15` for TCP (relative numbers), else empty. */
  comment: string;
  info: string;
  srcPort?: number;
  dstPort?: number;
  stream?: number;
}

export interface FlowGraph {
  /** Host addresses, one lane each. */
  lanes: string[];
  arrows: FlowArrow[];
  /** True when more packets than `maxArrows` qualified. */
  truncated: boolean;
}
