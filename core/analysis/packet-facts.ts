// What the statistics need from one decoded packet, read from the fast path's collected field
// values (no tree): the link, network and transport addresses of every layer Wireshark's taps
// would report. One reused object; the address views point into the packet's bytes and are
// valid until the next packet is decoded.
//
// Wireshark queues a tap record per layer (a tunnel's inner IPv4 header counts again), but not
// for the packet an ICMP/ICMPv6 error quotes (`pinfo->flags.in_error_pkt`): those layers come
// after the `icmp`/`icmpv6` layer in `frame.protocols` and are skipped here.
import type { Dissection } from '../dissect/dissection';
import { fieldsByAbbrev, type Field } from '../dissect/fields';

export interface AddressPair {
  /** 4: IPv4 (`src`/`dst` are numbers), 6: IPv6, 0: Ethernet (`srcBytes`/`dstBytes`). */
  family: 0 | 4 | 6;
  src: number;
  dst: number;
  srcBytes: Uint8Array;
  dstBytes: Uint8Array;
}

export interface TransportTuple {
  kind: 'tcp' | 'udp';
  net: AddressPair;
  srcPort: number;
  dstPort: number;
  stream: number;
}

const EMPTY = new Uint8Array(0);

/** The field names the facts are built from (the fast path collects only these). */
export const FACT_FIELDS = [
  'eth.src',
  'eth.dst',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.stream',
  'udp.srcport',
  'udp.dstport',
  'udp.stream',
] as const;

function field(name: string): Field | undefined {
  return fieldsByAbbrev.get(name);
}

export class PacketFacts {
  eth: AddressPair[] = [];
  ip: AddressPair[] = [];
  ipv6: AddressPair[] = [];
  transports: TransportTuple[] = [];
  private readonly f = {
    ethSrc: field('eth.src'),
    ethDst: field('eth.dst'),
    ipSrc: field('ip.src'),
    ipDst: field('ip.dst'),
    ip6Src: field('ipv6.src'),
    ip6Dst: field('ipv6.dst'),
    tcpSrc: field('tcp.srcport'),
    tcpDst: field('tcp.dstport'),
    tcpStream: field('tcp.stream'),
    udpSrc: field('udp.srcport'),
    udpDst: field('udp.dstport'),
    udpStream: field('udp.stream'),
  };

  /** Marks the fields the facts need in a fast-path `wanted` array. */
  static markWanted(wanted: Uint8Array): void {
    for (const name of FACT_FIELDS) {
      const f = field(name);
      if (f) wanted[f.id] = 1;
    }
  }

  /** Reads the facts of the packet `p` just decoded. */
  read(p: Dissection): this {
    this.eth.length = this.ip.length = this.ipv6.length = this.transports.length = 0;
    const f = this.f;
    // How many layers of each protocol come before the quoted packet of an ICMP error.
    const quoteAt = firstIndexOf(p.protocols, 'icmp', 'icmpv6');
    const ipLayers = countBefore(p.protocols, 'ip', quoteAt);
    const ip6Layers = countBefore(p.protocols, 'ipv6', quoteAt);
    const tcpLayers = countBefore(p.protocols, 'tcp', quoteAt);
    const udpLayers = countBefore(p.protocols, 'udp', quoteAt);
    let eth: AddressPair | undefined;
    let net: AddressPair | undefined;
    let t: TransportTuple | undefined;
    for (let i = 0; i < p.valueFields.length; i++) {
      const vf = p.valueFields[i]!;
      const v = p.values[i]!;
      const layer = p.valueLayers[i]!;
      if (vf === f.ethSrc || vf === f.ethDst) {
        // Ethernet gives the destination first; pair the two in either order.
        eth ??= { family: 0, src: 0, dst: 0, srcBytes: EMPTY, dstBytes: EMPTY };
        if (vf === f.ethSrc) eth.srcBytes = v as Uint8Array;
        else eth.dstBytes = v as Uint8Array;
        if (eth.srcBytes.length && eth.dstBytes.length) {
          this.eth.push(eth);
          eth = undefined;
        }
      } else if (vf === f.ipSrc) {
        net =
          layer <= ipLayers
            ? { family: 4, src: v as number, dst: 0, srcBytes: EMPTY, dstBytes: EMPTY }
            : undefined;
      } else if (vf === f.ipDst && net && net.family === 4) {
        net.dst = v as number;
        this.ip.push(net);
      } else if (vf === f.ip6Src) {
        net =
          layer <= ip6Layers
            ? { family: 6, src: 0, dst: 0, srcBytes: v as Uint8Array, dstBytes: EMPTY }
            : undefined;
      } else if (vf === f.ip6Dst && net && net.family === 6) {
        net.dstBytes = v as Uint8Array;
        this.ipv6.push(net);
      } else if ((vf === f.tcpSrc && layer <= tcpLayers) || (vf === f.udpSrc && layer <= udpLayers)) {
        t = net
          ? { kind: vf === f.tcpSrc ? 'tcp' : 'udp', net, srcPort: v as number, dstPort: 0, stream: -1 }
          : undefined;
      } else if ((vf === f.tcpDst || vf === f.udpDst) && t) {
        t.dstPort = v as number;
      } else if ((vf === f.tcpStream || vf === f.udpStream) && t) {
        t.stream = v as number;
        this.transports.push(t);
        t = undefined;
      }
    }
    return this;
  }
}

function firstIndexOf(list: readonly string[], a: string, b: string): number {
  for (let i = 0; i < list.length; i++) if (list[i] === a || list[i] === b) return i;
  return list.length;
}

function countBefore(list: readonly string[], name: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (list[i] === name) n++;
  return n;
}
