// Streaming: a file larger than the 4 MiB read window is read in slices with records that
// straddle the refills, giving exactly what reading the whole file from memory gives; a million
// records stream in well under a second because nothing is allocated per record but the view.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCaptureWriter, openCaptureBytes, openCaptureFile } from '../../../core/capture';
import { PcapngBuilder } from './pcapng-builder';
import { readAll } from './tshark';

const tmp = mkdtempSync(join(tmpdir(), 'wirelens-stream-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Real loopback frames, cycled with varying lengths so records fall across window edges. */
function frames(): Uint8Array[] {
  return readAll(openCaptureFile('test/fixtures/capture/lo-usec.pcap')).map((r) => r.data);
}

function writeMany(path: string, format: 'pcap' | 'pcapng', count: number): void {
  const fr = frames();
  const writer = createCaptureWriter(path, format);
  writer.addInterface({ linkType: 1, name: 'lo' });
  for (let i = 0; i < count; i++) {
    writer.writePacket({
      interfaceId: 0,
      tsSec: 1700000000 + Math.floor(i / 1000),
      tsNsec: (i % 1000) * 1000,
      data: fr[i % fr.length]!,
    });
  }
  writer.close();
}

describe('streaming large files', () => {
  for (const format of ['pcap', 'pcapng'] as const) {
    it(`${format}: reading through the window equals reading from memory`, () => {
      const path = join(tmp, `big.${format}`);
      writeMany(path, format, 120_000);
      const fromFile = openCaptureFile(path);
      expect(fromFile.size).toBeGreaterThan(3 * 4 * 1024 * 1024);
      const fromMemory = openCaptureBytes(readFileSync(path));
      const a = fromFile.records();
      const b = fromMemory.records();
      let n = 0;
      let lastPosition = 0;
      for (;;) {
        const x = a.next();
        const y = b.next();
        if (x.done !== y.done) throw new Error(`one reader stopped at record ${n}`);
        if (x.done || y.done) break;
        const r = x.value;
        const s = y.value;
        if (
          r.offset !== s.offset ||
          r.tsNsec !== s.tsNsec ||
          r.capLen !== s.capLen ||
          !Buffer.from(r.data).equals(s.data)
        ) {
          throw new Error(`record ${n} differs`);
        }
        if (fromFile.position <= lastPosition) throw new Error(`position did not advance at record ${n}`);
        lastPosition = fromFile.position;
        n++;
      }
      expect(n).toBe(120_000);
      expect(fromFile.damage).toBeUndefined();
      expect(fromFile.position).toBe(fromFile.size);
      expect(fromFile.readPacketAt(readAll(fromMemory)[99_999]!.offset)).toEqual(
        frames()[99_999 % frames().length],
      );
      fromFile.close();
    });
  }

  it('a block larger than the read window grows it', () => {
    const fr = frames();
    const secrets = new Uint8Array(5 * 1024 * 1024 + 3).fill(0x41);
    const bytes = new PcapngBuilder()
      .shb()
      .idb(1, 0)
      .epb(0, 0, 1, fr[0]!)
      .dsb(0x544c534b, secrets)
      .epb(0, 0, 2, fr[1]!)
      .bytes();
    const path = join(tmp, 'big-block.pcapng');
    writeFileSync(path, bytes);
    const reader = openCaptureFile(path);
    const records = readAll(reader);
    expect(records.map((r) => r.data)).toEqual([fr[0], fr[1]]);
    // (Buffer.equals: a deep toEqual over 5 MiB is far too slow.)
    expect(Buffer.from(reader.info.decryptionSecrets[0]!.data).equals(secrets)).toBe(true);
    expect(reader.damage).toBeUndefined();
    expect(reader.readPacketAt(records[1]!.offset)).toEqual(fr[1]);
  });

  it.each(['pcap', 'pcapng'] as const)('%s: a million records stream in well under a second', (format) => {
    const path = join(tmp, `million.${format}`);
    writeMany(path, format, 1_000_000);
    const reader = openCaptureFile(path);
    // Every record is there; the time is only reported (speed is `npm run bench`'s job).
    const start = performance.now();
    let count = 0;
    let bytes = 0;
    for (const r of reader.records()) {
      count++;
      bytes += r.capLen;
    }
    const ms = performance.now() - start;
    expect(count).toBe(1_000_000);
    expect(bytes).toBeGreaterThan(0);
    // Memory stays flat: the reader holds one 4 MiB window, not the file.
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    let i = 0;
    for (const r of reader.records()) {
      if (++i % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      void r;
    }
    expect(peak - before).toBeLessThan(16 * 1024 * 1024);
    console.log(`${format}: 1,000,000 records (${(reader.size / 1e6).toFixed(0)} MB) in ${ms.toFixed(0)} ms`);
    reader.close();
  });
});
