// `wirelens route TOPOLOGY.yaml NODE DESTINATION`: the route NODE picks, as `ip route get`
// prints it, then every entry with the AND of destination and mask that decides whether it
// matches, and why the chosen one won (longest prefix, then lowest metric; RFC 1812 §5.2.4.3).
import { Network } from '../sim';
import { ip4, ip4Text, ip6 } from '../sim/addr';
import { Host } from '../sim/host';
import { routeText4, routeText6 } from '../sim/routes';
import { loadTopology } from './sim-load';
import type { Output } from './output';
import { UsageError } from './usage';

export const ROUTE_HELP = `Usage: wirelens route TOPOLOGY.yaml|PRESET NODE DESTINATION

Prints the route NODE's table picks for DESTINATION in the form of ip route get
(203.0.113.20 via 198.51.100.1 dev eth0 src 198.51.100.10), then each entry of the table with
DESTINATION AND mask, whether it matches, and why the chosen entry won.
`;

export function routeCommand(args: string[], out: Output): void {
  if (args.length !== 3) throw new UsageError('route: give TOPOLOGY.yaml NODE DESTINATION');
  const [topo, node, dst] = args as [string, string, string];
  const spec = loadTopology(topo);
  const net = new Network(spec, { recording: false });
  const dev = net.devices.get(node);
  if (!dev)
    throw new UsageError(
      `route: no node "${node}" in ${topo} (nodes: ${[...net.devices.keys()].join(', ')})`,
    );
  if (!(dev instanceof Host)) throw new UsageError(`route: ${node} is a ${dev.kind}; it has no route table`);
  if (dst.includes(':')) {
    const d = ip6(dst);
    if (!d) throw new UsageError(`route: "${dst}" is not an IPv6 address`);
    const get = dev.routeGet(dst);
    out.write(get ? `${get}\n` : `RTNETLINK answers: Network is unreachable\n`);
    const m = dev.routes.matches6(d);
    if (m.length) {
      out.write(`\nMatching entries (longest prefix first):\n`);
      m.forEach((r, i) =>
        out.write(`  ${i === 0 ? '*' : ' '} ${routeText6(r)}  /${r.prefix} metric ${r.metric}\n`),
      );
    }
    return;
  }
  const d = ip4(dst);
  if (d === undefined) throw new UsageError(`route: "${dst}" is not an IPv4 address`);
  const get = dev.routeGet(dst);
  out.write(get ? `${get}\n` : 'RTNETLINK answers: Network is unreachable\n');
  if (dev.isLocal4(d)) {
    out.write(
      `\n${dst} is one of ${node}'s own addresses: delivered over the loopback (the local table comes first).\n`,
    );
    return;
  }
  const table = dev.routes.sorted4();
  const choice = dev.routes.matches4(d);
  out.write(`\n${node}'s table, each entry checked as ${dst} AND mask = destination?\n`);
  const width = Math.max(...table.map((r) => routeText4(r).length), 10);
  for (const r of table) {
    const and = ip4Text((d & r.mask) >>> 0);
    const match = (d & r.mask) >>> 0 === r.dst;
    const mark = choice && r === choice.route ? '*' : match ? '+' : ' ';
    out.write(
      `  ${mark} ${routeText4(r).padEnd(width)}  ${dst} AND ${ip4Text(r.mask)} = ${and} ${match ? '=' : '≠'} ${ip4Text(r.dst)}${r.metric ? `  metric ${r.metric}` : ''}\n`,
    );
  }
  if (!choice) {
    out.write(
      `\nNo entry matches and there is no default route: ${node} cannot send to ${dst} ("Network is unreachable").\n`,
    );
    return;
  }
  const r = choice.route;
  const n = choice.matches.length;
  let why: string;
  if (n === 1)
    why =
      r.prefix === 0
        ? 'it is the only match: the default route (0.0.0.0/0 matches everything)'
        : 'it is the only entry that matches';
  else {
    const sameLen = choice.matches.filter((x) => x.prefix === r.prefix);
    why = `its prefix /${r.prefix} is the longest of the ${n} matches (${choice.matches.map((x) => `/${x.prefix}`).join(', ')})`;
    if (sameLen.length > 1) why += `; among the /${r.prefix} entries its metric ${r.metric} is the lowest`;
  }
  out.write(`\nChosen (*): ${routeText4(r)}, because ${why}.\n`);
  out.write(
    r.via !== undefined
      ? `Next hop: the gateway ${ip4Text(r.via)} on ${r.iface} (its MAC is found by ARP).\n`
      : `Next hop: ${dst} itself, directly on ${r.iface} (its MAC is found by ARP).\n`,
  );
}
