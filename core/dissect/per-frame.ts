// Per-frame facts a protocol learns on the first pass and reads back on a revisit (the engine
// decodes packet N again, out of order, when it is shown). Columns of numbers indexed by frame
// number (dense and 1-based) in typed arrays that grow by doubling: a few bytes per frame and no
// object per frame, which matters at a million packets. A second layer of the same protocol in
// one frame (tunnels) is rare and goes to a small map.

export class PerFrameTable {
  private values: Float64Array;
  private present: Uint8Array;
  private readonly extra = new Map<number, Float64Array>();

  /** `width` numbers per frame; float64 holds any uint32 or small negative value exactly. */
  constructor(readonly width: number) {
    this.values = new Float64Array(1024 * width);
    this.present = new Uint8Array(1024);
  }

  has(frame: number, layer = 0): boolean {
    if (layer > 0) return this.extra.has(frame * 16 + layer);
    return frame < this.present.length && this.present[frame] === 1;
  }

  get(frame: number, layer: number, column: number): number {
    if (layer > 0) return this.extra.get(frame * 16 + layer)?.[column] ?? 0;
    return this.values[frame * this.width + column]!;
  }

  set(frame: number, layer: number, column: number, value: number): void {
    if (layer > 0) {
      let row = this.extra.get(frame * 16 + layer);
      if (!row) this.extra.set(frame * 16 + layer, (row = new Float64Array(this.width)));
      row[column] = value;
      return;
    }
    if (frame >= this.present.length) this.grow(frame);
    this.present[frame] = 1;
    this.values[frame * this.width + column] = value;
  }

  private grow(frame: number): void {
    let size = this.present.length;
    while (size <= frame) size *= 2;
    const present = new Uint8Array(size);
    present.set(this.present);
    const values = new Float64Array(size * this.width);
    values.set(this.values);
    this.present = present;
    this.values = values;
  }
}

/** A compact text key for a network address (4 or 16 bytes): decimal 32-bit words. */
export function addressKey(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 3 < b.length; i += 4) {
    const w = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
    s += i ? '.' + w : String(w);
  }
  return s;
}

/**
 * Conversations keyed by the normalised pair of (network address, port) endpoints, either
 * direction. IPv4 endpoints (address × 65536 + port, exact in a double) key two levels of
 * number maps — no string is built per packet; other families fall back to a text key.
 * `find` remembers the key it computed, so a following `add` reuses it.
 */
export class EndpointPairMap<T> {
  private readonly v4 = new Map<number, Map<number, T>>();
  private readonly other = new Map<string, T>();
  private lo = 0;
  private hi = 0;
  private text = '';
  /** Whether the last `find`'s source endpoint is the pair's first (lower) one. */
  srcIsFirst = true;
  size = 0;

  find(family: number, src: Uint8Array, dst: Uint8Array, srcPort: number, dstPort: number): T | undefined {
    if (family === 4 && src.length === 4 && dst.length === 4) {
      const a = ipv4Number(src) * 65536 + srcPort;
      const b = ipv4Number(dst) * 65536 + dstPort;
      this.srcIsFirst = a <= b;
      this.lo = this.srcIsFirst ? a : b;
      this.hi = this.srcIsFirst ? b : a;
      this.text = '';
      return this.v4.get(this.lo)?.get(this.hi);
    }
    const a = `${addressKey(src)}/${srcPort}`;
    const b = `${addressKey(dst)}/${dstPort}`;
    this.srcIsFirst = a <= b;
    this.text = `${family}|${this.srcIsFirst ? a + '|' + b : b + '|' + a}`;
    return this.other.get(this.text);
  }

  /** Stores `value` under the key of the last `find` (replacing what was there). */
  add(value: T): void {
    if (this.text) {
      if (!this.other.has(this.text)) this.size++;
      this.other.set(this.text, value);
      return;
    }
    let inner = this.v4.get(this.lo);
    if (!inner) this.v4.set(this.lo, (inner = new Map()));
    if (!inner.has(this.hi)) this.size++;
    inner.set(this.hi, value);
  }
}

function ipv4Number(b: Uint8Array): number {
  return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
}
