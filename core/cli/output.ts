// Buffered stdout: text accumulates in a string and is written in large chunks with
// fs.writeSync (a console.log per packet costs more than decoding it). A closed pipe
// (`wirelens read f | head`) stops output quietly.
import { writeSync } from 'node:fs';

const FLUSH_AT = 1 << 16;

export class PipeClosed extends Error {
  constructor() {
    super('output closed');
  }
}

export class Output {
  private buf = '';
  constructor(private readonly fd = 1) {}

  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (!this.buf) return;
    const data = Buffer.from(this.buf, 'utf8');
    this.buf = '';
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
