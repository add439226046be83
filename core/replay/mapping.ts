// Which topology node stands for each address of a capture: a node that owns the address
// already, or one given by `--map ADDR=NODE`. A mapped address is added to the node's first
// non-loopback interface as a secondary host address (`ip addr add ADDR/32 dev eth0`), and
// every other host and router gets a host route to it that follows its route to the node's own
// address, as a routing protocol would announce it: the datagrams keep their addresses (their
// transport checksums stay valid) and still travel the topology's real path.
import { Host, type HostIface } from '../sim/host';
import type { Network } from '../sim/network';
import { equal6, ip4, ip4Text, ip6, ip6Text } from '../sim/addr';

/** A mapping or topology problem the user must fix (the CLI exits 2 with the message). */
export class ReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayError';
  }
}

export interface AddressMap {
  /** The address as given, normalised (`10.1.2.3`, `2001:db8::1`). */
  address: string;
  family: 4 | 6;
  node: string;
}

/** Parses `ADDR=NODE` (the CLI's --map and the Engine API's `map` entries). */
export function parseAddressMap(text: string): AddressMap {
  const eq = text.lastIndexOf('=');
  if (eq <= 0 || eq === text.length - 1)
    throw new ReplayError(`--map ${text}: expected ADDRESS=NODE, e.g. --map 10.1.2.3=A`);
  const addr = text.slice(0, eq).trim();
  const node = text.slice(eq + 1).trim();
  const a4 = ip4(addr);
  if (a4 !== undefined) {
    if (a4 === 0 || a4 === 0xffffffff || a4 >>> 28 === 0xe || a4 >>> 24 === 127)
      throw new ReplayError(`--map ${text}: ${addr} is not a unicast address a host can own`);
    return { address: ip4Text(a4), family: 4, node };
  }
  const a6 = ip6(addr);
  if (a6) {
    if (a6[0] === 0xff || a6.every((b, i) => b === (i === 15 ? 1 : 0)) || a6.every((b) => b === 0))
      throw new ReplayError(`--map ${text}: ${addr} is not a unicast address a host can own`);
    return { address: ip6Text(a6), family: 6, node };
  }
  throw new ReplayError(`--map ${text}: "${addr}" is not an IPv4 or IPv6 address`);
}

/** Address → node for every address a host or router of the network owns (loopback aside). */
export function ownedAddresses(net: Network): Map<string, string> {
  const owners = new Map<string, string>();
  for (const d of net.devices.values()) {
    if (!(d instanceof Host)) continue;
    for (const i of d.ifaces.values()) {
      if (i.loopback) continue;
      for (const a of i.v4) if (!owners.has(ip4Text(a.addr))) owners.set(ip4Text(a.addr), d.name);
      for (const a of i.v6) if (!owners.has(ip6Text(a.addr))) owners.set(ip6Text(a.addr), d.name);
    }
  }
  return owners;
}

function firstInterface(h: Host): HostIface | undefined {
  for (const i of h.ifaces.values()) if (!i.loopback) return i;
  return undefined;
}

/**
 * Gives each mapped address to its node and routes it; returns address → node for every
 * address the replay can use (owned and mapped). Throws ReplayError naming the problem.
 */
export function applyAddressMaps(net: Network, maps: AddressMap[]): Map<string, string> {
  const owners = ownedAddresses(net);
  const given = new Map<string, string>();
  for (const m of maps) {
    const dev = net.devices.get(m.node);
    if (!dev) {
      const names = [...net.devices.values()].filter((d) => d instanceof Host).map((d) => d.name);
      throw new ReplayError(
        `--map ${m.address}=${m.node}: no node "${m.node}" in the topology (hosts and routers: ${names.join(', ')})`,
      );
    }
    if (!(dev instanceof Host))
      throw new ReplayError(
        `--map ${m.address}=${m.node}: ${m.node} is a ${dev.kind}; map addresses to hosts or routers`,
      );
    const owner = owners.get(m.address);
    if (owner !== undefined && owner !== m.node)
      throw new ReplayError(
        `--map ${m.address}=${m.node}: ${m.address} already belongs to ${owner} in the topology`,
      );
    const earlier = given.get(m.address);
    if (earlier !== undefined && earlier !== m.node)
      throw new ReplayError(`--map ${m.address}: given to both ${earlier} and ${m.node}`);
    given.set(m.address, m.node);
  }
  for (const m of maps) {
    if (owners.get(m.address) === m.node) continue;
    const h = net.host(m.node)!;
    const iface = firstInterface(h);
    if (!iface) throw new ReplayError(`--map ${m.address}=${m.node}: ${m.node} has no interface besides lo`);
    if (m.family === 4) mapAddress4(net, h, iface, m);
    else mapAddress6(net, h, iface, m);
    owners.set(m.address, m.node);
  }
  return owners;
}

function mapAddress4(net: Network, h: Host, iface: HostIface, m: AddressMap): void {
  const own = iface.v4[0]?.addr;
  if (own === undefined)
    throw new ReplayError(
      `--map ${m.address}=${m.node}: ${m.node}.${iface.name} has no IPv4 address for the others to route ${m.address} like`,
    );
  const a = ip4(m.address)!;
  h.addAddress4(iface.name, a, 32);
  if (net.kernel.recording)
    h.note('route', iface.name, `${h.name}: replay: ip addr add ${m.address}/32 dev ${iface.name} (--map)`);
  for (const d of net.devices.values()) {
    if (!(d instanceof Host) || d === h) continue;
    const r = d.routes.lookup4(own);
    if (!r) continue;
    d.routes.add4({ dst: a, prefix: 32, via: r.via, iface: r.iface, metric: 0, proto: 'static' });
    if (net.kernel.recording)
      d.note(
        'route',
        r.iface,
        `${d.name}: replay: route ${m.address}/32${r.via !== undefined ? ` via ${ip4Text(r.via)}` : ''} dev ${r.iface}, as for ${m.node}'s ${ip4Text(own)}`,
      );
  }
}

function mapAddress6(net: Network, h: Host, iface: HostIface, m: AddressMap): void {
  // The node's own global address (not link-local) for the others' routes to follow.
  const own = iface.v6.find((x) => !(x.addr[0] === 0xfe && (x.addr[1]! & 0xc0) === 0x80))?.addr;
  if (!own)
    throw new ReplayError(
      `--map ${m.address}=${m.node}: ${m.node}.${iface.name} has no global IPv6 address for the others to route ${m.address} like`,
    );
  const a = ip6(m.address)!;
  if (!iface.v6.some((x) => equal6(x.addr, a))) h.addAddress6(iface.name, a, 128);
  if (net.kernel.recording)
    h.note(
      'route',
      iface.name,
      `${h.name}: replay: ip -6 addr add ${m.address}/128 dev ${iface.name} (--map)`,
    );
  for (const d of net.devices.values()) {
    if (!(d instanceof Host) || d === h) continue;
    const r = d.routes.lookup6(own);
    if (!r) continue;
    d.routes.add6({ dst: a, prefix: 128, via: r.via, iface: r.iface, metric: 1, proto: 'static' });
    if (net.kernel.recording)
      d.note(
        'route',
        r.iface,
        `${d.name}: replay: route ${m.address}/128${r.via ? ` via ${ip6Text(r.via)}` : ''} dev ${r.iface}, as for ${m.node}'s ${ip6Text(own)}`,
      );
  }
}
