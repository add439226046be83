// The `wirelens` command (bin/wirelens.mjs → out/node/cli.mjs): usage, exit statuses and error
// lines, -T fields options, -T json, -w, -c; compared with tshark 4.0 where it is the reference.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTshark, readClassicPcap } from '../../helpers/decode';
import { ROOT, tsharkCached, wirelens } from '../../integration/cli-helpers';

const FIXTURE = `${ROOT}test/fixtures/captures/netns-mixed.pcap`;
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-cli-'));
const STACK = /\n\s+at .+[(:]\d+/;

describe('wirelens CLI', () => {
  it('--help, help read, --version', async () => {
    const h = await wirelens(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Usage: wirelens <command>/);
    const r = await wirelens(['help', 'read']);
    expect(r.stdout).toMatch(/-T text\|fields\|json/);
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
    expect((await wirelens(['--version'])).stdout).toBe(`wirelens ${pkg.version}\n`);
  });

  it('bad usage: exit 2 with one line on stderr', async () => {
    for (const args of [
      ['frobnicate'],
      ['read'],
      ['read', '-Q', FIXTURE],
      ['read', '-c', 'x', FIXTURE],
      ['read', '-T', 'pdml', FIXTURE],
    ]) {
      const r = await wirelens(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^wirelens: [^\n]+\n$/);
      expect(r.stdout).toBe('');
    }
  });

  it('an unknown -e field is an error naming it', async () => {
    const r = await wirelens(['read', '-T', 'fields', '-e', 'ip.src', '-e', 'no.such_field', FIXTURE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^wirelens: .*no\.such_field.*\n$/);
  });

  it('unreadable and not-a-capture files: exit 2, `wirelens: FILE: reason`, no stack', async () => {
    const text = join(tmp, 'notes.txt');
    writeFileSync(text, 'this is not a capture file at all, just some text\n');
    for (const f of ['/nonexistent/x.pcap', text]) {
      const r = await wirelens(['read', f]);
      expect(r.code, f).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^wirelens: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b[^\\n]*\\n$`),
      );
      expect(r.stderr).not.toMatch(STACK);
    }
  });

  it('a damaged file: the packets before the damage, then the reason, exit 2 (like tshark)', async () => {
    const bytes = readFileSync(FIXTURE);
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const n = readClassicPcap(FIXTURE).length;
    const r = await wirelens(['read', cut]);
    expect(r.code).toBe(2);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(n - 1);
    expect(r.stderr).toMatch(/^wirelens: .*cut\.pcap: .+\n$/);
    const info = await wirelens(['info', cut]);
    expect(info.code).toBe(2);
    expect(info.stdout).toMatch(new RegExp(`Number of packets:\\s+${n - 1}\\n`));
    expect(info.stdout).toMatch(/Damage:\s+at byte \d+: .+/);
    // With -c before the damage, nothing is wrong.
    const c = await wirelens(['read', '-c', '3', cut]);
    expect(c.code).toBe(0);
    expect(c.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it('-T fields options: header, separator, quote, occurrence, aggregator, column fields', async () => {
    const base = ['read', '-c', '3', '-T', 'fields'];
    const r = await wirelens([
      ...base,
      '-e',
      'frame.number',
      '-e',
      'eth.type',
      '-E',
      'header=y',
      '-E',
      'separator=,',
      '-E',
      'quote=d',
      FIXTURE,
    ]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('"frame.number","eth.type"');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['"1"', '"2"', '"3"']);
    // Column fields in tshark 4.0's and 4.2's spelling give the same text.
    const cols = await wirelens([
      ...base,
      '-e',
      '_ws.col.Protocol',
      '-e',
      '_ws.col.protocol',
      '-e',
      '_ws.col.No.',
      '-e',
      '_ws.col.Info',
      FIXTURE,
    ]);
    for (const l of cols.stdout.trimEnd().split('\n')) {
      const [a, b] = l.split('\t');
      expect(a).toBe(b);
    }
  });

  it.skipIf(!hasTshark)('-T fields with -E options and column fields equals tshark', async () => {
    // ICMP errors quote a second IP header: ip.src occurs twice, so occurrence matters.
    const args = [
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      'ip.src',
      '-e',
      'ip.ttl',
      '-e',
      '_ws.col.Protocol',
      '-e',
      '_ws.col.Info',
      '-e',
      '_ws.col.Source',
      '-e',
      '_ws.col.Destination',
      '-e',
      '_ws.col.Length',
      '-e',
      '_ws.col.Time',
    ];
    for (const extra of [
      [],
      ['-E', 'occurrence=f'],
      ['-E', 'occurrence=l'],
      ['-E', 'aggregator=/s', '-E', 'header=y'],
    ]) {
      const [w, t] = await Promise.all([
        wirelens(['read', ...args, ...extra, FIXTURE]),
        tsharkCached(FIXTURE, [...args, ...extra]),
      ]);
      expect(w.stdout, extra.join(' ')).toBe(t.stdout);
    }
  });

  it.skipIf(!hasTshark)('-T json: tshark-like _source.layers with the same field values', async () => {
    const r = await wirelens(['read', '-T', 'json', '-c', '4', FIXTURE]);
    expect(r.code).toBe(0);
    const ours = JSON.parse(r.stdout) as { _source: { layers: Record<string, Record<string, unknown>> } }[];
    const t = await tsharkCached(FIXTURE, ['-T', 'json', '-c', '4']);
    const theirs = JSON.parse(t.stdout) as typeof ours;
    expect(ours).toHaveLength(4);
    for (let i = 0; i < 4; i++) {
      const a = ours[i]!._source.layers;
      const b = theirs[i]!._source.layers;
      expect(Object.keys(a)).toEqual(Object.keys(b));
      for (const k of ['eth.dst', 'eth.src', 'eth.type']) expect(a.eth![k]).toEqual(b.eth![k]);
    }
  });

  it('-w writes the packets read (pcap and pcapng by extension, -c respected)', async () => {
    const n = readClassicPcap(FIXTURE).length;
    for (const [name, count] of [
      ['all.pcapng', n],
      ['five.pcap', 5],
    ] as const) {
      const out = join(tmp, name);
      const w = await wirelens(['read', '-c', String(count), '-w', out, FIXTURE]);
      expect(w.code).toBe(0);
      const back = await wirelens(['read', out]);
      expect(back.code).toBe(0);
      const orig = await wirelens(['read', '-c', String(count), FIXTURE]);
      expect(back.stdout).toBe(orig.stdout);
      expect(readFileSync(out).readUInt32LE(0)).toBe(name.endsWith('.pcapng') ? 0x0a0d0d0a : 0xa1b2c3d4);
    }
  });

  it('info: a capinfos-like summary', async () => {
    const r = await wirelens(['info', FIXTURE]);
    expect(r.code).toBe(0);
    const n = readClassicPcap(FIXTURE).length;
    expect(r.stdout).toMatch(new RegExp(`Number of packets:\\s+${n}\\n`));
    expect(r.stdout).toMatch(/File encapsulation:\s+Ethernet \(1\)/);
    expect(r.stdout).toMatch(/First packet time:\s+20\d\d-/);
  });
});
