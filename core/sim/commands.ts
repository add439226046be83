// Commands a scenario runs on a node, spelled like the Linux tools (iputils ping, net-tools
// route/arp/netstat, iproute2 ip, OpenBSD nc) and answering in their formats. Other parts add
// commands with `registerCommand` (core/sim/apps/: curl, dig, dhclient…).
import { encodeIcmp } from '../protocols/icmp';
import { encodeIcmpv6 } from '../protocols/icmpv6';
import { encodeUdp } from '../protocols/udp';
import { ip4, ip4Text, ip6, ip6Text, maskOf, parseCidr, parseEther } from './addr';
import { Host, type IcmpMessage } from './host';
import type { Kernel } from './kernel';
import { formatIpRoute, formatIpRoute6, formatRouteN } from './routes';
import { MS, SECOND, type CommandContext, type HostServices } from './stack';

export type CommandFn = (args: string[], ctx: CommandContext) => void;

const registry = new Map<string, CommandFn>();

/** Adds (or replaces) a command. `args[0]` is the command's name, as in argv. */
export function registerCommand(name: string, fn: CommandFn): void {
  registry.set(name, fn);
}

export function commandNames(): string[] {
  return [...registry.keys()].sort();
}

/** What the simulator adds to a command's context: the network (for `link`). */
export interface SimCommandContext extends CommandContext {
  setLink(endpoint: string, up: boolean): string | undefined;
  /** The text piped in (`echo hello | nc …`). */
  stdin?: string;
}

/** Splits a command line like a shell: quotes, `|` and `&&`. */
export function splitCommandLine(line: string): string[][][] {
  const seqs: string[][][] = [[[]]];
  let word = '';
  let inWord = false;
  let quote = '';
  const cur = (): string[][] => seqs[seqs.length - 1]!;
  const endWord = (): void => {
    if (inWord) cur()[cur().length - 1]!.push(word);
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === ' ' || c === '\t') endWord();
    else if (c === '&' && line[i + 1] === '&') {
      endWord();
      seqs.push([[]]);
      i++;
    } else if (c === '|') {
      endWord();
      cur().push([]);
    } else {
      word += c;
      inWord = true;
    }
  }
  endWord();
  return seqs;
}

/** Runs a command line: pipelines of `echo … | cmd` and `a && b` sequences. */
export function runCommandLine(line: string, ctx: SimCommandContext): void {
  const seqs = splitCommandLine(line).filter((p) => p.some((c) => c.length));
  const runSeq = (i: number): void => {
    if (i >= seqs.length) {
      ctx.exit(0);
      return;
    }
    const pipeline = seqs[i]!.filter((c) => c.length);
    let stdin: string | undefined;
    for (const c of pipeline.slice(0, -1)) {
      if (c[0] === 'echo') stdin = c.slice(1).join(' ') + '\n';
      else if (c[0] === 'head' && c[1] === '-c' && c[3] === '/dev/zero')
        stdin = '\0'.repeat(Math.min(Number(c[2]) || 0, 1 << 24));
      else {
        ctx.print(`sh: only "echo … |" pipes are supported, not "${c[0]}"`);
        ctx.exit(2);
        return;
      }
    }
    const argv = pipeline[pipeline.length - 1]!;
    const fn = registry.get(argv[0]!);
    if (!fn) {
      ctx.print(`sh: 1: ${argv[0]}: not found`);
      ctx.exit(127);
      return;
    }
    let done = false;
    const sub: SimCommandContext = {
      node: ctx.node,
      clock: ctx.clock,
      host: ctx.host,
      print: (l) => ctx.print(l),
      setLink: (e, up) => ctx.setLink(e, up),
      stdin,
      exit: (status) => {
        if (done) return;
        done = true;
        if (status !== 0 || i === seqs.length - 1) ctx.exit(status);
        else runSeq(i + 1);
      },
    };
    try {
      fn(argv, sub);
    } catch (e) {
      ctx.print(`${argv[0]}: ${e instanceof Error ? e.message : String(e)}`);
      sub.exit(2);
    }
  };
  runSeq(0);
}

/**
 * A command's arguments after its name, each with a function that takes its value as getopt
 * does for a short option: the rest of the word (`-c3`) or the next word (`-c 3`); a missing
 * value is getopt's "option requires an argument".
 */
function* shortOptions(args: string[]): Generator<[arg: string, value: () => string]> {
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    yield [
      a,
      () => {
        const v = a.length > 2 ? a.slice(2) : args[++i];
        if (v === undefined) throw new Error(`option requires an argument -- '${a[1]}'`);
        return v;
      },
    ];
  }
}

function hostOf(ctx: CommandContext, tool: string): Host | undefined {
  if (ctx.host instanceof Host) return ctx.host;
  ctx.print(`${tool}: ${ctx.node} has no IP stack`);
  ctx.exit(2);
  return undefined;
}

// ---- ping (iputils 20221126) ----

/** iputils' time format: 3 decimals under 1 ms, 2 under 10, 1 under 100, none above. */
function pingTime(ns: number): string {
  const us = Math.floor(ns / 1000);
  if (us >= 100000) return `${Math.floor(us / 1000)}`;
  if (us >= 10000) return `${Math.floor(us / 1000)}.${Math.floor((us % 1000) / 100)}`;
  if (us >= 1000) return `${Math.floor(us / 1000)}.${String(Math.floor((us % 1000) / 10)).padStart(2, '0')}`;
  return `0.${String(us).padStart(3, '0')}`;
}

function ms3(us: number): string {
  return `${Math.floor(us / 1000)}.${String(Math.floor(us % 1000)).padStart(3, '0')}`;
}

const UNREACH4 = [
  'Destination Net Unreachable',
  'Destination Host Unreachable',
  'Destination Protocol Unreachable',
  'Destination Port Unreachable',
  'Frag needed and DF set',
  'Source Route Failed',
  'Destination Net Unknown',
  'Destination Host Unknown',
];

function icmpErrorText(m: IcmpMessage): string {
  if (m.family === 4) {
    if (m.type === 3)
      return m.code === 4
        ? `Frag needed and DF set (mtu = ${m.seq})`
        : (UNREACH4[m.code] ?? `Dest Unreachable, Bad Code: ${m.code}`);
    if (m.type === 11) return m.code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
    return `Bad ICMP type: ${m.type}`;
  }
  if (m.type === 1)
    return (
      [
        'No route',
        'Administratively prohibited',
        'Beyond scope of source address',
        'Address unreachable',
        'Port unreachable',
      ][m.code] ?? 'Destination unreachable'
    );
  if (m.type === 3) return 'Time exceeded: Hop limit';
  if (m.type === 2) return `Packet too big: mtu=${m.id * 65536 + m.seq}`;
  return `Bad ICMP type: ${m.type}`;
}

registerCommand('ping', (args, ctx) => {
  const host = hostOf(ctx, 'ping');
  if (!host) return;
  const k = ctx.clock as Kernel;
  let count = Infinity;
  let interval = 1 * SECOND;
  let ttl: number | undefined;
  let size = 56;
  let wait = 10 * SECOND;
  let pmtu = 'want' as 'do' | 'dont' | 'want';
  let iface: string | undefined;
  let quiet = false;
  let family: 4 | 6 | undefined;
  let target: string | undefined;
  for (const [a, val] of shortOptions(args)) {
    if (a.startsWith('-c')) count = Number(val());
    else if (a.startsWith('-i')) interval = Math.round(Number(val()) * SECOND);
    else if (a.startsWith('-t')) ttl = Number(val());
    else if (a.startsWith('-s')) size = Number(val());
    else if (a.startsWith('-W')) wait = Math.round(Number(val()) * SECOND);
    else if (a.startsWith('-M')) pmtu = val() as typeof pmtu;
    else if (a.startsWith('-I')) iface = val();
    else if (a === '-q') quiet = true;
    else if (a === '-4') family = 4;
    else if (a === '-6') family = 6;
    else if (a === '-n') continue;
    else if (a.startsWith('-')) throw new Error(`invalid option -- '${a.slice(1)}'`);
    else target = a;
  }
  if (!target) {
    ctx.print('ping: usage error: Destination address required');
    ctx.exit(2);
    return;
  }
  if (!Number.isFinite(count) && count !== Infinity) throw new Error('bad number of packets to transmit.');
  // Names: /etc/hosts only (DNS belongs to the resolver the apps provide).
  let addr = target;
  if (ip4(target) === undefined && !ip6(target)) {
    const known = host.staticName(target);
    if (!known) {
      ctx.print(`ping: ${target}: Name or service not known`);
      ctx.exit(2);
      return;
    }
    addr = known;
  }
  const v6 = family === 6 || addr.includes(':');
  if (v6) addr = ip6Text(ip6(addr)!);
  const ident = k.rng.nextU32() & 0xffff;
  const ipLen = size + 8 + (v6 ? 40 : 20);
  ctx.print(
    v6
      ? `PING ${target}(${addr}) ${size} data bytes`
      : `PING ${target} (${addr}) ${size}(${ipLen}) bytes of data.`,
  );
  const start = k.now();
  const sentAt = new Map<number, number>();
  let transmitted = 0;
  let received = 0;
  let errors = 0;
  let last = start;
  const rtts: number[] = [];
  let timer: ReturnType<Kernel['schedule']> | undefined;
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    host.icmpListeners.delete(listener);
    k.cancel(timer);
    ctx.print('');
    ctx.print(`--- ${target} ping statistics ---`);
    const loss = transmitted ? ((transmitted - received) * 100) / transmitted : 0;
    const lossText = Number(loss.toPrecision(6)).toString();
    ctx.print(
      `${transmitted} packets transmitted, ${received} received,${errors ? ` +${errors} errors,` : ''} ${lossText}% packet loss, time ${Math.floor((last - start) / MS)}ms`,
    );
    if (received) {
      const us = rtts.map((r) => r / 1000);
      const min = Math.min(...us);
      const max = Math.max(...us);
      const avg = us.reduce((a, b) => a + b, 0) / us.length;
      const mdev = Math.sqrt(Math.max(0, us.reduce((a, b) => a + b * b, 0) / us.length - avg * avg));
      ctx.print(`rtt min/avg/max/mdev = ${ms3(min)}/${ms3(avg)}/${ms3(max)}/${ms3(mdev)} ms`);
    }
    ctx.exit(received ? 0 : 1);
  };
  const maybeDone = (): void => {
    if (transmitted >= count && received + errors >= count) finish();
  };
  const listener = (m: IcmpMessage): void => {
    if (finished) return;
    if ((m.family === 6) !== v6) return;
    if (m.type === (v6 ? 129 : 0) && m.id === ident) {
      const t0 = sentAt.get(m.seq);
      if (t0 === undefined) return;
      const rtt = k.now() - t0;
      received++;
      rtts.push(rtt);
      last = k.now();
      if (!quiet)
        ctx.print(
          `${m.length - (v6 ? 40 : 20)} bytes from ${m.from}: icmp_seq=${m.seq} ${v6 ? 'ttl' : 'ttl'}=${m.ttl} time=${pingTime(rtt)} ms`,
        );
      maybeDone();
      return;
    }
    const q = m.quoted;
    if (m.type === -1 && q && q.id === ident) {
      // A local error (the kernel refused to send).
      ctx.print(`ping: ${m.from}`);
      errors++;
      maybeDone();
      return;
    }
    if (q && (q.protocol === 1 || q.protocol === 58) && q.id === ident) {
      errors++;
      last = k.now();
      if (!quiet) ctx.print(`From ${m.from} icmp_seq=${q.seq} ${icmpErrorText(m)}`);
      maybeDone();
    }
  };
  host.icmpListeners.add(listener);
  const payload = (seq: number): Uint8Array => {
    const data = new Uint8Array(size);
    // struct timeval (x86-64: two little-endian 64-bit words) then 0x10, 0x11, … as iputils fills.
    const t = k.now();
    const sec = k.epoch + Math.floor(t / SECOND);
    const usec = Math.floor((t % SECOND) / 1000);
    const dv = new DataView(data.buffer);
    if (size >= 16) {
      dv.setUint32(0, sec >>> 0, true);
      dv.setUint32(8, usec, true);
    }
    for (let i = size >= 16 ? 16 : 0; i < size; i++) data[i] = (i - (size >= 16 ? 16 : 0) + 0x10) & 0xff;
    void seq;
    return data;
  };
  const sendOne = (): void => {
    if (finished) return;
    const seq = transmitted + 1;
    transmitted++;
    sentAt.set(seq & 0xffff, k.now());
    last = k.now();
    let ok: boolean;
    if (v6) {
      const dst = ip6(addr)!;
      const data = payload(seq);
      ok = host.send6Bytes(
        dst,
        58,
        (src) => {
          const body = new Uint8Array(4 + data.length);
          body[0] = ident >> 8;
          body[1] = ident & 0xff;
          body[2] = (seq >> 8) & 0xff;
          body[3] = seq & 0xff;
          body.set(data, 4);
          return encodeIcmpv6({ type: 128, code: 0, body }, { src: ip6Text(src), dst: addr });
        },
        { hopLimit: ttl, iface },
      );
    } else {
      const icmp = encodeIcmp({ type: 8, code: 0, identifier: ident, sequence: seq & 0xffff }, payload(seq));
      ok = host.send4(ip4(addr)!, 1, icmp, { ttl, df: pmtu !== 'dont', iface });
    }
    if (!ok && transmitted === 1 && !finished) {
      // connect() fails at once when there is no route, as iputils reports it.
      finished = true;
      host.icmpListeners.delete(listener);
      ctx.print('ping: connect: Network is unreachable');
      ctx.exit(2);
      return;
    }
    if (transmitted < count) timer = k.schedule(interval, sendOne);
    else {
      // After the last request: wait 2 × the longest RTT seen, or -W when nothing came back.
      const linger = received ? Math.max(2 * Math.max(...rtts), 1 * SECOND) : wait;
      timer = k.schedule(linger, finish);
    }
  };
  sendOne();
  if (!finished) maybeDone();
});

// ---- net-tools: route, arp, netstat ----

function parseRouteArgs(
  args: string[],
  host: Host,
): { dst: number; prefix: number; via?: number; dev?: string; metric: number } {
  let dst: number | undefined;
  let prefix = 32;
  let via: number | undefined;
  let dev: string | undefined;
  let metric = 0;
  let netmask: number | undefined;
  for (let i = 2; i < args.length; i++) {
    const a = args[i]!;
    const next = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '-host') {
      const c = parseCidr(next(), 32);
      if (!c || c.family !== 4) throw new Error(`${args[i]}: bad address`);
      dst = c.addr;
      prefix = 32;
    } else if (a === '-net') {
      const c = parseCidr(next(), 32);
      if (!c || c.family !== 4) throw new Error(`${args[i]}: bad address`);
      dst = c.addr;
      prefix = c.prefix;
    } else if (a === 'default') {
      dst = 0;
      prefix = 0;
    } else if (a === 'netmask') {
      const m = ip4(next());
      if (m === undefined) throw new Error('bad netmask');
      netmask = m;
    } else if (a === 'gw') {
      via = ip4(next());
      if (via === undefined) throw new Error(`${args[i]}: bad gateway`);
    } else if (a === 'dev') dev = next();
    else if (a === 'metric') metric = Number(next());
    else if (dst === undefined) {
      const c = parseCidr(a, 32);
      if (!c || c.family !== 4) throw new Error(`${a}: Unknown host`);
      dst = c.addr;
      prefix = c.prefix;
    } else if (!dev && host.ifaces.has(a)) dev = a;
    else throw new Error(`unexpected "${a}"`);
  }
  if (netmask !== undefined) {
    prefix = 0;
    while (prefix < 32 && netmask & (0x80000000 >>> prefix)) prefix++;
  }
  if (dst === undefined) throw new Error('no destination given');
  return { dst, prefix, via, dev, metric };
}

/** Adds a route, finding the interface from the gateway (as the kernel does). */
export function addRoute(
  host: Host,
  r: { dst: number; prefix: number; via?: number; dev?: string; metric?: number; src?: number },
): string | undefined {
  let dev = r.dev;
  if (!dev) {
    if (r.via === undefined) return 'a route needs a gateway or a device';
    const through = host.routes.lookup4(r.via);
    if (!through || through.via !== undefined) return 'SIOCADDRT: Network is unreachable';
    dev = through.iface;
  }
  if (!host.ifaces.has(dev)) return `SIOCADDRT: No such device`;
  if (
    host.routes.v4.some(
      (x) =>
        x.dst === (r.dst & maskOf(r.prefix)) >>> 0 &&
        x.prefix === r.prefix &&
        x.metric === (r.metric ?? 0) &&
        x.iface === dev &&
        x.via === r.via,
    )
  )
    return 'SIOCADDRT: File exists';
  host.routes.add4({
    dst: r.dst,
    prefix: r.prefix,
    via: r.via,
    iface: dev,
    metric: r.metric ?? 0,
    proto: 'static',
    src: r.src,
  });
  return undefined;
}

registerCommand('route', (args, ctx) => {
  const host = hostOf(ctx, 'route');
  if (!host) return;
  const sub = args[1];
  if (sub === undefined || sub === '-n' || sub === '-e' || sub === '-ne') {
    for (const l of formatRouteN(host.routes.sorted4())) ctx.print(l);
    ctx.exit(0);
    return;
  }
  if (sub === 'add' || sub === 'del') {
    const r = parseRouteArgs(args, host);
    if (sub === 'add') {
      const err = addRoute(host, r);
      if (err) {
        ctx.print(err);
        ctx.exit(7);
        return;
      }
    } else {
      const mask = maskOf(r.prefix);
      const n = host.routes.remove4(
        (x) =>
          x.dst === (r.dst & mask) >>> 0 &&
          x.prefix === r.prefix &&
          (r.via === undefined || x.via === r.via) &&
          (!r.dev || x.iface === r.dev),
      );
      if (!n) {
        ctx.print('SIOCDELRT: No such process');
        ctx.exit(7);
        return;
      }
    }
    host.note(
      'route',
      undefined,
      `${host.name}: route ${sub} ${ip4Text(r.dst)}/${r.prefix}${r.via !== undefined ? ` gw ${ip4Text(r.via)}` : ''}`,
    );
    ctx.exit(0);
    return;
  }
  throw new Error(`unknown subcommand "${sub}"`);
});

registerCommand('arp', (args, ctx) => {
  const host = hostOf(ctx, 'arp');
  if (!host) return;
  const sub = args[1] ?? '-a';
  if (sub === '-a' || sub === '-an' || sub === '-na') {
    const lines = host.arpTable();
    for (const l of lines) ctx.print(l);
    ctx.exit(0);
    return;
  }
  if (sub === '-n' || sub === '-e') {
    // net-tools' table form.
    ctx.print('Address                  HWtype  HWaddress           Flags Mask            Iface');
    const now = host.kernel.now();
    for (const n of [...host.arp.values()].sort((a, b) => a.ip4! - b.ip4!)) {
      if (n.state === 'REACHABLE' && now - n.updated > host.arpTimeout) continue;
      if (n.mac)
        ctx.print(
          `${n.ip.padEnd(24)} ether   ${[...n.mac].map((b) => b.toString(16).padStart(2, '0')).join(':')}   C                     ${n.iface.name}`,
        );
      else ctx.print(`${n.ip.padEnd(24)}         (incomplete)                              ${n.iface.name}`);
    }
    ctx.exit(0);
    return;
  }
  if (sub === '-d') {
    const a = ip4(args[2] ?? '');
    if (a === undefined || !host.arpDelete(a)) {
      ctx.print(`No ARP entry for ${args[2]}`);
      ctx.exit(1);
      return;
    }
    host.note('arp', undefined, `${host.name}: arp -d ${args[2]}: entry deleted`, 'ARP');
    ctx.exit(0);
    return;
  }
  if (sub === '-s') {
    const a = ip4(args[2] ?? '');
    const mac = parseEther(args[3] ?? '');
    if (a === undefined || !mac) throw new Error('usage: arp -s ADDRESS MAC');
    const r = host.routes.lookup4(a);
    const iface = r && host.ifaces.get(r.iface);
    if (!iface) throw new Error('SIOCSARP: Network is unreachable');
    host.arp.set(a, {
      ip: ip4Text(a),
      ip4: a,
      iface,
      mac,
      state: 'REACHABLE',
      updated: Infinity,
      queue: [],
      tries: 0,
    });
    ctx.exit(0);
    return;
  }
  throw new Error(`unknown option ${sub}`);
});

registerCommand('netstat', (args, ctx) => {
  const host = hostOf(ctx, 'netstat');
  if (!host) return;
  const opts = args.slice(1).join('');
  if (opts.includes('r')) {
    for (const l of formatRouteN(host.routes.sorted4())) ctx.print(l);
    ctx.exit(0);
    return;
  }
  ctx.print('Active Internet connections (servers and established)');
  ctx.print('Proto Recv-Q Send-Q Local Address           Foreign Address         State      ');
  for (const l of host.tcp.netstat()) ctx.print(l);
  ctx.exit(0);
});

// ---- iproute2: ip ----

registerCommand('ip', (args, ctx) => {
  const host = hostOf(ctx, 'ip');
  if (!host) return;
  let i = 1;
  let fam: 4 | 6 = 4;
  while (args[i]?.startsWith('-')) {
    if (args[i] === '-6') fam = 6;
    i++;
  }
  const obj = args[i] ?? '';
  const verb = args[i + 1] ?? 'show';
  const rest = args.slice(i + 2);
  const out = (lines: string[]): void => {
    for (const l of lines) ctx.print(l);
    ctx.exit(0);
  };
  const opt = (name: string): string | undefined => {
    const at = rest.indexOf(name);
    return at >= 0 ? rest[at + 1] : undefined;
  };
  if ('address'.startsWith(obj) && obj.length) {
    if (verb === 'show' || verb === 'list' || verb === 'ls') {
      const dev = rest[0] === 'dev' ? rest[1] : rest[0];
      const lines = host.ipAddr();
      if (!dev) return out(lines);
      const sel: string[] = [];
      let on = false;
      for (const l of lines) {
        if (/^\d+: /.test(l)) on = l.split(': ')[1] === dev;
        if (on) sel.push(l);
      }
      return out(sel);
    }
    if (verb === 'add' || verb === 'del') {
      const c = parseCidr(rest[0] ?? '', undefined);
      const dev = opt('dev');
      if (!c || !dev) throw new Error(`usage: ip addr ${verb} ADDRESS/PREFIX dev DEVICE`);
      if (!host.ifaces.has(dev)) throw new Error(`Cannot find device "${dev}"`);
      if (c.family === 6) {
        if (verb === 'add') host.addAddress6(dev, c.addr, c.prefix);
      } else if (verb === 'add') host.addAddress4(dev, c.addr, c.prefix, { label: opt('label') });
      else if (!host.removeAddress4(dev, c.addr, c.prefix))
        throw new Error('RTNETLINK answers: Cannot assign requested address');
      host.note('command', dev, `${host.name}: ${verb === 'add' ? 'added' : 'removed'} ${rest[0]} on ${dev}`);
      ctx.exit(0);
      return;
    }
  }
  if ('route'.startsWith(obj) && obj.length) {
    if (verb === 'show' || verb === 'list')
      return out(fam === 6 ? formatIpRoute6(host.routes.v6) : formatIpRoute(host.routes.sorted4()));
    if (verb === 'get') {
      const g = host.routeGet(rest[0] ?? '');
      if (!g) {
        ctx.print('RTNETLINK answers: Network is unreachable');
        ctx.exit(2);
        return;
      }
      return out([g]);
    }
    if (verb === 'add' || verb === 'del' || verb === 'replace') {
      const d =
        rest[0] === 'default' ? { family: 4 as const, addr: 0, prefix: 0 } : parseCidr(rest[0] ?? '', 32);
      if (!d || d.family !== 4) throw new Error(`invalid destination "${rest[0]}"`);
      const via = opt('via') === undefined ? undefined : ip4(opt('via')!);
      const dev = opt('dev');
      const metric = Number(opt('metric') ?? 0);
      const src = opt('src') === undefined ? undefined : ip4(opt('src')!);
      if (verb !== 'add')
        host.routes.remove4(
          (x) =>
            x.dst === (d.addr & maskOf(d.prefix)) >>> 0 &&
            x.prefix === d.prefix &&
            (verb === 'replace' || via === undefined || x.via === via),
        );
      if (verb !== 'del') {
        const err = addRoute(host, { dst: d.addr, prefix: d.prefix, via, dev, metric, src });
        if (err) {
          ctx.print(`RTNETLINK answers: ${err.replace(/^SIOCADDRT: /, '')}`);
          ctx.exit(2);
          return;
        }
      }
      host.note('route', dev, `${host.name}: ip route ${verb} ${rest.join(' ')}`);
      ctx.exit(0);
      return;
    }
  }
  if ('neighbour'.startsWith(obj) && obj.length) return out(host.neighTable());
  if ('link'.startsWith(obj) && obj.length) {
    if (verb === 'set') {
      const dev = rest[0] === 'dev' ? rest[1] : rest[0];
      const state = rest.includes('up') ? true : rest.includes('down') ? false : undefined;
      if (!dev || state === undefined) throw new Error('usage: ip link set dev DEVICE up|down');
      const err = (ctx as SimCommandContext).setLink(`${host.name}.${dev}`, state);
      if (err) throw new Error(err);
      ctx.exit(0);
      return;
    }
    return out(host.ipAddr().filter((l) => !/^\s+(inet|valid_lft)/.test(l)));
  }
  throw new Error(`Object "${obj}" is unknown, try "ip help".`);
});

/** `link NODE.IFACE up|down`: a cable pulled or plugged (scenario command, any node). */
registerCommand('link', (args, ctx) => {
  const endpoint = args[1];
  const state = args[2];
  if (!endpoint || (state !== 'up' && state !== 'down')) throw new Error('usage: link NODE.IFACE up|down');
  const err = (ctx as SimCommandContext).setLink(endpoint, state === 'up');
  if (err) throw new Error(err);
  ctx.exit(0);
});

// ---- nc -u (OpenBSD netcat): send stdin as one datagram ----

registerCommand('nc', (args, ctx) => {
  const host = hostOf(ctx, 'nc');
  if (!host) return;
  let udp = false;
  let wait = 0;
  let srcPort = 0;
  const pos: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-u') udp = true;
    else if (a.startsWith('-w')) wait = Number(a.length > 2 ? a.slice(2) : args[++i]);
    else if (a.startsWith('-p')) srcPort = Number(a.length > 2 ? a.slice(2) : args[++i]);
    else if (a === '-n' || a === '-v') continue;
    else pos.push(a);
  }
  if (!udp) throw new Error('only UDP (-u) is built in; TCP needs the TCP stack');
  const [dst, port] = pos;
  if (!dst || !port) throw new Error('usage: nc -u [-w SECS] [-p PORT] HOST PORT');
  ncUdp(ctx, host, dst, Number(port), srcPort, wait);
});

/** `nc -u`: stdin as one datagram from `srcPort`, what comes back printed, done after `wait` s. */
export function ncUdp(
  ctx: CommandContext,
  host: HostServices,
  dst: string,
  port: number,
  srcPort: number,
  wait: number,
): void {
  const sock = host.udp.bind(srcPort);
  sock.onMessage = (data) => ctx.print(new TextDecoder().decode(data).replace(/\n$/, ''));
  const text = (ctx as SimCommandContext).stdin ?? '';
  if (text) sock.send(dst, port, new TextEncoder().encode(text));
  ctx.clock.schedule(Math.max(wait, 0) * SECOND, () => {
    sock.close();
    ctx.exit(0);
  });
}

// ---- ifconfig (net-tools): `ifconfig lo:3 192.168.1.55/16`, `ifconfig eth0 down` ----

registerCommand('ifconfig', (args, ctx) => {
  const host = hostOf(ctx, 'ifconfig');
  if (!host) return;
  const name = args[1] === '-a' ? undefined : args[1];
  if (!name) {
    for (const l of host.ifconfig()) ctx.print(l);
    ctx.exit(0);
    return;
  }
  const dev = name.split(':')[0]!;
  if (!host.ifaces.has(dev))
    throw new Error(`${name}: error fetching interface information: Device not found`);
  const rest = args.slice(2);
  if (!rest.length) {
    for (const l of host.ifconfig(dev)) ctx.print(l);
    ctx.exit(0);
    return;
  }
  if (rest[0] === 'up' || rest[0] === 'down') {
    const err = (ctx as SimCommandContext).setLink(`${host.name}.${dev}`, rest[0] === 'up');
    if (err) throw new Error(err);
    ctx.exit(0);
    return;
  }
  const c = parseCidr(rest[0]!, undefined);
  if (!c || c.family !== 4) throw new Error(`${rest[0]}: Unknown host`);
  let prefix = rest[0]!.includes('/') ? c.prefix : 24;
  const nm = rest.indexOf('netmask');
  if (nm >= 0) {
    const m = ip4(rest[nm + 1] ?? '');
    if (m === undefined) throw new Error('bad netmask');
    prefix = 0;
    while (prefix < 32 && m & (0x80000000 >>> prefix)) prefix++;
  }
  // An alias (eth0:1) adds an address; the bare name replaces the primary one.
  if (!name.includes(':')) {
    const first = host.ifaces.get(dev)!.v4[0];
    if (first) host.removeAddress4(dev, first.addr, first.prefix);
  }
  host.addAddress4(dev, c.addr, prefix, { label: name.includes(':') ? name : undefined });
  host.note('command', dev, `${host.name}: ${name} ${ip4Text(c.addr)}/${prefix}`);
  ctx.exit(0);
});

// ---- traceroute (traceroute 2.1, UDP probes): one probe at a time, -n implied ----

registerCommand('traceroute', (args, ctx) => {
  const host = hostOf(ctx, 'traceroute');
  if (!host) return;
  const k = ctx.clock as Kernel;
  let maxHops = 30;
  let queries = 3;
  let wait = 5 * SECOND;
  let port = 33434;
  let target: string | undefined;
  for (const [a, val] of shortOptions(args)) {
    if (a.startsWith('-m')) maxHops = Number(val());
    else if (a.startsWith('-q')) queries = Number(val());
    else if (a.startsWith('-w')) wait = Math.round(Number(val()) * SECOND);
    else if (a.startsWith('-p')) port = Number(val());
    else if (a === '-n' || a === '-U' || a === '-4') continue;
    else if (a.startsWith('-')) throw new Error(`Bad option \`${a}'`);
    else target = a;
  }
  if (!target) throw new Error('Specify "host" missing argument.');
  const addr = ip4(target) !== undefined ? target : host.staticName(target);
  if (!addr || ip4(addr) === undefined) {
    ctx.print(`${target}: Name or service not known`);
    ctx.exit(2);
    return;
  }
  ctx.print(`traceroute to ${target} (${addr}), ${maxHops} hops max, 60 byte packets`);
  const sock = host.udp.bind(0);
  let ttl = 1;
  let probe = 0;
  let line = '';
  let lastFrom = '';
  let reached = false;
  let sentAt = 0;
  let timer: ReturnType<Kernel['schedule']> | undefined;
  let pending = false;
  const finishProbe = (text: string): void => {
    pending = false;
    k.cancel(timer);
    line += text;
    probe++;
    if (probe < queries) {
      sendProbe();
      return;
    }
    ctx.print(`${String(ttl).padStart(2)} ${line}`);
    if (reached || ttl >= maxHops) {
      host.icmpListeners.delete(listener);
      sock.close();
      ctx.exit(0);
      return;
    }
    ttl++;
    probe = 0;
    line = '';
    lastFrom = '';
    sendProbe();
  };
  const listener = (m: IcmpMessage): void => {
    const q = m.quoted;
    if (!pending || m.family !== 4 || !q || q.protocol !== 17 || q.srcPort !== sock.localPort) return;
    if (q.dstPort !== port + (ttl - 1) * queries + probe) return;
    const rtt = k.now() - sentAt;
    const who = m.from === lastFrom ? '' : ` ${m.from}`;
    lastFrom = m.from;
    let mark = '';
    if (m.type === 3) {
      // Port unreachable: the destination answered. Other codes end the trace with a mark.
      reached = true;
      if (m.code !== 3) mark = [' !N', ' !H', ' !P'][m.code] ?? ` !<${m.code}>`;
    }
    finishProbe(`${who}  ${ms3(rtt / 1000)} ms${mark}`);
  };
  host.icmpListeners.add(listener);
  const sendProbe = (): void => {
    pending = true;
    sentAt = k.now();
    const dport = port + (ttl - 1) * queries + probe;
    // 32 bytes of data: a 60-byte datagram, as traceroute's default.
    const payload = new Uint8Array(32);
    for (let i = 0; i < 32; i++) payload[i] = 0x40 + i;
    host.send4(ip4(addr)!, 17, udpProbe(host, addr, sock.localPort, dport, payload), { ttl });
    timer = k.schedule(wait, () => finishProbe(' *'));
  };
  sendProbe();
});

/** A UDP datagram as the socket would build it, but sent with our own TTL. */
function udpProbe(
  host: Host,
  dst: string,
  srcPort: number,
  dstPort: number,
  payload: Uint8Array,
): Uint8Array {
  const src = host.sourceFor(dst) ?? '0.0.0.0';
  return encodeUdp({ srcPort, dstPort }, payload, { src, dst });
}
