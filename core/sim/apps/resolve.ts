// Name resolution for the simulated applications, as glibc's stub resolver does it: an address
// literal as is, then /etc/hosts (`staticName`), then a DNS A query over UDP to the first
// nameserver (5 s timeout, 2 attempts per server — resolv.conf's defaults).
import { encodeDns, parseDns } from '../../protocols/dns-encode';
import { ip4 } from '../addr';
import { SECOND, type HostServices } from '../stack';

export function resolveName(
  host: HostServices,
  name: string,
  done: (address: string | undefined, error?: string) => void,
): void {
  if (ip4(name) !== undefined) {
    done(name);
    return;
  }
  if (name.toLowerCase() === 'localhost') {
    done('127.0.0.1');
    return;
  }
  const fixed = host.staticName(name);
  if (fixed) {
    done(fixed);
    return;
  }
  const servers = host.nameservers();
  if (!servers.length) {
    done(undefined, 'no nameserver');
    return;
  }
  const clock = host.ip.clock;
  const sock = host.udp.bind(0);
  const id = Math.floor(clock.random() * 65536);
  let attempt = 0;
  let timer: ReturnType<typeof clock.schedule> | undefined;
  const finish = (a: string | undefined, err?: string): void => {
    clock.cancel(timer);
    sock.close();
    done(a, err);
  };
  const ask = (): void => {
    if (attempt >= servers.length * 2) {
      finish(undefined, 'timed out');
      return;
    }
    const server = servers[attempt % servers.length]!;
    attempt++;
    sock.send(server, 53, encodeDns({ id, recursionDesired: true, questions: [{ name, type: 1 }] }));
    timer = clock.schedule(5 * SECOND, ask);
  };
  sock.onMessage = (payload) => {
    const m = parseDns(payload);
    if (!m || m.id !== id || !m.response) return;
    const a = m.answers?.find((r) => r.type === 1 && r.address);
    finish(a?.address, a ? undefined : m.rcode === 3 ? 'NXDOMAIN' : 'no address');
  };
  ask();
}
