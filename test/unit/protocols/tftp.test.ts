// TFTP: real transfers (busybox tftp ↔ dnsmasq: RRQ with tsize/blksize, OACK, DATA/ACK on the
// server's new port, ERROR for a missing file and for a refused WRQ) decode as tshark 4.0; the
// seed-003 read request reads as SEEDS.md says; encodeTftp/parseTftp round-trip.
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { encodeTftp, parseTftp, type TftpRepr } from '../../../core/protocols/tftp';
import { decodeFrame, fromHex } from '../../helpers/decode';
import { compareWithTshark } from './dns-golden';

const SEED_RRQ = fromHex(`00055d67d0b100055d6158a808004500005393250000801125ecc0a80037c0a8000105d40045003fac40
0001633a5c71776572712e717765006e6574617363696900626c6b73697a65003531320074696d656f75
74003130007473697a65003000`);

describe('TFTP against tshark 4.0', () => {
  it('follows the transfers on the server’s new ports, with files, blocks, options and errors', () => {
    expect(compareWithTshark('tftp')).toEqual([]);
  });
});

describe('SEEDS.md TFTP read request (seed 003)', () => {
  it('is RRQ c:\\qwerq.qwe, netascii, blksize=512 timeout=10 tsize=0', () => {
    const { p, value } = decodeFrame(SEED_RRQ, [
      'tftp.opcode',
      'tftp.source_file',
      'tftp.type',
      'tftp.option.name',
      'tftp.option.value',
    ]);
    expect(p.cols.protocol).toBe('TFTP');
    expect(p.cols.info).toBe(
      'Read Request, File: c:\\qwerq.qwe, Transfer type: netascii, blksize=512, timeout=10, tsize=0',
    );
    expect(value('tftp.opcode')).toBe('1');
    expect(value('tftp.source_file')).toBe('c:\\qwerq.qwe');
    expect(value('tftp.type')).toBe('netascii');
    expect(value('tftp.option.name')).toBe('blksize,timeout,tsize');
    expect(value('tftp.option.value')).toBe('512,10,0');
    expect(p.issues).toEqual([]);
  });

  it('a request cut inside its file name is malformed, not thrown', () => {
    const cut = SEED_RRQ.slice(0, 47);
    const { p } = decodeFrame(cut, []);
    expect(p.cols.protocol).toBe('TFTP');
  });
});

describe('TFTP on revisits', () => {
  it('a DATA packet seen again still names its file and request frame', async () => {
    const { readClassicPcap } = await import('../../helpers/decode');
    const { join } = await import('node:path');
    const { APP_FIXTURES } = await import('./dns-golden');
    const records = readClassicPcap(join(APP_FIXTURES, 'tftp.pcap'));
    const state = new CaptureState();
    const p = new Dissection();
    for (const r of records) dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p);
    const dataFrame = records.find((r) => {
      dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p, true);
      return p.cols.info.startsWith('Data Packet');
    })!;
    const again = dissectPacket(
      dataFrame.meta,
      dataFrame.data,
      state,
      { tree: true },
      new Dissection(),
      true,
    );
    const flat: string[] = [];
    const walk = (n: { label: string; children?: unknown[] }[]) =>
      n.forEach((x) => (flat.push(x.label), x.children && walk(x.children as never)));
    walk(again.roots);
    const labels = flat.join('\n');
    expect(labels).toMatch(/\[Destination File: [a-z.]+\]/);
    expect(labels).toMatch(/Read Request in frame \d+/);
  });
});

describe('encodeTftp / parseTftp', () => {
  const cases: TftpRepr[] = [
    {
      opcode: 1,
      file: 'boot.bin',
      mode: 'octet',
      options: [
        ['blksize', '1428'],
        ['tsize', '0'],
      ],
    },
    { opcode: 2, file: 'up.txt', mode: 'netascii', options: [] },
    { opcode: 3, block: 7, data: Uint8Array.of(1, 2, 3) },
    { opcode: 4, block: 65535 },
    { opcode: 5, code: 1, message: 'File not found' },
    { opcode: 6, options: [['blksize', '1428']] },
  ];
  for (const r of cases) {
    it(`round-trips opcode ${r.opcode}`, () => {
      const bytes = encodeTftp(r);
      const parsed = parseTftp(bytes)!;
      expect(parsed).toEqual(r);
      expect(encodeTftp(parsed)).toEqual(bytes);
    });
  }
  it('rejects a request without its NUL terminators', () => {
    expect(parseTftp(Uint8Array.of(0, 1, 0x61))).toBeUndefined();
  });
});
