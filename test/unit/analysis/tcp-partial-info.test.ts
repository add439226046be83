// The Info of a segment in which a message begins but does not end (StreamDissector.partialInfo):
// tshark 4.0's HTTP writes the start line before asking TCP for the rest, so its one pass shows
// "HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]" there, while `tshark -2` (and so
// `wirelens read -2` and the engine's revisits) shows TCP's own Info. A real capture of messages
// cut at chosen places (scripts/fixtures/http-partial.sh) against both passes of tshark, then
// the hook's contract on a toy length-prefixed protocol.
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { tables } from '../../../core/dissect/tables';
import { defineProtocol } from '../../../core/dissect/protocol';
import { NEED_MORE_BYTES, type StreamDissector } from '../../../core/dissect/transport';
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIpv4 } from '../../../core/protocols/ip';
import { encodeTcp } from '../../../core/protocols/tcp';
import { frameMeta, readClassicPcap } from '../../helpers/decode';
import { compareApp, readExpected } from '../protocols/app-golden';

const PCAP = 'test/fixtures/tcp/http-partial.pcap';
const NOTE = ' [TCP segment of a reassembled PDU]';

describe('HTTP start line in the Info of a message first segment, against tshark 4.0', () => {
  it('one pass: every packet, every column (headers or start line cut, Content-Length, chunked, pipelined, escapes)', () => {
    const r = compareApp(PCAP, 'test/fixtures/tcp/http-partial.tshark1.tsv');
    expect(r.unknown).toEqual([]);
    expect(r.mismatches).toEqual([]);
  });

  it('two passes (tshark -2): TCP keeps its Info, except where a message begins after one that ends', () => {
    const r = compareApp(PCAP, 'test/fixtures/tcp/http-partial.tshark2.tsv', [], true);
    expect(r.unknown).toEqual([]);
    expect(r.mismatches).toEqual([]);
  });

  it('the capture holds each case the comparison is meant to cover', () => {
    const { header, rows } = readExpected('test/fixtures/tcp/http-partial.tshark1.tsv');
    const info = rows.map((r) => r[header.indexOf('_ws.col.Info')]!);
    const partial = info.filter((s) =>
      /^(HTTP\/1\.\d \d{3}|[A-Z]+ \/\S* HTTP\/1\.\d) .* \[TCP segment/.test(s),
    );
    // Start line then two spaces then the note, as tshark writes it.
    expect(partial).toContain('HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]');
    expect(partial).toContain('POST /upload HTTP/1.1  [TCP segment of a reassembled PDU]');
    expect(partial).toContain('HTTP/1.0 200 OK  [TCP segment of a reassembled PDU]');
    expect(partial.length).toBeGreaterThanOrEqual(10);
    // A segment that ends one response and begins the next, and format_text's escapes.
    expect(info).toContain('HTTP/1.1 200 OK HTTP/1.1 404 Not Found ');
    expect(info.some((s) => s.includes('a\\001b\\177c\\td é \\u200B 💩 \ufffd( \ufffd \ufffd '))).toBe(true);
    // Middle segments (length known, nothing asked) keep TCP's Info.
    expect(info.filter((s) => /^\d+ → \d+ .*\[TCP segment/.test(s)).length).toBeGreaterThanOrEqual(4);
  });
});

// ---- the hook on a protocol of its own: a 2-byte big-endian length, then that many bytes ----

let partialCalls = 0;
let throwing = false;

const toy = defineProtocol({
  abbrev: 'h20toy',
  name: 'Toy length-prefixed protocol',
  short: 'TOY',
  fields: {},
  dissect: (p, start, end) => {
    p.add(toy.field, start, end - start);
    p.cols.protocol = 'TOY';
    p.setInfo(`Toy message of ${end - start - 2} bytes `);
  },
});

const toyStream: StreamDissector = {
  ...toy,
  pduLength: (_p, data, start, end) =>
    end - start < 2 ? NEED_MORE_BYTES : 2 + ((data[start]! << 8) | data[start + 1]!),
  partialInfo: (data, start, end) => {
    partialCalls++;
    if (throwing) throw new Error('a dissector that breaks the contract');
    return end - start < 2 ? '' : `Toy message of ${(data[start]! << 8) | data[start + 1]!} bytes `;
  },
};
const TOY_PORT = 40123;
tables.tcpPort.register(TOY_PORT, toyStream);

/** Frames from a client to TOY_PORT carrying `pieces` in sequence. */
function frames(pieces: number[][]): Uint8Array[] {
  let seq = 1000;
  return pieces.map((bytes) => {
    const payload = Uint8Array.from(bytes);
    const tcpBytes = encodeTcp(
      { srcPort: 50000, dstPort: TOY_PORT, seq, ack: 1, flags: { ack: true, psh: true }, window: 1000 },
      payload,
      { src: '192.0.2.1', dst: '192.0.2.2' },
    );
    seq += payload.length;
    const ipBytes = encodeIpv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 6, ttl: 64 }, tcpBytes);
    return encodeEthernet({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 0x0800 }, ipBytes);
  });
}

// Message 1: 10 bytes over three segments; message 2 (3 bytes) begins in the third and ends in
// the fourth.
const TOY = frames([
  [0, 10, 1, 2],
  [3, 4, 5, 6],
  [7, 8, 9, 10, 0, 3, 97],
  [98, 99],
]);

/** The Info column of each frame: a first pass (columns as asked), then optionally a revisit. */
function infos(columnsOnFirstPass: boolean, revisit: boolean): string[] {
  const state = new CaptureState();
  const p = new Dissection();
  const out = TOY.map((data, i) => {
    dissectPacket(
      frameMeta(data, { number: i + 1 }),
      data,
      state,
      { tree: false, columns: columnsOnFirstPass },
      p,
    );
    return p.cols.info;
  });
  if (!revisit) return out;
  return TOY.map((data, i) => {
    dissectPacket(frameMeta(data, { number: i + 1 }), data, state, { tree: false, columns: true }, p, true);
    return p.cols.info;
  });
}

describe('StreamDissector.partialInfo (core/analysis/tcp-reassembly.ts)', () => {
  it('first pass: the first segment of a message gets the dissector text, middle ones keep TCP Info', () => {
    const info = infos(true, false);
    expect(info[0]).toBe(`Toy message of 10 bytes ${NOTE}`);
    expect(info[1]).toMatch(/^50000 → 40123 \[PSH, ACK\] Seq=5 .* \[TCP segment of a reassembled PDU\]$/);
    // One message ends and the next begins: both texts, no note (as tshark with HTTP).
    expect(info[2]).toBe('Toy message of 10 bytes Toy message of 3 bytes ');
    expect(info[3]).toBe('Toy message of 3 bytes ');
  });

  it('revisit: TCP Info for a message start that waits (as tshark -2), the text after a message that ends', () => {
    const info = infos(true, true);
    expect(info[0]).toMatch(/^50000 → 40123 \[PSH, ACK\] Seq=1 .* \[TCP segment of a reassembled PDU\]$/);
    expect(info[2]).toBe('Toy message of 10 bytes Toy message of 3 bytes ');
    expect(info[3]).toBe('Toy message of 3 bytes ');
  });

  it('is not asked on a first pass without columns (the bulk fast path)', () => {
    partialCalls = 0;
    infos(false, false);
    expect(partialCalls).toBe(0);
  });

  it('a dissector whose partialInfo throws leaves TCP Info and the note', () => {
    throwing = true;
    try {
      const info = infos(true, false);
      expect(info[0]).toMatch(/^50000 → 40123 .*Len=4 \[TCP segment of a reassembled PDU\]$/);
      expect(info[3]).toBe('Toy message of 3 bytes ');
    } finally {
      throwing = false;
    }
  });
});

describe('HTTP partialInfo on the real capture', () => {
  it('only the first pass writes a start line into a segment that decodes nothing', () => {
    const records = readClassicPcap(PCAP);
    const state = new CaptureState();
    const p = new Dissection();
    const first = records.map((r) => {
      dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p);
      return p.cols.info;
    });
    const again = records.map((r) => {
      dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p, true);
      return p.cols.info;
    });
    const changed = first.map((s, i) => (s === again[i] ? '' : s)).filter((s) => s);
    expect(changed.length).toBeGreaterThanOrEqual(10);
    for (const s of changed)
      expect(s).toMatch(
        /^(HTTP\/1\.\d \d{3}|[A-Z]+ \/\S* HTTP\/1\.\d).*  \[TCP segment of a reassembled PDU\]$/,
      );
  });
});
