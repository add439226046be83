// IEEE 802.1Q VLAN tags (ethertype 0x8100, and the pre-standard QinQ 0x9100) and IEEE 802.1ad
// provider (S-) tags (0x88a8). A tag is TCI(2) = PCP(3) DEI(1) VID(12), then the ethertype or,
// when 1500 or less, an 802.3 length followed by LLC (IEEE 802.1Q-2018 §9.6). Tags stack: each
// tag dispatches the next ethertype, so QinQ decodes as 802.1ad → 802.1Q → payload.
// Like Wireshark's ethertype dissector, the innermost tag shows what follows the payload as
// Ethernet padding (up to the 60-byte minimum frame) and its own trailer.
import type { Dissection, TreeNode } from '../dissect/dissection';
import type { Field } from '../dissect/fields';
import { hex } from '../dissect/format';
import { defineProtocol, protocols } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { data } from './data';
import { ETHERTYPES, eth } from './eth';

export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_QINQ_OLD = 0x9100;

const ETH_MIN_FRAME = 60;

/** Ethertype names for tags and cooked headers: eth.ts's table plus the IEEE 802 local
 * experimental types (IEEE Std 802-2014 §9.2.4), which test and lab traffic uses. */
export const TAG_ETHERTYPES: Readonly<Record<number, string>> = {
  ...ETHERTYPES,
  0x88b5: 'Local Experimental Ethertype 1',
  0x88b6: 'Local Experimental Ethertype 2',
};

/** 802.1D-2004 Table G-2 traffic types for each priority code point. */
const PRIORITIES: Readonly<Record<number, string>> = {
  0: 'Best Effort (default)',
  1: 'Background',
  2: 'Excellent Effort',
  3: 'Critical Applications',
  4: 'Video, < 100ms latency and jitter',
  5: 'Voice, < 10ms latency and jitter',
  6: 'Internetwork Control',
  7: 'Network Control',
};

export const vlan = defineProtocol({
  abbrev: 'vlan',
  name: '802.1Q Virtual LAN',
  short: 'VLAN',
  fields: {
    priority: {
      abbrev: 'vlan.priority',
      name: 'Priority',
      type: 'uint16',
      base: 'dec',
      mask: 0xe000,
      vals: PRIORITIES,
    },
    dei: {
      abbrev: 'vlan.dei',
      name: 'DEI',
      type: 'bool',
      bits: 16,
      mask: 0x1000,
      tfs: ['Eligible', 'Ineligible'],
    },
    id: { abbrev: 'vlan.id', name: 'ID', type: 'uint16', base: 'dec', mask: 0x0fff },
    etype: { abbrev: 'vlan.etype', name: 'Type', type: 'uint16', base: 'hex', vals: TAG_ETHERTYPES },
    len: { abbrev: 'vlan.len', name: 'Length', type: 'uint16', base: 'dec' },
    trailer: { abbrev: 'vlan.trailer', name: 'Trailer', type: 'bytes' },
  },
  dissect: (p, start, end) => dissectTag(p, start, end, false),
});

export const ieee8021ad = defineProtocol({
  abbrev: 'ieee8021ad',
  name: 'IEEE 802.1ad',
  short: '802.1ad',
  fields: {
    priority: { abbrev: 'ieee8021ad.priority', name: 'Priority', type: 'uint16', base: 'dec', mask: 0xe000 },
    dei: { abbrev: 'ieee8021ad.dei', name: 'DEI', type: 'uint16', base: 'dec', mask: 0x1000 },
    id: { abbrev: 'ieee8021ad.id', name: 'ID', type: 'uint16', base: 'dec', mask: 0x0fff },
    // packet-ieee8021ah.c reuses its 802.1ah fields for the S-tag's type and trailer.
    etype: { abbrev: 'ieee8021ah.etype', name: 'Type', type: 'uint16', base: 'hex', vals: TAG_ETHERTYPES },
    trailer: { abbrev: 'ieee8021ah.trailer', name: 'Trailer', type: 'bytes' },
  },
  dissect: (p, start, end) => dissectTag(p, start, end, true),
});

function dissectTag(p: Dissection, start: number, end: number, provider: boolean): void {
  const tci = p.u16(start);
  const typeOrLen = p.u16(start + 2);
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const vid = tci & 0x0fff;
  if (p.columns) {
    // packet-vlan.c / packet-ieee8021ah.c: the tag's summary until an upper layer replaces it.
    p.cols.info = provider ? `PRI: ${pri}  DROP: ${dei} ID: ${vid}` : `PRI: ${pri}  DEI: ${dei}  ID: ${vid}`;
  }
  const proto = provider ? ieee8021ad : vlan;
  const label = provider
    ? `IEEE 802.1ad, ID: ${vid}`
    : `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${vid}`;
  const item = p.add(proto.field, start, 4, undefined, label);
  p.open(item);
  p.add(proto.f.priority, start, 2);
  p.add(proto.f.dei, start, 2);
  p.add(proto.f.id, start, 2);

  let payloadEnd: number;
  if (typeOrLen <= 1500) {
    // An 802.3 length: it bounds the LLC payload; the rest is padding/trailer.
    p.add(vlan.f.len, start + 2, 2);
    p.close(item);
    const claimed = Math.min(end, start + 4 + typeOrLen);
    if (start + 4 + typeOrLen > end) {
      p.issue(
        'malformed',
        'error',
        `Length field value goes past the end of the payload`,
        start + 2,
        start + 4,
      );
    }
    p.call(protocols.get('llc') ?? data, start + 4, claimed);
    // After an 802.3 length Wireshark shows everything left as the tag's trailer, no padding.
    addEthernetTrailer(p, claimed, Math.min(end, p.data.length), item, proto.f.trailer, 0);
    return;
  } else {
    p.add(proto.f.etype, start + 2, 2);
    p.close(item);
    p.protocols.push('ethertype');
    payloadEnd = tables.ethertype.dispatch(p, typeOrLen, start + 4, end);
    if (payloadEnd < 0) {
      unknownEthertypeColumns(p, typeOrLen);
      payloadEnd = p.call(data, start + 4, end);
    }
  }
  addEthernetTrailer(p, payloadEnd, Math.min(end, p.data.length), item, proto.f.trailer);
}

/**
 * What follows a payload in an Ethernet-like frame, as Wireshark's add_ethernet_trailer shows
 * it: padding up to the 60-byte minimum frame (counted from the start of the captured frame,
 * whatever the link header), then the rest as `trailer` (the caller's trailer field).
 */
export function addEthernetTrailer(
  p: Dissection,
  payloadEnd: number,
  end: number,
  item: TreeNode | undefined,
  trailer: Field,
  padTo = ETH_MIN_FRAME,
): void {
  if (payloadEnd >= end) return;
  p.open(item);
  // Padding exists only in frames of at least the minimum size, and only as zero bytes
  // (Wireshark's default "zeros" padding rule); anything else is all trailer.
  let padEnd = payloadEnd;
  if (p.ds === 0 && end >= padTo && padTo > payloadEnd) {
    padEnd = padTo;
    for (let i = payloadEnd; i < padTo; i++) {
      if (p.data[i] !== 0) {
        padEnd = payloadEnd;
        break;
      }
    }
  }
  if (padEnd > payloadEnd) p.add(eth.f.padding, payloadEnd, padEnd - payloadEnd);
  if (end > padEnd) p.add(trailer, padEnd, end - padEnd);
  p.close(item);
}

/** Columns for an ethertype nobody decodes (Wireshark's ethertype dissector falling back to data). */
export function unknownEthertypeColumns(p: Dissection, type: number): void {
  if (!p.columns) return;
  p.cols.protocol = `0x${hex(type, 4)}`;
  p.cols.info = TAG_ETHERTYPES[type] ?? `Ethertype 0x${hex(type, 4)}`;
}

tables.ethertype.register(ETHERTYPE_VLAN, vlan);
tables.ethertype.register(ETHERTYPE_QINQ_OLD, vlan);
tables.ethertype.register(ETHERTYPE_QINQ, ieee8021ad);

// ---- encoding ----

/** Plain representation of one 802.1Q tag (the caller puts 0x8100 in the outer type). */
export interface VlanRepr {
  /** Priority code point, 0..7 (default 0). */
  priority?: number;
  /** Drop eligible indicator (default false). */
  dei?: boolean;
  /** VLAN identifier, 0..4095. */
  vid: number;
  /** Ethertype of the payload (or an 802.3 length). */
  type: number;
}

/** The 4-byte tag followed by the payload. */
export function encodeVlan(repr: VlanRepr, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  const tci = (((repr.priority ?? 0) & 7) << 13) | ((repr.dei ? 1 : 0) << 12) | (repr.vid & 0x0fff);
  out[0] = tci >> 8;
  out[1] = tci & 0xff;
  out[2] = (repr.type >> 8) & 0xff;
  out[3] = repr.type & 0xff;
  out.set(payload, 4);
  return out;
}

/** Reads a tag back (undefined when shorter than 4 bytes). */
export function parseVlan(bytes: Uint8Array): { repr: VlanRepr; payload: Uint8Array } | undefined {
  if (bytes.length < 4) return undefined;
  const tci = (bytes[0]! << 8) | bytes[1]!;
  return {
    repr: {
      priority: tci >> 13,
      dei: ((tci >> 12) & 1) === 1,
      vid: tci & 0x0fff,
      type: (bytes[2]! << 8) | bytes[3]!,
    },
    payload: bytes.subarray(4),
  };
}
