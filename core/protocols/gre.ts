// Generic Routing Encapsulation (RFC 2784, with RFC 2890's key and sequence number and RFC
// 1701's routing fields; RFC 2637 §4.1's "Enhanced GRE" for PPTP), IP protocol 47. The payload
// is dispatched by GRE's own protocol-type table (as Wireshark's `gre.proto`): IPv4, IPv6,
// bridged Ethernet (0x6558), ARP, ERSPAN (0x88be, 0x22eb) and Cisco MetaData (0x8909).
import type { Dissection } from '../dissect/dissection';
import { hex } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { DissectorTable, tables } from '../dissect/tables';
import { arp } from './arp';
import { addVerifiedChecksum, internetChecksum } from './checksum';
import { data } from './data';
import { ETHERTYPES, eth } from './eth';
import { ip } from './ip';
import { ipv6 } from './ipv6';
import { mayEncapsulate } from './tunnel';

export const IP_PROTO_GRE = 47;

const GRE_CHECKSUM = 0x8000;
const GRE_ROUTING = 0x4000;
const GRE_KEY = 0x2000;
export const GRE_SEQUENCE = 0x1000;
const GRE_STRICT_SOURCE = 0x0800;
const GRE_RECURSION = 0x0700;
const GRE_ACK = 0x0080;
const GRE_RESERVED_PPP = 0x0078;
const GRE_RESERVED = 0x00f8;
const GRE_VERSION = 0x0007;

const ETHERTYPE_PPP = 0x880b;
const ETHERTYPE_3GPP2 = 0x88d2;
const ETHERTYPE_CDMA2000_A10_UBS = 0x8881;
export const GRE_ERSPAN_88BE = 0x88be;
export const GRE_ERSPAN_22EB = 0x22eb;
const ETHERTYPE_CMD = 0x8909;

/** tshark 4.0's `gre_typevals` (the protocol types GRE knows by name). */
export const GRE_TYPES: Readonly<Record<number, string>> = {
  0x0000: 'Possible GRE keepalive packet',
  0x880b: 'PPP',
  0x0800: 'IP',
  0x00fe: 'OSI',
  0x883e: 'WCCP',
  0x0806: 'ARP',
  0x2001: 'NHRP',
  0x88be: 'ERSPAN',
  0x22eb: 'ERSPAN III',
  0x8137: 'IPX',
  0x6558: 'Transparent Ethernet bridging',
  0x6559: 'Frame Relay',
  0x86dd: 'IPv6',
  0x8847: 'MPLS label switched packet',
  0x8881: 'CDMA2000 A10 Unstructured byte stream',
  0x88d2: 'CDMA2000 A10 3GPP2 Packet',
  0x8909: 'CiscoMetaData',
  0x894f: 'Network Service Header',
  0x8200: 'ARUBA WLAN',
  0x9000: 'ARUBA WLAN',
};

const BOOL16 = { type: 'bool', bits: 16, tfs: ['Yes', 'No'] } as const;

export const gre = defineProtocol({
  abbrev: 'gre',
  name: 'Generic Routing Encapsulation',
  short: 'GRE',
  fields: {
    proto: { abbrev: 'gre.proto', name: 'Protocol Type', type: 'uint16', base: 'hex', vals: GRE_TYPES },
    flagsAndVersion: {
      abbrev: 'gre.flags_and_version',
      name: 'Flags and Version',
      type: 'uint16',
      base: 'hex',
    },
    flagChecksum: { abbrev: 'gre.flags.checksum', name: 'Checksum Bit', ...BOOL16, mask: GRE_CHECKSUM },
    flagRouting: { abbrev: 'gre.flags.routing', name: 'Routing Bit', ...BOOL16, mask: GRE_ROUTING },
    flagKey: { abbrev: 'gre.flags.key', name: 'Key Bit', ...BOOL16, mask: GRE_KEY },
    flagSequence: {
      abbrev: 'gre.flags.sequence_number',
      name: 'Sequence Number Bit',
      ...BOOL16,
      mask: GRE_SEQUENCE,
    },
    flagStrictSourceRoute: {
      abbrev: 'gre.flags.strict_source_route',
      name: 'Strict Source Route Bit',
      ...BOOL16,
      mask: GRE_STRICT_SOURCE,
    },
    recursionControl: {
      abbrev: 'gre.flags.recursion_control',
      name: 'Recursion control',
      type: 'uint16',
      mask: GRE_RECURSION,
    },
    flagAck: { abbrev: 'gre.flags.ack', name: 'Acknowledgment', ...BOOL16, mask: GRE_ACK },
    flagsReserved: {
      abbrev: 'gre.flags.reserved',
      name: 'Flags (Reserved)',
      type: 'uint16',
      mask: GRE_RESERVED,
    },
    flagsReservedPpp: {
      abbrev: 'gre.flags.reserved',
      name: 'Flags (Reserved)',
      type: 'uint16',
      mask: GRE_RESERVED_PPP,
    },
    version: {
      abbrev: 'gre.flags.version',
      name: 'Version',
      type: 'uint16',
      mask: GRE_VERSION,
      vals: { 0: 'GRE', 1: 'Enhanced GRE' },
    },
    checksum: { abbrev: 'gre.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
    checksumStatus: {
      abbrev: 'gre.checksum.status',
      name: 'Checksum Status',
      type: 'uint8',
      vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' },
    },
    offset: { abbrev: 'gre.offset', name: 'Offset', type: 'uint16' },
    key: { abbrev: 'gre.key', name: 'Key', type: 'uint32', base: 'hex' },
    keyPayloadLength: { abbrev: 'gre.key.payload_length', name: 'Payload Length', type: 'uint16' },
    keyCallId: { abbrev: 'gre.key.call_id', name: 'Call ID', type: 'uint16' },
    sequenceNumber: { abbrev: 'gre.sequence_number', name: 'Sequence Number', type: 'uint32' },
    ackNumber: { abbrev: 'gre.ack_number', name: 'Acknowledgment Number', type: 'uint32' },
    routing: { abbrev: 'gre.routing', name: 'Routing', type: 'none' },
    routingAddressFamily: { abbrev: 'gre.routing.address_family', name: 'Address Family', type: 'uint16' },
    routingSreOffset: { abbrev: 'gre.routing.sre_offset', name: 'SRE Offset', type: 'uint8' },
    routingSreLength: { abbrev: 'gre.routing.src_length', name: 'SRE Length', type: 'uint8' },
    routingInformation: { abbrev: 'gre.routing.information', name: 'Routing Information', type: 'bytes' },
  },
  dissect: dissectGre,
});

/** GRE's protocol-type table (Wireshark's "gre.proto" dissector table). */
export const greProto = new DissectorTable('gre.proto', 'GRE protocol type');

function typeName(type: number): string | undefined {
  return GRE_TYPES[type];
}

/** The flags and type of the GRE header whose payload is being decoded (for ERSPAN type I,
 * which only GRE's flags identify). */
const currentHeader = new WeakMap<Dissection, { flags: number; type: number }>();

export function greHeaderOf(p: Dissection): { flags: number; type: number } | undefined {
  return currentHeader.get(p);
}

/** A bound on RFC 1701 routing entries (each at least 4 bytes; the packet bounds them too). */
const MAX_SRES = 64;

function dissectGre(p: Dissection, start: number, end: number): void {
  const f = gre.f;
  const flags = p.u16(start);
  const type = p.u16(start + 2);
  const name = typeName(type);
  p.setInfo(`Encapsulated ${name ?? `0x${hex(type, 4).toUpperCase()} (unknown)`}`);
  // RFC 2637 §4.1: PPTP's enhanced header (version 1) replaces the key with length + call ID
  // and may carry an acknowledgment number.
  const isPpp =
    (type === ETHERTYPE_PPP && ((flags & GRE_VERSION) === 1 || (flags & GRE_ACK) !== 0)) ||
    type === ETHERTYPE_3GPP2 ||
    type === ETHERTYPE_CDMA2000_A10_UBS;
  const item = p.add(
    gre.field,
    start,
    Math.max(0, p.remaining(start)),
    undefined,
    `Generic Routing Encapsulation (${name ?? `0x${hex(type, 4).toUpperCase()} - unknown`})`,
  );
  p.open(item);
  const fv = p.add(f.flagsAndVersion, start, 2);
  p.open(fv);
  p.add(f.flagChecksum, start, 2);
  p.add(f.flagRouting, start, 2);
  p.add(f.flagKey, start, 2);
  p.add(f.flagSequence, start, 2);
  p.add(f.flagStrictSourceRoute, start, 2);
  p.add(f.recursionControl, start, 2);
  if (isPpp) {
    p.add(f.flagAck, start, 2);
    p.add(f.flagsReservedPpp, start, 2);
  } else {
    p.add(f.flagsReserved, start, 2);
  }
  p.add(f.version, start, 2);
  p.close(fv);
  p.add(
    f.proto,
    start + 2,
    2,
    undefined,
    p.tree ? `Protocol Type: ${name ?? 'Unknown'} (0x${hex(type, 4)})` : undefined,
  );
  let off = start + 4;
  if (flags & (GRE_CHECKSUM | GRE_ROUTING)) {
    addChecksum(p, start, end, off, (flags & GRE_CHECKSUM) !== 0);
    p.add(f.offset, off + 2, 2);
    off += 4;
  }
  if (flags & GRE_KEY) {
    if (isPpp && type !== ETHERTYPE_CDMA2000_A10_UBS) {
      p.add(f.keyPayloadLength, off, 2);
      p.add(f.keyCallId, off + 2, 2);
    } else {
      p.add(f.key, off, 4);
    }
    p.u32(off);
    off += 4;
  }
  if (flags & GRE_SEQUENCE) {
    p.add(f.sequenceNumber, off, 4);
    p.u32(off);
    off += 4;
  }
  if (isPpp && flags & GRE_ACK) {
    p.add(f.ackNumber, off, 4);
    p.u32(off);
    off += 4;
  }
  if (flags & GRE_ROUTING) {
    // RFC 1701 §2.2.1: source route entries until one with address family 0 and length 0.
    for (let n = 0; n < MAX_SRES; n++) {
      const af = p.u16(off);
      const sreLen = p.u8(off + 3);
      const r = p.add(f.routing, off, 4 + sreLen);
      p.close(r);
      p.add(f.routingAddressFamily, off, 2);
      p.add(f.routingSreOffset, off + 2, 1);
      p.add(f.routingSreLength, off + 3, 1);
      off += 4;
      if (af === 0 && sreLen === 0) break;
      p.add(f.routingInformation, off, sreLen);
      p.check(off, sreLen);
      off += sreLen;
    }
  }
  if (item) item.end = off;
  p.close(item);
  // Without the (RFC 1701) sequence bit a GRE packet may have no payload: keepalives.
  if (off >= end && !(flags & GRE_SEQUENCE)) return;
  if (!mayEncapsulate(p, off, end)) return;
  currentHeader.set(p, { flags, type });
  try {
    greProto.dispatchOrData(p, type, off, end, data);
  } finally {
    currentHeader.delete(p);
  }
}

/**
 * RFC 2784 §2.5: the checksum covers the GRE header and payload. Verified (as tshark does)
 * when the checksum bit is set and the whole packet was captured; with only the routing bit
 * the field is present but meaningless.
 */
function addChecksum(p: Dissection, start: number, end: number, at: number, present: boolean): void {
  const f = gre.f;
  const checksum = p.u16(at);
  const whole = end <= p.data.length && !(p.frame.origLen > p.frame.capLen && p.ds === 0);
  if (!present || !whole) {
    p.add(f.checksum, at, 2, undefined, `Checksum: 0x${hex(checksum, 4)} [unverified]`);
    p.addGenerated(f.checksumStatus, 2, 'Checksum Status: Unverified');
    return;
  }
  addVerifiedChecksum(p, gre.f, at, checksum, internetChecksum(p.data, start, end), 'GRE');
}

// ---- Cisco MetaData (Ethertype 0x8909): a Security Group Tag ahead of the payload ----

export const cmd = defineProtocol({
  abbrev: 'cmd',
  name: 'Cisco MetaData',
  short: 'CMD',
  fields: {
    type: { abbrev: 'cmd.type', name: 'Type', type: 'uint16', base: 'hex', vals: ETHERTYPES },
    version: { abbrev: 'cmd.version', name: 'Version', type: 'uint8' },
    length: { abbrev: 'cmd.length', name: 'Length', type: 'uint8' },
    options: { abbrev: 'cmd.options', name: 'Options', type: 'uint16', base: 'hex' },
    sgt: { abbrev: 'cmd.sgt', name: 'SGT', type: 'uint16' },
  },
  // After an Ethertype 0x8909 the payload's type comes last (version, length, options, SGT,
  // type); GRE puts it first (see cmdInGre).
  dissect: (p, start, end) => dissectCmd(p, start, end, false),
});

function dissectCmd(p: Dissection, start: number, end: number, typeFirst: boolean): void {
  const f = cmd.f;
  const typeAt = typeFirst ? start : start + 6;
  const fieldsAt = typeFirst ? start + 2 : start;
  const type = p.u16(typeAt);
  p.check(start, 8);
  p.setInfo('');
  const item = p.add(cmd.field, start, 8);
  p.open(item);
  p.add(
    f.type,
    typeAt,
    2,
    undefined,
    p.tree ? `Type: ${ETHERTYPES[type] ?? 'Unknown'} (0x${hex(type, 4)})` : undefined,
  );
  p.add(f.version, fieldsAt, 1);
  p.add(f.length, fieldsAt + 1, 1);
  p.add(f.options, fieldsAt + 2, 2);
  p.add(f.sgt, fieldsAt + 4, 2);
  p.close(item);
  if (start + 8 >= end) return;
  tables.ethertype.dispatchOrData(p, type, start + 8, end, data);
}

const cmdInGre = {
  abbrev: cmd.abbrev,
  short: cmd.short,
  field: cmd.field,
  dissect: (p: Dissection, start: number, end: number) => dissectCmd(p, start, end, true),
};

greProto.register(0x0800, ip);
greProto.register(0x86dd, ipv6);
greProto.register(0x6558, eth);
greProto.register(0x0806, arp);
greProto.register(ETHERTYPE_CMD, cmdInGre);
tables.ethertype.register(ETHERTYPE_CMD, cmd);
tables.ipProto.register(IP_PROTO_GRE, gre);
