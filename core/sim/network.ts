// A whole simulated network: devices and links built from a topology, taps, timed commands
// from a scenario, their output, and the captures (pcapng).
import { createCaptureWriter } from '../capture/writer';
import type { CaptureWriter } from '../capture/types';
import { ip4, parseCidr, parseEther } from './addr';
import { runCommandLine, type SimCommandContext } from './commands';
import { Device, Link, Port, Tap, type TapRecord } from './device';
import { Host } from './host';
import { Kernel, parseBandwidth, parseDuration } from './kernel';
import { serviceFactory } from './services';
import { SECOND, type SimEvent, type SimTime } from './stack';
import { Hub, Switch } from './switch';
import { formatIpRoute, formatIpRoute6, formatRouteN } from './routes';
import type { ScenarioSpec, TopologySpec } from './topology';

export interface CommandRun {
  at: SimTime;
  node: string;
  command: string;
  output: string[];
  status?: number;
  finished?: SimTime;
}

export interface NetworkOptions {
  seed?: number;
  /** Record explanation events (off for benchmarks). */
  recording?: boolean;
}

const LINKTYPE_ETHERNET = 1;

export class Network {
  readonly kernel: Kernel;
  readonly devices = new Map<string, Device>();
  readonly links: Link[] = [];
  readonly taps: Tap[] = [];
  /** Every captured frame of every tap, in capture order. */
  readonly captured: { tap: Tap; rec: TapRecord }[] = [];
  readonly runs: CommandRun[] = [];

  constructor(
    readonly spec: TopologySpec,
    opts: NetworkOptions = {},
  ) {
    this.kernel = new Kernel(opts.seed ?? spec.seed ?? 1, opts.recording ?? true);
    this.build();
  }

  host(name: string): Host | undefined {
    const d = this.devices.get(name);
    return d instanceof Host ? d : undefined;
  }

  port(endpoint: string): Port | undefined {
    const dot = endpoint.indexOf('.');
    return this.devices.get(endpoint.slice(0, dot))?.ports.get(endpoint.slice(dot + 1));
  }

  private build(): void {
    const k = this.kernel;
    let nodeIndex = 0;
    for (const [name, n] of Object.entries(this.spec.nodes)) {
      nodeIndex++;
      // Locally administered MACs, unique per node and port: 02:00:NN:NN:PP:PP.
      const autoMac = (portIndex: number): Uint8Array =>
        new Uint8Array([
          0x02,
          0x00,
          (nodeIndex >> 8) & 0xff,
          nodeIndex & 0xff,
          (portIndex >> 8) & 0xff,
          portIndex & 0xff,
        ]);
      if (n.kind === 'switch' || n.kind === 'hub') {
        const dev = n.kind === 'switch' ? new Switch(name, k) : new Hub(name, k);
        if (dev instanceof Switch && n.ageing !== undefined) dev.ageing = parseDuration(n.ageing)!;
        const ports = Array.isArray(n.ports)
          ? n.ports.map((p) => [p, null] as const)
          : Object.entries(n.ports ?? {});
        ports.forEach(([pn, cfg], i) => {
          const mac = (cfg?.mac && parseEther(cfg.mac)) || autoMac(i + 1);
          if (dev instanceof Switch) dev.addPort(pn, mac, cfg ?? {});
          else dev.addPort(pn, mac);
        });
        this.devices.set(name, dev);
        continue;
      }
      const h = new Host(name, n.kind, k);
      if (n.forwarding !== undefined) h.forwarding = n.forwarding;
      let portIndex = 0;
      for (const [iname, i] of Object.entries(n.interfaces ?? {})) {
        const iface =
          iname === 'lo' ? h.lo : h.addIface(iname, (i?.mac && parseEther(i.mac)) || autoMac(++portIndex));
        if (i?.mtu) iface.mtu = i.mtu;
        if (i?.up === false) iface.up = false;
        const ips = i?.ip === undefined ? [] : Array.isArray(i.ip) ? i.ip : [i.ip];
        for (const a of ips) {
          const c = parseCidr(a)!;
          if (c.family === 4) h.addAddress4(iname, c.addr, c.prefix, { brd: iname !== 'lo' });
          else h.addAddress6(iname, c.addr, c.prefix);
        }
      }
      if (n.arp?.timeout !== undefined) h.arpTimeout = parseDuration(n.arp.timeout)!;
      if (n.arp?.retries !== undefined) h.arpRetries = n.arp.retries;
      if (n.arp?.interval !== undefined) h.arpInterval = parseDuration(n.arp.interval)!;
      h.resolvers = n.nameservers ?? [];
      for (const [hn, addr] of Object.entries(n.hosts ?? {})) h.hosts.set(hn.toLowerCase(), addr);
      if (n.nat) {
        const masq =
          n.nat.masquerade === undefined
            ? []
            : Array.isArray(n.nat.masquerade)
              ? n.nat.masquerade
              : [n.nat.masquerade];
        h.nat = {
          masquerade: masq,
          forward: (n.nat.forward ?? []).map((f) => {
            const m = /^(.+):(\d+)$/.exec(f.to)!;
            return {
              protocol: f.proto === 'udp' ? 17 : 6,
              port: f.port,
              to: ip4(m[1]!)!,
              toPort: Number(m[2]),
              iface: f.dev,
            };
          }),
        };
      }
      this.devices.set(name, h);
    }
    for (const l of this.spec.links ?? []) {
      const ends = Array.isArray(l) ? l : (l.segment ?? [l.a!, l.b!]);
      const opts = Array.isArray(l) ? {} : l;
      const ports = ends.map((e) => this.port(e)!);
      const link = new Link(ports, k, {
        delay: opts.delay === undefined ? undefined : parseDuration(opts.delay),
        bandwidth: opts.bandwidth === undefined ? undefined : parseBandwidth(opts.bandwidth),
        mtu: opts.mtu,
        loss: opts.loss,
        queue: opts.queue,
      });
      if (opts.up === false) link.up = false;
      // Interfaces take the link's MTU unless they set their own.
      for (const p of ports) {
        const cfg = this.spec.nodes[p.device.name]?.interfaces?.[p.name];
        if (opts.mtu && !cfg?.mtu) p.mtu = opts.mtu;
      }
      this.links.push(link);
    }
    // Routes after links and addresses (a gateway's interface is found by lookup).
    for (const [name, n] of Object.entries(this.spec.nodes)) {
      const h = this.host(name);
      if (!h) continue;
      for (const r of n.routes ?? []) {
        const dst = r.dst === 'default' ? { family: 4 as const, addr: 0, prefix: 0 } : parseCidr(r.dst)!;
        if (dst.family === 6 || (r.via && r.via.includes(':'))) {
          const via = r.via ? parseCidr(r.via)!.addr : undefined;
          const dev = r.dev ?? (via ? h.routes.lookup6(via as Uint8Array)?.iface : undefined);
          if (!dev) throw new Error(`nodes.${name}.routes: no interface reaches ${r.via}`);
          h.routes.add6({
            dst: dst.family === 6 ? dst.addr : new Uint8Array(16),
            prefix: dst.family === 6 ? dst.prefix : 0,
            via: via as Uint8Array | undefined,
            iface: dev,
            metric: r.metric ?? 1024,
            proto: 'static',
          });
          continue;
        }
        const via = r.via ? ip4(r.via) : undefined;
        let dev = r.dev;
        if (!dev && via !== undefined) dev = h.routes.lookup4(via)?.iface;
        if (!dev)
          throw new Error(`nodes.${name}.routes: gateway ${r.via} is not on a connected network of ${name}`);
        h.routes.add4({
          dst: dst.addr,
          prefix: dst.prefix,
          via,
          iface: dev,
          metric: r.metric ?? 0,
          proto: 'static',
          src: r.src ? ip4(r.src) : undefined,
        });
      }
    }
    // Services (apps register theirs; see services.ts).
    for (const [name, n] of Object.entries(this.spec.nodes)) {
      const h = this.host(name);
      if (!h || !n.services) continue;
      for (const [svc, cfg] of Object.entries(n.services)) {
        const start = serviceFactory(svc);
        if (start) start(h, cfg);
        else
          h.note(
            'app',
            undefined,
            `${name}: service "${svc}" is not available in this build (it needs the applications)`,
          );
      }
    }
    // Taps from the topology.
    const taps = this.spec.taps;
    if (taps === 'all') this.tapAll();
    else for (const ep of taps ?? []) this.tap(ep);
    for (const [name, n] of Object.entries(this.spec.nodes)) {
      if (n.tap === true)
        for (const p of this.devices.get(name)!.ports.values())
          if (p.name !== 'lo') this.tap(`${name}.${p.name}`);
      if (Array.isArray(n.tap)) for (const p of n.tap) this.tap(`${name}.${p}`);
    }
  }

  tapAll(): void {
    for (const d of this.devices.values()) {
      if (d.kind === 'switch' || d.kind === 'hub') continue;
      for (const p of d.ports.values()) if (p.link) this.tap(p.fullName);
    }
  }

  /** Taps an interface (idempotent); its frames go to the pcapng output. */
  tap(endpoint: string): Tap {
    const p = this.port(endpoint);
    if (!p) throw new Error(`no interface ${endpoint}`);
    if (p.tap) return p.tap;
    p.tap = new Tap(p, (tap, rec) => this.captured.push({ tap, rec }));
    this.taps.push(p.tap);
    return p.tap;
  }

  setLink(endpoint: string, up: boolean): string | undefined {
    const p = this.port(endpoint);
    if (!p) return `no interface ${endpoint}`;
    p.up = up;
    p.device.linkChanged(p);
    if (p.link) for (const other of p.link.ends) if (other !== p) other.device.linkChanged(other);
    if (this.kernel.recording) p.device.note('link', p.name, `${endpoint} is ${up ? 'up' : 'down'}`);
    return undefined;
  }

  /** Runs a command line on a node now; its output collects in `runs`. */
  runCommand(node: string | undefined, line: string): CommandRun {
    const k = this.kernel;
    const run: CommandRun = { at: k.now(), node: node ?? '', command: line, output: [] };
    this.runs.push(run);
    const dev = node ? this.devices.get(node) : undefined;
    if (k.recording)
      k.record({ time: k.now(), node: node ?? '', kind: 'command', text: `${node ?? ''}$ ${line}` });
    const host = dev instanceof Host ? dev : undefined;
    const ctx: SimCommandContext = {
      node: node ?? '',
      clock: k,
      host: host as Host,
      print: (l) => run.output.push(l),
      exit: (status) => {
        if (run.status !== undefined) return;
        run.status = status;
        run.finished = k.now();
      },
      setLink: (ep, up) => this.setLink(ep, up),
    };
    if (node && !dev) {
      run.output.push(`no node "${node}"`);
      run.status = 2;
      return run;
    }
    if (dev && !host && !/^\s*link\s/.test(line)) {
      run.output.push(`${node} is a ${dev.kind}: it runs no commands`);
      run.status = 2;
      return run;
    }
    runCommandLine(line, ctx);
    return run;
  }

  /** Schedules a scenario's steps and runs until everything settles (or `until`). */
  runScenario(s: ScenarioSpec, limits: { until?: SimTime; maxEvents?: number } = {}): void {
    this.load(s);
    const until =
      limits.until ?? (s.until !== undefined ? parseDuration(s.until) : undefined) ?? 600 * SECOND;
    const max = limits.maxEvents ?? 20_000_000;
    const n = this.kernel.run({ until, maxEvents: max });
    const k = this.kernel;
    if (n >= max && k.pending())
      this.stopped = `the simulation stopped after ${max} events at ${(k.now() / SECOND).toFixed(3)} s (a runaway scenario?)`;
    else if (k.pending())
      this.stopped = `the simulation stopped at ${(k.now() / SECOND).toFixed(3)} s with work still scheduled`;
  }

  /** Taps and schedules a scenario's steps without running (for play / pause / step views:
   * then `kernel.run({ until })` or `kernel.run({ maxEvents: 1 })`). */
  load(s: ScenarioSpec): void {
    const k = this.kernel;
    if (s.taps === 'all') this.tapAll();
    else for (const ep of s.taps ?? []) this.tap(ep);
    for (const st of s.steps) k.at(parseDuration(st.at)!, () => this.runCommand(st.on, st.run));
  }

  /** A device's state as the tools print it, at the current simulated time (the inspector). */
  inspect(node: string): Record<string, string[]> | undefined {
    const d = this.devices.get(node);
    if (!d) return undefined;
    if (d instanceof Switch) return { 'bridge fdb': d.macTable() };
    if (!(d instanceof Host)) return { ports: [...d.ports.keys()] };
    return {
      'route -n': formatRouteN(d.routes.sorted4()),
      'ip route': formatIpRoute(d.routes.sorted4()),
      'ip -6 route': formatIpRoute6(d.routes.v6),
      'arp -a': d.arpTable(),
      'ip neigh': d.neighTable(),
      'ip addr': d.ipAddr(),
      'netstat -ant': d.tcp.netstat(),
    };
  }

  /** Why the last run stopped early, if it did. */
  stopped: string | undefined;

  get events(): SimEvent[] {
    return this.kernel.events;
  }

  /** The commands' output as a terminal would show it: `[0.000] A$ ping …` then its lines. */
  transcript(): string {
    let s = '';
    for (const r of this.runs) {
      s += `[${(r.at / SECOND).toFixed(3)}] ${r.node}$ ${r.command}\n`;
      for (const l of r.output) s += `${l}\n`;
      if (r.status === undefined) s += `(still running at the end of the simulation)\n`;
    }
    if (this.stopped) s += `(${this.stopped})\n`;
    return s;
  }

  private timestamp(t: SimTime): { tsSec: number; tsNsec: number } {
    return { tsSec: this.kernel.epoch + Math.floor(t / SECOND), tsNsec: t % SECOND };
  }

  /** One pcapng with an interface block per tapped interface, frames in capture order. */
  writeCombined(target: string | ((chunk: Uint8Array) => void), comment?: string): void {
    const w = createCaptureWriter(target, 'pcapng', { nanosecond: true, comment });
    const ids = new Map<Tap, number>();
    for (const tap of this.taps)
      ids.set(
        tap,
        w.addInterface({
          linkType: LINKTYPE_ETHERNET,
          snapLen: 262144,
          name: tap.port.fullName,
          description: describePort(tap.port),
        }),
      );
    for (const { tap, rec } of this.captured)
      w.writePacket({ interfaceId: ids.get(tap)!, ...this.timestamp(rec.time), data: rec.data });
    w.close();
  }

  /** One pcapng per tapped interface: `write(tap, writer)` gets each. */
  writeEach(open: (tap: Tap) => CaptureWriter): void {
    for (const tap of this.taps) {
      const w = open(tap);
      const id = w.addInterface({
        linkType: LINKTYPE_ETHERNET,
        snapLen: 262144,
        name: tap.port.name,
        description: describePort(tap.port),
      });
      for (const rec of tap.records)
        w.writePacket({ interfaceId: id, ...this.timestamp(rec.time), data: rec.data });
      w.close();
    }
  }
}

function describePort(p: Port): string {
  const other = p.link?.ends.filter((e) => e !== p).map((e) => e.fullName);
  return `${p.fullName}${other?.length ? ` (linked to ${other.join(', ')})` : ''}`;
}
