// A large topology for throughput measurements (bench/run.mjs): `routers` routers in a chain
// (point-to-point /30 links), each with `switches / routers` switches in a line on its LAN and
// the hosts spread over the switches. Every host can reach every other host.
import type { TopologySpec } from './topology';

export interface BenchShape {
  hosts: number;
  switches: number;
  routers: number;
}

export function benchTopology(shape: BenchShape = { hosts: 200, switches: 20, routers: 4 }): TopologySpec {
  const nodes: TopologySpec['nodes'] = {};
  const links: [string, string][] = [];
  const swPerRouter = Math.max(1, Math.floor(shape.switches / shape.routers));
  const hostsPerSwitch = Math.ceil(shape.hosts / (swPerRouter * shape.routers));
  let hostIndex = 0;
  for (let r = 0; r < shape.routers; r++) {
    const lan = `10.${r + 1}.0`;
    const ifaces: Record<string, { ip: string[] }> = { lan: { ip: [`${lan}.1/24`] } };
    const routes: { dst: string; via: string }[] = [];
    if (r > 0) ifaces.up = { ip: [`172.16.${r - 1}.2/30`] };
    if (r < shape.routers - 1) ifaces.down = { ip: [`172.16.${r}.1/30`] };
    for (let o = 0; o < shape.routers; o++) {
      if (o === r) continue;
      routes.push({ dst: `10.${o + 1}.0.0/24`, via: o < r ? `172.16.${r - 1}.1` : `172.16.${r}.2` });
    }
    nodes[`R${r}`] = { kind: 'router', interfaces: ifaces, routes };
    if (r > 0) links.push([`R${r - 1}.down`, `R${r}.up`]);
    for (let s = 0; s < swPerRouter; s++) {
      const name = `S${r}_${s}`;
      const ports = ['up', 'down', ...Array.from({ length: hostsPerSwitch }, (_, i) => `h${i}`)];
      nodes[name] = { kind: 'switch', ports };
      links.push(s === 0 ? [`R${r}.lan`, `${name}.up`] : [`S${r}_${s - 1}.down`, `${name}.up`]);
      for (let h = 0; h < hostsPerSwitch && hostIndex < shape.hosts; h++) {
        const host = `H${hostIndex++}`;
        const addr = `${lan}.${10 + s * hostsPerSwitch + h}`;
        nodes[host] = {
          kind: 'host',
          interfaces: { eth0: { ip: [`${addr}/24`] } },
          routes: [{ dst: 'default', via: `${lan}.1` }],
        };
        links.push([`${host}.eth0`, `${name}.h${h}`]);
      }
    }
  }
  return { nodes, links };
}

/**
 * Short request/response exchanges over UDP between host pairs on benchTopology (6 datagrams
 * each way per exchange, like a short HTTP exchange's segments), events not recorded.
 * Returns the packet-hops (frames put on links) and the time taken.
 */
export async function udpExchangeBench(
  exchanges = 10_000,
): Promise<{ hops: number; ms: number; events: number }> {
  const { Network } = await import('./network');
  await import('./commands');
  const net = new Network(benchTopology(), { recording: false, seed: 1 });
  const hosts = [...net.devices.values()].filter((d) => d.kind === 'host') as import('./host').Host[];
  for (const h of hosts) {
    const s = h.udp.bind(7);
    s.onMessage = (d, from) => s.send(from.address, from.port, d);
  }
  const k = net.kernel;
  const payload = new Uint8Array(300);
  for (let i = 0; i < exchanges; i++) {
    const a = hosts[(i * 7) % hosts.length]!;
    const b = hosts[(i * 13 + 5) % hosts.length]!;
    if (a === b) continue;
    const dst = [...b.ifaces.get('eth0')!.v4.map((x) => x.addr)][0]!;
    const dstText = `${dst >>> 24}.${(dst >>> 16) & 255}.${(dst >>> 8) & 255}.${dst & 255}`;
    k.schedule(i * 100_000, () => {
      const s = a.udp.bind(0);
      let got = 0;
      s.onMessage = () => {
        if (++got === 6) s.close();
      };
      for (let j = 0; j < 6; j++) s.send(dstText, 7, payload);
    });
  }
  const t0 = performance.now();
  k.run();
  return { hops: k.hops, ms: performance.now() - t0, events: k.executed };
}
