// Wireshark's default colouring rules (the `colorfilters` file shipped with Wireshark 4.0), in
// order: the first enabled rule whose display filter matches a packet colours its row. The
// filters are compiled by the display-filter compiler (core/filter) in its lenient mode: names
// of protocols Wirelens does not decode (hsrp, stp, sctp…) are fields that are never present,
// so Wireshark's rule text is kept verbatim and starts to work as those decoders arrive.
import type { Dissection } from '../dissect/dissection';
import { fieldList, fieldsByAbbrev } from '../dissect/fields';
import { compileFilter, type CompiledFilter } from '../filter';
import { requiredAnyOf } from '../filter/requires';

export interface ColorRule {
  name: string;
  /** Wireshark's filter text for the rule, verbatim. */
  filter: string;
  /** Colours as CSS hex, converted from the file's 16-bit-per-channel triples. */
  fg: string;
  bg: string;
  enabled: boolean;
}

/** `[r,g,b]` with 16-bit channels (as in `colorfilters`) → `#rrggbb`. */
function rgb16(r: number, g: number, b: number): string {
  const c = (v: number) =>
    Math.round(v / 257)
      .toString(16)
      .padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

const DARK = [4718, 10030, 11796] as const;

/** Colours in the file's order: `@name@filter@[background][foreground]`. */
function rule(
  name: string,
  filter: string,
  bg: readonly [number, number, number],
  fg: readonly [number, number, number],
): ColorRule {
  return { name, filter, fg: rgb16(...fg), bg: rgb16(...bg), enabled: true };
}

// prettier-ignore
export const DEFAULT_COLOR_RULES: readonly ColorRule[] = [
  rule('Bad TCP', 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack', DARK, [63479, 34695, 34695]),
  rule('HSRP State Change', 'hsrp.state != 8 && hsrp.state != 16', DARK, [65535, 64764, 40092]),
  rule('Spanning Tree Topology  Change', 'stp.type == 0x80', DARK, [65535, 64764, 40092]),
  rule('OSPF State Change', 'ospf.msg != 1', DARK, [65535, 64764, 40092]),
  rule('ICMP errors', 'icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }', DARK, [47031, 63479, 29812]),
  rule('ARP', 'arp', [64250, 61680, 55255], DARK),
  rule('ICMP', 'icmp || icmpv6', [64764, 57568, 65535], DARK),
  rule('TCP RST', 'tcp.flags.reset eq 1', [42148, 0, 0], [65535, 64764, 40092]),
  rule('SCTP ABORT', 'sctp.chunk_type eq ABORT', [42148, 0, 0], [65535, 64764, 40092]),
  rule('TTL low or unexpected', '(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))', [42148, 0, 0], [60652, 61680, 60395]),
  rule('Checksum Errors', 'eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad" || sctp.checksum.status=="Bad" || mstp.checksum.status=="Bad" || cdp.checksum.status=="Bad" || edp.checksum.status=="Bad" || wlan.fcs.status=="Bad" || stt.checksum.status=="Bad"', DARK, [63479, 34695, 34695]),
  rule('SMB', 'smb || nbss || nbns || netbios', [65278, 65535, 53456], DARK),
  rule('HTTP', 'http || tcp.port == 80 || http2', [58596, 65535, 51143], DARK),
  rule('DCERPC', 'dcerpc', [51199, 38706, 65533], DARK),
  rule('Routing', 'hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp', [65534, 62325, 54808], DARK),
  rule('TCP SYN/FIN', 'tcp.flags & 0x02 || tcp.flags.fin == 1', [41026, 41026, 41026], DARK),
  rule('TCP', 'tcp', [59345, 58980, 65535], DARK),
  rule('UDP', 'udp', [56026, 61166, 65535], DARK),
  rule('Broadcast', 'eth[0] & 1', [65535, 65535, 65535], [47802, 48573, 46774]),
];

/** Compiles a rule's filter (lenient: unknown protocol and field names are never present). */
export function compileColorFilter(filter: string): CompiledFilter {
  return compileFilter(filter, { lenient: true });
}

/**
 * Evaluates the rules over fast-path dissections. Build one per capture (after the protocols
 * are registered), mark `wanted` for `dissectPacket`, then call `classify` after each decode.
 * Throws the compiler's FilterError for a rule whose filter is not valid.
 */
export class Colorizer {
  private readonly compiled: (CompiledFilter | null)[];
  /** Per rule, the field ids one of which a matching packet has (-1: a name no packet has,
   * such as a protocol Wirelens does not decode); undefined: no such set, always evaluate. */
  private readonly needs: (Int32Array | undefined)[];
  /** `present[id] === stamp`: field or protocol `id` is in the packet being classified. */
  private present = new Uint32Array(0);
  private stamp = 0;

  constructor(readonly rules: readonly ColorRule[] = DEFAULT_COLOR_RULES) {
    this.compiled = rules.map((r) => (r.enabled ? compileColorFilter(r.filter) : null));
    this.needs = rules.map((r) => {
      const names = r.enabled ? requiredAnyOf(r.filter) : undefined;
      return names && Int32Array.from(names, (n) => fieldsByAbbrev.get(n)?.id ?? -1);
    });
  }

  /** Marks the fields the rules read in `wanted` (indexed by field id). */
  markWanted(wanted: Uint8Array): void {
    for (const c of this.compiled) c?.markWanted(wanted);
  }

  /** Index of the first matching rule, or -1. `p` must be the frame's dissection. */
  classify(p: Dissection): number {
    // Which fields and protocols the packet has, once; then a rule that needs one of some
    // names the packet lacks is skipped without evaluating its filter.
    if (this.present.length < fieldList.length) this.present = new Uint32Array(fieldList.length);
    const present = this.present;
    if (++this.stamp === 0xffffffff) {
      present.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    for (const f of p.valueFields) present[f.id] = stamp;
    for (const name of p.protocols) {
      const f = fieldsByAbbrev.get(name);
      if (f) present[f.id] = stamp;
    }
    for (let i = 0; i < this.compiled.length; i++) {
      const c = this.compiled[i];
      if (!c) continue;
      const need = this.needs[i];
      if (need && !anyPresent(need, present, stamp)) continue;
      if (c.match(p)) return i;
    }
    return -1;
  }
}

function anyPresent(ids: Int32Array, present: Uint32Array, stamp: number): boolean {
  for (let i = 0; i < ids.length; i++) if (ids[i]! >= 0 && present[ids[i]!] === stamp) return true;
  return false;
}
