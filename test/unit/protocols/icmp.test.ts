import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIpv4 } from '../../../core/protocols/ip';
import { encodeIcmp, parseIcmp } from '../../../core/protocols/icmp';
import { hasTshark, readClassicPcap } from '../../helpers/decode';
import { compareWithTshark, INFO, meta } from './netlayer-compare';

const NETNS = join(__dirname, '../../fixtures/netlayer-netns.pcap');

const ICMP_FIELDS = [
  'icmp.type',
  'icmp.code',
  'icmp.checksum',
  'icmp.checksum.status',
  'icmp.unused',
  'icmp.ident',
  'icmp.ident_le',
  'icmp.seq',
  'icmp.seq_le',
  'icmp.resp_to',
  'icmp.resptime',
  'icmp.resp_in',
  'icmp.mtu',
  'icmp.redir_gw',
  'icmp.pointer',
  // the quoted datagram's header fields appear as second occurrences
  'ip.src',
  'ip.dst',
  'ip.ttl',
  'ip.proto',
  'ip.len',
];

const isIcmp = (frame: Uint8Array) => frame[12] === 0x08 && frame[13] === 0x00 && frame[14 + 9] === 1;

describe.skipIf(!hasTshark)('ICMP against tshark 4.0', () => {
  it('matches echo, unreachable and time-exceeded fields, including the quoted header', () => {
    expect(compareWithTshark(NETNS, ICMP_FIELDS).mismatches).toEqual([]);
  });
  it('matches the Info column of every ICMP packet, with request/reply pairing', () => {
    const r = compareWithTshark(
      NETNS,
      [INFO, 'ip.proto'],
      (_, row) => row[1] === '1' || row[1]!.startsWith('1,'),
    );
    expect(r.mismatches).toEqual([]);
  });
});

describe('ICMP decoding', () => {
  const frame = (icmp: Uint8Array, src = '10.0.0.1', dst = '10.0.0.2', ttl = 64) =>
    encodeEthernet(
      { dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', type: 0x0800 },
      encodeIpv4({ src, dst, protocol: 1, ttl }, icmp),
    );

  it('pairs requests and replies; a revisit adds "reply in" and "no response found!"', () => {
    const req = frame(encodeIcmp({ type: 8, code: 0, identifier: 0x222d, sequence: 1 }, new Uint8Array(8)));
    const rep = frame(
      encodeIcmp({ type: 0, code: 0, identifier: 0x222d, sequence: 1 }, new Uint8Array(8)),
      '10.0.0.2',
      '10.0.0.1',
    );
    const lone = frame(encodeIcmp({ type: 8, code: 0, identifier: 0x222d, sequence: 2 }, new Uint8Array(8)));
    const state = new CaptureState();
    const first = [req, rep, lone].map(
      (f, i) =>
        dissectPacket(meta(f, { number: i + 1, tsNsec: i * 1000 }), f, state, { tree: false }).cols.info,
    );
    expect(first).toEqual([
      'Echo (ping) request  id=0x222d, seq=1/256, ttl=64',
      'Echo (ping) reply    id=0x222d, seq=1/256, ttl=64 (request in 1)',
      'Echo (ping) request  id=0x222d, seq=2/512, ttl=64',
    ]);
    const revisit = (f: Uint8Array, n: number) =>
      dissectPacket(
        meta(f, { number: n, tsNsec: (n - 1) * 1000 }),
        f,
        state,
        { tree: false },
        new Dissection(),
        true,
      ).cols.info;
    expect(revisit(req, 1)).toBe('Echo (ping) request  id=0x222d, seq=1/256, ttl=64 (reply in 2)');
    expect(revisit(lone, 3)).toBe('Echo (ping) request  id=0x222d, seq=2/512, ttl=64 (no response found!)');
    expect(revisit(rep, 2)).toBe(first[1]);
  });

  it('flags a bad checksum and decodes the quoted datagram of an error without changing columns', () => {
    const quoted = encodeIpv4(
      { src: '10.0.0.2', dst: '10.0.0.9', protocol: 17 },
      new Uint8Array([0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0]),
    );
    const err = frame(encodeIcmp({ type: 3, code: 3, checksum: 0xbeef }, quoted), '10.0.0.1', '10.0.0.2');
    const p = dissectPacket(meta(err), err, new CaptureState(), { tree: true });
    expect(p.cols.info).toBe('Destination unreachable (Port unreachable)');
    expect(p.cols.src).toBe('10.0.0.1');
    expect(p.issues.find((i) => i.kind === 'checksum-bad')?.protocol).toBe('icmp');
    expect(p.protocols.slice(0, 5)).toEqual(['frame', 'eth', 'ethertype', 'ip', 'icmp']);
    expect(p.protocols).toContain('ip');
    expect(p.protocols.filter((x) => x === 'ip')).toHaveLength(2);
  });

  it('never throws on a truncated message', () => {
    const f = frame(encodeIcmp({ type: 13, code: 0, identifier: 1, sequence: 1 }, new Uint8Array(12)));
    const cut = f.subarray(0, 14 + 20 + 10);
    const p = dissectPacket(meta(cut, { origLen: f.length }), cut, new CaptureState(), { tree: true });
    expect(p.malformed).toBe(true);
    expect(p.issues.at(-1)!.protocol).toBe('icmp');
  });
});

describe('ICMP encoder', () => {
  it('round-trips every ICMP message of the namespace capture', () => {
    const records = readClassicPcap(NETNS).filter(
      (r) => isIcmp(r.data) && (r.data[20]! & 0x3f) === 0 && r.data[21] === 0,
    );
    expect(records.length).toBeGreaterThan(10);
    for (const r of records) {
      const hdrLen = (r.data[14]! & 0x0f) * 4;
      const total = (r.data[16]! << 8) | r.data[17]!;
      const msg = r.data.subarray(14 + hdrLen, 14 + total);
      const back = parseIcmp(msg)!;
      expect(encodeIcmp(back.repr, back.payload)).toEqual(msg);
      // Recomputing the checksum gives the captured one (all captured checksums are correct).
      const { checksum: _omit, ...noChecksum } = back.repr;
      expect(encodeIcmp(noChecksum, back.payload)).toEqual(msg);
    }
  });
});
