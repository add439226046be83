// Malformed and truncated network-layer packets from tcpdump's test suite: every field we
// register must come out as tshark 4.0 prints it (or be absent where tshark gives up), and no
// packet may throw.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { hasTshark, readClassicPcap } from '../../helpers/decode';
import { compareWithTshark, decodeInfo } from './netlayer-compare';

const DIR = join(__dirname, '../../fixtures/netlayer');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.pcap'));

const FIELDS = [
  'ip.version',
  'ip.hdr_len',
  'ip.len',
  'ip.flags',
  'ip.frag_offset',
  'ip.proto',
  'ip.checksum.status',
  'ip.opt.type',
  'ip.opt.len',
  'ip.opt.ptr',
  'ip.opt.time_stamp',
  'ipv6.plen',
  'ipv6.nxt',
  'ipv6.src',
  'ipv6.hopopts.len',
  'ipv6.opt.type',
  'ipv6.opt.length',
  'ipv6.routing.type',
  'ipv6.routing.segleft',
  'ipv6.routing.srh.last_entry',
  'ipv6.routing.srh.addr',
  'icmp.type',
  'icmp.checksum.status',
  'icmpv6.type',
  'icmpv6.checksum.status',
];

describe.skipIf(!hasTshark)('malformed network-layer packets against tshark 4.0', () => {
  it.each(FILES)('%s', (file) => {
    expect(compareWithTshark(join(DIR, file), FIELDS).mismatches).toEqual([]);
  });
});

describe('malformed network-layer packets', () => {
  it.each(FILES)('%s decodes without throwing', (file) => {
    const records = readClassicPcap(join(DIR, file));
    expect(decodeInfo(records)).toHaveLength(records.length);
  });
});
