// OSPFv3 (RFC 5340) and OSPFv2 opaque LSAs (RFC 5250) against tshark 4.0: tcpdump's test
// captures, compared packet by packet with the TSVs tshark wrote for them
// (scripts/fixtures/ospf3.sh), and tree details the TSV cannot show (checksum status, the
// malformed LSU of ospf6_print_lshdr-oobr.pcap). The BIRD OSPFv3 capture is in routing.test.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { decodeUpTo, hasTshark, labels, readClassicPcap } from '../../helpers/decode';
import { openCaptureFile } from '../../../core/capture';
import { readerPackets } from '../../../core/analysis/packet-source';
import { collectStats, formatStatsText, parseStatsRequest } from '../../../core/analysis/stats';
import { TCPDUMP_TESTS } from '../../helpers/paths';
import { treeText } from '../../../core/cli/tree-text';
import { compareApp, decodeLikeTshark, readExpected } from './app-golden';

const DIR = `${__dirname}/../../fixtures/routing/`;

const CAPTURES = [
  'OSPFv3_NBMA_adjacencies',
  'OSPFv3_with_AH',
  'ospf6_print_lshdr-oobr',
  'ospf-gmpls',
  'ospf-sr-ri-sid',
  'ospf_graceful_restart_rfc3623',
];

/**
 * OSPFv3_NBMA_adjacencies.pcap is Frame Relay (linktype 107), which Wirelens does not decode:
 * a copy with the 4-byte Q.922 address + Cisco EtherType header cut off each frame, as raw IP
 * (linktype 101), carries the same OSPF packets with the same frame numbers.
 */
function withoutFrameRelay(path: string): string {
  const src = readFileSync(path);
  const out: Buffer[] = [Buffer.from(src.subarray(0, 24))];
  const le = src.readUInt32LE(0) === 0xa1b2c3d4;
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const put = (b: Buffer, o: number, v: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  put(out[0]!, 20, 101);
  for (let at = 24; at + 16 <= src.length;) {
    const incl = u32(src, at + 8);
    const header = Buffer.from(src.subarray(at, at + 16));
    put(header, 8, incl - 4);
    put(header, 12, u32(src, at + 12) - 4);
    out.push(header, Buffer.from(src.subarray(at + 16 + 4, at + 16 + incl)));
    at += 16 + incl;
  }
  const file = join(mkdtempSync(join(tmpdir(), 'wirelens-ospf-')), 'nbma-raw.pcap');
  writeFileSync(file, Buffer.concat(out));
  return file;
}

/** Frame `frame` of one of tcpdump's captures, with its details tree. */
function treeOf(file: string, frame: number) {
  const path = join(TCPDUMP_TESTS, file);
  return decodeUpTo(readClassicPcap(file.startsWith('OSPFv3_NBMA') ? withoutFrameRelay(path) : path), frame);
}

/** A -V golden file: "=== FILE FRAME" and then tshark -V's OSPF layer for that frame. */
function verboseBlocks(name: string): { file: string; frame: number; text: string }[] {
  const blocks: { file: string; frame: number; text: string }[] = [];
  for (const chunk of readFileSync(`${DIR}${name}`, 'utf8').split(/^=== /m).slice(1)) {
    const newline = chunk.indexOf('\n');
    const [file, frame] = chunk.slice(0, newline).split(' ');
    blocks.push({ file: file!, frame: Number(frame), text: chunk.slice(newline + 1) });
  }
  return blocks;
}

function ospfLayerText(path: string, frame: number): string {
  const root = decodeUpTo(readClassicPcap(path), frame).roots.find(
    (n) => n.label === 'Open Shortest Path First',
  );
  return root ? treeText([root]) : '';
}

describe('OSPF details tree as tshark -V prints it', () => {
  const ours = [
    ...verboseBlocks('ospf-verbose.tshark.txt'),
    ...verboseBlocks('ospf-sr-verbose.tshark.txt'),
    ...verboseBlocks('ospf3-auth-verbose.tshark.txt'),
  ];
  const local = ours.filter((b) => existsSync(`${DIR}${b.file}`));
  it('BIRD OSPFv3 (every message and LSA type, Authentication Trailer, IPv4 AF) and FRR OSPFv2 (TE, RI, SR, Extended Prefix/Link)', () => {
    expect(local.filter((b) => b.file === 'ospf3.pcap').length).toBeGreaterThan(5);
    expect(local.filter((b) => b.file === 'ospf-sr.pcap').length).toBeGreaterThan(0);
    expect(local.filter((b) => b.file === 'ospf3-auth.pcap').length).toBe(4);
    for (const b of local)
      expect(ospfLayerText(`${DIR}${b.file}`, b.frame), `${b.file} frame ${b.frame}`).toBe(b.text);
  });
  it.skipIf(!existsSync(TCPDUMP_TESTS))(
    'tcpdump captures: TE/GMPLS, RI with SR, grace, malformed LSU',
    () => {
      const others = ours.filter((b) => !existsSync(`${DIR}${b.file}`));
      expect(others.length).toBeGreaterThan(3);
      for (const b of others)
        expect(ospfLayerText(join(TCPDUMP_TESTS, b.file), b.frame), `${b.file} frame ${b.frame}`).toBe(
          b.text,
        );
    },
  );
});

describe.skipIf(!existsSync(TCPDUMP_TESTS))('OSPF in tcpdump test captures, as tshark 4.0', () => {
  for (const name of CAPTURES) {
    it(`${name}: every packet as tshark decodes it`, () => {
      const path = join(TCPDUMP_TESTS, `${name}.pcap`);
      const { mismatches, unknown } = compareApp(
        name === 'OSPFv3_NBMA_adjacencies' ? withoutFrameRelay(path) : path,
        `${DIR}tcpdump-${name}.tshark.tsv`,
      );
      expect(unknown).toEqual([]);
      expect(mismatches.slice(0, 10)).toEqual([]);
    });
  }

  it('the fast path (no field wanted, no tree) gives the same Protocol, Info and malformed marks', () => {
    for (const name of CAPTURES) {
      const path = join(TCPDUMP_TESTS, `${name}.pcap`);
      const columns = ['frame.number', '_ws.col.Protocol', '_ws.col.Info'];
      const ours = decodeLikeTshark(
        name === 'OSPFv3_NBMA_adjacencies' ? withoutFrameRelay(path) : path,
        columns,
      );
      const expected = readExpected(`${DIR}tcpdump-${name}.tshark.tsv`).rows.map((r) => r.slice(0, 3));
      expect(ours.rows, name).toEqual(expected);
    }
  });

  it('verifies the OSPFv3 checksum over the IPv6 pseudo-header', () => {
    const good = labels(treeOf('OSPFv3_NBMA_adjacencies.pcap', 3).roots);
    expect(good).toContain('Checksum: 0xf396 [correct]');
    expect(good).toContain('Instance ID: IPv6 unicast AF (0)');
    expect(good).toContain('Options: 0x000013, R, E, V6');
    const bad = treeOf('ospf6_print_lshdr-oobr.pcap', 15);
    expect(labels(bad.roots)).toContain('Checksum: 0xe556 [incorrect, should be 0xedc5]');
  });

  it('marks the LSA shorter than its header malformed, after its body, as tshark does', () => {
    const p = treeOf('ospf6_print_lshdr-oobr.pcap', 15);
    expect(p.malformed).toBe(true);
    expect(p.issues.some((i) => i.message === 'incorrect, should be 0')).toBe(true);
    const all = labels(p.roots);
    expect(all).toContain('LSA-type 3 (Inter-Area-Prefix-LSA), len 0');
    expect(all).toContain('Reserved: 2001');
    expect(all.filter((l) => l.startsWith('LSA-type'))).toHaveLength(4);
  });

  it('labels TE, grace and Router Information TLVs as tshark -V does', () => {
    const te = labels(treeOf('ospf-gmpls.pcap', 3).roots);
    for (const l of [
      'MPLS Traffic Engineering LSA',
      'Link Type: 1 - Point-to-point',
      'TLV Type: 1: Link Type',
      'MPLS/TE Link Type: Point-to-point (1)',
      'Maximum Bandwidth: 12500000 bytes/s (100000000 bits/s)',
      'Pri (or TE-Class) 0: 0 bytes/s (0 bits/s)',
      'Switching Type: Packet-Switch Capable-1 (PSC-1) (1)',
      'Minimum LSP bandwidth: 12500000 bytes/s (100000000 bits/s)',
      'Interface MTU: 2600',
    ])
      expect(te).toContain(l);
    const grace = labels(treeOf('ospf_graceful_restart_rfc3623.pcap', 1).roots);
    for (const l of [
      'Link State ID Opaque Type: grace-LSA (3)',
      'Grace Period: 40 seconds',
      'TLV Type: grace-LSA Restart Reason (2)',
      'Restart Reason: Unknown (0)',
      'Restart IP: 192.85.1.4',
    ])
      expect(grace).toContain(l);
    const ri = labels(treeOf('ospf-sr-ri-sid.pcap', 1).roots);
    for (const l of [
      'Opaque Router Information LSA',
      'TLV Type: SR-Algorithm  (8)',
      'SR-Algorithm: Shortest Path First (0)',
      'SID/Label Range  (Range Size: 100)',
      'SID/Label Sub-TLV  (SID/Label: 24680)',
      'SR Local Block  (Range Size: 4242)',
      'Preference: 99',
    ])
      expect(ri).toContain(l);
  });
});

describe('OSPF on damaged input', () => {
  // Every frame of the local captures cut at every length, and with each byte replaced by
  // 0x00 and 0xff in turn: only bounds errors end the layer (no TypeError/RangeError), every
  // loop ends, and the fast path marks the same packets malformed as the tree path.
  it('truncated and corrupted packets stay within the OSPF layer', () => {
    for (const file of ['ospf3.pcap', 'ospf-sr.pcap', 'ospf3-auth.pcap']) {
      const records = readClassicPcap(`${DIR}${file}`);
      const samples = [records[0]!, ...records.filter((r) => r.data.length > 150).slice(0, 3)];
      for (const r of samples) {
        const variants: Uint8Array[] = [];
        for (let n = 14; n < r.data.length; n++) variants.push(r.data.subarray(0, n));
        for (let i = 14; i < r.data.length; i++)
          for (const b of [0x00, 0xff]) {
            const copy = r.data.slice();
            copy[i] = b;
            variants.push(copy);
          }
        for (const data of variants) {
          const meta = { ...r.meta, capLen: data.length, origLen: data.length };
          const p = dissectPacket(meta, data, new CaptureState(), { tree: true, columns: true });
          // Only bounds errors end the layer: a TypeError or RangeError would be a bug.
          const bugs = p.issues.filter((i) => i.message.startsWith('Malformed Packet: '));
          expect(bugs.map((i) => i.message)).toEqual([]);
          // The fast path (no tree, no field) marks the same packets, with the same Info.
          const fast = dissectPacket(meta, data, new CaptureState(), { tree: false, columns: true });
          expect([fast.malformed, fast.cols.info]).toEqual([p.malformed, p.cols.info]);
        }
      }
    }
  });
});

describe.skipIf(!hasTshark)('OSPF expert items as tshark -q -z expert', () => {
  // The fast path (what `stats` runs) walks LSU bodies too, so the Reserved warning and the
  // malformed LSU are counted as tshark counts them; a bad OSPFv2 checksum is no expert item.
  const expertText = (path: string) => {
    const reader = openCaptureFile(path);
    try {
      return formatStatsText(collectStats(readerPackets(reader), [parseStatsRequest('expert')]).results[0]!);
    } finally {
      reader.close();
    }
  };
  it('the local captures', () => {
    for (const name of ['ospf', 'ospf3', 'ospf3-auth', 'ospf-sr'])
      expect(expertText(`${DIR}${name}.pcap`), name).toBe(tsharkExpert(`${DIR}${name}.pcap`));
  });
  it.skipIf(!existsSync(TCPDUMP_TESTS))('the malformed OSPFv3 LSU and the v3/opaque captures', () => {
    for (const name of [
      'ospf6_print_lshdr-oobr',
      'OSPFv3_with_AH',
      'ospf-gmpls',
      'ospf_graceful_restart_rfc3623',
    ]) {
      const path = join(TCPDUMP_TESTS, `${name}.pcap`);
      expect(expertText(path), name).toBe(tsharkExpert(path));
    }
  });
});

function tsharkExpert(path: string): string {
  return execFileSync('tshark', ['-r', path, '-q', '-z', 'expert'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}
