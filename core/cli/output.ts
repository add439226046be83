// Buffered stdout: text is encoded into a 1 MiB buffer and written in large chunks with
// fs.writeSync (a console.log per packet costs more than decoding it). A closed pipe
// (`wirelens read f | head`) stops output quietly.
import { writeSync } from 'node:fs';

const FLUSH_AT = 1 << 20;

export class PipeClosed extends Error {
  constructor() {
    super('output closed');
  }
}

export class Output {
  // Text is encoded straight into one reused buffer: cheaper than growing a huge string and
  // encoding it at once (that flattens a long rope of small pieces first).
  private readonly buf = Buffer.allocUnsafe(FLUSH_AT);
  private pos = 0;
  constructor(private readonly fd = 1) {}

  write(s: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 code unit.
    if (this.pos + s.length * 3 > this.buf.length) {
      this.flush();
      if (s.length * 3 > this.buf.length) {
        this.writeAll(Buffer.from(s, 'utf8'));
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  flush(): void {
    if (this.pos === 0) return;
    const n = this.pos;
    this.pos = 0;
    this.writeAll(this.buf.subarray(0, n));
  }

  private writeAll(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off, data.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue; // non-blocking pipe full: retry
        if (code === 'EPIPE') throw new PipeClosed();
        throw e;
      }
    }
  }
}
