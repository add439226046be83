// Truncated copies (what `head -c N` makes) of real captures, cut at many points: we read the
// same packets tshark reads before the cut, and say where the file ends.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureBytes } from '../../../core/capture';
import { epoch, hasTshark, readFile, readAll, tsharkFrames } from './tshark';

const FIX = 'test/fixtures/capture';
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-cut-'));

describe.skipIf(!hasTshark)('truncated captures', () => {
  for (const name of ['lo-usec.pcap', 'lo-nsec.pcap', 'lo-dumpcap.pcapng', 'merged-eth-sll2.pcapng']) {
    it(name, () => {
      const bytes = readFileSync(`${FIX}/${name}`);
      const full = readAll(openCaptureBytes(bytes));
      // Cut points spread over the file, each a few bytes into a packet record.
      const cuts = [0.13, 0.31, 0.52, 0.77, 0.96].map((f) => {
        const k = Math.floor(f * full.length);
        return full[k]!.offset + 1 + ((k * 7) % 20);
      });
      for (const cut of cuts) {
        const path = join(tmp, `${cut}-${name}`);
        writeFileSync(path, bytes.subarray(0, cut));
        const { reader, records } = readFile(path);
        const tshark = tsharkFrames(path);
        expect(tshark.error).toMatch(/cut short in the middle of a packet/);
        expect(records.map(epoch)).toEqual(tshark.frames.map((f) => f.time));
        const broken = full[records.length]!;
        expect(reader.damage?.offset).toBe(broken.offset);
        expect(reader.damage?.reason).toMatch(
          new RegExp(`^the file ends in the middle of a .* at offset ${broken.offset} \\(`),
        );
      }
    });
  }
});
