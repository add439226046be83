// Golden comparisons of `wirelens read` with tshark 4.0 on real Ethernet captures: our own
// (made in a network namespace, test/fixtures/captures/) and tcpdump's test suite's Ethernet
// files. Per packet, the `-T fields` values of the layers Wirelens decodes, and on our own
// captures the default one-line output byte for byte.
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../core/capture';
import { hasTshark } from '../helpers/decode';
import { ROOT, pool, tcpdumpTestFiles, tsharkCached, wirelens } from './cli-helpers';

const OWN = [
  `${ROOT}test/fixtures/captures/netns-mixed.pcap`,
  `${ROOT}test/fixtures/captures/netns-mixed.pcapng`,
];

export const GOLDEN_FIELDS = [
  'eth.src',
  'eth.dst',
  'eth.type',
  'arp.opcode',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
  'ip.src',
  'ip.dst',
  'ip.ttl',
  'ip.id',
  'ip.proto',
  'ip.len',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.nxt',
  'icmp.type',
  'icmp.code',
  'icmpv6.type',
  'udp.srcport',
  'udp.dstport',
  'udp.length',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.flags',
  'tcp.window_size_value',
  'tcp.options.mss_val',
  'frame.len',
];

function isEthernetOnly(path: string): boolean {
  try {
    const r = openCaptureFile(path);
    try {
      for (const rec of r.records()) void rec;
      const lts = r.info.interfaces.map((i) => i.linkType);
      return lts.length > 0 && lts.every((t) => t === 1);
    } finally {
      r.close();
    }
  } catch {
    return false;
  }
}

/** Per-packet differences between our `-T fields` output and tshark's, as readable lines. */
async function fieldMismatches(file: string): Promise<string[]> {
  const args = ['-T', 'fields', ...GOLDEN_FIELDS.flatMap((f) => ['-e', f])];
  const [w, t] = await Promise.all([
    wirelens(['read', ...args, file], 30_000),
    tsharkCached(file, args, 60_000),
  ]);
  if (w.code !== 0 && w.code !== 2) return [`wirelens exit ${w.code}: ${w.stderr.trim()}`];
  const ours = w.stdout.replace(/\n$/, '').split('\n');
  const theirs = t.stdout.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  if (ours.length !== theirs.length) out.push(`${ours.length} packets vs tshark ${theirs.length}`);
  for (let i = 0; i < Math.min(ours.length, theirs.length); i++) {
    const a = ours[i]!.split('\t');
    const b = theirs[i]!.split('\t');
    GOLDEN_FIELDS.forEach((f, k) => {
      if ((a[k] ?? '') !== (b[k] ?? ''))
        out.push(`packet ${i + 1} ${f}: ${JSON.stringify(a[k])} vs tshark ${JSON.stringify(b[k])}`);
    });
  }
  return out;
}

describe.skipIf(!hasTshark)('wirelens read vs tshark 4.0 (golden)', () => {
  it('our own captures: every golden field of every packet equals tshark', async () => {
    for (const f of OWN) expect(await fieldMismatches(f), f).toEqual([]);
  }, 120_000);

  it('our own captures: the default one-line output equals tshark byte for byte', async () => {
    for (const f of OWN) {
      const [w, t] = await Promise.all([wirelens(['read', f]), tsharkCached(f, [])]);
      expect(w.code).toBe(0);
      const ours = w.stdout.split('\n');
      const theirs = t.stdout.split('\n');
      const diffs = theirs
        .map((line, i) => (line === ours[i] ? '' : `-${line}\n+${ours[i]}`))
        .filter((d) => d);
      expect(diffs, f).toEqual([]);
    }
  }, 120_000);

  it('-c, -V and -x print like tshark on our capture', async () => {
    const f = OWN[0]!;
    for (const args of [
      ['-c', '5'],
      ['-x', '-c', '3'],
    ]) {
      const [w, t] = await Promise.all([wirelens(['read', ...args, f]), tsharkCached(f, args)]);
      expect(w.stdout).toBe(t.stdout);
    }
    // -V: the frame and Ethernet layers are Wirelens' own framework; the first lines of each
    // packet's tree (Frame summary, Ethernet summary) match tshark's.
    const [w, t] = await Promise.all([
      wirelens(['read', '-V', '-c', '1', f]),
      tsharkCached(f, ['-V', '-c', '1']),
    ]);
    const top = (s: string) => s.split('\n').filter((l) => /^\S/.test(l));
    expect(top(w.stdout).slice(0, 2)).toEqual(top(t.stdout).slice(0, 2));
  }, 120_000);

  it("tcpdump-tests' Ethernet files: golden fields equal tshark (per-file mismatches listed)", async () => {
    const files = tcpdumpTestFiles().filter(isEthernetOnly);
    expect(files.length).toBeGreaterThan(100);
    const results = await pool(files, async (f) => ({ f, m: await fieldMismatches(f) }));
    const failing = results.filter((r) => r.m.length);
    const report = failing.map(
      (r) => `${r.f.split('/').pop()}: ${r.m.length} mismatches, e.g. ${r.m.slice(0, 3).join('; ')}`,
    );
    if (report.length)
      console.log(
        `golden field mismatches in ${failing.length}/${files.length} files:\n${report.join('\n')}`,
      );
    // Most files must match exactly; the rest are listed above (and in the report).
    expect(failing.length / files.length).toBeLessThan(0.2);
  }, 900_000);
});
