// The seed scenarios that run without the applications, checked for what SEEDS.md says they
// show: 3 (flooding, then learned forwarding, ageing), 4 (the quiz by longest-prefix match),
// 5 (the two-NIC host), 6 (fails before the host route, succeeds after, with the ARP exchange).
import { describe, expect, it } from 'vitest';
import { loadPreset, simulate } from '../../core/sim';
import { etherToString, ip4Text, read16, read32 } from '../../core/sim/addr';
import type { Network } from '../../core/sim/network';

function brief(f: Uint8Array): string {
  const type = read16(f, 12);
  if (type === 0x0806) {
    return read16(f, 20) === 1
      ? `ARP who-has ${ip4Text(read32(f, 38))} tell ${ip4Text(read32(f, 28))}`
      : `ARP ${ip4Text(read32(f, 28))} is-at ${etherToString(f, 22)}`;
  }
  const icmp = f[23] === 1 ? ` ICMP ${f[34]}` : '';
  return `${ip4Text(read32(f, 26))} > ${ip4Text(read32(f, 30))}${icmp} to ${etherToString(f, 0)}`;
}

const seen = (n: Network, ep: string): string[] => n.port(ep)!.tap!.records.map((r) => brief(r.data));

describe('scenario-3: switch flooding, learning, ageing; hub repeating', () => {
  const n = simulate(loadPreset('scenario-3')!);
  it('C (another port of the switch) hears the broadcast and, after ageing, the flooded unknown unicast only', () => {
    expect(seen(n, 'C.eth0')).toEqual([
      'ARP who-has 192.168.0.11 tell 192.168.0.10',
      '192.168.0.10 > 192.168.0.11 ICMP 8 to 02:00:00:00:00:0b',
      'ARP who-has 192.168.0.14 tell 192.168.0.13',
    ]);
  });
  it('the switch learns, floods, forwards, and filters D↔E (same port, behind the hub)', () => {
    const sw = n.events.filter((e) => e.node === 'sw');
    expect(sw[0]!.text).toBe('sw: learned 02:00:00:00:00:0a on p1, VLAN 1');
    expect(sw[1]!.text).toBe('sw: broadcast in VLAN 1 → flooded to p2, p3, p4');
    expect(
      sw.some((e) => e.kind === 'forward' && e.text.startsWith('sw: 02:00:00:00:00:0b known on p2')),
    ).toBe(true);
    expect(
      sw.some(
        (e) => e.kind === 'drop' && /02:00:00:00:00:0e is on the arrival port p4: filtered/.test(e.text),
      ),
    ).toBe(true);
  });
  it('the hub repeats D↔E to everything on it', () => {
    expect(seen(n, 'E.eth0').filter((l) => l.startsWith('192.168.0.13'))).toEqual([
      '192.168.0.13 > 192.168.0.14 ICMP 8 to 02:00:00:00:00:0e',
    ]);
    expect(seen(n, 'D.eth0')).toContain('192.168.0.10 > 192.168.0.11 ICMP 8 to 02:00:00:00:00:0b');
  });
});

describe('scenario-4: the routing quiz', () => {
  const n = simulate(loadPreset('scenario-4')!);
  it('each destination leaves by the longest matching prefix', () => {
    expect(seen(n, 'Q.ethB')).toContain(
      '10.0.0.2 > 128.75.43.16 ICMP 8 to ' + etherToString(n.port('B.eth0')!.mac, 0),
    );
    expect(seen(n, 'Q.ethA').some((l) => l.startsWith('10.0.0.2 > 128.75.43.200 ICMP 8'))).toBe(true);
    expect(seen(n, 'Q.ethC').some((l) => l.startsWith('10.0.0.2 > 192.12.17.5 ICMP 8'))).toBe(true);
    expect(seen(n, 'Q.ethD').some((l) => l.startsWith('10.0.0.2 > 192.12.17.10 ICMP 8'))).toBe(true);
    expect(seen(n, 'Q.ethA').some((l) => l.includes('128.75.43.16'))).toBe(false);
    for (const r of n.runs.filter((r) => r.command.startsWith('ping')))
      expect(r.output[1]).toMatch(/^64 bytes from .*ttl=63/);
    expect(n.runs[1]!.output).toEqual(['128.75.43.16 via 10.0.2.2 dev ethB src 10.0.2.1']);
    expect(n.runs[2]!.output).toEqual(['192.12.17.10 via 10.0.4.2 dev ethD src 10.0.4.1']);
  });
});

describe('scenario-5: the two-NIC host', () => {
  const n = simulate(loadPreset('scenario-5')!);
  it('prints the route table with U and UG flags', () => {
    expect(n.runs[0]!.output).toEqual([
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         192.168.10.1    0.0.0.0         UG    0      0        0 eth0',
      '192.168.10.0    0.0.0.0         255.255.255.0   U     0      0        0 eth0',
      '192.168.56.0    0.0.0.0         255.255.255.0   U     0      0        0 eth1',
    ]);
    expect(n.runs[2]!.output).toEqual(['192.168.56.3 dev eth1 src 192.168.56.136']);
    expect(n.runs[3]!.output).toEqual(['202.10.1.2 via 192.168.10.1 dev eth0 src 192.168.10.223']);
  });
  it('192.168.56.3 leaves eth1 directly; 202.10.1.2 goes to the gateway on eth0', () => {
    expect(seen(n, 'H.eth1')).toContain(
      '192.168.56.136 > 192.168.56.3 ICMP 8 to ' + etherToString(n.port('V.eth0')!.mac, 0),
    );
    expect(seen(n, 'H.eth0')).toContain('ARP who-has 192.168.10.1 tell 192.168.10.223');
    expect(seen(n, 'H.eth0')).toContain(
      '192.168.10.223 > 202.10.1.2 ICMP 8 to ' + etherToString(n.port('GW.eth0')!.mac, 0),
    );
    expect(seen(n, 'H.eth0').some((l) => l.includes('192.168.56.3'))).toBe(false);
  });
});

describe('scenario-6: the secondary address', () => {
  const n = simulate(loadPreset('scenario-6')!);
  it('fails before the host route, succeeds after', () => {
    expect(n.runs[2]!.output).toContain('From 192.168.1.1 icmp_seq=1 Destination Net Unreachable');
    expect(n.runs[2]!.status).toBe(1);
    expect(n.runs[4]!.output.at(-1)).toBe(
      '192.168.1.55    192.168.1.2     255.255.255.255 UGH   0      0        0 eth0',
    );
    expect(n.runs[5]!.output.filter((l) => l.startsWith('64 bytes from 192.168.1.55'))).toHaveLength(3);
  });
  it("B sees what the seed's tcpdump shows: A asking for the gateway, then for B, B's reply, and the echoes", () => {
    const b = seen(n, 'B.eth0');
    const A = '02:42:c0:a8:01:03';
    const B = '02:43:ac:11:00:02';
    expect(b).toEqual([
      'ARP who-has 192.168.1.1 tell 192.168.1.3',
      'ARP who-has 192.168.1.2 tell 192.168.1.3',
      `ARP 192.168.1.2 is-at ${B}`,
      `192.168.1.3 > 192.168.1.55 ICMP 8 to ${B}`,
      `192.168.1.55 > 192.168.1.3 ICMP 0 to ${A}`,
      `192.168.1.3 > 192.168.1.55 ICMP 8 to ${B}`,
      `192.168.1.55 > 192.168.1.3 ICMP 0 to ${A}`,
      `192.168.1.3 > 192.168.1.55 ICMP 8 to ${B}`,
      `192.168.1.55 > 192.168.1.3 ICMP 0 to ${A}`,
    ]);
  });
});
