// The simulator's TCP benchmark (bench/run.mjs): `exchanges` short HTTP/1.1 exchanges (connect,
// GET, a 1 KB response, close) between host pairs on the bench topology (200 hosts, 20 switches,
// 4 routers), events not recorded. Returns the packet-hops (frames put on links) and the time.
import { benchTopology } from '../bench';
import type { Host } from '../host';
import { Network } from '../network';
import '../tcp';
import './http';
import { curl } from './http';
import { startHttpServer } from './http';

export async function httpExchangeBench(
  exchanges = 10_000,
): Promise<{ hops: number; ms: number; cpuMs: number; events: number; completed: number }> {
  const net = new Network(benchTopology(), { recording: false, seed: 1 });
  const hosts = [...net.devices.values()].filter((d) => d.kind === 'host') as Host[];
  const body = 'x'.repeat(1024);
  for (const h of hosts) startHttpServer(h, { port: 80, files: { '/': body } });
  const k = net.kernel;
  let completed = 0;
  for (let i = 0; i < exchanges; i++) {
    const a = hosts[(i * 7) % hosts.length]!;
    const b = hosts[(i * 13 + 5) % hosts.length]!;
    if (a === b) continue;
    const dst = b.ifaces.get('eth0')!.v4[0]!.addr;
    const url = `http://${dst >>> 24}.${(dst >>> 16) & 255}.${(dst >>> 8) & 255}.${dst & 255}/`;
    k.schedule(i * 100_000, () =>
      curl(['curl', '-s', '-o', '/dev/null', url], {
        node: a.name,
        clock: k,
        host: a,
        print: () => undefined,
        exit: (status) => {
          if (status === 0) completed++;
        },
      }),
    );
  }
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  k.run();
  const cpu = process.cpuUsage(c0);
  return {
    hops: k.hops,
    ms: performance.now() - t0,
    // CPU time too: wall time is noisy on a shared machine
    cpuMs: (cpu.user + cpu.system) / 1000,
    events: k.executed,
    completed,
  };
}
