// Per-packet facts kept from the open pass so that common display filters run without reading
// or decoding the capture again: which protocols each packet has (a bit per protocol name) and
// the values of a few much-filtered fields (ports, TCP flags, IPv4 addresses, TTL, protocol),
// which the open pass collects anyway for the colouring rules. A packet where any of them
// occurs twice (an ICMP error quoting a datagram, a tunnel) is marked "complex": a filter pass
// decodes those few again. Filters reading any other field take the decoding path.
import type { Dissection } from '../dissect/dissection';
import { fieldsByAbbrev, type Field, type FieldValue } from '../dissect/fields';
import type { CompiledFilter } from '../filter';

/** Fields stored directly, one 32-bit value per packet and a presence bit (at most 16 fields). */
const DIRECT = [
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags',
  'udp.srcport',
  'udp.dstport',
  'ip.src',
  'ip.dst',
  'ip.ttl',
  'ip.proto',
] as const;

/** Byte fields kept as (offset, length) in the frame: a filter pass reads them from the record
 * without decoding it. */
const BYTE_FIELDS = ['tcp.payload', 'udp.payload'] as const;

/** Fields made from the direct ones: both ports, both addresses, TCP flag bits. */
const PAIRS: Record<string, [string, string]> = {
  'tcp.port': ['tcp.srcport', 'tcp.dstport'],
  'udp.port': ['udp.srcport', 'udp.dstport'],
  'ip.addr': ['ip.src', 'ip.dst'],
};
const FLAG_BITS = ['res', 'ae', 'cwr', 'ece', 'urg', 'ack', 'push', 'reset', 'syn', 'fin'].map(
  (b) => `tcp.flags.${b}`,
);

/** Most distinct protocol names one capture's facts track (a bit each). */
const MAX_PROTOCOLS = 32;

export class FilterFacts {
  private readonly direct: Field[] = [];
  private readonly bytesFields: Field[] = [];
  private readonly bytesSlot = new Map<Field, number>();
  /** Per byte field: offset in the frame (-1: absent) and length. */
  private offsets: Int32Array[];
  private lengths: Int32Array[];
  private readonly slot = new Map<Field, number>();
  private values: Int32Array[];
  /** Bit k set: direct field k is present in the packet. */
  private present: Uint16Array;
  private mask: Uint32Array;
  private complex: Uint8Array;
  private readonly protocolBit = new Map<string, number>();
  private readonly protocolNames: string[] = [];

  constructor(capacity = 1 << 16) {
    for (const name of DIRECT) {
      const f = fieldsByAbbrev.get(name);
      if (!f) continue;
      this.slot.set(f, this.direct.length);
      this.direct.push(f);
    }
    for (const name of BYTE_FIELDS) {
      const f = fieldsByAbbrev.get(name);
      if (!f) continue;
      this.bytesSlot.set(f, this.bytesFields.length);
      this.bytesFields.push(f);
    }
    this.offsets = this.bytesFields.map(() => new Int32Array(capacity).fill(-1));
    this.lengths = this.bytesFields.map(() => new Int32Array(capacity));
    this.values = this.direct.map(() => new Int32Array(capacity));
    this.present = new Uint16Array(capacity);
    this.mask = new Uint32Array(capacity);
    this.complex = new Uint8Array(capacity);
  }

  /** Marks the fields the facts need in the open pass's `wanted`. */
  markWanted(wanted: Uint8Array): void {
    for (const f of this.direct) wanted[f.id] = 1;
    for (const f of this.bytesFields) wanted[f.id] = 1;
  }

  get byteSize(): number {
    return (
      this.values.length * this.mask.length * 4 +
      this.present.byteLength +
      this.mask.byteLength +
      this.complex.byteLength
    );
  }

  /** Records packet `i` from its open-pass dissection. */
  record(i: number, p: Dissection): void {
    if (i >= this.mask.length) this.grow(Math.max(i + 1, this.mask.length * 2));
    let m = 0;
    let complex = 0;
    for (const name of p.protocols) {
      let bit = this.protocolBit.get(name);
      if (bit === undefined) {
        if (this.protocolNames.length >= MAX_PROTOCOLS) {
          complex |= 1;
          continue;
        }
        bit = this.protocolNames.length;
        this.protocolBit.set(name, bit);
        this.protocolNames.push(name);
      }
      if (m & (1 << bit)) complex |= 2; // a protocol twice: matters only to filters counting layers
      m |= 1 << bit;
    }
    let present = 0;
    const vf = p.valueFields;
    for (let k = 0; k < vf.length; k++) {
      const s = this.slot.get(vf[k]!);
      if (s === undefined) {
        const b = this.bytesSlot.get(vf[k]!);
        if (b === undefined) continue;
        const v = p.values[k]!;
        const off =
          v instanceof Uint8Array && v.buffer === p.data.buffer ? v.byteOffset - p.data.byteOffset : -1;
        // Twice, or from a reassembled buffer rather than the frame: decode this one again.
        if (off < 0 || off + (v as Uint8Array).length > p.data.length || this.offsets[b]![i] !== -1)
          complex |= 1;
        else {
          this.offsets[b]![i] = off;
          this.lengths[b]![i] = (v as Uint8Array).length;
        }
        continue;
      }
      const v = p.values[k]!;
      if (typeof v !== 'number') continue;
      if (present & (1 << s)) complex |= 1;
      present |= 1 << s;
      // IPv4 addresses are uint32: stored as int32, read back with >>> 0.
      this.values[s]![i] = v | 0;
    }
    this.present[i] = present;
    this.mask[i] = m >>> 0;
    this.complex[i] = complex;
  }

  private grow(n: number): void {
    this.values = this.values.map((old) => {
      const a = new Int32Array(n);
      a.set(old);
      return a;
    });
    this.offsets = this.offsets.map((old) => {
      const a = new Int32Array(n).fill(-1);
      a.set(old);
      return a;
    });
    this.lengths = this.lengths.map((old) => {
      const a = new Int32Array(n);
      a.set(old);
      return a;
    });
    const present = new Uint16Array(n);
    present.set(this.present);
    this.present = present;
    const mask = new Uint32Array(n);
    mask.set(this.mask);
    this.mask = mask;
    const complex = new Uint8Array(n);
    complex.set(this.complex);
    this.complex = complex;
  }

  /** Whether every field `filter` reads can be answered from the facts ('bytes': with the
   * record's bytes for payload fields). */
  covers(filter: CompiledFilter): false | 'facts' | 'bytes' {
    let bytes = false;
    for (const f of filter.fields) {
      if (this.bytesSlot.has(f)) bytes = true;
      else if (!(
        this.slot.has(f) ||
        f.abbrev in PAIRS ||
        FLAG_BITS.includes(f.abbrev) ||
        f.abbrev === 'frame.len'
      ))
        return false;
    }
    return bytes ? 'bytes' : 'facts';
  }

  /** Whether packet `i` must be decoded for `filter`: a stored field occurred twice, or a
   * protocol did and the filter counts layers. */
  isComplex(i: number, filter: CompiledFilter): boolean {
    const c = this.complex[i]!;
    return (c & 1) !== 0 || (c !== 0 && filter.usesLayers);
  }

  /**
   * A stand-in for the Dissection the predicate reads (protocols, field values and layers),
   * refilled per packet from the facts for the fields `filter` reads.
   */
  view(
    filter: CompiledFilter,
    frameLen: (i: number) => number,
  ): (i: number, data?: Uint8Array) => Dissection {
    const protocols: string[] = [];
    const valueFields: Field[] = [];
    const values: FieldValue[] = [];
    const valueLayers: number[] = [];
    const fake = { protocols, valueFields, values, valueLayers } as unknown as Dissection;
    type Filler = (i: number, data?: Uint8Array) => void;
    const push = (f: Field, v: FieldValue) => {
      valueFields.push(f);
      values.push(v);
      valueLayers.push(1);
    };
    const fillers: Filler[] = filter.fields.map((f): Filler => {
      const s = this.slot.get(f);
      const present = () => this.present;
      const b = this.bytesSlot.get(f);
      if (b !== undefined) {
        const offs = this.offsets[b]!;
        const lens = this.lengths[b]!;
        return (i, data) => {
          const o = offs[i]!;
          if (o >= 0 && data) push(f, data.subarray(o, o + lens[i]!));
        };
      }
      if (s !== undefined) {
        const arr = this.values[s]!;
        const bit = 1 << s;
        return (i) => {
          if (present()[i]! & bit) push(f, arr[i]! >>> 0);
        };
      }
      const pair = PAIRS[f.abbrev];
      if (pair) {
        const sa = this.slot.get(fieldsByAbbrev.get(pair[0])!)!;
        const sb = this.slot.get(fieldsByAbbrev.get(pair[1])!)!;
        const a = this.values[sa]!;
        const b = this.values[sb]!;
        return (i) => {
          const has = present()[i]!;
          if (has & (1 << sa)) push(f, a[i]! >>> 0);
          if (has & (1 << sb)) push(f, b[i]! >>> 0);
        };
      }
      if (f.abbrev === 'frame.len') return (i) => push(f, frameLen(i));
      // A TCP flag bit: from tcp.flags with the field's mask (the dissector adds all ten).
      const sf = this.slot.get(fieldsByAbbrev.get('tcp.flags')!)!;
      const flags = this.values[sf]!;
      const mask = f.mask ?? 0;
      return (i) => {
        if (present()[i]! & (1 << sf)) push(f, (flags[i]! & mask) !== 0);
      };
    });
    const names = this.protocolNames;
    return (i, data) => {
      protocols.length = 0;
      valueFields.length = 0;
      values.length = 0;
      valueLayers.length = 0;
      const m = this.mask[i]!;
      for (let b = 0; b < names.length; b++) if (m & (1 << b)) protocols.push(names[b]!);
      for (const fill of fillers) fill(i, data);
      return fake;
    };
  }
}
