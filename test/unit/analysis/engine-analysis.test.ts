// The Engine API's analysis methods over an open capture (what the app's Statistics, Follow,
// HTTP, I/O Graph, Flow Graph and Expert views call): same results as the CLI's tshark-checked
// outputs, JSON-serialisable, and bad arguments rejected with clear errors.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../core/engine/engine';
import { checkArgs } from '../../../core/engine/methods';

const ROOT = new URL('../../../', import.meta.url).pathname;
const EXPECTED = `${ROOT}test/fixtures/analysis/expected`;

describe('engine analysis methods', () => {
  const engine = new Engine({ yieldDuringOpen: false });
  beforeAll(async () => {
    await engine.openFile(`${ROOT}test/fixtures/analysis/loopback-mixed.pcap`);
  });
  afterAll(() => engine.close());

  it('stats returns the structured table and the text tshark prints', async () => {
    for (const kind of ['conv,tcp', 'endpoints,udp', 'io,stat,0.5']) {
      const r = await engine.stats(kind);
      expect(r.text).toBe(readFileSync(`${EXPECTED}/loopback-mixed/${kind}.txt`, 'utf8'));
      expect(JSON.parse(JSON.stringify(r.result))).toEqual(r.result);
    }
    const conv = (await engine.stats('conv,tcp')).result as { conversations: { framesAB: number }[] };
    expect(conv.conversations).toHaveLength(3);
    await expect(engine.stats('conv,sctp')).rejects.toThrow(/unknown conv type/);
  });

  it('follow gives chunks and the text of tshark -z follow', async () => {
    const digests = new Map(
      readFileSync(`${EXPECTED}/loopback-mixed/follow.sha256`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, string]),
    );
    const r = await engine.follow('tcp', 2, 'raw');
    expect(createHash('sha256').update(r.text).digest('hex')).toBe(digests.get('follow,tcp,raw,2'));
    const received = r.chunks.filter((c) => c.peer === 1).map((c) => Buffer.from(c.base64, 'base64'));
    expect(Buffer.concat(received).length).toBe(r.bytes[1]);
    expect(r.client?.address).toBe('127.0.0.1');
    const h = await engine.follow('http', 0, 'ascii');
    expect(createHash('sha256').update(h.text).digest('hex')).toBe(digests.get('follow,http,ascii,0'));
  });

  it('lists HTTP exchanges, exports objects and HAR', async () => {
    const xs = await engine.httpExchanges();
    expect(xs.map((x) => [x.method, x.uri, x.status])).toEqual([
      ['GET', '/small.txt', 200],
      ['GET', '/page.html', 200],
      ['GET', '/blob.bin', 200],
    ]);
    const served = readFileSync(`${ROOT}test/fixtures/analysis/served.sha256`, 'utf8');
    for (const x of xs) {
      const o = await engine.exportObject(x.responseObject!);
      const digest = createHash('sha256').update(Buffer.from(o.base64, 'base64')).digest('hex');
      expect(served).toContain(`loopback-mixed ${o.filename} ${digest}`);
    }
    await expect(engine.exportObject(99)).rejects.toThrow(/no HTTP object 99/);
    const har = JSON.parse(await engine.exportHar()) as { log: { version: string; entries: unknown[] } };
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries).toHaveLength(3);
  });

  it('ioGraph counts every packet once in the first series and splits by display filter', async () => {
    const g = await engine.ioGraph({ interval: 0.1, filters: ['tcp', 'udp'] });
    const total = (i: number) => g.series[i]!.buckets.reduce((n, b) => n + b.frames, 0);
    const info = (await engine.info())!;
    expect(total(0)).toBe(info.packets);
    expect(total(1) + total(2)).toBe(info.packets);
    expect(total(1)).toBe(36);
    expect(g.series.map((s) => s.buckets.length)).toEqual([13, 13, 13]);
    await expect(engine.ioGraph({ interval: 0.1, filters: ['tcp.port =='] })).rejects.toThrow();
  });

  it('checks the arguments of the new methods at the transport boundary', () => {
    expect(() => checkArgs('follow', ['sctp', 0])).toThrow(/protocol must be one of/);
    expect(() => checkArgs('exportObject', [0])).toThrow(/id must be an integer/);
    expect(checkArgs('flowGraph', [])).toEqual([undefined]);
  });
});

describe('engine flow graph and expert info', () => {
  const engine = new Engine({ yieldDuringOpen: false });
  beforeAll(async () => {
    await engine.openFile(`${ROOT}test/fixtures/captures/netns-mixed.pcap`);
  });
  afterAll(() => engine.close());

  it('draws the handshake of a TCP stream between two lanes', async () => {
    const g = await engine.flowGraph({ stream: 0 });
    expect(g.lanes).toEqual(['10.99.0.1', '10.99.0.2']);
    expect(g.arrows.slice(0, 3).map((a) => [a.from, a.to, a.label, a.comment])).toEqual([
      [0, 1, 'SYN', 'Seq = 0 Ack = 0'],
      [1, 0, 'SYN, ACK', 'Seq = 0 Ack = 1'],
      [0, 1, 'ACK', 'Seq = 1 Ack = 1'],
    ]);
    expect(g.arrows[3]).toMatchObject({ label: 'PSH, ACK', comment: 'Seq = 1 Ack = 1 Len = 15' });
    expect(g.arrows.every((a) => a.stream === 0)).toBe(true);
    const all = await engine.flowGraph();
    expect(all.arrows.length).toBeGreaterThan(g.arrows.length);
    expect(all.truncated).toBe(false);
  });

  it('expert info entries are grouped and point at frames', async () => {
    const entries = await engine.expertInfo();
    for (const e of entries) {
      expect(e.count).toBeGreaterThan(0);
      expect(e.frames.length).toBe(Math.min(e.count, 1000));
    }
  });
});
