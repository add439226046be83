// HTTP/2 cleartext (prior knowledge with node's http2 server and curl, the h2c upgrade with a
// hand-written server — scripts/fixtures/http.sh) against tshark 4.0, and HPACK (RFC 7541)
// with the RFC's own examples (Appendix C).
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection, type TreeNode } from '../../../core/dissect/dissection';
import {
  HpackDecoder,
  encodeHeaderBlock,
  huffmanDecode,
  huffmanEncode,
  decodeInteger,
  encodeInteger,
} from '../../../core/protocols/hpack';
import { fromHex, readClassicPcap } from '../../helpers/decode';
import { httpExchanges } from '../../../core/protocols/http';
import { compareApp, reassemblyAvailable } from './app-golden';

const DIR = 'test/fixtures/app';
const enc = new TextEncoder();
const dec = new TextDecoder();

describe.skipIf(!reassemblyAvailable)('HTTP/2 against tshark 4.0', () => {
  it('every frame of prior-knowledge and upgraded connections: type, stream, flags, settings, headers, Info', () => {
    const r = compareApp(`${DIR}/http2.pcap`, `${DIR}/http2.tshark.tsv`);
    expect(r.unknown).toEqual([]);
    // Frames 4 and 21: node's SETTINGS arrive before the client's preface; tshark shows the
    // TCP payload without a layer, Wirelens as `data` (Protocol and Info agree).
    expect(r.mismatches).toEqual([
      {
        frame: 4,
        column: 'frame.protocols',
        ours: 'eth:ethertype:ip:tcp:data',
        tshark: 'eth:ethertype:ip:tcp',
      },
      {
        frame: 21,
        column: 'frame.protocols',
        ours: 'eth:ethertype:ip:tcp:data',
        tshark: 'eth:ethertype:ip:tcp',
      },
    ]);
  });

  it('tree: the stream item, flags and decoded headers with their representation', () => {
    const records = readClassicPcap(`${DIR}/http2.pcap`);
    const state = new CaptureState();
    const p = new Dissection();
    let roots: TreeNode[] = [];
    for (const r of records) {
      dissectPacket(r.meta, r.data, state, { tree: r.meta.number === 8 }, p);
      if (r.meta.number === 8) roots = [...p.roots];
    }
    const h2 = roots.find((n) => n.field === 'http2')!;
    const stream = h2.children![0]!;
    expect(stream.label).toBe('Stream: HEADERS, Stream ID: 1, Length 33, GET /a');
    const labels = stream.children!.map((n) => n.label);
    expect(labels.slice(0, 3)).toEqual([
      'Length: 33',
      'Type: HEADERS (1)',
      'Flags: 0x05, End Headers, End Stream',
    ]);
    const headers = stream.children!.filter((n) => n.field === 'http2.header');
    expect(headers.map((n) => n.label)).toEqual([
      'Header: :method: GET',
      'Header: :path: /a',
      'Header: :scheme: http',
      'Header: :authority: 10.80.0.1:8080',
      'Header: user-agent: curl/7.88.1',
      'Header: accept: */*',
    ]);
    const path = headers[1]!.children!;
    expect(path.find((n) => n.field === 'http2.header.repr')?.value).toBe(
      'Literal Header Field without Indexing - Indexed Name',
    );
    expect(path.find((n) => n.field === 'http2.header.index')?.value).toBe(4);
    expect(stream.children!.find((n) => n.field === 'http2.request.full_uri')?.label).toBe(
      '[Full request URI: http://10.80.0.1:8080/a]',
    );
  });

  it('the response body is collected from DATA frames and shown at END_STREAM', () => {
    const records = readClassicPcap(`${DIR}/http2.pcap`);
    const state = new CaptureState();
    const p = new Dissection();
    let text: TreeNode | undefined;
    for (const r of records) {
      dissectPacket(r.meta, r.data, state, { tree: r.meta.number === 13 }, p);
      if (r.meta.number === 13) {
        // Inside the HTTP/2 item, after the stream, as tshark nests it.
        text = p.roots.find((n) => n.field === 'http2')?.children?.find((n) => n.field === 'data-text-lines');
        expect(p.sources.map((s) => s.name)).toContain('Reassembled body (10 bytes)');
      }
    }
    expect(text?.label).toBe('Line-based text data: text/plain (1 lines)');
    expect(text?.children?.[0]?.label).toBe('h2 GET /a\\n');
  });
});

describe('HTTP/2 exchanges', () => {
  it('each stream is a request/response pair with its headers and body', () => {
    const state = new CaptureState();
    const p = new Dissection();
    for (const r of readClassicPcap(`${DIR}/http2.pcap`))
      dissectPacket(r.meta, r.data, state, { tree: false }, p);
    const h2 = httpExchanges(state).filter((x) => x.version === 'HTTP/2' && x.reqFrame !== 37);
    expect(h2.map((x) => [x.reqFrame, x.resFrame, x.method, x.fullUri, x.status])).toEqual([
      [8, 12, 'GET', 'http://10.80.0.1:8080/a', 200],
      [26, 27, 'GET', 'http://10.80.0.1:8080/b?q=1', 200],
    ]);
    expect(dec.decode(h2[1]!.responseBody!)).toBe('h2 GET /b?q=1\n');
    expect(h2[1]!.requestHeaders).toContainEqual(['x-trace', '1']);
    expect(h2[0]!.responseContentType).toBe('text/plain');
    // The h2c upgrade: the HTTP/1.1 request that asked for it, answered by 101.
    const upgrade = httpExchanges(state).find((x) => x.status === 101)!;
    expect(upgrade).toMatchObject({
      method: 'GET',
      uri: '/index.html',
      reqFrame: 37,
      resFrame: 39,
      version: 'HTTP/1.1',
    });
  });
});

describe('HPACK (RFC 7541)', () => {
  /** Appendix C.3 (no Huffman) and C.4 (Huffman): three requests on one connection. */
  const requests = [
    [
      '828684410f7777772e6578616d706c652e636f6d',
      '828684418cf1e3c2e5f23a6ba0ab90f4ff',
      [
        [':method', 'GET'],
        [':scheme', 'http'],
        [':path', '/'],
        [':authority', 'www.example.com'],
      ],
      57,
    ],
    [
      '828684be58086e6f2d6361636865',
      '828684be5886a8eb10649cbf',
      [
        [':method', 'GET'],
        [':scheme', 'http'],
        [':path', '/'],
        [':authority', 'www.example.com'],
        ['cache-control', 'no-cache'],
      ],
      110,
    ],
    [
      '828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565',
      '828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf',
      [
        [':method', 'GET'],
        [':scheme', 'https'],
        [':path', '/index.html'],
        [':authority', 'www.example.com'],
        ['custom-key', 'custom-value'],
      ],
      164,
    ],
  ] as const;

  for (const [which, col] of [
    ['C.3 literals', 0],
    ['C.4 Huffman', 1],
  ] as const) {
    it(`${which}: decodes and keeps the dynamic table across blocks`, () => {
      const d = new HpackDecoder();
      for (const req of requests) {
        const block = fromHex(req[col]);
        const out = d.decode(block, 0, block.length);
        expect(out.error).toBeUndefined();
        expect(out.headers.map((h) => [h.name, h.value])).toEqual(req[2]);
        expect(d.tableSize).toBe(req[3]);
      }
    });
  }

  it('C.5: evicts entries when the table (256 octets) is full', () => {
    const d = new HpackDecoder(256);
    const blocks = [
      '4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d',
      '4803333037c1c0bf',
    ];
    for (const hexText of blocks) {
      const b = fromHex(hexText);
      expect(d.decode(b, 0, b.length).error).toBeUndefined();
    }
    expect(d.entry(62)).toEqual([':status', '307']);
    expect(d.tableSize).toBe(222);
  });

  it('Huffman and integers round-trip; invalid padding is refused', () => {
    for (const s of ['www.example.com', 'no-cache', 'custom-value', '\u0000\u00ff binary']) {
      const raw = Uint8Array.from(s, (c) => c.charCodeAt(0));
      expect(huffmanDecode(huffmanEncode(raw))).toEqual(raw);
    }
    expect(huffmanDecode(Uint8Array.of(0x00))).toBeUndefined(); // '0' then 3 zero padding bits
    for (const [v, bits] of [
      [10, 5],
      [1337, 5],
      [42, 8],
      [2 ** 31, 7],
    ] as const) {
      const b = Uint8Array.from(encodeInteger(v, bits, 0));
      expect(decodeInteger(b, 0, b.length, bits)).toEqual([v, b.length]);
    }
    expect(encodeInteger(1337, 5, 0)).toEqual([31, 154, 10]); // §C.1.2
  });

  it('an encoded header block decodes back', () => {
    const headers: [string, string][] = [
      [':method', 'POST'],
      [':path', '/upload'],
      ['content-type', 'application/json'],
      ['x-trace', 'abc'],
    ];
    const b = encodeHeaderBlock(headers);
    expect(new HpackDecoder().decode(b, 0, b.length).headers.map((h) => [h.name, h.value])).toEqual(headers);
    const plain = encodeHeaderBlock(headers, false);
    expect(dec.decode(plain)).toContain('x-trace');
    expect(enc.encode('x').length).toBe(1);
  });

  it('garbage never throws and is reported', () => {
    const d = new HpackDecoder();
    for (const hexText of ['ff', 'bf', '7f80808080808080', '40ff', '4085']) {
      const b = fromHex(hexText);
      expect(() => d.decode(b, 0, b.length)).not.toThrow();
      expect(d.decode(b, 0, b.length).error).toBeDefined();
    }
  });
});
