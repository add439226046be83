// The scenarios of SEEDS.md ("Scenarios"), one preset each, numbered as there. Addresses, MACs
// and commands follow the seed texts where they give them.
import type { Preset } from './types';

export const scenario1: Preset = {
  name: 'scenario-1',
  alias: 'curl-loopback',
  title: 'curl → Go web server on :8080 over loopback (seed 000)',
  summary: 'TCP handshake, GET / (78 bytes), 200 OK "Hello" (121 bytes), four-way close on lo',
  seeds: ['000'],
  needs: ['TCP', 'curl', 'http service'],
  topology: `
nodes:
  mac:
    kind: host
    interfaces: { eth0: { mac: "02:00:00:00:00:01", ip: [192.168.1.10/24] } }
    services:
      http: { port: 8080, server: go, files: { /: "Hello" } }
taps: [mac.lo]
`,
  scenario: `
steps:
  - { at: 0, on: mac, run: "curl http://127.0.0.1:8080/" }
`,
};

export const scenario2: Preset = {
  name: 'scenario-2',
  alias: 'two-lans',
  title: 'Two LANs through two routers (seeds 001, 002)',
  summary: 'ping then HTTP across R1 and R2: MACs rewritten per hop, TTL −1 per router, ARP on each segment',
  seeds: ['001', '002'],
  needs: ['curl', 'http service (the ping runs now)'],
  topology: `
nodes:
  A:
    kind: host
    interfaces: { eth0: { mac: "02:00:00:00:00:0a", ip: [192.168.1.2/24] } }
    routes: [ { dst: default, via: 192.168.1.1 } ]
  sw1: { kind: switch, ports: [p1, p2] }
  R1:
    kind: router
    interfaces:
      eth0: { mac: "02:00:00:00:01:01", ip: [192.168.1.1/24] }
      eth1: { mac: "02:00:00:00:01:02", ip: [10.0.12.1/30] }
    routes: [ { dst: 203.0.113.0/24, via: 10.0.12.2 } ]
  R2:
    kind: router
    interfaces:
      eth0: { mac: "02:00:00:00:02:01", ip: [10.0.12.2/30] }
      eth1: { mac: "02:00:00:00:02:02", ip: [203.0.113.1/24] }
    routes: [ { dst: 192.168.1.0/24, via: 10.0.12.1 } ]
  sw2: { kind: switch, ports: [p1, p2] }
  B:
    kind: host
    interfaces: { eth0: { mac: "02:00:00:00:00:0b", ip: [203.0.113.20/24] } }
    routes: [ { dst: default, via: 203.0.113.1 } ]
    services:
      http: { port: 80, files: { /index.html: "<html><body>Hello from B</body></html>" } }
links:
  - { a: A.eth0, b: sw1.p1, delay: 50us, bandwidth: 1Gbps }
  - { a: R1.eth0, b: sw1.p2, delay: 50us, bandwidth: 1Gbps }
  - { a: R1.eth1, b: R2.eth0, delay: 2ms, bandwidth: 100Mbps }
  - { a: R2.eth1, b: sw2.p1, delay: 50us, bandwidth: 1Gbps }
  - { a: B.eth0, b: sw2.p2, delay: 50us, bandwidth: 1Gbps }
taps: [A.eth0, R1.eth1, B.eth0]
`,
  scenario: `
steps:
  - { at: 0, on: A, run: "ping -c 2 203.0.113.20" }
  - { at: 3, on: A, run: "curl http://203.0.113.20/index.html" }
  - { at: 5, on: A, run: "arp -a" }
  - { at: 5, on: R1, run: "arp -a" }
  # Each router in turn answers the probe whose TTL runs out there; then B's closed port does.
  - { at: 6, on: A, run: "traceroute -n 203.0.113.20" }
`,
};

export const scenario3: Preset = {
  name: 'scenario-3',
  alias: 'switch-learning',
  title: 'Same-LAN delivery via a switch and a hub (seeds 001, 002, 004)',
  summary:
    'flooding of broadcasts and unknown unicast, MAC learning, forwarding to the learned port only, ageing; a hub repeats everything',
  seeds: ['001', '002', '004'],
  topology: `
nodes:
  A: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0a", ip: [192.168.0.10/24] } } }
  B: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0b", ip: [192.168.0.11/24] } } }
  C: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0c", ip: [192.168.0.12/24] } } }
  D: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0d", ip: [192.168.0.13/24] } } }
  E: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:0e", ip: [192.168.0.14/24] } } }
  sw: { kind: switch, ports: [p1, p2, p3, p4], ageing: 10s }
  hub: { kind: hub, ports: [h1, h2, h3] }
links:
  - [A.eth0, sw.p1]
  - [B.eth0, sw.p2]
  - [C.eth0, sw.p3]
  - [hub.h1, sw.p4]
  - [D.eth0, hub.h2]
  - [E.eth0, hub.h3]
taps: [A.eth0, B.eth0, C.eth0, D.eth0, E.eth0]
`,
  scenario: `
steps:
  # ARP broadcast floods everywhere; the reply and the echo go only where the switch learned.
  - { at: 0, on: A, run: "ping -c 2 192.168.0.11" }
  # After the switch's 10 s ageing (A's ARP cache still holds B): unknown unicast is flooded.
  - { at: 15, on: A, run: "ping -c 1 192.168.0.11" }
  # Behind the hub: D and E hear each other's frames, and A's; the switch filters D↔E.
  - { at: 20, on: D, run: "ping -c 1 192.168.0.14" }
  - { at: 22, on: A, run: "arp -a" }
`,
};

export const scenario4: Preset = {
  name: 'scenario-4',
  alias: 'route-quiz',
  title: 'Routing decision: the quiz table of seed 002',
  summary:
    'longest-prefix match: 128.75.43.16 → B (/25), 128.75.43.200 → A (/24), 192.12.17.5 → C (/32), 192.12.17.10 → D (default)',
  seeds: ['002'],
  topology: `
nodes:
  S:
    kind: host
    interfaces: { eth0: { ip: [10.0.0.2/24] } }
    routes: [ { dst: default, via: 10.0.0.1 } ]
  Q:
    kind: router
    interfaces:
      eth0: { ip: [10.0.0.1/24] }
      ethA: { ip: [10.0.1.1/24] }
      ethB: { ip: [10.0.2.1/24] }
      ethC: { ip: [10.0.3.1/24] }
      ethD: { ip: [10.0.4.1/24] }
    routes:
      - { dst: 128.75.43.0/24, via: 10.0.1.2 }
      - { dst: 128.75.43.0/25, via: 10.0.2.2 }
      - { dst: 192.12.17.5/32, via: 10.0.3.2 }
      - { dst: default, via: 10.0.4.2 }
  A:
    kind: host
    interfaces: { eth0: { ip: [10.0.1.2/24] }, lo: { ip: [128.75.43.200/32] } }
    routes: [ { dst: default, via: 10.0.1.1 } ]
  B:
    kind: host
    interfaces: { eth0: { ip: [10.0.2.2/24] }, lo: { ip: [128.75.43.16/32] } }
    routes: [ { dst: default, via: 10.0.2.1 } ]
  C:
    kind: host
    interfaces: { eth0: { ip: [10.0.3.2/24] }, lo: { ip: [192.12.17.5/32] } }
    routes: [ { dst: default, via: 10.0.3.1 } ]
  D:
    kind: host
    interfaces: { eth0: { ip: [10.0.4.2/24] }, lo: { ip: [192.12.17.10/32] } }
    routes: [ { dst: default, via: 10.0.4.1 } ]
links:
  - [S.eth0, Q.eth0]
  - [Q.ethA, A.eth0]
  - [Q.ethB, B.eth0]
  - [Q.ethC, C.eth0]
  - [Q.ethD, D.eth0]
taps: [Q.ethA, Q.ethB, Q.ethC, Q.ethD]
`,
  scenario: `
steps:
  - { at: 0, on: Q, run: "route -n" }
  - { at: 0, on: Q, run: "ip route get 128.75.43.16" }
  - { at: 0, on: Q, run: "ip route get 192.12.17.10" }
  - { at: 1, on: S, run: "ping -c 1 128.75.43.16" }
  - { at: 2, on: S, run: "ping -c 1 128.75.43.200" }
  - { at: 3, on: S, run: "ping -c 1 192.12.17.5" }
  - { at: 4, on: S, run: "ping -c 1 192.12.17.10" }
`,
};

export const scenario5: Preset = {
  name: 'scenario-5',
  alias: 'two-nics',
  title: 'Host with two NICs (seed 003)',
  summary:
    'eth0 192.168.10.223/24, eth1 192.168.56.136/24, default via 192.168.10.1: 192.168.56.3 leaves eth1, 202.10.1.2 goes via the gateway',
  seeds: ['003'],
  topology: `
nodes:
  H:
    kind: host
    interfaces:
      eth0: { mac: "00:0c:29:c2:8d:7e", ip: [192.168.10.223/24] }
      eth1: { mac: "00:0c:29:c2:8d:88", ip: [192.168.56.136/24] }
    routes: [ { dst: default, via: 192.168.10.1 } ]
  sw0: { kind: switch, ports: [p1, p2] }
  sw1: { kind: switch, ports: [p1, p2] }
  GW:
    kind: router
    interfaces:
      eth0: { ip: [192.168.10.1/24] }
      eth1: { ip: [202.10.1.1/24] }
  W:
    kind: host
    interfaces: { eth0: { ip: [202.10.1.2/24] } }
    routes: [ { dst: default, via: 202.10.1.1 } ]
  V:
    kind: host
    interfaces: { eth0: { ip: [192.168.56.3/24] } }
links:
  - [H.eth0, sw0.p1]
  - [GW.eth0, sw0.p2]
  - [H.eth1, sw1.p1]
  - [V.eth0, sw1.p2]
  - { a: GW.eth1, b: W.eth0, delay: 5ms }
taps: [H.eth0, H.eth1]
`,
  scenario: `
steps:
  - { at: 0, on: H, run: "route -n" }
  - { at: 0, on: H, run: "ip addr" }
  - { at: 0, on: H, run: "ip route get 192.168.56.3" }
  - { at: 0, on: H, run: "ip route get 202.10.1.2" }
  - { at: 1, on: H, run: "ping -c 1 192.168.56.3" }
  - { at: 2, on: H, run: "ping -c 1 202.10.1.2" }
`,
};

export const scenario6: Preset = {
  name: 'scenario-6',
  alias: 'secondary-address',
  title: 'Secondary address experiment (seed 002)',
  summary:
    'B adds 192.168.1.55/16 on lo:3; A’s ping goes to the gateway and fails until "route add -host 192.168.1.55 gw 192.168.1.2"',
  seeds: ['002'],
  topology: `
# A and B share a /27, so 192.168.1.55 is not on A's link: A sends it to the gateway, which
# has no route for it (the seed's Docker bridge behaves the same way).
nodes:
  A:
    kind: host
    interfaces: { eth0: { mac: "02:42:c0:a8:01:03", ip: [192.168.1.3/27] } }
    routes: [ { dst: default, via: 192.168.1.1 } ]
  B:
    kind: host
    interfaces: { eth0: { mac: "02:43:ac:11:00:02", ip: [192.168.1.2/27] } }
    routes: [ { dst: default, via: 192.168.1.1 } ]
  GW:
    kind: router
    interfaces: { eth0: { mac: "02:43:21:c4:75:58", ip: [192.168.1.1/27] } }
  br: { kind: switch, ports: [p1, p2, p3] }
links:
  - [A.eth0, br.p1]
  - [B.eth0, br.p2]
  - [GW.eth0, br.p3]
taps: [B.eth0, A.eth0]
`,
  scenario: `
steps:
  - { at: 0, on: B, run: "ifconfig lo:3 192.168.1.55/16" }
  - { at: 0.1, on: B, run: "ip addr show lo" }
  - { at: 1, on: A, run: "ping -c 2 192.168.1.55" }
  - { at: 4, on: A, run: "route add -host 192.168.1.55 gw 192.168.1.2" }
  - { at: 4.1, on: A, run: "route -n" }
  - { at: 5, on: A, run: "ping -c 3 192.168.1.55" }
  - { at: 9, on: A, run: "arp -a" }
`,
};

export const scenario7: Preset = {
  name: 'scenario-7',
  alias: 'sliding-window',
  title: 'TCP sliding window (seed 003 §7.3)',
  summary:
    'sender MSS 1460 / window 4K, receiver MSS 1024 / window 6K reading 2K at a time: the window fills, then opens by 2K and 4K',
  seeds: ['003'],
  needs: ['TCP', 'nc (TCP)', 'discard service'],
  topology: `
nodes:
  client:
    kind: host
    interfaces: { eth0: { ip: [192.168.0.1/24] } }
  server:
    kind: host
    interfaces: { eth0: { ip: [192.168.0.200/24] } }
    services:
      discard: { port: 9, mss: 1024, receiveBuffer: 6144, read: { bytes: 2048, every: 50ms } }
links:
  - { a: client.eth0, b: server.eth0, delay: 5ms, bandwidth: 10Mbps }
taps: [client.eth0]
`,
  scenario: `
steps:
  - { at: 0, on: client, run: "head -c 8192 /dev/zero | nc -N -O 1460 -I 4096 192.168.0.200 9" }
`,
};

export const scenario8: Preset = {
  name: 'scenario-8',
  alias: 'loss-recovery',
  title: 'Loss recovery (seed 004)',
  summary:
    'a download over a lossy link: timeout retransmissions with doubling RTO, fast retransmit after 3 duplicate ACKs, SACK blocks',
  seeds: ['004'],
  needs: ['TCP', 'curl', 'http service'],
  topology: `
nodes:
  A:
    kind: host
    interfaces: { eth0: { ip: [198.51.100.10/24] } }
    routes: [ { dst: default, via: 198.51.100.1 } ]
  R:
    kind: router
    interfaces:
      eth0: { ip: [198.51.100.1/24] }
      eth1: { ip: [203.0.113.1/24] }
  B:
    kind: host
    interfaces: { eth0: { ip: [203.0.113.20/24] } }
    routes: [ { dst: default, via: 203.0.113.1 } ]
    services:
      http: { port: 80, files: { /big.bin: { size: 300000 } } }
links:
  - { a: A.eth0, b: R.eth0, delay: 1ms, bandwidth: 100Mbps }
  - { a: R.eth1, b: B.eth0, delay: 10ms, bandwidth: 10Mbps, loss: 0.03, queue: 50 }
taps: [A.eth0]
seed: 4
`,
  scenario: `
steps:
  - { at: 0, on: A, run: "curl -o /dev/null http://203.0.113.20/big.bin" }
  # an outage mid-transfer: timeouts in a row, each RTO twice the one before
  - { at: 0.2, run: "link R.eth1 down" }
  - { at: 1.6, run: "link R.eth1 up" }
`,
};

export const scenario9: Preset = {
  name: 'scenario-9',
  alias: 'dhcp-pxe',
  title: 'DHCP and PXE (seed 004)',
  summary:
    'Discover 0.0.0.0 → 255.255.255.255, Offer, Request naming the server, Ack; then the boot file over TFTP',
  seeds: ['004'],
  needs: ['dhclient', 'dhcp service', 'tftp', 'tftp service'],
  topology: `
nodes:
  pxe:
    kind: host
    interfaces: { eth0: { mac: "00:05:5d:61:58:a8" } }
  srv:
    kind: host
    interfaces: { eth0: { mac: "00:05:5d:67:d0:b1", ip: [192.168.0.1/24] } }
    services:
      dhcp: { pool: [192.168.0.100, 192.168.0.199], router: 192.168.0.1, dns: [192.168.0.1], lease: 3600, next-server: 192.168.0.1, filename: pxelinux.0 }
      tftp: { files: { pxelinux.0: { size: 4096 } } }
  sw: { kind: switch, ports: [p1, p2] }
links:
  - [pxe.eth0, sw.p1]
  - [srv.eth0, sw.p2]
taps: [pxe.eth0]
`,
  scenario: `
steps:
  - { at: 0, on: pxe, run: "dhclient -v eth0" }
  - { at: 3, on: pxe, run: "tftp 192.168.0.1 -c get pxelinux.0" }
`,
};

export const scenario10: Preset = {
  name: 'scenario-10',
  alias: 'connection-refused',
  title: 'Connection refused (seed 003)',
  summary: 'a SYN to port 8080 where nothing listens is answered by RST',
  seeds: ['003'],
  needs: ['TCP', 'curl'],
  topology: `
nodes:
  client: { kind: host, interfaces: { eth0: { ip: [192.168.0.1/24] } } }
  server: { kind: host, interfaces: { eth0: { ip: [192.168.0.200/24] } } }
links:
  - [client.eth0, server.eth0]
taps: [client.eth0]
`,
  scenario: `
steps:
  - { at: 0, on: client, run: "curl http://192.168.0.200:8080/" }
`,
};

export const scenario11: Preset = {
  name: 'scenario-11',
  alias: 'icmp',
  title: 'ICMP: ping success and timeout, time exceeded, port unreachable (seed 000)',
  summary:
    'ping answered; ping into a pulled cable times out; ping -t 1 expires at the router; UDP to a closed port',
  seeds: ['000'],
  topology: `
nodes:
  A:
    kind: host
    interfaces: { eth0: { ip: [198.51.100.10/24, 2001:db8:1::10/64] } }
    routes: [ { dst: default, via: 198.51.100.1 }, { dst: "::/0", via: "2001:db8:1::1" } ]
  R:
    kind: router
    interfaces:
      eth0: { ip: [198.51.100.1/24, 2001:db8:1::1/64] }
      eth1: { ip: [203.0.113.1/24, 2001:db8:2::1/64] }
  B:
    kind: host
    interfaces: { eth0: { ip: [203.0.113.20/24, 2001:db8:2::20/64] } }
    routes: [ { dst: default, via: 203.0.113.1 }, { dst: "::/0", via: "2001:db8:2::1" } ]
links:
  - { a: A.eth0, b: R.eth0, delay: 1ms }
  - { a: R.eth1, b: B.eth0, delay: 1ms, mtu: 1000 }
taps: [A.eth0, B.eth0]
`,
  scenario: `
steps:
  - { at: 0, on: A, run: "ping -c 2 203.0.113.20" }
  - { at: 3, run: "link B.eth0 down" }
  - { at: 3.5, on: A, run: "ping -c 2 -W 2 203.0.113.20" }
  - { at: 8, run: "link B.eth0 up" }
  - { at: 9, on: A, run: "ping -c 1 -t 1 203.0.113.20" }
  - { at: 10, on: A, run: "echo hello | nc -u -w1 203.0.113.20 9" }
  # R's link to B has an MTU of 1000: without DF R fragments, with DF it refuses.
  - { at: 12, on: A, run: "ping -c 1 -s 1400 -M dont 203.0.113.20" }
  - { at: 14, on: A, run: "ping -c 1 -s 1400 -M do 203.0.113.20" }
  # IPv6: neighbour discovery on both segments, then the echo; hop limit 1 expires at R.
  - { at: 16, on: A, run: "ping -c 1 2001:db8:2::20" }
  - { at: 18, on: A, run: "ping -c 1 -t 1 2001:db8:2::20" }
`,
};

export const SEED_PRESETS: Preset[] = [
  scenario1,
  scenario2,
  scenario3,
  scenario4,
  scenario5,
  scenario6,
  scenario7,
  scenario8,
  scenario9,
  scenario10,
  scenario11,
];
