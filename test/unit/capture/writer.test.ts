// Writers: read → write → read gives identical records for pcap and pcapng; tshark reads what
// we write (names, link types, comments, gzip); classic pcap refuses a second link type.
import { TCPDUMP_TESTS } from '../../helpers/paths';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CaptureError,
  createCaptureWriter,
  formatForPath,
  openCaptureBytes,
  type CaptureReader,
  type CaptureWriter,
} from '../../../core/capture';
import { epoch, hasTshark, readAll, readFile, tsharkFrames, type CopiedRecord } from './tshark';

const FIX = 'test/fixtures/capture';
const SUITE = TCPDUMP_TESTS;
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-writer-'));

/** Copies every interface and record of `reader` into `writer`. */
function copy(
  reader: CaptureReader,
  writer: CaptureWriter,
  comment?: (i: number) => string[] | undefined,
  names: string[] = [],
): void {
  let i = 0;
  let added = 0;
  for (const r of reader.records()) {
    // Interfaces grow as IDBs are read: add each before its first packet.
    while (added < reader.info.interfaces.length) {
      const iface = reader.info.interfaces[added]!;
      const name = names[added++] ?? iface.name;
      writer.addInterface({
        linkType: iface.linkType,
        snapLen: iface.snapLen,
        name,
        description: iface.description,
      });
    }
    writer.writePacket({ ...r, comments: comment?.(i) ?? r.comments });
    i++;
  }
  writer.close();
}

const withoutOffsets = (records: CopiedRecord[]) => records.map(({ offset: _offset, ...rest }) => rest);

describe('pcap writer', () => {
  for (const [name, nanosecond] of [
    ['lo-usec.pcap', false],
    ['lo-nsec.pcap', true],
    ['any-sll2.pcap', false],
  ] as const) {
    it(`rewrites ${name} byte for byte`, () => {
      const original = readFileSync(`${FIX}/${name}`);
      const out = join(tmp, name);
      copy(readFile(`${FIX}/${name}`).reader, createCaptureWriter(out, 'pcap', { nanosecond }));
      expect(readFileSync(out).equals(original)).toBe(true);
    });
  }

  it('round-trips a big-endian file into identical records', () => {
    const { reader, records } = readFile(`${SUITE}/isup.pcap`);
    const chunks: Uint8Array[] = [];
    copy(
      reader,
      createCaptureWriter((c) => chunks.push(c.slice()), 'pcap'),
    );
    const again = openCaptureBytes(Buffer.concat(chunks));
    expect(readAll(again)).toEqual(records);
    expect(again.info.byteOrder).toBe('little');
  });

  it('refuses a packet of a second link type, saying why', () => {
    const writer = createCaptureWriter(() => {}, 'pcap');
    const eth = writer.addInterface({ linkType: 1 });
    const sll2 = writer.addInterface({ linkType: 276 });
    writer.writePacket({ interfaceId: eth, tsSec: 1, tsNsec: 0, data: new Uint8Array(60) });
    let error: unknown;
    try {
      writer.writePacket({ interfaceId: sll2, tsSec: 1, tsNsec: 0, data: new Uint8Array(60) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as CaptureError).message).toBe(
      'a pcap file holds a single link type: this packet is Linux cooked-mode capture v2 (276) but the file is Ethernet (1); save as pcapng to keep both',
    );
  });

  it('writes a valid empty capture', () => {
    const chunks: Uint8Array[] = [];
    createCaptureWriter((c) => chunks.push(c.slice()), 'pcap').close();
    const reader = openCaptureBytes(Buffer.concat(chunks));
    expect(readAll(reader)).toEqual([]);
    expect(reader.damage).toBeUndefined();
  });
});

describe.skipIf(!hasTshark)('pcapng writer', () => {
  it('keeps interfaces (names, link types), packet comments and the section comment', () => {
    const source = `${FIX}/merged-eth-sll2.pcapng`;
    const { reader, records } = readFile(source);
    const out = join(tmp, 'merged.pcapng');
    copy(
      reader,
      createCaptureWriter(out, 'pcapng', { comment: 'exported by a test' }),
      (i) => (i === 2 ? ['third packet', 'second comment'] : undefined),
      ['lo', 'any'],
    );
    const back = readFile(out);
    expect(withoutOffsets(back.records)).toEqual(
      withoutOffsets(records).map((r, i) =>
        i === 2 ? { ...r, comments: ['third packet', 'second comment'] } : r,
      ),
    );
    expect(back.reader.info.comments).toEqual(['exported by a test']);
    expect(back.reader.info.sections[0]!.userAppl).toBe('Wirelens');
    expect(back.reader.info.interfaces.map((i) => [i.name, i.linkType, i.packets])).toEqual([
      ['lo', 1, 30],
      ['any', 276, 20],
    ]);
    // tshark sees the same packets, interface names and comments.
    const ours = tsharkFrames(out);
    expect(ours.ok).toBe(true);
    expect(ours.frames.map((f) => [f.time, f.capLen, f.origLen])).toEqual(
      tsharkFrames(source).frames.map((f) => [f.time, f.capLen, f.origLen]),
    );
    expect(ours.frames.map((f) => f.interfaceName)).toEqual(
      records.map((r) => (r.interfaceId === 0 ? 'lo' : 'any')),
    );
    const comments = spawnSync(
      'tshark',
      ['-r', out, '-T', 'fields', '-e', 'frame.comment', '-Y', 'frame.number == 3'],
      {
        encoding: 'utf8',
      },
    ).stdout.trim();
    expect(comments).toBe('third packet,second comment');
  });

  it('writes nanosecond timestamps exactly', () => {
    const { reader, records } = readFile(`${FIX}/lo-nsec.pcap`);
    const out = join(tmp, 'nsec.pcapng');
    copy(reader, createCaptureWriter(out, 'pcapng', { nanosecond: true }));
    const back = readFile(out);
    expect(back.reader.info.interfaces[0]!.tsResolution).toBe('1e-9');
    expect(back.records.map(epoch)).toEqual(records.map(epoch));
    expect(tsharkFrames(out).frames.map((f) => f.time)).toEqual(records.map(epoch));
  });

  it('gzip output (several gzip members past 1 MiB) is read by tshark and by us', () => {
    const { records } = readFile(`${FIX}/lo-usec.pcap`);
    const big = records.reduce((a, b) => (b.capLen > a.capLen ? b : a));
    const out = join(tmp, 'many.pcapng.gz');
    const writer = createCaptureWriter(out, 'pcapng', { gzip: formatForPath(out).gzip });
    writer.addInterface({ linkType: 1, name: 'lo' });
    const count = 4000;
    for (let i = 0; i < count; i++)
      writer.writePacket({ interfaceId: 0, tsSec: 1700000000 + i, tsNsec: 0, data: big.data });
    writer.close();
    const back = readFile(out);
    expect(back.reader.info.compressed).toBe(true);
    expect(back.records).toHaveLength(count);
    expect(back.reader.size).toBeGreaterThan(1024 * 1024); // past one output chunk
    expect(tsharkFrames(out).frames).toHaveLength(count);
  });
});

describe('formatForPath', () => {
  it('chooses the format and compression from the name', () => {
    expect(formatForPath('a.pcap')).toEqual({ format: 'pcap', gzip: false });
    expect(formatForPath('a.cap')).toEqual({ format: 'pcap', gzip: false });
    expect(formatForPath('A.PCAPNG')).toEqual({ format: 'pcapng', gzip: false });
    expect(formatForPath('a.pcapng.gz')).toEqual({ format: 'pcapng', gzip: true });
    expect(formatForPath('a.pcap.gz')).toEqual({ format: 'pcap', gzip: true });
  });
});
