import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { dissectPacket } from '../../../core/dissect/packet';
import type { TreeNode } from '../../../core/dissect/dissection';
import { CaptureState } from '../../../core/dissect/state';
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIpv6 } from '../../../core/protocols/ipv6';
import { encodeIcmpv6, parseIcmpv6 } from '../../../core/protocols/icmpv6';
import { ipv6ToString } from '../../../core/dissect/format';
import { hasTshark, readClassicPcap } from '../../helpers/decode';
import { compareWithTshark, INFO, meta } from './netlayer-compare';

const allLabels = (nodes: TreeNode[]): string[] =>
  nodes.flatMap((n) => [n.label, ...allLabels(n.children ?? [])]);

const FIXTURES = join(__dirname, '../../fixtures');
const CAPTURES = ['netlayer-netns.pcap', 'icmpv6-nd.pcap'].map((f) => join(FIXTURES, f));

const ICMPV6_FIELDS = [
  'icmpv6.type',
  'icmpv6.code',
  'icmpv6.checksum',
  'icmpv6.checksum.status',
  'icmpv6.reserved',
  'icmpv6.mtu',
  'icmpv6.pointer',
  'icmpv6.echo.identifier',
  'icmpv6.echo.sequence_number',
  'icmpv6.resp_to',
  'icmpv6.resptime',
  'icmpv6.nd.ns.target_address',
  'icmpv6.nd.na.flag',
  'icmpv6.nd.na.flag.r',
  'icmpv6.nd.na.flag.s',
  'icmpv6.nd.na.flag.o',
  'icmpv6.nd.na.target_address',
  'icmpv6.nd.ra.cur_hop_limit',
  'icmpv6.nd.ra.flag',
  'icmpv6.nd.ra.flag.m',
  'icmpv6.nd.ra.flag.o',
  'icmpv6.nd.ra.flag.prf',
  'icmpv6.nd.ra.router_lifetime',
  'icmpv6.nd.ra.reachable_time',
  'icmpv6.nd.ra.retrans_timer',
  'icmpv6.opt.type',
  'icmpv6.opt.length',
  'icmpv6.opt.linkaddr',
  'icmpv6.opt.src_linkaddr',
  'icmpv6.opt.target_linkaddr',
  'icmpv6.opt.prefix.length',
  'icmpv6.opt.prefix.flag',
  'icmpv6.opt.prefix.flag.l',
  'icmpv6.opt.prefix.flag.a',
  'icmpv6.opt.prefix.valid_lifetime',
  'icmpv6.opt.prefix.preferred_lifetime',
  'icmpv6.opt.prefix',
  'icmpv6.opt.mtu',
  'icmpv6.opt.rdnss.lifetime',
  'icmpv6.opt.rdnss',
  'icmpv6.mld.maximum_response_code',
  'icmpv6.mld.maximum_response_delay',
  'icmpv6.mld.multicast_address',
  'icmpv6.mld.flag',
  'icmpv6.mld.qqi',
  'icmpv6.mld.nb_sources',
  'icmpv6.mldr.nb_mcast_records',
  'icmpv6.mldr.mar.record_type',
  'icmpv6.mldr.mar.aux_data_len',
  'icmpv6.mldr.mar.nb_sources',
  'icmpv6.mldr.mar.multicast_address',
  'icmpv6.mldr.mar.source_address',
  // quoted packets of errors
  'ipv6.src',
  'ipv6.dst',
  'ipv6.hlim',
];

describe.skipIf(!hasTshark)('ICMPv6 against tshark 4.0', () => {
  it('matches echo, errors, ND (with options) and MLDv2 fields', () => {
    for (const file of CAPTURES) expect(compareWithTshark(file, ICMPV6_FIELDS).mismatches).toEqual([]);
  });
  it('matches the Info column of every ICMPv6 packet', () => {
    for (const file of CAPTURES) {
      const r = compareWithTshark(file, [INFO, 'icmpv6.type'], (_, row) => row[1] !== '');
      expect(r.mismatches).toEqual([]);
    }
  });
});

describe('ICMPv6 decoding', () => {
  const net = { src: 'fe80::1', dst: 'ff02::1' };
  const frame = (msg: Uint8Array, hopLimit = 255) =>
    encodeEthernet(
      { dst: '33:33:00:00:00:01', src: '02:00:00:00:00:01', type: 0x86dd },
      encodeIpv6({ ...net, nextHeader: 58, hopLimit }, msg),
    );

  it('verifies the checksum over the IPv6 pseudo-header and flags a wrong one', () => {
    const body = new Uint8Array([0, 0, 0, 0]);
    const good = frame(encodeIcmpv6({ type: 133, code: 0, body }, net));
    const p = dissectPacket(meta(good), good, new CaptureState(), { tree: false });
    expect(p.cols.info).toBe('Router Solicitation');
    expect(p.issues).toEqual([]);
    const bad = frame(encodeIcmpv6({ type: 133, code: 0, body }, { src: 'fe80::2', dst: 'ff02::1' }));
    const q = dissectPacket(meta(bad), bad, new CaptureState(), { tree: false });
    expect(q.issues.map((i) => i.kind)).toEqual(['checksum-bad']);
  });

  it('rejects a zero-length ND option as malformed (RFC 4861 §4.6)', () => {
    const body = new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const f = frame(encodeIcmpv6({ type: 133, code: 0, body }, net));
    const p = dissectPacket(meta(f), f, new CaptureState(), { tree: true });
    expect(p.issues.some((i) => i.kind === 'malformed' && i.message.includes('invalid length 0'))).toBe(true);
  });

  it('decodes an MLDv1 report and a router advertisement with prefix and MTU options', () => {
    const group = new Uint8Array([0xff, 0x02, ...new Uint8Array(13), 0xfb]);
    const mld = frame(
      encodeIcmpv6({ type: 131, code: 0, body: new Uint8Array([0, 0, 0, 0, ...group]) }, net),
      1,
    );
    const p = dissectPacket(meta(mld), mld, new CaptureState(), { tree: true });
    expect(p.cols.info).toBe('Multicast Listener Report');
    const prefix = [
      3,
      4,
      64,
      0xc0,
      0,
      0,
      0x0e,
      0x10,
      0,
      0,
      0x07,
      0x08,
      0,
      0,
      0,
      0,
      0x20,
      0x01,
      0x0d,
      0xb8,
      ...new Uint8Array(12),
    ];
    const mtu = [5, 1, 0, 0, 0, 0, 0x05, 0xdc];
    const ra = frame(
      encodeIcmpv6(
        {
          type: 134,
          code: 0,
          body: new Uint8Array([64, 0, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, ...prefix, ...mtu]),
        },
        net,
      ),
    );
    const q = dissectPacket(meta(ra), ra, new CaptureState(), { tree: true });
    expect(q.issues).toEqual([]);
    const labels = allLabels(q.roots);
    expect(labels).toContain('ICMPv6 Option (Prefix information : 2001:db8::/64)');
    expect(labels).toContain('ICMPv6 Option (MTU : 1500)');
  });
});

describe('ICMPv6 encoder', () => {
  it('round-trips every ICMPv6 message of the captures, recomputing the same checksum', () => {
    let n = 0;
    for (const file of CAPTURES) {
      for (const r of readClassicPcap(file)) {
        const d = r.data;
        if (d[12] !== 0x86 || d[13] !== 0xdd || d[14 + 6] !== 58) continue;
        const plen = (d[18]! << 8) | d[19]!;
        const msg = d.subarray(54, 54 + plen);
        const net = { src: ipv6ToString(d, 22), dst: ipv6ToString(d, 38) };
        const back = parseIcmpv6(msg)!;
        expect(encodeIcmpv6(back.repr, net)).toEqual(msg);
        const { checksum: _omit, ...rest } = back.repr;
        expect(encodeIcmpv6(rest, net)).toEqual(msg);
        n++;
      }
    }
    expect(n).toBeGreaterThan(10);
  });
});
