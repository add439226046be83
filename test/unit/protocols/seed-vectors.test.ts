// The TFTP read request of SEEDS.md (seed 003): a 97-byte Ethernet frame whose IPv4 and UDP
// checksums are both valid. TFTP itself is decoded by a later issue; here every layer up to
// UDP must read as the seed says, and nothing may be flagged.
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { decodeFields, frameMeta, fromHex, labels } from '../../helpers/decode';

const TFTP_RRQ = fromHex(`00055d67d0b100055d6158a808004500005393250000801125ecc0a80037c0a8000105d40045003fac40
0001633a5c71776572712e717765006e6574617363696900626c6b73697a65003531320074696d656f75
74003130007473697a65003000`);

const meta = frameMeta(TFTP_RRQ);

describe('SEEDS.md TFTP read request (seed 003)', () => {
  it('decodes Ethernet, IPv4 and UDP as the seed describes', () => {
    const fields = [
      'frame.len',
      'eth.type',
      'ip.ttl',
      'ip.id',
      'ip.proto',
      'ip.checksum',
      'ip.src',
      'ip.dst',
      'udp.srcport',
      'udp.dstport',
      'udp.length',
      'udp.checksum',
    ];
    const [row] = decodeFields([{ meta, data: TFTP_RRQ }], fields);
    expect(Object.fromEntries(fields.map((f, i) => [f, row![i]]))).toEqual({
      'frame.len': '97',
      'eth.type': '0x0800',
      'ip.ttl': '128',
      'ip.id': '0x9325',
      'ip.proto': '17',
      'ip.checksum': '0x25ec',
      'ip.src': '192.168.0.55',
      'ip.dst': '192.168.0.1',
      'udp.srcport': '1492',
      'udp.dstport': '69',
      'udp.length': '63',
      'udp.checksum': '0xac40',
    });
  });

  it('finds both checksums valid: no issue on the tree path, where they are verified', () => {
    const p = dissectPacket(meta, TFTP_RRQ, new CaptureState(), { tree: true });
    expect(p.issues).toEqual([]);
    expect(p.malformed).toBe(false);
    expect(p.cols.src).toBe('192.168.0.55');
    expect(p.cols.dst).toBe('192.168.0.1');
  });

  it('finds a corrupted UDP checksum and says what it should be', () => {
    const bad = TFTP_RRQ.slice();
    bad[40] ^= 0xff; // the UDP checksum's first byte
    const p = dissectPacket({ ...meta }, bad, new CaptureState(), { tree: true });
    expect(p.issues.map((i) => [i.kind, i.message])).toEqual([
      ['checksum-bad', expect.stringContaining('should be 0xac40')],
    ]);
    expect(labels(p.roots).some((l) => l.startsWith('Checksum: 0x5340'))).toBe(true);
  });
});
