// OSPFv2 opaque LSA bodies (RFC 5250) as tshark 4.0 decodes them: Traffic Engineering (opaque
// type 1, RFC 3630: Router Address and Link TLVs, the Link sub-TLVs and the GMPLS ones of
// RFC 4203), grace-LSA (type 3, RFC 3623) and Router Information (type 4, RFC 7770, with the
// Segment Routing TLVs of RFC 8665), and the Extended Prefix and Extended Link LSAs (types 7
// and 8, RFC 7684) with their Prefix-SID and Adj-SID sub-TLVs (RFC 8665 §5–6). Other opaque
// types keep only their LSA header; unknown TLVs show their type, length and value.
import { latin1, type Dissection } from '../dissect/dissection';
import { registerFields } from '../dissect/fields';
import { hex, ipv4ToString } from '../dissect/format';
import { addBitmask, flagNames, ospf, put, ROUTER_LINK_SHORT, ROUTER_LINK_TYPES } from './ospf';
import { addReserved, V3 } from './ospf-v3';

const OPAQUE_TYPES: Readonly<Record<number, string>> = {
  1: 'Traffic Engineering LSA',
  2: 'Sycamore Optical Topology Descriptions',
  3: 'grace-LSA',
  4: 'Router Information (RI)',
  5: 'L1VPN LSA',
  6: 'Inter-AS-TE-v2 LSA',
  7: 'OSPFv2 Extended Prefix Opaque LSA',
  8: 'OSPFv2 Extended Link Opaque LSA',
  9: 'TTZ LSA',
};
const TE_LINK_TYPES: Readonly<Record<number, string>> = { 1: 'Point-to-point', 2: 'Multi-access' };
/** RFC 3630 §2.5 and RFC 4203 §1: the Link TLV's sub-TLVs. */
const TE_LINK_SUBTLVS: Readonly<Record<number, string>> = {
  1: 'Link Type',
  2: 'Link ID',
  3: 'Local Interface IP Address',
  4: 'Remote Interface IP Address',
  5: 'Traffic Engineering Metric',
  6: 'Maximum Bandwidth',
  7: 'Maximum Reservable Bandwidth',
  8: 'Unreserved Bandwidth',
  9: 'Resource Class/Color',
  11: 'Link Local/Remote Identifiers',
  14: 'Link Protection Type',
  15: 'Interface Switching Capability Descriptor',
  16: 'Shared Risk Link Group',
};
/** RFC 4203 §1.4 / RFC 3471 §3.1.1. */
const SWITCHING_TYPES: Readonly<Record<number, string>> = {
  1: 'Packet-Switch Capable-1 (PSC-1)',
  2: 'Packet-Switch Capable-2 (PSC-2)',
  3: 'Packet-Switch Capable-3 (PSC-3)',
  4: 'Packet-Switch Capable-4 (PSC-4)',
  51: 'Layer-2 Switch Capable (L2SC)',
  100: 'Time-Division-Multiplex Capable (TDM)',
  150: 'Lambda-Switch Capable (LSC)',
  200: 'Fiber-Switch Capable (FSC)',
};
const LSP_ENCODINGS: Readonly<Record<number, string>> = {
  1: 'Packet',
  2: 'Ethernet',
  3: 'ANSI/ETSI PDH',
  5: 'SDH ITU-T G.707 / SONET ANSI T1.105',
  7: 'Digital Wrapper',
  8: 'Lambda (photonic)',
  9: 'Fiber',
  11: 'FiberChannel',
  12: 'G.709 ODUk (Digital Path)',
  13: 'G.709 Optical Channel',
};
const GRACE_TLVS: Readonly<Record<number, string>> = {
  1: 'grace-LSA Grace Period',
  2: 'grace-LSA Restart Reason',
  3: 'grace-LSA Restart IP',
};
const RESTART_REASONS: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Software Restart',
  2: 'Software Reload/Upgrade',
  3: 'Processor Switchover',
};
/** IANA "OSPF Router Information (RI) TLVs", spelled as tshark 4.0 does (trailing spaces too). */
const RI_TLVS: Readonly<Record<number, string>> = {
  1: 'Router Informational Capabilities',
  2: 'Router Functional Capabilities',
  3: 'TE-MESH-GROUP TLV (IPv4)',
  4: 'TE-MESH-GROUP TLV (IPv6)',
  5: 'TE Node Capability Descriptor',
  6: 'PCED',
  7: 'OSPF Dynamic Hostname',
  8: 'SR-Algorithm ',
  9: 'SID/Label Range',
  10: 'Node Admin Tag ',
  11: 'S-BFD Discriminator',
  12: 'Node MSD',
  14: 'SR Local Block',
  15: 'SRMS Preference',
  16: 'Flexible Algorithm Definition',
};
const SR_ALGORITHMS: Readonly<Record<number, string>> = {
  0: 'Shortest Path First',
  1: 'Strict Shortest Path First',
};
const RI_OPTION_NAMES: readonly [number, string][] = [
  [0x80, '(GRC) Graceful Restart'],
  [0x40, '(GRH) Graceful Restart Helper'],
  [0x20, 'Stub Router Support'],
  [0x10, '(TES) Traffic Engineering'],
  [0x08, '(P2PLAN) Point-to-point over LAN'],
  [0x04, '(ETE) Experimental TE'],
  [0x01, 'Host Router'],
];

const MSD_TYPES: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Base MPLS Imposition',
  41: 'Maximum Segments Left',
  42: 'Maximum End Pop',
  43: 'Maximum T.Insert',
  44: 'Maximum T.Encaps',
  45: 'Maximum End D',
};
/** RFC 7684 §3.1 and the IANA "OSPFv2 Extended Link TLV Sub-TLVs" registry. */
const EXT_LINK_SUBTLVS: Readonly<Record<number, string>> = {
  1: 'SID/Label',
  2: 'Adj-SID',
  3: 'LAN Adj-SID',
  6: 'Link MSD',
  7: 'Graceful Link Shutdown',
  8: 'Remote IPv4 Address',
  9: 'Local/Remote Interface ID',
  10: 'Application-Specific Link Attributes',
  12: 'Unidirectional Link Delay',
  13: 'Min/Max Unidirectional Link Delay',
  14: 'Unidirectional Delay Variation',
  19: 'Administrative Group',
  20: 'Extended Administrative Group',
  22: 'TE Metric',
};
/** RFC 7684 §2.1. */
const ROUTE_TYPES: Readonly<Record<number, string>> = {
  0: 'Unspecified',
  1: 'Intra-Area',
  3: 'Inter-Area',
  5: 'AS-External',
  7: 'NSSA-External',
};
const ADJ_SID_FLAG_NAMES: readonly [number, string][] = [
  [0x80, '(B) Backup Flag'],
  [0x40, '(V) Value/Index Flag'],
  [0x20, '(L) Local/Global Flag'],
  [0x10, '(G) Group Flag'],
  [0x08, '(P) Persistent Flag'],
];
const EXT_PREFIX_FLAG_NAMES: readonly [number, string][] = [
  [0x80, '(A) Attach Flag'],
  [0x40, '(N) Node Flag'],
];
const PREFIX_SID_FLAG_NAMES: readonly [number, string][] = [
  [0x40, '(NP) No-PHP Flag'],
  [0x20, '(M) Mapping Server Flag'],
  [0x10, '(E) Explicit-Null Flag'],
  [0x08, '(V) Value/Index Flag'],
  [0x04, '(L) Local/Global Flag'],
];

export const OPAQUE_FIELDS = registerFields({
  isOpaque: { abbrev: 'ospf.lsa.opaque', name: 'Opaque LSA', type: 'bool' },
  opaqueType: {
    abbrev: 'ospf.lsid_opaque_type',
    name: 'Link State ID Opaque Type',
    type: 'uint8',
    vals: OPAQUE_TYPES,
  },
  opaqueId: { abbrev: 'ospf.lsid.opaque_id', name: 'Link State ID Opaque ID', type: 'uint24' },
  teReserved: { abbrev: 'ospf.lsid_te_lsa.reserved', name: 'Link State ID TE-LSA Reserved', type: 'uint8' },
  teInstance: { abbrev: 'ospf.lsid_te_lsa.instance', name: 'Link State ID TE-LSA Instance', type: 'uint16' },
  isMpls: { abbrev: 'ospf.lsa.mpls', name: 'MPLS Traffic Engineering LSA', type: 'bool' },
  tlvType: { abbrev: 'ospf.tlv_type', name: 'TLV Type', type: 'uint16' },
  tlvLength: { abbrev: 'ospf.tlv_length', name: 'TLV Length', type: 'uint16' },
  tlvValue: { abbrev: 'ospf.tlv_value', name: 'TLV Value', type: 'bytes' },
  routerId: { abbrev: 'ospf.mpls.routerid', name: 'MPLS/TE Router ID', type: 'ipv4' },
  linkType: { abbrev: 'ospf.mpls.linktype', name: 'MPLS/TE Link Type', type: 'uint8', vals: TE_LINK_TYPES },
  linkId: { abbrev: 'ospf.mpls.linkid', name: 'MPLS/TE Link ID', type: 'ipv4' },
  localAddr: { abbrev: 'ospf.mpls.local_addr', name: 'MPLS/TE Local Interface Address', type: 'ipv4' },
  remoteAddr: { abbrev: 'ospf.mpls.remote_addr', name: 'MPLS/TE Remote Interface Address', type: 'ipv4' },
  teMetric: { abbrev: 'ospf.mpls.te_metric', name: 'MPLS/TE Metric', type: 'uint32' },
  localId: { abbrev: 'ospf.mpls.local_id', name: 'MPLS/TE Local Interface Index', type: 'uint32' },
  remoteId: { abbrev: 'ospf.mpls.remote_id', name: 'MPLS/TE Remote Interface Index', type: 'uint32' },
  linkColor: {
    abbrev: 'ospf.mpls.linkcolor',
    name: 'MPLS/TE Link Resource Class/Color',
    type: 'uint32',
    base: 'hex',
  },
  maxBandwidth: { abbrev: 'ospf.mpls.link_max_bw', name: 'Link Max BW', type: 'float' },
  priBandwidth: { abbrev: 'ospf.mpls.pri', name: 'Pri (or TE-Class)', type: 'float' },
  switchingType: {
    abbrev: 'ospf.mpls.switching_type',
    name: 'Switching Type',
    type: 'uint8',
    vals: SWITCHING_TYPES,
  },
  encoding: { abbrev: 'ospf.mpls.encoding', name: 'Encoding', type: 'uint8', vals: LSP_ENCODINGS },
  minLspBandwidth: {
    abbrev: 'ospf.mpls.minimum_lsp_bandwidth',
    name: 'Minimum LSP bandwidth',
    type: 'float',
  },
  interfaceMtu: { abbrev: 'ospf.mpls.interface_mtu', name: 'Interface MTU', type: 'uint16' },
  srlg: { abbrev: 'ospf.mpls.shared_risk_link_group', name: 'Shared Risk Link Group', type: 'uint32' },
  grace: { abbrev: 'ospf.v2.grace', name: 'Grace TLV', type: 'none' },
  gracePeriod: { abbrev: 'ospf.v2.grace.period', name: 'Grace Period', type: 'uint32' },
  graceReason: {
    abbrev: 'ospf.v2.grace.reason',
    name: 'Restart Reason',
    type: 'uint8',
    vals: RESTART_REASONS,
  },
  graceIp: { abbrev: 'ospf.v2.grace.ip', name: 'Restart IP', type: 'ipv4' },
  padBytes: { abbrev: 'ospf.pad_bytes', name: 'Pad Bytes', type: 'bytes' },
  riTlvType: { abbrev: 'ospf.tlv_type.opaque', name: 'TLV Type', type: 'uint16', vals: RI_TLVS },
  riOptions: { abbrev: 'ospf.ri.options', name: 'RI Options', type: 'uint8', base: 'hex' },
  riGrc: {
    abbrev: 'ospf.ri.options.grc',
    name: '(GRC) Graceful Restart',
    type: 'bool',
    mask: 0x80,
    tfs: ['Capable', 'Not capable'],
  },
  riGrh: {
    abbrev: 'ospf.ri.options.grh',
    name: '(GRH) Graceful Restart Helper',
    type: 'bool',
    mask: 0x40,
    tfs: ['Enabled', 'Disabled'],
  },
  riSrs: {
    abbrev: 'ospf.ri.options.srs',
    name: 'Stub Router Support',
    type: 'bool',
    mask: 0x20,
    tfs: ['Yes', 'No'],
  },
  riTes: {
    abbrev: 'ospf.ri.options.tes',
    name: '(TES) Traffic Engineering',
    type: 'bool',
    mask: 0x10,
    tfs: ['Supported', 'Not supported'],
  },
  riP2pLan: {
    abbrev: 'ospf.ri.options.p2plan',
    name: '(P2PLAN) Point-to-point over LAN',
    type: 'bool',
    mask: 0x08,
    tfs: ['Capable', 'Not capable'],
  },
  riEte: {
    abbrev: 'ospf.ri.options.ete',
    name: '(ETE) Experimental TE',
    type: 'bool',
    mask: 0x04,
    tfs: ['Capable', 'Not capable'],
  },
  riHost: {
    abbrev: 'ospf.ri.options.host',
    name: 'Host Router',
    type: 'bool',
    mask: 0x01,
    tfs: ['Capable', 'Not capable'],
  },
  hostname: { abbrev: 'ospf.dynhostname', name: 'Dynamic Hostname', type: 'string' },
  srAlgorithm: { abbrev: 'ospf.lsa_sa', name: 'SR-Algorithm', type: 'uint8', vals: SR_ALGORITHMS },
  rangeSize: { abbrev: 'ospf.tlv.range_size', name: 'Range Size', type: 'uint24' },
  sidLabelType: { abbrev: 'ospf.tlv.sidlabel_range.type', name: 'TLV Type', type: 'uint16' },
  sidLabel: { abbrev: 'ospf.tlv.sid_label', name: 'SID/Label', type: 'uint32' },
  preference: { abbrev: 'ospf.tlv.preference', name: 'Preference', type: 'uint24' },
  unknownTlv: { abbrev: 'ospf.tlv.unknown', name: 'Unknown TLV', type: 'bytes' },
  group: { abbrev: 'ospf.mpls.group', name: 'MPLS/TE Group', type: 'uint32', base: 'hex' },
  msdType: { abbrev: 'ospf.tlv.igp_msd_type', name: 'MSD Type', type: 'uint8', vals: MSD_TYPES },
  msdValue: { abbrev: 'ospf.tlv.igp_msd_value', name: 'MSD Value', type: 'uint8' },
  extLinkTlvType: {
    abbrev: 'ospf.tlv.extlink.tlv_type',
    name: 'TLV Type',
    type: 'uint16',
    vals: { 1: 'OSPFv2 Extended Link' },
  },
  extLinkSubType: {
    abbrev: 'ospf.tlv.extlink.subtlv_type',
    name: 'TLV Type',
    type: 'uint16',
    vals: EXT_LINK_SUBTLVS,
  },
  mtId: { abbrev: 'ospf.tlv.extlink.mt_id', name: 'Multi-Topology ID', type: 'uint8' },
  weight: { abbrev: 'ospf.tlv.extlink.weight', name: 'Weight', type: 'uint8' },
  neighborId: { abbrev: 'ospf.tlv.extlink.nbr', name: 'Neighbor ID', type: 'ipv4' },
  adjSidFlags: { abbrev: 'ospf.tlv.adjsid.flags', name: 'Flags', type: 'uint8', base: 'hex' },
  adjSidB: { abbrev: 'ospf.tlv.adjsid.flags.b', name: '(B) Backup Flag', type: 'bool', mask: 0x80 },
  adjSidV: { abbrev: 'ospf.tlv.adjsid.flags.v', name: '(V) Value/Index Flag', type: 'bool', mask: 0x40 },
  adjSidG: { abbrev: 'ospf.tlv.adjsid.flags.g', name: '(G) Group Flag', type: 'bool', mask: 0x10 },
  adjSidP: { abbrev: 'ospf.tlv.adjsid.flags.p', name: '(P) Persistent Flag', type: 'bool', mask: 0x08 },
  extPrefixTlvType: {
    abbrev: 'ospf.tlv.extpfx.tlv_type',
    name: 'TLV Type',
    type: 'uint16',
    vals: { 1: 'OSPFv2 Extended Prefix', 2: 'OSPFv2 Extended Prefix Range' },
  },
  extPrefixSubType: {
    abbrev: 'ospf.tlv.extpfx.subtlv_type',
    name: 'TLV Type',
    type: 'uint16',
    vals: { 1: 'SID/Label', 2: 'Prefix SID' },
  },
  routeType: { abbrev: 'ospf.tlv.extpfx.rotuetype', name: 'Route Type', type: 'uint16', vals: ROUTE_TYPES },
  addressFamily: {
    abbrev: 'ospf.tlv.extpfx.af',
    name: 'Address Family',
    type: 'uint8',
    vals: { 0: 'IPv4 Unicast' },
  },
  extPrefixFlags: { abbrev: 'ospf.tlv.extpfx.flags', name: 'Flags', type: 'uint8', base: 'hex' },
  extPrefixA: { abbrev: 'ospf.tlv.extpfx.flags.a', name: '(A) Attach Flag', type: 'bool', mask: 0x80 },
  extPrefixN: { abbrev: 'ospf.tlv.extpfx.flags.n', name: '(N) Node Flag', type: 'bool', mask: 0x40 },
  prefixSidFlags: { abbrev: 'ospf.tlv.pfxsid.flags', name: 'Flags', type: 'uint8', base: 'hex' },
  prefixSidNp: { abbrev: 'ospf.tlv.pfxsid.flags.np', name: '(NP) No-PHP Flag', type: 'bool', mask: 0x40 },
  prefixSidM: {
    abbrev: 'ospf.tlv.pfxsid.flags.m',
    name: '(M) Mapping Server Flag',
    type: 'bool',
    mask: 0x20,
  },
  prefixSidE: { abbrev: 'ospf.tlv.pfxsid.flags.e', name: '(E) Explicit-Null Flag', type: 'bool', mask: 0x10 },
  prefixSidV: { abbrev: 'ospf.tlv.pfxsid.flags.v', name: '(V) Value/Index Flag', type: 'bool', mask: 0x08 },
  prefixSidL: { abbrev: 'ospf.tlv.pfxsid.flags.l', name: '(L) Local/Global Flag', type: 'bool', mask: 0x04 },
  addressPrefixV4: { abbrev: 'ospf.v3.address_prefix.ipv4', name: 'Address Prefix', type: 'ipv4' },
});
const O = OPAQUE_FIELDS;

/** TLVs are padded to 32-bit words (RFC 3630 §2.3.2, RFC 7770 §2). */
const padded = (len: number): number => (len + 3) & ~3;

/** One TLV of a walk: where it starts, its type and length, and where its value lies. */
interface Tlv {
  at: number;
  type: number;
  len: number;
  value: number;
  /** The value's end, cut at the walk's end. */
  valueEnd: number;
}

/**
 * The TLVs from `at` to `end`, each padded to 32 bits (RFC 3630 §2.3.2). A bounded walk: every
 * step moves on at least 4 bytes.
 */
function* tlvs(p: Dissection, at: number, end: number): Generator<Tlv> {
  while (at + 4 <= end) {
    const type = p.u16(at);
    const len = p.u16(at + 2);
    yield { at, type, len, value: at + 4, valueEnd: Math.min(at + 4 + len, end) };
    at += 4 + padded(len);
  }
}

/** The body of an opaque LSA of `kind` (its Opaque Type) over [at, end). */
export function dissectOpaqueLsa(p: Dissection, kind: number, at: number, end: number): void {
  // Walked on the fast path too (items are no-ops there), so a truncated TLV marks the packet
  // as it does with a tree.
  if (at >= end) return;
  if (kind === 1) dissectTe(p, at, end);
  else if (kind === 3) dissectGrace(p, at, end);
  else if (kind === 4) dissectRouterInformation(p, at, end);
  else if (kind === 7) dissectExtendedPrefix(p, at, end);
  else if (kind === 8) dissectExtendedLink(p, at, end);
}

/** A TLV's type and length items, with the type labelled by `typeLabel`. */
function addTypeLength(p: Dissection, at: number, type: number, len: number, typeLabel: string): void {
  put(p, O.tlvType, at, 2, type, p.tree ? `TLV Type: ${typeLabel}` : undefined);
  put(p, O.tlvLength, at + 2, 2, len);
}

// ---- Traffic Engineering (RFC 3630) ----

function dissectTe(p: Dissection, at: number, end: number): void {
  const top = p.tree ? p.addText('MPLS Traffic Engineering LSA', at, end - at) : undefined;
  p.open(top);
  for (const { at: tlv, type, len, valueEnd } of tlvs(p, at, end)) {
    if (type === 1) {
      const item = p.tree
        ? p.addText(`Router Address: ${ipv4ToString(p.u32(tlv + 4))}`, tlv, valueEnd - tlv)
        : undefined;
      p.open(item);
      addTypeLength(p, tlv, type, len, '1 - Router Address');
      put(p, O.routerId, tlv + 4, 4);
      p.close(item);
    } else if (type === 2) {
      const item = p.tree ? p.addText('Link Information', tlv, valueEnd - tlv) : undefined;
      p.open(item);
      addTypeLength(p, tlv, type, len, '2 - Link Information');
      dissectTeLinkSubTlvs(p, tlv + 4, valueEnd);
      p.close(item);
    } else {
      const item = p.tree ? p.addText(`Unknown LSA: ${type}`, tlv, valueEnd - tlv) : undefined;
      p.open(item);
      addTypeLength(p, tlv, type, len, `${type} - Unknown`);
      if (valueEnd > tlv + 4) put(p, O.tlvValue, tlv + 4, valueEnd - tlv - 4);
      p.close(item);
    }
  }
  p.close(top);
  if (p.wanted !== null && p.wanted[O.isMpls.id] === 1) put(p, O.isMpls, at, 2, true);
}

function dissectTeLinkSubTlvs(p: Dissection, at: number, end: number): void {
  for (const { at: sub, type, len, value, valueEnd } of tlvs(p, at, end)) {
    const name = TE_LINK_SUBTLVS[type];
    const item = p.tree ? p.addText(teSubTlvLabel(p, type, len, value), sub, valueEnd - sub) : undefined;
    p.open(item);
    addTypeLength(p, sub, type, len, name ? `${type}: ${name}` : `${type}: Unknown`);
    switch (type) {
      case 1: {
        const v = p.u8(value);
        put(p, O.linkType, value, 1, v);
        break;
      }
      case 2:
        put(p, O.linkId, value, 4);
        break;
      case 3:
      case 4:
        p.check(value, 4); // the first address, which the label shows
        for (let a = value; a + 4 <= valueEnd; a += 4) put(p, type === 3 ? O.localAddr : O.remoteAddr, a, 4);
        break;
      case 5: {
        const v = p.u32(value);
        put(p, O.teMetric, value, 4, v, p.tree ? `Traffic Engineering Metric: ${v}` : undefined);
        break;
      }
      case 6:
      case 7: {
        const v = float32(p, value);
        put(p, O.maxBandwidth, value, 4, v, p.tree ? `${name}: ${bandwidth(v)}` : undefined);
        break;
      }
      case 8:
        for (let i = 0; i < 8 && value + 4 * i + 4 <= valueEnd; i++) {
          const v = float32(p, value + 4 * i);
          put(
            p,
            O.priBandwidth,
            value + 4 * i,
            4,
            v,
            p.tree ? `Pri (or TE-Class) ${i}: ${bandwidth(v)}` : undefined,
          );
        }
        break;
      case 9: {
        // tshark lists each administrative group whose bit is set (RFC 3630 §2.5.9).
        const color = p.u32(value);
        const node = put(p, O.linkColor, value, 4, color);
        p.open(node);
        for (let g = 0; g < 32; g++)
          if (color & (2 ** g)) put(p, O.group, value, 4, 2 ** g, p.tree ? `Group ${g}` : undefined);
        p.close(node);
        break;
      }
      case 11:
        put(p, O.localId, value, 4);
        put(p, O.remoteId, value + 4, 4);
        break;
      case 15:
        dissectIscd(p, value, valueEnd);
        break;
      case 16:
        for (let a = value; a + 4 <= valueEnd; a += 4) put(p, O.srlg, a, 4);
        break;
      default:
        if (valueEnd > value) put(p, O.tlvValue, value, valueEnd - value);
    }
    p.close(item);
  }
}

function teSubTlvLabel(p: Dissection, type: number, len: number, value: number): string {
  const name = TE_LINK_SUBTLVS[type];
  if (!name) return `Unknown Link sub-TLV: ${type}`;
  if (len < 1) return name;
  switch (type) {
    case 1: {
      const v = p.u8(value);
      return `${name}: ${v} - ${TE_LINK_TYPES[v] ?? 'Unknown'}`;
    }
    case 2:
    case 3:
    case 4:
      return `${name}: ${ipv4ToString(p.u32(value))}`;
    case 5:
      return `${name}: ${p.u32(value)}`;
    case 6:
    case 7:
      return `${name}: ${bandwidth(float32(p, value))}`;
    case 9:
      return `${name}: 0x${hex(p.u32(value), 8)}`;
    default:
      return name;
  }
}

/** Interface Switching Capability Descriptor (RFC 4203 §1.4). */
function dissectIscd(p: Dissection, at: number, end: number): void {
  const switching = p.u8(at);
  put(p, O.switchingType, at, 1, switching);
  put(p, O.encoding, at + 1, 1);
  for (let i = 0; i < 8; i++) {
    const v = float32(p, at + 4 + 4 * i);
    put(p, O.priBandwidth, at + 4 + 4 * i, 4, v, p.tree ? `Pri ${i}: ${bandwidth(v)}` : undefined);
  }
  // Packet-switch capable: Minimum LSP Bandwidth and Interface MTU follow.
  if (switching >= 1 && switching <= 4 && at + 42 <= end) {
    const v = float32(p, at + 36);
    put(p, O.minLspBandwidth, at + 36, 4, v, p.tree ? `Minimum LSP bandwidth: ${bandwidth(v)}` : undefined);
    put(p, O.interfaceMtu, at + 40, 2);
  }
}

const FLOAT = new DataView(new ArrayBuffer(4));

/** An IEEE 754 single-precision value (RFC 3630 §2.5.6: bandwidths in bytes per second). */
function float32(p: Dissection, at: number): number {
  FLOAT.setUint32(0, p.u32(at));
  return FLOAT.getFloat32(0);
}

/** tshark: "77760000 bytes/s (622080000 bits/s)". */
function bandwidth(v: number): string {
  return `${shortNumber(v)} bytes/s (${(v * 8).toFixed(0)} bits/s)`;
}

function shortNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10)));
}

// ---- grace-LSA (RFC 3623 Appendix A) ----

function dissectGrace(p: Dissection, at: number, end: number): void {
  for (const { at: tlv, type, len, value } of tlvs(p, at, end)) {
    const size = 4 + padded(len);
    let label = 'Unknown grace-LSA TLV';
    if (p.tree) {
      if (type === 1 && len >= 4) label = `Grace Period: ${p.u32(value)} seconds`;
      else if (type === 2 && len >= 1) {
        const r = p.u8(value);
        label = `Restart Reason: ${RESTART_REASONS[r] ?? 'Unknown'} (${r})`;
      } else if (type === 3 && len >= 4) label = `Restart IP: ${ipv4ToString(p.u32(value))}`;
    }
    const item = put(p, O.grace, tlv, Math.min(size, end - tlv), undefined, p.tree ? label : undefined);
    p.open(item);
    addTypeLength(p, tlv, type, len, `${GRACE_TLVS[type] ?? 'Unknown'} (${type})`);
    if (type === 1) {
      const v = p.u32(value);
      put(p, O.gracePeriod, value, 4, v, p.tree ? `Grace Period: ${v} seconds` : undefined);
    } else if (type === 2) put(p, O.graceReason, value, 1);
    else if (type === 3) put(p, O.graceIp, value, 4);
    else if (len > 0) put(p, O.tlvValue, value, Math.min(len, end - value));
    const pad = padded(len) - len;
    if (pad > 0 && value + len + pad <= end) put(p, O.padBytes, value + len, pad);
    p.close(item);
  }
}

// ---- Router Information (RFC 7770) with Segment Routing TLVs (RFC 8665 §3) ----

function dissectRouterInformation(p: Dissection, at: number, end: number): void {
  const top = p.tree ? p.addText('Opaque Router Information LSA', at, end - at) : undefined;
  p.open(top);
  for (const { at: tlv, type, len, value, valueEnd } of tlvs(p, at, end)) {
    const name = RI_TLVS[type] ?? 'Unknown';
    let label = name;
    if (p.tree && (type === 9 || type === 14) && len >= 3) label = `${name}  (Range Size: ${p.u24(value)})`;
    const item = p.tree ? p.addText(label, tlv, valueEnd - tlv) : undefined;
    p.open(item);
    put(p, O.riTlvType, tlv, 2, type, p.tree ? `TLV Type: ${name} (${type})` : undefined);
    put(p, O.tlvLength, tlv + 2, 2, len);
    switch (type) {
      case 1:
        addRiOptions(p, value);
        break;
      case 7:
        if (p.wants(O.hostname))
          put(p, O.hostname, value, valueEnd - value, latin1(p.bytes(value, valueEnd - value)));
        break;
      case 8:
        for (let a = value; a < valueEnd; a++) put(p, O.srAlgorithm, a, 1);
        break;
      case 9:
      case 14:
        put(p, O.rangeSize, value, 3, p.u24(value));
        addReserved(p, value + 3, 1);
        dissectSidLabelSubTlvs(p, value + 4, valueEnd);
        break;
      case 12:
        // RFC 8476 §3: (MSD type, value) pairs.
        for (let a = value; a + 2 <= valueEnd; a += 2) {
          put(p, O.msdType, a, 1);
          put(p, O.msdValue, a + 1, 1);
        }
        break;
      case 15:
        put(p, O.preference, value, 1, p.u8(value));
        addReserved(p, value + 1, 3);
        break;
      default:
        if (valueEnd > value) put(p, O.unknownTlv, value, valueEnd - value);
    }
    p.close(item);
  }
  p.close(top);
}

function addRiOptions(p: Dissection, at: number): void {
  const bits = [O.riGrc, O.riGrh, O.riSrs, O.riTes, O.riP2pLan, O.riEte, O.riHost];
  addBitmask(p, O.riOptions, at, 1, 'RI Options', RI_OPTION_NAMES, bits);
}

/** SID/Label sub-TLVs (RFC 8665 §2.1): a 3-byte label or a 4-byte index. */
function dissectSidLabelSubTlvs(p: Dissection, at: number, end: number): void {
  for (const { at: sub, type, len, value, valueEnd } of tlvs(p, at, end)) {
    const size = Math.min(len, 4);
    const sid = type === 1 && size >= 3 ? (size === 3 ? p.u24(value) : p.u32(value)) : undefined;
    const item = p.tree
      ? p.addText(
          sid === undefined ? 'Unknown Sub-TLV' : `SID/Label Sub-TLV  (SID/Label: ${sid})`,
          sub,
          valueEnd - sub,
        )
      : undefined;
    p.open(item);
    put(
      p,
      O.sidLabelType,
      sub,
      2,
      type,
      p.tree ? `TLV Type: ${type === 1 ? 'SID/Label' : 'Unknown'} (${type})` : undefined,
    );
    put(p, O.tlvLength, sub + 2, 2, len);
    if (sid !== undefined) put(p, O.sidLabel, value, size, sid);
    else if (valueEnd > value) put(p, O.tlvValue, value, valueEnd - value);
    p.close(item);
  }
}

// ---- Extended Prefix and Extended Link LSAs (RFC 7684) ----

/** A SID/Label field: a 3-byte label (length 7 sub-TLVs) or a 4-byte index (RFC 8665 §2.1). */
function addSid(p: Dissection, at: number, size: number): number {
  const sid = size === 3 ? p.u24(at) : p.u32(at);
  put(p, O.sidLabel, at, size, sid);
  return sid;
}

/** An unknown sub-TLV, as tshark shows it: "Unknown Sub-TLV  (t=32768, l=4)". */
function addUnknownSubTlv(
  p: Dissection,
  at: number,
  type: number,
  len: number,
  end: number,
  typeField: (typeof O)['extLinkSubType'],
): void {
  const valueEnd = Math.min(at + 4 + len, end);
  const item = p.tree ? p.addText(`Unknown Sub-TLV  (t=${type}, l=${len})`, at, valueEnd - at) : undefined;
  p.open(item);
  put(p, typeField, at, 2, type, p.tree ? `TLV Type: Unknown (${type})` : undefined);
  put(p, O.tlvLength, at + 2, 2, len);
  if (valueEnd > at + 4) put(p, O.tlvValue, at + 4, valueEnd - at - 4);
  p.close(item);
}

function dissectExtendedPrefix(p: Dissection, at: number, end: number): void {
  const top = p.tree ? p.addText('OSPFv2 Extended Prefix Opaque LSA', at, end - at) : undefined;
  p.open(top);
  for (const { at: tlv, type, len, valueEnd } of tlvs(p, at, end)) {
    if (type === 1) {
      const routeType = p.u8(tlv + 4);
      const prefixLength = p.u8(tlv + 5);
      // §2.1: the prefix takes the fewest 32-bit words that hold PrefixLength bits.
      const size = Math.min(4, Math.ceil(prefixLength / 32) * 4);
      const address = size ? p.u32(tlv + 8) : 0;
      const label = p.tree
        ? `OSPFv2 Extended Prefix TLV  (Type: ${(ROUTE_TYPES[routeType] ?? 'Unknown').padEnd(14)}Prefix: ${ipv4ToString(address)}/${prefixLength})`
        : undefined;
      const item = p.tree ? p.addText(label!, tlv, valueEnd - tlv) : undefined;
      p.open(item);
      put(p, O.extPrefixTlvType, tlv, 2, type);
      put(p, O.tlvLength, tlv + 2, 2, len);
      put(p, O.routeType, tlv + 4, 1, routeType);
      put(p, V3.prefixLength, tlv + 5, 1, prefixLength);
      put(p, O.addressFamily, tlv + 6, 1);
      addBitmask(p, O.extPrefixFlags, tlv + 7, 1, 'Flags', EXT_PREFIX_FLAG_NAMES, [
        O.extPrefixA,
        O.extPrefixN,
      ]);
      if (size) put(p, O.addressPrefixV4, tlv + 8, 4, address);
      for (const { at: sub, type: subType, len: subLen } of tlvs(p, tlv + 8 + size, valueEnd)) {
        if (subType === 2 && subLen >= 7) dissectPrefixSid(p, sub, subLen, valueEnd);
        else addUnknownSubTlv(p, sub, subType, subLen, valueEnd, O.extPrefixSubType);
      }
      p.close(item);
    } else addUnknownTlv(p, tlv, type, len, end, O.extPrefixTlvType);
  }
  p.close(top);
}

/** Prefix-SID sub-TLV (RFC 8665 §5). */
function dissectPrefixSid(p: Dissection, at: number, len: number, end: number): void {
  const size = len === 7 ? 3 : 4;
  const label = p.tree
    ? `Prefix SID Sub-TLV  (SID/Label: ${size === 3 ? p.u24(at + 8) : p.u32(at + 8)})`
    : '';
  const item = p.tree ? p.addText(label, at, Math.min(4 + len, end - at)) : undefined;
  p.open(item);
  put(p, O.extPrefixSubType, at, 2, 2);
  put(p, O.tlvLength, at + 2, 2, len);
  addBitmask(p, O.prefixSidFlags, at + 4, 1, 'Flags', PREFIX_SID_FLAG_NAMES, [
    O.prefixSidNp,
    O.prefixSidM,
    O.prefixSidE,
    O.prefixSidV,
    O.prefixSidL,
  ]);
  addReserved(p, at + 5, 1);
  put(p, O.mtId, at + 6, 1);
  put(p, O.srAlgorithm, at + 7, 1);
  addSid(p, at + 8, size);
  p.close(item);
}

function dissectExtendedLink(p: Dissection, at: number, end: number): void {
  const f = ospf.f;
  const top = p.tree ? p.addText('OSPFv2 Extended Link Opaque LSA', at, end - at) : undefined;
  p.open(top);
  for (const { at: tlv, type, len, valueEnd } of tlvs(p, at, end)) {
    if (type === 1) {
      const linkType = p.u8(tlv + 4);
      const label = p.tree
        ? `OSPFv2 Extended Link TLV  (Type: ${(ROUTER_LINK_SHORT[linkType] ?? String(linkType)).padEnd(9)}ID: ${ipv4ToString(p.u32(tlv + 8)).padEnd(16)}Data: ${ipv4ToString(p.u32(tlv + 12))})`
        : undefined;
      const item = p.tree ? p.addText(label!, tlv, valueEnd - tlv) : undefined;
      p.open(item);
      put(p, O.extLinkTlvType, tlv, 2, type);
      put(p, O.tlvLength, tlv + 2, 2, len);
      put(
        p,
        f.linkType,
        tlv + 4,
        1,
        linkType,
        p.tree ? `Link Type: ${linkType} - ${ROUTER_LINK_TYPES[linkType] ?? 'Unknown'}` : undefined,
      );
      addReserved(p, tlv + 5, 3);
      put(p, f.linkId, tlv + 8, 4);
      put(p, f.linkData, tlv + 12, 4);
      for (const { at: sub, type: subType, len: subLen } of tlvs(p, tlv + 16, valueEnd)) {
        if ((subType === 2 && subLen >= 7) || (subType === 3 && subLen >= 11))
          dissectAdjSid(p, sub, subType, subLen, valueEnd);
        else addUnknownSubTlv(p, sub, subType, subLen, valueEnd, O.extLinkSubType);
      }
      p.close(item);
    } else addUnknownTlv(p, tlv, type, len, end, O.extLinkTlvType);
  }
  p.close(top);
}

/** Adj-SID (type 2) and LAN Adj-SID (type 3, with the neighbor's router ID) sub-TLVs
 * (RFC 8665 §6.1–6.2). */
function dissectAdjSid(p: Dissection, at: number, type: number, len: number, end: number): void {
  const lan = type === 3;
  const sidAt = at + (lan ? 12 : 8);
  const size = len === (lan ? 11 : 7) ? 3 : 4;
  const name = lan ? 'LAN Adj-SID' : 'Adj-SID';
  const label = p.tree ? `${name} Sub-TLV  (SID/Label: ${size === 3 ? p.u24(sidAt) : p.u32(sidAt)})` : '';
  const item = p.tree ? p.addText(label, at, Math.min(4 + len, end - at)) : undefined;
  p.open(item);
  put(p, O.extLinkSubType, at, 2, type);
  put(p, O.tlvLength, at + 2, 2, len);
  const flags = p.u8(at + 4);
  const node = put(
    p,
    O.adjSidFlags,
    at + 4,
    1,
    flags,
    p.tree ? `Flags: 0x${hex(flags, 2)}${flagNames(flags, ADJ_SID_FLAG_NAMES)}` : undefined,
  );
  p.open(node);
  put(p, O.adjSidB, at + 4, 1);
  put(p, O.adjSidV, at + 4, 1);
  // tshark 4.0 shows the L flag with the B flag's field (ospf.tlv.adjsid.flags.b).
  put(
    p,
    O.adjSidB,
    at + 4,
    1,
    (flags & 0x20) !== 0,
    p.tree
      ? `..${flags & 0x20 ? '1' : '0'}. .... = (L) Local/Global Flag: ${flags & 0x20 ? 'Set' : 'Not set'}`
      : undefined,
  );
  put(p, O.adjSidG, at + 4, 1);
  put(p, O.adjSidP, at + 4, 1);
  p.close(node);
  addReserved(p, at + 5, 1);
  put(p, O.mtId, at + 6, 1);
  put(p, O.weight, at + 7, 1);
  if (lan) put(p, O.neighborId, at + 8, 4);
  addSid(p, sidAt, size);
  p.close(item);
}

/** A top-level TLV this decoder does not know: its type, length and value. */
function addUnknownTlv(
  p: Dissection,
  at: number,
  type: number,
  len: number,
  end: number,
  typeField: (typeof O)['extLinkTlvType'],
): void {
  const valueEnd = Math.min(at + 4 + len, end);
  const item = p.tree ? p.addText(`Unknown TLV  (t=${type}, l=${len})`, at, valueEnd - at) : undefined;
  p.open(item);
  put(p, typeField, at, 2, type, p.tree ? `TLV Type: Unknown (${type})` : undefined);
  put(p, O.tlvLength, at + 2, 2, len);
  if (valueEnd > at + 4) put(p, O.tlvValue, at + 4, valueEnd - at - 4);
  p.close(item);
}
