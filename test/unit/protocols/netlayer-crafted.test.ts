import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { hasTshark } from '../../helpers/decode';
import { compareWithTshark, INFO, ourTree, tsharkTree } from './netlayer-compare';
import { buildCraftedPcap } from './netlayer-crafted';

const PATH = join(__dirname, '../../fixtures/netlayer-crafted.pcap');

const FIELDS = [
  INFO,
  'icmp.type',
  'icmp.code',
  'icmp.checksum.status',
  'icmp.redir_gw',
  'icmp.pointer',
  'icmp.mtu',
  'icmp.unused',
  'icmp.ident',
  'icmp.seq',
  'icmp.originate_timestamp',
  'icmp.receive_timestamp',
  'icmp.transmit_timestamp',
  'icmp.address_mask',
  'icmp.num_addrs',
  'icmp.addr_entry_size',
  'icmp.lifetime',
  'icmp.router_address',
  'icmp.pref_level',
  'ip.opt.type',
  'ip.opt.len',
  'ip.opt.ptr',
  'ip.src_rt',
  'ip.rec_rt',
  'ip.cur_rt',
  'ip.opt.time_stamp',
  'ip.opt.time_stamp_addr',
  'ip.opt.flag',
  'ip.opt.sec_rfc791_sec',
  'ip.opt.sec_rfc791_comp',
  'ip.opt.sid',
  'ip.opt.mtu',
  'ip.opt.ra',
  'ip.opt.id_number',
  'ip.opt.ohc',
  'ip.opt.rhc',
  'ip.opt.originator',
  'ip.dst',
  'ip.addr',
  'ip.dst_host',
  'icmpv6.type',
  'icmpv6.code',
  'icmpv6.checksum.status',
  'icmpv6.mld.maximum_response_delay',
  'icmpv6.mld.maximum_response_code',
  'icmpv6.mld.multicast_address',
  'icmpv6.mld.nb_sources',
  'icmpv6.mld.source_address',
  'icmpv6.mtu',
  'icmpv6.pointer',
  'icmpv6.nd.rd.target_address',
  'icmpv6.rd.na.destination_address',
  'icmpv6.opt.type',
  'icmpv6.opt.length',
  'ipv6.routing.type',
  'ipv6.routing.segleft',
  'ipv6.routing.src.addr',
  'ipv6.routing.mipv6.home_address',
  'ipv6.dstopts.nxt',
  'ipv6.opt.type',
  'ipv6.opt.tel',
  'ipv6.opt.length',
];

describe('crafted network-layer fixture', () => {
  it('is exactly what our encoders build', () => {
    expect(buildCraftedPcap().equals(readFileSync(PATH))).toBe(true);
  });
});

describe.skipIf(!hasTshark)('crafted messages and options against tshark 4.0', () => {
  it('matches fields and Info', () => {
    expect(compareWithTshark(PATH, FIELDS).mismatches).toEqual([]);
  });
  it('matches the IPv4/ICMP details tree', () => {
    const frames = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    expect(ourTree(PATH, frames, ['ip', 'icmp'])).toEqual(tsharkTree(PATH, frames, ['ip', 'icmp']));
  });
});
