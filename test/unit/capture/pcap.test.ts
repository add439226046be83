// Classic pcap on real bytes: files made with tcpdump (µs, ns, Linux cooked v2), editcap (raw
// IPv4) and big-endian files from tcpdump's test suite, each compared with tshark 4.0; the
// pcap-parser package as an independent oracle; damage on truncated and corrupted copies.
import { TCPDUMP_TESTS } from '../../helpers/paths';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureBytes, openCaptureFile } from '../../../core/capture';
import { epoch, hasTshark, readAll, readFile, tsharkFrames } from './tshark';

const FIX = 'test/fixtures/capture';
const SUITE = TCPDUMP_TESTS;
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-pcap-'));

const files: { path: string; linkType: number; description: string; byteOrder: 'little' | 'big' }[] = [
  { path: `${FIX}/lo-usec.pcap`, linkType: 1, description: 'pcap (microsecond)', byteOrder: 'little' },
  { path: `${FIX}/lo-nsec.pcap`, linkType: 1, description: 'pcap (nanosecond)', byteOrder: 'little' },
  { path: `${FIX}/any-sll2.pcap`, linkType: 276, description: 'pcap (microsecond)', byteOrder: 'little' },
  { path: `${FIX}/raw4.pcap`, linkType: 228, description: 'pcap (microsecond)', byteOrder: 'little' },
  { path: `${SUITE}/isup.pcap`, linkType: 1, description: 'pcap (microsecond)', byteOrder: 'big' },
  { path: `${SUITE}/pptp.pcap`, linkType: 1, description: 'pcap (microsecond)', byteOrder: 'big' },
  { path: `${SUITE}/unaligned-nfs-1.pcap`, linkType: 1, description: 'pcap (microsecond)', byteOrder: 'big' },
  {
    path: `${SUITE}/tcp-handshake-nano.pcap`,
    linkType: 113,
    description: 'pcap (nanosecond)',
    byteOrder: 'little',
  },
];

describe.skipIf(!hasTshark)('classic pcap compared with tshark', () => {
  for (const f of files) {
    it(f.path.split('/').pop()!, () => {
      const { reader, records } = readFile(f.path);
      const tshark = tsharkFrames(f.path);
      expect(tshark.ok).toBe(true);
      expect(records.length).toBe(tshark.frames.length);
      expect(records.length).toBeGreaterThan(0);
      records.forEach((r, i) => {
        const t = tshark.frames[i]!;
        expect([epoch(r), r.capLen, r.origLen]).toEqual([t.time, t.capLen, t.origLen]);
        expect(r.data.length).toBe(r.capLen);
      });
      const info = reader.info;
      expect(info.format).toBe('pcap');
      expect(info.formatDescription).toBe(f.description);
      expect(info.byteOrder).toBe(f.byteOrder);
      expect(info.version).toBe('2.4');
      expect(info.interfaces).toHaveLength(1);
      expect(info.interfaces[0]!.linkType).toBe(f.linkType);
      expect(info.interfaces[0]!.packets).toBe(records.length);
      expect(reader.damage).toBeUndefined();
      expect(reader.position).toBe(reader.size);
      // readPacketAt gives a fresh copy of the same bytes.
      for (const r of [records[0]!, records[records.length - 1]!]) {
        expect(reader.readPacketAt(r.offset)).toEqual(r.data);
      }
      reader.close();
    });
  }

  it('reports where a truncated file ends and keeps what precedes it', () => {
    const bytes = readFileSync(`${FIX}/lo-usec.pcap`);
    const full = readAll(openCaptureBytes(bytes));
    const third = full[2]!;
    // Cut in the middle of the third record's packet bytes, then inside its header.
    const cutData = join(tmp, 'cut-data.pcap');
    writeFileSync(cutData, bytes.subarray(0, third.offset + 16 + 10));
    const reader = openCaptureFile(cutData);
    const records = readAll(reader);
    expect(records.length).toBe(2);
    expect(records.length).toBe(tsharkFrames(cutData).frames.length);
    expect(reader.damage).toEqual({
      offset: third.offset,
      reason: `the file ends in the middle of a packet record at offset ${third.offset} (record says ${third.capLen} bytes, 10 present)`,
    });
    const cutHeader = join(tmp, 'cut-header.pcap');
    writeFileSync(cutHeader, bytes.subarray(0, third.offset + 5));
    const r2 = openCaptureFile(cutHeader);
    expect(readAll(r2).length).toBe(tsharkFrames(cutHeader).frames.length);
    expect(r2.damage?.reason).toBe(
      `the file ends in the middle of a packet record header at offset ${third.offset} (5 of 16 bytes present)`,
    );
  });

  it('treats an impossible captured length as damage, not a crash', () => {
    const bytes = new Uint8Array(readFileSync(`${FIX}/lo-usec.pcap`));
    // The seventh record: Wireshark probes the first records to guess the pcap variant.
    const seventh = readAll(openCaptureBytes(bytes))[6]!;
    new DataView(bytes.buffer).setUint32(seventh.offset + 8, 300000, true);
    const path = join(tmp, 'huge-caplen.pcap');
    writeFileSync(path, bytes);
    const reader = openCaptureFile(path);
    expect(readAll(reader).length).toBe(6);
    expect(tsharkFrames(path).frames.length).toBe(6);
    expect(reader.damage?.reason).toBe(
      `the packet record at offset ${seventh.offset} says it holds 300000 captured bytes, more than the 262144-byte maximum: the file is corrupt from here`,
    );
  });

  it('reads the FCS length from the upper bits of the link-type field', () => {
    const bytes = new Uint8Array(readFileSync(`${FIX}/lo-usec.pcap`));
    // F bit (0x04000000) set, FCS length 2 sixteen-bit words (draft-ietf-opsawg-pcap §4).
    new DataView(bytes.buffer).setUint32(20, 0x24000001, true);
    const iface = openCaptureBytes(bytes).info.interfaces[0]!;
    expect(iface.linkType).toBe(1);
    expect(iface.linkTypeName).toBe('Ethernet');
    expect(iface.fcsLen).toBe(4);
  });

  it('reads a header-only file as an empty capture', () => {
    const header = readFileSync(`${FIX}/lo-usec.pcap`).subarray(0, 24);
    const reader = openCaptureBytes(header);
    expect(readAll(reader)).toEqual([]);
    expect(reader.damage).toBeUndefined();
  });
});

describe('pcap-parser as an independent oracle', () => {
  const require = createRequire(import.meta.url);
  const pcapParser = require('pcap-parser') as {
    parse(path: string): {
      on(event: 'packet', fn: (p: { header: Record<string, number>; data: Buffer }) => void): void;
      on(event: 'end' | 'error', fn: (e?: Error) => void): void;
    };
  };
  function parseWithPcapParser(path: string): Promise<{ header: Record<string, number>; data: Buffer }[]> {
    return new Promise((resolve, reject) => {
      const packets: { header: Record<string, number>; data: Buffer }[] = [];
      const parser = pcapParser.parse(path);
      parser.on('packet', (p) => packets.push(p));
      parser.on('end', () => resolve(packets));
      parser.on('error', (e) => reject(e));
    });
  }
  for (const path of [`${FIX}/lo-usec.pcap`, `${SUITE}/isup.pcap`, `${FIX}/any-sll2.pcap`]) {
    it(`agrees on ${path.split('/').pop()}`, async () => {
      const theirs = await parseWithPcapParser(path);
      const ours = readFile(path).records;
      expect(ours.length).toBe(theirs.length);
      ours.forEach((r, i) => {
        const p = theirs[i]!;
        expect([r.tsSec, r.tsNsec, r.capLen, r.origLen]).toEqual([
          p.header.timestampSeconds,
          p.header.timestampMicroseconds! * 1000,
          p.header.capturedLength,
          p.header.originalLength,
        ]);
        expect(Buffer.from(r.data).equals(p.data)).toBe(true);
      });
    });
  }
});

describe.skipIf(!hasTshark)('Kuznetzov-modified pcap (magic 0xa1b2cd34)', () => {
  it('reads its 24-byte record headers like tshark', () => {
    // Rewrite lo-usec.pcap in the modified layout: each record header gains ifindex (4),
    // protocol (2), packet type (1) and padding (1).
    const plain = readFileSync(`${FIX}/lo-usec.pcap`);
    const records = readAll(openCaptureBytes(plain));
    const parts: Uint8Array[] = [plain.subarray(0, 24)];
    for (const r of records) {
      const header = new Uint8Array(24);
      header.set(plain.subarray(r.offset, r.offset + 16));
      const dv = new DataView(header.buffer);
      dv.setUint32(16, 1, true); // ifindex of lo
      dv.setUint16(20, 0x0800, true);
      parts.push(header, r.data);
    }
    const bytes = Buffer.concat(parts);
    bytes.writeUInt32LE(0xa1b2cd34, 0);
    const path = join(tmp, 'modified.pcap');
    writeFileSync(path, bytes);
    const { reader, records: ours } = readFile(path);
    expect(reader.info.formatDescription).toBe('pcap (modified, Kuznetzov)');
    expect(ours.map((r) => r.data)).toEqual(records.map((r) => r.data));
    const tshark = tsharkFrames(path);
    expect(tshark.ok).toBe(true);
    expect(ours.map((r) => [epoch(r), r.capLen, r.origLen])).toEqual(
      tshark.frames.map((f) => [f.time, f.capLen, f.origLen]),
    );
  });
});
