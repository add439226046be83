// HPACK (RFC 7541): header compression for HTTP/2. A decoder keeps the dynamic table of one
// direction of one connection (§2.3.2, §4); header blocks decode into name/value pairs with the
// representation each used (§6), the form Wireshark shows under `http2.header`. Bounded: table
// size as the peer allows, string lengths by the block, integers to 2^32.
/** RFC 7541 Appendix A: the static table (index 1..61). */
export const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];

/** RFC 7541 Appendix B: Huffman code of each symbol 0..256 (256 = EOS), and its length in bits. */
const HUFFMAN_CODES = [
  0x1ff8, 0x7fffd8, 0xfffffe2, 0xfffffe3, 0xfffffe4, 0xfffffe5, 0xfffffe6, 0xfffffe7, 0xfffffe8, 0xffffea,
  0x3ffffffc, 0xfffffe9, 0xfffffea, 0x3ffffffd, 0xfffffeb, 0xfffffec, 0xfffffed, 0xfffffee, 0xfffffef,
  0xffffff0, 0xffffff1, 0xffffff2, 0x3ffffffe, 0xffffff3, 0xffffff4, 0xffffff5, 0xffffff6, 0xffffff7,
  0xffffff8, 0xffffff9, 0xffffffa, 0xffffffb, 0x14, 0x3f8, 0x3f9, 0xffa, 0x1ff9, 0x15, 0xf8, 0x7fa, 0x3fa,
  0x3fb, 0xf9, 0x7fb, 0xfa, 0x16, 0x17, 0x18, 0x0, 0x1, 0x2, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x5c,
  0xfb, 0x7ffc, 0x20, 0xffb, 0x3fc, 0x1ffa, 0x21, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66,
  0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0xfc, 0x73, 0xfd, 0x1ffb, 0x7fff0,
  0x1ffc, 0x3ffc, 0x22, 0x7ffd, 0x3, 0x23, 0x4, 0x24, 0x5, 0x25, 0x26, 0x27, 0x6, 0x74, 0x75, 0x28, 0x29,
  0x2a, 0x7, 0x2b, 0x76, 0x2c, 0x8, 0x9, 0x2d, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7ffe, 0x7fc, 0x3ffd, 0x1ffd,
  0xffffffc, 0xfffe6, 0x3fffd2, 0xfffe7, 0xfffe8, 0x3fffd3, 0x3fffd4, 0x3fffd5, 0x7fffd9, 0x3fffd6, 0x7fffda,
  0x7fffdb, 0x7fffdc, 0x7fffdd, 0x7fffde, 0xffffeb, 0x7fffdf, 0xffffec, 0xffffed, 0x3fffd7, 0x7fffe0,
  0xffffee, 0x7fffe1, 0x7fffe2, 0x7fffe3, 0x7fffe4, 0x1fffdc, 0x3fffd8, 0x7fffe5, 0x3fffd9, 0x7fffe6,
  0x7fffe7, 0xffffef, 0x3fffda, 0x1fffdd, 0xfffe9, 0x3fffdb, 0x3fffdc, 0x7fffe8, 0x7fffe9, 0x1fffde, 0x7fffea,
  0x3fffdd, 0x3fffde, 0xfffff0, 0x1fffdf, 0x3fffdf, 0x7fffeb, 0x7fffec, 0x1fffe0, 0x1fffe1, 0x3fffe0,
  0x1fffe2, 0x7fffed, 0x3fffe1, 0x7fffee, 0x7fffef, 0xfffea, 0x3fffe2, 0x3fffe3, 0x3fffe4, 0x7ffff0, 0x3fffe5,
  0x3fffe6, 0x7ffff1, 0x3ffffe0, 0x3ffffe1, 0xfffeb, 0x7fff1, 0x3fffe7, 0x7ffff2, 0x3fffe8, 0x1ffffec,
  0x3ffffe2, 0x3ffffe3, 0x3ffffe4, 0x7ffffde, 0x7ffffdf, 0x3ffffe5, 0xfffff1, 0x1ffffed, 0x7fff2, 0x1fffe3,
  0x3ffffe6, 0x7ffffe0, 0x7ffffe1, 0x3ffffe7, 0x7ffffe2, 0xfffff2, 0x1fffe4, 0x1fffe5, 0x3ffffe8, 0x3ffffe9,
  0xffffffd, 0x7ffffe3, 0x7ffffe4, 0x7ffffe5, 0xfffec, 0xfffff3, 0xfffed, 0x1fffe6, 0x3fffe9, 0x1fffe7,
  0x1fffe8, 0x7ffff3, 0x3fffea, 0x3fffeb, 0x1ffffee, 0x1ffffef, 0xfffff4, 0xfffff5, 0x3ffffea, 0x7ffff4,
  0x3ffffeb, 0x7ffffe6, 0x3ffffec, 0x3ffffed, 0x7ffffe7, 0x7ffffe8, 0x7ffffe9, 0x7ffffea, 0x7ffffeb,
  0xffffffe, 0x7ffffec, 0x7ffffed, 0x7ffffee, 0x7ffffef, 0x7fffff0, 0x3ffffee, 0x3fffffff,
];
const HUFFMAN_LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28,
  28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7,
  8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19,
  13, 14, 6, 15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13,
  28, 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21,
  22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23,
  22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25,
  25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30,
];

/** A binary tree over the Huffman codes, built once: node = [child0, child1] or a symbol. */
type HuffNode = number | [HuffNode | undefined, HuffNode | undefined];
let huffRoot: HuffNode | undefined;

function huffmanTree(): HuffNode {
  if (huffRoot) return huffRoot;
  const root: [HuffNode | undefined, HuffNode | undefined] = [undefined, undefined];
  for (let sym = 0; sym < HUFFMAN_CODES.length; sym++) {
    const code = HUFFMAN_CODES[sym]!;
    const len = HUFFMAN_LENGTHS[sym]!;
    let node = root;
    for (let bit = len - 1; bit >= 0; bit--) {
      const b = Math.floor(code / 2 ** bit) % 2;
      if (bit === 0) node[b] = sym;
      else {
        let next = node[b];
        if (next === undefined || typeof next === 'number') node[b] = next = [undefined, undefined];
        node = next as [HuffNode | undefined, HuffNode | undefined];
      }
    }
  }
  return (huffRoot = root);
}

/** §5.2: Huffman-decodes `b`; undefined on an invalid code (EOS inside, padding > 7 bits or not
 * all ones). */
export function huffmanDecode(b: Uint8Array): Uint8Array | undefined {
  const root = huffmanTree();
  const out: number[] = [];
  let node: HuffNode = root;
  let pendingBits = 0;
  let pendingOnes = true;
  for (let i = 0; i < b.length; i++) {
    for (let bit = 7; bit >= 0; bit--) {
      const v = (b[i]! >> bit) & 1;
      const next: HuffNode | undefined = (node as [HuffNode | undefined, HuffNode | undefined])[v];
      if (next === undefined) return undefined;
      pendingBits++;
      if (v === 0) pendingOnes = false;
      if (typeof next === 'number') {
        if (next === 256) return undefined;
        out.push(next);
        node = root;
        pendingBits = 0;
        pendingOnes = true;
      } else node = next;
    }
  }
  if (pendingBits > 7 || !pendingOnes) return undefined;
  return Uint8Array.from(out);
}

/** §5.2 encoder (for tests and the simulator). */
export function huffmanEncode(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const c of b) {
    const code = HUFFMAN_CODES[c]!;
    const len = HUFFMAN_LENGTHS[c]!;
    for (let bit = len - 1; bit >= 0; bit--) {
      acc = (acc << 1) | (Math.floor(code / 2 ** bit) % 2);
      if (++bits === 8) {
        out.push(acc);
        acc = 0;
        bits = 0;
      }
    }
  }
  if (bits) out.push(((acc << (8 - bits)) | ((1 << (8 - bits)) - 1)) & 0xff);
  return Uint8Array.from(out);
}

export type HeaderRepresentation =
  | 'Indexed Header Field'
  | 'Literal Header Field with Incremental Indexing - Indexed Name'
  | 'Literal Header Field with Incremental Indexing - New Name'
  | 'Literal Header Field without Indexing - Indexed Name'
  | 'Literal Header Field without Indexing - New Name'
  | 'Literal Header Field never Indexed - Indexed Name'
  | 'Literal Header Field never Indexed - New Name';

export interface DecodedHeader {
  name: string;
  value: string;
  representation: HeaderRepresentation;
  /** Table index used (0 for a new name). */
  index: number;
  /** Byte range of the representation in the block. */
  start: number;
  end: number;
}

export interface DecodedBlock {
  headers: DecodedHeader[];
  /** Dynamic table size updates met (§6.3), with their ranges. */
  sizeUpdates: { size: number; start: number; end: number }[];
  /** Set when the block could not be decoded to the end (the rest is lost). */
  error?: string;
}

/** §5.1: an integer with an N-bit prefix at `i`; returns [value, next offset] or undefined. */
export function decodeInteger(
  b: Uint8Array,
  i: number,
  end: number,
  prefixBits: number,
): [number, number] | undefined {
  if (i >= end) return undefined;
  const max = (1 << prefixBits) - 1;
  let v = b[i]! & max;
  i++;
  if (v < max) return [v, i];
  let m = 0;
  for (;;) {
    if (i >= end || m > 28) return undefined;
    const c = b[i++]!;
    v += (c & 0x7f) * 2 ** m;
    m += 7;
    if ((c & 0x80) === 0) break;
  }
  return v <= 0xffffffff ? [v, i] : undefined;
}

export function encodeInteger(v: number, prefixBits: number, firstByteFlags: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (v < max) return [firstByteFlags | v];
  const out = [firstByteFlags | max];
  v -= max;
  while (v >= 128) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const decoder = new TextDecoder('latin1');

/** §5.2: a string literal at `i`: [text, next offset]. */
function decodeString(b: Uint8Array, i: number, end: number): [string, number] | undefined {
  if (i >= end) return undefined;
  const huffman = (b[i]! & 0x80) !== 0;
  const len = decodeInteger(b, i, end, 7);
  if (!len || len[1] + len[0] > end) return undefined;
  const raw = b.subarray(len[1], len[1] + len[0]);
  const bytes = huffman ? huffmanDecode(raw) : raw;
  if (!bytes) return undefined;
  return [decoder.decode(bytes), len[1] + len[0]];
}

/** §4.1: an entry's size is name + value + 32 octets. */
const ENTRY_OVERHEAD = 32;

/** The decoding context of one direction: the dynamic table (§2.3.2), newest first. */
export class HpackDecoder {
  private readonly entries: [string, string][] = [];
  private size = 0;

  constructor(
    /** SETTINGS_HEADER_TABLE_SIZE the decoder's side announced (default 4096, §6.5.2). */
    public maxSize = 4096,
  ) {}

  get tableSize(): number {
    return this.size;
  }

  get tableLength(): number {
    return this.entries.length;
  }

  /** Entry by §2.3.3 index (1-based, static then dynamic). */
  entry(index: number): readonly [string, string] | undefined {
    if (index >= 1 && index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1];
    return this.entries[index - STATIC_TABLE.length - 1];
  }

  private insert(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    // §4.4: an entry larger than the table empties it and is not added.
    this.entries.unshift([name, value]);
    this.size += size;
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize && this.entries.length) {
      const [n, v] = this.entries.pop()!;
      this.size -= n.length + v.length + ENTRY_OVERHEAD;
    }
  }

  /** Decodes a complete header block `[start, end)` of `b`, updating the dynamic table. */
  decode(b: Uint8Array, start: number, end: number, maxHeaders = 10_000): DecodedBlock {
    const out: DecodedBlock = { headers: [], sizeUpdates: [] };
    let i = start;
    while (i < end) {
      if (out.headers.length >= maxHeaders) {
        out.error = `more than ${maxHeaders} header fields`;
        return out;
      }
      const at = i;
      const c = b[i]!;
      if (c & 0x80) {
        // §6.1 Indexed Header Field.
        const idx = decodeInteger(b, i, end, 7);
        const e = idx && idx[0] ? this.entry(idx[0]) : undefined;
        if (!idx || !e) return fail(out, `invalid header index ${idx?.[0] ?? '?'}`);
        out.headers.push({
          name: e[0],
          value: e[1],
          representation: 'Indexed Header Field',
          index: idx[0],
          start: at,
          end: idx[1],
        });
        i = idx[1];
        continue;
      }
      if ((c & 0xe0) === 0x20) {
        // §6.3 Dynamic Table Size Update.
        const size = decodeInteger(b, i, end, 5);
        if (!size) return fail(out, 'truncated table size update');
        this.maxSize = size[0];
        this.evict();
        out.sizeUpdates.push({ size: size[0], start: at, end: size[1] });
        i = size[1];
        continue;
      }
      // §6.2 literals: with incremental indexing (01), never indexed (0001), without (0000).
      const incremental = (c & 0xc0) === 0x40;
      const never = !incremental && (c & 0xf0) === 0x10;
      const prefix = incremental ? 6 : 4;
      const idx = decodeInteger(b, i, end, prefix);
      if (!idx) return fail(out, 'truncated literal');
      i = idx[1];
      let name: string;
      if (idx[0] === 0) {
        const n = decodeString(b, i, end);
        if (!n) return fail(out, 'invalid header name');
        name = n[0];
        i = n[1];
      } else {
        const e = this.entry(idx[0]);
        if (!e) return fail(out, `invalid header index ${idx[0]}`);
        name = e[0];
      }
      const v = decodeString(b, i, end);
      if (!v) return fail(out, 'invalid header value');
      i = v[1];
      const kind = incremental ? 'with Incremental Indexing' : never ? 'never Indexed' : 'without Indexing';
      out.headers.push({
        name,
        value: v[0],
        representation:
          `Literal Header Field ${kind} - ${idx[0] ? 'Indexed Name' : 'New Name'}` as HeaderRepresentation,
        index: idx[0],
        start: at,
        end: i,
      });
      if (incremental) this.insert(name, v[0]);
    }
    return out;
  }
}

function fail(out: DecodedBlock, why: string): DecodedBlock {
  out.error = why;
  return out;
}

/** A header block for the encoder: literal without indexing, names and values Huffman-coded
 * when shorter, static-table names and full matches indexed (§6.1, §6.2.2). */
export function encodeHeaderBlock(
  headers: readonly (readonly [string, string])[],
  huffman = true,
): Uint8Array {
  const enc = new TextEncoder();
  const out: number[] = [];
  const str = (s: string) => {
    const raw = enc.encode(s);
    const h = huffman ? huffmanEncode(raw) : raw;
    const useH = huffman && h.length < raw.length;
    const bytes = useH ? h : raw;
    out.push(...encodeInteger(bytes.length, 7, useH ? 0x80 : 0));
    for (const x of bytes) out.push(x);
  };
  for (const [name, value] of headers) {
    const full = STATIC_TABLE.findIndex(([n, v]) => n === name && v === value);
    if (full >= 0) {
      out.push(...encodeInteger(full + 1, 7, 0x80));
      continue;
    }
    const nameIdx = STATIC_TABLE.findIndex(([n]) => n === name);
    if (nameIdx >= 0) out.push(...encodeInteger(nameIdx + 1, 4, 0));
    else {
      out.push(0);
      str(name);
    }
    str(value);
  }
  return Uint8Array.from(out);
}
