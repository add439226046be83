// formatG: Wireshark prints FT_FLOAT fields with printf's %.6g and FT_DOUBLE with %.15g
// (ospf.mpls.link_max_bw = 7.776e+07, icmp.resptime = 0.069). Checked against the C library's
// printf through coreutils' printf(1), and against tshark's own values.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatG } from '../../../core/dissect/format';

const VALUES = [
  0,
  1,
  -1,
  0.5,
  100,
  77760000,
  12500000,
  0.069,
  0.06900000000000001,
  0.1 + 0.2,
  1e-5,
  0.0001,
  0.00012345678,
  123456,
  1234567,
  999999.5,
  9.9999996,
  1e15,
  123456789012345678,
  1e21,
  1.5e-10,
  -2.5e-7,
  3.4028234663852886e38,
];

describe('formatG', () => {
  it('writes what tshark 4.0 writes for float and double fields', () => {
    // Values from tshark -e ospf.mpls.link_max_bw / ospf.mpls.minimum_lsp_bandwidth on
    // tcpdump's ospf-gmpls.pcap, and -e icmp.resptime on test/fixtures/captures/netns-mixed.pcap.
    expect(formatG(Math.fround(77760000), 6)).toBe('7.776e+07');
    expect(formatG(Math.fround(12500000), 6)).toBe('1.25e+07');
    expect(formatG(0, 6)).toBe('0');
    expect(formatG(0.022000000000000002, 15)).toBe('0.022');
  });

  for (const precision of [6, 15]) {
    it(`equals printf %.${precision}g`, () => {
      const format = VALUES.map(() => `%.${precision}g\n`).join('');
      const expected = execFileSync('printf', [format, ...VALUES.map(String)])
        .toString()
        .trimEnd()
        .split('\n');
      expect(VALUES.map((v) => formatG(v, precision))).toEqual(expected);
    });
  }
});
