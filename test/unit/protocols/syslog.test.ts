// Syslog (RFC 3164 and RFC 5424 examples, and a bare message with a newline), hand-built by
// scripts/fixtures/dhcp-crafted.py, against tshark 4.0.
import { describe, expect, it } from 'vitest';
import { compareWithTshark } from './dns-golden';

describe('Syslog against tshark 4.0', () => {
  it('facility, level, message and Info for RFC 3164, RFC 5424 and a bare message', () => {
    const mismatches = compareWithTshark(
      'crafted-udp',
      (c) => c.startsWith('_ws.col.') || c.startsWith('syslog.'),
    );
    expect(mismatches.filter((m) => m.frame >= 11)).toEqual([]);
  });
});
