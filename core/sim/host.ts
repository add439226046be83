// A host's network stack, and a router's (a host with forwarding on): interfaces with several
// IPv4/IPv6 addresses and a loopback, ARP (RFC 826) and neighbour discovery (RFC 4861), the
// route table, IPv4 fragmentation and reassembly (RFC 791), ICMP echo and errors (RFC 792,
// RFC 1812 §4.3), forwarding with TTL and checksum update, optional masquerade and port
// forwarding. Transports plug in through `register` (UDP here, TCP from core/sim/tcp/).
//
// Behaviour copied from Linux where a choice exists (compared in test/integration/sim-netns):
// echo requests from ping carry DF; echo replies and ICMP errors do not; ICMP errors have
// TOS 0xc0 and quote up to 576 bytes of the datagram; ARP asks 3 times, 1 s apart, then the
// queued packets fail with "host unreachable".
import { encodeArp } from '../protocols/arp';
import { encodeIcmp } from '../protocols/icmp';
import { encodeIcmpv6 } from '../protocols/icmpv6';
import { encodeIpv6 } from '../protocols/ipv6';
import { internetChecksum, pseudoHeaderSum } from '../protocols/checksum';
import {
  BROADCAST_MAC,
  ZERO_MAC,
  alloc,
  equal6,
  etherToString,
  inPrefix6,
  ip4,
  ip4Text,
  ip6,
  ip6Text,
  maskOf,
  multicastMac4,
  multicastMac6,
  parseEther,
  read16,
  read32,
  sameMac,
  solicitedNode,
  write16,
  write32,
} from './addr';
import { Device, Port, describeFrame, frameProtocol } from './device';
import type { Kernel } from './kernel';
import { RouteTable, routeText4, type Route4, type Route6 } from './routes';
import {
  SECOND,
  type HostServices,
  type IpDatagramInfo,
  type IpLayer,
  type IpSendRequest,
  type SimEvent,
  type SimTime,
  type TcpService,
  type TimerHandle,
  type UdpService,
} from './stack';
import { UdpStack } from './udp';
import { concatBytes } from '../capture/bytes';

export interface Addr4 {
  addr: number;
  prefix: number;
  /** `ifconfig lo:3` style label. */
  label?: string;
  /** Show a broadcast address in `ip addr` (configured from the topology). */
  brd?: boolean;
}
export interface Addr6 {
  addr: Uint8Array;
  prefix: number;
}

export class HostIface extends Port {
  readonly v4: Addr4[] = [];
  readonly v6: Addr6[] = [];
  loopback = false;
  index = 0;
}

type NeighState = 'INCOMPLETE' | 'REACHABLE' | 'FAILED';

interface Pending {
  /** The IP datagram waiting for the neighbour's MAC. */
  pkt: Uint8Array;
  /** A forwarded datagram as it arrived: when resolution fails, its sender gets an ICMP host
   * unreachable quoting it. Undefined for our own datagrams: the failure is reported locally. */
  forwardedFrom: Uint8Array | undefined;
}

export interface Neighbour {
  ip: string;
  ip4?: number;
  ip6?: Uint8Array;
  iface: HostIface;
  mac?: Uint8Array;
  state: NeighState;
  updated: SimTime;
  queue: Pending[];
  tries: number;
  timer?: TimerHandle;
}

/** What ICMP listeners (ping, traceroute) receive. */
export interface IcmpMessage {
  family: 4 | 6;
  type: number;
  code: number;
  /** Sender of the ICMP message. */
  from: string;
  ttl: number;
  /** Bytes 4..7 of the ICMP header as identifier/sequence (echo). */
  id: number;
  seq: number;
  /** The echo data, or for errors the quoted datagram. */
  body: Uint8Array;
  /** For errors: the quoted datagram's protocol, ports / echo identifier and sequence. */
  quoted?: {
    protocol: number;
    src: string;
    dst: string;
    srcPort: number;
    dstPort: number;
    id: number;
    seq: number;
    ttl: number;
  };
  /** Received datagram length (IP header included). */
  length: number;
}

export interface NatConfig {
  /** Interfaces whose outgoing packets get the interface's address as source. */
  masquerade: string[];
  /** Port forwarding (DNAT) on this router's addresses. */
  forward: { protocol: 6 | 17; port: number; to: number; toPort: number; iface?: string }[];
}

interface NatMapping {
  protocol: number;
  /** Rewrite applied to packets matching the key: which address/port field, new values. */
  field: 'src' | 'dst';
  addr: number;
  port: number;
}

const ETH_IPV4 = 0x0800;
const ETH_ARP = 0x0806;
const ETH_IPV6 = 0x86dd;
/** RFC 1812 §4.3.2.3: quote as much as fits in a 576-byte error (Linux does the same). */
const ICMP_QUOTE = 576 - 20 - 8;
const REASSEMBLY_TIMEOUT = 30 * SECOND;

/** A TCP implementation plugs in here (core/sim/tcp/); without one, TCP is answered as
 * "protocol unreachable" and connect() fails. */
export type TcpFactory = (host: Host) => TcpService;
let tcpFactory: TcpFactory | undefined;
export function registerTcp(factory: TcpFactory | undefined): void {
  tcpFactory = factory;
}

class NoTcp implements TcpService {
  listen(): void {
    throw new Error('TCP is not available in this build of the simulator');
  }
  connect(): never {
    throw new Error('TCP is not available in this build of the simulator');
  }
  netstat(): string[] {
    return [];
  }
}

// Linux's skb headroom, in miniature: the datagram built last (sent, forwarded) is allocated 14
// bytes into a frame-sized buffer, so its Ethernet header is written in front of it instead of
// copying it into a new frame. Only that one datagram and only once: a datagram kept for later
// (an ARP queue) or sent twice is copied, so no frame in flight is ever overwritten.
let headroomPacket: Uint8Array | undefined;
let headroomFrame: Uint8Array | undefined;

/** A zeroed datagram buffer of `n` bytes with room for an Ethernet header in front. */
function allocDatagram(n: number): Uint8Array {
  const frame = alloc(Math.max(60, 14 + n));
  headroomFrame = frame;
  return (headroomPacket = frame.subarray(14, 14 + n));
}

/** Ethernet II frame (as encodeEthernet builds it, from MAC bytes: the hot path). */
export function ethFrame(dst: Uint8Array, src: Uint8Array, type: number, payload: Uint8Array): Uint8Array {
  let out: Uint8Array;
  if (payload === headroomPacket) {
    out = headroomFrame!;
    headroomPacket = headroomFrame = undefined;
  } else {
    out = alloc(Math.max(60, 14 + payload.length));
    out.set(payload, 14);
  }
  out.set(dst, 0);
  out.set(src, 6);
  out[12] = type >> 8;
  out[13] = type & 0xff;
  return out;
}

function ipv4HeaderChecksum(pkt: Uint8Array): void {
  pkt[10] = 0;
  pkt[11] = 0;
  const ck = internetChecksum(pkt, 0, (pkt[0]! & 15) * 4);
  pkt[10] = ck >> 8;
  pkt[11] = ck & 0xff;
}

/** An IPv4 datagram handed to a transport. Its addresses become text only when asked for: TCP
 * finds connections by the header's numbers, so most segments never need it. */
class ReceivedDatagram4 implements IpDatagramInfo {
  private srcText: string | undefined;
  private dstText: string | undefined;
  constructor(
    readonly datagram: Uint8Array,
    readonly iface: string,
  ) {}
  get src(): string {
    return (this.srcText ??= ip4Text(read32(this.datagram, 12)));
  }
  get dst(): string {
    return (this.dstText ??= ip4Text(read32(this.datagram, 16)));
  }
  get protocol(): number {
    return this.datagram[9]!;
  }
  get ttl(): number {
    return this.datagram[8]!;
  }
}

export class Host extends Device implements IpLayer, HostServices {
  readonly ifaces = new Map<string, HostIface>();
  readonly routes: RouteTable;
  readonly arp = new Map<number, Neighbour>();
  readonly nd = new Map<string, Neighbour>();
  forwarding: boolean;
  nat: NatConfig | undefined;
  arpTimeout: SimTime = 60 * SECOND;
  arpRetries = 3;
  arpInterval: SimTime = 1 * SECOND;
  readonly udp: UdpService;
  tcp: TcpService;
  resolvers: string[] = [];
  hosts = new Map<string, string>();
  private handlers = new Map<number, (payload: Uint8Array, info: IpDatagramInfo) => void>();
  readonly icmpListeners = new Set<(m: IcmpMessage) => void>();
  private local4 = new Set<number>();
  private bcast4 = new Set<number>();
  private ipId: number;
  private addrCache = new Map<string, number>();
  private frags = new Map<
    string,
    { parts: { off: number; data: Uint8Array; more: boolean }[]; header: Uint8Array; timer: TimerHandle }
  >();
  private natOut = new Map<string, NatMapping>();
  private natIn = new Map<string, NatMapping>();
  private natNextPort = 32768;
  readonly lo: HostIface;
  /** Ephemeral ports from 32768 (Linux's ip_local_port_range default). */
  nextEphemeral = 32768;
  /** Tap number of the last data frame sent (for the event about it); 0 when none. */
  private lastTx = 0;
  /**
   * Replay mode (core/replay): every IPv4/IPv6 datagram addressed to this node (after NAT,
   * before reassembly) goes to this sink instead of its ICMP/UDP/TCP stacks, which would answer
   * traffic the replayed capture already holds (RSTs, port unreachables, echo replies). ARP,
   * neighbour discovery (ICMPv6 133-137) and forwarding are unchanged. Unset in every other run.
   */
  replaySink: ((pkt: Uint8Array, iface: HostIface, packet: number) => void) | undefined = undefined;

  constructor(name: string, kind: 'host' | 'router', kernel: Kernel) {
    super(name, kind, kernel);
    this.forwarding = kind === 'router';
    this.routes = new RouteTable((n) => this.ifaces.get(n)?.up ?? false);
    this.ipId = kernel.rng.nextU32() & 0xffff;
    this.lo = this.addIface('lo', ZERO_MAC);
    this.lo.loopback = true;
    this.lo.mtu = 65536;
    this.addAddress4('lo', ip4('127.0.0.1')!, 8);
    this.lo.v6.push({ addr: ip6('::1')!, prefix: 128 });
    this.udp = new UdpStack(this);
    this.tcp = tcpFactory ? tcpFactory(this) : new NoTcp();
  }

  // ---- IpLayer / HostServices ----

  get node(): string {
    return this.name;
  }
  get clock(): Kernel {
    return this.kernel;
  }
  get ip(): IpLayer {
    return this;
  }

  nameservers(): string[] {
    return this.resolvers;
  }
  staticName(name: string): string | undefined {
    return this.hosts.get(name.toLowerCase());
  }

  register(protocol: number, handler: (payload: Uint8Array, info: IpDatagramInfo) => void): void {
    this.handlers.set(protocol, handler);
  }

  addresses(): string[] {
    const out: string[] = [];
    for (const i of this.ifaces.values()) {
      for (const a of i.v4) out.push(ip4Text(a.addr));
      for (const a of i.v6) out.push(ip6Text(a.addr));
    }
    return out;
  }

  sourceFor(dst: string): string | undefined {
    if (dst.includes(':')) {
      const d = ip6(dst);
      if (!d) return undefined;
      if (this.isLocal6(d)) return dst;
      const r = this.routes.lookup6(d);
      const a = r && this.ifaces.get(r.iface)?.v6[0];
      return a ? ip6Text(a.addr) : undefined;
    }
    const d = this.addr4(dst);
    if (d === undefined) return undefined;
    if (this.isLocal4(d)) return dst;
    const r = this.routes.lookup4(d);
    if (!r) return undefined;
    const s = this.routeSource(r, d);
    return s === undefined ? undefined : ip4Text(s);
  }

  mtuFor(dst: string): number {
    if (dst.includes(':')) {
      const d = ip6(dst);
      const r = d && (this.isLocal6(d) ? undefined : this.routes.lookup6(d));
      return r ? (this.ifaces.get(r.iface)?.mtu ?? 1500) : d ? this.lo.mtu : 1500;
    }
    const d = this.addr4(dst);
    if (d === undefined) return 1500;
    if (this.isLocal4(d)) return this.lo.mtu;
    const r = this.routes.lookup4(d);
    return r ? (this.ifaces.get(r.iface)?.mtu ?? 1500) : 1500;
  }

  send(req: IpSendRequest): boolean {
    if (req.dst.includes(':')) return this.send6(req);
    const dst = this.addr4(req.dst);
    if (dst === undefined) throw new Error(`bad IPv4 address: ${req.dst}`);
    const src = req.src === undefined ? undefined : this.addr4(req.src);
    return this.send4(dst, req.protocol, req.payload, {
      src,
      ttl: req.ttl,
      df: req.df,
      tos: req.tos,
      iface: req.iface,
    });
  }

  unreachable(info: IpDatagramInfo, code: number): void {
    if (info.datagram[0]! >> 4 === 6) this.icmp6Error(info.datagram, 1, code === 3 ? 4 : code, 0);
    else this.icmpError(info.datagram, 3, code);
  }

  emit(e: Omit<SimEvent, 'time' | 'node'>): void {
    if (this.kernel.recording) this.kernel.record({ ...e, time: this.kernel.now(), node: this.name });
  }

  // ---- configuration ----

  addIface(name: string, mac: Uint8Array): HostIface {
    const i = new HostIface(this, name, mac);
    i.index = this.ifaces.size + 1;
    this.ifaces.set(name, i);
    this.ports.set(name, i);
    return i;
  }

  /** Adds an address and its connected route (as `ip addr add` does). */
  addAddress4(
    ifaceName: string,
    addr: number,
    prefix: number,
    opts: { label?: string; brd?: boolean } = {},
  ): void {
    const i = this.ifaces.get(ifaceName);
    if (!i) throw new Error(`no interface "${ifaceName}" on ${this.name}`);
    if (i.v4.some((a) => a.addr === addr && a.prefix === prefix)) return;
    i.v4.push({ addr, prefix, ...opts });
    const mask = maskOf(prefix);
    const net = (addr & mask) >>> 0;
    // The connected route; a loopback address's route is in the kernel's local table, except
    // for a prefix shorter than /8 … Linux adds `192.168.0.0/16 dev lo` too, so we do as well.
    if (!(i.loopback && prefix === 8 && addr >>> 24 === 127) && prefix < 32) {
      if (
        !this.routes.v4.some(
          (r) => r.proto === 'kernel' && r.dst === net && r.prefix === prefix && r.iface === ifaceName,
        )
      )
        this.routes.add4({ dst: net, prefix, iface: ifaceName, metric: 0, src: addr, proto: 'kernel' });
    }
    this.refreshLocal();
  }

  removeAddress4(ifaceName: string, addr: number, prefix: number): boolean {
    const i = this.ifaces.get(ifaceName);
    if (!i) return false;
    const at = i.v4.findIndex((a) => a.addr === addr && a.prefix === prefix);
    if (at < 0) return false;
    i.v4.splice(at, 1);
    const mask = maskOf(prefix);
    this.routes.remove4(
      (r) =>
        r.proto === 'kernel' && r.iface === ifaceName && r.dst === (addr & mask) >>> 0 && r.prefix === prefix,
    );
    this.refreshLocal();
    return true;
  }

  addAddress6(ifaceName: string, addr: Uint8Array, prefix: number): void {
    const i = this.ifaces.get(ifaceName);
    if (!i) throw new Error(`no interface "${ifaceName}" on ${this.name}`);
    i.v6.push({ addr, prefix });
    if (!i.loopback && prefix < 128)
      this.routes.add6({ dst: addr, prefix, iface: ifaceName, metric: 256, proto: 'kernel' });
  }

  private refreshLocal(): void {
    this.local4.clear();
    this.bcast4.clear();
    for (const i of this.ifaces.values()) {
      for (const a of i.v4) {
        this.local4.add(a.addr);
        if (!i.loopback && a.prefix < 31) this.bcast4.add((a.addr | ~maskOf(a.prefix)) >>> 0);
      }
    }
    this.routes.invalidate();
  }

  isLocal4(a: number): boolean {
    return this.local4.has(a) || a >>> 24 === 127;
  }

  isLocal6(a: Uint8Array): boolean {
    for (const i of this.ifaces.values()) for (const x of i.v6) if (equal6(x.addr, a)) return true;
    return false;
  }

  override linkChanged(_port: Port): void {
    this.routes.invalidate();
  }

  /** Parses dotted quads through a small cache (transports pass text). */
  addr4(text: string): number | undefined {
    let v = this.addrCache.get(text);
    if (v === undefined) {
      v = ip4(text);
      if (v === undefined) return undefined;
      if (this.addrCache.size > 4096) this.addrCache.clear();
      this.addrCache.set(text, v);
    }
    return v;
  }

  /** The source address for a route: its `src`, else the interface address on the
   * next hop's subnet, else the interface's first address (Linux's inet_select_addr). */
  routeSource(r: Route4, dst: number): number | undefined {
    if (r.src !== undefined) return r.src;
    const i = this.ifaces.get(r.iface);
    if (!i || !i.v4.length) return undefined;
    const nh = r.via ?? dst;
    for (const a of i.v4) if (((a.addr ^ nh) & maskOf(a.prefix)) === 0) return a.addr;
    return i.v4[0]!.addr;
  }

  /** Why the route table picked what it did (for events and `wirelens route`). */
  explainRoute4(dst: number): string {
    const m = this.routes.matches4(dst);
    if (!m) return `no route to ${ip4Text(dst)}`;
    const r = m.route;
    const what = r.prefix === 0 ? 'the default route' : `${ip4Text(r.dst)}/${r.prefix}`;
    return `${ip4Text(dst)} matches ${what}${r.via !== undefined ? ` via ${ip4Text(r.via)}` : ''} dev ${r.iface} (${m.matches.length === 1 ? 'only match' : `longest of ${m.matches.length} matches`})`;
  }

  // ---- sending IPv4 ----

  send4(
    dst: number,
    protocol: number,
    payload: Uint8Array,
    o: { src?: number; ttl?: number; df?: boolean; tos?: number; iface?: string; id?: number } = {},
  ): boolean {
    const k = this.kernel;
    // To ourselves: over the loopback.
    if (this.isLocal4(dst) && !o.iface) {
      const src = o.src ?? (dst >>> 24 === 127 ? dst : dst);
      const pkt = this.buildIpv4(src, dst, protocol, payload, o);
      this.loopback(pkt, ETH_IPV4);
      return true;
    }
    let route: Route4 | undefined;
    let iface: HostIface | undefined;
    let nextHop = dst;
    const limited = dst === 0xffffffff;
    if (o.iface) {
      iface = this.ifaces.get(o.iface);
      if (!iface || !iface.up) return this.noRoute(dst, `interface ${o.iface} is not up`);
      route = limited ? undefined : this.routes.lookup4(dst);
      if (route && route.iface !== o.iface) route = undefined;
      if (route?.via !== undefined) nextHop = route.via;
    } else {
      route = this.routes.lookup4(dst);
      if (!route) return this.noRoute(dst, 'Network is unreachable');
      iface = this.ifaces.get(route.iface)!;
      if (route.via !== undefined) nextHop = route.via;
      // A redirect learned for this destination (a route cache exception, as Linux keeps it).
      if (this.redirects.size) {
        const r = this.redirects.get(dst);
        if (r && r.iface === iface.name) nextHop = r.gateway;
      }
    }
    let src = o.src;
    if (src === undefined) src = route ? this.routeSource(route, dst) : iface.v4[0]?.addr;
    if (src === undefined) src = 0;
    const pkt = this.buildIpv4(src, dst, protocol, payload, o);
    let why = '';
    if (k.recording)
      why = route
        ? this.explainRoute4(dst)
        : `${ip4Text(dst)} sent out ${iface.name} (bound to the interface)`;
    this.lastTx = 0;
    const note = this.output4(pkt, iface, nextHop, undefined);
    if (k.recording && note !== undefined)
      this.note(
        'send',
        iface.name,
        `${this.name}: ${why}; ${note}`,
        frameProtocol(ethFrame(ZERO_MAC, ZERO_MAC, ETH_IPV4, pkt.subarray(0, 28))),
        this.lastTx,
      );
    return note !== undefined;
  }

  private noRoute(dst: number, why: string): boolean {
    if (this.kernel.recording)
      this.note('route', undefined, `${this.name}: no route to ${ip4Text(dst)}: ${why}`);
    return false;
  }

  buildIpv4(
    src: number,
    dst: number,
    protocol: number,
    payload: Uint8Array,
    o: { ttl?: number; df?: boolean; tos?: number; id?: number },
  ): Uint8Array {
    const id = o.id ?? (this.ipId = (this.ipId + 1) & 0xffff);
    return ipv4Datagram(src, dst, protocol, payload, o.ttl ?? 64, id, o.df ?? false, o.tos ?? 0);
  }

  private loopback(pkt: Uint8Array, type: number): void {
    const lo = this.lo;
    const frame = ethFrame(ZERO_MAC, ZERO_MAC, type, pkt);
    // Loopback frames are not padded (Linux's lo has no minimum).
    const f = frame.length > 14 + pkt.length ? frame.subarray(0, 14 + pkt.length) : frame;
    lo.txPackets++;
    lo.txBytes += f.length;
    lo.rxPackets++;
    lo.rxBytes += f.length;
    const n = lo.tap ? lo.tap.capture(this.kernel.now(), f) : 0;
    if (this.kernel.recording)
      this.note('send', 'lo', `${this.name}: ${describeFrame(f)} over the loopback`, frameProtocol(f), n);
    this.kernel.schedule(0, () => {
      if (type === ETH_IPV4) this.ipv4Input(lo, pkt, n, true);
      else this.ipv6Input(lo, pkt, n, true);
    });
  }

  /**
   * Sends a datagram out `iface` towards `nextHop`, fragmenting if needed (RFC 791 §3.2).
   * Returns a note for the event ("ARP cache hit …"), or undefined when nothing was sent.
   */
  output4(
    pkt: Uint8Array,
    iface: HostIface,
    nextHop: number,
    /** The datagram as it arrived, when this is its forwarded copy. */
    forwardedFrom: Uint8Array | undefined,
  ): string | undefined {
    if (pkt.length > iface.mtu) {
      const df = (pkt[6]! & 0x40) !== 0;
      if (df) {
        if (forwardedFrom) {
          this.icmpError(pkt, 3, 4, iface.mtu);
          return `${pkt.length} bytes exceed MTU ${iface.mtu} and DF is set → ICMP fragmentation needed`;
        }
        if (this.kernel.recording)
          this.note(
            'drop',
            iface.name,
            `${this.name}: message too long (${pkt.length} > MTU ${iface.mtu}) and DF set`,
          );
        this.localError4(pkt, `local error: message too long, mtu=${iface.mtu}`);
        return undefined;
      }
      const frags = fragment4(pkt, iface.mtu);
      let note = '';
      for (const f of frags) note = this.resolve4(f, iface, nextHop, forwardedFrom) ?? note;
      return `fragmented into ${frags.length} (MTU ${iface.mtu}); ${note}`;
    }
    return this.resolve4(pkt, iface, nextHop, forwardedFrom);
  }

  /** Link-layer resolution then transmission. */
  private resolve4(
    pkt: Uint8Array,
    iface: HostIface,
    nextHop: number,
    forwardedFrom: Uint8Array | undefined,
  ): string | undefined {
    const k = this.kernel;
    const dst = read32(pkt, 16);
    if (iface.loopback) {
      this.loopback(pkt, ETH_IPV4);
      return 'over the loopback';
    }
    if (dst === 0xffffffff || this.bcast4.has(dst)) {
      this.lastTx = iface.send(ethFrame(BROADCAST_MAC, iface.mac, ETH_IPV4, pkt));
      return 'broadcast to ff:ff:ff:ff:ff:ff';
    }
    if (dst >>> 28 === 0xe) {
      this.lastTx = iface.send(ethFrame(multicastMac4(dst), iface.mac, ETH_IPV4, pkt));
      return 'multicast';
    }
    const now = k.now();
    let n = this.arp.get(nextHop);
    if (n && n.state === 'REACHABLE' && n.iface === iface && now - n.updated <= this.arpTimeout) {
      const num = (this.lastTx = iface.send(ethFrame(n.mac!, iface.mac, ETH_IPV4, pkt)));
      return k.recording
        ? `ARP cache hit: ${ip4Text(nextHop)} is-at ${etherToString(n.mac!, 0)}${num > 0 ? ` (frame ${num} on ${iface.name})` : ''}`
        : '';
    }
    if (n && n.state === 'INCOMPLETE' && n.iface === iface) {
      n.queue.push({ pkt, forwardedFrom });
      return k.recording ? `waiting for the ARP reply from ${ip4Text(nextHop)} (queued)` : '';
    }
    const expired = n && n.state === 'REACHABLE';
    n = {
      ip: ip4Text(nextHop),
      ip4: nextHop,
      iface,
      state: 'INCOMPLETE',
      updated: now,
      queue: [{ pkt, forwardedFrom }],
      tries: 0,
    };
    this.arp.set(nextHop, n);
    this.arpSolicit(n, read32(pkt, 12));
    return k.recording ? `ARP ${expired ? 'entry expired' : 'cache miss'} → who-has ${ip4Text(nextHop)}` : '';
  }

  private arpSolicit(n: Neighbour, preferredSrc: number): void {
    const iface = n.iface;
    // The sender address: the queued packet's source if it is ours on this interface
    // (arp_announce=0), else the interface's address on the target's subnet.
    let spa = iface.v4.find((a) => a.addr === preferredSrc)?.addr;
    spa ??=
      iface.v4.find((a) => ((a.addr ^ n.ip4!) & maskOf(a.prefix)) === 0)?.addr ?? iface.v4[0]?.addr ?? 0;
    const send = (): void => {
      if (n.state !== 'INCOMPLETE' || this.arp.get(n.ip4!) !== n) return;
      if (n.tries >= this.arpRetries) {
        n.state = 'FAILED';
        this.arp.delete(n.ip4!);
        if (this.kernel.recording)
          this.note(
            'arp',
            iface.name,
            `${this.name}: no ARP reply from ${n.ip} after ${n.tries} requests → ${n.queue.length} queued packet(s) fail: host unreachable`,
            'ARP',
          );
        const q = n.queue;
        n.queue = [];
        for (const p of q) this.neighbourFailed(p);
        return;
      }
      n.tries++;
      const body = encodeArp({
        opcode: 1,
        senderMac: etherToString(iface.mac, 0),
        senderIp: ip4Text(spa),
        targetMac: '00:00:00:00:00:00',
        targetIp: n.ip,
      });
      const num = iface.send(ethFrame(BROADCAST_MAC, iface.mac, ETH_ARP, body));
      if (this.kernel.recording)
        this.note(
          'arp',
          iface.name,
          `${this.name}: ARP request ${n.tries}/${this.arpRetries}: who-has ${n.ip} tell ${ip4Text(spa)}`,
          'ARP',
          num,
        );
      n.timer = this.kernel.schedule(this.arpInterval, send);
    };
    send();
  }

  /** A queued datagram's neighbour never answered: host unreachable (RFC 1812 §5.2.7.1), to
   * the sender of a forwarded one, or to ourselves as Linux reports a neighbour failure (ping
   * prints "Destination Host Unreachable"). */
  private neighbourFailed(p: Pending): void {
    const v6 = p.pkt[0]! >> 4 === 6;
    if (p.forwardedFrom) {
      if (v6) this.icmp6Error(p.forwardedFrom, 1, 3, 0);
      else this.icmpError(p.forwardedFrom, 3, 1);
    } else if (v6) this.deliverIcmpLocally(6, ip6Text(p.pkt.subarray(8, 24)), 1, 3, p.pkt);
    else this.deliverIcmpLocally(4, ip4Text(read32(p.pkt, 12)), 3, 1, p.pkt);
  }

  private localError4(pkt: Uint8Array, text: string): void {
    const quoted = this.quote(4, pkt);
    for (const l of this.icmpListeners)
      l({
        family: 4,
        type: -1,
        code: 0,
        from: text,
        ttl: 0,
        id: 0,
        seq: 0,
        body: pkt,
        quoted,
        length: pkt.length,
      });
  }

  private deliverIcmpLocally(family: 4 | 6, from: string, type: number, code: number, pkt: Uint8Array): void {
    const quoted = this.quote(family, pkt);
    const m: IcmpMessage = {
      family,
      type,
      code,
      from,
      ttl: 64,
      id: 0,
      seq: 0,
      body: pkt,
      quoted,
      length: pkt.length + 28,
    };
    for (const l of [...this.icmpListeners]) l(m);
  }

  // ---- receiving ----

  receive(port: Port, frame: Uint8Array, packet: number): void {
    const iface = port as HostIface;
    const k = this.kernel;
    if (frame.length < 14) return;
    // Our MAC, broadcast, or a multicast group (we accept all groups: no IGMP/MLD state).
    if (!sameMac(frame, 0, iface.mac) && (frame[0]! & 1) === 0) {
      if (k.recording)
        this.note(
          'drop',
          iface.name,
          `${this.name}: not addressed to ${etherToString(iface.mac, 0)} (${describeFrame(frame)}): ignored`,
          frameProtocol(frame),
          packet,
        );
      return;
    }
    const type = read16(frame, 12);
    if (type === ETH_ARP) this.arpInput(iface, frame.subarray(14), packet);
    else if (type === ETH_IPV4) {
      if (frame.length < 34) return;
      const total = read16(frame, 16);
      if (total < 20 || 14 + total > frame.length) {
        if (k.recording)
          this.note(
            'drop',
            iface.name,
            `${this.name}: IPv4 total length ${total} does not fit the frame: dropped`,
            'IPv4',
            packet,
          );
        return;
      }
      this.ipv4Input(iface, frame.subarray(14, 14 + total), packet, false);
    } else if (type === ETH_IPV6) {
      if (frame.length < 54) return;
      const plen = read16(frame, 18);
      if (54 + plen > frame.length) return;
      this.ipv6Input(iface, frame.subarray(14, 54 + plen), packet, false);
    } else if (k.recording) {
      this.note(
        'drop',
        iface.name,
        `${this.name}: ${describeFrame(frame)}: no handler for this ethertype`,
        frameProtocol(frame),
        packet,
      );
    }
  }

  private arpInput(iface: HostIface, body: Uint8Array, packet: number): void {
    if (
      body.length < 28 ||
      read16(body, 0) !== 1 ||
      read16(body, 2) !== 0x0800 ||
      body[4] !== 6 ||
      body[5] !== 4
    )
      return;
    const k = this.kernel;
    const op = read16(body, 6);
    const sha = body.slice(8, 14);
    const spa = read32(body, 14);
    const tpa = read32(body, 24);
    const forUs = iface.v4.length > 0 && this.local4.has(tpa) && tpa >>> 24 !== 127;
    // RFC 826 "merge": update an entry we have; create one when the packet is for us.
    const n = this.arp.get(spa);
    if (spa !== 0) {
      if (n && n.iface === iface)
        this.neighbourLearned(
          n,
          sha,
          k.recording ? `${ip4Text(spa)} is-at ${etherToString(sha, 0)}` : '',
          packet,
        );
      else if (forUs) {
        this.arp.set(spa, {
          ip: ip4Text(spa),
          ip4: spa,
          iface,
          mac: sha,
          state: 'REACHABLE',
          updated: k.now(),
          queue: [],
          tries: 0,
        });
        if (k.recording)
          this.note(
            'arp',
            iface.name,
            `${this.name}: ARP cache add ${ip4Text(spa)} → ${etherToString(sha, 0)} (from the request)`,
            'ARP',
            packet,
          );
      }
    }
    if (op === 1 && forUs) {
      const reply = encodeArp({
        opcode: 2,
        senderMac: etherToString(iface.mac, 0),
        senderIp: ip4Text(tpa),
        targetMac: etherToString(sha, 0),
        targetIp: ip4Text(spa),
      });
      const num = iface.send(ethFrame(sha, iface.mac, ETH_ARP, reply));
      if (k.recording)
        this.note(
          'arp',
          iface.name,
          `${this.name}: ARP reply ${ip4Text(tpa)} is-at ${etherToString(iface.mac, 0)} to ${ip4Text(spa)}`,
          'ARP',
          num,
        );
    } else if (op === 1 && k.recording) {
      this.note(
        'arp',
        iface.name,
        `${this.name}: ARP who-has ${ip4Text(tpa)}: not one of our addresses, no reply`,
        'ARP',
        packet,
      );
    }
  }

  private neighbourLearned(n: Neighbour, mac: Uint8Array, what: string, packet: number): void {
    const k = this.kernel;
    const was = n.state;
    n.mac = mac;
    n.state = 'REACHABLE';
    n.updated = k.now();
    k.cancel(n.timer);
    n.timer = undefined;
    const q = n.queue;
    n.queue = [];
    if (k.recording)
      this.note(
        n.ip6 ? 'nd' : 'arp',
        n.iface.name,
        `${this.name}: ${was === 'INCOMPLETE' ? 'resolved' : 'refreshed'} ${what}${q.length ? `; sending ${q.length} queued packet(s)` : ''}`,
        n.ip6 ? 'ICMPv6' : 'ARP',
        packet,
      );
    for (const p of q) n.iface.send(ethFrame(mac, n.iface.mac, n.ip6 ? ETH_IPV6 : ETH_IPV4, p.pkt));
  }

  ipv4Input(iface: HostIface, pkt: Uint8Array, packet: number, fromLoopback: boolean): void {
    const k = this.kernel;
    const ihl = (pkt[0]! & 15) * 4;
    if (
      pkt[0]! >> 4 !== 4 ||
      ihl < 20 ||
      ihl > pkt.length ||
      (!fromLoopback && internetChecksum(pkt, 0, ihl) !== 0)
    ) {
      if (k.recording)
        this.note(
          'drop',
          iface.name,
          `${this.name}: bad IPv4 header (version, length or checksum): dropped`,
          'IPv4',
          packet,
        );
      return;
    }
    let dst = read32(pkt, 16);
    // Replies to translated connections, and port forwarding, are rewritten first.
    if (this.nat && !fromLoopback) {
      const rewritten = this.natInbound(iface, pkt);
      if (rewritten) {
        pkt = rewritten;
        dst = read32(pkt, 16);
      }
    }
    // A DHCP client reads its replies before it has an address (dhclient uses a packet socket):
    // UDP to port 68 on an interface without IPv4 addresses is taken as ours.
    const dhcpClient =
      iface.v4.length === 0 && pkt[9] === 17 && pkt.length >= ihl + 4 && read16(pkt, ihl + 2) === 68;
    if (
      this.isLocal4(dst) ||
      dst === 0xffffffff ||
      this.bcast4.has(dst) ||
      dst >>> 28 === 0xe ||
      dhcpClient
    ) {
      if (this.replaySink !== undefined) {
        this.replaySink(pkt, iface, packet);
        return;
      }
      const frag = read16(pkt, 6);
      if (frag & 0x3fff) {
        const whole = this.reassemble(pkt);
        if (!whole) return;
        pkt = whole;
      }
      this.deliver4(iface, pkt, packet);
      return;
    }
    if (!this.forwarding) {
      if (k.recording)
        this.note(
          'drop',
          iface.name,
          `${this.name}: ${ip4Text(dst)} is not ours and forwarding is off: dropped`,
          frameProtocol(ethFrame(ZERO_MAC, ZERO_MAC, ETH_IPV4, pkt)),
          packet,
        );
      return;
    }
    this.forward4(iface, pkt, packet);
  }

  private forward4(inIface: HostIface, pkt: Uint8Array, packet: number): void {
    const k = this.kernel;
    const dst = read32(pkt, 16);
    const ttl = pkt[8]!;
    const proto = k.recording
      ? frameProtocol(ethFrame(ZERO_MAC, ZERO_MAC, ETH_IPV4, pkt.subarray(0, Math.min(pkt.length, 28))))
      : undefined;
    // RFC 1812 §5.3.1: a datagram whose TTL would reach 0 is discarded with time exceeded.
    if (ttl <= 1) {
      if (k.recording)
        this.note(
          'icmp',
          inIface.name,
          `${this.name}: TTL ${ttl} would expire → ICMP time exceeded to ${ip4Text(read32(pkt, 12))}`,
          proto,
          packet,
        );
      this.icmpError(pkt, 11, 0);
      return;
    }
    const route = this.routes.lookup4(dst);
    if (!route) {
      if (k.recording)
        this.note(
          'route',
          inIface.name,
          `${this.name}: no route to ${ip4Text(dst)} → ICMP net unreachable to ${ip4Text(read32(pkt, 12))}`,
          proto,
          packet,
        );
      this.icmpError(pkt, 3, 0);
      return;
    }
    const out = allocDatagram(pkt.length);
    out.set(pkt);
    out[8] = ttl - 1;
    // RFC 1624 §3: HC' = HC + 0x0100 (TTL is the high byte of its word), end-around carry.
    let ck = ((out[10]! << 8) | out[11]!) + 0x0100;
    ck = (ck & 0xffff) + (ck >>> 16);
    out[10] = ck >> 8;
    out[11] = ck & 0xff;
    const outIface = this.ifaces.get(route.iface)!;
    let natNote = '';
    if (this.nat && this.nat.masquerade.includes(outIface.name)) natNote = this.masquerade(out, outIface);
    const nh = route.via ?? dst;
    // RFC 1812 §5.2.7.2: out the interface it came in on, to a next hop on the sender's own
    // subnet: tell the sender (ICMP redirect for the host), and forward it anyway.
    if (outIface === inIface && !this.nat) this.maybeRedirect(inIface, pkt, nh);
    this.lastTx = 0;
    const note = this.output4(out, outIface, nh, pkt);
    if (k.recording)
      this.note(
        'forward',
        outIface.name,
        `${this.name}: ${this.explainRoute4(dst)}; TTL ${ttl}→${ttl - 1}${natNote}; ${note ?? 'not sent'}`,
        proto,
        this.lastTx,
      );
  }

  private deliver4(iface: HostIface, pkt: Uint8Array, packet: number): void {
    const k = this.kernel;
    const ihl = (pkt[0]! & 15) * 4;
    const protocol = pkt[9]!;
    const payload = pkt.subarray(ihl);
    if (protocol === 1) {
      this.icmpInput(iface, pkt, payload, packet);
      return;
    }
    const h = this.handlers.get(protocol);
    const info = new ReceivedDatagram4(pkt, iface.name);
    if (h) {
      if (k.recording)
        this.note(
          'receive',
          iface.name,
          `${this.name}: received ${info.src} → ${info.dst} protocol ${protocol}, ${pkt.length} bytes`,
          protocol === 6 ? 'TCP' : protocol === 17 ? 'UDP' : 'IPv4',
          packet,
        );
      h(payload, info);
      return;
    }
    if (k.recording)
      this.note(
        'icmp',
        iface.name,
        `${this.name}: no handler for IP protocol ${protocol} → ICMP protocol unreachable`,
        'IPv4',
        packet,
      );
    this.unreachable(info, 2);
  }

  // ---- ICMP ----

  private icmpInput(iface: HostIface, pkt: Uint8Array, icmp: Uint8Array, packet: number): void {
    const k = this.kernel;
    if (icmp.length < 8 || internetChecksum(icmp) !== 0) {
      if (k.recording)
        this.note(
          'drop',
          iface.name,
          `${this.name}: ICMP too short or bad checksum: dropped`,
          'ICMP',
          packet,
        );
      return;
    }
    const type = icmp[0]!;
    const src = read32(pkt, 12);
    const dst = read32(pkt, 16);
    if (type === 8) {
      // RFC 792 / RFC 1122 §3.2.2.6: echo reply with the same identifier, sequence and data.
      if (dst === 0xffffffff || this.bcast4.has(dst)) return; // icmp_echo_ignore_broadcasts=1
      if (k.recording)
        this.note(
          'icmp',
          iface.name,
          `${this.name}: echo request from ${ip4Text(src)} id ${read16(icmp, 4)} seq ${read16(icmp, 6)} → echo reply`,
          'ICMP',
          packet,
        );
      const reply = encodeIcmp(
        { type: 0, code: 0, identifier: read16(icmp, 4), sequence: read16(icmp, 6) },
        icmp.subarray(8),
      );
      this.send4(src, 1, reply, { src: dst });
      return;
    }
    const m: IcmpMessage = {
      family: 4,
      type,
      code: icmp[1]!,
      from: ip4Text(src),
      ttl: pkt[8]!,
      id: read16(icmp, 4),
      seq: read16(icmp, 6),
      body: icmp.subarray(8),
      length: pkt.length,
    };
    if (type === 3 || type === 11 || type === 12 || type === 5) m.quoted = this.quote(4, icmp.subarray(8));
    if (type === 5 && !this.forwarding && m.quoted)
      this.acceptRedirect(iface, src, read32(icmp, 4), m.quoted.dst, packet);
    if (k.recording)
      this.note(
        'icmp',
        iface.name,
        `${this.name}: ICMP type ${type} code ${m.code} from ${m.from}`,
        'ICMP',
        packet,
      );
    for (const l of [...this.icmpListeners]) l(m);
  }

  /** Reads the quoted datagram of an ICMP error (its addresses, ports, echo id/seq). */
  private quote(family: 4 | 6, q: Uint8Array): IcmpMessage['quoted'] {
    if (family === 4) {
      if (q.length < 20) return undefined;
      const ihl = (q[0]! & 15) * 4;
      const t = q.subarray(ihl);
      const p = q[9]!;
      const r = {
        protocol: p,
        src: ip4Text(read32(q, 12)),
        dst: ip4Text(read32(q, 16)),
        srcPort: 0,
        dstPort: 0,
        id: 0,
        seq: 0,
        ttl: q[8]!,
      };
      if (t.length >= 4) {
        if (p === 1) {
          r.id = t.length >= 6 ? read16(t, 4) : 0;
          r.seq = t.length >= 8 ? read16(t, 6) : 0;
        } else {
          r.srcPort = read16(t, 0);
          r.dstPort = read16(t, 2);
        }
      }
      return r;
    }
    if (q.length < 40) return undefined;
    const t = q.subarray(40);
    const p = q[6]!;
    const r = {
      protocol: p,
      src: ip6Text(q.subarray(8, 24)),
      dst: ip6Text(q.subarray(24, 40)),
      srcPort: 0,
      dstPort: 0,
      id: 0,
      seq: 0,
      ttl: q[7]!,
    };
    if (t.length >= 8) {
      if (p === 58) {
        r.id = read16(t, 4);
        r.seq = read16(t, 6);
      } else {
        r.srcPort = read16(t, 0);
        r.dstPort = read16(t, 2);
      }
    }
    return r;
  }

  /** Sends an ICMP error about `pkt` to its source (RFC 1812 §4.3.2.7: never about an ICMP
   * error, a non-first fragment, or a broadcast). `mtu` for "fragmentation needed". */
  icmpError(pkt: Uint8Array, type: number, code: number, mtu = 0): void {
    const src = read32(pkt, 12);
    const dst = read32(pkt, 16);
    const ihl = (pkt[0]! & 15) * 4;
    if (read16(pkt, 6) & 0x1fff) return;
    if (pkt[9] === 1 && pkt.length > ihl && ![0, 8, 13, 14, 15, 16, 17, 18].includes(pkt[ihl]!)) return;
    if (dst === 0xffffffff || this.bcast4.has(dst) || dst >>> 28 === 0xe || src === 0) return;
    const rest = new Uint8Array(4);
    if (type === 3 && code === 4) write16(rest, 2, mtu);
    const body = encodeIcmp({ type, code, rest }, pkt.subarray(0, Math.min(pkt.length, ICMP_QUOTE)));
    // The source is our address on the way back (Linux's default, not the inbound one).
    const back = this.sourceFor(ip4Text(src));
    const from = this.isLocal4(dst) ? dst : back !== undefined ? ip4(back) : undefined;
    this.send4(src, 1, body, { src: from, tos: 0xc0 });
  }

  // ---- ICMP redirect (RFC 792, RFC 1812 §5.2.7.2, RFC 1122 §3.2.2.2) ----

  private redirectState = new Map<string, { n: number; last: SimTime }>();
  /** Destination → better first hop, learned from redirects. */
  readonly redirects = new Map<number, { gateway: number; iface: string }>();

  private maybeRedirect(iface: HostIface, pkt: Uint8Array, nh: number): void {
    const src = read32(pkt, 12);
    const onLink = iface.v4.some(
      (a) => ((a.addr ^ src) & maskOf(a.prefix)) === 0 && ((a.addr ^ nh) & maskOf(a.prefix)) === 0,
    );
    if (!onLink || read16(pkt, 6) & 0x1fff) return;
    // Linux's pacing: up to 9 redirects per source and destination, backing off exponentially
    // from 20 ms (ip_rt_redirect_number, ip_rt_redirect_load).
    const key = `${src}>${read32(pkt, 16)}`;
    const now = this.kernel.now();
    const st = this.redirectState.get(key) ?? { n: 0, last: -Infinity };
    if (st.n >= 9 || now - st.last < 20 * 1_000_000 * 2 ** Math.max(0, st.n - 1)) return;
    st.n++;
    st.last = now;
    this.redirectState.set(key, st);
    const rest = new Uint8Array(4);
    write32(rest, 0, nh);
    const body = encodeIcmp({ type: 5, code: 1, rest }, pkt.subarray(0, Math.min(pkt.length, ICMP_QUOTE)));
    if (this.kernel.recording)
      this.note(
        'icmp',
        iface.name,
        `${this.name}: ${ip4Text(read32(pkt, 16))} leaves by the interface it came in on, via ${ip4Text(nh)} on ${ip4Text(src)}'s own subnet → ICMP redirect to ${ip4Text(src)}`,
        'ICMP',
      );
    this.send4(src, 1, body, { tos: 0xc0 });
  }

  private acceptRedirect(
    iface: HostIface,
    from: number,
    gateway: number,
    dstText: string,
    packet: number,
  ): void {
    const dst = ip4(dstText);
    if (dst === undefined) return;
    const r = this.routes.lookup4(dst);
    const current = this.redirects.get(dst)?.gateway ?? r?.via;
    // RFC 1122 §3.2.2.2: only from the current first hop, and to a gateway on our link.
    const onLink = iface.v4.some((a) => ((a.addr ^ gateway) & maskOf(a.prefix)) === 0);
    if (!r || current !== from || !onLink || r.iface !== iface.name) return;
    this.redirects.set(dst, { gateway, iface: iface.name });
    if (this.kernel.recording)
      this.note(
        'route',
        iface.name,
        `${this.name}: redirect from ${ip4Text(from)}: ${dstText} now via ${ip4Text(gateway)}`,
        'ICMP',
        packet,
      );
  }

  // ---- fragmentation ----

  private reassemble(pkt: Uint8Array): Uint8Array | undefined {
    const k = this.kernel;
    const key = `${read32(pkt, 12)}/${read32(pkt, 16)}/${pkt[9]}/${read16(pkt, 4)}`;
    const ihl = (pkt[0]! & 15) * 4;
    const fw = read16(pkt, 6);
    const off = (fw & 0x1fff) * 8;
    const more = (fw & 0x2000) !== 0;
    let e = this.frags.get(key);
    if (!e) {
      const timer = k.schedule(REASSEMBLY_TIMEOUT, () => {
        const x = this.frags.get(key);
        if (!x) return;
        this.frags.delete(key);
        if (k.recording)
          this.note(
            'drop',
            undefined,
            `${this.name}: reassembly timed out (${x.parts.length} fragment(s))`,
            'IPv4',
          );
        const first = x.parts.find((p) => p.off === 0);
        if (first) this.icmpError(concatBytes([x.header, first.data]), 11, 1);
      });
      e = { parts: [], header: pkt.slice(0, ihl), timer };
      this.frags.set(key, e);
    }
    if (off === 0) e.header = pkt.slice(0, ihl);
    if (e.parts.length > 1024) return undefined;
    e.parts.push({ off, data: pkt.slice(ihl), more });
    e.parts.sort((a, b) => a.off - b.off);
    // Complete when the last fragment is here and there is no hole.
    let end = 0;
    let last = false;
    for (const p of e.parts) {
      if (p.off > end) return undefined;
      end = Math.max(end, p.off + p.data.length);
      if (!p.more) last = true;
    }
    if (!last) return undefined;
    k.cancel(e.timer);
    this.frags.delete(key);
    const hdr = e.header;
    const out = new Uint8Array(hdr.length + end);
    out.set(hdr, 0);
    for (const p of e.parts) out.set(p.data, hdr.length + p.off);
    write16(out, 2, out.length);
    write16(out, 6, read16(out, 6) & 0x4000);
    ipv4HeaderChecksum(out);
    if (k.recording)
      this.note(
        'receive',
        undefined,
        `${this.name}: reassembled ${e.parts.length} fragments into ${out.length} bytes`,
        'IPv4',
      );
    return out;
  }

  // ---- NAT ----

  private natKey(protocol: number, a: number, ap: number, b: number, bp: number): string {
    return `${protocol}:${a}:${ap}:${b}:${bp}`;
  }

  /** Ports (or the ICMP echo identifier, for both) of a datagram; undefined when untranslatable. */
  private natPorts(pkt: Uint8Array): [number, number] | undefined {
    const ihl = (pkt[0]! & 15) * 4;
    const p = pkt[9];
    if (read16(pkt, 6) & 0x1fff) return undefined;
    if ((p === 6 || p === 17) && pkt.length >= ihl + 4) return [read16(pkt, ihl), read16(pkt, ihl + 2)];
    if (p === 1 && pkt.length >= ihl + 8 && (pkt[ihl] === 8 || pkt[ihl] === 0))
      return [read16(pkt, ihl + 4), read16(pkt, ihl + 4)];
    return undefined;
  }

  /** Rewrites one end of a datagram and fixes the checksums. */
  private rewrite(pkt: Uint8Array, field: 'src' | 'dst', addr: number, port: number): void {
    const ihl = (pkt[0]! & 15) * 4;
    const p = pkt[9]!;
    write32(pkt, field === 'src' ? 12 : 16, addr);
    ipv4HeaderChecksum(pkt);
    const t = pkt.subarray(ihl);
    if (p === 1) {
      write16(t, 4, port);
      t[2] = 0;
      t[3] = 0;
      write16(t, 2, internetChecksum(t));
      return;
    }
    write16(t, field === 'src' ? 0 : 2, port);
    const ckAt = p === 6 ? 16 : 6;
    if (p === 17 && read16(t, 6) === 0) return; // no UDP checksum
    t[ckAt] = 0;
    t[ckAt + 1] = 0;
    let ck = internetChecksum(
      t,
      0,
      t.length,
      pseudoHeaderSum(4, pkt.subarray(12, 16), pkt.subarray(16, 20), p, t.length),
    );
    if (p === 17 && ck === 0) ck = 0xffff;
    write16(t, ckAt, ck);
  }

  private masquerade(pkt: Uint8Array, out: HostIface): string {
    const ports = this.natPorts(pkt);
    const addr = out.v4[0]?.addr;
    if (!ports || addr === undefined) return '';
    const p = pkt[9]!;
    const src = read32(pkt, 12);
    const dst = read32(pkt, 16);
    const key = this.natKey(p, src, ports[0], dst, ports[1]);
    let m = this.natOut.get(key);
    if (!m) {
      let port = ports[0];
      while (this.natIn.has(this.natKey(p, dst, p === 1 ? port : ports[1], addr, port)))
        port = this.natNextPort++;
      m = { protocol: p, field: 'src', addr, port };
      this.natOut.set(key, m);
      // The reply comes back to addr:port from dst:dport.
      this.natIn.set(this.natKey(p, dst, p === 1 ? port : ports[1], addr, port), {
        protocol: p,
        field: 'dst',
        addr: src,
        port: ports[0],
      });
    }
    this.rewrite(pkt, 'src', m.addr, m.port);
    return this.kernel.recording
      ? `; masquerade ${ip4Text(src)}:${ports[0]} → ${ip4Text(m.addr)}:${m.port}`
      : '';
  }

  private natInbound(iface: HostIface, pkt: Uint8Array): Uint8Array | undefined {
    const nat = this.nat!;
    const ports = this.natPorts(pkt);
    if (!ports) return undefined;
    const p = pkt[9]!;
    const src = read32(pkt, 12);
    const dst = read32(pkt, 16);
    const m = this.natIn.get(this.natKey(p, src, ports[0], dst, ports[1]));
    if (m) {
      const out = pkt.slice();
      this.rewrite(out, m.field, m.addr, m.port);
      if (this.kernel.recording)
        this.note(
          'forward',
          iface.name,
          `${this.name}: NAT ${m.field === 'dst' ? 'reply to' : 'from'} ${ip4Text(m.field === 'dst' ? dst : src)} → ${ip4Text(m.addr)}:${m.port}`,
          undefined,
        );
      return out;
    }
    if (!this.isLocal4(dst)) return undefined;
    const rule = nat.forward.find(
      (r) => r.protocol === p && r.port === ports[1] && (!r.iface || r.iface === iface.name),
    );
    if (!rule) return undefined;
    const out = pkt.slice();
    this.rewrite(out, 'dst', rule.to, rule.toPort);
    // Replies from the inside host get the router's address and the public port back.
    this.natIn.set(this.natKey(p, rule.to, rule.toPort, src, ports[0]), {
      protocol: p,
      field: 'src',
      addr: dst,
      port: rule.port,
    });
    if (this.kernel.recording)
      this.note(
        'forward',
        iface.name,
        `${this.name}: port forward ${ip4Text(dst)}:${rule.port} → ${ip4Text(rule.to)}:${rule.toPort}`,
        p === 6 ? 'TCP' : 'UDP',
      );
    return out;
  }

  // ---- IPv6 ----

  private send6(req: IpSendRequest): boolean {
    const dst = ip6(req.dst);
    if (!dst) throw new Error(`bad IPv6 address: ${req.dst}`);
    return this.send6Bytes(dst, req.protocol, req.payload, {
      src: req.src ? ip6(req.src) : undefined,
      hopLimit: req.ttl,
      iface: req.iface,
    });
  }

  send6Bytes(
    dst: Uint8Array,
    protocol: number,
    payload: Uint8Array | ((src: Uint8Array) => Uint8Array),
    o: { src?: Uint8Array; hopLimit?: number; iface?: string } = {},
  ): boolean {
    const k = this.kernel;
    if (this.isLocal6(dst)) {
      const src = o.src ?? dst;
      const body = typeof payload === 'function' ? payload(src) : payload;
      this.loopback(
        encodeIpv6(
          { src: ip6Text(src), dst: ip6Text(dst), nextHeader: protocol, hopLimit: o.hopLimit ?? 64 },
          body,
        ),
        ETH_IPV6,
      );
      return true;
    }
    let iface: HostIface | undefined;
    let nh = dst;
    let route: Route6 | undefined;
    if (dst[0] === 0xff || (dst[0] === 0xfe && (dst[1]! & 0xc0) === 0x80)) {
      iface = o.iface ? this.ifaces.get(o.iface) : undefined;
      iface ??= [...this.ifaces.values()].find((i) => !i.loopback && i.v6.length && i.up);
    } else {
      route = this.routes.lookup6(dst);
      if (!route) {
        if (k.recording)
          this.note('route', undefined, `${this.name}: no route to ${ip6Text(dst)}: Network is unreachable`);
        return false;
      }
      iface = this.ifaces.get(route.iface);
      if (route.via) nh = route.via;
    }
    if (!iface) return false;
    const src = o.src ?? iface.v6.find((a) => inPrefix6(nh, a.addr, a.prefix))?.addr ?? iface.v6[0]?.addr;
    if (!src) return false;
    const body = typeof payload === 'function' ? payload(src) : payload;
    const pkt = encodeIpv6(
      { src: ip6Text(src), dst: ip6Text(dst), nextHeader: protocol, hopLimit: o.hopLimit ?? 64 },
      body,
    );
    const note = this.output6(pkt, iface, nh, undefined);
    if (k.recording && note !== undefined)
      this.note(
        'send',
        iface.name,
        `${this.name}: ${ip6Text(dst)} via ${route ? `${ip6Text(route.dst)}/${route.prefix}` : 'link-local'} dev ${iface.name}; ${note}`,
        protocol === 58 ? 'ICMPv6' : protocol === 17 ? 'UDP' : protocol === 6 ? 'TCP' : 'IPv6',
      );
    return note !== undefined;
  }

  /** Sends a datagram out `iface` towards `nh` (neighbour discovery first); public for the
   * replay driver, which sends captured datagrams as they are. */
  output6(
    pkt: Uint8Array,
    iface: HostIface,
    nh: Uint8Array,
    forwardedFrom: Uint8Array | undefined,
  ): string | undefined {
    const k = this.kernel;
    if (pkt.length > iface.mtu) {
      if (k.recording)
        this.note(
          'drop',
          iface.name,
          `${this.name}: ${pkt.length} bytes exceed MTU ${iface.mtu} (IPv6 routers never fragment)`,
        );
      return undefined;
    }
    const dst = pkt.subarray(24, 40);
    if (dst[0] === 0xff) {
      this.lastTx = iface.send(ethFrame(multicastMac6(dst), iface.mac, ETH_IPV6, pkt));
      return 'multicast';
    }
    const key = ip6Text(nh);
    let n = this.nd.get(key);
    const now = k.now();
    if (n && n.state === 'REACHABLE' && n.iface === iface && now - n.updated <= this.arpTimeout) {
      this.lastTx = iface.send(ethFrame(n.mac!, iface.mac, ETH_IPV6, pkt));
      return k.recording ? `neighbour cache hit: ${key} is-at ${etherToString(n.mac!, 0)}` : '';
    }
    if (n && n.state === 'INCOMPLETE' && n.iface === iface) {
      n.queue.push({ pkt, forwardedFrom });
      return 'waiting for the neighbour advertisement (queued)';
    }
    n = {
      ip: key,
      ip6: nh.slice(),
      iface,
      state: 'INCOMPLETE',
      updated: now,
      queue: [{ pkt, forwardedFrom }],
      tries: 0,
    };
    this.nd.set(key, n);
    // RFC 4861 §7.2.2: the packet's source if it is ours on this interface, else our address
    // there (a router resolving for a forwarded packet must not borrow the sender's).
    const psrc = pkt.subarray(8, 24);
    const own =
      iface.v6.find((a) => equal6(a.addr, psrc))?.addr ??
      iface.v6.find((a) => inPrefix6(nh, a.addr, a.prefix))?.addr ??
      iface.v6[0]?.addr;
    this.ndSolicit(n, (own ?? psrc).slice());
    return k.recording ? `neighbour cache miss → neighbor solicitation for ${key}` : '';
  }

  /** RFC 4861 §7.2.2: NS to the solicited-node address with our link-layer address. */
  private ndSolicit(n: Neighbour, src: Uint8Array): void {
    const iface = n.iface;
    const send = (): void => {
      if (n.state !== 'INCOMPLETE' || this.nd.get(n.ip) !== n) return;
      if (n.tries >= this.arpRetries) {
        this.nd.delete(n.ip);
        if (this.kernel.recording)
          this.note(
            'nd',
            iface.name,
            `${this.name}: no neighbor advertisement from ${n.ip} after ${n.tries} solicitations`,
            'ICMPv6',
          );
        const q = n.queue;
        n.queue = [];
        for (const p of q) this.neighbourFailed(p);
        return;
      }
      n.tries++;
      const target = n.ip6!;
      const dst = solicitedNode(target);
      const body = new Uint8Array(4 + 16 + 8);
      body.set(target, 4);
      body[20] = 1; // source link-layer address option
      body[21] = 1;
      body.set(iface.mac, 22);
      const icmp = encodeIcmpv6({ type: 135, code: 0, body }, { src: ip6Text(src), dst: ip6Text(dst) });
      const pkt = encodeIpv6({ src: ip6Text(src), dst: ip6Text(dst), nextHeader: 58, hopLimit: 255 }, icmp);
      const num = iface.send(ethFrame(multicastMac6(dst), iface.mac, ETH_IPV6, pkt));
      if (this.kernel.recording)
        this.note(
          'nd',
          iface.name,
          `${this.name}: neighbor solicitation ${n.tries}/${this.arpRetries} for ${n.ip}`,
          'ICMPv6',
          num,
        );
      n.timer = this.kernel.schedule(this.arpInterval, send);
    };
    send();
  }

  ipv6Input(iface: HostIface, pkt: Uint8Array, packet: number, fromLoopback: boolean): void {
    const k = this.kernel;
    const dst = pkt.subarray(24, 40);
    const local = this.isLocal6(dst) || (dst[0] === 0xff && (dst[1]! & 0x0f) <= 2);
    if (!local) {
      if (!this.forwarding || fromLoopback) {
        if (k.recording)
          this.note('drop', iface.name, `${this.name}: ${ip6Text(dst)} is not ours: dropped`, 'IPv6', packet);
        return;
      }
      this.forward6(iface, pkt, packet);
      return;
    }
    const next = pkt[6]!;
    const payload = pkt.subarray(40);
    const src = pkt.subarray(8, 24);
    if (this.replaySink !== undefined && !(next === 58 && payload[0]! >= 133 && payload[0]! <= 137)) {
      this.replaySink(pkt, iface, packet);
      return;
    }
    if (next === 58) {
      if (
        payload.length < 4 ||
        internetChecksum(payload, 0, payload.length, pseudoHeaderSum(6, src, dst, 58, payload.length)) !== 0
      )
        return;
      this.icmp6Input(iface, pkt, payload, packet);
      return;
    }
    const h = this.handlers.get(next);
    const info: IpDatagramInfo = {
      src: ip6Text(src),
      dst: ip6Text(dst),
      protocol: next,
      ttl: pkt[7]!,
      iface: iface.name,
      datagram: pkt,
    };
    if (h) {
      h(payload, info);
      return;
    }
    this.unreachable(info, 2);
  }

  private forward6(inIface: HostIface, pkt: Uint8Array, packet: number): void {
    const k = this.kernel;
    const dst = pkt.subarray(24, 40);
    const hl = pkt[7]!;
    if (hl <= 1) {
      if (k.recording)
        this.note(
          'icmp',
          inIface.name,
          `${this.name}: hop limit ${hl} would expire → ICMPv6 time exceeded`,
          'IPv6',
          packet,
        );
      this.icmp6Error(pkt, 3, 0, 0);
      return;
    }
    const r = this.routes.lookup6(dst);
    if (!r) {
      this.icmp6Error(pkt, 1, 0, 0);
      return;
    }
    const out = pkt.slice();
    out[7] = hl - 1;
    const oi = this.ifaces.get(r.iface)!;
    if (out.length > oi.mtu) {
      this.icmp6Error(pkt, 2, 0, oi.mtu);
      return;
    }
    const note = this.output6(out, oi, r.via ?? dst, pkt);
    if (k.recording)
      this.note(
        'forward',
        oi.name,
        `${this.name}: ${ip6Text(dst)} matches ${ip6Text(r.dst)}/${r.prefix} dev ${r.iface}; hop limit ${hl}→${hl - 1}; ${note ?? 'not sent'}`,
        'IPv6',
        packet,
      );
  }

  private icmp6Input(iface: HostIface, pkt: Uint8Array, icmp: Uint8Array, packet: number): void {
    const k = this.kernel;
    const type = icmp[0]!;
    const src = pkt.subarray(8, 24);
    const dst = pkt.subarray(24, 40);
    if (type === 135 && icmp.length >= 24) {
      const target = icmp.subarray(8, 24);
      if (!iface.v6.some((a) => equal6(a.addr, target))) return;
      let mac: Uint8Array | undefined;
      for (let o = 24; o + 8 <= icmp.length && icmp[o + 1]! > 0; o += icmp[o + 1]! * 8)
        if (icmp[o] === 1) mac = icmp.slice(o + 2, o + 8);
      const from = src.slice();
      if (mac && !from.every((b) => b === 0)) {
        const key = ip6Text(from);
        const n = this.nd.get(key);
        if (n) this.neighbourLearned(n, mac, `${key} is-at ${etherToString(mac, 0)}`, packet);
        else
          this.nd.set(key, {
            ip: key,
            ip6: from,
            iface,
            mac,
            state: 'REACHABLE',
            updated: k.now(),
            queue: [],
            tries: 0,
          });
      }
      // RFC 4861 §7.2.4: solicited NA with our link-layer address.
      const body = new Uint8Array(4 + 16 + 8);
      body[0] = (this.forwarding ? 0x80 : 0) | 0x40 | 0x20;
      body.set(target, 4);
      body[20] = 2;
      body[21] = 1;
      body.set(iface.mac, 22);
      const to = mac ? from : new Uint8Array([0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
      const na = encodeIcmpv6({ type: 136, code: 0, body }, { src: ip6Text(target), dst: ip6Text(to) });
      const out = encodeIpv6({ src: ip6Text(target), dst: ip6Text(to), nextHeader: 58, hopLimit: 255 }, na);
      const num = iface.send(ethFrame(mac ?? multicastMac6(to), iface.mac, ETH_IPV6, out));
      if (k.recording)
        this.note(
          'nd',
          iface.name,
          `${this.name}: neighbor advertisement ${ip6Text(target)} is-at ${etherToString(iface.mac, 0)}`,
          'ICMPv6',
          num,
        );
      return;
    }
    if (type === 136 && icmp.length >= 24) {
      const target = icmp.subarray(8, 24);
      let mac: Uint8Array | undefined;
      for (let o = 24; o + 8 <= icmp.length && icmp[o + 1]! > 0; o += icmp[o + 1]! * 8)
        if (icmp[o] === 2) mac = icmp.slice(o + 2, o + 8);
      const key = ip6Text(target);
      const n = this.nd.get(key);
      if (n && mac) this.neighbourLearned(n, mac, `${key} is-at ${etherToString(mac, 0)}`, packet);
      return;
    }
    if (type === 128) {
      if (dst[0] === 0xff) return;
      if (k.recording)
        this.note(
          'icmp',
          iface.name,
          `${this.name}: ICMPv6 echo request from ${ip6Text(src)} → echo reply`,
          'ICMPv6',
          packet,
        );
      const from = dst.slice();
      const to = src.slice();
      const body = icmp.slice(4);
      this.send6Bytes(
        to,
        58,
        (s) => encodeIcmpv6({ type: 129, code: 0, body }, { src: ip6Text(s), dst: ip6Text(to) }),
        { src: from },
      );
      return;
    }
    const m: IcmpMessage = {
      family: 6,
      type,
      code: icmp[1]!,
      from: ip6Text(src),
      ttl: pkt[7]!,
      id: read16(icmp, 4),
      seq: read16(icmp, 6),
      body: icmp.subarray(8),
      length: pkt.length,
    };
    if (type < 128) m.quoted = this.quote(6, icmp.subarray(8));
    for (const l of [...this.icmpListeners]) l(m);
  }

  /** ICMPv6 error (RFC 4443 §2.4): quote as much as fits in the minimum MTU 1280. */
  icmp6Error(pkt: Uint8Array, type: number, code: number, param: number): void {
    const src = pkt.slice(8, 24);
    if (src.every((b) => b === 0) || src[0] === 0xff || pkt[24] === 0xff) return;
    if (pkt[6] === 58 && pkt.length > 40 && pkt[40]! < 128) return;
    const quoted = pkt.subarray(0, Math.min(pkt.length, 1280 - 48));
    const body = new Uint8Array(4 + quoted.length);
    write32(body, 0, param);
    body.set(quoted, 4);
    if (this.isLocal6(src)) {
      this.deliverIcmpLocally(6, ip6Text(src), type, code, pkt);
      return;
    }
    this.send6Bytes(src, 58, (s) =>
      encodeIcmpv6({ type, code, body }, { src: ip6Text(s), dst: ip6Text(src) }),
    );
  }

  // ---- inspection (the tools' formats) ----

  /** `arp -a` (net-tools): `? (192.168.1.1) at 02:42:… [ether] on eth0`. */
  arpTable(): string[] {
    const now = this.kernel.now();
    const lines: string[] = [];
    for (const n of [...this.arp.values()].sort((a, b) => a.ip4! - b.ip4!)) {
      if (n.state === 'REACHABLE' && now - n.updated > this.arpTimeout) continue;
      lines.push(
        n.state === 'REACHABLE'
          ? `? (${n.ip}) at ${etherToString(n.mac!, 0)} [ether] on ${n.iface.name}`
          : `? (${n.ip}) at <incomplete> on ${n.iface.name}`,
      );
    }
    return lines;
  }

  /** `ip neigh`. */
  neighTable(): string[] {
    const now = this.kernel.now();
    const lines: string[] = [];
    for (const n of [...this.arp.values(), ...this.nd.values()]) {
      const stale = n.state === 'REACHABLE' && now - n.updated > this.arpTimeout;
      lines.push(
        n.mac
          ? `${n.ip} dev ${n.iface.name} lladdr ${etherToString(n.mac, 0)} ${stale ? 'STALE' : 'REACHABLE'}`
          : `${n.ip} dev ${n.iface.name}  INCOMPLETE`,
      );
    }
    return lines;
  }

  /** `ip addr` (iproute2). */
  ipAddr(): string[] {
    const lines: string[] = [];
    for (const i of this.ifaces.values()) {
      const state = i.loopback ? 'UNKNOWN' : i.up && i.link?.up !== false ? 'UP' : 'DOWN';
      const flags = i.loopback
        ? `LOOPBACK${i.up ? ',UP,LOWER_UP' : ''}`
        : `BROADCAST,MULTICAST${i.up ? ',UP' : ''}${i.up && i.link ? ',LOWER_UP' : i.up ? ',NO-CARRIER' : ''}`;
      lines.push(
        `${i.index}: ${i.name}: <${flags}> mtu ${i.mtu} qdisc ${i.loopback ? 'noqueue' : 'pfifo_fast'} state ${state} group default qlen 1000`,
      );
      lines.push(
        i.loopback
          ? '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00'
          : `    link/ether ${etherToString(i.mac, 0)} brd ff:ff:ff:ff:ff:ff`,
      );
      for (const a of i.v4) {
        const brd = a.brd && a.prefix < 31 ? ` brd ${ip4Text((a.addr | ~maskOf(a.prefix)) >>> 0)}` : '';
        const scope = a.addr >>> 24 === 127 ? 'host' : 'global';
        lines.push(`    inet ${ip4Text(a.addr)}/${a.prefix}${brd} scope ${scope} ${a.label ?? i.name}`);
        lines.push('       valid_lft forever preferred_lft forever');
      }
      for (const a of i.v6) {
        const scope = equal6(a.addr, ip6('::1')!)
          ? 'host'
          : a.addr[0] === 0xfe && (a.addr[1]! & 0xc0) === 0x80
            ? 'link'
            : 'global';
        lines.push(`    inet6 ${ip6Text(a.addr)}/${a.prefix} scope ${scope}`);
        lines.push('       valid_lft forever preferred_lft forever');
      }
    }
    return lines;
  }

  // ---- configuration by text (for applications such as a DHCP client or server) ----

  /** `ip addr add CIDR dev IFACE`; returns an error message or undefined. */
  configureAddress(iface: string, cidr: string): string | undefined {
    const m = /^(.+)\/(\d+)$/.exec(cidr);
    const a = m ? ip4(m[1]!) : undefined;
    if (!m || a === undefined || Number(m[2]) > 32) return `bad address "${cidr}"`;
    if (!this.ifaces.has(iface)) return `no interface "${iface}"`;
    this.addAddress4(iface, a, Number(m[2]), { brd: true });
    return undefined;
  }

  /** Removes every IPv4 address of an interface (a lease expired or was released). */
  flushAddresses(iface: string): void {
    const i = this.ifaces.get(iface);
    if (!i) return;
    for (const a of [...i.v4]) this.removeAddress4(iface, a.addr, a.prefix);
  }

  /** `ip route replace default via GW`; returns an error message or undefined. */
  setDefaultRoute(via: string, iface?: string): string | undefined {
    const gw = ip4(via);
    if (gw === undefined) return `bad gateway "${via}"`;
    this.routes.remove4((r) => r.prefix === 0);
    const dev = iface ?? this.routes.lookup4(gw)?.iface;
    if (!dev) return 'Network is unreachable';
    this.routes.add4({ dst: 0, prefix: 0, via: gw, iface: dev, metric: 0, proto: 'static' });
    return undefined;
  }

  /** A permanent neighbour entry (`arp -s`): lets a DHCP server unicast to a client that has no
   * address yet, as servers do with the client's hardware address. */
  addNeighbour(ip: string, mac: string, iface: string): void {
    const a = ip4(ip);
    const m = parseEther(mac);
    const i = this.ifaces.get(iface);
    if (a === undefined || !m || !i) return;
    this.arp.set(a, {
      ip,
      ip4: a,
      iface: i,
      mac: m,
      state: 'REACHABLE',
      updated: Infinity,
      queue: [],
      tries: 0,
    });
  }

  setNameservers(servers: string[]): void {
    this.resolvers = [...servers];
  }

  /** `ifconfig` (net-tools 2.10), as the seeds show it. */
  ifconfig(only?: string): string[] {
    const lines: string[] = [];
    const size = (n: number): string => {
      const units = ['B', 'KB', 'MB', 'GB', 'TB'];
      let v = n;
      let u = 0;
      while (v >= 1000 && u < units.length - 1) {
        v /= 1000;
        u++;
      }
      return `${v.toFixed(1)} ${units[u]}`;
    };
    for (const i of this.ifaces.values()) {
      if (only && i.name !== only) continue;
      const running = i.up && (i.loopback || i.link !== undefined);
      const flagBits = (i.up ? 1 : 0) | (i.loopback ? 8 : 2) | (running ? 64 : 0) | (i.loopback ? 0 : 4096);
      const names = [
        i.up && 'UP',
        !i.loopback && 'BROADCAST',
        i.loopback && 'LOOPBACK',
        running && 'RUNNING',
        !i.loopback && 'MULTICAST',
      ].filter(Boolean);
      lines.push(`${i.name}: flags=${flagBits}<${names.join(',')}>  mtu ${i.mtu}`);
      const [first, ...more] = i.v4.filter((a) => !a.label);
      if (first) {
        const mask = ip4Text(maskOf(first.prefix));
        const brd =
          !i.loopback && first.prefix < 31
            ? `  broadcast ${ip4Text((first.addr | ~maskOf(first.prefix)) >>> 0)}`
            : '';
        lines.push(`        inet ${ip4Text(first.addr)}  netmask ${mask}${brd}`);
      }
      void more;
      for (const a of i.v6) {
        const scope = i.loopback
          ? 'host'
          : a.addr[0] === 0xfe && (a.addr[1]! & 0xc0) === 0x80
            ? 'link'
            : 'global';
        lines.push(
          `        inet6 ${ip6Text(a.addr)}  prefixlen ${a.prefix}  scopeid 0x${scope === 'host' ? '10' : scope === 'link' ? '20' : '0'}<${scope}>`,
        );
      }
      lines.push(
        i.loopback
          ? '        loop  txqueuelen 1000  (Local Loopback)'
          : `        ether ${etherToString(i.mac, 0)}  txqueuelen 1000  (Ethernet)`,
      );
      lines.push(`        RX packets ${i.rxPackets}  bytes ${i.rxBytes} (${size(i.rxBytes)})`);
      lines.push('        RX errors 0  dropped 0  overruns 0  frame 0');
      lines.push(`        TX packets ${i.txPackets}  bytes ${i.txBytes} (${size(i.txBytes)})`);
      lines.push(`        TX errors 0  dropped ${i.drops} overruns 0  carrier 0  collisions 0`);
      lines.push('');
      // Aliases (eth0:1, lo:3) are listed as interfaces of their own, as net-tools does.
      for (const a of i.v4.filter((x) => x.label)) {
        lines.push(`${a.label}: flags=${flagBits}<${names.join(',')}>  mtu ${i.mtu}`);
        const brd =
          !i.loopback && a.prefix < 31 ? `  broadcast ${ip4Text((a.addr | ~maskOf(a.prefix)) >>> 0)}` : '';
        lines.push(`        inet ${ip4Text(a.addr)}  netmask ${ip4Text(maskOf(a.prefix))}${brd}`);
        lines.push(
          i.loopback
            ? '        loop  txqueuelen 1000  (Local Loopback)'
            : `        ether ${etherToString(i.mac, 0)}  txqueuelen 1000  (Ethernet)`,
        );
        lines.push('');
      }
    }
    return lines;
  }

  /** `ip route get DST`: `203.0.113.20 via 198.51.100.1 dev eth0 src 198.51.100.10`. */
  routeGet(dst: string): string | undefined {
    if (dst.includes(':')) {
      const d = ip6(dst);
      if (!d) return undefined;
      if (this.isLocal6(d)) return `local ${ip6Text(d)} dev lo src ${ip6Text(d)}`;
      const r = this.routes.lookup6(d);
      if (!r) return undefined;
      const src = this.sourceFor(dst);
      return `${ip6Text(d)}${r.via ? ` via ${ip6Text(r.via)}` : ''} dev ${r.iface}${src ? ` src ${src}` : ''}`;
    }
    const d = ip4(dst);
    if (d === undefined) return undefined;
    if (this.isLocal4(d)) return `local ${ip4Text(d)} dev lo src ${ip4Text(d)}`;
    const r = this.routes.lookup4(d);
    if (!r) return undefined;
    const src = this.routeSource(r, d);
    const red = this.redirects.get(d);
    if (red && red.iface === r.iface) {
      return `${ip4Text(d)} via ${ip4Text(red.gateway)} dev ${r.iface}${src !== undefined ? ` src ${ip4Text(src)}` : ''}\n    cache <redirected>`;
    }
    return `${ip4Text(d)}${r.via !== undefined ? ` via ${ip4Text(r.via)}` : ''} dev ${r.iface}${src !== undefined ? ` src ${ip4Text(src)}` : ''}`;
  }

  /** Deletes an ARP entry (`arp -d`); true when there was one. */
  arpDelete(addr: number): boolean {
    const n = this.arp.get(addr);
    if (!n) return false;
    this.kernel.cancel(n.timer);
    this.arp.delete(addr);
    return true;
  }

  describeRoute(r: Route4): string {
    return routeText4(r);
  }
}

/**
 * An IPv4 datagram with a 20-byte header: the bytes encodeIpv4 builds for the same fields
 * (test/unit/sim/host.test.ts checks it), written from numbers because this runs per packet.
 */
export function ipv4Datagram(
  src: number,
  dst: number,
  protocol: number,
  payload: Uint8Array,
  ttl: number,
  id: number,
  df: boolean,
  tos: number,
): Uint8Array {
  const pkt = allocDatagram(20 + payload.length);
  pkt[0] = 0x45;
  pkt[1] = tos;
  write16(pkt, 2, pkt.length);
  write16(pkt, 4, id);
  pkt[6] = df ? 0x40 : 0;
  pkt[8] = ttl;
  pkt[9] = protocol;
  write32(pkt, 12, src);
  write32(pkt, 16, dst);
  // Header checksum (RFC 791 §3.1), over the ten 16-bit words.
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (pkt[i]! << 8) | pkt[i + 1]!;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  write16(pkt, 10, ~sum & 0xffff);
  pkt.set(payload, 20);
  return pkt;
}

/** Splits a datagram into fragments that fit `mtu` (RFC 791 §3.2: offsets in 8-byte units;
 * every fragment copies the header; MF on all but the last). */
export function fragment4(pkt: Uint8Array, mtu: number): Uint8Array[] {
  const ihl = (pkt[0]! & 15) * 4;
  const data = pkt.subarray(ihl);
  const per = Math.floor((mtu - ihl) / 8) * 8;
  const baseFlags = read16(pkt, 6);
  const baseOff = (baseFlags & 0x1fff) * 8;
  const baseMore = (baseFlags & 0x2000) !== 0;
  const out: Uint8Array[] = [];
  for (let o = 0; o < data.length; o += per) {
    const chunk = data.subarray(o, Math.min(data.length, o + per));
    const f = new Uint8Array(ihl + chunk.length);
    f.set(pkt.subarray(0, ihl), 0);
    f.set(chunk, ihl);
    write16(f, 2, f.length);
    const more = o + per < data.length || baseMore;
    write16(f, 6, (more ? 0x2000 : 0) | ((baseOff + o) / 8));
    ipv4HeaderChecksum(f);
    out.push(f);
  }
  return out;
}
