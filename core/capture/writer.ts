// Writers for classic pcap and pcapng, to a file or to a chunk callback, optionally gzip'd.
// Output is buffered into 1 MiB chunks; with gzip each chunk becomes its own gzip member
// (RFC 1952 §2.2 allows concatenated members), so memory stays flat for long exports.
import { closeSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { linkTypeName } from './linktypes';
import { PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO } from './pcap';
import { BLOCK } from './pcapng';
import { timestampUnits } from './timestamps';
import { CaptureError, MAX_CAPLEN, type CaptureWriter } from './types';
import { concatBytes } from './bytes';

const CHUNK = 1024 * 1024;
const utf8 = new TextEncoder();

type Sink = (chunk: Uint8Array) => void;

/** Collects little-endian output and hands it on in chunks. */
class Output {
  private buf = new Uint8Array(CHUNK);
  private dv = new DataView(this.buf.buffer);
  private used = 0;
  private closeTarget: (() => void) | undefined;
  private readonly sink: Sink;

  constructor(target: string | Sink, gzip: boolean) {
    let sink: Sink;
    if (typeof target === 'string') {
      let fd: number;
      try {
        fd = openSync(target, 'w');
      } catch (error) {
        throw new CaptureError('unreadable', `${target} cannot be written: ${(error as Error).message}`);
      }
      sink = (chunk) => {
        for (let done = 0; done < chunk.length;) done += writeSync(fd, chunk, done, chunk.length - done);
      };
      this.closeTarget = () => closeSync(fd);
    } else {
      sink = target;
    }
    this.sink = gzip ? (chunk) => sink(gzipSync(chunk)) : sink;
  }

  /** Room for `n` more bytes; returns the write position. */
  reserve(n: number): number {
    if (this.used + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) {
        this.buf = new Uint8Array(n);
        this.dv = new DataView(this.buf.buffer);
      }
    }
    const at = this.used;
    this.used += n;
    return at;
  }

  u8(at: number, v: number): void {
    this.buf[at] = v;
  }
  u16(at: number, v: number): void {
    this.dv.setUint16(at, v, true);
  }
  u32(at: number, v: number): void {
    this.dv.setUint32(at, v, true);
  }
  bytes(at: number, b: Uint8Array): void {
    this.buf.set(b, at);
  }

  flush(): void {
    if (this.used === 0) return;
    this.sink(this.buf.slice(0, this.used));
    this.used = 0;
  }

  close(): void {
    this.flush();
    this.closeTarget?.();
    this.closeTarget = undefined;
  }
}

interface WriterInterface {
  linkType: number;
  snapLen: number;
}

export function createCaptureWriter(
  target: string | Sink,
  format: 'pcap' | 'pcapng',
  opts: { comment?: string; nanosecond?: boolean; gzip?: boolean } = {},
): CaptureWriter {
  const out = new Output(target, opts.gzip ?? false);
  return format === 'pcap' ? new PcapWriter(out, opts.nanosecond ?? false) : new PcapngWriter(out, opts);
}

/** One interface's packets as capture file bytes in memory (demo, hex import, generated traces). */
export function captureBytes(
  format: 'pcap' | 'pcapng',
  iface: { linkType: number; name?: string; snapLen?: number },
  packets: Iterable<{ tsSec: number; tsNsec: number; data: Uint8Array }>,
  opts: { comment?: string; gzip?: boolean } = {},
): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = createCaptureWriter((chunk) => chunks.push(chunk.slice()), format, opts);
  const id = w.addInterface({ snapLen: MAX_CAPLEN, ...iface });
  for (const p of packets) w.writePacket({ interfaceId: id, ...p });
  w.close();
  return concatBytes(chunks);
}

/** `.pcap`/`.cap` → pcap, `.pcapng`/`.ntar` → pcapng, each optionally followed by `.gz`. */
export function formatForPath(path: string): { format: 'pcap' | 'pcapng'; gzip: boolean } {
  let name = path.toLowerCase();
  const gzip = name.endsWith('.gz');
  if (gzip) name = name.slice(0, -3);
  return { format: name.endsWith('.pcapng') || name.endsWith('.ntar') ? 'pcapng' : 'pcap', gzip };
}

abstract class WriterBase implements CaptureWriter {
  protected interfaces: WriterInterface[] = [];
  protected closed = false;
  constructor(protected readonly out: Output) {}

  abstract addInterface(iface: {
    linkType: number;
    snapLen?: number;
    name?: string;
    description?: string;
  }): number;
  abstract writePacket(p: Parameters<CaptureWriter['writePacket']>[0]): void;

  protected iface(id: number): WriterInterface {
    const iface = this.interfaces[id];
    if (!iface)
      throw new CaptureError(
        'unsupported',
        `cannot write a packet for interface ${id}: no such interface was added`,
      );
    if (this.closed)
      throw new CaptureError('unsupported', 'cannot write a packet: the capture writer is closed');
    return iface;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.finish();
    this.out.close();
  }

  protected finish(): void {}
}

/** Classic pcap: one link type per file, so every interface must share it. */
class PcapWriter extends WriterBase {
  private headerWritten = false;
  constructor(
    out: Output,
    private readonly nanosecond: boolean,
  ) {
    super(out);
  }

  addInterface(iface: { linkType: number; snapLen?: number }): number {
    this.interfaces.push({ linkType: iface.linkType, snapLen: iface.snapLen || MAX_CAPLEN });
    if (!this.headerWritten) this.writeHeader(this.interfaces[0]!);
    return this.interfaces.length - 1;
  }

  private writeHeader(first: WriterInterface): void {
    const o = this.out;
    const at = o.reserve(24);
    o.u32(at, this.nanosecond ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO);
    o.u16(at + 4, 2);
    o.u16(at + 6, 4);
    o.u32(at + 8, 0); // thiszone
    o.u32(at + 12, 0); // sigfigs
    o.u32(at + 16, first.snapLen);
    o.u32(at + 20, first.linkType);
    this.headerWritten = true;
  }

  writePacket(p: Parameters<CaptureWriter['writePacket']>[0]): void {
    const iface = this.iface(p.interfaceId);
    const fileType = this.interfaces[0]!.linkType;
    if (iface.linkType !== fileType) {
      throw new CaptureError(
        'unsupported',
        `a pcap file holds a single link type: this packet is ${linkTypeName(iface.linkType)} (${iface.linkType}) but the file is ${linkTypeName(fileType)} (${fileType}); save as pcapng to keep both`,
      );
    }
    const o = this.out;
    const len = p.data.length;
    const at = o.reserve(16 + len);
    o.u32(at, p.tsSec);
    o.u32(at + 4, this.nanosecond ? p.tsNsec : Math.floor(p.tsNsec / 1000));
    o.u32(at + 8, len);
    o.u32(at + 12, p.origLen ?? len);
    o.bytes(at + 16, p.data);
  }

  protected override finish(): void {
    // An empty capture still gets a valid header.
    if (!this.headerWritten) this.writeHeader({ linkType: 1, snapLen: MAX_CAPLEN });
  }
}

/** pcapng: an SHB, an IDB per interface (with its name), EPBs with comments. */
class PcapngWriter extends WriterBase {
  private readonly nanosecond: boolean;
  constructor(out: Output, opts: { comment?: string; nanosecond?: boolean }) {
    super(out);
    this.nanosecond = opts.nanosecond ?? false;
    const options: Option[] = [];
    if (opts.comment) options.push(textOption(1, opts.comment));
    options.push(textOption(4, 'Wirelens')); // shb_userappl
    const at = this.block(BLOCK.SHB, 16, options);
    out.u32(at + 8, 0x1a2b3c4d);
    out.u16(at + 12, 1);
    out.u16(at + 14, 0);
    out.u32(at + 16, 0xffffffff); // section length unknown (-1)
    out.u32(at + 20, 0xffffffff);
  }

  addInterface(iface: { linkType: number; snapLen?: number; name?: string; description?: string }): number {
    const snapLen = iface.snapLen ?? 0;
    this.interfaces.push({ linkType: iface.linkType, snapLen });
    const options: Option[] = [];
    if (iface.name) options.push(textOption(2, iface.name));
    if (iface.description) options.push(textOption(3, iface.description));
    if (this.nanosecond) options.push({ code: 9, value: Uint8Array.of(9) }); // if_tsresol = 1e-9
    const at = this.block(BLOCK.IDB, 8, options);
    this.out.u16(at + 8, iface.linkType);
    this.out.u16(at + 10, 0);
    this.out.u32(at + 12, snapLen);
    return this.interfaces.length - 1;
  }

  writePacket(p: Parameters<CaptureWriter['writePacket']>[0]): void {
    this.iface(p.interfaceId);
    const options = (p.comments ?? []).map((c) => textOption(1, c));
    const len = p.data.length;
    const padded = (len + 3) & ~3;
    const at = this.block(BLOCK.EPB, 20 + padded, options);
    const ts = timestampUnits(p.tsSec, p.tsNsec, this.nanosecond);
    const o = this.out;
    o.u32(at + 8, p.interfaceId);
    o.u32(at + 12, ts.high);
    o.u32(at + 16, ts.low);
    o.u32(at + 20, len);
    o.u32(at + 24, p.origLen ?? len);
    o.bytes(at + 28, p.data);
    for (let i = len; i < padded; i++) o.u8(at + 28 + i, 0);
  }

  /** Reserves a whole block (header, `body` bytes, options, trailer); returns its start. */
  private block(type: number, body: number, options: Option[]): number {
    let optLen = 0;
    for (const opt of options) optLen += 4 + ((opt.value.length + 3) & ~3);
    if (optLen) optLen += 4; // opt_endofopt
    const length = 8 + body + optLen + 4;
    const o = this.out;
    const at = o.reserve(length);
    o.u32(at, type);
    o.u32(at + 4, length);
    let p = at + 8 + body;
    for (const opt of options) {
      o.u16(p, opt.code);
      o.u16(p + 2, opt.value.length);
      o.bytes(p + 4, opt.value);
      const padded = (opt.value.length + 3) & ~3;
      for (let i = opt.value.length; i < padded; i++) o.u8(p + 4 + i, 0);
      p += 4 + padded;
    }
    if (optLen) o.u32(p, 0);
    o.u32(at + length - 4, length);
    return at;
  }
}

interface Option {
  code: number;
  value: Uint8Array;
}

function textOption(code: number, value: string): Option {
  const bytes = utf8.encode(value);
  // An option's length is 16 bits (pcapng §3.5).
  return { code, value: bytes.length > 0xffff ? bytes.subarray(0, 0xffff) : bytes };
}
