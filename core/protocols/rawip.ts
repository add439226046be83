// Raw IP link types: LINKTYPE_RAW (101, and DLT_RAW's platform numbers 12 and 14 found in old
// files), where the version nibble of the first byte tells IPv4 from IPv6, and LINKTYPE_IPV4 /
// LINKTYPE_IPV6 (228, 229), which Wireshark hands straight to IPv4/IPv6 with no layer of its own.
// IPv4 and IPv6 live in their own files and register under the ethertype table; they are looked
// up there at dispatch time (`viaEthertype`), so this file does not import them.
import { LINKTYPE } from '../capture/linktypes';
import type { Dissection, Dissector } from '../dissect/dissection';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { data } from './data';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;

/**
 * A dissector that stands for whatever is registered under `ethertype` when a packet is decoded
 * (falling back to `data` while nothing is), so link layers can bind to IPv4/IPv6 without
 * depending on their modules or on module load order.
 */
export function viaEthertype(ethertype: number): Dissector {
  const target = (): Dissector => tables.ethertype.get(ethertype) ?? data;
  return {
    get abbrev() {
      return target().abbrev;
    },
    get short() {
      return target().short;
    },
    get field() {
      return target().field;
    },
    dissect: (p, start, end) => target().dissect(p, start, end),
  };
}

const ipv4 = viaEthertype(ETHERTYPE_IPV4);
const ipv6 = viaEthertype(ETHERTYPE_IPV6);

export const raw = defineProtocol({
  abbrev: 'raw',
  name: 'Raw packet data',
  short: '',
  fields: {},
  dissect: dissectRaw,
});

function dissectRaw(p: Dissection, start: number, end: number): void {
  // packet-raw.c: placeholders until the IP layer replaces them.
  if (p.columns) {
    p.setLinkAddresses('N/A', 'N/A');
    p.cols.protocol = 'N/A';
    p.cols.info = 'Raw packet data';
  }
  p.add(raw.field, start, p.remaining(start));
  if (p.u16(start) === 0xff03) {
    // Linux/IRIX PPP links sometimes write PPP-in-HDLC frames under this link type; not decoded.
    p.call(data, start, end);
    return;
  }
  // The IP version is the high nibble of the first byte (RFC 791 §3.1, RFC 8200 §3).
  const version = p.u8(start) >> 4;
  if (version === 4) p.call(ipv4, start, end);
  else if (version === 6) p.call(ipv6, start, end);
  // Anything else stays "Raw packet data" (the raw item already covers the bytes), as in tshark.
}

const DLT_RAW_BSD = 12;
const DLT_RAW_OPENBSD = 14;

tables.linktype.register(LINKTYPE.RAW, raw);
tables.linktype.register(DLT_RAW_BSD, raw);
tables.linktype.register(DLT_RAW_OPENBSD, raw);
tables.linktype.register(LINKTYPE.IPV4, ipv4);
tables.linktype.register(LINKTYPE.IPV6, ipv6);
