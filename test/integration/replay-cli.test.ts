// wirelens replay, run as the command: the output files, the summary, the exit status for bad
// input, determinism, and tshark 4.0's verdict on the tapped captures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTshark } from '../helpers/decode';
import { ROOT, wirelens } from './cli-helpers';

const dir = mkdtempSync(join(tmpdir(), 'wl-replay-cli-'));
const CAPTURE = `${ROOT}test/fixtures/replay/netns-replay.pcap`;
const TOPOLOGY = `${ROOT}test/fixtures/replay/two-routers.yaml`;
const MAPS = ['--map', '10.66.0.1=A', '--map', '10.66.0.2=B', '--map', 'fd66::1=A', '--map', 'fd66::2=B'];
const replay = (out: string, extra: string[] = [], capture = CAPTURE) =>
  wirelens(['replay', capture, '--topology', TOPOLOGY, '--out', join(dir, out), ...MAPS, ...extra]);

describe('wirelens replay', () => {
  it('writes a pcapng per tapped interface, events.jsonl and replay.txt, and prints the summary', async () => {
    const r = await replay('ok');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Frames read: 29; IP datagrams: 27; non-IP or unusable frames skipped: 2');
    expect(r.stdout).toContain('Datagrams injected: 26; delivered: 25; dropped: 1; source unmapped: 1');
    expect(r.stdout).toMatch(/^ +12 +12 +12 +0 +TCP 10\.66\.0\.1:38256 ↔ 10\.66\.0\.2:8080$/m);
    expect(r.stdout).toMatch(
      /wrote .*: A-eth0\.pcapng \(\d+ packets\), B-eth0\.pcapng \(\d+ packets\), events\.jsonl \(\d+ events\), replay\.txt/,
    );
    expect(readdirSync(join(dir, 'ok')).sort()).toEqual([
      'A-eth0.pcapng',
      'B-eth0.pcapng',
      'events.jsonl',
      'replay.txt',
    ]);
    expect(r.stdout.startsWith(readFileSync(join(dir, 'ok', 'replay.txt'), 'utf8'))).toBe(true);
    const events = readFileSync(join(dir, 'ok', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0]).toEqual({
      time: 0,
      node: 'A',
      iface: 'eth0',
      kind: 'route',
      text: 'A: replay: ip addr add 10.66.0.1/32 dev eth0 (--map)',
    });
    expect(
      events.some(
        (e) =>
          e.kind === 'receive' && e.node === 'B' && /delivered \(replayed\) frame 15: .* TCP/.test(e.text),
      ),
    ).toBe(true);
    // The tapped capture reads back in Wirelens.
    const read = await wirelens(['read', join(dir, 'ok', 'B-eth0.pcapng')]);
    expect(read.code).toBe(0);
    expect(read.stdout).toContain('GET /index.html HTTP/1.1');
  });

  it('is in the help', async () => {
    const main = await wirelens(['--help']);
    expect(main.stdout).toContain('replay CAPTURE --topology T.yaml|PRESET --out DIR');
    const help = await wirelens(['help', 'replay']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: wirelens replay CAPTURE --topology T\.yaml\|PRESET --out DIR/);
    expect(help.stdout).toContain('--map ADDR=NODE');
  });

  it('--tap all and --count', async () => {
    const r = await replay('tap', ['--tap', 'all', '--count', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Frames read: 5 (stopped at --count); IP datagrams: 3');
    expect(
      readdirSync(join(dir, 'tap'))
        .filter((f) => f.endsWith('.pcapng'))
        .sort(),
    ).toEqual([
      'A-eth0.pcapng',
      'B-eth0.pcapng',
      'R1-eth0.pcapng',
      'R1-eth1.pcapng',
      'R2-eth0.pcapng',
      'R2-eth1.pcapng',
    ]);
  });

  it('is deterministic: two runs write byte-identical captures, with or without events', async () => {
    await replay('d1');
    await replay('d2');
    for (const f of ['A-eth0.pcapng', 'B-eth0.pcapng', 'events.jsonl', 'replay.txt'])
      expect(Buffer.compare(readFileSync(join(dir, 'd1', f)), readFileSync(join(dir, 'd2', f))), f).toBe(0);
    const quiet = await replay('d3', ['--no-events']);
    expect(quiet.stdout).toContain('events.jsonl (events off)');
    expect(readFileSync(join(dir, 'd3', 'events.jsonl'), 'utf8')).toBe('');
    for (const f of ['A-eth0.pcapng', 'B-eth0.pcapng'])
      expect(Buffer.compare(readFileSync(join(dir, 'd1', f)), readFileSync(join(dir, 'd3', f))), f).toBe(0);
  });

  it('replays a truncated capture up to the damage, says where, and exits 2', async () => {
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, readFileSync(CAPTURE).subarray(0, 3000));
    const r = await replay('cut', [], cut);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /The capture is damaged at byte \d+ \(after frame \d+\): .*; replayed up to there/,
    );
    expect(r.stderr).toMatch(
      /^wirelens: .*cut\.pcap: .* \(at byte \d+\); replayed the datagrams before it\n$/,
    );
    expect(readFileSync(join(dir, 'cut', 'replay.txt'), 'utf8')).toContain('damaged');
  });

  it('names bad options, mappings and topologies (exit 2, no stack trace)', async () => {
    const bad = async (args: string[]) => {
      const r = await wirelens(['replay', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      return r.stderr;
    };
    const base = [CAPTURE, '--topology', TOPOLOGY, '--out', join(dir, 'bad')];
    expect(await bad([...base, '--map', '10.66.0.1'])).toBe(
      'wirelens: --map 10.66.0.1: expected ADDRESS=NODE, e.g. --map 10.1.2.3=A\n',
    );
    expect(await bad([...base, '--map', '10.66.0.1=Z'])).toBe(
      'wirelens: --map 10.66.0.1=Z: no node "Z" in the topology (hosts and routers: A, R1, R2, B)\n',
    );
    expect(await bad([...base, '--map', '10.66.0.1=sw1'])).toBe(
      'wirelens: --map 10.66.0.1=sw1: sw1 is a switch; map addresses to hosts or routers\n',
    );
    expect(await bad([...base, '--speed', '0'])).toBe('wirelens: --speed needs a positive number, not "0"\n');
    expect(await bad([...base, ...MAPS, '--speed', '0.0000001'])).toMatch(
      /^wirelens: the replay would last \d+ days of simulated time \(at most 90: raise --speed\)\n$/,
    );
    expect(await bad([...base, '--tap', 'B.eth7'])).toBe('wirelens: --tap B.eth7: no such interface\n');
    expect(await bad([CAPTURE, '--out', join(dir, 'bad')])).toBe(
      'wirelens: replay: give the network with --topology T.yaml or a preset name\n',
    );
    expect(await bad([CAPTURE, '--topology', 'no-such-preset', '--out', join(dir, 'bad')])).toMatch(
      /no-such-preset/,
    );
    expect(await bad([join(dir, 'missing.pcap'), '--topology', TOPOLOGY, '--out', join(dir, 'bad')])).toMatch(
      /missing\.pcap/,
    );
  });

  it('replays onto a preset topology with --map', async () => {
    // two-lans (scenario-2): A (192.168.1.2) — switch — R1 — R2 — B, IPv4 only.
    const r = await wirelens([
      'replay',
      CAPTURE,
      '--topology',
      'two-lans',
      '--out',
      join(dir, 'preset'),
      '--map',
      '10.66.0.1=A',
      '--map',
      '10.66.0.2=B',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Datagrams injected: 23; delivered: 22; dropped: 1; source unmapped: 4');
    expect(r.stdout).toMatch(
      /no node owns the source address.*\n +1 +fe80::66:ff:fe00:2\n +2 +fd66::1\n +1 +fd66::2\n/,
    );
  });

  it.runIf(hasTshark)(
    'tshark 4.0 decodes the taps: no Malformed or Error items, IPv4 checksums good, TTL − 2 at B',
    async () => {
      await replay('ts');
      for (const f of ['A-eth0.pcapng', 'B-eth0.pcapng']) {
        const path = join(dir, 'ts', f);
        const expert = execFileSync(
          'tshark',
          ['-r', path, '-o', 'ip.check_checksum:TRUE', '-q', '-z', 'expert'],
          {
            encoding: 'utf8',
          },
        );
        expect(expert, f).not.toMatch(/^Errors \(/m);
        expect(expert, f).not.toMatch(/Malformed/);
        const rows = execFileSync(
          'tshark',
          [
            '-r',
            path,
            '-o',
            'ip.check_checksum:TRUE',
            '-T',
            'fields',
            '-e',
            'eth.src',
            '-e',
            'ip.src',
            '-e',
            'ip.ttl',
            '-e',
            'ip.checksum.status',
            '-e',
            'icmp.seq',
          ],
          { encoding: 'utf8' },
        )
          .trim()
          .split('\n')
          .map((l) => l.split('\t'));
        for (const [, src, , status] of rows) if (src) expect(status!.split(',')[0], `${f} ${src}`).toBe('1');
        if (f === 'B-eth0.pcapng') {
          const fromA = rows.filter(([mac, src]) => mac === '02:00:00:00:02:01' && src === '10.66.0.1');
          // Captured with TTL 64 (and 3 for one ping, 2 for the one that expires at R2).
          expect(new Set(fromA.map((r) => r[2]))).toEqual(new Set(['62', '1']));
        }
      }
    },
  );
});
