// The analysis views' pure helpers: Follow Stream's renderings (the hex dump against tshark's
// follow,tcp,hex layout), Find's splitting, the HTTP body preview, and
// the filters the Conversations / Endpoints tables apply.
import { describe, expect, it } from 'vitest';
import {
  asciiText,
  cArrayText,
  hexDumpText,
  rawText,
  splitMatches,
} from '../../../renderer/src/components/analysis/stream-format';
import { previewBody } from '../../../renderer/src/components/analysis/body-preview';
import { conversationFilter, endpointFilter } from '../../../renderer/src/components/analysis/stats-types';

const bytes = (s: string) => new TextEncoder().encode(s);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('Follow Stream renderings', () => {
  it('ASCII keeps line breaks and tabs and dots other control bytes', () => {
    expect(asciiText(new Uint8Array([0x47, 0x0d, 0x0a, 0x09, 0x00, 0x7f, 0xe9]))).toBe('G\r\n\t...');
  });

  it('hex dump: the layout of tshark -z follow,tcp,hex; server lines indented', () => {
    const data = bytes('GET /chunked HTTP/1.1\r\nHost: 10.');
    // tshark -r test/fixtures/app/http-node.pcap -q -z follow,tcp,hex,0 (first two lines).
    expect(hexDumpText(data, 0, false)).toBe(
      '00000000  47 45 54 20 2f 63 68 75  6e 6b 65 64 20 48 54 54  GET /chu nked HTT\n' +
        '00000010  50 2f 31 2e 31 0d 0a 48  6f 73 74 3a 20 31 30 2e  P/1.1..H ost: 10.\n',
    );
    expect(hexDumpText(bytes('ab'), 0x20, true)).toBe(`    00000020  61 62${' '.repeat(43)}  ab\n`);
  });

  it('raw is the bytes as hex, one chunk a line', () => {
    expect(rawText(new Uint8Array([0, 0xab, 0x10]))).toBe('00ab10\n');
  });

  it('C arrays name the peer and chunk and close the last line', () => {
    const text = cArrayText(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 1, 2, 17);
    expect(text).toBe(
      'char peer1_2[] = { /* Packet 17 */\n' +
        '0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,\n' +
        '0x09 };\n',
    );
  });

  it('Find splits around every case-insensitive match', () => {
    expect(splitMatches('Get x GET', 'get')).toEqual([
      { text: 'Get', match: true },
      { text: ' x ', match: false },
      { text: 'GET', match: true },
    ]);
    expect(splitMatches('abc', '')).toEqual([{ text: 'abc', match: false }]);
    expect(splitMatches('aaaa', 'aa').filter((p) => p.match)).toHaveLength(2);
  });
});

describe('HTTP body preview', () => {
  it('pretty-prints JSON, keeps invalid JSON as text', () => {
    const json = bytes('{"ok":true,"n":42}');
    expect(previewBody('application/json; charset=utf-8', b64(json), json)).toEqual({
      kind: 'json',
      text: '{\n  "ok": true,\n  "n": 42\n}',
      truncated: false,
    });
    const bad = bytes('{oops');
    expect(previewBody('application/json', b64(bad), bad).kind).toBe('text');
  });

  it('shows images as data: URLs and other binary as a hex dump', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    expect(previewBody('image/png', b64(png), png)).toEqual({
      kind: 'image',
      src: 'data:image/png;base64,iVBORw==',
    });
    const bin = new Uint8Array([0, 1, 2, 3]);
    const p = previewBody('application/octet-stream', b64(bin), bin);
    expect(p.kind).toBe('binary');
    expect(p.kind !== 'image' && p.text).toContain('00000000  00 01 02 03');
  });

  it('guesses text when no type is given', () => {
    const t = bytes('hello\n');
    expect(previewBody('', b64(t), t)).toMatchObject({ kind: 'text', text: 'hello\n' });
  });
});

describe('Conversation and endpoint filters', () => {
  const conv = {
    addressA: '10.0.0.2',
    addressB: '10.0.0.1',
    framesAB: 1,
    bytesAB: 1,
    framesBA: 1,
    bytesBA: 1,
    relStart: 0,
    duration: 0,
    absStart: 0,
  };
  it('are written as Wireshark writes them', () => {
    expect(conversationFilter('ip', conv)).toBe('ip.addr==10.0.0.2 && ip.addr==10.0.0.1');
    expect(conversationFilter('tcp', { ...conv, portA: 5000, portB: 80 })).toBe(
      'ip.addr==10.0.0.2 && tcp.port==5000 && ip.addr==10.0.0.1 && tcp.port==80',
    );
    expect(
      conversationFilter('udp', { ...conv, addressA: 'fe80::1', addressB: 'fe80::2', portA: 1, portB: 2 }),
    ).toBe('ipv6.addr==fe80::1 && udp.port==1 && ipv6.addr==fe80::2 && udp.port==2');
    expect(
      endpointFilter('eth', {
        address: '02:00:00:00:00:01',
        txFrames: 0,
        txBytes: 0,
        rxFrames: 0,
        rxBytes: 0,
      }),
    ).toBe('eth.addr==02:00:00:00:00:01');
  });
});
