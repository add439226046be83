import { describe, expect, it } from 'vitest';
import { splitCommandLine } from '../../../core/sim/commands';
import { LAN, output, run } from './helpers';

describe('commands', () => {
  it('ping prints what iputils prints', () => {
    const n = run(LAN, [[0, 'A', 'ping -c 2 10.0.0.2']]);
    const out = output(n, 0);
    expect(out[0]).toBe('PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.');
    expect(out[1]).toMatch(/^64 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64 time=0\.\d{3} ms$/);
    expect(out[2]).toMatch(/^64 bytes from 10\.0\.0\.2: icmp_seq=2 ttl=64 time=0\.\d{3} ms$/);
    expect(out[3]).toBe('');
    expect(out[4]).toBe('--- 10.0.0.2 ping statistics ---');
    expect(out[5]).toMatch(/^2 packets transmitted, 2 received, 0% packet loss, time 100\dms$/);
    expect(out[6]).toMatch(/^rtt min\/avg\/max\/mdev = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms$/);
    expect(n.runs[0]!.status).toBe(0);
  });

  it('ping and traceroute take short options as getopt does (-c1 or -c 1; a missing value named)', () => {
    const n = run(LAN, [
      [0, 'A', 'ping -c1 10.0.0.2'],
      [1, 'A', 'ping 10.0.0.2 -c'],
      [1, 'A', 'traceroute -m 1 -q1 10.0.0.2'],
    ]);
    expect(output(n, 0)).toContain('1 packets transmitted, 1 received, 0% packet loss, time 0ms');
    expect(output(n, 1).join('\n')).toContain("option requires an argument -- 'c'");
    expect(output(n, 2)[0]).toBe('traceroute to 10.0.0.2 (10.0.0.2), 1 hops max, 60 byte packets');
  });

  it('route add -host / route -n / route del, and ip route get', () => {
    const n = run(LAN, [
      [0, 'A', 'route add -host 10.9.9.9 gw 10.0.0.2'],
      [0, 'A', 'route -n'],
      [0, 'A', 'ip route get 10.9.9.9'],
      [0, 'A', 'ip route'],
      [0, 'A', 'route del -host 10.9.9.9'],
      [0, 'A', 'ip route get 10.9.9.9'],
      [0, 'A', 'route add -net 172.16.0.0 netmask 255.255.0.0 gw 10.0.0.254 metric 5'],
      [0, 'A', 'ip route get 172.16.3.4'],
      [0, 'A', 'route add -host 10.9.9.9 gw 192.0.2.1'],
    ]);
    expect(output(n, 1)).toEqual([
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         10.0.0.254      0.0.0.0         UG    0      0        0 eth0',
      '10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 eth0',
      '10.9.9.9        10.0.0.2        255.255.255.255 UGH   0      0        0 eth0',
    ]);
    expect(output(n, 2)).toEqual(['10.9.9.9 via 10.0.0.2 dev eth0 src 10.0.0.1']);
    expect(output(n, 3)).toEqual([
      'default via 10.0.0.254 dev eth0',
      '10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1',
      '10.9.9.9 via 10.0.0.2 dev eth0',
    ]);
    expect(output(n, 5)).toEqual(['10.9.9.9 via 10.0.0.254 dev eth0 src 10.0.0.1']);
    expect(output(n, 7)).toEqual(['172.16.3.4 via 10.0.0.254 dev eth0 src 10.0.0.1']);
    // The gateway must be on a connected network.
    expect(output(n, 8)).toEqual(['SIOCADDRT: Network is unreachable']);
    expect(n.runs[8]!.status).toBe(7);
  });

  it('ip addr add puts a second address on lo, with its connected route; ip addr shows it', () => {
    const n = run(LAN, [
      [0, 'B', 'ip addr add 192.168.1.55/16 dev lo'],
      [0, 'B', 'ip addr show lo'],
      [0, 'B', 'ip route'],
    ]);
    expect(output(n, 1)).toEqual([
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '    inet 127.0.0.1/8 scope host lo',
      '       valid_lft forever preferred_lft forever',
      '    inet 192.168.1.55/16 scope global lo',
      '       valid_lft forever preferred_lft forever',
      '    inet6 ::1/128 scope host',
      '       valid_lft forever preferred_lft forever',
    ]);
    expect(output(n, 2)).toContain('192.168.0.0/16 dev lo proto kernel scope link src 192.168.1.55');
  });

  it('link NODE.IFACE down stops traffic; up restores it', () => {
    const n = run(LAN, [
      [0, undefined, 'link B.eth0 down'],
      [0.5, 'A', 'ping -c 1 -W 5 10.0.0.2'],
      [5, undefined, 'link B.eth0 up'],
      [6, 'A', 'ping -c 1 10.0.0.2'],
    ]);
    expect(output(n, 1)).toContain('From 10.0.0.1 icmp_seq=1 Destination Host Unreachable');
    expect(output(n, 3)[1]).toMatch(/^64 bytes from 10\.0\.0\.2/);
  });

  it('unknown commands say "not found" (the apps register curl, dig…); && runs in sequence', () => {
    const n = run(LAN, [
      [0, 'A', 'frobnicate --now'],
      [0, 'A', 'arp -d 10.0.0.99 && ping -c 1 10.0.0.2'],
      [0, 'A', 'arp -a && arp -a'],
    ]);
    expect(output(n, 0)).toEqual(['sh: 1: frobnicate: not found']);
    expect(n.runs[0]!.status).toBe(127);
    expect(output(n, 1)).toEqual(['No ARP entry for 10.0.0.99']);
    expect(n.runs[2]!.status).toBe(0);
    expect(splitCommandLine('echo "a b" | nc -u x 9 && arp -a')).toEqual([
      [
        ['echo', 'a b'],
        ['nc', '-u', 'x', '9'],
      ],
      [['arp', '-a']],
    ]);
  });

  it('netstat -ant prints the header (sockets come from the TCP stack)', () => {
    const n = run(LAN, [[0, 'A', 'netstat -ant']]);
    expect(output(n, 0)).toEqual([
      'Active Internet connections (servers and established)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ',
    ]);
  });

  it('ifconfig prints net-tools 2.10 blocks with counters, aliases as their own entries', () => {
    const n = run(LAN, [
      [0, 'B', 'ifconfig lo:3 192.168.1.55/16'],
      [0, 'A', 'ping -c 1 10.0.0.2'],
      [2, 'B', 'ifconfig eth0'],
      [2, 'B', 'ifconfig lo'],
    ]);
    expect(output(n, 2)).toEqual([
      'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
      '        inet 10.0.0.2  netmask 255.255.255.0  broadcast 10.0.0.255',
      '        ether 02:00:00:00:00:0b  txqueuelen 1000  (Ethernet)',
      '        RX packets 2  bytes 158 (158.0 B)',
      '        RX errors 0  dropped 0  overruns 0  frame 0',
      '        TX packets 2  bytes 158 (158.0 B)',
      '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
      '',
    ]);
    expect(output(n, 3)).toContain('lo:3: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536');
    expect(output(n, 3)).toContain('        inet 192.168.1.55  netmask 255.255.0.0');
  });
});

describe('traceroute', () => {
  it('lists each router whose TTL expiry answers, then the destination (port unreachable)', () => {
    const n = run(LAN, [[0, 'A', 'traceroute -n -q 2 192.0.2.5']]);
    const out = output(n, 0);
    expect(out[0]).toBe('traceroute to 192.0.2.5 (192.0.2.5), 30 hops max, 60 byte packets');
    expect(out[1]).toMatch(/^ 1  10\.0\.0\.254  \d+\.\d{3} ms  \d+\.\d{3} ms$/);
    expect(out[2]).toMatch(/^ 2  192\.0\.2\.5  \d+\.\d{3} ms  \d+\.\d{3} ms$/);
    expect(out).toHaveLength(3);
  });

  it('prints * for probes nobody answers', () => {
    const n = run(LAN, [
      [0, undefined, 'link S.eth0 down'],
      [0, 'A', 'traceroute -n -q 1 -m 3 -w 1 192.0.2.5'],
    ]);
    expect(output(n, 1).slice(1)).toEqual([expect.stringMatching(/^ 1  10\.0\.0\.254  /), ' 2  *', ' 3  *']);
  });
});

describe('inspector', () => {
  it('shows a host and a switch as the tools print them, at any moment', async () => {
    const { net } = await import('./helpers');
    const { parseScenario } = await import('../../../core/sim/topology');
    const n = net(LAN);
    n.load(parseScenario('steps:\n  - { at: 0, on: A, run: "ping -c 1 10.0.0.2" }\n'));
    expect(n.inspect('A')!['arp -a']).toEqual([]);
    n.kernel.run({ until: 0.5e9 });
    expect(n.inspect('A')!['arp -a']).toEqual(['? (10.0.0.2) at 02:00:00:00:00:0b [ether] on eth0']);
    expect(n.inspect('A')!['route -n']![2]).toBe(
      '0.0.0.0         10.0.0.254      0.0.0.0         UG    0      0        0 eth0',
    );
    expect(n.inspect('sw')!['bridge fdb']!.map((l) => l.split(' ')[0])).toEqual([
      '02:00:00:00:00:0a',
      '02:00:00:00:00:0b',
    ]);
    expect(n.inspect('nope')).toBeUndefined();
  });
});
