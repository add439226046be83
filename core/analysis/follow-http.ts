// Follow HTTP Stream (`tshark -z follow,http`): per HTTP message of a TCP stream, its head as
// sent (start line, headers, blank line) and then its body with the transfer and content codings
// undone, in the order the messages completed.
//
// The heads are cut from the TCP stream as Follow TCP rebuilds it (core/analysis/follow.ts) with
// the HTTP framing rules of core/protocols/http-message.ts; the decoded bodies are the ones the
// HTTP decoder kept for the exchanges (core/protocols/http.ts).
import { messageLength, parseHead } from '../protocols/http-message';
import { NEED_MORE_BYTES, UNTIL_STREAM_END } from '../dissect/transport';
import type { FollowChunk, FollowResult } from './follow';
import type { HttpExchangeRow } from './http-exchanges';

/** Most messages taken from one direction (bounds the loop on hostile input). */
const MAX_MESSAGES = 100_000;

interface Direction {
  bytes: Uint8Array;
  /** Stream offset where each chunk ends, and its frame, for "which frame completed it". */
  ends: number[];
  frames: number[];
  times: [number, number][];
}

function direction(chunks: readonly FollowChunk[], peer: 0 | 1): Direction {
  const parts = chunks.filter((c) => c.peer === peer && !c.missing);
  const total = parts.reduce((n, c) => n + c.data.length, 0);
  const bytes = new Uint8Array(total);
  const d: Direction = { bytes, ends: [], frames: [], times: [] };
  let at = 0;
  for (const c of parts) {
    bytes.set(c.data, at);
    at += c.data.length;
    d.ends.push(at);
    d.frames.push(c.frame);
    d.times.push([c.tsSec, c.tsNsec]);
  }
  return d;
}

/** Index of the chunk holding the byte before `end`. */
function chunkAt(d: Direction, end: number): number {
  let i = 0;
  while (i < d.ends.length - 1 && d.ends[i]! < end) i++;
  return i;
}

interface Message {
  peer: 0 | 1;
  frame: number;
  tsSec: number;
  tsNsec: number;
  head: Uint8Array;
  wireBody: Uint8Array;
  method?: string;
}

function messages(d: Direction, peer: 0 | 1, methods: string[]): Message[] {
  const out: Message[] = [];
  let pos = 0;
  const b = d.bytes;
  while (pos < b.length && out.length < MAX_MESSAGES) {
    const head = parseHead(b, pos, b.length);
    if (!head || head.headerEnd < 0) break;
    let len = messageLength(b, pos, b.length, head, peer === 1 ? methods[out.length] : undefined);
    if (len === UNTIL_STREAM_END) len = b.length - pos;
    if (len === NEED_MORE_BYTES || len < 0 || pos + len > b.length) break;
    const end = pos + len;
    const k = chunkAt(d, end);
    const m: Message = {
      peer,
      frame: d.frames[k]!,
      tsSec: d.times[k]![0],
      tsNsec: d.times[k]![1],
      head: b.subarray(pos, head.headerEnd),
      wireBody: b.subarray(head.headerEnd, end),
    };
    if (head.kind === 'request') m.method = head.method;
    out.push(m);
    pos = Math.max(end, pos + 1);
  }
  return out;
}

/** The `follow http` records of a TCP stream, from its TCP follow result and the exchanges. */
export function followHttp(tcp: FollowResult, rows: readonly HttpExchangeRow[]): FollowResult {
  const inStream = rows.filter((r) => r.exchange.transport === 'tcp' && r.exchange.stream === tcp.stream);
  const requests = inStream
    .filter((r) => r.exchange.reqFrame)
    .sort((a, b) => a.exchange.reqFrame - b.exchange.reqFrame);
  const responses = inStream
    .filter((r) => r.exchange.resFrame)
    .sort((a, b) => a.exchange.resFrame - b.exchange.resFrame);
  const client = messages(direction(tcp.chunks, 0), 0, []);
  const server = messages(
    direction(tcp.chunks, 1),
    1,
    client.map((m) => m.method ?? ''),
  );
  const records: { m: Message; body?: Uint8Array; order: number }[] = [];
  // The frame (and time) that completed a message is where the HTTP decoder decoded it: with
  // reassembly of out-of-order data that is the retransmission filling the last hole, which
  // can come after the frame holding the message's last byte.
  const at = (m: Message, frame: number | undefined, timeNs: bigint | undefined): void => {
    if (!frame || timeNs === undefined) return;
    m.frame = frame;
    m.tsSec = Number(timeNs / 1_000_000_000n);
    m.tsNsec = Number(timeNs % 1_000_000_000n);
  };
  client.forEach((m, i) => {
    const x = requests[i]?.exchange;
    at(m, x?.reqFrame, x?.reqTimeNs);
    records.push({ m, body: x?.requestBody ?? m.wireBody, order: records.length });
  });
  server.forEach((m, i) => {
    const x = responses[i]?.exchange;
    at(m, x?.resFrame, x?.resTimeNs);
    records.push({ m, body: x?.responseBody ?? m.wireBody, order: records.length });
  });
  records.sort((a, b) => a.m.frame - b.m.frame || a.order - b.order);
  const chunks: FollowChunk[] = [];
  for (const { m, body } of records) {
    const base = {
      peer: m.peer,
      frame: m.frame,
      time: m.tsSec + m.tsNsec / 1e9,
      tsSec: m.tsSec,
      tsNsec: m.tsNsec,
    };
    chunks.push({ ...base, data: m.head });
    if (body?.length) chunks.push({ ...base, data: body });
  }
  const result: FollowResult = { ...tcp, protocol: 'http', chunks, bytes: [0, 0] };
  // Node 0 is whoever sent the first message tshark's HTTP follow tap saw (a 100 Continue can
  // complete before the request it answers is reassembled).
  if (chunks[0]?.peer === 1) {
    for (const c of chunks) c.peer = c.peer === 1 ? 0 : 1;
    if (tcp.server) result.client = tcp.server;
    if (tcp.client) result.server = tcp.client;
  }
  for (const c of chunks) result.bytes[c.peer] += c.data.length;
  return result;
}
