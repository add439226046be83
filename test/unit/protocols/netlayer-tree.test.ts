// The details tree, line for line, against `tshark -V` (labels, nesting, generated items):
// IPv4 with options, ICMP errors with their quoted datagram, IGMP v1/v2/v3, IPv6 with
// hop-by-hop/destination options and fragments, ICMPv6 echo, ND with options and MLDv2.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { hasTshark } from '../../helpers/decode';
import { ourTree, tsharkTree } from './netlayer-compare';

const F = (name: string) => join(__dirname, '../../fixtures', name);

const CASES: [string, string, number[], string[]][] = [
  [
    'IPv4 options, ICMP time exceeded, IGMPv3',
    F('netlayer-netns.pcap'),
    [21, 31, 32, 33],
    ['ip', 'icmp', 'igmp'],
  ],
  [
    'IPv6 extension headers, fragments, NA, MLDv2',
    F('netlayer-netns.pcap'),
    [1, 35, 41, 42, 53, 56],
    ['ipv6', 'icmpv6'],
  ],
  ['router advertisement options, MLD query', F('icmpv6-nd.pcap'), [1, 2, 3, 4, 5], ['ipv6', 'icmpv6']],
  ['IGMPv1', F('igmp-v1.pcap'), [1, 2, 3], ['ip', 'igmp']],
  ['IGMPv2', F('igmp-v2.pcap'), [1, 2, 5], ['ip', 'igmp']],
];

describe.skipIf(!hasTshark)('details tree against tshark -V', () => {
  it.each(CASES)('%s', (_, path, frames, protocols) => {
    const theirs = tsharkTree(path, frames, protocols);
    expect(theirs.length).toBeGreaterThan(50);
    expect(ourTree(path, frames, protocols)).toEqual(theirs);
  });
});
