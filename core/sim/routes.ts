// A host's or router's route table: longest-prefix match (RFC 1812 §5.2.4.3), then the lowest
// metric, then the order entries were added. Connected routes come from interface addresses;
// static ones from the topology or `route add` / `ip route add`.
import { inPrefix6, ip4Text, ip6Text, maskOf, network6 } from './addr';

export interface Route4 {
  family: 4;
  /** Network address (already masked). */
  dst: number;
  prefix: number;
  mask: number;
  via?: number;
  iface: string;
  metric: number;
  /** Preferred source address (`src` in `ip route`). */
  src?: number;
  /** kernel = connected (from an address), static = configured. */
  proto: 'kernel' | 'static';
}

export interface Route6 {
  family: 6;
  dst: Uint8Array;
  prefix: number;
  via?: Uint8Array;
  iface: string;
  metric: number;
  proto: 'kernel' | 'static';
}

export interface RouteChoice4 {
  route: Route4;
  /** Every entry that matched, best first. */
  matches: Route4[];
}

export class RouteTable {
  readonly v4: Route4[] = [];
  readonly v6: Route6[] = [];
  /** Destination → chosen route, cleared whenever the table or an interface changes. */
  private cache = new Map<number, Route4 | null>();
  constructor(private readonly ifaceUp: (iface: string) => boolean) {}

  invalidate(): void {
    this.cache.clear();
  }

  add4(r: Omit<Route4, 'family' | 'mask'>): Route4 {
    const mask = maskOf(r.prefix);
    const route: Route4 = { ...r, family: 4, dst: (r.dst & mask) >>> 0, mask };
    this.v4.push(route);
    this.invalidate();
    return route;
  }

  add6(r: Omit<Route6, 'family'>): Route6 {
    const route: Route6 = { ...r, family: 6, dst: network6(r.dst, r.prefix) };
    this.v6.push(route);
    return route;
  }

  /** Removes the entries matching; returns how many went. */
  remove4(match: (r: Route4) => boolean): number {
    let n = 0;
    for (let i = this.v4.length - 1; i >= 0; i--) {
      if (match(this.v4[i]!)) {
        this.v4.splice(i, 1);
        n++;
      }
    }
    if (n) this.invalidate();
    return n;
  }

  /** The chosen route for `dst` (hot path: cached per destination). */
  lookup4(dst: number): Route4 | undefined {
    const c = this.cache.get(dst);
    if (c !== undefined) return c ?? undefined;
    let best: Route4 | undefined;
    for (const r of this.v4) {
      if ((dst & r.mask) >>> 0 !== r.dst || !this.ifaceUp(r.iface)) continue;
      if (!best || r.prefix > best.prefix || (r.prefix === best.prefix && r.metric < best.metric)) best = r;
    }
    if (this.cache.size > 65536) this.cache.clear();
    this.cache.set(dst, best ?? null);
    return best;
  }

  /** Every matching entry, best first (for explanations and `wirelens route`). */
  matches4(dst: number): RouteChoice4 | undefined {
    const m = this.v4
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => (dst & r.mask) >>> 0 === r.dst && this.ifaceUp(r.iface))
      .sort((a, b) => b.r.prefix - a.r.prefix || a.r.metric - b.r.metric || a.i - b.i)
      .map(({ r }) => r);
    return m.length ? { route: m[0]!, matches: m } : undefined;
  }

  lookup6(dst: Uint8Array): Route6 | undefined {
    let best: Route6 | undefined;
    for (const r of this.v6) {
      if (!inPrefix6(dst, r.dst, r.prefix) || !this.ifaceUp(r.iface)) continue;
      if (!best || r.prefix > best.prefix || (r.prefix === best.prefix && r.metric < best.metric)) best = r;
    }
    return best;
  }

  matches6(dst: Uint8Array): Route6[] {
    return this.v6
      .filter((r) => inPrefix6(dst, r.dst, r.prefix) && this.ifaceUp(r.iface))
      .sort((a, b) => b.prefix - a.prefix || a.metric - b.metric);
  }

  /** Entries in the kernel's dump order: by destination, longer prefixes first. */
  sorted4(): Route4[] {
    return this.v4
      .filter((r) => this.ifaceUp(r.iface))
      .map((r, i) => ({ r, i }))
      .sort((a, b) => a.r.dst - b.r.dst || b.r.prefix - a.r.prefix || a.r.metric - b.r.metric || a.i - b.i)
      .map(({ r }) => r);
  }
}

export function routeText4(r: Route4): string {
  return `${r.prefix === 0 ? 'default' : r.prefix === 32 ? ip4Text(r.dst) : `${ip4Text(r.dst)}/${r.prefix}`}${r.via !== undefined ? ` via ${ip4Text(r.via)}` : ''} dev ${r.iface}`;
}

export function routeText6(r: Route6): string {
  return `${r.prefix === 0 ? 'default' : `${ip6Text(r.dst)}/${r.prefix}`}${r.via ? ` via ${ip6Text(r.via)}` : ''} dev ${r.iface}`;
}

/** `route -n` flags: U up, G gateway, H host (net-tools route(8)). */
export function routeFlags(r: Route4): string {
  return `U${r.via !== undefined ? 'G' : ''}${r.prefix === 32 ? 'H' : ''}`;
}

/** `route -n` (net-tools): fixed-width columns as /proc/net/route is printed. */
export function formatRouteN(routes: Route4[]): string[] {
  const lines = [
    'Kernel IP routing table',
    'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
  ];
  for (const r of routes) {
    lines.push(
      `${ip4Text(r.dst).padEnd(15)} ${(r.via !== undefined ? ip4Text(r.via) : '0.0.0.0').padEnd(15)} ${ip4Text(r.mask).padEnd(15)} ${routeFlags(r).padEnd(5)} ${String(r.metric).padEnd(6)} ${'0'.padEnd(2)} ${'0'.padStart(7)} ${r.iface}`,
    );
  }
  return lines;
}

/** `ip route` (iproute2). */
export function formatIpRoute(routes: Route4[]): string[] {
  return routes.map((r) => {
    let s = routeText4(r);
    if (r.proto === 'kernel') s += ' proto kernel scope link';
    else if (r.via === undefined) s += ' scope link';
    if (r.src !== undefined) s += ` src ${ip4Text(r.src)}`;
    if (r.metric) s += ` metric ${r.metric}`;
    return s;
  });
}

export function formatIpRoute6(routes: Route6[]): string[] {
  return routes.map(
    (r) =>
      `${routeText6(r)}${r.proto === 'kernel' ? ' proto kernel' : ''} metric ${r.metric || 1024} pref medium`,
  );
}
