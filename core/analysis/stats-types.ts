// The shapes of the statistics tables (conversations, endpoints, protocol hierarchy), in a file
// of types with no imports so the renderer can read them through the Engine API
// (core/engine/api.ts) without pulling in analysis code.

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
