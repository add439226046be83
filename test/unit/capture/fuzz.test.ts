// Mutated captures: random bytes overwritten, lengths corrupted, files cut anywhere. The reader
// never throws anything but CaptureError, always terminates, and every record it yields has
// exactly capLen bytes of data.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureError, openCaptureBytes } from '../../../core/capture';

const FIX = 'test/fixtures/capture';

function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function exercise(bytes: Uint8Array): void {
  let reader;
  try {
    reader = openCaptureBytes(bytes, 'mutant');
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    return;
  }
  let n = 0;
  for (const r of reader.records()) {
    if (r.data.length !== r.capLen)
      throw new Error(`record ${n}: ${r.data.length} bytes for caplen ${r.capLen}`);
    if (++n > 1_000_000) throw new Error('no end');
    reader.readPacketAt(r.offset);
  }
  if (reader.damage) expect(reader.damage.reason.length).toBeGreaterThan(10);
}

describe('mutated captures', () => {
  for (const name of [
    'lo-usec.pcap',
    'lo-nsec.pcap',
    'lo-dumpcap.pcapng',
    'merged-eth-sll2.pcapng',
    'two-sections.pcapng',
    'with-secrets.pcapng',
  ]) {
    it(name, () => {
      const original = new Uint8Array(readFileSync(`${FIX}/${name}`));
      const next = random(name.length * 7919);
      for (let round = 0; round < 400; round++) {
        const bytes = original.slice();
        const edits = 1 + (next() % 8);
        for (let e = 0; e < edits; e++) {
          const at = next() % bytes.length;
          // Mostly single bytes; sometimes a 32-bit field set to an extreme value.
          if (next() % 4 === 0 && at + 4 <= bytes.length)
            new DataView(bytes.buffer).setUint32(
              at,
              [0, 7, 0xffffffff, 0x7fffffff, 13][next() % 5]!,
              next() % 2 === 0,
            );
          else bytes[at] = next() & 0xff;
        }
        exercise(bytes);
        exercise(bytes.subarray(0, next() % bytes.length));
      }
      // And the gzip path, cut anywhere.
      const gz = gzipSync(original);
      for (let i = 0; i < 40; i++) exercise(gz.subarray(0, 2 + (next() % (gz.length - 2))));
    });
  }
});
