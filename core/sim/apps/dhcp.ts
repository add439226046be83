// DHCP (RFC 2131) over the simulated UDP: a server service handing out addresses from a pool
// (`services: { dhcp: { pool: [first, last], router, dns: [...], lease, mask, next-server,
// filename } }`) and the client commands `dhclient [-v] IFACE` and `udhcpc -i IFACE`: DISCOVER
// and REQUEST broadcast from 0.0.0.0 out of the interface, OFFER and ACK unicast to the offered
// address (the server learns the client's MAC from chaddr, as ISC dhcpd and dnsmasq do), then the
// lease configures the address, default route and resolver.
import { encodeDhcp, parseDhcp, type DhcpOptionRepr, type DhcpRepr } from '../../protocols/dhcp-encode';
import { etherToString } from '../../dissect/format';
import { ip4, ip4Text } from '../addr';
import { registerCommand } from '../commands';
import { Host } from '../host';
import { registerService } from '../services';
import { SECOND, type CommandContext, type HostServices } from '../stack';

const DISCOVER = 1;
const OFFER = 2;
const REQUEST = 3;
const ACK = 5;
const NAK = 6;

const u32 = (v: number): Uint8Array =>
  new Uint8Array([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
const addr = (t: string): Uint8Array => u32(ip4(t) ?? 0);
const opt = (code: number, data: Uint8Array | number[]): DhcpOptionRepr => ({
  code,
  data: Uint8Array.from(data),
});

function option(r: DhcpRepr, code: number): Uint8Array | undefined {
  return r.options?.find((o) => o.code === code)?.data;
}
function ipOption(r: DhcpRepr, code: number): string | undefined {
  const d = option(r, code);
  return d && d.length >= 4
    ? ip4Text(((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0)
    : undefined;
}
function ipListOption(r: DhcpRepr, code: number): string[] {
  const d = option(r, code);
  const out: string[] = [];
  if (d)
    for (let i = 0; i + 4 <= d.length; i += 4)
      out.push(ip4Text(((d[i]! << 24) | (d[i + 1]! << 16) | (d[i + 2]! << 8) | d[i + 3]!) >>> 0));
  return out;
}

interface ServerConfig {
  pool?: [string, string];
  router?: string;
  dns?: string[];
  lease?: number;
  mask?: string;
  'next-server'?: string;
  filename?: string;
}

export function startDhcpServer(host: HostServices, raw: unknown): void {
  const cfg = (raw ?? {}) as ServerConfig;
  const h = host as unknown as Host;
  const first = ip4(cfg.pool?.[0] ?? '') ?? 0;
  const last = ip4(cfg.pool?.[1] ?? '') ?? first;
  const lease = cfg.lease ?? 86400;
  const leases = new Map<string, number>();
  const sock = host.udp.bind(67);
  // The server's own address on the pool's subnet, and that subnet's mask.
  let serverId = '';
  let mask = cfg.mask;
  let ifaceName = '';
  for (const i of h.ifaces.values())
    for (const a of i.v4) {
      const m = a.prefix === 0 ? 0 : (0xffffffff << (32 - a.prefix)) >>> 0;
      if ((a.addr & m) >>> 0 === (first & m) >>> 0 && !serverId) {
        serverId = ip4Text(a.addr);
        mask ??= ip4Text(m);
        ifaceName = i.name;
      }
    }
  mask ??= '255.255.255.0';
  const offerFor = (mac: string): number | undefined => {
    const had = leases.get(mac);
    if (had !== undefined) return had;
    const used = new Set(leases.values());
    for (let a = first; a <= last; a++) if (!used.has(a)) return a;
    return undefined;
  };
  sock.onMessage = (payload) => {
    const m = parseDhcp(payload);
    if (!m || m.op !== 1) return;
    const type = option(m, 53)?.[0];
    const mac = m.chaddr;
    let replyType: number;
    let yiaddr: number | undefined;
    if (type === DISCOVER) {
      yiaddr = offerFor(mac);
      replyType = OFFER;
      if (yiaddr === undefined) return;
    } else if (type === REQUEST) {
      const sid = ipOption(m, 54);
      if (sid && sid !== serverId) {
        leases.delete(mac); // the client chose another server
        return;
      }
      const want = ip4(ipOption(m, 50) ?? m.ciaddr ?? '');
      const mine = offerFor(mac);
      if (want !== undefined && want === mine) {
        yiaddr = want;
        replyType = ACK;
      } else replyType = NAK;
    } else return;
    if (yiaddr !== undefined) leases.set(mac, yiaddr);
    const options: DhcpOptionRepr[] = [opt(53, [replyType]), opt(54, addr(serverId))];
    if (replyType !== NAK) {
      options.push(
        opt(51, u32(lease)),
        opt(58, u32(Math.floor(lease / 2))),
        opt(59, u32(Math.floor((lease * 7) / 8))),
      );
      options.push(opt(1, addr(mask!)));
      if (cfg.router) options.push(opt(3, addr(cfg.router)));
      if (cfg.dns?.length)
        options.push(
          opt(
            6,
            cfg.dns.flatMap((d) => [...addr(d)]),
          ),
        );
    }
    const reply = encodeDhcp({
      op: 2,
      xid: m.xid,
      chaddr: mac,
      broadcast: m.broadcast,
      yiaddr: yiaddr !== undefined && replyType !== NAK ? ip4Text(yiaddr) : '0.0.0.0',
      siaddr: cfg['next-server'] ?? '0.0.0.0',
      file: cfg.filename,
      options,
    });
    const names = { [OFFER]: 'DHCPOFFER', [ACK]: 'DHCPACK', [NAK]: 'DHCPNAK' } as Record<number, string>;
    host.ip.emit({
      kind: 'app',
      protocol: 'DHCP',
      text: `${host.ip.node}: ${type === DISCOVER ? 'DHCPDISCOVER' : 'DHCPREQUEST'} from ${mac} → ${names[replyType]}${yiaddr !== undefined ? ` ${ip4Text(yiaddr)}` : ''}`,
    });
    if (replyType === NAK || m.broadcast || yiaddr === undefined)
      sock.send('255.255.255.255', 68, reply, { iface: ifaceName });
    else {
      // RFC 2131 §4.1: unicast to the client's hardware address and yiaddr.
      h.addNeighbour(ip4Text(yiaddr), mac, ifaceName);
      sock.send(ip4Text(yiaddr), 68, reply);
    }
  };
}

registerService('dhcp', startDhcpServer);

/** `dhclient [-v] IFACE` / `udhcpc -i IFACE`: DORA, then configure the interface. */
export function dhcpClient(args: string[], ctx: CommandContext): void {
  const busybox = args[0] === 'udhcpc';
  const verbose = busybox || args.includes('-v');
  let iface = 'eth0';
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '-i') iface = args[++i] ?? iface;
    else if (!args[i]!.startsWith('-')) iface = args[i]!;
  }
  const h = ctx.host as unknown as Host;
  const i = h.ifaces?.get(iface);
  if (!(h instanceof Host) || !i) {
    ctx.print(`${args[0]}: ${iface}: no such interface`);
    ctx.exit(1);
    return;
  }
  const mac = etherToString(i.mac, 0);
  const clock = ctx.clock;
  const xid = Math.floor(clock.random() * 0x100000000) >>> 0;
  let sock;
  try {
    sock = ctx.host.udp.bind(68);
  } catch (e) {
    ctx.print(`${args[0]}: ${(e as Error).message}`);
    ctx.exit(1);
    return;
  }
  const s = sock;
  const start = clock.now();
  let state: 'selecting' | 'requesting' = 'selecting';
  let offered = '';
  let server = '';
  let tries = 0;
  let timer: ReturnType<typeof clock.schedule> | undefined;
  const params = opt(55, [1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42]);
  const send = (type: number): void => {
    const options: DhcpOptionRepr[] = [opt(53, [type])];
    if (type === REQUEST) options.push(opt(54, addr(server)), opt(50, addr(offered)));
    options.push(
      opt(
        12,
        Array.from(ctx.node, (c) => c.charCodeAt(0) & 0x7f),
      ),
      params,
    );
    const secs = Math.min(65535, Math.floor((clock.now() - start) / SECOND));
    s.send('255.255.255.255', 67, encodeDhcp({ op: 1, xid, secs, chaddr: mac, options }), {
      src: '0.0.0.0',
      iface,
    });
  };
  const discover = (): void => {
    if (tries >= 4) {
      ctx.print(busybox ? 'udhcpc: no lease, failing' : 'No DHCPOFFERS received.');
      s.close();
      ctx.exit(1);
      return;
    }
    const interval = 3 * 2 ** tries;
    tries++;
    state = 'selecting';
    if (verbose)
      ctx.print(
        busybox
          ? 'udhcpc: broadcasting discover'
          : `DHCPDISCOVER on ${iface} to 255.255.255.255 port 67 interval ${interval}`,
      );
    send(DISCOVER);
    timer = clock.schedule(interval * SECOND, discover);
  };
  s.onMessage = (payload) => {
    const m = parseDhcp(payload);
    if (!m || m.op !== 2 || m.xid !== xid) return;
    const type = option(m, 53)?.[0];
    const sid = ipOption(m, 54) ?? '';
    if (state === 'selecting' && type === OFFER) {
      clock.cancel(timer);
      offered = m.yiaddr ?? '';
      server = sid;
      state = 'requesting';
      if (verbose)
        ctx.print(
          busybox
            ? `udhcpc: broadcasting select for ${offered}, server ${server}`
            : `DHCPOFFER of ${offered} from ${server}`,
        );
      if (verbose && !busybox) ctx.print(`DHCPREQUEST for ${offered} on ${iface} to 255.255.255.255 port 67`);
      send(REQUEST);
      timer = clock.schedule(5 * SECOND, discover);
    } else if (state === 'requesting' && type === ACK) {
      clock.cancel(timer);
      s.close();
      const maskText = ipOption(m, 1) ?? '255.255.255.0';
      const mask = ip4(maskText) ?? 0;
      let prefix = 0;
      while (prefix < 32 && mask & (0x80000000 >>> prefix)) prefix++;
      const lease = option(m, 51);
      const leaseSecs = lease
        ? ((lease[0]! << 24) | (lease[1]! << 16) | (lease[2]! << 8) | lease[3]!) >>> 0
        : 0;
      h.flushAddresses(iface);
      h.configureAddress(iface, `${m.yiaddr}/${prefix}`);
      const router = ipListOption(m, 3)[0];
      if (router) h.setDefaultRoute(router, iface);
      const dns = ipListOption(m, 6);
      if (dns.length) h.setNameservers(dns);
      h.emit({
        kind: 'app',
        protocol: 'DHCP',
        text: `${ctx.node}: DHCPACK of ${m.yiaddr} from ${sid}: ${iface} ${m.yiaddr}/${prefix}${router ? `, default via ${router}` : ''}${dns.length ? `, nameserver ${dns.join(' ')}` : ''}, lease ${leaseSecs} s${m.file ? `, boot file ${m.file} on ${m.siaddr}` : ''}`,
      });
      if (busybox) ctx.print(`udhcpc: lease of ${m.yiaddr} obtained from ${sid}, lease time ${leaseSecs}`);
      else if (verbose) {
        ctx.print(`DHCPACK of ${m.yiaddr} from ${sid}`);
        ctx.print(`bound to ${m.yiaddr} -- renewal in ${Math.floor(leaseSecs / 2)} seconds.`);
      }
      ctx.exit(0);
    } else if (state === 'requesting' && type === NAK) {
      clock.cancel(timer);
      if (verbose) ctx.print(busybox ? 'udhcpc: received DHCP NAK' : `DHCPNAK from ${sid}`);
      discover();
    }
  };
  if (verbose && !busybox) {
    ctx.print('Internet Systems Consortium DHCP Client 4.4.3-P1');
    ctx.print(`Listening on LPF/${iface}/${mac}`);
    ctx.print(`Sending on   LPF/${iface}/${mac}`);
  }
  discover();
}

registerCommand('dhclient', dhcpClient);
registerCommand('udhcpc', dhcpClient);
