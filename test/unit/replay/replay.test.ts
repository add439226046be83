// Replaying a real capture (scripts/fixtures/replay.sh: two network namespaces, ARP, pings,
// HTTP, UDP with fragments, IPv6) through a topology with two routers between the hosts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCaptureBytes } from '../../../core/capture';
import { parseTopology } from '../../../core/sim';
import { internetChecksum } from '../../../core/protocols/checksum';
import {
  formatReplaySummary,
  parseAddressMap,
  readReplayInput,
  replayCapture,
  type ReplayInput,
} from '../../../core/replay';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CAPTURE = readFileSync(`${ROOT}test/fixtures/replay/netns-replay.pcap`);
const TOPOLOGY = parseTopology(readFileSync(`${ROOT}test/fixtures/replay/two-routers.yaml`, 'utf8'));
const MAPS = ['10.66.0.1=A', '10.66.0.2=B', 'fd66::1=A', 'fd66::2=B'].map(parseAddressMap);
const MAC = {
  A: '02:00:00:00:00:0a',
  R1eth0: '02:00:00:00:01:00',
  R2eth1: '02:00:00:00:02:01',
  B: '02:00:00:00:00:0b',
};

function input(bytes: Uint8Array = CAPTURE, count?: number): ReplayInput {
  const r = openCaptureBytes(bytes, 'netns-replay.pcap');
  try {
    return readReplayInput(r, { count });
  } finally {
    r.close();
  }
}

const mac = (f: Uint8Array, o: number): string =>
  [...f.subarray(o, o + 6)].map((b) => b.toString(16).padStart(2, '0')).join(':');
const type = (f: Uint8Array): number => (f[12]! << 8) | f[13]!;
const ipv4Of = (f: Uint8Array): Uint8Array => f.subarray(14, 14 + ((f[16]! << 8) | f[17]!));
const ipv6Of = (f: Uint8Array): Uint8Array => f.subarray(14, 54 + ((f[18]! << 8) | f[19]!));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function run() {
  return replayCapture(TOPOLOGY, input(), { maps: MAPS });
}

describe('reading a capture for replay', () => {
  it('keeps the IP datagrams, counts ARP, cuts nothing', () => {
    const inp = input();
    expect(inp.frames).toBe(29);
    expect(inp.datagrams).toHaveLength(27);
    expect(Object.fromEntries(inp.skipped)).toEqual({ ARP: 2 });
    const first = inp.datagrams.find((d) => d.frame === 4)!;
    expect([first.src, first.dst, first.protocol, first.id]).toEqual(['10.66.0.1', '10.66.0.2', 1, 0xec3d]);
    expect(first.offsetNs).toBeGreaterThan(0);
    const frags = inp.datagrams.filter((d) => d.id === 0x19d6);
    expect(frags.map((d) => [d.fragOffset, d.more])).toEqual([
      [0, true],
      [1480, false],
    ]);
  });

  it('stops at --count', () => {
    const inp = input(CAPTURE, 5);
    expect(inp.datagrams).toHaveLength(5);
    expect(inp.countReached).toBe(true);
  });
});

describe('replay through two routers', () => {
  const { net, summary } = run();
  const inp = input();
  const atB = net.port('B.eth0')!.tap!.records.map((r) => r.data);
  const atA = net.port('A.eth0')!.tap!.records.map((r) => r.data);
  const fromA = inp.datagrams.filter((d) => d.src === '10.66.0.1' || d.src === 'fd66::1');
  const fromB = inp.datagrams.filter((d) => d.src === '10.66.0.2' || d.src === 'fd66::2');

  it('accounts for every datagram', () => {
    expect(summary.frames).toBe(29);
    expect(summary.datagrams).toBe(27);
    expect(summary.injected).toBe(26);
    expect(summary.delivered).toBe(25);
    expect(summary.dropped).toBe(1);
    expect(summary.dropReasons).toEqual([{ what: 'TTL expired in transit', count: 1 }]);
    expect(summary.unmappedSources).toEqual([{ what: 'fe80::66:ff:fe00:2', count: 1 }]);
    expect(summary.icmpFromNetwork).toEqual([{ what: 'TTL expired in transit from 10.0.12.2', count: 1 }]);
    expect(summary.unmatchedArrivals).toBe(0);
    expect(summary.checksumsFixed).toBe(0);
    const http = summary.conversations.find((c) => c.conversation === 'TCP 10.66.0.1:38256 ↔ 10.66.0.2:8080');
    expect(http).toEqual({
      conversation: 'TCP 10.66.0.1:38256 ↔ 10.66.0.2:8080',
      datagrams: 12,
      injected: 12,
      delivered: 12,
      dropped: 0,
    });
    const text = formatReplaySummary(summary, 'netns-replay.pcap', 'two-routers.yaml');
    expect(text).toContain('Datagrams injected: 26; delivered: 25; dropped: 1; source unmapped: 1');
    expect(text).toMatch(/^ +1 +TTL expired in transit$/m);
  });

  it('delivers A → B datagrams at B byte-identical but for TTL − 2 and its checksum, with the last segment MACs', () => {
    const v4 = atB.filter((f) => type(f) === 0x0800 && mac(f, 6) === MAC.R2eth1).map(ipv4Of);
    const sent4 = fromA.filter((d) => d.family === 4 && d.bytes[8]! > 2);
    expect(v4).toHaveLength(sent4.length);
    for (const [i, d] of sent4.entries()) {
      const got = v4[i]!;
      expect(got[8], `frame ${d.frame} TTL`).toBe(d.bytes[8]! - 2);
      expect(internetChecksum(got, 0, (got[0]! & 15) * 4), `frame ${d.frame} header checksum`).toBe(0);
      // Everything but TTL and header checksum is as captured (the transport bytes too).
      const a = Uint8Array.from(got);
      const b = Uint8Array.from(d.bytes);
      a[8] = b[8] = a[10] = b[10] = a[11] = b[11] = 0;
      expect(hex(a), `frame ${d.frame}`).toBe(hex(b));
    }
    for (const f of atB.filter((f) => mac(f, 6) === MAC.R2eth1)) expect(mac(f, 0)).toBe(MAC.B);
    const v6 = atB.filter((f) => type(f) === 0x86dd && mac(f, 6) === MAC.R2eth1).map(ipv6Of);
    const replayed6 = v6.filter((p) => p[6] !== 58 || p[40]! < 133);
    const sent6 = fromA.filter((d) => d.family === 6);
    expect(replayed6).toHaveLength(sent6.length);
    for (const [i, d] of sent6.entries()) {
      expect(replayed6[i]![7]).toBe(d.bytes[7]! - 2);
      expect(hex(replayed6[i]!.subarray(8))).toBe(hex(d.bytes.subarray(8)));
    }
  });

  it('sends the fragmented datagram as captured: two fragments, reassembled by nobody', () => {
    const frags = atB.filter(
      (f) => type(f) === 0x0800 && mac(f, 6) === MAC.R2eth1 && ((f[18]! << 8) | f[19]!) === 0x19d6,
    );
    expect(frags.map((f) => ((f[20]! << 8) | f[21]!) & 0x3fff)).toEqual([0x2000, 185]);
  });

  it('resolves each segment with ARP before its first datagram', () => {
    const firstIp = (frames: Uint8Array[], src: string) =>
      frames.findIndex((f) => type(f) === 0x0800 && mac(f, 6) === src);
    const firstArp = (frames: Uint8Array[], src: string) =>
      frames.findIndex((f) => type(f) === 0x0806 && mac(f, 6) === src);
    expect(firstArp(atA, MAC.A)).toBe(0);
    expect(firstArp(atA, MAC.A)).toBeLessThan(firstIp(atA, MAC.A));
    expect(firstArp(atA, MAC.R1eth0)).toBeLessThan(firstIp(atA, MAC.A));
    expect(firstArp(atB, MAC.R2eth1)).toBeLessThan(firstIp(atB, MAC.R2eth1));
    expect(firstArp(atB, MAC.B)).toBeLessThan(firstIp(atB, MAC.B));
  });

  it('invents no replies: every frame B sends is a replayed datagram or ARP/ND', () => {
    const bSent = atB.filter((f) => mac(f, 6) === MAC.B);
    const ip = bSent.filter((f) => type(f) !== 0x0806);
    const nd = ip.filter((f) => type(f) === 0x86dd && f[20] === 58 && f[54]! >= 133 && f[54]! <= 137);
    const replayed = ip.filter((f) => !nd.includes(f));
    expect(replayed).toHaveLength(fromB.length);
    for (const [i, d] of fromB.entries()) {
      const got = d.family === 4 ? ipv4Of(replayed[i]!) : ipv6Of(replayed[i]!);
      expect(hex(got), `frame ${d.frame}`).toBe(hex(d.bytes));
    }
    // No RST, no port unreachable, no echo reply beyond the capture's.
    expect(summary.unmatchedArrivals).toBe(0);
  });

  it('explains the route, the ARP steps, the forwarding and the delivery', () => {
    const texts = net.events.map((e) => `${e.node} ${e.kind}: ${e.text}`);
    expect(texts).toContain(
      "R1 route: R1: replay: route 10.66.0.2/32 via 10.0.12.2 dev eth1, as for B's 10.0.2.20",
    );
    expect(
      texts.some(
        (t) =>
          t.startsWith(
            'A send: A: replaying frame 4 (10.66.0.1 → 10.66.0.2 ICMP, 84 bytes, TTL 64): 10.66.0.2 matches 10.66.0.2/32 via 10.0.1.1 dev eth0',
          ) && t.includes('ARP cache miss → who-has 10.0.1.1'),
      ),
    ).toBe(true);
    expect(
      texts.some(
        (t) =>
          t.startsWith('R1 forward: R1: 10.66.0.2 matches 10.66.0.2/32 via 10.0.12.2 dev eth1') &&
          t.includes('TTL 64→63'),
      ),
    ).toBe(true);
    expect(
      texts.some((t) => t.startsWith('R2 icmp: R2: TTL 1 would expire → ICMP time exceeded to 10.66.0.1')),
    ).toBe(true);
    expect(texts).toContain(
      "B receive: B: delivered (replayed) frame 4: 10.66.0.1 → 10.66.0.2 ICMP, 84 bytes, TTL 64→62 (2 router hops); not passed to B's own stack",
    );
    expect(
      texts.some((t) =>
        t.startsWith('A icmp: A: ICMP TTL expired in transit from 10.0.12.2 about replayed frame 8'),
      ),
    ).toBe(true);
  });

  it('keeps the capture timing (scaled by --speed)', () => {
    const sendTimes = net.events
      .filter((e) => e.kind === 'send' && e.text.includes('replaying frame'))
      .map((e) => e.time);
    const offsets = inp.datagrams
      .filter((d) => d.src !== 'fe80::66:ff:fe00:2')
      .map((d) => Math.round(d.offsetNs));
    expect(sendTimes).toEqual(offsets);
    const fast = replayCapture(TOPOLOGY, input(), { maps: MAPS, speed: 4 });
    const fastTimes = fast.net.events
      .filter((e) => e.kind === 'send' && e.text.includes('replaying frame'))
      .map((e) => e.time);
    expect(fastTimes).toEqual(offsets.map((o) => Math.round(o / 4)));
    expect(fast.summary.delivered).toBe(25);
  });

  it('is deterministic: the same taps byte for byte', () => {
    const again = run();
    for (const ep of ['A.eth0', 'B.eth0']) {
      const x = net.port(ep)!.tap!.records;
      const y = again.net.port(ep)!.tap!.records;
      expect(y.map((r) => `${r.time} ${hex(r.data)}`)).toEqual(x.map((r) => `${r.time} ${hex(r.data)}`));
    }
  });
});

describe('replay problems', () => {
  it('skips datagrams whose source no node owns, naming the addresses', () => {
    const { summary } = replayCapture(TOPOLOGY, input(), { maps: [parseAddressMap('10.66.0.2=B')] });
    expect(summary.injected).toBe(9 /* B's IPv4 datagrams */);
    expect(summary.unmappedSources).toEqual([
      { what: 'fe80::66:ff:fe00:2', count: 1 },
      { what: '10.66.0.1', count: 14 },
      { what: 'fd66::1', count: 2 },
      { what: 'fd66::2', count: 1 },
    ]);
    expect(summary.unmappedDestinations).toEqual([{ what: '10.66.0.1', count: 9 }]);
    expect(formatReplaySummary(summary, 'x', 'y')).toMatch(
      /no node owns the source address[^\n]*\n +1 +fe80::66:ff:fe00:2\n +14 +10\.66\.0\.1\n/,
    );
    // Sent towards an address nobody owns: R1 has no route for it.
    expect(summary.dropReasons).toEqual([{ what: 'network unreachable', count: 9 }]);
  });

  it('replays a truncated capture up to the damage and says where', () => {
    const cut = CAPTURE.subarray(0, 3000);
    const inp = input(cut);
    expect(inp.damage).toBeDefined();
    expect(inp.damage!.afterFrame).toBe(inp.frames);
    expect(inp.frames).toBeGreaterThan(5);
    expect(inp.frames).toBeLessThan(29);
    const { summary } = replayCapture(TOPOLOGY, inp, { maps: MAPS });
    expect(summary.damage?.offset).toBe(inp.damage!.offset);
    expect(summary.injected).toBe(inp.datagrams.filter((d) => !d.src.startsWith('fe80:')).length);
    expect(summary.delivered).toBeGreaterThan(10);
    expect(formatReplaySummary(summary, 'x.pcap', 't.yaml')).toMatch(
      new RegExp(
        `The capture is damaged at byte ${inp.damage!.offset} \\(after frame ${inp.frames}\\): .*; replayed up to there`,
      ),
    );
  });
});

describe('replay through NAT', () => {
  // A (inside, 192.168.0.2) — R (masquerade out of eth1) — B (outside, 203.0.113.20).
  const NAT = parseTopology(`nodes:
  A: { kind: host, interfaces: { eth0: { ip: [192.168.0.2/24] } }, routes: [ { dst: default, via: 192.168.0.1 } ] }
  R: { kind: router, interfaces: { eth0: { ip: [192.168.0.1/24] }, eth1: { ip: [203.0.113.1/24] } }, nat: { masquerade: eth1 } }
  B: { kind: host, interfaces: { eth0: { ip: [203.0.113.20/24] } }, routes: [ { dst: default, via: 203.0.113.1 } ] }
links:
  - [A.eth0, R.eth0]
  - [R.eth1, B.eth0]
`);

  it('delivers A’s datagrams translated (matched by protocol and identification) and B’s back by the mapped route', () => {
    const { net, summary } = replayCapture(NAT, input(), {
      maps: [parseAddressMap('10.66.0.1=A'), parseAddressMap('10.66.0.2=B')],
    });
    const fromA4 = input().datagrams.filter((d) => d.src === '10.66.0.1');
    // One router: even the TTL 2 ping arrives (with TTL 1).
    expect(summary).toMatchObject({ injected: 23, delivered: 23, dropped: 0 });
    const atB = net
      .port('B.eth0')!
      .tap!.records.map((r) => r.data)
      .filter((f) => type(f) === 0x0800 && [...f.subarray(30, 34)].join('.') === '10.66.0.2');
    expect(atB.length).toBe(fromA4.length);
    // Masqueraded to R's address, except the non-first fragment: it has no ports to translate
    // (the simulator's NAT does not reassemble first, as Linux conntrack would).
    const sources = atB.map((f) => [...f.subarray(26, 30)].join('.'));
    expect(sources.filter((a) => a === '203.0.113.1')).toHaveLength(fromA4.length - 1);
    expect(sources.filter((a) => a === '10.66.0.1')).toHaveLength(1);
    const untranslated = atB[sources.indexOf('10.66.0.1')]!;
    expect(((untranslated[20]! << 8) | untranslated[21]!) & 0x1fff).toBe(185);
    expect(
      net.events.some((e) => /delivered \(replayed\) frame 12: 10\.66\.0\.1 → 10\.66\.0\.2 TCP/.test(e.text)),
    ).toBe(true);
  });
});

describe('the fixture as tshark reads it', () => {
  it('datagram fields match the tshark output committed beside the capture', () => {
    const tsv = readFileSync(`${ROOT}test/fixtures/replay/netns-replay.tshark.tsv`, 'utf8')
      .trim()
      .split('\n');
    const head = tsv[0]!.split('\t');
    const col = (row: string[], name: string) => row[head.indexOf(name)]!;
    const byFrame = new Map(input().datagrams.map((d) => [d.frame, d]));
    let checked = 0;
    for (const line of tsv.slice(1)) {
      const row = line.split('\t');
      const d = byFrame.get(Number(col(row, 'frame.number')));
      if (col(row, 'ip.src')) {
        expect(d, line).toBeDefined();
        expect([
          d!.src,
          d!.dst,
          String(d!.bytes[8]),
          `0x${d!.id.toString(16).padStart(4, '0')}`,
          String(d!.fragOffset / 8),
        ]).toEqual([
          col(row, 'ip.src'),
          col(row, 'ip.dst'),
          col(row, 'ip.ttl'),
          col(row, 'ip.id'),
          col(row, 'ip.frag_offset'),
        ]);
        checked++;
      } else if (col(row, 'ipv6.src')) {
        expect([d!.src, d!.dst, String(d!.bytes[7])]).toEqual([
          col(row, 'ipv6.src'),
          col(row, 'ipv6.dst'),
          col(row, 'ipv6.hlim'),
        ]);
        checked++;
      } else expect(d, line).toBeUndefined();
    }
    expect(checked).toBe(27);
  });
});
