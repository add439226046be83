// `wirelens read -Y`: what is printed and written, -c, and how a bad filter is reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, wirelens } from './cli-helpers';

const MIXED = `${ROOT}test/fixtures/captures/netns-mixed.pcap`;
const dir = mkdtempSync(join(tmpdir(), 'wirelens-filter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wirelens read -Y', () => {
  it('prints only the matching packets, keeping their numbers', async () => {
    const r = await wirelens(['read', MIXED, '-Y', 'arp']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.trim().split(/\s+/)[0])).toEqual(['1', '2']);
    expect(lines[0]).toContain('Who has 10.99.0.2? Tell 10.99.0.1');
  });

  it('-w writes only the matches; -c counts packets read, as tshark does', async () => {
    const out = join(dir, 'icmp.pcapng');
    expect((await wirelens(['read', MIXED, '-Y', 'icmp', '-w', out])).code).toBe(0);
    const back = await wirelens(['read', out, '-T', 'fields', '-e', 'icmp.type']);
    expect(back.stdout.trim().split('\n')).toEqual(['8', '0', '8', '0', '8', '0', '3']);
    const c = await wirelens(['read', MIXED, '-Y', 'icmp', '-c', '4', '-T', 'fields', '-e', 'frame.number']);
    expect(c.stdout).toBe('3\n4\n');
  });

  it('-T json with a filter is a well-formed array of the matches', async () => {
    const r = await wirelens(['read', MIXED, '-Y', 'frame.number in {2, 4}', '-T', 'json']);
    const j = JSON.parse(r.stdout) as unknown[];
    expect(j.length).toBe(2);
  });

  it('a bad filter exits 2 with the message and a caret line under the problem', async () => {
    const r = await wirelens(['read', MIXED, '-Y', 'ip.src == 10.0.0.1 && tcp.prot == 3']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'wirelens: Left side of "==" expression must be a field or function, not tcp.prot.\n' +
        '    ip.src == 10.0.0.1 && tcp.prot == 3\n' +
        '                          ^~~~~~~~\n',
    );
  });
});
