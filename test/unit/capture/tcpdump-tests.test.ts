// Every capture in tcpdump's test suite (many malformed on purpose): our reader never throws
// anything but CaptureError, and whenever Wireshark's capinfos reads a file without error we
// find the same number of packets.
import { TCPDUMP_TESTS } from '../../helpers/paths';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureError, linkTypeName, openCaptureFile } from '../../../core/capture';
import { hasTshark } from './tshark';

const DIR = TCPDUMP_TESTS;
const files = readdirSync(DIR)
  .filter((f) => /\.(pcap|pcapng)$/.test(f))
  .sort();

/** capinfos -c -M -T -r over all files at once: name → packet count, or the error it printed. */
function capinfosCounts(): Map<string, number | string> {
  const run = spawnSync('capinfos', ['-c', '-M', '-T', '-r', ...files], { cwd: DIR, encoding: 'utf8' });
  const result = new Map<string, number | string>();
  for (const line of run.stdout.split('\n')) {
    const [name, count] = line.split('\t');
    if (name && count !== undefined) result.set(name, Number(count));
  }
  // Errors name the file in quotes; the reason follows on the next line.
  const errLines = run.stderr.split('\n');
  errLines.forEach((line, i) => {
    const m = /The file "([^"]+)"/.exec(line);
    if (m) result.set(m[1]!, `${line} ${errLines[i + 1] ?? ''}`);
  });
  return result;
}

describe.skipIf(!hasTshark)('tcpdump test captures', () => {
  it('reads every file, counting the packets capinfos counts', () => {
    const reference = capinfosCounts();
    const mismatches: string[] = [];
    const notes: string[] = [];
    let compared = 0;
    for (const name of files) {
      const path = join(DIR, name);
      let count = 0;
      let damage: string | undefined;
      try {
        const reader = openCaptureFile(path);
        for (const r of reader.records()) {
          count++;
          if (r.data.length !== r.capLen)
            mismatches.push(`${name}: data length ${r.data.length} ≠ caplen ${r.capLen}`);
        }
        damage = reader.damage?.reason;
        for (const iface of reader.info.interfaces) {
          if (linkTypeName(iface.linkType).startsWith('Unknown'))
            mismatches.push(`${name}: link type ${iface.linkType} has no name`);
        }
        reader.close();
      } catch (error) {
        if (!(error instanceof CaptureError)) throw new Error(`${name}: ${(error as Error).stack}`);
        damage = error.message;
      }
      const expected = reference.get(name);
      if (typeof expected === 'number') {
        compared++;
        if (count !== expected || damage !== undefined) {
          mismatches.push(`${name}: we read ${count} (${damage ?? 'no damage'}), capinfos ${expected}`);
        }
      } else {
        notes.push(
          `${name}: capinfos: ${expected ?? 'no answer'}; we read ${count} records (${damage ?? 'no damage'})`,
        );
      }
    }
    console.log(
      `compared ${compared} of ${files.length} files with capinfos; files it does not read:\n${notes.join('\n')}`,
    );
    expect(compared).toBeGreaterThan(390);
    expect(mismatches).toEqual([]);
  });
});
