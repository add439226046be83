// tcpdump's test-suite captures with DNS, DHCP, DHCPv6 and NTP (many malformed on purpose:
// pointer loops, forward pointers, names too long, truncated BOOTP, NTP control messages):
// columns and key fields equal tshark 4.0's (test/fixtures/app/tcpdump/*.tsv, written by
// scripts/fixtures/dns-tcpdump-expectations.sh). Skipped when the shared captures are absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TCPDUMP_TESTS } from '../../helpers/paths';
import { APP_FIXTURES, compareFiles } from './dns-golden';

const CAPTURES = [
  'LINKTYPE_IPV4',
  'bootp_asan',
  'bootp_asan-2',
  'dhcp-option-33',
  'dhcp-rfc4388',
  'dhcpv4v6-rfc5970-rfc8572',
  'dhcpv6-AFTR-Name-RFC6334',
  'dhcpv6-domain-list',
  'dhcpv6-mud',
  'dhcpv6-ntp-server',
  'dhcpv6-sip-server-d',
  'dns-badcookie',
  'dns-badlabel',
  'dns-badvers',
  'dns_fwdptr',
  'dns_udp',
  'dns_udp_2',
  'dnssec',
  'ntp-control',
  'ntp-time',
  'ntp',
  'time_2038_max',
  'time_2039',
];

/** Differences that are not these decoders' (reported to the owners of the framework). */
const KNOWN: Record<string, { frame: number; column: string; why: string }[]> = {};

describe.skipIf(!existsSync(TCPDUMP_TESTS))('tcpdump test-suite captures against tshark 4.0', () => {
  for (const name of CAPTURES) {
    it(name, () => {
      const known = KNOWN[name] ?? [];
      const mismatches = compareFiles(
        join(TCPDUMP_TESTS, `${name}.pcap`),
        join(APP_FIXTURES, 'tcpdump', `${name}.tsv`),
      ).filter((m) => !known.some((k) => k.frame === m.frame && k.column === m.column));
      expect(mismatches).toEqual([]);
    });
  }
});
