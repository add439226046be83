// `wirelens stats`, `wirelens follow` and `wirelens http` as a user runs them: output equal to
// tshark's (expected files from scripts/fixtures/analysis-expected.sh), the csv/json formats,
// written HAR and exported files, and usage errors with exit status 2.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, wirelens } from './cli-helpers';

const CAP = `${ROOT}test/fixtures/analysis/loopback-mixed.pcap`;
const EXPECTED = `${ROOT}test/fixtures/analysis/expected/loopback-mixed`;
const tmp = mkdtempSync(join(tmpdir(), 'wl-stats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('wirelens stats / follow / http', () => {
  it('prints several statistics in one pass, each as tshark -q -z prints it', async () => {
    const r = await wirelens(['stats', 'conv,tcp', 'endpoints,ip', 'io,stat,0.5', CAP], 120_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const want = ['conv,tcp', 'endpoints,ip', 'io,stat,0.5'].map((s) =>
      readFileSync(`${EXPECTED}/${s}.txt`, 'utf8'),
    );
    expect(r.stdout).toBe(want.join(''));
  });

  it('writes csv and json for scripts', async () => {
    const json = await wirelens(['stats', 'conv,udp', CAP, '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as { type: string; conversations: { portB: number }[] }[];
    expect(parsed[0]!.type).toBe('conv');
    expect(parsed[0]!.conversations.map((c) => c.portB).sort()).toEqual([18553, 18553, 18562]);
    const csv = await wirelens(['stats', 'endpoints,tcp', CAP, '--format=csv']);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('Address,Port,Packets,Bytes,Tx Packets,Tx Bytes,Rx Packets,Rx Bytes');
    expect(lines).toHaveLength(5);
  });

  it('follows a TCP stream byte for byte like tshark', async () => {
    const digests = readFileSync(`${EXPECTED}/follow.sha256`, 'utf8');
    const r = await wirelens(['follow', 'tcp', '1', CAP, '--format', 'hex']);
    expect(r.code).toBe(0);
    expect(digests).toContain(`follow,tcp,hex,1 ${createHash('sha256').update(r.stdout).digest('hex')}`);
  });

  it('lists HTTP exchanges, writes HAR and exports the served files', async () => {
    const har = join(tmp, 'out.har');
    const dir = join(tmp, 'objects');
    const r = await wirelens(['http', CAP, '--har', har, '--export-objects', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^#\s+Time\s+Client\s+Server\s+Method\s+Host\s+URI\s+Status/);
    expect(r.stdout).toContain('/blob.bin');
    expect(
      (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: unknown[] } }).log.entries,
    ).toHaveLength(3);
    const served = readFileSync(`${ROOT}test/fixtures/analysis/served.sha256`, 'utf8');
    for (const f of readdirSync(dir).sort()) {
      const digest = createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex');
      expect(served).toContain(`loopback-mixed ${f} ${digest}`);
    }
  });

  it('rejects bad usage with one line and status 2', async () => {
    for (const args of [
      ['stats', 'conv,sctp', CAP],
      ['stats', CAP],
      ['follow', 'tcp', 'x', CAP],
      ['follow', 'tcp', '0', CAP, '--format', 'pdf'],
      ['http'],
    ]) {
      const r = await wirelens(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^wirelens: .+\n$/);
    }
  });
});
