// Ethernet II (RFC 894) and IEEE 802.3 framing. A type/length field of 1536 or more is an
// Ethertype; 1500 or less is an 802.3 length followed by LLC (IEEE 802.3 §3.2.6).
// Frames shorter than 60 bytes (without FCS) are padded up to it; bytes after the payload's
// own length beyond that minimum are a trailer.
import { LINKTYPE } from '../capture/linktypes';
import { parseEther } from '../dissect/address';
import type { Dissection } from '../dissect/dissection';
import { etherToString, hex } from '../dissect/format';
import { defineProtocol, protocols } from '../dissect/protocol';
import { resolveEther } from '../dissect/resolve';
import { tables } from '../dissect/tables';
import { data } from './data';

/** Ethertype names, shared by Ethernet, 802.1Q, SLL and GRE. */
export const ETHERTYPES: Readonly<Record<number, string>> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x0842: 'Wake on LAN',
  0x22f0: 'AVTP',
  0x22f3: 'TRILL',
  0x6558: 'Transparent Ethernet bridging',
  0x8035: 'RARP',
  0x809b: 'AppleTalk',
  0x80f3: 'AARP',
  0x8100: '802.1Q Virtual LAN',
  0x8137: 'Netware IPX/SPX',
  0x86dd: 'IPv6',
  0x8808: 'MAC Control',
  0x8809: 'Slow Protocols',
  0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet',
  0x8863: 'PPPoE Discovery',
  0x8864: 'PPPoE Session',
  0x886d: 'Intel ANS probe',
  0x888e: '802.1X Authentication',
  0x8892: 'PROFINET',
  0x889a: 'HyperSCSI',
  0x88a2: 'ATA over Ethernet',
  0x88a4: 'EtherCAT frame',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x88b8: 'IEC 61850/GOOSE',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x88e5: '802.1AE (MACsec)',
  0x88e7: '802.1ah Provider Backbone Bridge (mac-in-mac)',
  0x88f7: 'PTPv2 over Ethernet (IEEE1588)',
  0x8902: 'IEEE 802.1ag Connectivity Fault Management (CFM) Protocol',
  0x8906: 'Fibre Channel over Ethernet',
  0x8914: 'FCoE Initialization Protocol',
  0x9000: 'Configuration Test Protocol (loopback)',
  0x9100: 'QinQ: old non-standard 802.1ad',
};

const ETH_MIN_FRAME = 60; // 64-byte minimum minus the 4-byte FCS

const LG_TFS = [
  'Locally administered address (this is NOT the factory default)',
  'Globally unique address (factory default)',
] as const;
const IG_TFS = ['Group address (multicast/broadcast)', 'Individual address (unicast)'] as const;

export const eth = defineProtocol({
  abbrev: 'eth',
  name: 'Ethernet II',
  short: 'Ethernet',
  fields: {
    dst: { abbrev: 'eth.dst', name: 'Destination', type: 'ether' },
    dstResolved: { abbrev: 'eth.dst_resolved', name: 'Destination (resolved)', type: 'string' },
    dstOui: { abbrev: 'eth.dst.oui', name: 'Destination OUI', type: 'uint24' },
    dstLg: { abbrev: 'eth.dst.lg', name: 'LG bit', type: 'bool', bits: 24, mask: 0x020000, tfs: LG_TFS },
    dstIg: { abbrev: 'eth.dst.ig', name: 'IG bit', type: 'bool', bits: 24, mask: 0x010000, tfs: IG_TFS },
    src: { abbrev: 'eth.src', name: 'Source', type: 'ether' },
    srcResolved: { abbrev: 'eth.src_resolved', name: 'Source (resolved)', type: 'string' },
    srcOui: { abbrev: 'eth.src.oui', name: 'Source OUI', type: 'uint24' },
    srcLg: { abbrev: 'eth.src.lg', name: 'LG bit', type: 'bool', bits: 24, mask: 0x020000, tfs: LG_TFS },
    srcIg: { abbrev: 'eth.src.ig', name: 'IG bit', type: 'bool', bits: 24, mask: 0x010000, tfs: IG_TFS },
    addr: { abbrev: 'eth.addr', name: 'Address', type: 'ether' },
    addrResolved: { abbrev: 'eth.addr_resolved', name: 'Address (resolved)', type: 'string' },
    addrOui: { abbrev: 'eth.addr.oui', name: 'Address OUI', type: 'uint24' },
    lg: { abbrev: 'eth.lg', name: 'LG bit', type: 'bool', bits: 24, mask: 0x020000, tfs: LG_TFS },
    ig: { abbrev: 'eth.ig', name: 'IG bit', type: 'bool', bits: 24, mask: 0x010000, tfs: IG_TFS },
    type: { abbrev: 'eth.type', name: 'Type', type: 'uint16', base: 'hex', vals: ETHERTYPES },
    len: { abbrev: 'eth.len', name: 'Length', type: 'uint16' },
    padding: { abbrev: 'eth.padding', name: 'Padding', type: 'bytes' },
    trailer: { abbrev: 'eth.trailer', name: 'Trailer', type: 'bytes' },
    fcs: { abbrev: 'eth.fcs', name: 'Frame check sequence', type: 'uint32', base: 'hex' },
  },
  dissect: dissectEthernet,
});

function addAddress(p: Dissection, which: 'dst' | 'src', off: number): void {
  // Fast path with no field asked for: nothing to record, and no label text to build.
  if (!p.detailFor('eth')) return;
  const f = eth.f;
  const resolved =
    p.tree || p.wants(f[`${which}Resolved`]) || p.wants(f.addrResolved) ? resolveEther(p.data, off) : '';
  const plain = p.tree ? etherToString(p.data, off) : '';
  const name = which === 'dst' ? 'Destination' : 'Source';
  const item = p.add(f[which], off, 6, undefined, p.tree ? `${name}: ${resolved} (${plain})` : undefined);
  p.open(item);
  p.add(f.addr, off, 6, undefined, p.tree ? `Address: ${resolved} (${plain})` : undefined);
  if (p.wants(f[`${which}Resolved`]) || p.wants(f.addrResolved)) {
    p.add(f[`${which}Resolved`], off, 6, resolved);
    p.add(f.addrResolved, off, 6, resolved);
  }
  // Hidden in Wireshark's tree (filterable only); tshark prints them in decimal.
  if (p.wanted !== null) {
    p.add(f[`${which}Oui`], off, 3);
    p.add(f.addrOui, off, 3);
  }
  p.add(f[`${which}Lg`], off, 3);
  p.add(f.lg, off, 3);
  p.add(f[`${which}Ig`], off, 3);
  p.add(f.ig, off, 3);
  p.close(item);
}

function dissectEthernet(p: Dissection, start: number, end: number): void {
  const f = eth.f;
  const typeOrLen = p.u16(start + 12); // checks that the 14-byte header is there
  if (p.columns) p.setEtherAddresses(start + 6, start);
  const is8023 = typeOrLen <= 1500;
  const header = p.add(eth.field, start, 14, undefined, is8023 ? 'IEEE 802.3 Ethernet' : undefined);
  if (header && !is8023) {
    header.label = `Ethernet II, Src: ${resolveEther(p.data, start + 6)} (${etherToString(p.data, start + 6)}), Dst: ${resolveEther(p.data, start)} (${etherToString(p.data, start)})`;
  }
  p.open(header);
  addAddress(p, 'dst', start);
  addAddress(p, 'src', start + 6);

  let payloadEnd: number;
  if (is8023) {
    p.add(f.len, start + 12, 2);
    // The 802.3 length bounds the payload; the rest is padding.
    const claimedEnd = Math.min(end, start + 14 + typeOrLen);
    if (start + 14 + typeOrLen > end)
      p.issue(
        'malformed',
        'error',
        `Length field value ${typeOrLen} goes past the end of the frame`,
        start + 12,
        start + 14,
      );
    p.close(header);
    p.call(protocols.get('llc') ?? data, start + 14, claimedEnd);
    payloadEnd = claimedEnd;
  } else {
    p.add(f.type, start + 12, 2);
    p.close(header);
    p.protocols.push('ethertype');
    payloadEnd = tables.ethertype.dispatch(p, typeOrLen, start + 14, end);
    if (payloadEnd < 0) {
      if (p.columns) {
        p.cols.protocol = `0x${hex(typeOrLen, 4)}`;
        p.cols.info = 'Ethernet II';
      }
      payloadEnd = p.call(data, start + 14, end);
    }
  }
  addPaddingAndTrailer(p, start, payloadEnd, Math.min(end, p.data.length), header);
}

/** What follows the payload: padding up to the 60-byte minimum, then trailer. */
function addPaddingAndTrailer(
  p: Dissection,
  frameStart: number,
  payloadEnd: number,
  end: number,
  header: ReturnType<Dissection['add']>,
): void {
  if (payloadEnd >= end) return;
  p.open(header);
  const padEnd = Math.min(end, Math.max(payloadEnd, frameStart + ETH_MIN_FRAME));
  if (padEnd > payloadEnd) p.add(eth.f.padding, payloadEnd, padEnd - payloadEnd);
  if (end > padEnd) p.add(eth.f.trailer, padEnd, end - padEnd);
  p.close(header);
}

// ---- encoding ----

/** Plain representation of an Ethernet II header (smoltcp's `EthernetRepr`). */
export interface EthernetRepr {
  dst: string;
  src: string;
  /** Ethertype of the payload. */
  type: number;
}

/**
 * Builds a frame: header + payload, padded with zeros to the 60-byte minimum unless `pad` is
 * false (so undersized frames can be crafted). No FCS, as capture files on Linux store them.
 */
export function encodeEthernet(repr: EthernetRepr, payload: Uint8Array, pad = true): Uint8Array {
  const dst = parseEther(repr.dst);
  const src = parseEther(repr.src);
  if (!dst || !src) throw new Error(`bad MAC address in ${JSON.stringify(repr)}`);
  const len = Math.max(14 + payload.length, pad ? ETH_MIN_FRAME : 0);
  const out = new Uint8Array(len);
  out.set(dst, 0);
  out.set(src, 6);
  out[12] = repr.type >> 8;
  out[13] = repr.type & 0xff;
  out.set(payload, 14);
  return out;
}

/** Reads the header back into its plain representation (for round-trip tests and the simulator). */
export function parseEthernet(frame: Uint8Array): { repr: EthernetRepr; payload: Uint8Array } | undefined {
  if (frame.length < 14) return undefined;
  return {
    repr: {
      dst: etherToString(frame, 0),
      src: etherToString(frame, 6),
      type: (frame[12]! << 8) | frame[13]!,
    },
    payload: frame.subarray(14),
  };
}

tables.linktype.register(LINKTYPE.ETHERNET, eth);
