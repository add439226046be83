// Shared rules for encapsulations (VXLAN, Geneve, GRE, IP-in-IP, 6in4, ESP, AH): how deep a
// packet may nest tunnels before we stop, and the Ethertype binding for bridged Ethernet that
// GRE and Geneve carry (0x6558, "Transparent Ethernet bridging", RFC 1701 / RFC 8926 §3.4).
import type { Dissection } from '../dissect/dissection';
import { tables } from '../dissect/tables';
import { eth } from './eth';

/** Encapsulation headers allowed in one packet; a crafted packet may nest IP-in-IP or GRE-in-GRE
 * until the bytes run out, so past this many we mark the packet and stop. */
export const MAX_TUNNEL_DEPTH = 8;

/** Layers that begin a new level of encapsulation. */
const ENCAPSULATIONS = new Set(['vxlan', 'geneve', 'gre', 'esp', 'ah', 'erspan']);

/** How many encapsulation levels the packet has entered, the current layer included:
 * tunnel headers plus network layers beyond the first (IP-in-IP, 6in4). */
export function tunnelDepth(p: Dissection): number {
  let n = 0;
  let net = 0;
  for (const abbrev of p.protocols) {
    if (ENCAPSULATIONS.has(abbrev)) n++;
    else if (abbrev === 'ip' || abbrev === 'ipv6') net++;
  }
  return n + Math.max(0, net - 1);
}

/**
 * True when the current layer may hand its payload on. Past MAX_TUNNEL_DEPTH it records an
 * issue, marks the packet malformed and the caller stops (the payload stays undecoded).
 */
export function mayEncapsulate(p: Dissection, at: number, end: number): boolean {
  if (tunnelDepth(p) <= MAX_TUNNEL_DEPTH) return true;
  const message = `Too many nested encapsulations (more than ${MAX_TUNNEL_DEPTH}); not decoded further`;
  p.issue('malformed', 'error', message, at, end);
  p.malformed = true;
  p.appendInfo(' [Too many nested encapsulations]');
  if (p.tree) p.addText(`[${message}]`, at, Math.max(0, end - at))!.severity = 'error';
  return false;
}

// Wireshark registers its "eth_withoutfcs" dissector for Ethertype 0x6558.
tables.ethertype.register(0x6558, eth);
