// The seams the applications and TCP plug into (core/sim/stack.ts): a service started from the
// topology's `services:`, a command registered by name, a TCP implementation registered before
// the network is built.
import { afterAll, describe, expect, it } from 'vitest';
import { registerCommand, registerService, registerTcp } from '../../../core/sim';
import type { Host } from '../../../core/sim/host';
import type { TcpService } from '../../../core/sim/stack';
import { output, run } from './helpers';

const TOPO = `
nodes:
  C: { kind: host, interfaces: { eth0: { ip: [10.0.0.1/24] } }, nameservers: [10.0.0.2], hosts: { server.test: 10.0.0.2 } }
  S:
    kind: host
    interfaces: { eth0: { ip: [10.0.0.2/24] } }
    services: { shout: { port: 7777, prefix: "HELLO " } }
links:
  - [C.eth0, S.eth0]
taps: [C.eth0]
`;

describe('seams for the applications', () => {
  it('a registered service and command talk over UDP through the simulated network', () => {
    registerService('shout', (host, config) => {
      const cfg = config as { port: number; prefix: string };
      const sock = host.udp.bind(cfg.port);
      sock.onMessage = (data, from) =>
        sock.send(
          from.address,
          from.port,
          new TextEncoder().encode(cfg.prefix + new TextDecoder().decode(data).toUpperCase()),
        );
    });
    registerCommand('shout', (argv, ctx) => {
      const [, name, port, word] = argv;
      const addr = ctx.host.staticName(name!) ?? name!;
      const sock = ctx.host.udp.bind(0);
      const timer = ctx.clock.schedule(2e9, () => {
        ctx.print(';; timed out');
        sock.close();
        ctx.exit(9);
      });
      sock.onMessage = (data) => {
        ctx.clock.cancel(timer);
        ctx.print(new TextDecoder().decode(data));
        ctx.print(`(server ${ctx.host.nameservers()[0]})`);
        sock.close();
        ctx.exit(0);
      };
      sock.send(addr, Number(port), new TextEncoder().encode(word!));
    });
    const n = run(TOPO, [[0, 'C', 'shout server.test 7777 world']]);
    expect(output(n, 0)).toEqual(['HELLO WORLD', '(server 10.0.0.2)']);
    expect(n.runs[0]!.status).toBe(0);
  });

  it('a TCP implementation registered before the network is built serves netstat and protocol 6', () => {
    const seen: string[] = [];
    registerTcp((host: Host): TcpService => {
      host.register(6, (payload, info) =>
        seen.push(`${host.name} got ${payload.length} TCP bytes from ${info.src}`),
      );
      return {
        listen: () => undefined,
        connect: () => {
          throw new Error('not in this test');
        },
        netstat: () => [`tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN     `],
      };
    });
    const n = run(TOPO, [[0, 'S', 'netstat -ant']]);
    expect(output(n, 0)[2]).toBe(
      'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN     ',
    );
    const c = n.host('C')!;
    c.ip.send({ dst: '10.0.0.2', protocol: 6, payload: new Uint8Array(20) });
    n.kernel.run();
    expect(seen).toEqual(['S got 20 TCP bytes from 10.0.0.1']);
  });
});

afterAll(() => {
  // Leave no fake TCP behind for other test files in the same worker.
  registerTcp(undefined);
});
