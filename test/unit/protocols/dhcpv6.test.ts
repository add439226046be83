// DHCPv6 Solicit and Advertise (RFC 8415: DUID-LLT and DUID-LL, ORO, elapsed time, IA_NA with
// IA Address, DNS servers, domain search list, status code), hand-built by
// scripts/fixtures/dhcp-crafted.py, against tshark 4.0.
import { describe, expect, it } from 'vitest';
import { compareWithTshark } from './dns-golden';

describe('DHCPv6 against tshark 4.0', () => {
  it('Solicit and Advertise: Info, message type, options, DUIDs, addresses', () => {
    const mismatches = compareWithTshark(
      'crafted-udp',
      (c) => c.startsWith('_ws.col.') || c.startsWith('dhcpv6.'),
    );
    expect(mismatches.filter((m) => m.frame === 6 || m.frame === 7)).toEqual([]);
  });
});
