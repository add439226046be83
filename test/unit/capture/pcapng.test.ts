// pcapng on real bytes: files written by dumpcap, editcap and mergecap, two sections
// concatenated, TLS secrets injected by editcap, and hand-built blocks for the variants no tool
// here writes (big-endian, 2^-k / 1e-3 / 1e-12 resolutions, if_tsoffset, SPB, the obsolete
// Packet Block, NRB, custom blocks). tshark 4.0 is the reference for every packet's time,
// lengths and interface.
import { TCPDUMP_TESTS } from '../../helpers/paths';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureBytes, openCaptureFile, type CaptureReader } from '../../../core/capture';
import { PcapngBuilder } from './pcapng-builder';
import { epoch, hasTshark, readAll, readFile, tsharkFrames, type CopiedRecord } from './tshark';

const FIX = 'test/fixtures/capture';
const SUITE = TCPDUMP_TESTS;
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-pcapng-'));

/** Every record's time, lengths and interface name match tshark's. */
function expectSameAsTshark(
  path: string,
  reader: CaptureReader,
  all: CopiedRecord[],
  names = true,
  limit = all.length,
): void {
  const tshark = tsharkFrames(path);
  expect(tshark.error).toBe('');
  expect(all.length).toBe(tshark.frames.length);
  all.slice(0, limit).forEach((r, i) => {
    const t = tshark.frames[i]!;
    // tshark prints no time for an SPB (it has none); we give 0.
    expect([t.time === '' ? '' : epoch(r), r.capLen, r.origLen]).toEqual([t.time, t.capLen, t.origLen]);
    if (t.time === '') expect([r.tsSec, r.tsNsec]).toEqual([0, 0]);
    if (names) expect(reader.info.interfaces[r.interfaceId]!.name ?? 'unknown').toBe(t.interfaceName);
    expect(r.data.length).toBe(r.capLen);
  });
}

describe.skipIf(!hasTshark)('pcapng files written by Wireshark tools', () => {
  for (const path of [
    `${FIX}/lo-dumpcap.pcapng`,
    `${FIX}/lo-editcap.pcapng`,
    `${FIX}/lo-nsec.pcapng`,
    `${FIX}/merged-eth-sll2.pcapng`,
    `${FIX}/with-secrets.pcapng`,
    `${SUITE}/time_2106_overflow.pcapng`,
    `${SUITE}/time_2107.pcapng`,
    `${SUITE}/of10_7050q.pcapng`,
    `${SUITE}/bgp-enhanced-route-refresh-subtype.pcapng`,
  ]) {
    it(path.split('/').pop()!, () => {
      const { reader, records } = readFile(path);
      expectSameAsTshark(path, reader, records);
      expect(reader.info.format).toBe('pcapng');
      expect(reader.info.version).toBe('1.0');
      expect(reader.damage).toBeUndefined();
      for (const r of records) expect(reader.readPacketAt(r.offset)).toEqual(r.data);
    });
  }

  it('reads the section and interface details dumpcap writes', () => {
    const { reader, records } = readFile(`${FIX}/lo-dumpcap.pcapng`);
    const info = reader.info;
    expect(info.comments).toEqual(['Wirelens capture fixture']);
    expect(info.sections).toHaveLength(1);
    expect(info.sections[0]!.os).toMatch(/^Linux /);
    expect(info.sections[0]!.userAppl).toMatch(/^Dumpcap \(Wireshark\) 4\.0/);
    expect(info.sections[0]!.hardware).toMatch(/Processor/);
    expect(info.interfaces).toHaveLength(1);
    expect(info.interfaces[0]).toMatchObject({
      id: 0,
      section: 0,
      name: 'lo',
      description: 'Loopback',
      linkType: 1,
      linkTypeName: 'Ethernet',
      snapLen: 262144,
      tsResolution: '1e-9',
      tsOffset: 0,
      packets: 12,
    });
    expect(info.interfaces[0]!.os).toMatch(/^Linux /);
    // dumpcap ends with an ISB: 12 received, 0 dropped (as it printed when capturing).
    expect(info.interfaceStatistics).toHaveLength(1);
    expect(info.interfaceStatistics[0]).toMatchObject({
      interfaceId: 0,
      received: 12,
      dropped: 0,
      comments: ['Counters provided by dumpcap'],
    });
    // (dumpcap 4.0 writes the ISB timestamp in µs although the IDB says 1e-9; we read it per
    // the spec, so it lands ~1000× too early: not asserted.)
    expect(records).toHaveLength(12);
  });

  it('keeps interfaces with different link types from mergecap', () => {
    const { reader, records } = readFile(`${FIX}/merged-eth-sll2.pcapng`);
    expect(reader.info.interfaces.map((i) => [i.linkType, i.linkTypeName, i.packets])).toEqual([
      [1, 'Ethernet', 30],
      [276, 'Linux cooked-mode capture v2', 20],
    ]);
    expect(new Set(records.map((r) => r.interfaceId))).toEqual(new Set([0, 1]));
  });

  it('keeps decryption secrets injected by editcap', () => {
    const { reader } = readFile(`${FIX}/with-secrets.pcapng`);
    const secrets = reader.info.decryptionSecrets;
    expect(secrets).toHaveLength(1);
    expect(secrets[0]!.type).toBe(0x544c534b); // 'TLSK'
    expect(new TextDecoder().decode(secrets[0]!.data)).toBe(readFileSync(`${FIX}/keylog.txt`, 'utf8'));
  });

  it('reads several sections, numbering interfaces across them', () => {
    const path = `${FIX}/two-sections.pcapng`;
    const { reader, records } = readFile(path);
    const info = reader.info;
    expect(info.sections).toHaveLength(2);
    expect(info.comments).toEqual(['Wirelens capture fixture']);
    expect(info.interfaces.map((i) => [i.id, i.section, i.linkType, i.tsResolution, i.packets])).toEqual([
      [0, 0, 1, '1e-9', 12],
      [1, 1, 276, '1e-6', 20],
    ]);
    // Counts and lengths as tshark; the second section's times as tshark reads that section alone
    // (tshark 4.0 keeps section 0's interface for later sections, so its names/times there differ).
    const tshark = tsharkFrames(path);
    expect(records.length).toBe(tshark.frames.length);
    records.forEach((r, i) =>
      expect([r.capLen, r.origLen]).toEqual([tshark.frames[i]!.capLen, tshark.frames[i]!.origLen]),
    );
    const first = tsharkFrames(`${FIX}/lo-dumpcap.pcapng`).frames;
    const second = tsharkFrames(`${FIX}/any-sll2.pcap`).frames;
    expect(records.map(epoch)).toEqual([...first, ...second].map((f) => f.time));
    expect(records.slice(12).every((r) => r.interfaceId === 1)).toBe(true);
  });
});

const enc = new TextEncoder();

/** Real Ethernet frames to put in hand-built blocks. */
function frames(): Uint8Array[] {
  return readAll(openCaptureFile(`${FIX}/lo-usec.pcap`)).map((r) => r.data);
}

describe.skipIf(!hasTshark)('hand-built pcapng variants, compared with tshark', () => {
  it('big-endian and little-endian sections, odd resolutions, if_tsoffset, SPB, OPB, NRB, ISB, DSB, custom blocks', () => {
    const f = frames();
    const ipv6Loopback = new Uint8Array(16);
    ipv6Loopback[15] = 1;
    const sectionA = new PcapngBuilder(false)
      .shb(
        [
          { code: 1, value: 'big-endian section' },
          { code: 3, value: 'TestOS' },
        ],
        false,
      )
      .idb(1, 65535, [
        { code: 2, value: 'eth-be' },
        { code: 9, value: Uint8Array.of(0x94) }, // 2^-20 s
        { code: 14, value: new PcapngBuilder(false).u64(100n) }, // if_tsoffset +100 s
        { code: 11, value: Uint8Array.of(0, ...enc.encode('tcp port 80')) },
        { code: 12, value: 'Linux 6' },
        { code: 13, value: Uint8Array.of(32) }, // 32 bits of FCS
      ])
      .idb(1, 0, [
        { code: 2, value: 'eth-ms' },
        { code: 9, value: Uint8Array.of(3) }, // 1e-3 s
      ])
      .epb(0, 0x00000193, 0x7a2c5e10, f[0]!, f[0]!.length, [
        { code: 1, value: 'first packet' },
        { code: 2, value: Uint8Array.of(0, 0, 0, 1) }, // epb_flags = 1 (inbound), big-endian
      ])
      .block(0x00000099, new Uint8Array(8)) // unknown block type: skipped
      .epb(1, 0x00000198, 0x2f8a4b13, f[1]!)
      .opb(0, 0x00000193, 0x7a3c5e10, f[2]!)
      .spb(f[3]!)
      .nrb([
        { type: 1, value: Uint8Array.of(127, 0, 0, 1, ...enc.encode('localhost\0loopback\0')) },
        { type: 2, value: Uint8Array.of(...ipv6Loopback, ...enc.encode('ip6-localhost\0')) },
      ])
      .isb(0, 0x00000193, 0x7a4c5e10, [
        { code: 1, value: 'stats comment' },
        { code: 4, value: new PcapngBuilder(false).u64(5000000000n) },
        { code: 5, value: new PcapngBuilder(false).u64(7n) },
      ])
      .dsb(0x544c534b, enc.encode('CLIENT_RANDOM 00 11\n'))
      .bytes();
    const sectionB = new PcapngBuilder(true)
      .shb()
      .idb(276, 262144, [
        { code: 2, value: 'any-le' },
        { code: 9, value: Uint8Array.of(12) }, // 1e-12 s: the BigInt slow path
      ])
      // 1664.012345678901 s, then 1664.390813874965 s (as 64-bit unit counts)
      .epb(0, 0x0005e969, 0x10c41c35, f[4]!, 1514)
      .epb(0, 0x0005e9c1, 0x2f3a7b15, f[5]!)
      .bytes();
    const pathA = join(tmp, 'section-a.pcapng');
    const pathB = join(tmp, 'section-b.pcapng');
    const path = join(tmp, 'variants.pcapng');
    writeFileSync(pathA, sectionA);
    writeFileSync(pathB, sectionB);
    writeFileSync(path, new PcapngBuilder().raw(sectionA).raw(sectionB).bytes());
    const { reader, records } = readFile(path);
    expect(reader.damage).toBeUndefined();
    // tshark 4.0 applies section 0's interfaces to later sections, so each section is compared
    // with tshark reading it alone.
    expect(records.slice(0, 4)).toEqual(readFile(pathA).records);
    expectSameAsTshark(pathA, reader, records.slice(0, 4));
    const second = readFile(pathB);
    // tshark 4.0 overflows 64 bits converting picoseconds once the fraction exceeds ~0.018 s
    // (it prints 1664.003432249 for the second packet), so that one is checked with BigInt.
    expectSameAsTshark(pathB, second.reader, second.records, true, 1);
    const units = (0x0005e9c1n << 32n) | 0x2f3a7b15n;
    expect(epoch(second.records[1]!)).toBe(
      `${units / 10n ** 12n}.${String((units % 10n ** 12n) / 1000n).padStart(9, '0')}`,
    );
    expect(epoch(second.records[1]!)).toBe('1664.390813874');
    expect(records.slice(4).map(epoch)).toEqual(second.records.map(epoch));
    const info = reader.info;
    expect(info.byteOrder).toBe('big');
    expect(info.sections.map((s) => s.comments)).toEqual([['big-endian section'], []]);
    expect(info.sections[0]!.os).toBe('TestOS');
    expect(
      info.interfaces.map((i) => [i.name, i.section, i.tsResolution, i.tsOffset, i.linkType, i.packets]),
    ).toEqual([
      ['eth-be', 0, '2^-20', 100, 1, 3],
      ['eth-ms', 0, '1e-3', 0, 1, 0 + 1],
      ['any-le', 1, '1e-12', 0, 276, 2],
    ]);
    expect(info.interfaces[0]).toMatchObject({
      filter: 'tcp port 80',
      os: 'Linux 6',
      fcsLen: 4,
      snapLen: 65535,
    });
    expect(records.map((r) => r.interfaceId)).toEqual([0, 1, 0, 0, 2, 2]);
    expect(records[0]!.comments).toEqual(['first packet']);
    expect(records[0]!.flags).toBe(1);
    expect(records[1]!.comments).toBeUndefined();
    expect(records[3]!.tsSec).toBe(0); // an SPB has no timestamp
    expect(records[4]!.origLen).toBe(1514);
    expect(info.nameResolution).toEqual([
      { address: '127.0.0.1', names: ['localhost', 'loopback'] },
      { address: '::1', names: ['ip6-localhost'] },
    ]);
    expect(info.interfaceStatistics).toEqual([
      expect.objectContaining({
        interfaceId: 0,
        received: 5000000000,
        dropped: 7,
        comments: ['stats comment'],
      }),
    ]);
    expect(info.decryptionSecrets.map((s) => [s.type, new TextDecoder().decode(s.data)])).toEqual([
      [0x544c534b, 'CLIENT_RANDOM 00 11\n'],
    ]);
    for (const r of records) expect(reader.readPacketAt(r.offset)).toEqual(r.data);
  });

  it('skips custom blocks (tshark 4.0 shows them as records; we do not)', () => {
    const f = frames();
    const bytes = new PcapngBuilder()
      .shb()
      .idb(1, 0)
      .epb(0, 0, 1, f[0]!)
      .block(0x00000bad, Uint8Array.of(0, 0, 0x7e, 0x1f, 1, 2, 3, 4)) // PEN 32287, copyable
      .block(0x40000bad, Uint8Array.of(0, 0, 0x7e, 0x1f)) // not to be copied
      .epb(0, 0, 2, f[1]!)
      .bytes();
    const reader = openCaptureBytes(bytes);
    expect(readAll(reader).map((r) => r.tsNsec)).toEqual([1000, 2000]);
    expect(reader.damage).toBeUndefined();
  });

  it('SPB uses interface 0 snaplen for its captured length', () => {
    const f = frames();
    const big = f.reduce((a, b) => (b.length > a.length ? b : a));
    const path = join(tmp, 'spb-snaplen.pcapng');
    writeFileSync(path, new PcapngBuilder().shb().idb(1, 40).spb(big.subarray(0, 40), big.length).bytes());
    const { reader, records } = readFile(path);
    expect(records.map((r) => [r.capLen, r.origLen])).toEqual([[40, big.length]]);
    expectSameAsTshark(path, reader, records, false);
  });
});

describe.skipIf(!hasTshark)('pcapng damage', () => {
  const f = () => frames();
  function open(
    bytes: Uint8Array,
    name: string,
  ): { reader: CaptureReader; records: CopiedRecord[]; tshark: number } {
    const path = join(tmp, name);
    writeFileSync(path, bytes);
    const { reader, records } = readFile(path);
    return { reader, records, tshark: tsharkFrames(path).frames.length };
  }
  function base(): PcapngBuilder {
    const fr = f();
    return new PcapngBuilder().shb().idb(1, 262144).epb(0, 0x62f1, 0x10, fr[0]!).epb(0, 0x62f1, 0x20, fr[1]!);
  }

  it('a block shorter than the minimum', () => {
    const good = base().bytes();
    const bytes = new PcapngBuilder()
      .raw(good)
      .block(6, new Uint8Array(0), [], 7)
      .raw(new Uint8Array(16))
      .bytes();
    const { reader, records, tshark } = open(bytes, 'short-block.pcapng');
    expect(records.length).toBe(2);
    expect(tshark).toBe(2);
    expect(reader.damage).toEqual({
      offset: good.length,
      reason: `the enhanced packet block at offset ${good.length} has length 7, less than the 12-byte minimum`,
    });
  });

  it('a file cut in the middle of a block', () => {
    const good = base().bytes();
    const { reader, records, tshark } = open(good.subarray(0, good.length - 10), 'cut.pcapng');
    expect(records.length).toBe(1);
    expect(tshark).toBe(1);
    const second = records[0]!.offset + new DataView(good.buffer).getUint32(records[0]!.offset + 4, true);
    expect(reader.damage?.offset).toBe(second);
    expect(reader.damage?.reason).toMatch(
      new RegExp(
        `^the file ends in the middle of a enhanced packet block at offset ${second} \\(block says \\d+ bytes, \\d+ present\\)$`,
      ),
    );
  });

  it('lengths that disagree, unknown interfaces and captured lengths larger than the block', () => {
    const fr = f();
    const good = base().bytes();
    const mismatch = new Uint8Array(base().epb(0, 1, 2, fr[2]!).bytes());
    new DataView(mismatch.buffer).setUint32(mismatch.length - 4, 12, true);
    const a = open(mismatch, 'trailer.pcapng');
    expect(a.records.length).toBe(2);
    expect(a.tshark).toBe(2);
    expect(a.reader.damage?.reason).toMatch(
      /^the enhanced packet block at offset \d+ has length \d+ at its start but 12 at its end$/,
    );

    const b = open(base().epb(3, 1, 2, fr[2]!).bytes(), 'iface.pcapng');
    expect(b.records.length).toBe(2);
    expect(b.tshark).toBe(2);
    expect(b.reader.damage?.reason).toBe(
      `the enhanced packet block at offset ${good.length} refers to interface 3, but its section has 1 interface`,
    );

    const caplen = new Uint8Array(base().epb(0, 1, 2, fr[2]!).bytes());
    new DataView(caplen.buffer).setUint32(good.length + 20, 5000, true);
    const c = open(caplen, 'caplen.pcapng');
    expect(c.records.length).toBe(2);
    expect(c.tshark).toBe(2);
    expect(c.reader.damage?.reason).toMatch(
      new RegExp(
        `^the enhanced packet block at offset ${good.length} says it captured 5000 bytes, more than the block holds \\(\\d+\\)$`,
      ),
    );
  });

  it('an option whose length runs past its block is ignored, the packet kept', () => {
    const fr = f();
    const bytes = new Uint8Array(
      base()
        .epb(0, 1, 2, fr[2]!, fr[2]!.length, [{ code: 1, value: 'hello' }])
        .bytes(),
    );
    // Make the comment's length claim 200 bytes.
    const at = bytes.length - 4 - 4 - 8 - 4 + 2;
    new DataView(bytes.buffer).setUint16(at, 200, true);
    const reader = openCaptureBytes(bytes);
    const records = readAll(reader);
    expect(records.length).toBe(3);
    expect(records[2]!.comments).toBeUndefined();
    expect(reader.damage).toBeUndefined();
  });
});
