// One direction of a TCP byte stream, rebuilt from segments in any order (RFC 9293 §3.4, §3.10.7.4:
// a receiver places data by sequence number, whatever order it arrives in).
//
// Pure and independent of the dissector: TCP reassembly (tcp-reassembly.ts) and `follow tcp`
// both use it. Positions are stream offsets (plain numbers, exact far beyond 2^32), produced
// from 32-bit sequence numbers by `SequenceUnwrapper`, so a stream that wraps the sequence
// space stays in order. Overlapping data: the bytes seen first win (as Wireshark keeps the
// first copy); a later copy with different bytes is reported as a conflict. Gaps are reported
// by `gaps` and never filled. Memory is bounded by `limitBytes`: data beyond it is refused
// (the caller reports it), never a crash.

/** Signed distance `b - a` in 32-bit sequence space (RFC 9293 §3.4 comparisons modulo 2^32). */
export function seqDiff(a: number, b: number): number {
  return ((b - a) | 0) as number;
}

/**
 * Turns 32-bit sequence numbers into monotone stream offsets: offset 0 is `base` (the first
 * data byte, ISN + 1). Each number is placed within ±2^31 of the highest one seen, so the
 * stream may wrap the sequence space any number of times.
 */
export class SequenceUnwrapper {
  private lastSeq: number;
  private lastOffset = 0;

  constructor(readonly base: number) {
    this.lastSeq = base >>> 0;
  }

  offsetOf(seq: number): number {
    const offset = this.lastOffset + seqDiff(this.lastSeq, seq >>> 0);
    if (offset > this.lastOffset) {
      this.lastOffset = offset;
      this.lastSeq = seq >>> 0;
    }
    return offset;
  }
}

/** Where one stored run of bytes came from (for "#6(190), #26(1448)" segment lists). */
export interface StreamPiece {
  offset: number;
  length: number;
  frame: number;
}

export interface AddResult {
  /** Bytes stored that were not held before. */
  added: number;
  /** Bytes already held (or already released) that this segment repeated. */
  repeated: number;
  /** Some repeated byte differed from the copy held (first data wins). */
  conflict: boolean;
  /** Bytes refused because the stream's memory bound was reached. */
  refused: number;
}

interface Chunk {
  offset: number;
  bytes: Uint8Array;
  frame: number;
}

/** Default bounds: per stream direction and per capture (all assemblers sharing a budget). */
export const STREAM_LIMITS = { streamBytes: 32 << 20, captureBytes: 256 << 20 };

/** A byte budget shared by the assemblers of one capture. */
export class ByteBudget {
  used = 0;
  constructor(readonly limit: number = STREAM_LIMITS.captureBytes) {}
}

export class StreamAssembler {
  /** Sorted by offset, never overlapping. */
  private readonly chunks: Chunk[] = [];
  /** Bytes held now. */
  held = 0;
  /** Everything below this offset was released (delivered); repeats of it count as repeated. */
  released = 0;

  constructor(
    readonly limitBytes: number = STREAM_LIMITS.streamBytes,
    private readonly budget: ByteBudget = new ByteBudget(Infinity),
  ) {}

  /** Stores `bytes` at stream offset `offset`; only the parts not held before are kept. */
  add(offset: number, bytes: Uint8Array, frame: number): AddResult {
    const result: AddResult = { added: 0, repeated: 0, conflict: false, refused: 0 };
    let at = offset;
    const end = offset + bytes.length;
    if (at < this.released) {
      const skip = Math.min(end, this.released) - at;
      result.repeated += skip;
      at += skip;
    }
    let i = this.firstChunkEndingAfter(at);
    while (at < end) {
      const c = this.chunks[i];
      if (c && c.offset <= at) {
        // Overlap with a held chunk: compare, keep the held bytes.
        const stop = Math.min(end, c.offset + c.bytes.length);
        for (let k = at; k < stop; k++) {
          if (c.bytes[k - c.offset] !== bytes[k - offset]) {
            result.conflict = true;
            break;
          }
        }
        result.repeated += stop - at;
        at = stop;
        i++;
        continue;
      }
      // A hole up to the next chunk (or the end): store the new bytes.
      const stop = Math.min(end, c ? c.offset : end);
      let len = stop - at;
      const room = Math.min(this.limitBytes - this.held, this.budget.limit - this.budget.used);
      if (len > room) {
        result.refused += len - Math.max(0, room);
        len = Math.max(0, room);
      }
      if (len > 0) {
        this.chunks.splice(i, 0, { offset: at, bytes: bytes.slice(at - offset, at - offset + len), frame });
        this.held += len;
        this.budget.used += len;
        result.added += len;
        i++;
      }
      if (len < stop - at) {
        result.refused += end - stop;
        break;
      }
      at = stop;
    }
    return result;
  }

  /** The end of the run of held bytes that starts at `from` (`from` itself if none is held there). */
  contiguousEnd(from: number): number {
    let i = this.firstChunkEndingAfter(from);
    let end = from;
    while (i < this.chunks.length) {
      const c = this.chunks[i]!;
      if (c.offset > end) break;
      end = c.offset + c.bytes.length;
      i++;
    }
    return end;
  }

  /** Copies `[from, to)`; the range must be held (see `contiguousEnd`). */
  read(from: number, to: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, to - from));
    for (let i = this.firstChunkEndingAfter(from); i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (c.offset >= to) break;
      const a = Math.max(from, c.offset);
      const b = Math.min(to, c.offset + c.bytes.length);
      out.set(c.bytes.subarray(a - c.offset, b - c.offset), a - from);
    }
    return out;
  }

  /** The stored pieces covering `[from, to)`, in stream order, with the frame each came from. */
  pieces(from: number, to: number): StreamPiece[] {
    const out: StreamPiece[] = [];
    for (let i = this.firstChunkEndingAfter(from); i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (c.offset >= to) break;
      const a = Math.max(from, c.offset);
      const b = Math.min(to, c.offset + c.bytes.length);
      const last = out[out.length - 1];
      // Adjacent runs from one frame are one piece.
      if (last && last.frame === c.frame && last.offset + last.length === a) last.length += b - a;
      else out.push({ offset: a, length: b - a, frame: c.frame });
    }
    return out;
  }

  /** Missing ranges within `[from, to)`: what was never captured (never invented). */
  gaps(from: number, to: number): [number, number][] {
    const out: [number, number][] = [];
    let at = Math.max(from, this.released);
    for (let i = this.firstChunkEndingAfter(at); i < this.chunks.length && at < to; i++) {
      const c = this.chunks[i]!;
      if (c.offset > at) out.push([at, Math.min(c.offset, to)]);
      at = Math.max(at, c.offset + c.bytes.length);
    }
    if (at < to) out.push([at, to]);
    return out;
  }

  /** Drops every byte below `upTo` (delivered); later copies of them count as repeats. */
  release(upTo: number): void {
    if (upTo <= this.released) return;
    this.released = upTo;
    let drop = 0;
    while (drop < this.chunks.length) {
      const c = this.chunks[drop]!;
      const end = c.offset + c.bytes.length;
      if (end <= upTo) {
        this.free(c.bytes.length);
        drop++;
        continue;
      }
      if (c.offset < upTo) {
        const cut = upTo - c.offset;
        c.bytes = c.bytes.slice(cut);
        c.offset = upTo;
        this.free(cut);
      }
      break;
    }
    if (drop) this.chunks.splice(0, drop);
  }

  /** Frees everything (the stream is finished). */
  clear(): void {
    this.free(this.held);
    this.chunks.length = 0;
  }

  private free(n: number): void {
    this.held -= n;
    this.budget.used -= n;
  }

  /** Index of the first chunk whose end is after `offset` (binary search). */
  private firstChunkEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.chunks[mid]!;
      if (c.offset + c.bytes.length <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
