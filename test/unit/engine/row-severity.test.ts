// The packet list's expert marker: rows carry the highest severity of the packet's expert items
// when it is note, warn or error, compared with tshark's `_ws.expert.severity` on a lossy capture.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Engine, expertSeverity } from '../../../core/engine/engine';
import { hasTshark } from '../../helpers/decode';

const FILE = 'test/fixtures/tcp/lossy-http.pcap';

describe('row severity', () => {
  it('picks the highest severity above chat', () => {
    expect(expertSeverity([])).toBeUndefined();
    expect(expertSeverity([{ severity: 'chat' }])).toBeUndefined();
    expect(expertSeverity([{ severity: 'note' }, { severity: 'chat' }])).toBe('note');
    expect(expertSeverity([{ severity: 'note' }, { severity: 'warn' }, { severity: 'chat' }])).toBe('warn');
    expect(expertSeverity([{ severity: 'error' }, { severity: 'warn' }])).toBe('error');
  });

  it('marks the retransmissions and lost segments of a lossy capture', async () => {
    const engine = new Engine();
    const summary = await engine.openBytes('lossy.pcap', new Uint8Array(readFileSync(FILE)));
    const rows = await engine.rows(0, summary.packets);
    const marked = rows.filter((r) => r.severity);
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.some((r) => r.severity === 'warn')).toBe(true);
    // The expert view's entries and the rows agree: every packet an entry names at note or above
    // carries at least that severity.
    const rank = { note: 2, warn: 3, error: 4 } as const;
    for (const entry of await engine.expertInfo()) {
      if (entry.severity === 'chat') continue;
      for (const frame of entry.frames)
        expect(
          rank[rows[frame - 1]!.severity ?? 'note'],
          `frame ${frame}: ${entry.summary}`,
        ).toBeGreaterThanOrEqual(rank[entry.severity]);
    }
    if (!hasTshark) return;
    // tshark 4.0 prints each packet's highest expert severity (chat 2097152, note 4194304,
    // warn 6291456, error 8388608); the rows mark the same packets with note or above.
    const out = spawnSync(
      'tshark',
      ['-r', FILE, '-o', 'tcp.reassemble_out_of_order:TRUE', '-T', 'fields', '-e', '_ws.expert.severity'],
      { encoding: 'utf8' },
    ).stdout;
    const expected = out
      .split('\n')
      .slice(0, summary.packets)
      .map((line) => {
        const values = line.split(',').filter(Boolean).map(Number);
        const top = values.length ? Math.max(...values) : 0;
        return top >= 8388608 ? 'error' : top >= 6291456 ? 'warn' : top >= 4194304 ? 'note' : undefined;
      });
    const mismatches = rows
      .map((r, i) => ({ frame: i + 1, ours: r.severity, tshark: expected[i] }))
      .filter((m) => m.ours !== m.tshark);
    expect(mismatches).toEqual([]);
  });
});
