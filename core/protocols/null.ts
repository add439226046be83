// BSD loopback encapsulation: LINKTYPE_NULL (0), a 4-byte address family in the byte order of
// the host that wrote the file, and LINKTYPE_LOOP (108, OpenBSD), the same in network order
// (https://www.tcpdump.org/linktypes.html). AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD,
// OpenBSD, BSD/OS), 28 (FreeBSD, DragonFly) or 30 (Darwin). Families dispatch through
// `tables.nullFamily`; IPv4/IPv6 are bound there to whatever the ethertype table holds.
import { LINKTYPE } from '../capture/linktypes';
import type { Dissection } from '../dissect/dissection';
import { hex } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { data } from './data';
import { ETHERTYPES } from './eth';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, viaEthertype } from './rawip';

/** BSD AF_* values, names as Wireshark's packet-null.c. */
export const BSD_FAMILIES: Readonly<Record<number, string>> = {
  2: 'IP',
  7: 'OSI',
  16: 'Appletalk',
  23: 'Netware IPX/SPX',
  24: 'IPv6',
  28: 'IPv6',
  30: 'IPv6',
};

const IEEE_802_3_MAX_LEN = 1500;

export const nullLoopback = defineProtocol({
  abbrev: 'null',
  name: 'Null/Loopback',
  short: 'Null',
  fields: {
    type: { abbrev: 'null.type', name: 'Type', type: 'uint16', base: 'hex', vals: ETHERTYPES },
    family: { abbrev: 'null.family', name: 'Family', type: 'uint32', base: 'dec', vals: BSD_FAMILIES },
  },
  dissect: (p, start, end) => dissectNull(p, start, end, false),
});

/**
 * The family as Wireshark's packet-null.c reads a LINKTYPE_NULL header: in host order (the
 * capturing host's), recognising the other byte order and 16-bit values by where the non-zero
 * bytes are, since real families are small numbers.
 */
export function nullHeaderValue(b0: number, b1: number, b2: number, b3: number): number {
  // Read as a little-endian host would (tshark on x86 does; the heuristics make it symmetric).
  let v = (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0;
  if ((v & 0xffff0000) !== 0) {
    if ((v & 0xff000000) === 0 && (v & 0x00ff0000) < 0x00060000) {
      // A 16-bit family in the upper half, e.g. a byte-swapped 16-bit value.
      v = (v >>> 16) & 0xffff;
    } else {
      // Written by a host of the other byte order.
      v = (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
    }
  } else if ((v & 0x000000ff) === 0 && (v & 0x0000ff00) < 0x00000600) {
    // A 16-bit big-endian family in the low half.
    v = (v >>> 8) & 0xff;
  }
  return v;
}

function dissectNull(p: Dissection, start: number, end: number, networkOrder: boolean): void {
  const f = nullLoopback.f;
  if (!networkOrder && p.u16(start) === 0xff03) {
    // PPP in HDLC-like framing follows instead of a family (packet-null.c); not decoded here.
    p.add(nullLoopback.field, start, 0);
    p.call(data, start, end);
    return;
  }
  p.check(start, 4);
  const value = networkOrder
    ? p.u32(start)
    : nullHeaderValue(p.u8(start), p.u8(start + 1), p.u8(start + 2), p.u8(start + 3));
  const item = p.add(nullLoopback.field, start, 4);
  p.open(item);
  let claimed: number;
  if (value > IEEE_802_3_MAX_LEN) {
    // Some systems put an ethertype here instead of a family.
    p.add(f.type, start, 4, value & 0xffff);
    p.close(item);
    claimed = tables.ethertype.dispatch(p, value, start + 4, end);
  } else {
    p.add(f.family, start, 4, value);
    p.close(item);
    claimed = tables.nullFamily.dispatch(p, value, start + 4, end);
  }
  if (claimed < 0) {
    if (p.columns) {
      p.cols.protocol = 'N/A';
      p.cols.info = `Null/Loopback, family 0x${hex(value, 8)}`;
    }
    p.call(data, start + 4, end);
  }
}

export const loop = {
  abbrev: 'null',
  short: 'Null',
  field: nullLoopback.field,
  dissect: (p: Dissection, start: number, end: number) => dissectNull(p, start, end, true),
};

const ipv4 = viaEthertype(ETHERTYPE_IPV4);
const ipv6 = viaEthertype(ETHERTYPE_IPV6);
tables.nullFamily.register(2, ipv4);
for (const af of [24, 28, 30]) tables.nullFamily.register(af, ipv6);

tables.linktype.register(LINKTYPE.NULL, nullLoopback);
tables.linktype.register(LINKTYPE.LOOP, loop);
