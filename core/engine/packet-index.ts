// Per-packet data of an open capture, column-wise in typed arrays (one object per packet would
// cost ~100 bytes of heap each and GC time over millions of packets). Arrays grow by doubling,
// so the memory bound is about 2 × 37 bytes × packets.

import type { CaptureInterface } from '../capture/types';
import type { FrameMeta } from '../dissect/dissection';

const MALFORMED = 1;

export class PacketIndex {
  count = 0;
  private cap: number;
  offset: Float64Array; // file offsets may exceed 2^32
  tsSec: Float64Array;
  tsNsec: Uint32Array;
  capLen: Uint32Array;
  origLen: Uint32Array;
  interfaceId: Uint32Array;
  flags: Uint8Array;
  color: Int8Array;

  constructor(initial = 1024) {
    this.cap = initial;
    this.offset = new Float64Array(initial);
    this.tsSec = new Float64Array(initial);
    this.tsNsec = new Uint32Array(initial);
    this.capLen = new Uint32Array(initial);
    this.origLen = new Uint32Array(initial);
    this.interfaceId = new Uint32Array(initial);
    this.flags = new Uint8Array(initial);
    this.color = new Int8Array(initial);
  }

  /** Appends a packet and returns its 0-based index. */
  push(
    offset: number,
    tsSec: number,
    tsNsec: number,
    capLen: number,
    origLen: number,
    interfaceId: number,
  ): number {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.offset[i] = offset;
    this.tsSec[i] = tsSec;
    this.tsNsec[i] = tsNsec;
    this.capLen[i] = capLen;
    this.origLen[i] = origLen;
    this.interfaceId[i] = interfaceId;
    this.flags[i] = 0;
    this.color[i] = -1;
    return i;
  }

  setMalformed(i: number): void {
    this.flags[i]! |= MALFORMED;
  }
  isMalformed(i: number): boolean {
    return (this.flags[i]! & MALFORMED) !== 0;
  }

  /** Fills `meta` for packet `i` (0-based) as the first pass saw it: number, times relative to
   * the first and the previous packet, lengths, and its interface's link type and name. */
  frameMeta(i: number, interfaces: readonly CaptureInterface[], meta: FrameMeta): FrameMeta {
    const prev = i > 0 ? i - 1 : 0;
    const iface = interfaces[this.interfaceId[i]!];
    meta.number = i + 1;
    meta.tsSec = this.tsSec[i]!;
    meta.tsNsec = this.tsNsec[i]!;
    meta.relativeNs = (this.tsSec[i]! - this.tsSec[0]!) * 1e9 + (this.tsNsec[i]! - this.tsNsec[0]!);
    meta.deltaNs = (this.tsSec[i]! - this.tsSec[prev]!) * 1e9 + (this.tsNsec[i]! - this.tsNsec[prev]!);
    meta.capLen = this.capLen[i]!;
    meta.origLen = this.origLen[i]!;
    meta.linkType = iface?.linkType ?? 0;
    meta.interfaceId = this.interfaceId[i]!;
    meta.interfaceName = iface?.name;
    return meta;
  }

  /** Bytes held by the arrays (for diagnostics and memory tests). */
  get byteSize(): number {
    return this.cap * (8 + 8 + 4 + 4 + 4 + 4 + 1 + 1);
  }

  private grow(): void {
    const n = this.cap * 2;
    const g = <T extends Float64Array | Uint32Array | Uint8Array | Int8Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.offset = g(this.offset, (k) => new Float64Array(k));
    this.tsSec = g(this.tsSec, (k) => new Float64Array(k));
    this.tsNsec = g(this.tsNsec, (k) => new Uint32Array(k));
    this.capLen = g(this.capLen, (k) => new Uint32Array(k));
    this.origLen = g(this.origLen, (k) => new Uint32Array(k));
    this.interfaceId = g(this.interfaceId, (k) => new Uint32Array(k));
    this.flags = g(this.flags, (k) => new Uint8Array(k));
    this.color = g(this.color, (k) => new Int8Array(k));
    this.cap = n;
  }
}
