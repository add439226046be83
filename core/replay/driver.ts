// Drives a capture's datagrams through a simulated network: datagram i leaves its source node
// at (tsᵢ − ts₀)/speed of simulated time, routed by that node like its own traffic (longest
// prefix match, ARP/ND, then switches, routers, NAT as they always behave), with its captured
// header and payload; at the destination it reaches the node's replay sink (Host.replaySink),
// never its transports. Afterwards every datagram is accounted for: delivered (where, with
// what TTL), or dropped and why (from the ICMP error the network sent back, a failure at the
// source, or the drops the links recorded).
import { internetChecksum } from '../protocols/checksum';
import { ZERO_MAC, ip4, ip4Text, ip6, ip6Text, read16, read32 } from '../sim/addr';
import { frameProtocol } from '../sim/device';
import { Host, ethFrame, type HostIface, type IcmpMessage } from '../sim/host';
import type { Network } from '../sim/network';
import { SECOND, type SimTime } from '../sim/stack';
import type { CapturedDatagram, ReplayInput } from './capture';
import type { ConversationRow, CountRow, DeliveryRow, ReplaySummary } from './types';

export type { ConversationRow, CountRow, DeliveryRow, ReplaySummary } from './types';

export interface ReplayDriverOptions {
  /** Capture time is divided by this (2 = twice as fast). Default 1. */
  speed?: number;
}

type Fate =
  | { state: 'waiting' }
  | { state: 'unmapped' }
  | { state: 'same-node' }
  | { state: 'in-flight'; received: number }
  | { state: 'delivered'; node: string; ttl: number; time: SimTime }
  | { state: 'dropped'; reason: string };

interface Tracked {
  d: CapturedDatagram;
  fate: Fate;
  /** The simulated time it is injected at. */
  at: SimTime;
  srcNode?: string;
  dstNode?: string;
  conversation: string;
}

const PROTO_NAMES: Record<number, string> = {
  0: 'IPv6 hop-by-hop',
  1: 'ICMP',
  6: 'TCP',
  17: 'UDP',
  58: 'ICMPv6',
  47: 'GRE',
  50: 'ESP',
  132: 'SCTP',
};
const protoName = (p: number): string => PROTO_NAMES[p] ?? `IP protocol ${p}`;

function bump(m: Map<string, number>, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function rows(m: Map<string, number>): CountRow[] {
  return [...m].map(([what, count]) => ({ what, count }));
}

/** The key a datagram is matched by on arrival: routers change TTL and may fragment, NAT
 * may rewrite addresses and ports; IPv4's identification survives all of that. */
function key4(src: string, dst: string, protocol: number, id: number): string {
  return `${src}|${dst}|${protocol}|${id}`;
}
function keyNat4(protocol: number, id: number): string {
  return `${protocol}|${id}`;
}
function key6(src: string, dst: string, protocol: number, plen: number): string {
  return `6|${src}|${dst}|${protocol}|${plen}`;
}

function conversationOf(d: CapturedDatagram): string {
  const a = d.srcPort || d.dstPort ? `${d.src}:${d.srcPort}` : d.src;
  const b = d.srcPort || d.dstPort ? `${d.dst}:${d.dstPort}` : d.dst;
  const [x, y] = a < b ? [a, b] : [b, a];
  return `${protoName(d.protocol)} ${x} ↔ ${y}`;
}

function icmpErrorText(family: 4 | 6, type: number, code: number): string | undefined {
  if (family === 4) {
    if (type === 11) return code === 1 ? 'fragment reassembly time exceeded' : 'TTL expired in transit';
    if (type === 3)
      return (
        [
          'network unreachable',
          'host unreachable (no ARP reply for the next hop)',
          'protocol unreachable',
          'port unreachable',
          'fragmentation needed and DF set',
        ][code] ?? `destination unreachable (code ${code})`
      );
    if (type === 12) return 'parameter problem';
    return undefined;
  }
  if (type === 1)
    return code === 3
      ? 'address unreachable (no neighbour advertisement)'
      : code === 0
        ? 'no route'
        : `destination unreachable (code ${code})`;
  if (type === 2) return 'packet too big';
  if (type === 3) return 'hop limit expired in transit';
  if (type === 4) return 'parameter problem';
  return undefined;
}

export class ReplayDriver {
  private tracked: Tracked[] = [];
  private byKey = new Map<string, Tracked[]>();
  private byNatKey = new Map<string, Tracked[]>();
  /** First fragment's conversation, for the later fragments of the same datagram. */
  private fragConversation = new Map<string, string>();
  private schedule: Tracked[] = [];
  private next = 0;
  private checksumsFixed = 0;
  private icmp = new Map<string, number>();
  private unmatched = 0;
  private unmappedSrc = new Map<string, number>();
  private unmappedDst = new Map<string, number>();
  readonly speed: number;
  /** Nodes that send or receive replayed datagrams (their interfaces are the default taps). */
  readonly nodes = new Set<string>();

  constructor(
    readonly net: Network,
    readonly input: ReplayInput,
    /** Address → node (ownedAddresses + --map). */
    readonly owners: Map<string, string>,
    opts: ReplayDriverOptions = {},
  ) {
    this.speed = opts.speed ?? 1;
    let last = 0;
    for (const d of input.datagrams) {
      let conversation = conversationOf(d);
      if (d.family === 4 && (d.fragOffset > 0 || d.more)) {
        const fk = key4(d.src, d.dst, d.protocol, d.id);
        if (d.fragOffset === 0) this.fragConversation.set(fk, conversation);
        else conversation = this.fragConversation.get(fk) ?? conversation;
      }
      // Timestamps that go backwards (merged captures) keep the capture's order.
      const at = Math.max(last, Math.round(d.offsetNs / this.speed));
      last = at;
      const t: Tracked = { d, fate: { state: 'waiting' }, at, conversation };
      this.tracked.push(t);
      t.srcNode = owners.get(d.src);
      t.dstNode = owners.get(d.dst);
      if (t.srcNode === undefined) {
        t.fate = { state: 'unmapped' };
        bump(this.unmappedSrc, d.src);
        continue;
      }
      if (t.dstNode === undefined) bump(this.unmappedDst, d.dst);
      if (t.dstNode === t.srcNode) {
        t.fate = { state: 'same-node' };
        continue;
      }
      this.nodes.add(t.srcNode);
      if (t.dstNode !== undefined) this.nodes.add(t.dstNode);
      this.schedule.push(t);
      const k =
        d.family === 4
          ? key4(d.src, d.dst, d.protocol, d.id)
          : key6(d.src, d.dst, d.protocol, d.payloadLength);
      let list = this.byKey.get(k);
      if (!list) this.byKey.set(k, (list = []));
      list.push(t);
      if (d.family === 4) {
        const nk = keyNat4(d.protocol, d.id);
        let nl = this.byNatKey.get(nk);
        if (!nl) this.byNatKey.set(nk, (nl = []));
        nl.push(t);
      }
    }
  }

  /** Puts the replay nodes in replay mode and schedules the first injection. Call once,
   * before running the kernel. */
  start(): void {
    for (const name of this.nodes) {
      const h = this.net.host(name)!;
      h.replaySink = (pkt, iface, packet) => this.arrived(h, pkt, iface, packet);
      h.icmpListeners.add((m) => this.localError(h, m));
    }
    this.scheduleNext();
  }

  private scheduleNext(): void {
    const t = this.schedule[this.next];
    if (!t) return;
    this.net.kernel.at(t.at, () => {
      // Every datagram due at this instant, in capture order.
      const now = this.net.kernel.now();
      while (this.next < this.schedule.length && this.schedule[this.next]!.at <= now)
        this.inject(this.schedule[this.next++]!);
      this.scheduleNext();
    });
  }

  private inject(t: Tracked): void {
    const h = this.net.host(t.srcNode!)!;
    const k = this.net.kernel;
    const d = t.d;
    const pkt = d.bytes.slice();
    t.fate = { state: 'in-flight', received: 0 };
    let iface: HostIface | undefined;
    let routeText = '';
    let note: string | undefined;
    const before = (i: HostIface | undefined): number => i?.tap?.records.length ?? 0;
    let count0 = 0;
    if (d.family === 4) {
      const ihl = (pkt[0]! & 15) * 4;
      if (internetChecksum(pkt, 0, ihl) !== 0) {
        pkt[10] = pkt[11] = 0;
        const ck = internetChecksum(pkt, 0, ihl);
        pkt[10] = ck >> 8;
        pkt[11] = ck & 0xff;
        this.checksumsFixed++;
      }
      const dst = ip4(d.dst)!;
      const route = h.routes.lookup4(dst);
      if (!route) return this.sourceDrop(h, t, `no route to ${d.dst} at the source`);
      iface = h.ifaces.get(route.iface)!;
      if (k.recording) routeText = h.explainRoute4(dst);
      count0 = before(iface);
      note = h.output4(pkt, iface, route.via ?? dst, undefined);
    } else {
      const dst = ip6(d.dst)!;
      const linkScope = dst[0] === 0xff || (dst[0] === 0xfe && (dst[1]! & 0xc0) === 0x80);
      const route = linkScope ? undefined : h.routes.lookup6(dst);
      if (!linkScope && !route) return this.sourceDrop(h, t, `no route to ${d.dst} at the source`);
      iface = route
        ? h.ifaces.get(route.iface)
        : [...h.ifaces.values()].find((i) => !i.loopback && i.up && i.v6.length > 0);
      if (!iface) return this.sourceDrop(h, t, `no IPv6 interface for ${d.dst} at the source`);
      if (k.recording)
        routeText = route
          ? `${d.dst} matches ${ip6Text(route.dst)}/${route.prefix}${route.via ? ` via ${ip6Text(route.via)}` : ''} dev ${route.iface}`
          : `${d.dst} is link-scoped: out ${iface.name}`;
      count0 = before(iface);
      note = h.output6(pkt, iface, route?.via ?? dst, undefined);
    }
    if (note === undefined && t.fate.state === 'in-flight')
      t.fate = {
        state: 'dropped',
        reason: `larger than the MTU ${iface.mtu} at the source (IPv6 is never fragmented on the way; a capture taken before segmentation offload?)`,
      };
    if (!k.recording) return;
    // The frame number on the source's tap when the datagram went out at once (ARP cache hit).
    const recs = iface.tap?.records;
    const last = recs && recs.length > count0 ? recs[recs.length - 1]!.data : undefined;
    const type = d.family === 4 ? 0x0800 : 0x86dd;
    const packet = last && read16(last, 12) === type ? recs!.length : undefined;
    h.note(
      'send',
      iface.name,
      `${h.name}: replaying frame ${d.frame} (${d.src} → ${d.dst} ${protoName(d.protocol)}, ${d.bytes.length} bytes, ${d.family === 4 ? 'TTL' : 'hop limit'} ${d.family === 4 ? d.bytes[8] : d.bytes[7]}): ${routeText}; ${note ?? 'not sent'}`,
      frameProtocol(
        ethFrame(ZERO_MAC, ZERO_MAC, type, pkt.subarray(0, Math.min(pkt.length, d.family === 4 ? 28 : 48))),
      ),
      packet,
    );
  }

  private sourceDrop(h: Host, t: Tracked, reason: string): void {
    t.fate = { state: 'dropped', reason };
    if (this.net.kernel.recording)
      h.note('route', undefined, `${h.name}: replaying frame ${t.d.frame}: ${reason}: dropped`);
  }

  /** Finds the replayed datagram `pkt` carries (a whole one or a fragment of it). */
  private match(pkt: Uint8Array): { t: Tracked; offset: number; length: number } | undefined {
    if (pkt[0]! >> 4 === 4) {
      const ihl = (pkt[0]! & 15) * 4;
      const offset = (read16(pkt, 6) & 0x1fff) * 8;
      const length = read16(pkt, 2) - ihl;
      const proto = pkt[9]!;
      const id = read16(pkt, 4);
      const fits = (t: Tracked): boolean =>
        t.fate.state === 'in-flight' &&
        offset >= t.d.fragOffset &&
        (offset < t.d.fragOffset + t.d.payloadLength ||
          (t.d.payloadLength === 0 && offset === t.d.fragOffset));
      const exact = this.byKey
        .get(key4(ip4Text(read32(pkt, 12)), ip4Text(read32(pkt, 16)), proto, id))
        ?.find(fits);
      // Translated by NAT on the way: the identification and protocol still tell.
      const t = exact ?? this.byNatKey.get(keyNat4(proto, id))?.find(fits);
      return t && { t, offset, length };
    }
    if (pkt.length < 40) return undefined;
    const plen = read16(pkt, 4);
    const t = this.byKey
      .get(key6(ip6Text(pkt.subarray(8, 24)), ip6Text(pkt.subarray(24, 40)), pkt[6]!, plen))
      ?.find((x) => x.fate.state === 'in-flight');
    return t && { t, offset: 0, length: plen };
  }

  /** The replay sink of node `h`. */
  private arrived(h: Host, pkt: Uint8Array, iface: HostIface, packet: number): void {
    const k = this.net.kernel;
    const m = this.match(pkt);
    if (m) {
      const f = m.t.fate as { state: 'in-flight'; received: number };
      f.received += m.length;
      if (f.received < m.t.d.payloadLength) {
        if (k.recording)
          h.note(
            'receive',
            iface.name,
            `${h.name}: fragment of replayed frame ${m.t.d.frame} (offset ${m.offset}, ${m.length} bytes) delivered (replayed)`,
            undefined,
            packet,
          );
        return;
      }
      const d = m.t.d;
      const ttlSent = d.family === 4 ? d.bytes[8]! : d.bytes[7]!;
      const ttl = d.family === 4 ? pkt[8]! : pkt[7]!;
      m.t.fate = { state: 'delivered', node: h.name, ttl, time: k.now() };
      if (k.recording)
        h.note(
          'receive',
          iface.name,
          `${h.name}: delivered (replayed) frame ${d.frame}: ${d.src} → ${d.dst} ${protoName(d.protocol)}, ${d.bytes.length} bytes, ${d.family === 4 ? 'TTL' : 'hop limit'} ${ttlSent}→${ttl} (${ttlSent - ttl} router hop${ttlSent - ttl === 1 ? '' : 's'}); not passed to ${h.name}'s own stack`,
          frameProtocol(
            ethFrame(
              ZERO_MAC,
              ZERO_MAC,
              d.family === 4 ? 0x0800 : 0x86dd,
              pkt.subarray(0, Math.min(pkt.length, d.family === 4 ? 28 : 48)),
            ),
          ),
          packet,
        );
      return;
    }
    // An ICMP error about a replayed datagram, from a router (or a redirect).
    const v4 = pkt[0]! >> 4 === 4;
    const ihl = v4 ? (pkt[0]! & 15) * 4 : 40;
    const proto = v4 ? pkt[9]! : pkt[6]!;
    if ((v4 && proto === 1) || (!v4 && proto === 58)) {
      const type = pkt[ihl]!;
      const code = pkt[ihl + 1]!;
      const from = v4 ? ip4Text(read32(pkt, 12)) : ip6Text(pkt.subarray(8, 24));
      if (v4 && type === 5) {
        bump(this.icmp, `redirect from ${from}`);
        if (k.recording)
          h.note(
            'icmp',
            iface.name,
            `${h.name}: ICMP redirect from ${from} (replay keeps the captured path; ignored)`,
            'ICMP',
            packet,
          );
        return;
      }
      const text = icmpErrorText(v4 ? 4 : 6, type, code);
      const quoted = pkt.subarray(ihl + 8);
      const q = text !== undefined && quoted.length >= (v4 ? 20 : 40) ? this.match(quoted) : undefined;
      if (text !== undefined) {
        bump(this.icmp, `${text} from ${from}`);
        if (q) q.t.fate = { state: 'dropped', reason: text };
        if (k.recording)
          h.note(
            'icmp',
            iface.name,
            `${h.name}: ICMP${v4 ? '' : 'v6'} ${text} from ${from}${q ? ` about replayed frame ${q.t.d.frame}` : ''} (kept by the replay sink)`,
            v4 ? 'ICMP' : 'ICMPv6',
            packet,
          );
        return;
      }
    }
    this.unmatched++;
    if (k.recording)
      h.note(
        'receive',
        iface.name,
        `${h.name}: a datagram that is not a replayed one arrived (${protoName(proto)}); kept by the replay sink`,
        undefined,
        packet,
      );
  }

  /** Failures at the source reported as local ICMP (message too long, no ARP reply). */
  private localError(h: Host, m: IcmpMessage): void {
    const q = m.body.length >= 20 ? this.match(m.body) : undefined;
    if (!q) return;
    const reason =
      m.type === -1
        ? `larger than the MTU ${h.mtuFor(ip4Text(read32(m.body, 16)))} with DF set at the source (a capture taken before segmentation offload?)`
        : m.family === 4
          ? `no ARP reply for the next hop at the source (${h.name})`
          : `no neighbour advertisement for the next hop at the source (${h.name})`;
    q.t.fate = { state: 'dropped', reason };
  }

  /** Simulated time of the last injection (0 when nothing is injected). */
  get lastInjection(): SimTime {
    return this.schedule.length ? this.schedule[this.schedule.length - 1]!.at : 0;
  }

  /** Accounts for every datagram (call after the kernel has run). */
  summary(): ReplaySummary {
    const dropReasons = new Map<string, number>();
    const conv = new Map<string, ConversationRow>();
    const deliveries: DeliveryRow[] = [];
    let injected = 0;
    let delivered = 0;
    let dropped = 0;
    let sameNode = 0;
    for (const t of this.tracked) {
      let c = conv.get(t.conversation);
      if (!c)
        conv.set(
          t.conversation,
          (c = { conversation: t.conversation, datagrams: 0, injected: 0, delivered: 0, dropped: 0 }),
        );
      c.datagrams++;
      const f = t.fate;
      if (f.state === 'unmapped' || f.state === 'waiting') continue;
      if (f.state === 'same-node') {
        sameNode++;
        continue;
      }
      injected++;
      c.injected++;
      if (f.state === 'delivered') {
        delivered++;
        c.delivered++;
        deliveries.push({
          frame: t.d.frame,
          node: f.node,
          ttlSent: t.d.family === 4 ? t.d.bytes[8]! : t.d.bytes[7]!,
          ttlDelivered: f.ttl,
          time: f.time / SECOND,
        });
        continue;
      }
      dropped++;
      c.dropped++;
      if (f.state === 'dropped') bump(dropReasons, f.reason);
      else if (t.dstNode === undefined)
        bump(dropReasons, 'not delivered: no node owns the destination (map it with --map)');
      else bump(dropReasons, 'lost in transit (no ICMP error came back; see the drop events)');
    }
    const dropEvents = new Map<string, number>();
    for (const e of this.net.kernel.events) {
      if (e.kind !== 'drop') continue;
      const what = /transmit queue full/.test(e.text)
        ? 'transmit queue full'
        : /lost on the link/.test(e.text)
          ? 'lost on a lossy link'
          : /is down/.test(e.text)
            ? 'interface or link down'
            : /exceeds the link MTU/.test(e.text)
              ? 'frame larger than the link MTU'
              : /forwarding is off/.test(e.text)
                ? 'not ours and forwarding off'
                : /bad IPv4 header/.test(e.text)
                  ? 'bad IPv4 header'
                  : undefined;
      if (what) bump(dropEvents, what);
    }
    const inp = this.input;
    return {
      frames: inp.frames,
      datagrams: inp.datagrams.length,
      skippedFrames: rows(inp.skipped),
      ...(inp.damage ? { damage: inp.damage } : {}),
      countReached: inp.countReached,
      unmappedSources: rows(this.unmappedSrc),
      unmappedDestinations: rows(this.unmappedDst),
      sameNode,
      injected,
      delivered,
      dropped,
      dropReasons: rows(dropReasons),
      checksumsFixed: this.checksumsFixed,
      icmpFromNetwork: rows(this.icmp),
      unmatchedArrivals: this.unmatched,
      dropEvents: rows(dropEvents),
      conversations: [...conv.values()],
      deliveries,
      endTime: this.net.kernel.now() / SECOND,
      speed: this.speed,
    };
  }
}
