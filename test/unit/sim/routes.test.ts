import { describe, expect, it } from 'vitest';
import { ip4, ip4Text } from '../../../core/sim/addr';
import { RouteTable, formatIpRoute, formatRouteN } from '../../../core/sim/routes';

const a = (t: string): number => ip4(t)!;

function quiz(): RouteTable {
  const t = new RouteTable(() => true);
  // Seed 002's quiz table.
  t.add4({ dst: a('128.75.43.0'), prefix: 24, via: a('10.0.1.2'), iface: 'A', metric: 0, proto: 'static' });
  t.add4({ dst: a('128.75.43.0'), prefix: 25, via: a('10.0.2.2'), iface: 'B', metric: 0, proto: 'static' });
  t.add4({ dst: a('192.12.17.5'), prefix: 32, via: a('10.0.3.2'), iface: 'C', metric: 0, proto: 'static' });
  t.add4({ dst: 0, prefix: 0, via: a('10.0.4.2'), iface: 'D', metric: 0, proto: 'static' });
  return t;
}

describe('route table', () => {
  it('chooses the longest matching prefix (the quiz of seed 002)', () => {
    const t = quiz();
    expect(t.lookup4(a('128.75.43.16'))?.iface).toBe('B');
    expect(t.lookup4(a('128.75.43.200'))?.iface).toBe('A');
    expect(t.lookup4(a('192.12.17.5'))?.iface).toBe('C');
    expect(t.lookup4(a('192.12.17.10'))?.iface).toBe('D');
    expect(t.matches4(a('128.75.43.16'))!.matches.map((r) => r.prefix)).toEqual([25, 24, 0]);
  });

  it('breaks prefix ties by metric, and skips routes whose interface is down', () => {
    const up = new Set(['eth0', 'eth1']);
    const t = new RouteTable((i) => up.has(i));
    t.add4({ dst: 0, prefix: 0, via: a('10.0.0.1'), iface: 'eth0', metric: 100, proto: 'static' });
    t.add4({ dst: 0, prefix: 0, via: a('10.1.0.1'), iface: 'eth1', metric: 50, proto: 'static' });
    expect(t.lookup4(a('8.8.8.8'))?.iface).toBe('eth1');
    up.delete('eth1');
    t.invalidate();
    expect(t.lookup4(a('8.8.8.8'))?.iface).toBe('eth0');
    t.remove4(() => true);
    expect(t.lookup4(a('8.8.8.8'))).toBeUndefined();
  });

  it('prints route -n as net-tools does (seed 002 after route add -host)', () => {
    const t = new RouteTable(() => true);
    t.add4({
      dst: a('192.168.1.0'),
      prefix: 24,
      iface: 'eth0',
      metric: 0,
      proto: 'kernel',
      src: a('192.168.1.3'),
    });
    t.add4({ dst: 0, prefix: 0, via: a('192.168.1.1'), iface: 'eth0', metric: 0, proto: 'static' });
    t.add4({
      dst: a('192.168.1.55'),
      prefix: 32,
      via: a('192.168.1.2'),
      iface: 'eth0',
      metric: 0,
      proto: 'static',
    });
    expect(formatRouteN(t.sorted4())).toEqual([
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 eth0',
      '192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 eth0',
      '192.168.1.55    192.168.1.2     255.255.255.255 UGH   0      0        0 eth0',
    ]);
    expect(formatIpRoute(t.sorted4())).toEqual([
      'default via 192.168.1.1 dev eth0',
      '192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.3',
      '192.168.1.55 via 192.168.1.2 dev eth0',
    ]);
  });

  it('masks the destination it is given', () => {
    const t = new RouteTable(() => true);
    const r = t.add4({ dst: a('10.1.2.3'), prefix: 16, iface: 'x', metric: 0, proto: 'static' });
    expect(ip4Text(r.dst)).toBe('10.1.0.0');
  });
});
