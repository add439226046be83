// What an application protocol knows about the transport that carries it, and how protocols
// above TCP say where their messages end.
//
// UDP and TCP set `p.transport` before handing their payload on, so a protocol can keep
// per-conversation state (HTTP's request methods, DNS's pending queries) keyed by the stream
// index and tell the two directions apart.
//
// Protocols over a byte stream (HTTP, DNS over TCP, TLS records, HTTP/2 frames…) implement
// `StreamDissector`: TCP reassembly (core/analysis) asks `pduLength` where the next message
// ends, collects the segments a message spans, and calls `dissect` once per complete message,
// in the frame that completes it (as a new data source when it spans segments; Wireshark's
// tcp_dissect_pdus / desegment_len). Earlier segments show "[TCP segment of a reassembled PDU]",
// after the protocol's `partialInfo` where it has one (HTTP's start line).
import type { Dissection, Dissector } from './dissection';

export interface TransportInfo {
  kind: 'tcp' | 'udp';
  /** `tcp.stream` / `udp.stream`. */
  stream: number;
  srcPort: number;
  dstPort: number;
  /** A stable orientation within the conversation: 0 when the source endpoint (address, port)
   * sorts first in the conversation key, 1 otherwise. Protocols tell client from server by
   * content or ports, not by this. */
  direction: 0 | 1;
}

/** `pduLength` answers: the message needs more bytes than are available (length not yet known). */
export const NEED_MORE_BYTES = -1;
/** `pduLength` answers: the message runs to the end of the stream (HTTP body without length,
 * RFC 9112 §6.3 item 8); it is decoded when the FIN arrives or the capture ends. */
export const UNTIL_STREAM_END = -2;
/** `pduLength` answers: these bytes are not this protocol (they are shown as data). */
export const NOT_THIS_PROTOCOL = -3;

export interface StreamDissector extends Dissector {
  /**
   * The length of the message that starts at `start`, given the `end - start` contiguous stream
   * bytes available in `data` (the segment's payload, or the reassembled bytes so far), or one
   * of the constants above. Must not throw, must not touch the Dissection's tree or columns;
   * may read `p.transport` and the protocol's own state.
   */
  pduLength(p: Dissection, data: Uint8Array, start: number, end: number): number;
  /**
   * Optional: the Info text of a segment in which a message begins but does not end, given the
   * message's first `end - start` bytes; '' for none. tshark's HTTP writes its start line before
   * asking TCP for the rest, so that segment reads "HTTP/1.1 200 OK  [TCP segment of a
   * reassembled PDU]". Reassembly asks only when `pduLength` has just said the message at
   * `start` needs more bytes (and, on a revisit, for a message that begins after one that ends
   * in the same segment). Must not throw, must not touch the tree, columns or any state.
   */
  partialInfo?(data: Uint8Array, start: number, end: number): string;
}

export function isStreamDissector(d: Dissector): d is StreamDissector {
  return typeof (d as Partial<StreamDissector>).pduLength === 'function';
}

/** A test on the first bytes of a stream direction that says "this is protocol X" when no port
 * or earlier packet decided (Wireshark's heuristic dissectors, e.g. HTTP on any port). The
 * conversation is then bound to the protocol for the rest of the capture. */
export interface StreamHeuristic {
  name: string;
  dissector: StreamDissector;
  test(p: Dissection, data: Uint8Array, start: number, end: number): boolean;
}

export const streamHeuristics: StreamHeuristic[] = [];

export function addStreamHeuristic(h: StreamHeuristic): void {
  streamHeuristics.push(h);
}

/** The first stream heuristic that recognises `[start, end)`, in registration order. */
export function recogniseStream(
  p: Dissection,
  data: Uint8Array,
  start: number,
  end: number,
): StreamDissector | undefined {
  for (const h of streamHeuristics) if (h.test(p, data, start, end)) return h.dissector;
  return undefined;
}
