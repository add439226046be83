// TCP reassembly for protocols over a byte stream (Wireshark's tcp_dissect_pdus / desegment_pdus,
// with tcp.reassemble_out_of_order on). A `StreamDissector` says where each message (PDU) ends
// (`pduLength`); each direction's bytes are collected in sequence order by a `StreamAssembler`,
// and every complete PDU is decoded once, in the frame that completes it:
// - a PDU within one segment is decoded in place (several in one segment: one call each);
// - a PDU spanning segments is decoded from a new data source "Reassembled TCP (N bytes)" in
//   the completing frame, which lists the segments ("[3 Reassembled TCP Segments (…)]"); the
//   earlier frames say "[TCP segment of a reassembled PDU]" and, once known, the frame that
//   reassembled them (`tcp.reassembled_in`, shown on revisits and by `read -2`);
// - a PDU that runs to the end of the stream (UNTIL_STREAM_END) is decoded at the FIN; without
//   a FIN it stays undecoded, as tshark leaves it;
// - NOT_THIS_PROTOCOL: the bytes are shown as data.
// A gap (a segment never captured) holds everything after it; it is never filled with invented
// bytes. The first pass records a plan per frame, so a revisit (the engine decoding frame N on
// its own, or the second pass of `read -2`) shows the same tree without replaying the stream.
// Reassembled PDUs are cached for revisits within a byte bound; an evicted one is reported.
import { data } from '../protocols/data';
import type { Dissection, TreeNode } from '../dissect/dissection';
import {
  NEED_MORE_BYTES,
  NOT_THIS_PROTOCOL,
  UNTIL_STREAM_END,
  type StreamDissector,
} from '../dissect/transport';
import {
  ByteBudget,
  SequenceUnwrapper,
  StreamAssembler,
  STREAM_LIMITS,
  type StreamPiece,
} from './stream-assembler';
import { reassemblyFields as rf } from './tcp-fields';

/** Bounds: bytes held per direction and per capture while waiting, and reassembled PDUs kept
 * for revisits. */
export const TCP_REASSEMBLY_LIMITS = {
  streamBytes: STREAM_LIMITS.streamBytes,
  captureBytes: STREAM_LIMITS.captureBytes,
  cachedBytes: 64 << 20,
};

/** Most PDUs one segment may yield (a bound against a dissector answering tiny lengths). */
const MAX_PDUS_PER_SEGMENT = 4096;

/** One thing to do with a frame's payload, in order. Offsets are relative to the payload start. */
type PlanItem =
  | { kind: 'pdu'; start: number; end: number }
  | { kind: 'reassembled'; key: number; length: number; pieces: StreamPiece[]; last: [number, number] }
  | { kind: 'data'; start: number; end: number };

interface FramePlan {
  items: PlanItem[];
  /** Payload bytes `[heldStart, heldEnd)` wait for a PDU completed later (or never). */
  heldStart: number;
  heldEnd: number;
  /** The frame that completed the PDU those bytes belong to (0 while unknown). */
  reassembledIn: number;
  /** Every byte repeated data already delivered (a retransmission). */
  retransmitted: boolean;
  /** Notes for the expert info, e.g. an overlap with different bytes. */
  notes: string[];
}

interface Direction {
  unwrap: SequenceUnwrapper;
  asm: StreamAssembler;
  dissector: StreamDissector;
  /** Stream offset where the next PDU starts (everything before it was decoded). */
  next: number;
  /** Length of the PDU starting at `next`: -1 while unknown, Infinity until the FIN. */
  pduLength: number;
  /** Set once the memory bound was hit: the rest of the direction is shown as data. */
  gaveUp: boolean;
  /** Stream offset of the FIN (the end of the stream), -1 until one is seen. */
  finEnd: number;
}

interface ReassemblyState {
  directions: Map<number, Direction>;
  plans: Map<number, FramePlan>;
  budget: ByteBudget;
  cache: Map<number, Uint8Array>;
  cachedBytes: number;
  nextCacheKey: number;
  /** The Info the stream dissector gave (`partialInfo`) for a message that the segment being
   * learned begins, or whose start it re-read, and that needs more bytes; '' for none. */
  partialInfo: string;
}

function newReassemblyState(): ReassemblyState {
  return {
    directions: new Map(),
    plans: new Map(),
    budget: new ByteBudget(TCP_REASSEMBLY_LIMITS.captureBytes),
    cache: new Map(),
    cachedBytes: 0,
    nextCacheKey: 1,
    partialInfo: '',
  };
}

/** (Per TCP segment: no closure per call.) */
function reassemblyState(p: Dissection): ReassemblyState {
  return p.state.slot<ReassemblyState>('tcp-reassembly', newReassemblyState);
}

export interface StreamSegment {
  /** `tcp.stream` and `TransportInfo.direction`. */
  stream: number;
  direction: 0 | 1;
  /** Relative sequence number of the first payload byte (1 for the first byte of a stream). */
  seq: number;
  /** Payload `[start, end)` in `p.data`. */
  start: number;
  end: number;
  fin: boolean;
}

function planKey(p: Dissection): number {
  return p.frame.number * 8 + Math.min(7, p.layerNumber('tcp') - 1);
}

/**
 * Decodes a segment's payload with a stream dissector through reassembly. `tcpItem` is the
 * TCP layer's tree item (reassembly items go under it). Returns true when some PDU was decoded
 * in this frame (the application protocol wrote the Info column).
 */
export function dissectStreamPayload(
  p: Dissection,
  d: StreamDissector,
  seg: StreamSegment,
  tcpItem: TreeNode | undefined,
): boolean {
  const st = reassemblyState(p);
  const key = planKey(p);
  let plan = st.plans.get(key);
  let partial = '';
  if (!plan) {
    if (p.visited || seg.end > p.data.length) {
      // Never seen on a first pass (or cut by the snaplen): decode what is there as it stands.
      plan = emptyPlan();
      plan.items.push({ kind: 'data', start: 0, end: Math.min(seg.end, p.data.length) - seg.start });
    } else {
      plan = learnSegment(p, st, d, seg);
      partial = st.partialInfo;
      st.partialInfo = '';
      // A payload that is all data (not this protocol) is what a revisit without a plan shows
      // anyway (above): nothing to store. On ports 80/443 that is every non-HTTP/TLS segment.
      if (!isAllData(plan, seg.end - seg.start)) st.plans.set(key, plan);
    }
  }
  return execute(p, st, d, plan, seg.start, seg.end, tcpItem, partial);
}

/** The plan shows the whole payload as data, and nothing else. */
function isAllData(plan: FramePlan, length: number): boolean {
  const only = plan.items[0];
  return (
    plan.items.length === 1 &&
    only!.kind === 'data' &&
    only!.start === 0 &&
    only!.end === length &&
    plan.heldEnd <= plan.heldStart &&
    !plan.reassembledIn &&
    !plan.retransmitted &&
    plan.notes.length === 0
  );
}

/** A FIN without payload ends the direction: a PDU that runs to the end of the stream is
 * decoded here. */
export function finishStream(p: Dissection, seg: StreamSegment, tcpItem: TreeNode | undefined): boolean {
  const st = reassemblyState(p);
  const key = planKey(p);
  let plan = st.plans.get(key);
  if (!plan) {
    const dir = st.directions.get(seg.stream * 2 + seg.direction);
    if (!dir || p.visited) return false;
    plan = learnSegment(p, st, dir.dissector, seg);
    if (!plan.items.length) return false;
    st.plans.set(key, plan);
  }
  const dir = st.directions.get(seg.stream * 2 + seg.direction);
  return dir ? execute(p, st, dir.dissector, plan, seg.start, seg.end, tcpItem, '') : false;
}

/** Whether this direction of the stream is reassembled (a FIN then needs `finishStream`). */
export function hasStreamReassembly(p: Dissection, stream: number, direction: 0 | 1): boolean {
  return reassemblyState(p).directions.has(stream * 2 + direction);
}

/** One PDU over the whole payload (`end: -1` means the payload's end). Shared, never mutated. */
const WHOLE_PAYLOAD_PDU: FramePlan = Object.freeze({
  items: Object.freeze([{ kind: 'pdu', start: 0, end: -1 }]) as unknown as PlanItem[],
  heldStart: 0,
  heldEnd: 0,
  reassembledIn: 0,
  retransmitted: false,
  notes: Object.freeze([]) as unknown as string[],
}) as FramePlan;

function emptyPlan(): FramePlan {
  return { items: [], heldStart: 0, heldEnd: 0, reassembledIn: 0, retransmitted: false, notes: [] };
}

/** First pass: adds the segment to its direction and works out which PDUs it completes. */
function learnSegment(p: Dissection, st: ReassemblyState, d: StreamDissector, seg: StreamSegment): FramePlan {
  const plan = emptyPlan();
  const frame = p.frame.number;
  const dirKey = seg.stream * 2 + seg.direction;
  st.partialInfo = '';
  let dir = st.directions.get(dirKey);
  if (!dir || dir.dissector !== d) {
    // Relative sequence 1 is the first data byte of a stream (tcp.ts numbers a stream picked up
    // in the middle so that its first byte seen is 1 too): offset 0. When another protocol
    // takes over the direction, its stream starts at this segment.
    const unwrap = dir?.unwrap ?? new SequenceUnwrapper(1);
    if (dir) dir.asm.clear();
    dir = {
      unwrap,
      asm: new StreamAssembler(TCP_REASSEMBLY_LIMITS.streamBytes, st.budget),
      dissector: d,
      next: dir ? Math.max(0, unwrap.offsetOf(seg.seq)) : 0,
      pduLength: -1,
      gaveUp: false,
      finEnd: -1,
    };
    st.directions.set(dirKey, dir);
  }
  const length = seg.end - seg.start;
  const offset = dir.unwrap.offsetOf(seg.seq);
  if (dir.gaveUp || (dir.finEnd >= 0 && offset >= dir.finEnd)) {
    if (length) plan.items.push({ kind: 'data', start: 0, end: length });
    return plan;
  }
  // Fast path, the common case: the segment starts exactly where the next PDU starts and
  // nothing is held. Whole PDUs are taken straight from the frame (no copy); only a tail that
  // begins a longer PDU goes to the assembler.
  let from = 0;
  if (length && !seg.fin && dir.asm.held === 0 && offset === dir.next && dir.pduLength < 0) {
    for (let guard = 0; from < length && guard < MAX_PDUS_PER_SEGMENT; guard++) {
      const answer = safePduLength(d, p, p.data, seg.start + from, seg.end);
      if (answer > 0 && from + answer <= length) {
        plan.items.push({ kind: 'pdu', start: from, end: from + answer });
        from += answer;
        continue;
      }
      if (answer === NOT_THIS_PROTOCOL || answer === 0 || answer < UNTIL_STREAM_END - 1) {
        plan.items.push({ kind: 'data', start: from, end: length });
        from = length;
      } else if (answer > 0 || answer === UNTIL_STREAM_END) {
        dir.pduLength = answer > 0 ? answer : Infinity;
        notePartial(p, st, d, p.data, seg.start + from, seg.end);
      }
      break;
    }
    dir.next = offset + from;
    dir.asm.release(dir.next);
    if (from === length) {
      // The common case, one PDU that is the whole payload: a shared plan, nothing stored per frame.
      const only = plan.items[0];
      if (plan.items.length === 1 && only?.kind === 'pdu' && only.start === 0 && !plan.notes.length)
        return WHOLE_PAYLOAD_PDU;
      return plan;
    }
    if (dir.pduLength !== -1) {
      // The rest starts a PDU longer than this segment: hold it.
      const added = dir.asm.add(offset + from, p.data.subarray(seg.start + from, seg.end), frame);
      if (!added.refused) {
        plan.heldStart = from;
        plan.heldEnd = length;
        return plan;
      }
    }
    // Otherwise (the length is not known yet) the general path below takes the rest.
  }
  if (length) {
    const added = dir.asm.add(offset + from, p.data.subarray(seg.start + from, seg.end), frame);
    if (added.conflict) plan.notes.push('Overlapping TCP data with different bytes (the first copy is kept)');
    if (added.refused) {
      p.issue(
        'unsupported',
        'warn',
        `TCP reassembly memory bound reached: the rest of stream ${seg.stream} is shown undecoded`,
        seg.start,
        seg.end,
      );
      dir.gaveUp = true;
      dir.asm.clear();
      plan.items.push({ kind: 'data', start: 0, end: length });
      return plan;
    }
    if (added.added === 0 && offset + length <= dir.next) {
      plan.retransmitted = true;
      return plan;
    }
  }

  // Decode every PDU the contiguous bytes from `next` now complete.
  for (let guard = 0; guard < MAX_PDUS_PER_SEGMENT; guard++) {
    const avail = dir.asm.contiguousEnd(dir.next);
    if (avail === dir.next) break;
    if (dir.pduLength < 0) {
      const inFrame = dir.next >= offset && avail <= offset + length;
      const bytes = inFrame ? p.data : dir.asm.read(dir.next, avail);
      const base = inFrame ? seg.start + (dir.next - offset) : 0;
      const answer = safePduLength(d, p, bytes, base, base + (avail - dir.next));
      if (answer === NEED_MORE_BYTES || answer === UNTIL_STREAM_END || answer > avail - dir.next) {
        // The dissector looked at this message's start and asked for more (tshark's
        // DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN or desegment_len).
        notePartial(p, st, d, bytes, base, base + (avail - dir.next));
      }
      if (answer === NEED_MORE_BYTES) break;
      if (answer === UNTIL_STREAM_END) {
        dir.pduLength = Infinity;
        break;
      }
      if (answer === NOT_THIS_PROTOCOL || answer <= 0) {
        deliver(p, st, dir, plan, offset, length, avail - dir.next, 'data');
        continue;
      }
      dir.pduLength = answer;
    }
    if (dir.next + dir.pduLength > avail) break;
    deliver(p, st, dir, plan, offset, length, dir.pduLength, 'pdu');
  }
  // The FIN ends the stream: a PDU running to the end is complete once nothing before the FIN
  // is missing (the FIN may arrive before a retransmission fills the last gap).
  if (seg.fin && dir.finEnd < 0) dir.finEnd = offset + length;
  if (dir.finEnd > dir.next && dir.pduLength === Infinity && dir.asm.contiguousEnd(dir.next) >= dir.finEnd)
    deliver(p, st, dir, plan, offset, length, dir.finEnd - dir.next, 'pdu');
  // Everything from `next` on is held (a PDU in progress, or data after a gap): this frame's
  // bytes there wait for a later PDU.
  if (length && offset + length > dir.next) {
    plan.heldStart = Math.max(0, dir.next - offset);
    plan.heldEnd = length;
  }
  return plan;
}

/** The stream dissector's Info for the start of a message that needs more bytes: asked on a
 * first pass that fills columns only (nothing is kept for revisits: tshark -2 shows TCP's Info
 * in such a segment, its application dissector is not called there again). */
function notePartial(
  p: Dissection,
  st: ReassemblyState,
  d: StreamDissector,
  data: Uint8Array,
  start: number,
  end: number,
): void {
  if (p.columns && d.partialInfo) st.partialInfo = safePartialInfo(d, data, start, end);
}

function safePartialInfo(d: StreamDissector, data: Uint8Array, start: number, end: number): string {
  try {
    return d.partialInfo?.(data, start, end) ?? '';
  } catch {
    return ''; // the contract says it must not throw: no Info of its own then
  }
}

function safePduLength(
  d: StreamDissector,
  p: Dissection,
  data: Uint8Array,
  start: number,
  end: number,
): number {
  try {
    return d.pduLength(p, data, start, end);
  } catch {
    return NOT_THIS_PROTOCOL; // the contract says it must not throw; treat the bytes as data
  }
}

/** The `length` bytes at `dir.next` are one PDU (or data): plan their decode in this frame. */
function deliver(
  p: Dissection,
  st: ReassemblyState,
  dir: Direction,
  plan: FramePlan,
  offset: number,
  length: number,
  pduLen: number,
  kind: 'pdu' | 'data',
): void {
  const from = dir.next;
  const to = from + pduLen;
  const frame = p.frame.number;
  if (from >= offset && to <= offset + length) {
    plan.items.push({ kind, start: from - offset, end: to - offset });
  } else if (kind === 'data') {
    // Not this protocol: this frame's own part is shown as data (earlier frames showed theirs).
    const a = Math.max(from, offset) - offset;
    const b = Math.min(to, offset + length) - offset;
    if (b > a) plan.items.push({ kind, start: a, end: b });
  } else {
    const bytes = dir.asm.read(from, to);
    const pieces = dir.asm.pieces(from, to);
    const ownStart = Math.max(from, offset) - offset;
    const ownEnd = Math.max(ownStart, Math.min(to, offset + length) - offset);
    const key = st.nextCacheKey++;
    plan.items.push({ kind: 'reassembled', key, length: pduLen, pieces, last: [ownStart, ownEnd] });
    cache(st, key, bytes);
    for (const piece of pieces) {
      if (piece.frame === frame) continue;
      const other = st.plans.get(piece.frame * 8);
      if (other && other !== WHOLE_PAYLOAD_PDU && !other.reassembledIn) other.reassembledIn = frame;
    }
  }
  dir.next = to;
  dir.pduLength = -1;
  dir.asm.release(to);
}

function cache(st: ReassemblyState, key: number, bytes: Uint8Array): void {
  st.cache.set(key, bytes);
  st.cachedBytes += bytes.length;
  while (st.cachedBytes > TCP_REASSEMBLY_LIMITS.cachedBytes && st.cache.size > 1) {
    const [oldest, old] = st.cache.entries().next().value as [number, Uint8Array];
    st.cache.delete(oldest);
    st.cachedBytes -= old.length;
  }
}

/** Shows the plan: items in the TCP subtree, then each PDU decoded. */
function execute(
  p: Dissection,
  st: ReassemblyState,
  d: StreamDissector,
  plan: FramePlan,
  payloadStart: number,
  payloadEnd: number,
  tcpItem: TreeNode | undefined,
  /** `partialInfo` of the message this first pass saw begin (or re-read) and wait for more. */
  partial: string,
): boolean {
  p.open(tcpItem);
  for (const note of plan.notes) p.issue('malformed', 'warn', note, payloadStart, payloadStart);
  if (plan.retransmitted && p.tree) {
    const len = p.remaining(payloadStart);
    p.add(rf.segmentData, payloadStart, len, undefined, `Retransmitted TCP segment data (${len} bytes)`);
  }
  const held = plan.heldEnd - plan.heldStart;
  if (held > 0) {
    if (plan.reassembledIn)
      p.addGenerated(rf.reassembledIn, plan.reassembledIn, `Reassembled PDU in frame: ${plan.reassembledIn}`);
    if (!plan.items.length)
      p.add(
        rf.segmentData,
        payloadStart + plan.heldStart,
        held,
        undefined,
        p.tree ? `TCP segment data (${held} bytes)` : undefined,
      );
  }
  for (const item of plan.items) {
    if (item.kind !== 'reassembled') continue;
    const [a, b] = item.last;
    if (b > a)
      p.add(
        rf.segmentData,
        payloadStart + a,
        b - a,
        undefined,
        p.tree ? `TCP segment data (${b - a} bytes)` : undefined,
      );
  }
  p.close(tcpItem);

  let decoded = 0;
  for (const item of plan.items) {
    const before = p.columns ? p.cols.info : '';
    if (item.kind === 'data') {
      p.call(data, payloadStart + item.start, payloadStart + item.end);
      continue;
    }
    if (item.kind === 'pdu') {
      p.call(d, payloadStart + item.start, item.end < 0 ? payloadEnd : payloadStart + item.end);
    } else {
      const bytes = st.cache.get(item.key);
      addSegmentsTree(p, item, bytes);
      if (!bytes) {
        p.issue(
          'unsupported',
          'note',
          `Reassembled TCP PDU of ${item.length} bytes no longer cached (memory bound): not decoded again`,
          payloadStart,
          payloadStart,
        );
        continue;
      }
      p.withSource(`Reassembled TCP (${bytes.length} bytes)`, bytes, () => {
        p.call(d, 0, bytes.length);
      });
    }
    // Several PDUs in one segment: each one's Info follows the previous (tshark's column fence).
    if (decoded > 0 && p.columns && !p.cols.info.startsWith(before)) p.cols.info = before + p.cols.info;
    decoded++;
  }
  if (held > 0 && p.columns) {
    if (!decoded) {
      // tshark's application dissector writes its Info (HTTP: the start line) before asking for
      // more bytes, then TCP adds its note: "HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]".
      if (partial) p.setInfo(partial);
      p.appendInfo(' [TCP segment of a reassembled PDU]');
    } else if (d.partialInfo) {
      // A message begins after one that ends in this segment: tshark's HTTP reads on through
      // the segment, on both passes, and writes the new start line after the previous Info.
      p.cols.info += safePartialInfo(
        d,
        p.data,
        payloadStart + plan.heldStart,
        Math.min(payloadEnd, p.data.length),
      );
    }
  }
  return decoded > 0;
}

/** "[3 Reassembled TCP Segments (4096 bytes): #4(1448), #5(1448), #6(1200)]", as tshark 4.0. */
function addSegmentsTree(
  p: Dissection,
  item: Extract<PlanItem, { kind: 'reassembled' }>,
  bytes: Uint8Array | undefined,
): void {
  if (!p.detailFor('tcp')) return;
  const n = item.pieces.length;
  const base = item.pieces[0]?.offset ?? 0;
  // Wireshark's labels hold 240 characters (ITEM_LABEL_LENGTH): a long list is cut there,
  // then closed with "]".
  const label = p.tree
    ? `[${n} Reassembled TCP Segments (${item.length} bytes): ${item.pieces.map((x) => `#${x.frame}(${x.length})`).join(', ')}`.slice(
        0,
        240,
      ) + ']'
    : undefined;
  const top = p.add(rf.segments, 0, 0, undefined, label);
  if (top) top.generated = true;
  p.open(top);
  for (const x of item.pieces) {
    const from = x.offset - base;
    const node = p.add(
      rf.segment,
      0,
      0,
      x.frame,
      p.tree ? `[Frame: ${x.frame}, payload: ${from}-${from + x.length - 1} (${x.length} bytes)]` : undefined,
    );
    if (node) node.generated = true;
  }
  p.addGenerated(rf.segmentCount, n, `Segment count: ${n}`);
  p.addGenerated(rf.reassembledLength, item.length, `Reassembled TCP length: ${item.length}`);
  if (bytes && p.wants(rf.reassembledData)) {
    const shown = Array.from(bytes.subarray(0, 36), (b) => b.toString(16).padStart(2, '0')).join('');
    p.addGenerated(
      rf.reassembledData,
      bytes,
      `Reassembled TCP Data: ${shown}${bytes.length > 36 ? '…' : ''}`,
    );
  }
  p.close(top);
}
