import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { parseIpv6 as parseIpv6Text } from '../../../core/dissect/address';
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIpv6, parseIpv6 } from '../../../core/protocols/ipv6';
import { encodeIcmpv6 } from '../../../core/protocols/icmpv6';
import { hasTshark, readClassicPcap } from '../../helpers/decode';
import { compareWithTshark, INFO, meta } from './netlayer-compare';

const FIXTURES = join(__dirname, '../../fixtures');
const NETNS = join(FIXTURES, 'netlayer-netns.pcap');

const IPV6_FIELDS = [
  'ipv6.version',
  'ip.version',
  'ipv6.tclass',
  'ipv6.tclass.dscp',
  'ipv6.tclass.ecn',
  'ipv6.flow',
  'ipv6.plen',
  'ipv6.nxt',
  'ipv6.hlim',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.addr',
  'ipv6.src_host',
  'ipv6.dst_host',
  'ipv6.host',
  'ipv6.hopopts.nxt',
  'ipv6.hopopts.len',
  'ipv6.hopopts.len_oct',
  'ipv6.dstopts.nxt',
  'ipv6.dstopts.len',
  'ipv6.opt.type',
  'ipv6.opt.type.action',
  'ipv6.opt.type.change',
  'ipv6.opt.type.rest',
  'ipv6.opt.length',
  'ipv6.opt.router_alert',
  'ipv6.fraghdr.nxt',
  'ipv6.fraghdr.offset',
  'ipv6.fraghdr.more',
  'ipv6.fraghdr.ident',
  'ipv6.fragment',
  'ipv6.fragment.count',
  'ipv6.reassembled.length',
];

describe.skipIf(!hasTshark)('IPv6 against tshark 4.0', () => {
  it('matches fixed header, extension headers and reassembly fields on our namespace capture', () => {
    expect(compareWithTshark(NETNS, IPV6_FIELDS).mismatches).toEqual([]);
  });
  it('matches on the neighbour-discovery capture', () => {
    expect(compareWithTshark(join(FIXTURES, 'icmpv6-nd.pcap'), IPV6_FIELDS).mismatches).toEqual([]);
  });
  it('shows non-final fragments in Info as tshark does', () => {
    const r = compareWithTshark(NETNS, [INFO], (_, row) => row[0]!.startsWith('IPv6 fragment'));
    expect(r.mismatches).toEqual([]);
  });
});

describe('IPv6 decoding', () => {
  const net = { src: 'fd00::1', dst: 'fd00::2' };
  const wrap = (ip: Uint8Array) =>
    encodeEthernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', type: 0x86dd }, ip);
  const fragHeader = (nxt: number, offset: number, more: boolean, ident: number) =>
    new Uint8Array([
      nxt,
      0,
      (offset >> 8) & 0xff,
      (offset & 0xf8) | (more ? 1 : 0),
      ident >>> 24,
      (ident >> 16) & 0xff,
      (ident >> 8) & 0xff,
      ident & 0xff,
    ]);
  const echo = encodeIcmpv6(
    { type: 128, code: 0, body: new Uint8Array([0, 1, 0, 1, ...new Uint8Array(2000).fill(9)]) },
    net,
  );

  it('reassembles fragments in any order and decodes the upper layer in a new data source', () => {
    const parts = [0, 1232].map((off) => {
      const chunk = echo.subarray(off, Math.min(echo.length, off + 1232));
      const payload = new Uint8Array([...fragHeader(58, off, off === 0, 0xabcdef01), ...chunk]);
      return wrap(encodeIpv6({ ...net, nextHeader: 44 }, payload));
    });
    const state = new CaptureState();
    const a = dissectPacket(meta(parts[1]!, { number: 1 }), parts[1]!, state, { tree: true });
    expect(a.cols.info).toBe('IPv6 fragment (off=1232 more=n ident=0xabcdef01 nxt=58)');
    const b = dissectPacket(meta(parts[0]!, { number: 2 }), parts[0]!, state, { tree: true });
    expect(b.cols.protocol).toBe('ICMPv6');
    expect(b.cols.info).toBe('Echo (ping) request id=0x0001, seq=1, hop limit=64');
    expect(b.sources.map((s) => s.name)).toContain(`Reassembled IPv6 (${echo.length} bytes)`);
    expect(b.issues.filter((i) => i.kind === 'checksum-bad')).toEqual([]);
    const again = dissectPacket(
      meta(parts[1]!, { number: 1 }),
      parts[1]!,
      state,
      { tree: false },
      new Dissection(),
      true,
    );
    expect(again.cols.info).toBe(
      'IPv6 fragment (off=1232 more=n ident=0xabcdef01 nxt=58) [Reassembled in #2]',
    );
  });

  it('decodes a type 4 routing header (SRH) and reports a bad option length', () => {
    const srh = new Uint8Array([
      59,
      4,
      4,
      1,
      1,
      0,
      0,
      0,
      ...parseIpv6Text('fd00::a')!,
      ...parseIpv6Text('fd00::b')!,
    ]);
    const f = wrap(encodeIpv6({ ...net, nextHeader: 43 }, srh));
    const p = dissectPacket(meta(f), f, new CaptureState(), { tree: true });
    expect(p.protocols).toEqual(['frame', 'eth', 'ethertype', 'ipv6', 'ipv6.routing']);
    expect(p.cols.info).toBe('IPv6 no next header');
    const badOpt = new Uint8Array([59, 0, 5, 3, 0, 0, 0, 0]);
    const g = wrap(encodeIpv6({ ...net, nextHeader: 0 }, badOpt));
    const q = dissectPacket(meta(g), g, new CaptureState(), { tree: true });
    expect(q.issues.some((i) => i.message.includes('Router Alert'))).toBe(true);
  });

  it('reports a payload length beyond the frame and a bogus version without throwing', () => {
    const f = wrap(encodeIpv6({ ...net, nextHeader: 59, payloadLength: 400 }, new Uint8Array(8)));
    const p = dissectPacket(meta(f), f, new CaptureState(), { tree: false });
    expect(p.issues.some((i) => i.message.includes('payload length 400'))).toBe(true);
    const bogus = f.slice();
    bogus[14] = 0x40;
    const q = dissectPacket(meta(bogus), bogus, new CaptureState(), { tree: false });
    expect(q.issues[0]!.message).toContain('Bogus IPv6 version');
  });
});

describe('IPv6 encoder', () => {
  it('round-trips every IPv6 packet of the captures through parse → encode → parse', () => {
    let n = 0;
    for (const file of [NETNS, join(FIXTURES, 'icmpv6-nd.pcap')]) {
      for (const r of readClassicPcap(file).filter((x) => x.data[12] === 0x86 && x.data[13] === 0xdd)) {
        const bytes = r.data.subarray(14);
        const back = parseIpv6(bytes)!;
        const again = encodeIpv6(back.repr, back.payload);
        expect(again).toEqual(bytes.subarray(0, 40 + back.repr.payloadLength!));
        expect(parseIpv6(again)).toEqual(back);
        n++;
      }
    }
    expect(n).toBeGreaterThan(30);
  });
});
