// The network scripts/fixtures/sim-netns.sh builds from Linux namespaces, as a topology, with
// the same commands: test/integration/sim-netns.test.ts compares the frames on each segment.
import type { Preset } from './types';

export const netnsMirror: Preset = {
  name: 'netns-mirror',
  title: 'Linux namespace mirror: two hosts on a bridge, a router, a second segment',
  summary: 'ping across a router, ping -t 1 (time exceeded), UDP to a closed port, ping on the LAN',
  seeds: ['compare with scripts/fixtures/sim-netns.sh'],
  topology: `
nodes:
  h1: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:01:0a", ip: [10.1.0.10/24] } }, routes: [ { dst: default, via: 10.1.0.1 } ] }
  h2: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:01:14", ip: [10.1.0.20/24] } }, routes: [ { dst: default, via: 10.1.0.1 } ] }
  br0: { kind: switch, ports: [swp1, swp2, swp3] }
  r:
    kind: router
    interfaces:
      eth0: { mac: "02:00:00:00:01:01", ip: [10.1.0.1/24] }
      eth1: { mac: "02:00:00:00:02:01", ip: [10.2.0.1/24] }
  h3: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:02:1e", ip: [10.2.0.30/24] } }, routes: [ { dst: default, via: 10.2.0.1 } ] }
links:
  - { a: h1.eth0, b: br0.swp1, delay: 20us }
  - { a: h2.eth0, b: br0.swp2, delay: 20us }
  - { a: r.eth0, b: br0.swp3, delay: 20us }
  - { a: r.eth1, b: h3.eth0, delay: 20us }
taps: [h1.eth0, h2.eth0, h3.eth0]
`,
  scenario: `
steps:
  - { at: 0, on: h1, run: "ping -c 2 -i 0.2 10.2.0.30" }
  - { at: 1, on: h1, run: "ping -c 1 -t 1 10.2.0.30" }
  - { at: 2, on: h1, run: "echo hello | nc -u -w1 -p 40000 10.2.0.30 9" }
  - { at: 4, on: h1, run: "ping -c 1 10.1.0.20" }
`,
};
