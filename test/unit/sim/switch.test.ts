import { describe, expect, it } from 'vitest';
import { etherToString } from '../../../core/sim/addr';
import type { Switch } from '../../../core/sim/switch';
import { frames, output, run } from './helpers';

const THREE = `
nodes:
  A: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0a", ip: [10.0.0.1/24] } } }
  B: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0b", ip: [10.0.0.2/24] } } }
  C: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0c", ip: [10.0.0.3/24] } } }
  sw: { kind: switch, ports: [p1, p2, p3], ageing: 10s }
links:
  - [A.eth0, sw.p1]
  - [B.eth0, sw.p2]
  - [C.eth0, sw.p3]
taps: [A.eth0, B.eth0, C.eth0]
`;

const dst = (f: Uint8Array): string => etherToString(f, 0);

describe('switch', () => {
  it('floods the broadcast, learns, then forwards only to the learned port', () => {
    const n = run(THREE, [[0, 'A', 'ping -c 2 10.0.0.2']]);
    expect(output(n, 0)[1]).toMatch(/^64 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64/);
    // C hears only the ARP broadcast: the reply and the echoes go port to port.
    const c = frames(n, 'C.eth0');
    expect(c.map(dst)).toEqual(['ff:ff:ff:ff:ff:ff']);
    expect(frames(n, 'B.eth0').length).toBe(6);
    const sw = n.devices.get('sw') as Switch;
    expect(sw.macTable().map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      '02:00:00:00:00:0a dev p1',
      '02:00:00:00:00:0b dev p2',
    ]);
    const kinds = n.events.filter((e) => e.node === 'sw').map((e) => e.kind);
    expect(kinds.slice(0, 3)).toEqual(['learn', 'flood', 'learn']);
    expect(kinds).toContain('forward');
  });

  it('floods unknown unicast once entries have aged out', () => {
    const n = run(THREE, [
      [0, 'A', 'ping -c 1 10.0.0.2'],
      [20, 'A', 'ping -c 1 10.0.0.2'],
    ]);
    const c = frames(n, 'C.eth0');
    // The ARP broadcast, then the echo request to B's (forgotten) MAC.
    expect(c.map(dst)).toEqual(['ff:ff:ff:ff:ff:ff', '02:00:00:00:00:0b']);
    expect(
      n.events.some((e) => e.kind === 'flood' && /unknown destination 02:00:00:00:00:0b/.test(e.text)),
    ).toBe(true);
  });

  it('keeps VLANs apart and tags frames on trunks (802.1Q)', () => {
    const topo = `
nodes:
  A: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0a", ip: [10.0.0.1/24] } } }
  B: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0b", ip: [10.0.0.2/24] } } }
  X: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0c", ip: [10.0.0.3/24] } } }
  s1: { kind: switch, ports: { a: { vlan: 10 }, x: { vlan: 20 }, t: { trunk: [10, 20] } } }
  s2: { kind: switch, ports: { b: { vlan: 10 }, t: { trunk: [10, 20] } } }
links:
  - [A.eth0, s1.a]
  - [X.eth0, s1.x]
  - { a: s1.t, b: s2.t }
  - [B.eth0, s2.b]
taps: [A.eth0, X.eth0, s1.t, B.eth0]
`;
    const n = run(topo, [[0, 'A', 'ping -c 1 10.0.0.2']]);
    expect(output(n, 0)[1]).toMatch(/^64 bytes from 10\.0\.0\.2/);
    // X is in VLAN 20: it hears nothing of VLAN 10.
    expect(frames(n, 'X.eth0')).toEqual([]);
    const trunk = frames(n, 's1.t');
    expect(trunk.length).toBe(4);
    for (const f of trunk) {
      expect([f[12], f[13]]).toEqual([0x81, 0x00]);
      expect(((f[14]! << 8) | f[15]!) & 0xfff).toBe(10);
    }
    // Access ports carry untagged frames.
    for (const f of frames(n, 'B.eth0')) expect(f[12]).not.toBe(0x81);
  });
});

describe('hub', () => {
  it('repeats every frame to every other port', () => {
    const topo = `
nodes:
  A: { kind: host, interfaces: { eth0: { ip: [10.0.0.1/24] } } }
  B: { kind: host, interfaces: { eth0: { ip: [10.0.0.2/24] } } }
  C: { kind: host, interfaces: { eth0: { ip: [10.0.0.3/24] } } }
  hub: { kind: hub, ports: [h1, h2, h3] }
links:
  - [A.eth0, hub.h1]
  - [B.eth0, hub.h2]
  - [C.eth0, hub.h3]
taps: [C.eth0, B.eth0]
`;
    const n = run(topo, [[0, 'A', 'ping -c 2 10.0.0.2']]);
    // C sees the whole conversation: ARP request and reply, 2 requests, 2 replies.
    expect(frames(n, 'C.eth0').length).toBe(6);
    expect(frames(n, 'B.eth0').length).toBe(6);
    expect(n.events.some((e) => e.node === 'C' && e.kind === 'drop' && /not addressed to/.test(e.text))).toBe(
      true,
    );
  });
});
