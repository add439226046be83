// The simulator's TCP on real bytes: every segment is parsed back with parseTcp and the flags,
// sequence numbers, options and windows checked against RFC 9293 / 7323 / 2018 behaviour.
import { describe, expect, it } from 'vitest';
import '../../../core/sim';
import { parseTcp } from '../../../core/protocols/tcp';
import { Host } from '../../../core/sim/host';
import type { TcpConnection } from '../../../core/sim/stack';
import { SECOND } from '../../../core/sim/stack';
import { net } from './helpers';

const PAIR = `
nodes:
  A: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0a", ip: [10.0.0.1/24] } } }
  B: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0b", ip: [10.0.0.2/24] } } }
links:
  - { a: A.eth0, b: B.eth0, delay: 1ms, bandwidth: 100Mbps }
taps: [A.eth0]
`;

interface Seg {
  from: string;
  flags: string;
  seq: number;
  ack: number;
  len: number;
  win: number;
  options: string[];
}

function segments(n: ReturnType<typeof net>): Seg[] {
  const out: Seg[] = [];
  for (const r of n.port('A.eth0')!.tap!.records) {
    const d = r.data;
    if (d[12] !== 0x08 || d[13] !== 0 || d[23] !== 6) continue;
    const ihl = (d[14]! & 15) * 4;
    const totalLen = (d[16]! << 8) | d[17]!;
    const p = parseTcp(d.subarray(14 + ihl, 14 + totalLen))!;
    const f = p.repr.flags;
    out.push({
      from: `${d[26]}.${d[27]}.${d[28]}.${d[29]}`,
      flags: `${f.syn ? 'S' : ''}${f.fin ? 'F' : ''}${f.rst ? 'R' : ''}${f.psh ? 'P' : ''}${f.ack ? '.' : ''}`,
      seq: p.repr.seq,
      ack: p.repr.ack,
      len: p.payload.length,
      win: p.repr.window,
      options: (p.repr.options ?? []).map((o) => o.kind),
    });
  }
  return out;
}

function hostOf(n: ReturnType<typeof net>, name: string): Host {
  return n.host(name) as Host;
}

describe('simulated TCP', () => {
  it('opens with MSS, SACK, timestamps and window scale, moves data both ways and closes by half-close', () => {
    const n = net(PAIR);
    const a = hostOf(n, 'A');
    const b = hostOf(n, 'B');
    const got: string[] = [];
    let server: TcpConnection | undefined;
    b.tcp.listen(7, (c) => {
      server = c;
      c.onData = (d) => got.push(`B<${new TextDecoder().decode(d)}`);
      c.onEnd = () => {
        got.push('B<EOF');
        c.write(new TextEncoder().encode('bye'));
        c.end();
      };
    });
    const c = a.tcp.connect('10.0.0.2', 7);
    c.onConnect = () => {
      c.write(new TextEncoder().encode('hello'));
      c.end(); // half-close: B can still send
    };
    c.onData = (d) => got.push(`A<${new TextDecoder().decode(d)}`);
    let closed = false;
    c.onClose = () => (closed = true);
    n.kernel.run();
    expect(got).toEqual(['B<hello', 'B<EOF', 'A<bye']);
    expect(closed).toBe(true);
    expect(server?.state).toBe('CLOSED');
    const s = segments(n);
    // write() sends at once and shutdown() adds the FIN, as on Linux; B ACKs the data (quick-ACK
    // mode) and the FIN, then answers and closes its half.
    expect(s.map((x) => x.flags)).toEqual(['S', 'S.', '.', 'P.', 'F.', '.', '.', 'P.', '.', 'F.', '.']);
    expect(s[0]!.options).toEqual(['mss', 'sackPerm', 'timestamps', 'nop', 'wscale']);
    expect(s[1]!.ack).toBe((s[0]!.seq + 1) >>> 0);
    expect(s[3]!.len).toBe(5);
    expect(s[6]!.ack).toBe((s[3]!.seq + 6) >>> 0); // data + FIN
    expect(s[2]!.options).toEqual(['nop', 'nop', 'timestamps']);
  });

  it('answers a SYN to a closed port with RST/ACK and reports "Connection refused"', () => {
    const n = net(PAIR);
    const c = hostOf(n, 'A').tcp.connect('10.0.0.2', 9999);
    let err: string | undefined;
    c.onClose = (e) => (err = e);
    n.kernel.run();
    expect(err).toBe('Connection refused');
    const s = segments(n);
    expect(s.map((x) => x.flags)).toEqual(['S', 'R.']);
    expect(s[1]!.ack).toBe((s[0]!.seq + 1) >>> 0);
    expect(s[1]!.seq).toBe(0);
  });

  it('draws each state change as an event', () => {
    const n = net(PAIR);
    hostOf(n, 'B').tcp.listen(80, (c) => (c.onEnd = () => c.end()));
    const c = hostOf(n, 'A').tcp.connect('10.0.0.2', 80);
    c.onConnect = () => c.end();
    n.kernel.run();
    const states = n.events.filter((e) => e.kind === 'tcp-state' && e.node === 'A').map((e) => e.text);
    expect(states[0]).toBe('A: 10.0.0.1:32768 → 10.0.0.2:80 CLOSED → SYN-SENT (connect)');
    expect(states.map((t) => /(\S+) \(/.exec(t)?.[1])).toEqual([
      'SYN-SENT',
      'ESTABLISHED',
      'FIN-WAIT-1',
      'FIN-WAIT-2',
      'TIME-WAIT',
      'CLOSED',
    ]);
  });

  it('lists sockets like netstat -ant, TIME_WAIT included', () => {
    const n = net(PAIR);
    hostOf(n, 'B').tcp.listen(80, (c) => (c.onEnd = () => c.end()));
    const c = hostOf(n, 'A').tcp.connect('10.0.0.2', 80);
    c.onConnect = () => c.end();
    n.kernel.run({ until: 1 * SECOND });
    expect(hostOf(n, 'A').tcp.netstat()).toEqual([
      'tcp        0      0 10.0.0.1:32768          10.0.0.2:80             TIME_WAIT  ',
    ]);
    expect(hostOf(n, 'B').tcp.netstat()).toEqual([
      'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN     ',
    ]);
  });

  it('segments a large write by the peer MSS and ACKs every second segment after quick-ACK mode', () => {
    const n = net(PAIR);
    let received = 0;
    hostOf(n, 'B').tcp.listen(9, (c) => (c.onData = (d) => (received += d.length)));
    const c = hostOf(n, 'A').tcp.connect('10.0.0.2', 9);
    c.onConnect = () => c.write(new Uint8Array(100_000));
    n.kernel.run({ until: 5 * SECOND });
    expect(received).toBe(100_000);
    const s = segments(n);
    const data = s.filter((x) => x.from === '10.0.0.1' && x.len > 0);
    // 1500 − 20 (IP) − 20 (TCP) − 12 (timestamps)
    expect(Math.max(...data.map((x) => x.len))).toBe(1448);
    const acks = s.filter((x) => x.from === '10.0.0.2' && x.flags === '.');
    // 16 quick ACKs, then about one ACK per two segments
    expect(acks.length).toBeLessThan(data.length);
    expect(acks.length).toBeGreaterThan(data.length / 2);
  });

  it('retransmits a lost SYN after the initial 1 s RTO, then 2 s', () => {
    const n = net(PAIR);
    n.setLink('B.eth0', false);
    hostOf(n, 'A').addNeighbour('10.0.0.2', '02:00:00:00:00:0b', 'eth0');
    const c = hostOf(n, 'A').tcp.connect('10.0.0.2', 80);
    let err: string | undefined;
    c.onClose = (e) => (err = e);
    n.kernel.run({ until: 4 * SECOND });
    const syns = n
      .port('A.eth0')!
      .tap!.records.filter((r) => r.data[23] === 6)
      .map((r) => r.time / SECOND);
    expect(syns).toEqual([0, 1, 3]);
    expect(err).toBeUndefined();
  });

  it('fills a slow reader’s window, stops, and resumes on its window update', () => {
    const n = net(PAIR);
    let server: (TcpConnection & { autoRead?: boolean; read?: (n: number) => number }) | undefined;
    hostOf(n, 'B').tcp.listen(
      9,
      (c) => {
        server = c as typeof server;
        server!.autoRead = false;
      },
      { receiveBuffer: 6144, mss: 1024, windowScale: -1 },
    );
    const c = hostOf(n, 'A').tcp.connect('10.0.0.2', 9, { windowScale: -1 });
    c.onConnect = () => c.write(new Uint8Array(8192));
    n.kernel.run({ until: 0.5 * SECOND });
    let s = segments(n);
    const sent = () => s.filter((x) => x.from === '10.0.0.1' && x.len > 1).reduce((t, x) => t + x.len, 0);
    expect(sent()).toBe(6144);
    // the persist timer probes the zero window with one byte (RFC 9293 §3.8.6.1)
    expect(s.some((x) => x.from === '10.0.0.1' && x.len === 1)).toBe(true);
    expect(s.filter((x) => x.from === '10.0.0.2').at(-1)!.win).toBe(0);
    n.kernel.schedule(0, () => server!.read!(4096));
    n.kernel.run({ until: 1 * SECOND });
    s = segments(n);
    expect(sent()).toBe(8192);
  });
});

describe('buildSegment (the hot-path encoder)', () => {
  it('gives exactly the bytes encodeTcp gives', async () => {
    const { buildSegment } = await import('../../../core/sim/tcp/tcp');
    const { encodeTcp } = await import('../../../core/protocols/tcp');
    const src = new Uint8Array([10, 0, 0, 1]);
    const dst = new Uint8Array([192, 0, 2, 200]);
    const cases: [number, import('../../../core/protocols/tcp').TcpOption[], Uint8Array][] = [
      [
        0x02,
        [
          { kind: 'mss', value: 1460 },
          { kind: 'sackPerm' },
          { kind: 'timestamps', tsval: 0xfffffff0, tsecr: 0 },
          { kind: 'nop' },
          { kind: 'wscale', shift: 7 },
        ],
        new Uint8Array(),
      ],
      [
        0x18,
        [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsval: 5, tsecr: 9 }],
        new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'),
      ],
      [
        0x10,
        [
          { kind: 'nop' },
          { kind: 'nop' },
          {
            kind: 'sack',
            blocks: [
              [0xfffffff0, 5],
              [100, 200],
            ],
          },
        ],
        new Uint8Array(),
      ],
      [0x11, [], new Uint8Array([1, 2, 3])],
    ];
    for (const [flags, options, payload] of cases) {
      const ours = buildSegment(src, dst, 40000, 80, 0xdeadbeef, 0x12345678, flags, 502, options, payload);
      const ref = encodeTcp(
        {
          srcPort: 40000,
          dstPort: 80,
          seq: 0xdeadbeef,
          ack: 0x12345678,
          flags: { fin: (flags & 1) > 0, syn: (flags & 2) > 0, psh: (flags & 8) > 0, ack: (flags & 16) > 0 },
          window: 502,
          options,
        },
        payload,
        { src: '10.0.0.1', dst: '192.0.2.200' },
      );
      expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(ref).toString('hex'));
    }
  });
});

describe('TCP over IPv6', () => {
  it('connects, carries data with an MSS of MTU − 60 and closes', () => {
    const n = net(`
nodes:
  A: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0a", ip: [2001:db8::1/64] } } }
  B: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0b", ip: [2001:db8::2/64] } } }
links:
  - [A.eth0, B.eth0]
taps: [A.eth0]
`);
    let got = 0;
    hostOf(n, 'B').tcp.listen(80, (c) => {
      c.onData = (d) => (got += d.length);
      c.onEnd = () => c.end();
    });
    const c = hostOf(n, 'A').tcp.connect('2001:db8::2', 80);
    c.onConnect = () => {
      c.write(new Uint8Array(5000));
      c.end();
    };
    n.kernel.run({ until: 5 * SECOND });
    expect(got).toBe(5000);
    const tcp6 = n
      .port('A.eth0')!
      .tap!.records.filter((r) => r.data[12] === 0x86 && r.data[13] === 0xdd && r.data[20] === 6)
      .map((r) => parseTcp(r.data.subarray(54))!);
    expect(tcp6[0]!.repr.options![0]).toEqual({ kind: 'mss', value: 1440 });
    expect(Math.max(...tcp6.map((t) => t.payload.length))).toBe(1428);
    expect(hostOf(n, 'A').tcp.netstat()[0]).toMatch(/^tcp6 {7}0 {6}0 2001:db8::1:32768/);
  });
});

describe('Nagle and delayed ACK', () => {
  it('holds small writes while data is unacknowledged and sends them together (RFC 896)', () => {
    const n = net(PAIR);
    hostOf(n, 'B').tcp.listen(7, (c) => (c.onData = () => undefined));
    const c = hostOf(n, 'A').tcp.connect('10.0.0.2', 7);
    c.onConnect = () => {
      for (let i = 0; i < 5; i++) c.write(new Uint8Array(10));
    };
    n.kernel.run({ until: 1 * SECOND });
    const data = segments(n).filter((x) => x.from === '10.0.0.1' && x.len > 0);
    expect(data.map((x) => x.len)).toEqual([10, 40]);
  });

  it('without Nagle every write is a segment', () => {
    const n = net(PAIR);
    hostOf(n, 'B').tcp.listen(7, (c) => (c.onData = () => undefined));
    const c = hostOf(n, 'A').tcp.connect('10.0.0.2', 7, { nagle: false });
    c.onConnect = () => {
      for (let i = 0; i < 5; i++) c.write(new Uint8Array(10));
    };
    n.kernel.run({ until: 1 * SECOND });
    const data = segments(n).filter((x) => x.from === '10.0.0.1' && x.len > 0);
    expect(data.map((x) => x.len)).toEqual([10, 10, 10, 10, 10]);
  });

  it('after quick-ACK mode a lone segment is ACKed by the 40 ms timer', () => {
    const n = net(PAIR);
    hostOf(n, 'B').tcp.listen(7, (c) => (c.onData = () => undefined));
    const c = hostOf(n, 'A').tcp.connect('10.0.0.2', 7);
    let i = 0;
    const tick = (): void => {
      c.write(new Uint8Array(100));
      if (++i < 20) n.kernel.schedule(100_000_000, tick);
    };
    c.onConnect = tick;
    n.kernel.run({ until: 5 * SECOND });
    const recs = n.port('A.eth0')!.tap!.records.filter((r) => r.data[23] === 6);
    const s = segments(n);
    // the 17th data segment onwards: its ACK comes 40 ms (+ 1 ms link delay) after it was seen
    const dataIdx = s.map((x, k) => [x, k] as const).filter(([x]) => x.from === '10.0.0.1' && x.len > 0);
    const [, k17] = dataIdx[17]!;
    const ackIdx = s.findIndex((x, k) => k > k17 && x.from === '10.0.0.2');
    const dt = (recs[ackIdx]!.time - recs[k17]!.time) / 1e6;
    expect(dt).toBeGreaterThanOrEqual(40);
    expect(dt).toBeLessThan(45);
  });
});
