// IP in IP (RFC 2003, IP protocol 4) and IPv6 in IPv4/IPv6 (RFC 4213 §3.5, protocol 41): the
// inner datagram is decoded by ip.ts / ipv6.ts as a second network layer. This file binds the
// two protocol numbers through a guard that bounds how deeply packets may nest tunnels.
import type { Dissection, Dissector } from '../dissect/dissection';
import { tables } from '../dissect/tables';
import { ip } from './ip';
import { ipv6 } from './ipv6';
import { mayEncapsulate } from './tunnel';

export const IP_PROTO_IPIP = 4;
export const IP_PROTO_IPV6 = 41;

/** The same layer as `inner` (same name, fields and columns), entered only while the
 * encapsulation depth allows it. */
function guarded(inner: Dissector): Dissector {
  return {
    abbrev: inner.abbrev,
    short: inner.short,
    field: inner.field,
    dissect(p: Dissection, start: number, end: number): void {
      if (!mayEncapsulate(p, start, end)) return;
      inner.dissect(p, start, end);
    },
  };
}

export const ipInIp = guarded(ip);
export const ipv6InIp = guarded(ipv6);

tables.ipProto.register(IP_PROTO_IPIP, ipInIp);
tables.ipProto.register(IP_PROTO_IPV6, ipv6InIp);
