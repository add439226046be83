// The simulated applications end to end: dig against the DNS service, curl against the HTTP
// service (by name, keep-alive, chunked, HEAD, 404, refused), checked in their output and in
// the frames on the wire.
import { describe, expect, it } from 'vitest';
import '../../../core/sim';
import { parseDns } from '../../../core/protocols/dns-encode';
import { frames, output, run } from './helpers';

const NET = `
nodes:
  A:
    kind: host
    interfaces: { eth0: { mac: "02:00:00:00:00:0a", ip: [10.0.0.1/24] } }
    nameservers: [10.0.0.53]
  D:
    kind: host
    interfaces: { eth0: { mac: "02:00:00:00:00:35", ip: [10.0.0.53/24] } }
    services:
      dns: { records: { www.example.test: { A: [10.0.0.2] }, web.example.test: { CNAME: www.example.test } } }
  B:
    kind: host
    interfaces: { eth0: { mac: "02:00:00:00:00:0b", ip: [10.0.0.2/24] } }
    services:
      http: { port: 80, files: { /index.html: "<html>hi</html>", /a.txt: "first\\n", /big.txt: { size: 20000, chunked: true } } }
  sw: { kind: switch, ports: [p1, p2, p3] }
links:
  - [A.eth0, sw.p1]
  - [D.eth0, sw.p2]
  - [B.eth0, sw.p3]
taps: [A.eth0]
`;

function tcpFlags(n: ReturnType<typeof run>): string[] {
  return frames(n, 'A.eth0')
    .filter((d) => d[12] === 8 && d[13] === 0 && d[23] === 6)
    .map((d) => {
      const f = d[14 + (d[14]! & 15) * 4 + 13]!;
      return `${f & 2 ? 'S' : ''}${f & 1 ? 'F' : ''}${f & 4 ? 'R' : ''}${f & 8 ? 'P' : ''}${f & 16 ? '.' : ''}`;
    });
}

describe('dig and the DNS service', () => {
  it('prints the answer as dig does and sends a real query/response', () => {
    const n = run(NET, [[0, 'A', 'dig web.example.test']]);
    const out = output(n, 0);
    expect(out).toContain(';; flags: qr aa rd ra; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 0');
    expect(out).toContain(';web.example.test.\t\tIN\tA');
    expect(out).toContain('web.example.test.\t300\tIN\tCNAME\twww.example.test.');
    expect(out).toContain('www.example.test.\t300\tIN\tA\t10.0.0.2');
    expect(out).toContain(';; SERVER: 10.0.0.53#53(10.0.0.53) (UDP)');
    const dns = frames(n, 'A.eth0').filter((d) => d[23] === 17 && ((d[34]! << 8) | d[35]!) === 53);
    const q = parseDns(dns[0]!.subarray(42))!;
    expect(q.questions).toEqual([{ name: 'web.example.test', type: 1, class: 1 }]);
  });

  it('says NXDOMAIN for an unknown name, and +short prints only the data', () => {
    const n = run(NET, [
      [0, 'A', 'dig @10.0.0.53 nope.example.test'],
      [1, 'A', 'dig +short www.example.test'],
    ]);
    expect(output(n, 0).some((l) => l.includes('status: NXDOMAIN'))).toBe(true);
    expect(output(n, 1)).toEqual(['10.0.0.2']);
  });
});

describe('curl and the HTTP service', () => {
  it('fetches by name, over one kept-alive connection for two URLs', () => {
    const n = run(NET, [[0, 'A', 'curl http://www.example.test/index.html http://www.example.test/a.txt']]);
    expect(output(n, 0)).toEqual(['<html>hi</html>', 'first']);
    const flags = tcpFlags(n);
    expect(flags.filter((f) => f === 'S')).toHaveLength(1);
    expect(flags.filter((f) => f === 'P.')).toHaveLength(4);
  });

  it('decodes a chunked body and saves with -o', () => {
    const n = run(NET, [[0, 'A', 'curl -o /tmp/big.txt http://10.0.0.2/big.txt']]);
    expect(output(n, 0).join('\n')).toContain('20000 bytes');
  });

  it('-I prints the headers of a HEAD request; a missing file is a 404', () => {
    const n = run(NET, [
      [0, 'A', 'curl -I http://10.0.0.2/index.html'],
      [1, 'A', 'curl http://10.0.0.2/missing'],
    ]);
    expect(output(n, 0)[0]).toBe('HTTP/1.1 200 OK');
    expect(output(n, 0)).toContain('Content-Length: 15');
    expect(output(n, 1)).toEqual(['404 page not found']);
  });

  it('reports a refused connection as curl does', () => {
    const n = run(NET, [[0, 'A', 'curl http://10.0.0.2:8080/']]);
    expect(output(n, 0)).toEqual(['curl: (7) Failed to connect to 10.0.0.2 port 8080: Connection refused']);
    expect(n.runs[0]!.status).toBe(7);
  });
});

const DHCP_NET = `
nodes:
  c: { kind: host, interfaces: { eth0: { mac: "02:00:00:00:00:c1" } } }
  s:
    kind: host
    interfaces: { eth0: { mac: "02:00:00:00:00:05", ip: [10.9.0.1/24] } }
    services:
      dhcp: { pool: [10.9.0.50, 10.9.0.60], router: 10.9.0.1, dns: [10.9.0.1], lease: 600 }
      tftp: { files: { boot.txt: "hello tftp" } }
      dns: { records: { s.lan: { A: [10.9.0.1] } } }
links:
  - [c.eth0, s.eth0]
taps: [c.eth0]
`;

describe('udhcpc, the DHCP service and TFTP', () => {
  it('leases an address, the default route and the resolver, then uses them', () => {
    const n = run(DHCP_NET, [
      [0, 'c', 'udhcpc -i eth0'],
      [2, 'c', 'ip route'],
      [3, 'c', 'dig +short s.lan'],
      [4, 'c', 'tftp -g -r boot.txt 10.9.0.1'],
      [6, 'c', 'tftp -p -l boot.txt -r copy.txt 10.9.0.1'],
      [8, 'c', 'tftp -g -r copy.txt -l again.txt 10.9.0.1'],
      [10, 'c', 'tftp -g -r nothing 10.9.0.1'],
    ]);
    expect(output(n, 0)).toEqual([
      'udhcpc: broadcasting discover',
      'udhcpc: broadcasting select for 10.9.0.50, server 10.9.0.1',
      'udhcpc: lease of 10.9.0.50 obtained from 10.9.0.1, lease time 600',
    ]);
    expect(output(n, 1).join('\n')).toContain('default via 10.9.0.1 dev eth0');
    expect(output(n, 2)).toEqual(['10.9.0.1']);
    expect(output(n, 3)).toEqual(['Received 10 bytes in 0.0 seconds']);
    expect(output(n, 4)).toEqual(['Sent 10 bytes in 0.0 seconds']);
    expect(output(n, 5)).toEqual(['Received 10 bytes in 0.0 seconds']);
    expect(output(n, 6)).toEqual(['tftp: server error: (1) File not found']);
    expect(n.runs[6]!.status).toBe(1);
  });
});

describe('nc over TCP', () => {
  it('sends stdin, half-closes with -N and exits when the peer closes', () => {
    const n = run(
      `
nodes:
  A: { kind: host, interfaces: { eth0: { ip: [10.0.0.1/24] } } }
  B: { kind: host, interfaces: { eth0: { ip: [10.0.0.2/24] } }, services: { discard: { port: 9 } } }
links:
  - [A.eth0, B.eth0]
taps: [A.eth0]
`,
      [[0, 'A', 'echo hello | nc -N 10.0.0.2 9']],
    );
    expect(n.runs[0]!.status).toBe(0);
    expect(tcpFlags(n)).toEqual(['S', 'S.', '.', 'P.', 'F.', '.', '.', 'F.', '.']);
  });
});
