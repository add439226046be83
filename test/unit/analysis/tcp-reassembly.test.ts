// TCP reassembly on real loopback bytes (scripts/fixtures/tcp-lenprefix.sh) with a toy
// length-prefixed protocol registered only here: every message must be decoded exactly once,
// in the frame holding its last byte, with the bytes the client and server sent; the earlier
// frames must point at that frame on a revisit. The oracle is the payloads concatenated in
// capture order (no loss on loopback), parsed independently of the assembler.
import { describe, expect, it } from 'vitest';
import { readClassicPcap, type RawRecord } from '../../helpers/decode';
import { Dissection, type TreeNode } from '../../../core/dissect/dissection';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { defineProtocol } from '../../../core/dissect/protocol';
import { tables } from '../../../core/dissect/tables';
import { TCP_REASSEMBLY_LIMITS } from '../../../core/analysis/tcp-reassembly';
import { NEED_MORE_BYTES, UNTIL_STREAM_END, type StreamDissector } from '../../../core/dissect/transport';

interface Seen {
  frame: number;
  ds: number;
  bytes: string;
}
let seen: Seen[] = [];

const toyProto = defineProtocol({
  abbrev: 'lenmsg',
  name: 'Length-prefixed toy messages',
  short: 'LENMSG',
  fields: { len: { abbrev: 'lenmsg.len', name: 'Length', type: 'uint32' } },
  dissect(p, start, end) {
    seen.push({ frame: p.frame.number, ds: p.ds, bytes: hexOf(p.data.subarray(start, end)) });
    p.add(toyProto.field, start, end - start);
    p.setInfo(`Msg ${end - start - 4}`);
  },
});
const toy: StreamDissector = {
  ...toyProto,
  pduLength(_p, data, start, end) {
    if (end - start < 4) return NEED_MORE_BYTES;
    const n =
      ((data[start]! << 24) >>> 0) + ((data[start + 1]! << 16) | (data[start + 2]! << 8) | data[start + 3]!);
    return n === 0xffffffff ? UNTIL_STREAM_END : 4 + n;
  },
};
tables.tcpPort.register(7777, toy);

const hexOf = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Ethernet-less loopback capture (DLT_EN10MB on lo): IPv4 header at 14. */
function tcpPayload(r: RawRecord): { sport: number; seq: number; payload: Uint8Array; fin: boolean } {
  const d = r.data;
  const ip = 14;
  const ihl = (d[ip]! & 15) * 4;
  const total = (d[ip + 2]! << 8) | d[ip + 3]!;
  const t = ip + ihl;
  const off = (d[t + 12]! >> 4) * 4;
  return {
    sport: (d[t]! << 8) | d[t + 1]!,
    seq: new DataView(d.buffer, d.byteOffset).getUint32(t + 4),
    payload: d.subarray(t + off, ip + total),
    fin: (d[t + 13]! & 1) !== 0,
  };
}

/** The messages of each direction and the frame holding each one's last byte. */
function oracle(records: RawRecord[]): Seen[] {
  const out: Seen[] = [];
  const dirs = new Map<number, { buf: number[]; frames: number[] }>();
  for (const r of records) {
    const s = tcpPayload(r);
    let dir = dirs.get(s.sport);
    if (!dir) dirs.set(s.sport, (dir = { buf: [], frames: [] }));
    for (const b of s.payload) {
      dir.buf.push(b);
      dir.frames.push(r.meta.number);
    }
    for (;;) {
      if (dir.buf.length < 4) break;
      const n = ((dir.buf[0]! << 24) >>> 0) + ((dir.buf[1]! << 16) | (dir.buf[2]! << 8) | dir.buf[3]!);
      const len = n === 0xffffffff ? (s.fin ? dir.buf.length : Infinity) : 4 + n;
      if (len > dir.buf.length) break;
      out.push({
        frame: s.fin && n === 0xffffffff ? r.meta.number : dir.frames[len - 1]!,
        ds: -1,
        bytes: hexOf(Uint8Array.from(dir.buf.slice(0, len))),
      });
      dir.buf.splice(0, len);
      dir.frames.splice(0, len);
    }
  }
  return out;
}

function decodeAll(records: RawRecord[], state: CaptureState, visited: boolean, tree: boolean): Dissection[] {
  return records.map((r) =>
    dissectPacket(r.meta, r.data, state, { tree, columns: true }, new Dissection(), visited),
  );
}

function findField(nodes: readonly TreeNode[], field: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.field === field) return n;
    const inner = n.children && findField(n.children, field);
    if (inner) return inner;
  }
  return undefined;
}

const records = readClassicPcap('test/fixtures/tcp/lenprefix.pcap');

describe('TCP reassembly with a length-prefixed stream protocol', () => {
  it('decodes each message once, in the frame holding its last byte, with the bytes sent', () => {
    seen = [];
    decodeAll(records, new CaptureState(), false, false);
    const want = oracle(records);
    expect(want.length).toBe(15); // 7 client messages, 7 server acks, one that runs to the server's FIN
    expect(seen.map(({ frame, bytes }) => ({ frame, bytes }))).toEqual(
      want.map(({ frame, bytes }) => ({ frame, bytes })),
    );
    // Several messages in one segment: three calls on the frame itself (data source 0).
    expect(seen.filter((s) => s.frame === 4).map((s) => s.ds)).toEqual([0, 0, 0]);
  });

  it('revisits give the same messages, the segment lists and tcp.reassembled_in', () => {
    const state = new CaptureState();
    decodeAll(records, state, false, false);
    seen = [];
    const again = decodeAll(records, state, true, true);
    const want = oracle(records);
    expect(seen.map(({ frame, bytes }) => ({ frame, bytes }))).toEqual(
      want.map(({ frame, bytes }) => ({ frame, bytes })),
    );
    // The 516-byte message spans frames 12–19: the earlier ones point at the completing frame.
    const big = seen.find((s) => s.bytes.length === 2 * 516)!;
    expect(big.ds).toBe(1);
    const completing = again[big.frame - 1]!;
    expect(completing.sources.map((s) => s.name)).toContain('Reassembled TCP (516 bytes)');
    const segs = findField(completing.roots, 'tcp.segments')!;
    expect(segs.label).toMatch(
      /^\[\d+ Reassembled TCP Segments \(516 bytes\): #12\(76\), #13\(76\), #14\(76\), #15\(76\), #16\(76\), #19\(76\), #20\(60\)\]$/,
    );
    for (const f of [12, 13, 14, 15, 16, 19]) {
      const p = again[f - 1]!;
      expect(findField(p.roots, 'tcp.reassembled_in')?.value).toBe(big.frame);
      expect(p.cols.info.endsWith(' [TCP segment of a reassembled PDU]')).toBe(true);
      expect(p.cols.protocol).toBe('TCP');
    }
    expect(completing.cols.protocol).toBe('LENMSG');
  });

  it('reassembles segments that arrive out of order, and never invents a missing one', () => {
    // Swap two segments of the 516-byte message: it completes in whichever arrives last.
    const swapped = records.slice();
    [swapped[12], swapped[13]] = [swapped[13]!, swapped[12]!];
    seen = [];
    decodeAll(swapped, new CaptureState(), false, false);
    const big = seen.find((s) => s.bytes.length === 2 * 516)!;
    expect(big.bytes).toBe(oracle(records).find((s) => s.bytes.length === 2 * 516)!.bytes);
    // Drop one of its segments: that message and everything after it in that direction waits.
    const dropped = records.filter((r) => r.meta.number !== 14);
    seen = [];
    decodeAll(dropped, new CaptureState(), false, false);
    expect(seen.some((s) => s.bytes.length === 2 * 516)).toBe(false);
    expect(seen.filter((s) => s.bytes.startsWith('0000000')).length).toBeGreaterThan(0);
  });

  it('degrades by reporting when a gap holds more than the memory bound, without failing', () => {
    const saved = TCP_REASSEMBLY_LIMITS.streamBytes;
    TCP_REASSEMBLY_LIMITS.streamBytes = 200;
    try {
      // Frame 14 never arrives: the client's bytes after it pile up behind the gap.
      const dropped = records.filter((r) => r.meta.number !== 14);
      seen = [];
      const state = new CaptureState();
      const decoded = decodeAll(dropped, state, false, false);
      const warned = decoded.filter((p) => p.issues.some((i) => /memory bound/.test(i.message)));
      expect(warned.length).toBeGreaterThanOrEqual(1); // the client behind the gap (and the server's 244-byte tail)
      expect(warned[0]!.frame.number).toBeLessThan(30);
      // The server's direction is unaffected: its acks are still decoded.
      expect(seen.filter((s) => s.bytes.startsWith('00000005') && s.bytes.includes('61636b')).length).toBe(7);
      // Revisits agree and do not throw.
      expect(() => decodeAll(dropped, state, true, true)).not.toThrow();
    } finally {
      TCP_REASSEMBLY_LIMITS.streamBytes = saved;
    }
  });
});
