// Builds pcapng blocks byte by byte (either byte order) for variants no tool we have writes:
// big-endian sections, 2^-k and 1e-3 resolutions, if_tsoffset, SPB, the obsolete Packet Block,
// NRB, custom blocks, and deliberately broken blocks. tshark reads the results as the reference.

export interface Opt {
  code: number;
  value: Uint8Array | string;
}

const enc = new TextEncoder();

export class PcapngBuilder {
  private parts: Uint8Array[] = [];
  constructor(private le = true) {}

  /** Raw bytes, e.g. for a damaged tail. */
  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  block(type: number, body: Uint8Array, options: Opt[] = [], lengthOverride?: number): this {
    const opts = this.options(options);
    const length = 12 + body.length + opts.length;
    const out = new Uint8Array(length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, type, this.le);
    dv.setUint32(4, lengthOverride ?? length, this.le);
    out.set(body, 8);
    out.set(opts, 8 + body.length);
    dv.setUint32(length - 4, lengthOverride ?? length, this.le);
    this.parts.push(out);
    return this;
  }

  shb(options: Opt[] = [], le = this.le): this {
    this.le = le;
    const body = this.fields([
      [4, 0x1a2b3c4d],
      [2, 1],
      [2, 0],
      [4, 0xffffffff],
      [4, 0xffffffff],
    ]);
    return this.block(0x0a0d0d0a, body, options);
  }

  idb(linkType: number, snapLen: number, options: Opt[] = []): this {
    return this.block(
      1,
      this.fields([
        [2, linkType],
        [2, 0],
        [4, snapLen],
      ]),
      options,
    );
  }

  epb(
    iface: number,
    tsHigh: number,
    tsLow: number,
    data: Uint8Array,
    origLen = data.length,
    options: Opt[] = [],
  ): this {
    return this.block(
      6,
      this.concat(
        this.fields([
          [4, iface],
          [4, tsHigh],
          [4, tsLow],
          [4, data.length],
          [4, origLen],
        ]),
        pad(data),
      ),
      options,
    );
  }

  spb(data: Uint8Array, origLen = data.length): this {
    return this.block(3, this.concat(this.fields([[4, origLen]]), pad(data)));
  }

  opb(iface: number, tsHigh: number, tsLow: number, data: Uint8Array, options: Opt[] = []): this {
    return this.block(
      2,
      this.concat(
        this.fields([
          [2, iface],
          [2, 0],
          [4, tsHigh],
          [4, tsLow],
          [4, data.length],
          [4, data.length],
        ]),
        pad(data),
      ),
      options,
    );
  }

  nrb(records: { type: number; value: Uint8Array }[]): this {
    const parts = records.map((r) =>
      this.concat(
        this.fields([
          [2, r.type],
          [2, r.value.length],
        ]),
        pad(r.value),
      ),
    );
    parts.push(new Uint8Array(4)); // nrb_record_end
    return this.block(4, this.concat(...parts));
  }

  isb(iface: number, tsHigh: number, tsLow: number, options: Opt[] = []): this {
    return this.block(
      5,
      this.fields([
        [4, iface],
        [4, tsHigh],
        [4, tsLow],
      ]),
      options,
    );
  }

  dsb(type: number, data: Uint8Array): this {
    return this.block(
      0x0a,
      this.concat(
        this.fields([
          [4, type],
          [4, data.length],
        ]),
        pad(data),
      ),
    );
  }

  u64(value: bigint): Uint8Array {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, value, this.le);
    return out;
  }

  bytes(): Uint8Array {
    return this.concat(...this.parts);
  }

  private options(options: Opt[]): Uint8Array {
    if (options.length === 0) return new Uint8Array(0);
    const parts = options.map((o) => {
      const value = typeof o.value === 'string' ? enc.encode(o.value) : o.value;
      return this.concat(
        this.fields([
          [2, o.code],
          [2, value.length],
        ]),
        pad(value),
      );
    });
    parts.push(new Uint8Array(4)); // opt_endofopt
    return this.concat(...parts);
  }

  private fields(fields: [number, number][]): Uint8Array {
    const size = fields.reduce((n, [w]) => n + w, 0);
    const out = new Uint8Array(size);
    const dv = new DataView(out.buffer);
    let p = 0;
    for (const [w, v] of fields) {
      if (w === 2) dv.setUint16(p, v, this.le);
      else dv.setUint32(p, v, this.le);
      p += w;
    }
    return out;
  }

  private concat(...parts: Uint8Array[]): Uint8Array {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let p = 0;
    for (const part of parts) {
      out.set(part, p);
      p += part.length;
    }
    return out;
  }
}

function pad(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((data.length + 3) & ~3);
  out.set(data);
  return out;
}
