// gzip-compressed captures, recognised by content (made with `gzip -k`): the same records as
// the plain file, readPacketAt on the inflated bytes, and a cut or corrupt stream read up to the damage.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureBytes, openCaptureFile } from '../../../core/capture';
import { epoch, hasTshark, readAll, readFile, tsharkFrames } from './tshark';

const FIX = 'test/fixtures/capture';
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-gzip-'));

describe('gzip-compressed captures', () => {
  for (const [gz, plain] of [
    [`${FIX}/lo-usec.pcap.gz`, `${FIX}/lo-usec.pcap`],
    [`${FIX}/merged-eth-sll2.pcapng.gz`, `${FIX}/merged-eth-sll2.pcapng`],
  ] as const) {
    it(`${gz.split('/').pop()} reads like the uncompressed file`, () => {
      const unzipped = readFile(plain);
      const { reader, records } = readFile(gz);
      expect(records).toEqual(unzipped.records);
      expect(reader.info.compressed).toBe(true);
      expect(reader.info.fileSize).toBe(readFileSync(gz).length);
      expect(reader.size).toBe(readFileSync(plain).length);
      expect(reader.damage).toBeUndefined();
      expect(reader.info.interfaces).toEqual(unzipped.reader.info.interfaces);
      for (const r of records) expect(reader.readPacketAt(r.offset)).toEqual(r.data);
    });
  }

  it.skipIf(!hasTshark)('is recognised by content, not by name', () => {
    const path = join(tmp, 'capture-without-extension');
    copyFileSync(`${FIX}/lo-usec.pcap.gz`, path);
    const { reader, records } = readFile(path);
    expect(reader.info.compressed).toBe(true);
    expect(records.map(epoch)).toEqual(tsharkFrames(`${FIX}/lo-usec.pcap`).frames.map((f) => f.time));
  });

  it('a gzip stream cut short gives the packets that could be inflated and says so', () => {
    const gz = readFileSync(`${FIX}/merged-eth-sll2.pcapng.gz`);
    const full = readAll(openCaptureBytes(readFileSync(`${FIX}/merged-eth-sll2.pcapng`)));
    const cut = join(tmp, 'cut.pcapng.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const reader = openCaptureFile(cut);
    const records = readAll(reader);
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(full.length);
    expect(records).toEqual(full.slice(0, records.length));
    expect(reader.damage?.reason).toMatch(/gzip stream is cut short/);
    expect(reader.damage?.offset).toBeGreaterThan(records[records.length - 1]!.offset);
  });

  it('a gzip stream corrupt in the middle is read up to the corruption', () => {
    const gz = new Uint8Array(readFileSync(`${FIX}/merged-eth-sll2.pcapng.gz`));
    const full = readAll(openCaptureBytes(readFileSync(`${FIX}/merged-eth-sll2.pcapng`)));
    for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64; i++) gz[i] = 0xff;
    const reader = openCaptureBytes(gz, 'corrupt.pcapng.gz');
    const records = readAll(reader);
    expect(records).toEqual(full.slice(0, records.length));
    expect(records.length).toBeLessThan(full.length);
    expect(reader.damage?.reason).toMatch(/gzip stream is corrupt after \d+ of \d+ compressed bytes/);
  });
});
