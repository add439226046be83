import { describe, expect, it } from 'vitest';
import { encodeEthernet, parseEthernet } from '../../../core/protocols/eth';
import { parseArp } from '../../../core/protocols/arp';
import { parseIpv4 } from '../../../core/protocols/ip';
import { parseIcmp } from '../../../core/protocols/icmp';
import { internetChecksum } from '../../../core/protocols/checksum';
import { ethFrame } from '../../../core/sim/host';
import { parseScenario } from '../../../core/sim/topology';
import { parseEther } from '../../../core/sim/addr';
import { LAN, frames, net, output, run } from './helpers';

const ip = (f: Uint8Array) => parseIpv4(parseEthernet(f)!.payload)!;

describe('host: ARP', () => {
  it('asks by broadcast, learns the answer, and both frames are well-formed 60-byte frames', () => {
    const n = run(LAN, [[0, 'A', 'ping -c 1 10.0.0.2']]);
    const [req, rep] = frames(n, 'A.eth0');
    expect(req!.length).toBe(60);
    const e = parseEthernet(req!)!;
    expect(e.repr).toEqual({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', type: 0x0806 });
    expect(parseArp(e.payload)!.repr).toMatchObject({
      opcode: 1,
      senderMac: '02:00:00:00:00:0a',
      senderIp: '10.0.0.1',
      targetMac: '00:00:00:00:00:00',
      targetIp: '10.0.0.2',
    });
    expect(parseArp(parseEthernet(rep!)!.payload)!.repr).toMatchObject({
      opcode: 2,
      senderMac: '02:00:00:00:00:0b',
      senderIp: '10.0.0.2',
      targetMac: '02:00:00:00:00:0a',
      targetIp: '10.0.0.1',
    });
    expect(n.host('A')!.arpTable()).toEqual(['? (10.0.0.2) at 02:00:00:00:00:0b [ether] on eth0']);
    // B learned A from the request (RFC 826), so its reply needed no ARP of its own.
    expect(n.host('B')!.arpTable()).toEqual(['? (10.0.0.1) at 02:00:00:00:00:0a [ether] on eth0']);
  });

  it('retries 3 times a second apart, then reports Destination Host Unreachable', () => {
    const n = run(LAN, [[0, 'A', 'ping -c 1 10.0.0.9']]);
    const reqs = n.port('A.eth0')!.tap!.records;
    expect(reqs.map((r) => r.time / 1e9)).toEqual([0, 1, 2]);
    expect(output(n, 0)).toContain('From 10.0.0.1 icmp_seq=1 Destination Host Unreachable');
    expect(output(n, 0)).toContain(
      '1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 3000ms',
    );
    expect(n.runs[0]!.status).toBe(1);
  });

  it('expires entries after the ARP timeout and asks again; arp -d forgets at once', () => {
    const topo = LAN.replace(
      'routes: [ { dst: default, via: 10.0.0.254 } ] }',
      'routes: [ { dst: default, via: 10.0.0.254 } ], arp: { timeout: 5s } }',
    );
    const n = run(topo, [
      [0, 'A', 'ping -c 1 10.0.0.2'],
      [2, 'A', 'ping -c 1 10.0.0.2'],
      [10, 'A', 'ping -c 1 10.0.0.2'],
      [11, 'A', 'arp -d 10.0.0.2'],
      [12, 'A', 'arp -a'],
    ]);
    const arps = frames(n, 'A.eth0').filter((f) => f[12] === 0x08 && f[13] === 0x06 && f[21] === 1);
    expect(arps.length).toBe(2);
    expect(output(n, 4)).toEqual([]);
  });
});

describe('host and router: IPv4', () => {
  it('forwards: new MACs per hop, TTL down by one, header checksum recomputed', () => {
    const n = run(LAN, [[0, 'A', 'ping -c 1 192.0.2.5']]);
    expect(output(n, 0)[1]).toMatch(/^64 bytes from 192\.0\.2\.5: icmp_seq=1 ttl=63 time=/);
    const s = frames(n, 'S.eth0');
    // R asks for S first, then the echo request arrives with R's MAC as source.
    expect(parseArp(parseEthernet(s[0]!)!.payload)!.repr.targetIp).toBe('192.0.2.5');
    const echo = s.find((f) => f[12] === 0x08 && f[13] === 0x00)!;
    expect(parseEthernet(echo)!.repr.src).toBe('02:00:00:00:01:fe');
    const h = ip(echo);
    expect(h.repr.ttl).toBe(63);
    expect(h.repr.df).toBe(true);
    expect(internetChecksum(parseEthernet(echo)!.payload, 0, 20)).toBe(0);
    const a = frames(n, 'A.eth0').filter((f) => f[12] === 0x08 && f[13] === 0x00);
    expect(ip(a[0]!).repr.ttl).toBe(64);
    expect(ip(a[1]!).repr.ttl).toBe(63);
    // Echo replies go without DF, as Linux sends them.
    expect(ip(a[1]!).repr.df).toBe(false);
    const ev = n.events.find((e) => e.node === 'R' && e.kind === 'forward')!;
    expect(ev.text).toBe(
      'R: 192.0.2.5 matches 192.0.2.0/24 dev eth1 (only match); TTL 64→63; ARP cache miss → who-has 192.0.2.5',
    );
  });

  it('sends time exceeded for TTL 1 and port unreachable for a closed UDP port, quoting the datagram', () => {
    const n = run(LAN, [
      [0, 'A', 'ping -c 1 -t 1 192.0.2.5'],
      [1, 'A', 'echo hi | nc -u -w1 -p 40000 192.0.2.5 9'],
    ]);
    expect(output(n, 0)).toContain('From 10.0.0.254 icmp_seq=1 Time to live exceeded');
    const icmps = frames(n, 'A.eth0')
      .filter((f) => f[12] === 0x08 && f[23] === 1)
      .map((f) => ip(f));
    const te = icmps.find((p) => p.repr.src === '10.0.0.254')!;
    expect(parseIcmp(te.payload)!.repr).toMatchObject({ type: 11, code: 0 });
    expect(te.repr.dscp).toBe(0x30); // TOS 0xc0, as Linux sends ICMP errors
    expect(te.payload.length).toBe(8 + 84); // the whole 84-byte datagram quoted
    const pu = icmps.find((p) => p.repr.src === '192.0.2.5')!;
    expect(parseIcmp(pu.payload)!.repr).toMatchObject({ type: 3, code: 3 });
    const quoted = parseIpv4(parseIcmp(pu.payload)!.payload)!;
    expect(quoted.repr.ttl).toBe(63);
    expect(quoted.repr.protocol).toBe(17);
  });

  it('answers net unreachable when the router has no route', () => {
    const n = run(LAN, [[0, 'A', 'ping -c 1 203.0.113.1']]);
    expect(output(n, 0)).toContain('From 10.0.0.254 icmp_seq=1 Destination Net Unreachable');
  });

  it('fragments above the MTU without DF and reassembles; refuses with DF (fragmentation needed)', () => {
    const topo = LAN.replace('- [R.eth1, S.eth0]', '- { a: R.eth1, b: S.eth0, mtu: 576 }');
    const n = run(topo, [
      [0, 'A', 'ping -c 1 -s 1000 -M dont 192.0.2.5'],
      [2, 'A', 'ping -c 1 -s 1000 192.0.2.5'],
    ]);
    expect(output(n, 0)[1]).toMatch(/^1008 bytes from 192\.0\.2\.5: icmp_seq=1 ttl=63/);
    const frags = frames(n, 'S.eth0')
      .filter((f) => f[12] === 0x08 && f[13] === 0x00)
      .map((f) => ip(f).repr)
      .filter((r) => r.src === '10.0.0.1');
    // 1028 bytes (20 + 8 + 1000) over MTU 576: 552 data bytes per fragment (a multiple of 8).
    expect(frags.map((r) => [r.fragmentOffset, r.mf, r.totalLength])).toEqual([
      [0, true, 572],
      [552, false, 20 + 1008 - 552],
    ]);
    expect(output(n, 1)).toContain('From 10.0.0.254 icmp_seq=1 Frag needed and DF set (mtu = 576)');
  });

  it('refuses locally with DF set when the datagram exceeds its own MTU (ping -M do)', () => {
    const topo = LAN.replace('- [A.eth0, sw.p1]', '- { a: A.eth0, b: sw.p1, mtu: 1000 }');
    const n = run(topo, [[0, 'A', 'ping -c 1 -s 1400 -M do 10.0.0.2']]);
    expect(output(n, 0)).toContain('ping: local error: message too long, mtu=1000');
  });

  it('masquerades and forwards ports (NAT)', () => {
    const topo = `
nodes:
  I: { kind: host, interfaces: { eth0: { ip: [192.168.0.2/24] } }, routes: [ { dst: default, via: 192.168.0.1 } ] }
  N:
    kind: router
    interfaces: { in: { ip: [192.168.0.1/24] }, out: { ip: [198.51.100.1/24] } }
    nat: { masquerade: out, forward: [ { proto: udp, port: 5353, to: "192.168.0.2:53" } ] }
  O: { kind: host, interfaces: { eth0: { ip: [198.51.100.9/24] } } }
links:
  - [I.eth0, N.in]
  - [N.out, O.eth0]
taps: [O.eth0, I.eth0]
`;
    const n = net(topo);
    const got: string[] = [];
    const sock = n.host('I')!.udp.bind(53);
    sock.onMessage = (data, from) => {
      got.push(`${from.address}:${from.port} ${new TextDecoder().decode(data)}`);
      sock.send(from.address, from.port, new TextEncoder().encode('pong'));
    };
    n.runScenario(
      parseScenario(`steps:
  - { at: 0, on: I, run: "ping -c 1 198.51.100.9" }
  - { at: 1, on: O, run: "echo ping | nc -u -w1 -p 7000 198.51.100.1 5353" }
`),
    );
    expect(n.runs[0]!.output[1]).toMatch(/^64 bytes from 198\.51\.100\.9/);
    const outside = frames(n, 'O.eth0')
      .filter((f) => f[12] === 0x08 && f[13] === 0x00)
      .map((f) => ip(f).repr);
    expect(outside[0]!.src).toBe('198.51.100.1');
    expect(got).toEqual(['198.51.100.9:7000 ping\n']);
    expect(n.runs[1]!.output).toEqual(['pong']);
    // Every translated datagram still has valid checksums.
    for (const f of frames(n, 'O.eth0').concat(frames(n, 'I.eth0'))) {
      if (f[12] !== 0x08 || f[13] !== 0x00) continue;
      const p = parseEthernet(f)!.payload;
      expect(internetChecksum(p, 0, 20)).toBe(0);
    }
  });
});

describe('host: IPv6', () => {
  it('resolves with neighbour solicitation/advertisement and answers ping', () => {
    const topo = `
nodes:
  A: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0a", ip: [2001:db8::1/64] } } }
  B: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0b", ip: [2001:db8::2/64] } } }
links:
  - [A.eth0, B.eth0]
taps: [A.eth0]
`;
    const n = run(topo, [[0, 'A', 'ping -c 1 2001:db8::2']]);
    expect(output(n, 0)[0]).toBe('PING 2001:db8::2(2001:db8::2) 56 data bytes');
    expect(output(n, 0)[1]).toMatch(/^64 bytes from 2001:db8::2: icmp_seq=1 ttl=64 time=/);
    const f = frames(n, 'A.eth0');
    expect(parseEthernet(f[0]!)!.repr.dst).toBe('33:33:ff:00:00:02');
    expect(f[0]![14 + 40]).toBe(135);
    expect(f[1]![14 + 40]).toBe(136);
    expect(f[2]![14 + 40]).toBe(128);
    expect(f[3]![14 + 40]).toBe(129);
  });
});

describe('frames', () => {
  it('ethFrame builds what encodeEthernet builds', () => {
    const payload = new Uint8Array([1, 2, 3]);
    const a = ethFrame(parseEther('02:00:00:00:00:01')!, parseEther('02:00:00:00:00:02')!, 0x0800, payload);
    expect(a).toEqual(
      encodeEthernet({ dst: '02:00:00:00:00:01', src: '02:00:00:00:00:02', type: 0x0800 }, payload),
    );
  });
});

describe('hot-path builders', () => {
  it('ipv4Datagram writes the bytes encodeIpv4 builds', async () => {
    const { ipv4Datagram } = await import('../../../core/sim/host');
    const { encodeIpv4 } = await import('../../../core/protocols/ip');
    const { ip4 } = await import('../../../core/sim/addr');
    const payload = new Uint8Array([8, 0, 1, 2, 3]);
    for (const [ttl, id, df, tos] of [
      [64, 0x1234, true, 0],
      [1, 0xffff, false, 0xc0],
      [255, 0, false, 0x2e],
    ] as const) {
      expect(ipv4Datagram(ip4('10.0.0.1')!, ip4('192.0.2.200')!, 1, payload, ttl, id, df, tos)).toEqual(
        encodeIpv4(
          { src: '10.0.0.1', dst: '192.0.2.200', protocol: 1, ttl, id, df, dscp: tos >> 2, ecn: tos & 3 },
          payload,
        ),
      );
    }
  });

  it('the benchmark topology connects every host (200 hosts, 20 switches, 4 routers)', async () => {
    const { benchTopology } = await import('../../../core/sim/bench');
    const spec = benchTopology();
    const kinds = Object.values(spec.nodes).map((n) => n.kind);
    expect(kinds.filter((k) => k === 'host').length).toBe(200);
    expect(kinds.filter((k) => k === 'switch').length).toBe(20);
    expect(kinds.filter((k) => k === 'router').length).toBe(4);
    const { Network } = await import('../../../core/sim/network');
    const n = new Network(spec);
    // H0 (10.1.0.10) to the last LAN: four routers on the way, so TTL 64 arrives as 60.
    n.runCommand('H0', 'ping -c 1 10.4.0.59');
    n.kernel.run();
    expect(n.runs[0]!.output[1]).toMatch(/^64 bytes from 10\.4\.0\.59: icmp_seq=1 ttl=60/);
  });
});

describe('configuration for applications (DHCP)', () => {
  it('broadcasts from 0.0.0.0 on an interface, receives unicast before having an address, then configures it', () => {
    const topo = `
nodes:
  C: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0c" } } }
  S: { kind: host, interfaces: { eth0: { ip: [10.0.0.1/24] } } }
links:
  - [C.eth0, S.eth0]
taps: [C.eth0]
`;
    const n = net(topo);
    const c = n.host('C')!;
    const s = n.host('S')!;
    const server = s.udp.bind(67);
    const client = c.udp.bind(68);
    const got: string[] = [];
    server.onMessage = (data, from) => {
      got.push(`server got ${data.length} bytes from ${from.address}:${from.port}`);
      s.addNeighbour('10.0.0.100', '02:00:00:00:00:0c', 'eth0');
      server.send('10.0.0.100', 68, new Uint8Array(10));
    };
    client.onMessage = (data, from) => {
      got.push(`client got ${data.length} bytes from ${from.address}`);
      expect(c.configureAddress('eth0', '10.0.0.100/24')).toBeUndefined();
      expect(c.setDefaultRoute('10.0.0.1')).toBeUndefined();
    };
    client.send('255.255.255.255', 67, new Uint8Array(20), { src: '0.0.0.0', iface: 'eth0' });
    n.kernel.run();
    expect(got).toEqual(['server got 20 bytes from 0.0.0.0:68', 'client got 10 bytes from 10.0.0.1']);
    const f = frames(n, 'C.eth0');
    expect(parseEthernet(f[0]!)!.repr.dst).toBe('ff:ff:ff:ff:ff:ff');
    expect(ip(f[0]!).repr).toMatchObject({ src: '0.0.0.0', dst: '255.255.255.255' });
    expect(parseEthernet(f[1]!)!.repr.dst).toBe('02:00:00:00:00:0c');
    expect(c.routeGet('8.8.8.8')).toBe('8.8.8.8 via 10.0.0.1 dev eth0 src 10.0.0.100');
  });
});

describe('ICMP redirect', () => {
  it('a router forwarding back out the arrival interface redirects the sender, which then uses the better gateway', () => {
    const topo = `
nodes:
  A: { kind: host, interfaces: { eth0: { ip: [10.0.0.1/24] } }, routes: [ { dst: default, via: 10.0.0.254 } ] }
  R1:
    kind: router
    interfaces: { eth0: { ip: [10.0.0.254/24] } }
    routes: [ { dst: 192.0.2.0/24, via: 10.0.0.253 } ]
  R2:
    kind: router
    interfaces: { eth0: { ip: [10.0.0.253/24] }, eth1: { ip: [192.0.2.1/24] } }
  S: { kind: host, interfaces: { eth0: { ip: [192.0.2.5/24] } }, routes: [ { dst: default, via: 192.0.2.1 } ] }
  sw: { kind: switch, ports: [a, r1, r2] }
links:
  - [A.eth0, sw.a]
  - [R1.eth0, sw.r1]
  - [R2.eth0, sw.r2]
  - [R2.eth1, S.eth0]
taps: [A.eth0]
`;
    const n = run(topo, [
      [0, 'A', 'ping -c 2 192.0.2.5'],
      [3, 'A', 'ip route get 192.0.2.5'],
    ]);
    expect(output(n, 0).filter((l) => l.startsWith('64 bytes'))).toHaveLength(2);
    const a = frames(n, 'A.eth0');
    const redirect = a.find((f) => f[12] === 0x08 && f[13] === 0x00 && f[23] === 1 && f[34] === 5)!;
    const icmp = parseIcmp(ip(redirect).payload)!;
    expect(icmp.repr.type).toBe(5);
    expect(icmp.repr.code).toBe(1);
    expect([...icmp.repr.rest!]).toEqual([10, 0, 0, 253]);
    expect(ip(redirect).repr.src).toBe('10.0.0.254');
    const requests = a.filter((f) => f[12] === 0x08 && f[13] === 0x00 && f[34] === 8);
    const r1 = parseEthernet(requests[0]!)!.repr.dst;
    const r2 = parseEthernet(requests[1]!)!.repr.dst;
    expect(r1).toBe(
      n.port('R1.eth0')!.mac.reduce((s, b, i) => s + (i ? ':' : '') + b.toString(16).padStart(2, '0'), ''),
    );
    expect(r2).toBe(
      n.port('R2.eth0')!.mac.reduce((s, b, i) => s + (i ? ':' : '') + b.toString(16).padStart(2, '0'), ''),
    );
    expect(output(n, 1)).toEqual(['192.0.2.5 via 10.0.0.253 dev eth0 src 10.0.0.1\n    cache <redirected>']);
  });
});
