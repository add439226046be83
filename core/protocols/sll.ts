// Linux "cooked" capture, version 1 (LINKTYPE_LINUX_SLL, 113): what `tcpdump -i any` writes.
// Header (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html): packet type(2),
// ARPHRD_ type(2), address length(2), address(8, zero-padded), protocol(2). The protocol is an
// ethertype, or for values below 1536 a Linux protocol (802.2 LLC, raw 802.3, CAN…) dispatched
// through `tables.sllLtype`. The SLL2 variant (sll2.ts) shares the field table and payload logic.
import { LINKTYPE } from '../capture/linktypes';
import type { Dissection } from '../dissect/dissection';
import { etherToString, hex } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { resolveEther } from '../dissect/resolve';
import { tables } from '../dissect/tables';
import { data } from './data';
import { TAG_ETHERTYPES, addEthernetTrailer, unknownEthertypeColumns } from './vlan';

export const SLL_PACKET_TYPES: Readonly<Record<number, string>> = {
  0: 'Unicast to us',
  1: 'Broadcast',
  2: 'Multicast',
  3: 'Unicast to another host',
  4: 'Sent by us',
};

/** Linux ARPHRD_* device types (include/uapi/linux/if_arp.h), names as Wireshark shows them. */
export const ARPHRD_TYPES: Readonly<Record<number, string>> = {
  0: 'NET/ROM',
  1: 'Ethernet',
  2: 'Experimental Ethernet',
  3: 'AX.25',
  4: 'ProNET',
  5: 'Chaos',
  6: 'IEEE 802',
  7: 'ARCNET',
  8: 'Hyperchannel',
  15: 'Frame Relay DLCI',
  19: 'ATM',
  23: 'Metricom STRIP',
  24: 'IEEE 1394',
  27: 'EUI-64',
  32: 'InfiniBand',
  256: 'SLIP',
  257: 'CSLIP',
  258: 'SLIP6',
  259: 'CSLIP6',
  260: 'Reserved',
  264: 'Adaptive',
  270: 'ROSE',
  271: 'X.25',
  272: 'HW X.25',
  280: 'CAN',
  512: 'PPP',
  513: 'Cisco HDLC',
  516: 'LAPB',
  517: 'DDCMP',
  518: 'Raw HDLC',
  519: 'Raw IP',
  768: 'IPIP Tunnel',
  769: 'IP6IP6 Tunnel',
  770: 'FRAD',
  771: 'SKIP',
  772: 'Loopback',
  773: 'Localtalk',
  774: 'FDDI',
  775: 'BIF',
  776: 'IPv6-in-IPv4',
  777: 'IP over DDP',
  778: 'IP GRE',
  779: 'PIM Register',
  780: 'HIPPI',
  781: 'Ash',
  782: 'Econet',
  783: 'IrDA',
  784: 'FCPP',
  785: 'FCAL',
  786: 'FCPL',
  787: 'FCFABRIC',
  800: 'Token Ring',
  801: 'IEEE 802.11',
  802: 'IEEE 802.11 + Prism',
  803: 'IEEE 802.11 + radiotap',
  804: 'IEEE 802.15.4',
  805: 'IEEE 802.15.4 MAC',
  820: 'Phonet',
  821: 'Phonet pipe',
  822: 'CAIF',
  823: 'IP6GRE',
  824: 'Netlink',
  825: '6LoWPAN',
  826: 'VSOCKMON',
  65534: 'None',
  65535: 'Void',
};

/** Linux protocol numbers carried when the protocol field is not an ethertype (if_ether.h). */
export const SLL_LTYPES: Readonly<Record<number, string>> = {
  0x0001: 'Raw 802.3',
  0x0002: 'AX.25',
  0x0003: 'Ethernet',
  0x0004: '802.2 LLC',
  0x0005: 'SNAP',
  0x0007: 'PPP (HDLC)',
  0x000c: 'CAN',
  0x000d: 'CAN FD',
  0x0010: 'Localtalk',
  0x0011: 'PPP (Multiprotocol)',
  0x0015: 'IrDA',
  0x0016: 'ISDN',
  0x0019: 'Wireless Personal Area Network',
  0x00f5: 'Phonet',
  0x00f6: 'IEEE 802.15.4',
};

const ARPHRD_IPGRE = 778;
const ARPHRD_NETLINK = 824;
const ETHERTYPE_MIN = 1536;

export const sll = defineProtocol({
  abbrev: 'sll',
  name: 'Linux cooked capture v1',
  short: 'SLL',
  fields: {
    pkttype: {
      abbrev: 'sll.pkttype',
      name: 'Packet type',
      type: 'uint16',
      base: 'dec',
      vals: SLL_PACKET_TYPES,
    },
    hatype: {
      abbrev: 'sll.hatype',
      name: 'Link-layer address type',
      type: 'uint16',
      base: 'dec',
      vals: ARPHRD_TYPES,
    },
    halen: { abbrev: 'sll.halen', name: 'Link-layer address length', type: 'uint16', base: 'dec' },
    srcEth: { abbrev: 'sll.src.eth', name: 'Source', type: 'ether' },
    srcIpv4: { abbrev: 'sll.src.ipv4', name: 'Source', type: 'ipv4' },
    srcOther: { abbrev: 'sll.src.other', name: 'Source', type: 'bytes' },
    unused: { abbrev: 'sll.unused', name: 'Unused', type: 'bytes' },
    ltype: { abbrev: 'sll.ltype', name: 'Protocol', type: 'uint16', base: 'hex', vals: SLL_LTYPES },
    gretype: { abbrev: 'sll.gretype', name: 'Protocol', type: 'uint16', base: 'hex', vals: TAG_ETHERTYPES },
    etype: { abbrev: 'sll.etype', name: 'Protocol', type: 'uint16', base: 'hex', vals: TAG_ETHERTYPES },
    trailer: { abbrev: 'sll.trailer', name: 'Trailer', type: 'bytes' },
    ifindex: { abbrev: 'sll.ifindex', name: 'Interface index', type: 'uint32', base: 'dec' },
  },
  dissect: dissectSll1,
});

/** Offsets of the shared fields inside one SLL header version. */
export interface SllLayout {
  headerLen: number;
  pkttype: [offset: number, len: number];
  hatype: number;
  halen: [offset: number, len: number];
  addr: number;
  protocol: number;
}

const SLL1_LAYOUT: SllLayout = {
  headerLen: 16,
  pkttype: [0, 2],
  hatype: 2,
  halen: [4, 2],
  addr: 6,
  protocol: 14,
};

function dissectSll1(p: Dissection, start: number, end: number): void {
  p.check(start, SLL1_LAYOUT.headerLen);
  const item = p.add(sll.field, start, SLL1_LAYOUT.headerLen, undefined, 'Linux cooked capture v1');
  p.open(item);
  addPkttype(p, start, SLL1_LAYOUT);
  p.add(sll.f.hatype, start + SLL1_LAYOUT.hatype, 2);
  addAddress(p, start, SLL1_LAYOUT);
  const protocol = addProtocol(p, start, SLL1_LAYOUT);
  p.close(item);
  dissectSllPayload(p, start, end, SLL1_LAYOUT, protocol, item);
}

export function addPkttype(p: Dissection, start: number, l: SllLayout): void {
  const [off, len] = l.pkttype;
  const pkttype = len === 2 ? p.u16(start + off) : p.u8(start + off);
  if (p.columns) p.setInfo(SLL_PACKET_TYPES[pkttype] ?? `Unknown (${pkttype})`);
  p.add(sll.f.pkttype, start + off, len, pkttype);
}

/** halen, the address (Ethernet, IPv4 or other by length) and the unused rest of its 8 bytes. */
export function addAddress(p: Dissection, start: number, l: SllLayout): void {
  const f = sll.f;
  const [lenOff, lenLen] = l.halen;
  const halen = lenLen === 2 ? p.u16(start + lenOff) : p.u8(start + lenOff);
  p.add(f.halen, start + lenOff, lenLen, halen);
  const addr = start + l.addr;
  const shown = Math.min(halen, 8);
  if (halen === 6) {
    const text = etherToString(p.data, addr);
    const resolved = p.tree || p.columns ? resolveEther(p.data, addr) : text;
    if (p.columns) p.setLinkAddresses(text, '', resolved, '');
    p.add(f.srcEth, addr, 6, undefined, `Source: ${resolved} (${text})`);
  } else if (halen === 4) {
    p.add(f.srcIpv4, addr, 4);
  } else if (halen > 0) {
    p.add(f.srcOther, addr, shown);
  }
  if (shown < 8) p.add(f.unused, addr + shown, 8 - shown);
}

/** The protocol field under its right name; returns its value. */
export function addProtocol(p: Dissection, start: number, l: SllLayout): number {
  const f = sll.f;
  const hatype = p.u16(start + l.hatype);
  const protocol = p.u16(start + l.protocol);
  const field =
    hatype === ARPHRD_IPGRE
      ? f.gretype
      : protocol < ETHERTYPE_MIN && hatype !== ARPHRD_NETLINK
        ? f.ltype
        : f.etype;
  p.add(field, start + l.protocol, 2);
  return protocol;
}

/** Hands the payload on: by ethertype (then a trailer after what the payload claims), or by Linux protocol. */
export function dissectSllPayload(
  p: Dissection,
  start: number,
  end: number,
  l: SllLayout,
  protocol: number,
  item: ReturnType<Dissection['add']>,
): void {
  const payload = start + l.headerLen;
  const hatype = p.u16(start + l.hatype);
  if (protocol < ETHERTYPE_MIN && hatype !== ARPHRD_IPGRE) {
    if (tables.sllLtype.dispatch(p, protocol, payload, end) < 0) {
      if (p.columns) p.cols.protocol = `0x${hex(protocol, 4)}`;
      p.call(data, payload, end);
    }
    return;
  }
  p.protocols.push('ethertype');
  let claimed = tables.ethertype.dispatch(p, protocol, payload, end);
  if (claimed < 0) {
    unknownEthertypeColumns(p, protocol);
    claimed = p.call(data, payload, end);
  }
  // Like Ethernet: padding up to 60 bytes of frame, then the SLL trailer (packet-sll.c uses
  // the ethertype dissector's Ethernet trailer logic).
  addEthernetTrailer(p, claimed, Math.min(end, p.data.length), item, sll.f.trailer);
}

tables.linktype.register(LINKTYPE.LINUX_SLL, sll);
