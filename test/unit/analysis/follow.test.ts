// Follow TCP/UDP stream against tshark 4.0: the SHA-256 of `tshark -q -z follow,PROTO,MODE,N`
// for every stream of the analysis fixtures (scripts/fixtures/analysis-expected.sh) must equal
// the digest of what Wirelens prints; plus the gap and retransmission rules on crafted segments.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../../core/capture';
import { readerPackets } from '../../../core/analysis/packet-source';
import {
  TcpFollower,
  followStream,
  formatFollowText,
  type FollowFormat,
  type FollowKind,
} from '../../../core/analysis/follow';
import { followHttp } from '../../../core/analysis/follow-http';
import { readHttpExchanges } from '../../../core/analysis/http-exchanges';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CAPTURES: Record<string, string> = {
  'http-node': 'test/fixtures/app/http-node.pcap',
  'loopback-mixed': 'test/fixtures/analysis/loopback-mixed.pcap',
  'netns-mixed': 'test/fixtures/captures/netns-mixed.pcap',
  'lossy-http': 'test/fixtures/tcp/lossy-http.pcap',
  dns: 'test/fixtures/app/dns.pcap',
};

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('follow matches tshark -q -z follow', () => {
  for (const [name, file] of Object.entries(CAPTURES)) {
    const list = `${ROOT}test/fixtures/analysis/expected/${name}/follow.sha256`;
    if (!existsSync(list)) continue;
    const lines = readFileSync(list, 'utf8').trim().split('\n').filter(Boolean);
    it(`${name}: ${lines.length} stream outputs`, () => {
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const [spec, digest] = line.split(' ') as [string, string];
        const [, proto, mode, stream] = spec.split(',') as [string, FollowKind, FollowFormat, string];
        const packets = () => readerPackets(openCaptureFile(`${ROOT}${file}`));
        let r = followStream(packets(), proto === 'http' ? 'tcp' : proto, Number(stream));
        if (proto === 'http') r = followHttp(r, readHttpExchanges(packets()));
        expect(sha256(formatFollowText(r, mode)), `${name} ${spec}`).toBe(digest);
      }
    });
  }
});

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('TCP follow rules', () => {
  it('orders out-of-order segments, drops retransmitted bytes and keeps a longer tail', () => {
    const f = new TcpFollower();
    const C = 'client';
    f.segment(C, 1000, 100, 0, true, 0, bytes(''), 1, 0, 0); // SYN: data starts at 101
    f.segment(C, 1000, 106, 0, false, 5, bytes('world'), 2, 0, 0); // ahead: waits
    f.segment(C, 1000, 101, 0, false, 5, bytes('hello'), 3, 0, 0); // fills the gap
    f.segment(C, 1000, 101, 0, false, 12, bytes('helloworld!!'), 4, 0, 0); // repeat + 2 new
    expect(f.chunks.map((c) => [c.frame, text(c.data)])).toEqual([
      [3, 'hello'],
      [2, 'world'],
      [4, '!!'],
    ]);
  });

  it('reports bytes the receiver acknowledged but the capture missed, never inventing them', () => {
    const f = new TcpFollower();
    f.segment('c', 1000, 0, 0, true, 0, bytes(''), 1, 0, 0);
    f.segment('s', 80, 5000, 1, true, 0, bytes(''), 2, 0, 0);
    f.segment('c', 1000, 1, 5001, false, 3, bytes('abc'), 3, 0, 0);
    f.segment('c', 1000, 14, 5001, false, 3, bytes('xyz'), 4, 0, 0); // 10 bytes never captured
    f.segment('s', 80, 5001, 17, false, 0, bytes(''), 5, 0, 0); // the server ACKs past the gap
    expect(f.chunks.map((c) => text(c.data))).toEqual(['abc', '[10 bytes missing in capture file]\0', 'xyz']);
    expect(f.chunks[1]!.missing).toBe(true);
  });

  it('compares sequence numbers across the 2^32 wrap', () => {
    const f = new TcpFollower();
    f.segment('c', 1, 0xfffffffe, 0, false, 4, bytes('abcd'), 1, 0, 0);
    f.segment('c', 1, 2, 0, false, 2, bytes('ef'), 2, 0, 0);
    f.segment('c', 1, 0xffffffff, 0, false, 3, bytes('bcd'), 3, 0, 0); // retransmission
    expect(f.chunks.map((c) => text(c.data))).toEqual(['abcd', 'ef']);
  });
});
