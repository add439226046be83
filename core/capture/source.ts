// Where a reader's bytes come from: a sliding window over a file read with fs.readSync (so a
// multi-GB capture is read in constant memory), or a byte array already in memory (openCaptureBytes,
// or a gzip file after decompression). Parsers ask `ensure(offset, length)` and then read
// `buf`/`view` at `offset - start`.
import { closeSync, readSync } from 'node:fs';

const CHUNK = 4 * 1024 * 1024;

export class ByteWindow {
  buf: Uint8Array;
  view: DataView;
  /** Absolute offset of buf[0]. */
  start = 0;
  /** Absolute offset just past the last valid byte in buf. */
  end = 0;
  readonly size: number;
  private fd: number | undefined;

  private constructor(buf: Uint8Array, size: number, fd: number | undefined) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.size = size;
    this.fd = fd;
  }

  static fromBytes(bytes: Uint8Array): ByteWindow {
    const w = new ByteWindow(bytes, bytes.length, undefined);
    w.end = bytes.length;
    return w;
  }

  static fromFile(fd: number, size: number): ByteWindow {
    return new ByteWindow(new Uint8Array(Math.min(CHUNK, Math.max(size, 64))), size, fd);
  }

  /** Makes [offset, offset+length) available in buf; false if the data ends first. */
  ensure(offset: number, length: number): boolean {
    if (offset >= this.start && offset + length <= this.end) return true;
    if (offset + length > this.size || this.fd === undefined) return false;
    this.refill(offset, length);
    return offset + length <= this.end;
  }

  /** Moves the window to start at `offset`, keeping any bytes already loaded past it. */
  private refill(offset: number, length: number): void {
    const keep = offset >= this.start && offset < this.end ? this.end - offset : 0;
    if (length > this.buf.length) {
      let capacity = this.buf.length;
      while (capacity < length) capacity *= 2;
      const bigger = new Uint8Array(capacity);
      if (keep) bigger.set(this.buf.subarray(offset - this.start, this.end - this.start));
      this.buf = bigger;
      this.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
    } else if (keep) {
      this.buf.copyWithin(0, offset - this.start, this.end - this.start);
    }
    this.start = offset;
    this.end = offset + keep;
    let filled = keep;
    while (filled < this.buf.length && this.end < this.size) {
      const n = readSync(this.fd!, this.buf, filled, this.buf.length - filled, this.end);
      if (n <= 0) break;
      filled += n;
      this.end += n;
    }
  }

  /** A fresh copy of [offset, offset+length), without moving the streaming window. */
  copyAt(offset: number, length: number): Uint8Array | undefined {
    if (offset < 0 || length < 0 || offset + length > this.size) return undefined;
    const out = new Uint8Array(length);
    if (this.fd === undefined || (offset >= this.start && offset + length <= this.end)) {
      out.set(this.buf.subarray(offset - this.start, offset - this.start + length));
      return out;
    }
    let filled = 0;
    while (filled < length) {
      const n = readSync(this.fd, out, filled, length - filled, offset + filled);
      if (n <= 0) return undefined;
      filled += n;
    }
    return out;
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
