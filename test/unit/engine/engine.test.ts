// The in-process Engine on real captures: open, rows, packet details, revisits, damage, cancel,
// colouring (compared with tshark 4.0's `--color` rule names where tshark is installed).
import { TCPDUMP_TESTS } from '../../helpers/paths';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createCaptureWriter } from '../../../core/capture';
import { Dissection } from '../../../core/dissect/dissection';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Engine } from '../../../core/engine/engine';
import type { EngineEvent, TreeNodeDTO } from '../../../core/engine/api';
import { hasTshark, readClassicPcap } from '../../helpers/decode';

const FIXTURE = new URL('../../fixtures/captures/netns-mixed.pcap', import.meta.url).pathname;
const FIXTURE_NG = new URL('../../fixtures/captures/netns-mixed.pcapng', import.meta.url).pathname;

/** A capture of `n` packets made by repeating the fixture's packets (for cancel and memory). */
function bigCapture(n: number): Uint8Array {
  const recs = readClassicPcap(FIXTURE);
  const chunks: Uint8Array[] = [];
  const w = createCaptureWriter((c) => chunks.push(c.slice()), 'pcap');
  w.addInterface({ linkType: 1, snapLen: 262144 });
  for (let i = 0; i < n; i++) {
    const r = recs[i % recs.length]!;
    w.writePacket({
      interfaceId: 0,
      tsSec: 1_700_000_000 + Math.floor(i / 1000),
      tsNsec: (i % 1000) * 1000,
      data: r.data,
    });
  }
  w.close();
  return Buffer.concat(chunks);
}

describe('Engine', () => {
  it('opens a real capture: summary, rows and interfaces', async () => {
    const e = new Engine();
    const s = await e.openFile(FIXTURE);
    const recs = readClassicPcap(FIXTURE);
    expect(s.packets).toBe(recs.length);
    expect(s.name).toBe('netns-mixed.pcap');
    expect(s.format).toBe('pcap');
    expect(s.bytes).toBe(recs.reduce((a, r) => a + r.meta.capLen, 0));
    expect(s.interfaces).toHaveLength(1);
    expect(s.interfaces[0]!.linkType).toBe(1);
    expect(s.damage).toBeUndefined();
    expect(await e.info()).toEqual(s);
    const rows = await e.rows(0, 1000);
    expect(rows).toHaveLength(recs.length);
    expect(rows.map((r) => r.number)).toEqual(recs.map((_, i) => i + 1));
    expect(rows.map((r) => r.length)).toEqual(recs.map((r) => r.meta.origLen));
    expect(rows[0]!.time).toBe(0);
    // Relative times as tshark prints them (microseconds in this capture).
    for (let i = 0; i < recs.length; i++)
      expect(rows[i]!.time * 1e9).toBeCloseTo(recs[i]!.meta.relativeNs, -3);
    // A window in the middle and past the end.
    expect((await e.rows(5, 3)).map((r) => r.number)).toEqual([6, 7, 8]);
    expect(await e.rows(recs.length, 10)).toEqual([]);
  });

  it('pcap and pcapng of the same packets give the same rows', async () => {
    const a = new Engine();
    const b = new Engine();
    await a.openFile(FIXTURE);
    const sb = await b.openFile(FIXTURE_NG);
    expect(sb.format).toBe('pcapng');
    const strip = (rows: Awaited<ReturnType<Engine['rows']>>) =>
      rows.map((r) => ({ ...r, time: Math.round(r.time * 1e6) }));
    expect(strip(await b.rows(0, 100))).toEqual(strip(await a.rows(0, 100)));
  });

  it('a revisit (rows in any order) gives the columns of a first, in-order pass', async () => {
    const e = new Engine();
    await e.openFile(FIXTURE);
    // Reference: one in-order pass with columns, like `wirelens read`.
    const recs = readClassicPcap(FIXTURE);
    const state = new CaptureState();
    const p = new Dissection();
    const first = recs.map((r) => {
      dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p);
      return { protocol: p.cols.protocol, info: p.cols.info, source: p.cols.src, destination: p.cols.dst };
    });
    const n = recs.length;
    const backwards = [];
    for (let i = n - 1; i >= 0; i--) backwards.unshift((await e.rows(i, 1))[0]!);
    const again = await e.rows(0, n);
    // Like Wireshark's second pass, a revisit may add what only later packets tell
    // (an echo request's "(reply in N)"); everything else is what the first pass showed.
    const revisitOnly = / \(reply in \d+\)$/;
    for (const rows of [backwards, again]) {
      const cols = rows.map((r) => ({
        protocol: r.protocol,
        info: r.info.replace(revisitOnly, ''),
        source: r.source,
        destination: r.destination,
      }));
      expect(cols).toEqual(first);
    }
    expect(again).toEqual(backwards);
  });

  it('packet(n): the tree with byte ranges, the frame bytes, and issues', async () => {
    const e = new Engine();
    await e.openFile(FIXTURE);
    const recs = readClassicPcap(FIXTURE);
    for (const n of [1, 2, recs.length]) {
      const d = await e.packet(n);
      expect(d.number).toBe(n);
      expect(d.tree[0]!.label).toMatch(
        new RegExp(`^Frame ${n}: ${recs[n - 1]!.meta.origLen} bytes on wire \\(\\d+ bits\\)`),
      );
      expect(Buffer.from(d.sources[0]!.base64, 'base64')).toEqual(Buffer.from(recs[n - 1]!.data));
      const walk = (nodes: TreeNodeDTO[]) => {
        for (const x of nodes) {
          const len = Buffer.from(d.sources[x.ds ?? 0]!.base64, 'base64').length;
          expect(x.start).toBeGreaterThanOrEqual(0);
          expect(x.end).toBeLessThanOrEqual(len);
          expect(x.end).toBeGreaterThanOrEqual(x.start);
          if (x.children) walk(x.children);
        }
      };
      walk(d.tree);
      expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    }
    // The ARP request's tree has an Ethernet layer whose range is the 14-byte header or more.
    const arp = await e.packet(2);
    const ethNode = arp.tree.find((x) => x.field === 'eth');
    expect(ethNode?.start).toBe(0);
    await expect(e.packet(0)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(e.packet(recs.length + 1)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('a truncated file opens up to the damage and info().damage says where', async () => {
    const bytes = readFileSync(FIXTURE);
    const recs = readClassicPcap(FIXTURE);
    // Cut the last record in its middle.
    const cut = bytes.subarray(0, bytes.length - 10);
    const e = new Engine();
    const s = await e.openBytes('cut.pcap', cut);
    expect(s.packets).toBe(recs.length - 1);
    expect(s.damage).toBeDefined();
    const lastRecordOffset = bytes.length - 16 - recs[recs.length - 1]!.meta.capLen;
    expect(s.damage!.offset).toBe(lastRecordOffset);
    expect(s.damage!.reason.length).toBeGreaterThan(10);
    expect((await e.info())!.damage).toEqual(s.damage);
    // The packets before the damage are all there.
    expect((await e.rows(0, 100)).length).toBe(recs.length - 1);
  });

  it('rejects a file that is not a capture with a user-facing error', async () => {
    const e = new Engine();
    await expect(
      e.openBytes('notes.txt', new TextEncoder().encode('hello, this is not a capture file\n')),
    ).rejects.toMatchObject({
      code: 'not-a-capture',
    });
    await expect(e.rows(0, 1)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('reports progress and can be cancelled while opening', async () => {
    const bytes = bigCapture(100_000);
    const e = new Engine({ progressIntervalMs: 0 });
    const events: EngineEvent[] = [];
    e.onEvent((ev) => events.push(ev));
    const opening = e.openBytes('big.pcap', bytes);
    await new Promise((r) => setTimeout(r, 20));
    await e.cancel();
    await expect(opening).rejects.toMatchObject({ code: 'cancelled' });
    expect(await e.info()).toBeNull();
    expect(events.length).toBeGreaterThan(0);
    // The engine still works afterwards.
    const s = await e.openFile(FIXTURE);
    expect(s.packets).toBeGreaterThan(0);
    const opens = events.flatMap((ev) => (ev.type === 'progress' ? [ev.progress] : []));
    const last = opens[opens.length - 1]!;
    expect(last.bytesRead).toBe(last.totalBytes);
  });

  it('keeps per-packet data compact: 50k packets in well under 100 bytes each', async () => {
    const bytes = bigCapture(50_000);
    const e = new Engine({ yieldDuringOpen: false });
    const s = await e.openBytes('big.pcap', bytes);
    expect(s.packets).toBe(50_000);
    // The index arrays (doubling) stay below 2 × 37 bytes per packet.
    expect(e.indexBytes / s.packets).toBeLessThan(80);
    const rows = await e.rows(49_990, 20);
    expect(rows).toHaveLength(10);
    expect(rows[9]!.number).toBe(50_000);
  });

  it.skipIf(!hasTshark)("colours rows with Wireshark's default rules like tshark --color", async () => {
    const e = new Engine();
    await e.openFile(FIXTURE);
    const names = execFileSync(
      'tshark',
      ['-r', FIXTURE, '--color', '-T', 'fields', '-e', 'frame.coloring_rule.name'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
      .trimEnd()
      .split('\n');
    const rows = await e.rows(0, names.length);
    const mismatches: string[] = [];
    rows.forEach((r, i) => {
      // HTTP needs the HTTP dissector (tshark finds it on ports 8000/8080): not decoded yet.
      if (names[i] === 'HTTP') return;
      if ((r.color?.name ?? '') !== names[i]) mismatches.push(`${i + 1}: ${r.color?.name} vs ${names[i]}`);
    });
    expect(mismatches).toEqual([]);
    const arp = rows.find((r) => r.color?.name === 'ARP')!;
    // colorfilters lists [background][foreground]: ARP is dark text on a light background.
    expect(arp.color).toEqual({ name: 'ARP', fg: '#12272e', bg: '#faf0d7' });
  });

  it.skipIf(!existsSync(new URL('../../../core/engine/demo.ts', import.meta.url)))(
    'openDemo opens the built-in demo capture (pcapng written with the capture writer)',
    async () => {
      const { buildDemoFrames } = await import('../../../core/engine/demo');
      const demo = buildDemoFrames();
      const e = new Engine();
      const s = await e.openDemo();
      expect(s.name).toBe('demo.pcapng');
      expect(s.format).toBe('pcapng');
      expect(s.packets).toBe(demo.frames.length);
      expect(s.interfaces[0]!.linkType).toBe(demo.linkType);
      const rows = await e.rows(0, s.packets);
      expect(rows.map((r) => r.length)).toEqual(demo.frames.map((f) => f.data.length));
      const d = await e.packet(1);
      expect(Buffer.from(d.sources[0]!.base64, 'base64')).toEqual(Buffer.from(demo.frames[0]!.data));
    },
  );

  it('opens every tcpdump-tests capture without throwing past a packet', async () => {
    const files = ['802.1ad_QinQ.pcap', 'IGMP_V2.pcap', '3560_CDP.pcap', 'bigtcp-ipv4-vxlan-ipv4.pcap'];
    const e = new Engine({ yieldDuringOpen: false });
    for (const f of files) {
      const s = await e.openFile(`${TCPDUMP_TESTS}/${f}`);
      const rows = await e.rows(0, s.packets);
      expect(rows).toHaveLength(s.packets);
      if (s.packets) await e.packet(s.packets);
    }
  });
});
