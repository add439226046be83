// Display filters against tshark 4.0: for every expression of test/fixtures/filter/golden.json
// (made by scripts/fixtures/filter-golden.mjs), `wirelens read FILE -Y EXPR -T fields -e
// frame.number` prints the frame numbers tshark printed; an expression tshark rejects is
// rejected too (exit 2, the error with a caret line). Wirelens extensions (xor, ip_rfc1918,
// dec…) are the listed exceptions: tshark 4.0 rejects them, Wirelens accepts them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, pool, wirelens } from './cli-helpers';

interface Row {
  file: string;
  expr: string;
  frames?: number[];
  error?: string;
}

const golden = JSON.parse(readFileSync(`${ROOT}test/fixtures/filter/golden.json`, 'utf8')) as { rows: Row[] };

/** Accepted by Wirelens on purpose (Wireshark ≥ 4.2 has them, or they are documented extensions). */
const EXTENSIONS = new Set(['arp xor icmp', 'arp ^^ icmp', 'dec(ip.ttl) == "64"', 'ip_rfc1918(ip.src)']);

/** Differences of the decoders, not of the filter language (frame.protocols and the `data`
 * layer differ from tshark's on these frames); listed so they stay visible. */
const KNOWN = new Map([
  [
    'test/fixtures/captures/netns-mixed.pcap data',
    'ICMPv6/ICMP payloads: tshark shows no data layer on some',
  ],
  [
    'test/fixtures/netlayer-crafted.pcap data',
    'fragments: tshark decodes the first fragment payload as data',
  ],
  [
    'test/fixtures/captures/netns-mixed.pcap frame.protocols matches "ip:(tcp|udp)$"',
    'frame 46: the UDP datagram quoted by an ICMP error ends in data in tshark',
  ],
  [
    'test/fixtures/app/tunnel-crafted.pcap icmp and not vxlan',
    'frame 11: 13 nested IPv4 headers; Wirelens stops at its 8-level tunnel bound before the ICMP',
  ],
  [
    'test/fixtures/tcp/lossy-http.pcap http.response.code == 200',
    'one pass: tshark without -2 finds only the last response of the lossy transfer',
  ],
]);

describe('display filters: the golden table made with tshark 4.0', () => {
  it('prints the frames tshark prints and rejects what tshark rejects', async () => {
    const results = await pool(golden.rows, async (row) => {
      const r = await wirelens([
        'read',
        `${ROOT}${row.file}`,
        '-Y',
        row.expr,
        '-T',
        'fields',
        '-e',
        'frame.number',
      ]);
      return { row, r };
    });
    const mismatches: unknown[] = [];
    for (const { row, r } of results) {
      if (EXTENSIONS.has(row.expr) || KNOWN.has(`${row.file} ${row.expr}`)) continue;
      if (row.error !== undefined) {
        if (r.code !== 2 || !r.stderr.startsWith('wirelens: ') || !/\n {4}.*\n {4} *\^~*\n$/.test(r.stderr))
          mismatches.push({
            file: row.file,
            expr: row.expr,
            tshark: row.error,
            ours: r.stderr || r.stdout.slice(0, 80),
          });
        continue;
      }
      const ours = r.code === 0 ? r.stdout.split('\n').filter(Boolean).map(Number) : r.stderr.trim();
      if (JSON.stringify(ours) !== JSON.stringify(row.frames))
        mismatches.push({ file: row.file, expr: row.expr, tshark: row.frames, ours });
    }
    expect(mismatches).toEqual([]);
  }, 600_000);

  it('says what tshark says for the common errors', async () => {
    const cases: [string, string][] = [
      ['tcp.prot', 'tcp.prot is neither a field nor a protocol name.'],
      ['ip.src == foo', '"foo" is not a valid hostname or IPv4 address.'],
      ['tcp.port == 80 and', 'Unexpected end of filter expression.'],
      ['ip.proto == "6"', '"6" cannot be found among the possible values for ip.proto.'],
    ];
    for (const [expr, message] of cases) {
      const row = golden.rows.find((r) => r.expr === expr)!;
      expect(row.error).toBe(message);
      const r = await wirelens(['read', `${ROOT}${row.file}`, '-Y', expr]);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`wirelens: ${message}`);
    }
  });
});
