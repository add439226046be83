// HTTP/1.x and SSDP: every packet of real captures (python http.server, a node server, curl —
// scripts/fixtures/http.sh) against tshark 4.0; message framing (RFC 9112 §6.3), chunked and
// content codings, request/response pairing, the exchanges API and the encoder.
import { gzipSync, deflateSync, brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection, type TreeNode } from '../../../core/dissect/dissection';
import { NEED_MORE_BYTES, UNTIL_STREAM_END } from '../../../core/dissect/transport';
import {
  encodeHttpRequest,
  encodeHttpResponse,
  httpExchanges,
  httpStream,
  parseHead,
  parseHttpMessage,
  messageLength,
} from '../../../core/protocols/http';
import { decodeContent, parseChunked, dechunk } from '../../../core/protocols/http-media';
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIpv4 } from '../../../core/protocols/ip';
import { encodeTcp } from '../../../core/protocols/tcp';
import { frameMeta, readClassicPcap, decodeFields } from '../../helpers/decode';
import { compareApp, reassemblyAvailable, type Mismatch } from './app-golden';

const DIR = 'test/fixtures/app';
const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * The one difference that is not HTTP's to fix: bytes before any HTTP message on an HTTP port
 * (an h2 server's SETTINGS ahead of the client's preface) are shown as a `data` layer; tshark
 * shows the TCP payload only. (The Info of a message's first segment, "HTTP/1.1 200 OK  [TCP
 * segment of a reassembled PDU]", is compared: test/unit/analysis/tcp-partial-info.test.ts.)
 */
function unexplained(ms: Mismatch[]): Mismatch[] {
  return ms.filter((m) => !(m.column === 'frame.protocols' && m.ours === `${m.tshark}:data`));
}

function golden(name: string, allowedUnknown: string[] = []) {
  const r = compareApp(`${DIR}/${name}.pcap`, `${DIR}/${name}.tshark.tsv`);
  expect(r.unknown).toEqual(allowedUnknown);
  return r.mismatches;
}

describe('HTTP against tshark 4.0 on real captures', () => {
  it.skipIf(!reassemblyAvailable)(
    'python http.server: keep-alive, HEAD, 304, 404, binary body, 501 to a POST',
    () => {
      expect(unexplained(golden('http-python', ['media.type']))).toEqual([]);
    },
  );

  it.skipIf(!reassemblyAvailable)(
    'node: chunked, gzip, deflate, JSON, 204, 302, cookies, POSTs, 100 Continue, pipelining, close-delimited on a heuristic port',
    () => {
      expect(unexplained(golden('http-node', ['media.type']))).toEqual([]);
    },
  );

  it.skipIf(!reassemblyAvailable)(
    'second pass (tshark -2): response_in, next_request_in, pipelined requests sharing a pair',
    () => {
      for (const name of ['http-python', 'http-node']) {
        const r = compareApp(`${DIR}/${name}.pcap`, `${DIR}/${name}.tshark2.tsv`, [], true);
        expect(r.unknown).toEqual([]);
        expect(unexplained(r.mismatches)).toEqual([]);
      }
    },
  );

  it('SSDP over UDP 1900', () => {
    expect(golden('ssdp')).toEqual([]);
  });

  it.skipIf(!reassemblyAvailable)('a body spanning many segments is decoded once, in the last one', () => {
    const records = readClassicPcap(`${DIR}/http-python.pcap`);
    const rows = decodeFields(records, ['http.response.code', 'http.content_length', 'http.request_in']);
    // Frames 11-16 carry the 15790-byte big.txt; only frame 16 completes the response.
    expect(rows.slice(10, 15).map((r) => r[0])).toEqual(['', '', '', '', '']);
    expect(rows[15]).toEqual(['200', '15790', '10']);
    const body = httpExchanges(stateAfter(records)).find((x) => x.uri === '/big.txt')!;
    expect(body.responseBody?.length).toBe(15790);
    expect(dec.decode(body.responseBody!).split('\n')[0]).toBe(
      'line 0 of a text file that spans many TCP segments',
    );
    expect(dec.decode(body.responseBody!).split('\n').length).toBe(301);
  });
});

function stateAfter(records: ReturnType<typeof readClassicPcap>): CaptureState {
  const state = new CaptureState();
  const p = new Dissection();
  for (const r of records) dissectPacket(r.meta, r.data, state, { tree: false }, p);
  return state;
}

function treeOf(records: ReturnType<typeof readClassicPcap>, frame: number): TreeNode[] {
  const state = new CaptureState();
  const p = new Dissection();
  let roots: TreeNode[] = [];
  for (const r of records) {
    dissectPacket(r.meta, r.data, state, { tree: r.meta.number === frame }, p);
    if (r.meta.number === frame) roots = [...p.roots];
  }
  return roots;
}

function find(nodes: TreeNode[] | undefined, pred: (n: TreeNode) => boolean): TreeNode | undefined {
  for (const n of nodes ?? []) {
    if (pred(n)) return n;
    const c = find(n.children, pred);
    if (c) return c;
  }
  return undefined;
}

describe.skipIf(!reassemblyAvailable)('HTTP exchanges (issue 4 API)', () => {
  const records = readClassicPcap(`${DIR}/http-node.pcap`);
  const exchanges = httpExchanges(stateAfter(records));

  it('pairs requests and responses across keep-alive, 1xx and pipelining as tshark numbers them', () => {
    const byUri = (u: string) => exchanges.find((x) => x.uri === u)!;
    expect(byUri('/chunked')).toMatchObject({
      reqFrame: 4,
      resFrame: 6,
      status: 200,
      method: 'GET',
      number: 1,
    });
    expect(byUri('/gzip')).toMatchObject({ reqFrame: 8, resFrame: 9, number: 2 });
    expect(byUri('/upload')).toMatchObject({ reqFrame: 47, resFrame: 48, status: 201, number: 2 });
    // The 100 Continue came before the (reassembled) request: a pair of its own, as in tshark.
    expect(exchanges.find((x) => x.status === 100)).toMatchObject({ reqFrame: 0, resFrame: 41 });
    // Pipelined: two requests in frame 55; tshark matches the first response to the newest.
    expect(byUri('/p2')).toMatchObject({ reqFrame: 55, resFrame: 57 });
    expect(byUri('/stream')).toMatchObject({ reqFrame: 67, resFrame: 71, host: '10.80.0.1:18123' });
  });

  it('keeps bodies with transfer and content codings undone', () => {
    const gz = exchanges.find((x) => x.uri === '/gzip')!;
    expect(gz.responseBodySize).toBe(149);
    expect(gz.responseBody?.length).toBe(1057);
    expect(dec.decode(gz.responseBody!)).toMatch(/^<html><body>line 0 of a text body/);
    const chunked = exchanges.find((x) => x.uri === '/chunked')!;
    expect(dec.decode(chunked.responseBody!)).toBe('first chunk\nsecond chunk, a bit longer\nthird\n');
    const deflated = exchanges.find((x) => x.uri === '/deflate-chunked')!;
    expect(dec.decode(deflated.responseBody!).split('\n')[0]).toBe(
      'line 0 of a text body long enough to span segments',
    );
    const echo = exchanges.find((x) => x.uri === '/echo')!;
    expect(dec.decode(echo.requestBody!)).toBe('name=wirelens&x=1');
    expect(echo.requestHeaders).toContainEqual(['Content-Type', 'application/x-www-form-urlencoded']);
    expect(echo.responseContentType).toBe('text/plain');
  });

  it('shows the chunks, the de-chunked and uncompressed bodies as data sources', () => {
    const roots = treeOf(records, 11);
    const httpNode = roots.find((n) => n.field === 'http')!;
    expect(find(httpNode.children, (n) => n.label === 'HTTP chunked response')).toBeDefined();
    expect(find(httpNode.children, (n) => n.label === 'Chunk size: 20 octets')).toBeDefined();
    expect(
      find(httpNode.children, (n) =>
        /^Content-encoded entity body \(deflate\): 87 bytes -> \d+ bytes$/.test(n.label),
      ),
    ).toBeDefined();
    const lines = roots.find((n) => n.field === 'data-text-lines')!;
    expect(lines.label).toBe('Line-based text data: text/plain (10 lines)');
    expect(lines.children?.[0]?.label).toBe('line 0 of a text body long enough to span segments\\n');
  });

  it('labels the start line and headers as tshark does', () => {
    const roots = treeOf(records, 4);
    const httpNode = roots.find((n) => n.field === 'http')!;
    const labels = httpNode.children!.map((n) => n.label);
    expect(labels.slice(0, 7)).toEqual([
      'GET /chunked HTTP/1.1\\r\\n',
      'Host: 10.80.0.1:8080\\r\\n',
      'User-Agent: curl/7.88.1\\r\\n',
      'Accept: */*\\r\\n',
      'Accept-Encoding: deflate, gzip, br, zstd\\r\\n',
      'Cookie: lang=en\\r\\n',
      '\\r\\n',
    ]);
    expect(labels).toContain('[Full request URI: http://10.80.0.1:8080/chunked]');
    expect(labels).toContain('[HTTP request 1/1]');
    expect(httpNode.children![0]!.children!.map((n) => n.label)).toEqual([
      'Request Method: GET',
      'Request URI: /chunked',
      'Request Version: HTTP/1.1',
    ]);
  });

  it('knows the response frame of a request on a revisit', () => {
    const state = stateAfter(records);
    const p = new Dissection();
    const r = records[3]!;
    dissectPacket(r.meta, r.data, state, { tree: true }, p, true);
    const httpNode = p.roots.find((n) => n.field === 'http')!;
    expect(find(httpNode.children, (n) => n.field === 'http.response_in')?.value).toBe(6);
  });
});

describe('message framing (RFC 9112 §6.3)', () => {
  const len = (text: string, method?: string) => {
    const b = enc.encode(text);
    const head = parseHead(b, 0, b.length);
    return head ? messageLength(b, 0, b.length, head, method) : undefined;
  };

  it('Content-Length, chunked, no body for 1xx/204/304/HEAD, close-delimited responses', () => {
    expect(len('GET / HTTP/1.1\r\nHost: a\r\n\r\n')).toBe(27);
    expect(len('POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcEXTRA')).toBe(41);
    expect(len('POST / HTTP/1.1\r\nContent-Length: 30\r\n\r\nabc')).toBe(69);
    expect(len('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nX')).toBe(60);
    expect(len('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n')).toBe(NEED_MORE_BYTES);
    expect(len('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n\r\n')).toBe(60);
    expect(len('HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n')).toBe(46);
    expect(len('HTTP/1.1 304 Not Modified\r\n\r\n')).toBe(29);
    expect(len('HTTP/1.1 100 Continue\r\n\r\n')).toBe(25);
    expect(len('HTTP/1.1 200 OK\r\nContent-Length: 82\r\n\r\n', 'HEAD')).toBe(39);
    expect(len('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nabc')).toBe(UNTIL_STREAM_END);
    expect(len('HTTP/1.1 200 OK\r\nContent-Length: 1')).toBe(NEED_MORE_BYTES);
    expect(len('BREW /pot HTTP/1.1\r\n\r\n')).toBeUndefined();
  });

  it('pduLength: a start line still arriving waits; bytes before any message are not HTTP', () => {
    const state = new CaptureState();
    const p = new Dissection();
    p.reset(frameMeta(new Uint8Array(0)), new Uint8Array(0), state, { tree: false });
    p.transport = { kind: 'tcp', stream: 7, srcPort: 1, dstPort: 80, direction: 0 };
    const pl = (s: string) => httpStream.pduLength(p, enc.encode(s), 0, s.length);
    expect(pl('GE')).toBe(NEED_MORE_BYTES);
    expect(pl('\x00\x00\x06\x04\x00\x00\x00\x00\x00')).toBe(-3);
    expect(pl('HEAD / HTTP/1.1\r\n\r\n')).toBe(19);
    // The answer to that HEAD has no body, whatever its Content-Length says.
    expect(pl('HTTP/1.1 200 OK\r\nContent-Length: 82\r\n\r\n')).toBe(39);
  });

  it('a chunked body of more chunks than one walk takes is sized as segments arrive (the walk resumes)', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    const message = enc.encode(head + '1\r\na\r\n'.repeat(70_000) + '0\r\n\r\n');
    const state = new CaptureState();
    const p = new Dissection();
    p.reset(frameMeta(new Uint8Array(0)), new Uint8Array(0), state, { tree: false });
    p.transport = { kind: 'tcp', stream: 3, srcPort: 80, dstPort: 5000, direction: 1 };
    const answers: number[] = [];
    for (let have = 1448; ; have += 1448) {
      const n = Math.min(have, message.length);
      const answer = httpStream.pduLength(p, message, 0, n);
      answers.push(answer);
      if (answer !== NEED_MORE_BYTES || n === message.length) break;
    }
    expect(answers[answers.length - 1]).toBe(message.length);
    expect(answers.slice(0, -1).every((a) => a === NEED_MORE_BYTES)).toBe(true);
  });

  it('chunked parsing is bounded and tolerates extensions and bare LF', () => {
    const b = enc.encode('4;ext=1\r\nWiki\r\n5\npedia\n0\r\n\r\n');
    const body = parseChunked(b, 0, b.length);
    expect(body.complete).toBe(true);
    expect(dec.decode(dechunk(b, body))).toBe('Wikipedia');
    const bad = enc.encode('zz\r\nabc');
    expect(parseChunked(bad, 0, bad.length).complete).toBe(false);
  });
});

describe('content codings', () => {
  const text = enc.encode('hello, '.repeat(100));
  it('gzip, deflate (zlib and raw), br', () => {
    for (const [coding, bytes] of [
      ['gzip', gzipSync(text)],
      ['deflate', deflateSync(text)],
      ['deflate', deflateSync(text).subarray(2, -4)],
      ['br', brotliCompressSync(text)],
    ] as const) {
      const r = decodeContent(coding, new Uint8Array(bytes));
      expect(r.ok && dec.decode(r.bytes)).toBe(dec.decode(text));
    }
  });
  it('stops a decompression bomb at the limit and reports unknown codings', () => {
    const bomb = gzipSync(new Uint8Array(10 << 20));
    expect(decodeContent('gzip', new Uint8Array(bomb), 1 << 20)).toEqual({
      ok: false,
      reason: 'decoded body larger than 1048576 bytes',
    });
    expect(decodeContent('zstd', text)).toEqual({ ok: false, reason: 'unsupported content coding zstd' });
    expect(decodeContent('gzip', text)).toEqual({ ok: false, reason: 'decompression failed' });
  });
});

describe('encoder', () => {
  it('request with Content-Length round-trips', () => {
    const bytes = encodeHttpRequest({
      method: 'POST',
      target: '/form',
      headers: [['Host', 'example.test']],
      body: 'a=1',
    });
    expect(dec.decode(bytes)).toBe(
      'POST /form HTTP/1.1\r\nHost: example.test\r\nContent-Length: 3\r\n\r\na=1',
    );
    const parsed = parseHttpMessage(bytes)!;
    expect(parsed.length).toBe(bytes.length);
    expect(parsed.repr).toMatchObject({ kind: 'request', method: 'POST', target: '/form', chunked: false });
    expect(dec.decode(parsed.repr.body)).toBe('a=1');
    const again = encodeHttpRequest({
      method: 'POST',
      target: '/form',
      headers: parsed.repr.headers,
      body: parsed.repr.body,
    });
    expect(again).toEqual(bytes);
  });

  it('chunked response round-trips; 204 and 304 carry no body', () => {
    const bytes = encodeHttpResponse({
      status: 200,
      headers: [['Content-Type', 'text/plain']],
      body: 'hello world',
      chunked: 4,
    });
    expect(dec.decode(bytes)).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nhell\r\n4\r\no wo\r\n3\r\nrld\r\n0\r\n\r\n',
    );
    const parsed = parseHttpMessage(bytes)!;
    expect(parsed.repr).toMatchObject({ kind: 'response', status: 200, reason: 'OK', chunked: true });
    expect(dec.decode(parsed.repr.body)).toBe('hello world');
    expect(dec.decode(encodeHttpResponse({ status: 304, body: 'x' }))).toBe(
      'HTTP/1.1 304 Not Modified\r\n\r\n',
    );
    const close = encodeHttpResponse({ status: 200, version: 'HTTP/1.0', body: 'abc', closeDelimited: true });
    expect(parseHttpMessage(close)).toBeUndefined();
    expect(dec.decode(parseHttpMessage(close, { atEndOfStream: true })!.repr.body)).toBe('abc');
  });

  it('an encoded exchange decodes like a captured one', () => {
    const req = encodeHttpRequest({ method: 'GET', target: '/x', headers: [['Host', 'h']] });
    const res = encodeHttpResponse({ status: 200, headers: [['Content-Type', 'text/plain']], body: 'hi\n' });
    const frames = [
      { payload: req, src: '192.0.2.2', dst: '192.0.2.1', sport: 40000, dport: 8080, seq: 1 },
      { payload: res, src: '192.0.2.1', dst: '192.0.2.2', sport: 8080, dport: 40000, seq: 1 },
    ].map((x) =>
      encodeEthernet(
        { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 0x0800 },
        encodeIpv4(
          { src: x.src, dst: x.dst, protocol: 6, ttl: 64 },
          encodeTcp(
            {
              srcPort: x.sport,
              dstPort: x.dport,
              seq: x.seq,
              ack: 1,
              flags: { ack: true, psh: true },
              window: 500,
            },
            x.payload,
            { src: x.src, dst: x.dst },
          ),
        ),
      ),
    );
    const state = new CaptureState();
    const p = new Dissection();
    const infos = frames.map((data, i) => {
      dissectPacket(frameMeta(data, { number: i + 1 }), data, state, { tree: false }, p);
      return `${p.cols.protocol} ${p.cols.info}`;
    });
    expect(infos).toEqual(['HTTP GET /x HTTP/1.1 ', 'HTTP HTTP/1.1 200 OK  (text/plain)']);
  });
});

describe('bad input', () => {
  it.each(['http-node', 'http-python', 'http2', 'ftp', 'mail', 'ssdp'])(
    'mutated %s payloads never throw and never hang',
    (name) => {
      const records = readClassicPcap(`${DIR}/${name}.pcap`);
      let seed = 12345;
      const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
      for (let round = 0; round < 12; round++) {
        const state = new CaptureState();
        const p = new Dissection();
        for (const r of records) {
          const data = r.data.slice();
          for (let k = 0; k < 4 && data.length > 66; k++)
            data[66 + Math.floor(rand() * (data.length - 66))] = Math.floor(rand() * 256);
          expect(() => dissectPacket(r.meta, data, state, { tree: round % 2 === 0 }, p)).not.toThrow();
        }
      }
    },
  );
});
