// pcap/pcapng link types (https://www.tcpdump.org/linktypes.html): the number in a file
// header or an IDB, and the name Wireshark shows for it.

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  IEEE802_11: 105,
  LOOP: 108,
  LINUX_SLL: 113,
  IEEE802_11_RADIOTAP: 127,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** Names for the link types we decode and for the common ones we show as data. */
export const LINKTYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL/Loopback',
  1: 'Ethernet',
  6: 'Token Ring',
  8: 'SLIP',
  9: 'PPP',
  10: 'FDDI',
  12: 'Raw IP',
  14: 'Raw IP',
  50: 'PPP in HDLC-like framing',
  51: 'PPPoE',
  100: 'RFC 1483 ATM',
  101: 'Raw IP',
  104: 'Cisco HDLC',
  105: 'IEEE 802.11 Wireless LAN',
  107: 'Frame Relay',
  108: 'OpenBSD loopback',
  113: 'Linux cooked-mode capture v1',
  117: 'OpenBSD PF Firewall logs',
  119: 'IEEE 802.11 plus Prism II monitor mode radio header',
  127: 'IEEE 802.11 plus radiotap radio header',
  138: 'Apple IP-over-IEEE 1394',
  139: 'SS7 MTP2',
  143: 'DOCSIS',
  147: 'USER0',
  148: 'USER1',
  149: 'USER2',
  163: 'IEEE 802.11 plus AVS radio header',
  165: 'BACnet MS/TP',
  166: 'PPP with Directional Info',
  169: 'GPRS LLC',
  192: 'Per-Packet Information header',
  195: 'IEEE 802.15.4 Wireless PAN',
  201: 'Bluetooth H4 with linux header',
  215: 'IEEE 802.15.4 Wireless PAN non-ASK PHY',
  220: 'USB packets with Linux header and padding',
  226: 'IPMB',
  227: 'SocketCAN',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  230: 'IEEE 802.15.4 Wireless PAN with no FCS',
  239: 'NFLOG',
  249: 'Netanalyzer',
  258: 'Apple PKTAP',
  263: 'Wireless Personal Area Network with Linux header',
  276: 'Linux cooked-mode capture v2',
  281: 'ETW events',
};

export function linkTypeName(lt: number): string {
  return LINKTYPE_NAMES[lt] ?? `Unknown link type ${lt}`;
}
