import { TCPDUMP_TESTS } from '../../helpers/paths';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../core/protocols';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import type { FrameMeta, TreeNode } from '../../../core/dissect/dissection';
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIpv4 } from '../../../core/protocols/ip';
import { encodeIpv6 } from '../../../core/protocols/ipv6';
import { encodeTcp, parseTcp, type TcpRepr } from '../../../core/protocols/tcp';
import { decodeFields, hasTshark, readClassicPcap, tsharkFields } from '../../helpers/decode';
import {
  compareTreeWithTshark,
  compareWithTshark,
  infoComparedCount,
  writeClassicPcap,
} from './transport-golden';

const FIXTURES = join(__dirname, '../../fixtures/transport');
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-tcp-'));

const V4 = { src: '10.0.0.1', dst: '10.0.0.2' };
const V6 = { src: '2001:db8::1', dst: '2001:db8::2' };

/** A TCP segment in IPv4 (or IPv6) in Ethernet, as a pcap frame. */
function frame(repr: TcpRepr, payload = new Uint8Array(0), reverse = false, v6 = false) {
  const net = v6 ? V6 : V4;
  const addrs = reverse ? { src: net.dst, dst: net.src } : net;
  const seg = encodeTcp(repr, payload, addrs);
  const ip = v6
    ? encodeIpv6({ ...addrs, nextHeader: 6 }, seg)
    : encodeIpv4({ ...addrs, protocol: 6, df: true }, seg);
  const data = encodeEthernet(
    { dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', type: v6 ? 0x86dd : 0x0800 },
    ip,
  );
  return { tsSec: 1700000000, tsNsec: 0, data };
}

function meta(data: Uint8Array, over: Partial<FrameMeta> = {}): FrameMeta {
  const base = { number: 1, tsSec: 0, tsNsec: 0, relativeNs: 0, deltaNs: 0, linkType: 1, interfaceId: 0 };
  return { ...base, capLen: data.length, origLen: data.length, ...over };
}

function find(nodes: TreeNode[], pred: (n: TreeNode) => boolean): TreeNode | undefined {
  for (const n of nodes) {
    if (pred(n)) return n;
    const c = n.children && find(n.children, pred);
    if (c) return c;
  }
  return undefined;
}

describe.skipIf(!hasTshark)('TCP: golden comparison with tshark 4.0', () => {
  // Loopback capture (test/fixtures/transport/make-loopback-capture.py + curl to
  // `python3 -m http.server` over IPv4 and ::1): handshakes with MSS/SACK_PERM/TS/WS=1024,
  // data, FIN close, RST for a closed port (v4 and v6), a reused 4-tuple with a new ISN.
  it('matches every packet of a loopback capture (IPv4 + IPv6, RST, port reuse)', () => {
    const path = join(FIXTURES, 'loopback-tcp-udp.pcap');
    expect(compareWithTshark(path)).toEqual([]);
    expect(compareTreeWithTshark(path)).toEqual([]);
    expect(infoComparedCount(path)).toBeGreaterThan(50);
    // The reused 4-tuple got its own stream, as tshark numbers it.
    const streams = decodeFields(readClassicPcap(path), ['tcp.stream']).map((r) => r[0]);
    expect(new Set(streams.filter(Boolean)).size).toBe(8);
  });

  it('numbers a connection first seen mid-stream from Seq=1/Ack=1 with an unknown window scale', () => {
    const path = join(FIXTURES, 'loopback-midstream.pcap');
    expect(
      compareWithTshark(path, ['tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.window_size_scalefactor']),
    ).toEqual([]);
    const first = decodeFields(readClassicPcap(path), [
      'tcp.seq',
      'tcp.ack',
      'tcp.window_size_scalefactor',
    ])[0];
    expect(first).toEqual(['1', '1', '-1']);
  });

  it.each([
    'mptcp-v0.pcap',
    'mptcp-fclose.pcap',
    'of10_s4810.pcap',
    'bgp-4byte-asn.pcap',
    'accecn_handshake.pcap',
    'print-flags.pcap',
    'tcp-handshake-nano.pcap',
    'tcp_rst_diag_payload.pcap',
    'dns_tcp_8053.pcap',
    'pptp.pcap',
    'kday4.pcap',
  ])('matches tshark on tcpdump-tests/%s', (name) => {
    expect(compareWithTshark(join(TCPDUMP_TESTS, name))).toEqual([]);
    expect(compareTreeWithTshark(join(TCPDUMP_TESTS, name))).toEqual([]);
  });

  it('matches tshark on crafted segments: all flags, URG, SACK, odd options, scaling variants', () => {
    const c = 1000;
    const s = 5000;
    const frames = [
      // No window scale on the SYN, one on the SYN-ACK: tshark then shows no scaling (-2).
      frame({
        srcPort: 40001,
        dstPort: 80,
        seq: c,
        ack: 0,
        flags: { syn: true },
        window: 1000,
        options: [{ kind: 'mss', value: 1460 }],
      }),
      frame(
        {
          srcPort: 80,
          dstPort: 40001,
          seq: s,
          ack: c + 1,
          flags: { syn: true, ack: true },
          window: 2000,
          options: [{ kind: 'wscale', shift: 7 }],
        },
        undefined,
        true,
      ),
      frame({ srcPort: 40001, dstPort: 80, seq: c + 1, ack: s + 1, flags: { ack: true }, window: 300 }),
      // Every flag bit incl. AE/NS and CWR/ECE, URG with an urgent pointer.
      frame(
        {
          srcPort: 40001,
          dstPort: 80,
          seq: c + 1,
          ack: s + 1,
          flags: {
            fin: true,
            syn: false,
            rst: true,
            psh: true,
            ack: true,
            urg: true,
            ece: true,
            cwr: true,
            ns: true,
          },
          window: 10,
          urgentPointer: 3,
        },
        new Uint8Array([1, 2, 3, 4]),
      ),
      // SACK blocks (relative to the peer's ISN), an unknown option, EOL padding.
      frame(
        {
          srcPort: 80,
          dstPort: 40001,
          seq: s + 1,
          ack: c + 1,
          flags: { ack: true },
          window: 50,
          options: [
            { kind: 'nop' },
            { kind: 'nop' },
            {
              kind: 'sack',
              blocks: [
                [c + 101, c + 201],
                [c + 301, c + 401],
              ],
            },
            { kind: 'unknown', code: 99, data: new Uint8Array([7, 7]) },
            { kind: 'eol' },
          ],
        },
        undefined,
        true,
      ),
      // Timestamps and window scale over IPv6, handshake scaled on both sides.
      frame(
        {
          srcPort: 40002,
          dstPort: 443,
          seq: 7,
          ack: 0,
          flags: { syn: true },
          window: 64240,
          options: [
            { kind: 'mss', value: 1440 },
            { kind: 'sackPerm' },
            { kind: 'timestamps', tsval: 11, tsecr: 0 },
            { kind: 'nop' },
            { kind: 'wscale', shift: 7 },
          ],
        },
        undefined,
        false,
        true,
      ),
      frame(
        {
          srcPort: 443,
          dstPort: 40002,
          seq: 0xfffffff0,
          ack: 8,
          flags: { syn: true, ack: true },
          window: 65160,
          options: [
            { kind: 'mss', value: 1440 },
            { kind: 'sackPerm' },
            { kind: 'timestamps', tsval: 22, tsecr: 11 },
            { kind: 'nop' },
            { kind: 'wscale', shift: 3 },
          ],
        },
        undefined,
        true,
        true,
      ),
      // Sequence numbers wrap past 2^32 in the server's direction.
      frame(
        {
          srcPort: 443,
          dstPort: 40002,
          seq: 0xfffffff1,
          ack: 8,
          flags: { ack: true, psh: true },
          window: 100,
        },
        new Uint8Array(40),
        true,
        true,
      ),
      frame(
        { srcPort: 40002, dstPort: 443, seq: 8, ack: 0x19, flags: { ack: true }, window: 501 },
        undefined,
        false,
        true,
      ),
      // A non-zero ACK field without the ACK flag.
      frame(
        { srcPort: 40003, dstPort: 22, seq: 1, ack: 99, flags: { psh: true }, window: 5 },
        new Uint8Array(3),
      ),
    ];
    const path = join(tmp, 'crafted.pcap');
    writeClassicPcap(path, 1, frames);
    expect(
      compareWithTshark(path, [
        'tcp.srcport',
        'tcp.dstport',
        'tcp.seq',
        'tcp.ack',
        'tcp.len',
        'tcp.flags',
        'tcp.flags.str',
        'tcp.window_size_value',
        'tcp.window_size',
        'tcp.window_size_scalefactor',
        'tcp.options.mss_val',
        'tcp.stream',
        'tcp.nxtseq',
        'tcp.seq_raw',
        'tcp.ack_raw',
        'tcp.hdr_len',
        'tcp.urgent_pointer',
        'tcp.options.sack_le',
        'tcp.options.sack_re',
        'tcp.options.sack.count',
        'tcp.option_kind',
        'tcp.option_len',
        'tcp.options.timestamp.tsval',
        'tcp.options.timestamp.tsecr',
        'tcp.options.wscale.shift',
        'tcp.options.wscale.multiplier',
        'tcp.flags.ae',
        'tcp.flags.res',
        'tcp.flags.cwr',
        'tcp.flags.urg',
        'tcp.checksum',
        'tcp.checksum.status',
      ]),
    ).toEqual([]);
    expect(compareTreeWithTshark(path)).toEqual([]);
  });

  it('matches tshark on malformed option lists and header lengths', () => {
    const hdr = (dataOffset: number, opts: number[]) => {
      const seg = encodeTcp(
        {
          srcPort: 1234,
          dstPort: 80,
          seq: 1,
          ack: 0,
          flags: { syn: true },
          window: 100,
          dataOffset,
          checksum: 0,
        },
        new Uint8Array(0),
        V4,
      );
      const out = new Uint8Array(Math.max(seg.length, 20 + opts.length));
      out.set(seg);
      out.set(opts, 20);
      return out;
    };
    const wrap = (seg: Uint8Array) => ({
      tsSec: 1,
      tsNsec: 0,
      data: encodeEthernet(
        { dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', type: 0x0800 },
        encodeIpv4({ ...V4, protocol: 6 }, seg),
      ),
    });
    const segs = [
      hdr(6, [2, 5, 5, 0]), // MSS with length 5 running past the header
      hdr(6, [2, 1, 0, 0]), // length below 2
      hdr(6, [3, 2, 0, 0]), // window scale with length 2
      hdr(7, [8, 10, 0, 0, 0, 1, 0, 0, 0]), // timestamps cut by the header end
      hdr(3, []), // data offset 3 (12 bytes): bogus
    ];
    const path = join(tmp, 'bad-options.pcap');
    writeClassicPcap(path, 1, segs.map(wrap));
    expect(
      compareWithTshark(path, ['tcp.srcport', 'tcp.dstport', 'tcp.hdr_len', 'tcp.options.mss_val']),
    ).toEqual([]);
    expect(compareTreeWithTshark(path)).toEqual([]);
    // Each bad option is an issue, and nothing throws past the packet.
    const records = readClassicPcap(path);
    for (const r of records.slice(0, 4)) {
      const p = dissectPacket(r.meta, r.data, new CaptureState(), { tree: true });
      expect(p.issues.some((i) => i.protocol === 'tcp')).toBe(true);
    }
  });
});

describe('TCP: tree, state and issues', () => {
  it('labels the tree like tshark -V', () => {
    const records = readClassicPcap(join(FIXTURES, 'loopback-tcp-udp.pcap'));
    const first = records[0]!;
    const p = dissectPacket(first.meta, first.data, new CaptureState(), { tree: true });
    const labels = (field: string) => find(p.roots, (n) => n.field === field)?.label;
    expect(labels('tcp')).toMatch(
      /^Transmission Control Protocol, Src Port: \d+, Dst Port: 18090, Seq: 0, Len: 0$/,
    );
    expect(labels('tcp.seq')).toBe('Sequence Number: 0    (relative sequence number)');
    expect(labels('tcp.hdr_len')).toBe('1010 .... = Header Length: 40 bytes (10)');
    expect(labels('tcp.flags')).toBe('Flags: 0x002 (SYN)');
    expect(labels('tcp.flags.syn')).toBe('.... .... ..1. = Syn: Set');
    expect(labels('tcp.flags.res')).toBe('000. .... .... = Reserved: Not set');
    expect(labels('tcp.flags.str')).toBe('[TCP Flags: ··········S·]');
    expect(labels('tcp.options')).toBe(
      'Options: (20 bytes), Maximum segment size, SACK permitted, Timestamps, No-Operation (NOP), Window scale',
    );
    expect(labels('tcp.options.mss')).toBe('TCP Option - Maximum segment size: 65495 bytes');
    expect(labels('tcp.options.wscale')).toBe('TCP Option - Window scale: 10 (multiply by 1024)');
    expect(labels('tcp.option_kind')).toBe('Kind: Maximum Segment Size (2)');
    expect(labels('tcp.checksum')).toMatch(/^Checksum: 0x[0-9a-f]{4} \[unverified\]$/);
    const wscale = find(p.roots, (n) => n.field === 'tcp.options.wscale')!;
    expect([wscale.start, wscale.end]).toEqual([14 + 20 + 37, 14 + 20 + 40]);
    expect(p.cols.info).toMatch(
      / \[SYN\] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=\d+ TSecr=0 WS=1024$/,
    );
  });

  it('gives a revisited frame the values of its first pass (random access)', () => {
    const records = readClassicPcap(join(FIXTURES, 'loopback-tcp-udp.pcap'));
    const state = new CaptureState();
    const first = records.map((r) => {
      const p = dissectPacket(r.meta, r.data, state, { tree: false, columns: true });
      return p.cols.info;
    });
    // Revisit in reverse order: state must come from the per-frame records, not from replay.
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i]!;
      const p = dissectPacket(r.meta, r.data, state, { tree: true, columns: true }, undefined, true);
      // Where the first pass wrote HTTP's start line before the note, a revisit shows TCP's own
      // Info, as tshark -2 does (test/unit/analysis/tcp-partial-info.test.ts).
      if (/^HTTP\/1\.\d \d{3} .* \[TCP segment of a reassembled PDU\]$/.test(first[i]!))
        expect(p.cols.info).toMatch(/^\d+ → \d+ \[.*\] Seq=.* \[TCP segment of a reassembled PDU\]$/);
      else expect(p.cols.info).toBe(first[i]);
    }
  });

  it('records a checksum-bad issue but shows the checksum unverified, as tshark does', () => {
    const good = frame({ srcPort: 1, dstPort: 2, seq: 1, ack: 0, flags: { syn: true }, window: 9 });
    const bad = frame({
      srcPort: 1,
      dstPort: 2,
      seq: 1,
      ack: 0,
      flags: { syn: true },
      window: 9,
      checksum: 0x1234,
    });
    const ok = dissectPacket(meta(good.data), good.data, new CaptureState(), { tree: true });
    expect(ok.issues.filter((i) => i.kind === 'checksum-bad')).toEqual([]);
    const p = dissectPacket(meta(bad.data), bad.data, new CaptureState(), { tree: true });
    const issue = p.issues.find((i) => i.kind === 'checksum-bad')!;
    expect(issue.protocol).toBe('tcp');
    expect(issue.message).toContain('0x1234');
    expect(find(p.roots, (n) => n.field === 'tcp.checksum')!.label).toBe('Checksum: 0x1234 [unverified]');
  });

  it('contains a truncated header to the TCP layer', () => {
    const f = frame({ srcPort: 1, dstPort: 2, seq: 1, ack: 0, flags: { syn: true }, window: 9 }).data;
    const cut = f.subarray(0, 14 + 20 + 10);
    const p = dissectPacket(meta(cut, { origLen: f.length }), cut, new CaptureState(), { tree: true });
    expect(p.protocols).toContain('tcp');
    expect(p.issues.some((i) => i.protocol === 'tcp' && i.kind === 'truncated')).toBe(true);
  });
});

describe('TCP encoder', () => {
  it('round-trips decode → encode → decode on every segment of a real capture', () => {
    const records = readClassicPcap(join(FIXTURES, 'loopback-tcp-udp.pcap'));
    let n = 0;
    for (const r of records) {
      const ipv4 = r.data[12] === 0x08 && r.data[13] === 0x00;
      if (!ipv4 || r.data[14 + 9] !== 6) continue;
      const ihl = (r.data[14]! & 15) * 4;
      const total = (r.data[16]! << 8) | r.data[17]!;
      const seg = r.data.subarray(14 + ihl, 14 + total);
      const parsed = parseTcp(seg)!;
      const again = encodeTcp(parsed.repr, parsed.payload, { src: '127.0.0.1', dst: '127.0.0.1' });
      expect(again).toEqual(seg);
      expect(parseTcp(again)).toEqual(parsed);
      n++;
    }
    expect(n).toBeGreaterThan(30);
  });

  it('computes the checksum over the IPv4 and IPv6 pseudo-headers (tshark verifies it)', () => {
    if (!hasTshark) return;
    const frames = [
      frame(
        { srcPort: 5, dstPort: 6, seq: 1, ack: 2, flags: { ack: true, psh: true }, window: 3 },
        new Uint8Array([1, 2, 3]),
      ),
      frame(
        { srcPort: 5, dstPort: 6, seq: 1, ack: 2, flags: { ack: true, psh: true }, window: 3 },
        new Uint8Array([1, 2, 3]),
        false,
        true,
      ),
    ];
    const path = join(tmp, 'checksums.pcap');
    writeClassicPcap(path, 1, frames);
    const status = tsharkFields(path, ['tcp.checksum.status'], ['-o', 'tcp.check_checksum:TRUE']);
    expect(status).toEqual([['1'], ['1']]);
  });

  it('pads options to a 32-bit boundary and honours an explicit data offset', () => {
    const seg = encodeTcp(
      {
        srcPort: 1,
        dstPort: 2,
        seq: 0,
        ack: 0,
        flags: { syn: true },
        window: 1,
        options: [{ kind: 'wscale', shift: 2 }],
      },
      new Uint8Array(0),
      V4,
    );
    expect(seg.length).toBe(24);
    expect(Array.from(seg.subarray(20))).toEqual([3, 3, 2, 0]);
    expect(seg[12]! >> 4).toBe(6);
    expect(parseTcp(seg.subarray(0, 10))).toBeUndefined();
  });
});
