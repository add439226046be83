// NTP v3/v4 (RFC 5905 §7.3), hand-built client/server/symmetric packets
// (scripts/fixtures/dhcp-crafted.py) against tshark 4.0; timestamps as tshark prints them.
import { describe, expect, it } from 'vitest';
import { ntpTimestampText } from '../../../core/protocols/ntp';
import { compareWithTshark } from './dns-golden';

describe('NTP against tshark 4.0', () => {
  it('client, server and symmetric-active packets: Info, flags, stratum, refid, timestamps', () => {
    const mismatches = compareWithTshark(
      'crafted-udp',
      (c) => c.startsWith('_ws.col.') || c.startsWith('ntp.'),
    );
    expect(mismatches.filter((m) => m.frame >= 8 && m.frame <= 10)).toEqual([]);
  });
});

describe('NTP timestamps', () => {
  it('prints zero as NULL and truncates the fraction to nanoseconds', () => {
    expect(ntpTimestampText(0, 0)).toBe('NULL');
    expect(ntpTimestampText(0xeb8c0b5a, 0x80100000)).toBe('Mar 24, 2025 16:48:26.500244140 UTC');
  });
  it('reads seconds with the top bit clear as era 1 (after 2036)', () => {
    expect(ntpTimestampText(0x00000001, 0)).toBe('Feb  7, 2036 06:28:17.000000000 UTC');
  });
});
