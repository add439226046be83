// TCP over a lossy path (scripts/fixtures/tcp-lossy.sh: nftables drops ~1 packet in 14 between
// network namespaces while curl downloads files from python's http.server): `wirelens read -2
// -T fields` must give tshark -2's values (-o tcp.reassemble_out_of_order:TRUE, committed in
// lossy-http.expected.tsv) for every packet — sequence numbers, windows, every analysis flag,
// bytes in flight, the reassembly and HTTP pairing columns, and the Info column with its
// "[TCP …]" notes, exactly (trailing spaces included). `wirelens read` (one pass) must give
// tshark's one-pass Info (lossy-http.tshark1-info.tsv), where a response's first segment shows
// its status line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, tshark, wirelens } from './cli-helpers';
import { hasTshark } from '../helpers/decode';

const FILE = `${ROOT}test/fixtures/tcp/lossy-http.pcap`;
const EXPECTED = `${ROOT}test/fixtures/tcp/lossy-http.expected.tsv`;

describe('TCP analysis on a real lossy capture equals tshark -2', () => {
  it('every packet, every compared field', async () => {
    const [header, ...rows] = readFileSync(EXPECTED, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
    const columns = header!.map((name, i) => ({ name, i }));
    const args = ['read', '-2', '-T', 'fields', ...columns.flatMap(({ name }) => ['-e', name]), FILE];
    const r = await wirelens(args, 120_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ours = r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
    expect(ours.length).toBe(rows.length);
    const mismatches: string[] = [];
    rows.forEach((want, k) => {
      columns.forEach(({ name, i }, j) => {
        const expected = want[i] ?? '';
        const got = ours[k]![j] ?? '';
        if (expected !== got)
          mismatches.push(`frame ${want[0]} ${name}: tshark "${expected}", ours "${got}"`);
      });
    });
    expect(mismatches.slice(0, 20)).toEqual([]);
    // The capture really exercises the analysis (losses were repaired).
    const count = (name: string) => rows.filter((row) => row[header!.indexOf(name)] !== '').length;
    expect(count('tcp.analysis.retransmission')).toBeGreaterThan(5);
    expect(count('tcp.analysis.fast_retransmission')).toBeGreaterThan(3);
    expect(count('tcp.analysis.out_of_order')).toBeGreaterThan(3);
    expect(count('tcp.analysis.lost_segment')).toBeGreaterThan(5);
    expect(count('tcp.analysis.duplicate_ack_num')).toBeGreaterThan(10);
    expect(count('tcp.analysis.window_update')).toBeGreaterThan(10);
  }, 180_000);

  it('one pass (wirelens read, tshark without -2): the Info column of every packet', async () => {
    // Here the first segment of a response shows its status line before the note, behind any
    // analysis notes (scripts/fixtures/tcp-lossy-onepass.sh wrote tshark's view).
    const [, ...rows] = readFileSync(`${ROOT}test/fixtures/tcp/lossy-http.tshark1-info.tsv`, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(rows.filter((l) => /\tHTTP\/1\.\d \d{3} .* \[TCP segment/.test(l)).length).toBeGreaterThan(2);
    const r = await wirelens(
      ['read', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info', FILE],
      120_000,
    );
    expect(r.stderr).toBe('');
    const ours = r.stdout.split('\n').filter((l) => l !== '');
    expect(ours.length).toBe(rows.length);
    const diff = rows.flatMap((want, k) => (want === ours[k] ? [] : [{ tshark: want, ours: ours[k] }]));
    expect(diff.slice(0, 10)).toEqual([]);
  }, 180_000);

  it.runIf(hasTshark)(
    'the TCP trees and reassembled-segment lists equal tshark -2 -V',
    async () => {
      // The TCP subtree and "[N Reassembled TCP Segments …]" of every frame; Wirelens's own
      // connection-state line is the one addition.
      const extract = (text: string) => {
        const out: string[] = [];
        let on = false;
        for (const line of text.split('\n')) {
          if (/^(Transmission Control Protocol|\[\d+ Reassembled TCP)/.test(line)) on = true;
          else if (/^\S/.test(line)) {
            on = false;
            if (/^Frame \d+:/.test(line)) out.push(line.split(':')[0]!);
            continue;
          }
          if (on && !line.includes('[Connection state:')) out.push(line);
        }
        return out;
      };
      const theirs = await tshark(
        ['-2', '-o', 'tcp.reassemble_out_of_order:TRUE', '-r', FILE, '-V'],
        120_000,
      );
      const ours = await wirelens(['read', '-2', '-V', FILE], 120_000);
      const a = extract(theirs.stdout);
      const b = extract(ours.stdout);
      const first = a.findIndex((line, i) => line !== b[i]);
      expect(first < 0 ? null : { at: first, tshark: a[first], ours: b[first] }).toBeNull();
      expect(b.length).toBe(a.length);
    },
    180_000,
  );
});
