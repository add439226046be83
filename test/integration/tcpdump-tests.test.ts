// `wirelens read` over every capture of tcpdump's test suite (many malformed on purpose):
// it exits 0 or 2, never prints a stack trace, takes under 10 s, and for the link types
// Wirelens decodes (Ethernet, SLL, SLL2, NULL/LOOP, raw IP) reads as many packets as tshark 4.0
// (compared only where tshark itself reads the file without error).
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../core/capture';
import { hasTshark } from '../helpers/decode';
import { pool, tcpdumpTestFiles, tsharkCached, wirelens, type RunResult } from './cli-helpers';

const FILES = tcpdumpTestFiles();
/** Ethernet, NULL, raw IP (12, 14, 101), LOOP, SLL, raw IPv4/IPv6, SLL2. */
const COMPARED_LINK_TYPES = new Set([1, 0, 12, 14, 101, 108, 113, 228, 229, 276]);

function linkTypes(path: string): number[] {
  try {
    const r = openCaptureFile(path);
    try {
      for (const rec of r.records()) void rec;
      return [...new Set(r.info.interfaces.map((i) => i.linkType))];
    } finally {
      r.close();
    }
  } catch {
    return [];
  }
}

const STACK = /\n\s+at .+[(:]\d+/;
/** `wirelens read` results of the first test, reused for the packet counts. */
const ours = new Map<string, RunResult>();

describe.skipIf(!FILES.length)('wirelens read on tcpdump-tests', () => {
  it(`reads all ${FILES.length} files: exit 0 or 2, one-line errors, under 10 s`, async () => {
    const results = await pool(FILES, async (f) => {
      const r = await wirelens(['read', f], 20_000);
      ours.set(f, r);
      return { f, r };
    });
    const bad = results.filter(
      ({ r }) =>
        (r.code !== 0 && r.code !== 2) ||
        STACK.test(r.stderr) ||
        r.ms > 10_000 ||
        (r.code === 2 && !/^wirelens: .+\n$/.test(r.stderr)),
    );
    expect(bad.map(({ f, r }) => `${f}: exit ${r.code} in ${r.ms} ms: ${r.stderr.slice(0, 300)}`)).toEqual(
      [],
    );
  }, 600_000);

  it.skipIf(!hasTshark)(
    'packet counts equal tshark for Ethernet, SLL, SLL2, NULL/LOOP and raw-IP files',
    async () => {
      const eligible = FILES.filter((f) => {
        const lt = linkTypes(f);
        return lt.length > 0 && lt.every((t) => COMPARED_LINK_TYPES.has(t));
      });
      expect(eligible.length).toBeGreaterThan(100);
      const rows = await pool(eligible, async (f) => {
        const w = ours.get(f) ?? (await wirelens(['read', f], 20_000));
        const t = await tsharkCached(f, ['-T', 'fields', '-e', 'frame.number'], 60_000);
        // One line per packet in both (the default output's Info never holds a newline).
        const count = (s: string) => (s ? s.replace(/\n$/, '').split('\n').length : 0);
        return { f, tsharkOk: t.code === 0, ours: count(w.stdout), theirs: count(t.stdout) };
      });
      const compared = rows.filter((r) => r.tsharkOk);
      const mismatches = compared
        .filter((r) => r.ours !== r.theirs)
        .map((r) => `${r.f}: ${r.ours} vs tshark ${r.theirs}`);
      expect(mismatches).toEqual([]);
      expect(compared.length).toBeGreaterThan(100);
    },
    600_000,
  );
});
