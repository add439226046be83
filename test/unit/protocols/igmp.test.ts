import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIpv4 } from '../../../core/protocols/ip';
import { igmpVersion, igmpv3Time } from '../../../core/protocols/igmp';
import { internetChecksum } from '../../../core/protocols/checksum';
import { hasTshark } from '../../helpers/decode';
import { compareWithTshark, INFO, meta } from './netlayer-compare';

const FIXTURES = join(__dirname, '../../fixtures');
const CAPTURES = ['igmp-v1.pcap', 'igmp-v2.pcap', 'netlayer-netns.pcap'].map((f) => join(FIXTURES, f));

const IGMP_FIELDS = [
  'igmp.version',
  'igmp.type',
  'igmp.reserved',
  'igmp.max_resp',
  'igmp.checksum',
  'igmp.checksum.status',
  'igmp.maddr',
  'igmp.s',
  'igmp.qrv',
  'igmp.qqic',
  'igmp.num_src',
  'igmp.saddr',
  'igmp.num_grp_recs',
  'igmp.record_type',
  'igmp.aux_data_len',
];

describe.skipIf(!hasTshark)('IGMP against tshark 4.0', () => {
  it('matches v1, v2 and v3 fields', () => {
    for (const file of CAPTURES) expect(compareWithTshark(file, IGMP_FIELDS).mismatches).toEqual([]);
  });
  it('matches Info and frame.protocols of every IGMP packet', () => {
    for (const file of CAPTURES) {
      const r = compareWithTshark(file, [INFO, 'igmp.type', 'frame.protocols'], (_, row) => row[1] !== '');
      expect(r.mismatches).toEqual([]);
    }
  });
});

describe('IGMP decoding', () => {
  const frame = (msg: Uint8Array) =>
    encodeEthernet(
      { dst: '01:00:5e:00:00:01', src: '02:00:00:00:00:01', type: 0x0800 },
      encodeIpv4({ src: '10.0.0.1', dst: '224.0.0.1', protocol: 2, ttl: 1 }, msg),
    );
  const withChecksum = (m: number[]) => {
    const b = new Uint8Array(m);
    const ck = internetChecksum(b);
    b[2] = ck >> 8;
    b[3] = ck & 0xff;
    return b;
  };

  it('tells versions apart as RFC 3376 §7.1 does', () => {
    expect(igmpVersion(0x11, 8, 0)).toBe(1);
    expect(igmpVersion(0x11, 8, 100)).toBe(2);
    expect(igmpVersion(0x11, 12, 100)).toBe(3);
    expect(igmpVersion(0x22, 16, 0)).toBe(3);
    expect(igmpv3Time(0x80)).toBe(128);
    expect(igmpv3Time(0xff)).toBe(31744);
  });

  it('decodes a v3 group-specific query with sources, and v3 report records', () => {
    const q = frame(withChecksum([0x11, 100, 0, 0, 239, 1, 1, 1, 0x02, 125, 0, 1, 10, 0, 0, 9]));
    const p = dissectPacket(meta(q), q, new CaptureState(), { tree: false });
    expect(p.cols.protocol).toBe('IGMPv3');
    expect(p.cols.info).toBe('Membership Query, specific for group 239.1.1.1, source {10.0.0.9}');
    expect(p.issues).toEqual([]);
    const r = frame(
      withChecksum([0x22, 0, 0, 0, 0, 0, 0, 2, 4, 0, 0, 0, 239, 1, 1, 1, 3, 0, 0, 0, 239, 2, 2, 2]),
    );
    const s = dissectPacket(meta(r), r, new CaptureState(), { tree: false });
    expect(s.cols.info).toBe(
      'Membership Report / Join group 239.1.1.1 for any sources / Leave group 239.2.2.2',
    );
  });

  it('flags a bad checksum and contains truncated records', () => {
    const bad = frame(new Uint8Array([0x16, 0, 0x12, 0x34, 239, 1, 1, 1]));
    const p = dissectPacket(meta(bad), bad, new CaptureState(), { tree: false });
    expect(p.cols.info).toBe('Membership Report group 239.1.1.1');
    expect(p.issues.map((i) => i.kind)).toEqual(['checksum-bad']);
    const cut = frame(withChecksum([0x22, 0, 0, 0, 0, 0, 0, 5, 4, 0, 0, 0, 239, 1, 1, 1]));
    const q = dissectPacket(meta(cut), cut, new CaptureState(), { tree: true });
    expect(q.malformed).toBe(true);
  });
});
