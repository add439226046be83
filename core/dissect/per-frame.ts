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
