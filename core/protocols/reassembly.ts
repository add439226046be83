// Fragment reassembly shared by IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5): fragments are
// collected per key (addresses, identification, protocol) in any order, overlaps tolerated
// (first data wins, as RFC 5722 forbids overlaps for IPv6 the overlap is flagged), and the
// datagram is complete once the last fragment is known and every byte before it is present.
// Results are stored per frame so a revisit (random access) gives the same answer without
// collecting again; pending and finished bytes are bounded, and exceeding a bound is reported.
import type { Dissection } from '../dissect/dissection';

export interface FragmentInfo {
  frame: number;
  offset: number;
  length: number;
}

export type ReassemblyResult =
  | {
      kind: 'complete';
      bytes: Uint8Array;
      /** Sorted by offset. */
      fragments: FragmentInfo[];
      overlap: boolean;
    }
  | {
      kind: 'partial';
      /** The fragment's own payload in the current data source. */
      start: number;
      end: number;
      /** Frame that completes the datagram, once known (on revisits). */
      reassembledIn?: number;
    };

export interface FragmentInput {
  key: string;
  /** Byte offset of this fragment's payload in the datagram. */
  offset: number;
  more: boolean;
  start: number;
  end: number;
}

interface Pending {
  fragments: (FragmentInfo & { data: Uint8Array })[];
  /** Datagram length, once the last fragment (more = false) arrived. */
  total?: number;
  bytes: number;
}

/** Bounds: pending fragments and finished datagrams kept for revisits. */
export const REASSEMBLY_LIMITS = { pendingBytes: 32 << 20, finishedBytes: 128 << 20 };

export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;
  /** `frame:key` → the finished datagram decoded in that frame. */
  private readonly finished = new Map<string, Extract<ReassemblyResult, { kind: 'complete' }>>();
  private finishedBytes = 0;
  /** `frame:key` → the frame that completed the datagram this fragment belongs to. */
  private readonly completedIn = new Map<string, number>();

  constructor(
    /** "IPv4" / "IPv6", for messages. */
    private readonly label: string,
    private readonly limits = REASSEMBLY_LIMITS,
  ) {}

  add(p: Dissection, frag: FragmentInput): ReassemblyResult {
    const frame = p.frame.number;
    const id = `${frame}:${frag.key}`;
    const done = this.finished.get(id);
    if (done) return done;
    const partial: ReassemblyResult = {
      kind: 'partial',
      start: frag.start,
      end: frag.end,
      reassembledIn: this.completedIn.get(id),
    };
    if (p.visited) {
      if (this.completedIn.get(id) === frame) {
        // Finished here once, but the datagram was evicted by the memory bound.
        p.issue(
          'unsupported',
          'note',
          `${this.label} reassembled datagram no longer cached (memory bound)`,
          frag.start,
          frag.end,
        );
      }
      return partial;
    }
    const length = frag.end - frag.start;
    if (p.remaining(frag.start) < length) return partial; // cut by snaplen: cannot contribute

    let entry = this.pending.get(frag.key);
    if (!entry) {
      entry = { fragments: [], bytes: 0 };
      this.pending.set(frag.key, entry);
    }
    if (!entry.fragments.some((x) => x.frame === frame && x.offset === frag.offset)) {
      entry.fragments.push({ frame, offset: frag.offset, length, data: p.data.slice(frag.start, frag.end) });
      entry.bytes += length;
      this.pendingBytes += length;
    }
    if (!frag.more) {
      const total = frag.offset + length;
      if (entry.total !== undefined && entry.total !== total) {
        p.issue('malformed', 'warn', `${this.label}: multiple tail fragments found`, frag.start, frag.end);
      }
      entry.total = Math.max(entry.total ?? 0, total);
    }
    this.enforcePendingBound(p, frag);

    if (entry.total === undefined) return partial;
    const sorted = [...entry.fragments].sort((a, b) => a.offset - b.offset || a.frame - b.frame);
    let covered = 0;
    let overlap = false;
    for (const x of sorted) {
      if (x.offset > covered) return partial; // a hole
      if (x.offset < covered) overlap = true;
      covered = Math.max(covered, x.offset + x.length);
    }
    if (covered < entry.total) return partial;

    const bytes = new Uint8Array(entry.total);
    const written = new Uint8Array(entry.total);
    let conflict = false;
    for (const x of sorted) {
      for (let i = 0; i < x.length && x.offset + i < entry.total; i++) {
        const at = x.offset + i;
        if (written[at]) {
          if (bytes[at] !== x.data[i]) conflict = true;
          continue; // first data wins
        }
        bytes[at] = x.data[i]!;
        written[at] = 1;
      }
    }
    if (covered > entry.total) {
      p.issue(
        'malformed',
        'warn',
        `${this.label}: fragment contains data past the end of the datagram`,
        frag.start,
        frag.end,
      );
    }
    if (overlap) {
      p.issue(
        'malformed',
        conflict ? 'error' : 'warn',
        `${this.label}: overlapping fragments${conflict ? ' with conflicting data' : ''}`,
        frag.start,
        frag.end,
      );
    }
    const result: Extract<ReassemblyResult, { kind: 'complete' }> = {
      kind: 'complete',
      bytes,
      fragments: sorted.map(({ frame: fr, offset, length: l }) => ({ frame: fr, offset, length: l })),
      overlap,
    };
    this.pending.delete(frag.key);
    this.pendingBytes -= entry.bytes;
    for (const x of sorted) this.completedIn.set(`${x.frame}:${frag.key}`, frame);
    this.finished.set(id, result);
    this.finishedBytes += bytes.length;
    while (this.finishedBytes > this.limits.finishedBytes && this.finished.size > 1) {
      const [oldest, old] = this.finished.entries().next().value as [string, { bytes: Uint8Array }];
      this.finished.delete(oldest);
      this.finishedBytes -= old.bytes.length;
      p.issue(
        'unsupported',
        'note',
        `${this.label} reassembly cache over ${this.limits.finishedBytes} bytes: dropped the oldest datagram`,
        frag.start,
        frag.end,
      );
    }
    return result;
  }

  /** Drops the oldest incomplete datagrams when pending fragments exceed the bound. */
  private enforcePendingBound(p: Dissection, frag: FragmentInput): void {
    while (this.pendingBytes > this.limits.pendingBytes && this.pending.size > 1) {
      const [key, old] = this.pending.entries().next().value as [string, Pending];
      if (key === frag.key) break;
      this.pending.delete(key);
      this.pendingBytes -= old.bytes;
      p.issue(
        'unsupported',
        'warn',
        `${this.label} reassembly memory bound (${this.limits.pendingBytes} bytes) exceeded: dropped an incomplete datagram`,
        frag.start,
        frag.end,
      );
    }
  }
}
