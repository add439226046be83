// Finding a frame's IP datagram under its link layer, for the link types we read: Ethernet
// (with 802.1Q / 802.1ad tags), Linux cooked capture v1 and v2, BSD NULL/LOOP and raw IP.
// A small strip rather than the full dissector: replay needs the outermost datagram's bounds
// (a tunnel's inner packet must not be replayed on its own), and nothing else.
import { LINKTYPE } from '../capture/linktypes';

export type LinkResult =
  /** The IP datagram is `data[start, end)`; `end` is the captured end (the IP header's own
   * length is checked by the caller). */
  | { family: 4 | 6; start: number }
  /** Not IP: `ethertype` for Ethernet-like links (0 when unknown, e.g. 802.3 LLC), for the
   * caller's naming; `why` when the frame is too short or the link type is not handled. */
  | { family: 0; ethertype: number; why?: string };

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad (QinQ), and the pre-standard 0x9100. */
const VLAN_TPIDS = new Set([0x8100, 0x88a8, 0x9100]);
/** At most this many stacked VLAN tags (a bound on a crafted frame). */
const MAX_VLAN_TAGS = 8;

function byEthertype(type: number, start: number): LinkResult {
  if (type === ETH_IPV4) return { family: 4, start };
  if (type === ETH_IPV6) return { family: 6, start };
  return { family: 0, ethertype: type };
}

function short(what: string): LinkResult {
  return { family: 0, ethertype: 0, why: `${what} header cut short` };
}

/** Where the IP datagram starts in a frame of link type `linkType`. */
export function findIpDatagram(linkType: number, data: Uint8Array): LinkResult {
  const u16 = (o: number): number => (data[o]! << 8) | data[o + 1]!;
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      if (data.length < 14) return short('Ethernet');
      let o = 12;
      let type = u16(o);
      for (let tags = 0; VLAN_TPIDS.has(type) && tags < MAX_VLAN_TAGS; tags++) {
        if (data.length < o + 6) return short('802.1Q');
        o += 4;
        type = u16(o);
      }
      // An 802.3 length field (≤ 1500) is followed by LLC: STP, CDP … never IP here.
      if (type <= 1500) return { family: 0, ethertype: 0 };
      return byEthertype(type, o + 2);
    }
    case LINKTYPE.LINUX_SLL:
      // packet type (2), ARPHRD (2), address length (2), address (8), protocol (2).
      if (data.length < 16) return short('Linux cooked capture');
      return byEthertype(u16(14), 16);
    case LINKTYPE.LINUX_SLL2:
      // protocol (2), reserved (2), ifindex (4), ARPHRD (2), packet type, address length, address (8).
      if (data.length < 20) return short('Linux cooked capture v2');
      return byEthertype(u16(0), 20);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (data.length < 4) return short('Null/Loopback');
      // The address family: host byte order for NULL (either order seen), network for LOOP.
      const be = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
      const le = ((data[3]! << 24) | (data[2]! << 16) | (data[1]! << 8) | data[0]!) >>> 0;
      const family = linkType === LINKTYPE.LOOP ? be : be < 0x10000 ? be : le;
      if (family === 2) return { family: 4, start: 4 };
      // AF_INET6 is 10 (Linux), 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS).
      if (family === 10 || family === 24 || family === 28 || family === 30) return { family: 6, start: 4 };
      return { family: 0, ethertype: 0 };
    }
    case LINKTYPE.RAW:
    case 14 /* LINKTYPE_RAW on OpenBSD */:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6: {
      const v = data.length ? data[0]! >> 4 : 0;
      if (v === 4) return { family: 4, start: 0 };
      if (v === 6) return { family: 6, start: 0 };
      return { family: 0, ethertype: 0, why: 'raw IP frame with neither version 4 nor 6' };
    }
    default:
      return { family: 0, ethertype: 0, why: `link type ${linkType} is not replayed` };
  }
}
