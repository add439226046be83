// Wireshark's default colouring rules (the `colorfilters` file shipped with Wireshark 4.0), in
// order: the first rule that matches a packet colours its row. Each rule keeps Wireshark's filter
// text so a later display-filter engine can replace the hand-written predicates one for one; until
// then each predicate reads what the fast path collected (layers present and a few field values).
import type { Dissection } from '../dissect/dissection';
import { fieldsByAbbrev, type Field, type FieldValue } from '../dissect/fields';

export interface ColorRule {
  name: string;
  /** Wireshark's filter text for the rule, verbatim. */
  filter: string;
  /** Colours as CSS hex, converted from the file's 16-bit-per-channel triples. */
  fg: string;
  bg: string;
  matches(p: PacketFacts): boolean;
}

/** What the predicates can ask about a decoded packet. */
export interface PacketFacts {
  has(protocol: string): boolean;
  /** All collected values of a field (only fields listed in `COLORING_FIELDS`). */
  values(abbrev: string): FieldValue[];
  /** First byte of the frame (for `eth[0] & 1`). */
  firstByte: number;
  linkIsEthernet: boolean;
}

/** The fields the rules read; the engine asks the fast path to collect these. */
export const COLORING_FIELDS = [
  'tcp.flags',
  'tcp.flags.reset',
  'tcp.flags.fin',
  'tcp.flags.syn',
  'tcp.port',
  'tcp.analysis.flags',
  'tcp.analysis.window_update',
  'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack',
  'icmp.type',
  'icmpv6.type',
  'ip.ttl',
  'ip.dst',
  'hsrp.state',
  'stp.type',
  'ospf.msg',
  'sctp.chunk_type',
  'eth.fcs.status',
  'ip.checksum.status',
  'tcp.checksum.status',
  'udp.checksum.status',
  'sctp.checksum.status',
] as const;

/** `[r,g,b]` with 16-bit channels (as in `colorfilters`) → `#rrggbb`. */
function rgb16(r: number, g: number, b: number): string {
  const c = (v: number) =>
    Math.round(v / 257)
      .toString(16)
      .padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

const num = (v: FieldValue | undefined): number | undefined =>
  typeof v === 'number'
    ? v
    : typeof v === 'boolean'
      ? v
        ? 1
        : 0
      : typeof v === 'bigint'
        ? Number(v)
        : undefined;

const anyNum = (p: PacketFacts, abbrev: string, test: (n: number) => boolean): boolean =>
  p.values(abbrev).some((v) => {
    const n = num(v);
    return n !== undefined && test(n);
  });

const isBad = (p: PacketFacts, abbrev: string): boolean =>
  // Wireshark's checksum status values: 0 Bad, 1 Good, 2 Unverified, 3 Not present, 4 Illegal.
  p.values(abbrev).some((v) => v === 'Bad' || v === 0);

const DARK = [4718, 10030, 11796] as const;

/** Colours in the file's order: `@name@filter@[background][foreground]`. */
function rule(
  name: string,
  filter: string,
  bg: readonly [number, number, number],
  fg: readonly [number, number, number],
  matches: (p: PacketFacts) => boolean,
): ColorRule {
  return { name, filter, fg: rgb16(...fg), bg: rgb16(...bg), matches };
}

export const DEFAULT_COLOR_RULES: readonly ColorRule[] = [
  rule(
    'Bad TCP',
    'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack',
    DARK,
    [63479, 34695, 34695],
    (p) =>
      p.values('tcp.analysis.flags').length > 0 &&
      p.values('tcp.analysis.window_update').length === 0 &&
      p.values('tcp.analysis.keep_alive').length === 0 &&
      p.values('tcp.analysis.keep_alive_ack').length === 0,
  ),
  rule('HSRP State Change', 'hsrp.state != 8 && hsrp.state != 16', DARK, [65535, 64764, 40092], (p) =>
    anyNum(p, 'hsrp.state', (s) => s !== 8 && s !== 16),
  ),
  rule('Spanning Tree Topology  Change', 'stp.type == 0x80', DARK, [65535, 64764, 40092], (p) =>
    anyNum(p, 'stp.type', (t) => t === 0x80),
  ),
  rule('OSPF State Change', 'ospf.msg != 1', DARK, [65535, 64764, 40092], (p) =>
    anyNum(p, 'ospf.msg', (m) => m !== 1),
  ),
  rule(
    'ICMP errors',
    'icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }',
    DARK,
    [47031, 63479, 29812],
    (p) =>
      anyNum(p, 'icmp.type', (t) => (t >= 3 && t <= 5) || t === 11) ||
      anyNum(p, 'icmpv6.type', (t) => t >= 1 && t <= 4),
  ),
  rule('ARP', 'arp', [64250, 61680, 55255], DARK, (p) => p.has('arp')),
  rule('ICMP', 'icmp || icmpv6', [64764, 57568, 65535], DARK, (p) => p.has('icmp') || p.has('icmpv6')),
  rule(
    'TCP RST',
    'tcp.flags.reset eq 1',
    [42148, 0, 0],
    [65535, 64764, 40092],
    (p) => anyNum(p, 'tcp.flags.reset', (r) => r === 1) || anyNum(p, 'tcp.flags', (f) => (f & 0x04) !== 0),
  ),
  rule('SCTP ABORT', 'sctp.chunk_type eq ABORT', [42148, 0, 0], [65535, 64764, 40092], (p) =>
    anyNum(p, 'sctp.chunk_type', (t) => t === 6),
  ),
  rule(
    'TTL low or unexpected',
    '(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))',
    [42148, 0, 0],
    [60652, 61680, 60395],
    (p) => {
      // Both fields come from the same (outer) IPv4 header: pair the first occurrences.
      const dst = num(p.values('ip.dst')[0]);
      const ttl = num(p.values('ip.ttl')[0]);
      if (dst === undefined || ttl === undefined) return false;
      const multicast = dst >>> 28 === 0xe;
      const localControl = dst >>> 8 === 0xe00000; // 224.0.0.0/24
      if (!multicast && ttl < 5 && !p.has('pim') && !p.has('ospf')) return true;
      return localControl && dst !== 0xe00000fb && ttl !== 1 && !p.has('vrrp') && !p.has('carp');
    },
  ),
  rule(
    'Checksum Errors',
    'eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad" || sctp.checksum.status=="Bad" || mstp.checksum.status=="Bad" || cdp.checksum.status=="Bad" || edp.checksum.status=="Bad" || wlan.fcs.status=="Bad" || stt.checksum.status=="Bad"',
    DARK,
    [63479, 34695, 34695],
    (p) =>
      isBad(p, 'eth.fcs.status') ||
      isBad(p, 'ip.checksum.status') ||
      isBad(p, 'tcp.checksum.status') ||
      isBad(p, 'udp.checksum.status') ||
      isBad(p, 'sctp.checksum.status'),
  ),
  rule('SMB', 'smb || nbss || nbns || netbios', [65278, 65535, 53456], DARK, (p) =>
    ['smb', 'nbss', 'nbns', 'netbios'].some((x) => p.has(x)),
  ),
  rule(
    'HTTP',
    'http || tcp.port == 80 || http2',
    [58596, 65535, 51143],
    DARK,
    (p) => p.has('http') || p.has('http2') || anyNum(p, 'tcp.port', (port) => port === 80),
  ),
  rule('DCERPC', 'dcerpc', [51199, 38706, 65533], DARK, (p) => p.has('dcerpc')),
  rule(
    'Routing',
    'hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp',
    [65534, 62325, 54808],
    DARK,
    (p) =>
      ['hsrp', 'eigrp', 'ospf', 'bgp', 'cdp', 'vrrp', 'carp', 'gvrp', 'igmp', 'ismp'].some((x) => p.has(x)),
  ),
  rule(
    'TCP SYN/FIN',
    'tcp.flags & 0x02 || tcp.flags.fin == 1',
    [41026, 41026, 41026],
    DARK,
    (p) =>
      anyNum(p, 'tcp.flags', (f) => (f & 0x03) !== 0) ||
      anyNum(p, 'tcp.flags.syn', (s) => s === 1) ||
      anyNum(p, 'tcp.flags.fin', (s) => s === 1),
  ),
  rule('TCP', 'tcp', [59345, 58980, 65535], DARK, (p) => p.has('tcp')),
  rule('UDP', 'udp', [56026, 61166, 65535], DARK, (p) => p.has('udp')),
  rule(
    'Broadcast',
    'eth[0] & 1',
    [65535, 65535, 65535],
    [47802, 48573, 46774],
    (p) => p.linkIsEthernet && (p.firstByte & 1) === 1,
  ),
];

/**
 * Evaluates the rules over fast-path dissections. Build one per capture (after the protocols
 * are registered), pass `wanted` to `dissectPacket`, then call `classify` after each decode.
 */
export class Colorizer {
  /** Field ids to collect on the fast path (mark them in a `wanted` array). */
  readonly fields: Field[];
  private readonly byAbbrev = new Map<string, Field>();
  private p!: Dissection;
  private readonly facts: PacketFacts;

  constructor(readonly rules: readonly ColorRule[] = DEFAULT_COLOR_RULES) {
    this.fields = [];
    for (const name of COLORING_FIELDS) {
      const f = fieldsByAbbrev.get(name);
      if (f) {
        this.fields.push(f);
        this.byAbbrev.set(name, f);
      }
    }
    // Called ~20 times per packet on the first pass: allocate only when the field occurred.
    const NONE: FieldValue[] = [];
    const values = (abbrev: string): FieldValue[] => {
      const f = this.byAbbrev.get(abbrev);
      if (!f) return NONE;
      let out: FieldValue[] | undefined;
      const vf = this.p.valueFields;
      for (let i = 0; i < vf.length; i++) if (vf[i] === f) (out ??= []).push(this.p.values[i]!);
      return out ?? NONE;
    };
    const facts: PacketFacts = {
      has: (x) => this.p.protocols.includes(x),
      values,
      firstByte: 0,
      linkIsEthernet: false,
    };
    this.facts = facts;
  }

  /** Marks the fields the rules read in `wanted` (indexed by field id). */
  markWanted(wanted: Uint8Array): void {
    for (const f of this.fields) wanted[f.id] = 1;
  }

  /** Index of the first matching rule, or -1. `p` must be the frame's dissection. */
  classify(p: Dissection): number {
    this.p = p;
    this.facts.firstByte = p.data[0] ?? 0;
    this.facts.linkIsEthernet = p.protocols[1] === 'eth';
    for (let i = 0; i < this.rules.length; i++) if (this.rules[i]!.matches(this.facts)) return i;
    return -1;
  }
}
