// Per-frame facts a protocol learns on the first pass and reads back on a revisit (the engine
// decodes packet N again, out of order, when it is shown). Columns of numbers indexed by frame
// number (dense and 1-based) in typed arrays that grow by doubling: a few bytes per frame and no
// object per frame, which matters at a million packets. Each column has its own array type, as
// narrow as its values allow (a stream index in 4 bytes, a flag in 1, rather than 8 bytes each:
// at a million frames a 7-column TCP table takes 15 MB instead of 56). A second layer of the
// same protocol in one frame (tunnels) is rare and goes to a small map of float64 rows.

/** Storage of one column: `f64` any number (uint32, negative, fractional, up to 2^53); `u32`
 * 0 … 2^32-1; `i32` -2^31 … 2^31-1; `u8` 0 … 255; `i8` -128 … 127. A value outside its column's
 * range is stored wrapped (as typed arrays do), so choose the type by the values' range. */
export type FrameColumnType = 'f64' | 'u32' | 'i32' | 'u8' | 'i8';

type ColumnArray = Float64Array | Uint32Array | Int32Array | Uint8Array;

function columnArray(type: FrameColumnType, size: number): ColumnArray {
  switch (type) {
    case 'f64':
      return new Float64Array(size);
    case 'u32':
      return new Uint32Array(size);
    case 'i32':
      return new Int32Array(size);
    default:
      // `i8` is kept in a Uint8Array and sign-extended on reading: four array kinds keep the
      // reads in `get` polymorphic rather than megamorphic.
      return new Uint8Array(size);
  }
}

export class PerFrameTable {
  readonly width: number;
  private readonly types: readonly FrameColumnType[];
  private readonly signed8: boolean[];
  private columns: ColumnArray[];
  private present: Uint8Array;
  private readonly extra = new Map<number, Float64Array>();

  /** `columns`: the type of each column, or a count of float64 columns (any uint32 or small
   * negative value, exactly). */
  constructor(columns: number | readonly FrameColumnType[]) {
    this.types = typeof columns === 'number' ? new Array<FrameColumnType>(columns).fill('f64') : columns;
    this.width = this.types.length;
    this.signed8 = this.types.map((t) => t === 'i8');
    this.columns = this.types.map((t) => columnArray(t, 1024));
    this.present = new Uint8Array(1024);
  }

  has(frame: number, layer = 0): boolean {
    if (layer > 0) return this.extra.has(frame * 16 + layer);
    return frame < this.present.length && this.present[frame] === 1;
  }

  get(frame: number, layer: number, column: number): number {
    if (layer > 0) return this.extra.get(frame * 16 + layer)?.[column] ?? 0;
    const v = this.columns[column]![frame] ?? 0;
    return this.signed8[column] ? (v << 24) >> 24 : v;
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
    this.columns[column]![frame] = value;
  }

  private grow(frame: number): void {
    let size = this.present.length;
    while (size <= frame) size *= 2;
    const present = new Uint8Array(size);
    present.set(this.present);
    this.present = present;
    this.columns = this.columns.map((old, i) => {
      const a = columnArray(this.types[i]!, size);
      a.set(old);
      return a;
    });
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
