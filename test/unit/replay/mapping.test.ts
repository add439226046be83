// --map ADDR=NODE: parsing, the problems it names, and the addresses and routes it adds.
import { describe, expect, it } from 'vitest';
import { Network, parseTopology } from '../../../core/sim';
import { ip4 } from '../../../core/sim/addr';
import { applyAddressMaps, parseAddressMap, ReplayError } from '../../../core/replay';

const TOPOLOGY = parseTopology(`nodes:
  A: { kind: host, interfaces: { eth0: { ip: [10.0.1.10/24] } }, routes: [ { dst: default, via: 10.0.1.1 } ] }
  sw: { kind: switch, ports: [p1, p2] }
  R: { kind: router, interfaces: { eth0: { ip: [10.0.1.1/24] }, eth1: { ip: [10.0.2.1/24] } } }
  B: { kind: host, interfaces: { eth0: { ip: [10.0.2.20/24] } }, routes: [ { dst: default, via: 10.0.2.1 } ] }
links:
  - [A.eth0, sw.p1]
  - [R.eth0, sw.p2]
  - [R.eth1, B.eth0]
`);

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReplayError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('parseAddressMap', () => {
  it('parses IPv4 and IPv6, normalised', () => {
    expect(parseAddressMap('10.1.2.3=A')).toEqual({ address: '10.1.2.3', family: 4, node: 'A' });
    expect(parseAddressMap('2001:DB8:0::1=B')).toEqual({ address: '2001:db8::1', family: 6, node: 'B' });
  });

  it('names what is wrong', () => {
    expect(message(() => parseAddressMap('10.1.2.3'))).toBe(
      '--map 10.1.2.3: expected ADDRESS=NODE, e.g. --map 10.1.2.3=A',
    );
    expect(message(() => parseAddressMap('10.1.2=A'))).toBe(
      '--map 10.1.2=A: "10.1.2" is not an IPv4 or IPv6 address',
    );
    expect(message(() => parseAddressMap('224.0.0.1=A'))).toBe(
      '--map 224.0.0.1=A: 224.0.0.1 is not a unicast address a host can own',
    );
    expect(message(() => parseAddressMap('127.0.0.1=A'))).toMatch(/not a unicast address/);
    expect(message(() => parseAddressMap('ff02::1=A'))).toMatch(/not a unicast address/);
    expect(message(() => parseAddressMap('=A'))).toMatch(/expected ADDRESS=NODE/);
  });
});

describe('applyAddressMaps', () => {
  it('adds the address to the node and a host route on every other node', () => {
    const net = new Network(TOPOLOGY);
    const owners = applyAddressMaps(net, [parseAddressMap('192.0.2.7=B'), parseAddressMap('10.0.1.10=A')]);
    expect(owners.get('192.0.2.7')).toBe('B');
    expect(owners.get('10.0.2.1')).toBe('R');
    expect(net.host('B')!.ipAddr().join('\n')).toContain('inet 192.0.2.7/32');
    expect(net.host('R')!.routeGet('192.0.2.7')).toMatch(/^192\.0\.2\.7 dev eth1/);
    expect(net.host('A')!.explainRoute4(ip4('192.0.2.7')!)).toBe(
      '192.0.2.7 matches 192.0.2.7/32 via 10.0.1.1 dev eth0 (longest of 2 matches)',
    );
  });

  it('refuses unknown nodes, switches, addresses owned elsewhere, and one address for two nodes', () => {
    const net = new Network(TOPOLOGY);
    expect(message(() => applyAddressMaps(net, [parseAddressMap('192.0.2.7=C')]))).toBe(
      '--map 192.0.2.7=C: no node "C" in the topology (hosts and routers: A, R, B)',
    );
    expect(message(() => applyAddressMaps(net, [parseAddressMap('192.0.2.7=sw')]))).toBe(
      '--map 192.0.2.7=sw: sw is a switch; map addresses to hosts or routers',
    );
    expect(message(() => applyAddressMaps(net, [parseAddressMap('10.0.2.1=A')]))).toBe(
      '--map 10.0.2.1=A: 10.0.2.1 already belongs to R in the topology',
    );
    expect(
      message(() => applyAddressMaps(net, [parseAddressMap('192.0.2.7=A'), parseAddressMap('192.0.2.7=B')])),
    ).toBe('--map 192.0.2.7: given to both A and B');
    expect(message(() => applyAddressMaps(net, [parseAddressMap('2001:db8::7=A')]))).toBe(
      '--map 2001:db8::7=A: A.eth0 has no global IPv6 address for the others to route 2001:db8::7 like',
    );
  });
});
