// Hex-dump import: the layouts people paste (tshark -x, tcpdump -xx, od -Ax -tx1, the seed's
// textbook dumps, SEEDS.md's hex streams) give back the exact bytes of the packets they were
// made from; wrong input names its line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HexDumpError, parseHexDump } from '../../../core/capture/hexdump';
import { readClassicPcap } from '../../helpers/decode';
import { ROOT, wirelens } from '../../integration/cli-helpers';

const DIR = `${ROOT}test/fixtures/hexdump/`;
const dump = (name: string) => readFileSync(DIR + name, 'utf8');
const original = readClassicPcap(`${ROOT}test/fixtures/captures/netns-mixed.pcap`).map((r) => r.data);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('hex-dump import', () => {
  it('reads tshark -x and tcpdump -xx dumps back into the same packets', () => {
    for (const name of ['tshark-x.txt', 'tcpdump-xx.txt']) {
      const packets = parseHexDump(dump(name));
      expect(
        packets.map((p) => hex(p.bytes)),
        name,
      ).toEqual(original.slice(0, 4).map(hex));
    }
  });

  it('reads od -Ax -tx1 (the last line is the length alone)', () => {
    const [p, ...more] = parseHexDump(dump('od-Ax-tx1.txt'));
    expect(more).toHaveLength(0);
    expect(hex(p!.bytes)).toBe(hex(original[2]!));
  });

  it('reads the seed 003 textbook layout: continued rows and quoted characters', () => {
    const arp = parseHexDump(dump('seed-003-arp.txt'));
    expect(arp.map((p) => p.bytes.length)).toEqual([60, 60]);
    const streams = parseHexDump(dump('seeds-md-streams.txt'));
    expect(streams.map((p) => p.bytes.length)).toEqual([60, 60, 97]);
    // The two layouts of the same seed bytes agree.
    expect(arp.map((p) => hex(p.bytes))).toEqual(streams.slice(0, 2).map((p) => hex(p.bytes)));
    const [tftp] = parseHexDump(dump('seed-003-tftp.txt'));
    expect(hex(tftp!.bytes)).toBe(hex(streams[2]!.bytes));
    expect(Buffer.from(tftp!.bytes.subarray(44, 56)).toString('latin1')).toBe('c:\\qwerq.qwe');
  });

  it('names the wrong line', () => {
    const cases: [string, RegExp][] = [
      ['0000: 45 00 00 14\n0010: 00 00', /^line 2: offset 0x10 leaves a gap: the packet so far ends at 0x4/],
      ['caption\n0008: 45 00', /^line 2: a packet must start at offset 0, not 0x8/],
      ['0000: 01 02 03 04\n0000:       05', /^line 2: the bytes are placed at offset 0x2/],
      ['nothing here\n', /no packet bytes were found/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseHexDump(text)).toThrow(HexDumpError);
      expect(() => parseHexDump(text)).toThrow(message);
    }
  });

  it('wirelens import-hex writes a capture that decodes as the seed says', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wirelens-hex-')), 'seed.pcapng');
    const w = await wirelens(['import-hex', DIR + 'seeds-md-streams.txt', '-o', out]);
    expect(w.code, w.stderr).toBe(0);
    const r = await wirelens(['read', out]);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/ARP 60 Who has 192\.168\.0\.2\? Tell 192\.168\.0\.55$/);
    expect(lines[1]).toMatch(/ARP 60 192\.168\.0\.2 is at 00:05:5d:a1:b8:40$/);
    expect(lines[2]).toMatch(/UDP|TFTP/);
    // --link ip: the same TFTP request without its Ethernet header.
    const ipDump = join(tmpdir(), `wirelens-hex-ip-${process.pid}.txt`);
    writeFileSync(ipDump, `${hex(parseHexDump(dump('seeds-md-streams.txt'))[2]!.bytes.subarray(14))}\n`);
    const ipOut = out.replace('seed', 'ip');
    expect((await wirelens(['import-hex', ipDump, '-o', ipOut, '--link', 'ip'])).code).toBe(0);
    const ip = await wirelens(['read', '-T', 'fields', '-e', 'frame.protocols', '-e', 'ip.src', ipOut]);
    expect(ip.stdout).toMatch(/^raw:ip:udp:\S+\t192\.168\.0\.55\n$/);
    const bad = await wirelens(['import-hex', DIR + 'README.md', '-o', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^wirelens: .*README\.md: line \d+: no packet bytes were found in the dump\n$/,
    );
  });
});

describe('engine importHex', () => {
  it('opens the dump as a capture, and names the wrong line', async () => {
    const { Engine } = await import('../../../core/engine/engine');
    const engine = new Engine();
    const summary = await engine.importHex(dump('seeds-md-streams.txt'), 'ether');
    expect(summary.packets).toBe(3);
    const rows = await engine.rows(0, 3);
    expect(rows[0]!.info).toBe('Who has 192.168.0.2? Tell 192.168.0.55');
    await expect(engine.importHex('0000: 45 00\n0004: 01', 'ip')).rejects.toMatchObject({
      code: 'bad-dump',
      message:
        'The hex dump cannot be imported: line 2: offset 0x4 leaves a gap: the packet so far ends at 0x2.',
    });
  });
});
