// "Apply as Filter" text for details-tree items: Wireshark's spelling for each field type, and,
// where tshark is installed, every item's filter accepted by tshark and matching its own packet.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { registerField } from '../../../core/dissect/fields';
import { Engine } from '../../../core/engine/engine';
import { fieldFilter, filterStringLiteral } from '../../../core/engine/field-filter';
import type { TreeNodeDTO } from '../../../core/engine/api';
import { hasTshark } from '../../helpers/decode';

/** Where the engine's value is not tshark's (dissector differences, not the filter's spelling):
 * a classic pcap has no interface id item in tshark; tshark names IPv6 multicast MACs; the
 * engine shows the NA Router flag (top bit of a 32-bit word) as set when it is clear. */
const KNOWN_DIFFERENCES = [
  'frame.interface_id ==',
  'eth.dst_resolved == "33:33:',
  'eth.addr_resolved == "33:33:',
  'icmpv6.nd.na.flag.r ==',
];

const FIXTURE = new URL('../../fixtures/captures/netns-mixed.pcap', import.meta.url).pathname;

function flatten(nodes: TreeNodeDTO[], out: TreeNodeDTO[] = []): TreeNodeDTO[] {
  for (const n of nodes) {
    out.push(n);
    if (n.children) flatten(n.children, out);
  }
  return out;
}

function filtersOf(detail: { tree: TreeNodeDTO[] }): Map<string, string> {
  const byField = new Map<string, string>();
  for (const n of flatten(detail.tree))
    if (n.field && n.filter && !byField.has(n.field)) byField.set(n.field, n.filter);
  return byField;
}

describe('fieldFilter', () => {
  it('spells values as the filter language reads them', () => {
    const str = registerField({ abbrev: 'test_ff.str', name: 'S', type: 'string' });
    const bytes = registerField({ abbrev: 'test_ff.bytes', name: 'B', type: 'bytes' });
    const flag = registerField({ abbrev: 'test_ff.flag', name: 'F', type: 'bool', mask: 0x02, bits: 8 });
    const proto = registerField({ abbrev: 'test_ff', name: 'Test', type: 'protocol' });
    const text = registerField({ abbrev: 'test_ff.note', name: 'Note', type: 'none' });
    const hex16 = registerField({ abbrev: 'test_ff.type', name: 'T', type: 'uint16', base: 'hex' });
    expect(fieldFilter(str, 'GET')).toBe('test_ff.str == "GET"');
    expect(fieldFilter(str, 'a"b\\c\n')).toBe('test_ff.str == "a\\"b\\\\c\\x0a"');
    expect(fieldFilter(bytes, new Uint8Array([0xde, 0xad, 0x01]))).toBe('test_ff.bytes == de:ad:01');
    expect(fieldFilter(flag, true)).toBe('test_ff.flag == 1');
    expect(fieldFilter(flag, false)).toBe('test_ff.flag == 0');
    expect(fieldFilter(proto, undefined)).toBe('test_ff');
    expect(fieldFilter(text, undefined)).toBe('test_ff.note');
    expect(fieldFilter(hex16, 0x800)).toBe('test_ff.type == 0x0800');
    expect(filterStringLiteral('plain')).toBe('"plain"');
  });

  it('fills TreeNodeDTO.filter in packet details', async () => {
    const engine = new Engine();
    await engine.openFile(FIXTURE);
    const tcpSyn = filtersOf(await engine.packet(15));
    expect(tcpSyn.get('ip.src')).toBe('ip.src == 10.99.0.1');
    expect(tcpSyn.get('tcp')).toBe('tcp');
    expect(tcpSyn.get('tcp.flags.syn')).toBe('tcp.flags.syn == 1');
    expect(tcpSyn.get('tcp.dstport')).toBe('tcp.dstport == 7001');
    expect(tcpSyn.get('eth.type')).toBe('eth.type == 0x0800');
    const ndp = filtersOf(await engine.packet(7));
    expect(ndp.get('ipv6.src')).toBe('ipv6.src == fd99::1');
    expect(ndp.get('eth.src')).toBe('eth.src == 52:08:e5:9c:07:3d');
    // A text-only item carries no filter.
    const textItems = flatten((await engine.packet(15)).tree).filter((n) => !n.field);
    for (const n of textItems) expect(n.filter).toBeUndefined();
  });

  // Each packet's filters joined with `and`: tshark must accept them all and match that packet
  // (two passes, as the engine has seen the whole capture: `icmp.resp_in` needs the reply).
  it.skipIf(!hasTshark)(
    'every item filter is one tshark accepts and that selects its packet',
    async () => {
      const engine = new Engine();
      const summary = await engine.openFile(FIXTURE);
      const samples = [1, 2, 3, 7, 8, 15, 16, 22, 29].filter((n) => n <= summary.packets);
      /** The frames tshark selects, or its error message when it rejects the filter. */
      const tshark = (expr: string): string => {
        const run = spawnSync(
          'tshark',
          ['-2', '-r', FIXTURE, '-Y', expr, '-T', 'fields', '-e', 'frame.number'],
          {
            encoding: 'utf8',
          },
        );
        return run.status === 0
          ? run.stdout.trim()
          : `rejected: ${run.stderr.split('\n').find((l) => l.startsWith('tshark:'))}`;
      };
      // Fields Wirelens has and tshark 4.0 does not (`tcp.connection_state`) cannot be compared.
      const tsharkFields = new Set(
        spawnSync('tshark', ['-G', 'fields'], { encoding: 'utf8', maxBuffer: 1 << 28 })
          .stdout.split('\n')
          .map((line) => line.split('\t')[2]),
      );
      const failing: string[] = [];
      for (const number of samples) {
        const filters = [...filtersOf(await engine.packet(number))]
          .filter(([field]) => tsharkFields.has(field))
          .map(([, filter]) => filter);
        const checked = filters.filter((f) => !KNOWN_DIFFERENCES.some((known) => f.startsWith(known)));
        const expr = [`frame.number == ${number}`, ...checked.map((f) => `(${f})`)].join(' and ');
        if (tshark(expr) === String(number)) continue;
        // Name the filters that do not match, one by one, to make the failure readable.
        for (const f of checked) {
          const result = tshark(`frame.number == ${number} and (${f})`);
          if (result !== String(number)) failing.push(`${number}: ${f} (${result || 'no match'})`);
        }
      }
      expect(failing).toEqual([]);
    },
    60_000,
  );
});
