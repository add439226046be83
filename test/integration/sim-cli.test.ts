// wirelens generate / simulate / route, run as the command (bin/wirelens.mjs).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wirelens } from './cli-helpers';

const dir = mkdtempSync(join(tmpdir(), 'wl-sim-cli-'));

const TOPOLOGY = `nodes:
  A: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0a", ip: [198.51.100.10/24] } }, routes: [ { dst: default, via: 198.51.100.1 } ] }
  sw: { kind: switch, ports: [p1, p2] }
  R: { kind: router, interfaces: { eth0: { ip: [198.51.100.1/24] }, eth1: { ip: [203.0.113.1/24] } } }
  B: { kind: host, interfaces: { eth0: { ip: [203.0.113.20/24] } }, routes: [ { dst: default, via: 203.0.113.1 } ] }
links:
  - [A.eth0, sw.p1]
  - [R.eth0, sw.p2]
  - { a: R.eth1, b: B.eth0, delay: 1ms, bandwidth: 1Gbps, loss: 0.0, mtu: 1500 }
taps: [A.eth0, B.eth0]
`;
const SCENARIO = `steps:
  - { at: 0.0, on: A, run: "ping -c 2 203.0.113.20" }
  - { at: 3.0, on: A, run: "arp -a" }
`;

describe('wirelens generate', () => {
  it('lists the presets, one line each', async () => {
    const r = await wirelens(['generate', '--list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    for (let i = 1; i <= 11; i++) expect(lines.some((l) => l.startsWith(`scenario-${i} `))).toBe(true);
  });

  it('writes a preset trace that wirelens reads back', async () => {
    const out = join(dir, 's6.pcapng');
    const r = await wirelens(['generate', 'scenario-6', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('From 192.168.1.1 icmp_seq=1 Destination Net Unreachable');
    expect(r.stdout).toMatch(/wrote .*s6\.pcapng: 23 packets from B\.eth0, A\.eth0/);
    const read = await wirelens(['read', out]);
    expect(read.code).toBe(0);
    expect(read.stdout).toContain('Who has 192.168.1.2? Tell 192.168.1.3');
  });

  it('runs a scenario file with --topology', async () => {
    writeFileSync(join(dir, 't.yaml'), TOPOLOGY);
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const r = await wirelens([
      'generate',
      join(dir, 's.yaml'),
      '--topology',
      join(dir, 't.yaml'),
      '-o',
      join(dir, 'g.pcapng'),
      '-q',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: \d+ packets from A\.eth0, B\.eth0\n$/);
  });

  it('exits 2 with the path and line of a topology problem', async () => {
    writeFileSync(join(dir, 'bad.yaml'), TOPOLOGY.replace('- [R.eth0, sw.p2]', '- [R.eth9, sw.p2]'));
    const r = await wirelens([
      'generate',
      join(dir, 's.yaml'),
      '--topology',
      join(dir, 'bad.yaml'),
      '-o',
      join(dir, 'x.pcapng'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('links[1][0]: no interface "eth9" on node "R" (line 8)');
    expect((await wirelens(['generate', 'no-such-preset', '-o', join(dir, 'x.pcapng')])).code).toBe(2);
    expect((await wirelens(['generate', 'scenario-3'])).stderr).toContain('-o OUT.pcapng');
  });
});

describe('wirelens simulate', () => {
  it('writes a pcapng per tapped interface, events.jsonl and the output', async () => {
    writeFileSync(join(dir, 't.yaml'), TOPOLOGY);
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const out = join(dir, 'run');
    const r = await wirelens([
      'simulate',
      join(dir, 't.yaml'),
      '--scenario',
      join(dir, 's.yaml'),
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');
    for (const f of ['A-eth0.pcapng', 'B-eth0.pcapng', 'events.jsonl', 'output.txt'])
      expect(existsSync(join(out, f))).toBe(true);
    const events = readFileSync(join(out, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; text: string; node: string });
    expect(
      events.some(
        (e) =>
          e.node === 'R' &&
          e.kind === 'forward' &&
          /203\.0\.113\.20 matches 203\.0\.113\.0\/24 dev eth1 \(only match\); TTL 64→63; ARP cache miss → who-has 203\.0\.113\.20/.test(
            e.text,
          ),
      ),
    ).toBe(true);
    const read = await wirelens(['read', join(out, 'B-eth0.pcapng')]);
    expect(read.stdout).toContain('Echo (ping) request');
  });

  it('exits 2 for a scenario naming a node the topology lacks', async () => {
    writeFileSync(join(dir, 's2.yaml'), 'steps:\n  - { at: 0, on: Z, run: "ping -c 1 1.2.3.4" }\n');
    const r = await wirelens([
      'simulate',
      join(dir, 't.yaml'),
      '--scenario',
      join(dir, 's2.yaml'),
      '--out',
      join(dir, 'r2'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('steps[0].on: no node "Z" in the topology');
  });

  it('names an option given without its value (simulate, generate, replay)', async () => {
    for (const args of [
      ['simulate', join(dir, 't.yaml'), '--out'],
      ['generate', 'scenario-1', '-o'],
      ['replay', 'x.pcap', '--topology', 'scenario-2', '--map'],
    ]) {
      const r = await wirelens(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(`wirelens: option ${args.at(-1)} needs a value`);
    }
  });
});

describe('wirelens route', () => {
  it('answers like ip route get, then shows why', async () => {
    writeFileSync(join(dir, 't.yaml'), TOPOLOGY);
    const r = await wirelens(['route', join(dir, 't.yaml'), 'A', '203.0.113.20']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('203.0.113.20 via 198.51.100.1 dev eth0 src 198.51.100.10');
    expect(r.stdout).toContain('it is the only match: the default route');
    const q = await wirelens(['route', 'scenario-4', 'Q', '128.75.43.16']);
    expect(q.stdout.split('\n')[0]).toBe('128.75.43.16 via 10.0.2.2 dev ethB src 10.0.2.1');
    expect(q.stdout).toContain('its prefix /25 is the longest of the 3 matches (/25, /24, /0)');
    const bad = await wirelens(['route', join(dir, 't.yaml'), 'sw', '1.2.3.4']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('sw is a switch');
  });
});
