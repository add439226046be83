// OSPF for IPv6 (OSPFv3, RFC 5340 Appendix A) as tshark 4.0 decodes it: the 16-byte header
// (§A.3.1) with its pseudo-header checksum and Instance ID, Hello (§A.3.2), Database Description
// (§A.3.3), Link State Request (§A.3.4), Link State Update (§A.3.5) and Link State Acknowledgment
// (§A.3.6); the LSA header (§A.4.2) with its U/S2/S1 bits and function code, and the bodies of
// Router, Network, Inter-Area-Prefix, Inter-Area-Router, AS-External, NSSA, Link and
// Intra-Area-Prefix LSAs (§A.4.3–A.4.10) with their address prefixes (§A.4.1), and the
// Authentication Trailer (RFC 7166) after a Hello or DD that sets the AT option bit.
// The common fields (ospf.msg, ospf.advrouter, …) live in ospf.ts, which calls in here.
import { BoundsError, type Dissection, type TreeNode } from '../dissect/dissection';
import { registerFields } from '../dissect/fields';
import { bitPattern, bytesToHex, hex, ipv6ToString } from '../dissect/format';
import { internetChecksum, pseudoHeaderSum } from './checksum';
import { addBitmask, addDbdFlags, IP_PROTO_OSPF, ospf, put } from './ospf';

const V3_HEADER = 16;
const LSA_HEADER = 20;

/** LSA function codes (RFC 5340 §A.4.2.1, RFC 7770 for 12). */
const V3_LSA_TYPES: Readonly<Record<number, string>> = {
  1: 'Router-LSA',
  2: 'Network-LSA',
  3: 'Inter-Area-Prefix-LSA',
  4: 'Inter-Area-Router-LSA',
  5: 'AS-External-LSA',
  6: 'Group-Membership-LSA',
  7: 'NSSA-LSA',
  8: 'Link-LSA',
  9: 'Intra-Area-Prefix-LSA',
  12: 'Router Information Opaque-LSA',
};
const FLOODING_SCOPES: Readonly<Record<number, string>> = {
  0: 'Link-Local Scoping - Flooded only on originating link',
  1: 'Area Scoping - Flooded only in originating area',
  2: 'AS Scoping - Flooded throughout AS',
  3: 'Reserved',
};
const ROUTER_LINK_TYPES: Readonly<Record<number, string>> = {
  1: 'Point-to-point connection to another router',
  2: 'Connection to a transit network',
  3: 'Connection to a stub network',
  4: 'Virtual link',
};

/** RFC 5838 §2.1: Instance ID ranges per address family. */
function instanceName(id: number): string {
  if (id < 32) return 'IPv6 unicast AF';
  if (id < 64) return 'IPv6 multicast AF';
  if (id < 96) return 'IPv4 unicast AF';
  if (id < 128) return 'IPv4 multicast AF';
  return 'Reserved';
}

const OPTION_BITS: readonly [number, string][] = [
  [0x400, 'AT'],
  [0x200, 'L'],
  [0x100, 'AF'],
  [0x20, 'DC'],
  [0x10, 'R'],
  [0x08, 'N'],
  [0x04, 'MC'],
  [0x02, 'E'],
  [0x01, 'V6'],
];
const ROUTER_FLAG_NAMES: readonly [number, string][] = [
  [0x08, '(W) Wild-card multicast receiver'],
  [0x04, '(V) Virtual link endpoint'],
  [0x02, '(E) AS boundary router'],
  [0x01, '(B) Area border router'],
];
const EXTERNAL_FLAG_NAMES: readonly [number, string][] = [
  [0x04, '(E) External Metric'],
  [0x02, '(F) Forwarding Address'],
  [0x01, '(T) External Route Tag'],
];
const PREFIX_OPTION_NAMES: readonly [number, string][] = [
  [0x08, '(P) Propagate'],
  [0x04, '(MC) Multicast'],
  [0x02, '(LA) Local Address'],
  [0x01, '(NU) NoUnicast'],
];

export const V3 = registerFields({
  instanceId: { abbrev: 'ospf.instance_id', name: 'Instance ID', type: 'uint8' },
  reserved: { abbrev: 'ospf.reserved', name: 'Reserved', type: 'bytes', blurb: 'Must be zero' },
  helloInterfaceId: { abbrev: 'ospf.hello.interface_id', name: 'Interface ID', type: 'uint32' },
  options: { abbrev: 'ospf.v3.options', name: 'Options', type: 'uint24', base: 'hex' },
  optionAt: { abbrev: 'ospf.v3.options.at', name: 'AT', type: 'bool', mask: 0x400, bits: 24 },
  optionL: { abbrev: 'ospf.v3.options.l', name: 'L', type: 'bool', mask: 0x200, bits: 24 },
  optionAf: { abbrev: 'ospf.v3.options.af', name: 'AF', type: 'bool', mask: 0x100, bits: 24 },
  optionDc: { abbrev: 'ospf.v3.options.dc', name: 'DC', type: 'bool', mask: 0x20, bits: 24 },
  optionR: { abbrev: 'ospf.v3.options.r', name: 'R', type: 'bool', mask: 0x10, bits: 24 },
  optionN: { abbrev: 'ospf.v3.options.n', name: 'N', type: 'bool', mask: 0x08, bits: 24 },
  optionMc: { abbrev: 'ospf.v3.options.mc', name: 'MC', type: 'bool', mask: 0x04, bits: 24 },
  optionE: { abbrev: 'ospf.v3.options.e', name: 'E', type: 'bool', mask: 0x02, bits: 24 },
  optionV6: { abbrev: 'ospf.v3.options.v6', name: 'V6', type: 'bool', mask: 0x01, bits: 24 },
  lsaType: { abbrev: 'ospf.v3.lsa', name: 'LS Type', type: 'uint16', base: 'hex' },
  lsaU: {
    abbrev: 'ospf.v3.lsa.u',
    name: 'LSA Handling',
    type: 'bool',
    mask: 0x8000,
    bits: 16,
    tfs: [
      'Treat the LSA as if it had link-local flooding scope',
      'Store and flood the LSA as if the type is understood',
    ],
  },
  lsaS12: { abbrev: 'ospf.v3.lsa.s12', name: 'Flooding Scope', type: 'uint16', base: 'hex', mask: 0x6000 },
  lsaFc: {
    abbrev: 'ospf.v3.lsa.fc',
    name: 'Function Code',
    type: 'uint16',
    mask: 0x1fff,
    vals: V3_LSA_TYPES,
  },
  doNotAge: {
    abbrev: 'ospf.v3.lsa.do_not_age',
    name: 'Do Not Age',
    type: 'bool',
    mask: 0x8000,
    bits: 16,
    tfs: ['True', 'False'],
  },
  isRouter: { abbrev: 'ospf.v3.lsa.router', name: 'Router-LSA', type: 'bool' },
  isNetwork: { abbrev: 'ospf.v3.lsa.network', name: 'Network-LSA', type: 'bool' },
  isInterPrefix: { abbrev: 'ospf.v3.lsa.interprefix', name: 'Inter-Area-Prefix-LSA', type: 'bool' },
  isInterRouter: { abbrev: 'ospf.v3.lsa.interrouter', name: 'Inter-Area-Router-LSA', type: 'bool' },
  isAsExternal: { abbrev: 'ospf.v3.lsa.asext', name: 'AS-External-LSA', type: 'bool' },
  isMember: { abbrev: 'ospf.v3.lsa.member', name: 'Group-Membership-LSA', type: 'bool' },
  isNssa: { abbrev: 'ospf.v3.lsa.nssa', name: 'NSSA-LSA', type: 'bool' },
  isLink: { abbrev: 'ospf.v3.lsa.link', name: 'Link-LSA', type: 'bool' },
  isIntraPrefix: { abbrev: 'ospf.v3.lsa.intraprefix', name: 'Intra-Area-Prefix-LSA', type: 'bool' },
  isOpaque: { abbrev: 'ospf.v3.lsa.opaque', name: 'Router Information Opaque-LSA', type: 'bool' },
  routerFlags: { abbrev: 'ospf.v3.router.lsa.flags', name: 'Flags', type: 'uint8', base: 'hex' },
  routerFlagB: {
    abbrev: 'ospf.v3.router.lsa.flags.b',
    name: '(B) Area border router',
    type: 'bool',
    mask: 0x01,
    tfs: ['Yes', 'No'],
  },
  routerFlagE: {
    abbrev: 'ospf.v3.router.lsa.flags.e',
    name: '(E) AS boundary router',
    type: 'bool',
    mask: 0x02,
    tfs: ['Yes', 'No'],
  },
  routerFlagV: {
    abbrev: 'ospf.v3.router.lsa.flags.v',
    name: '(V) Virtual link endpoint',
    type: 'bool',
    mask: 0x04,
    tfs: ['Yes', 'No'],
  },
  routerFlagW: {
    abbrev: 'ospf.v3.router.lsa.flags.w',
    name: '(W) Wild-card multicast receiver',
    type: 'bool',
    mask: 0x08,
    tfs: ['Yes', 'No'],
  },
  linkType: { abbrev: 'ospf.v3.lsa.type', name: 'Type', type: 'uint8', vals: ROUTER_LINK_TYPES },
  interfaceId: { abbrev: 'ospf.v3.lsa.interface_id', name: 'Interface ID', type: 'uint32' },
  neighborInterfaceId: {
    abbrev: 'ospf.v3.lsa.neighbor_interface_id',
    name: 'Neighbor Interface ID',
    type: 'uint32',
  },
  neighborRouterId: { abbrev: 'ospf.v3.lsa.neighbor_router_id', name: 'Neighbor Router ID', type: 'ipv4' },
  attachedRouter: { abbrev: 'ospf.v3.lsa.attached_router', name: 'Attached Router', type: 'ipv4' },
  destinationRouterId: {
    abbrev: 'ospf.v3.lsa.destination_router_id',
    name: 'Destination Router ID',
    type: 'ipv4',
  },
  externalFlags: { abbrev: 'ospf.v3.as.external.flags', name: 'Flags', type: 'uint8', base: 'hex' },
  externalFlagT: {
    abbrev: 'ospf.v3.as.external.flags.t',
    name: '(T) External Route Tag',
    type: 'bool',
    mask: 0x01,
    tfs: ['Present', 'Not Present'],
  },
  externalFlagF: {
    abbrev: 'ospf.v3.as.external.flags.f',
    name: '(F) Forwarding Address',
    type: 'bool',
    mask: 0x02,
    tfs: ['Present', 'Absent'],
  },
  externalFlagE: {
    abbrev: 'ospf.v3.as.external.flags.e',
    name: '(E) External Metric',
    type: 'bool',
    mask: 0x04,
    tfs: ['Type 2', 'Type 1'],
  },
  referencedLsType: {
    abbrev: 'ospf.v3.lsa.referenced_ls_type',
    name: 'Referenced LS type',
    type: 'uint16',
    base: 'hex',
  },
  referencedLinkStateId: {
    abbrev: 'ospf.v3.lsa.referenced_link_state_id',
    name: 'Referenced Link State ID',
    type: 'ipv4',
  },
  referencedAdvRouter: {
    abbrev: 'ospf.v3.lsa.referenced_advertising_router',
    name: 'Referenced Advertising Router',
    type: 'ipv4',
  },
  forwardingAddress: {
    abbrev: 'ospf.v3.lsa.forwarding_address.ipv6',
    name: 'Forwarding Address',
    type: 'ipv6',
  },
  externalRouteTag: { abbrev: 'ospf.v3.lsa.external_route_tag', name: 'External Route Tag', type: 'uint32' },
  routerPriority: { abbrev: 'ospf.v3.lsa.router_priority', name: 'Router Priority', type: 'uint8' },
  linkLocalAddress: {
    abbrev: 'ospf.v3.lsa.link_local_interface_address.ipv6',
    name: 'Link-local Interface Address',
    type: 'ipv6',
  },
  numPrefixes: { abbrev: 'ospf.v3.lsa.num_prefixes', name: '# prefixes', type: 'uint32' },
  prefixLength: { abbrev: 'ospf.prefix_length', name: 'PrefixLength', type: 'uint8' },
  prefixOptions: { abbrev: 'ospf.v3.prefix.options', name: 'PrefixOptions', type: 'uint8', base: 'hex' },
  prefixOptionNu: { abbrev: 'ospf.v3.prefix.options.nu', name: '(NU) NoUnicast', type: 'bool', mask: 0x01 },
  prefixOptionLa: {
    abbrev: 'ospf.v3.prefix.options.la',
    name: '(LA) Local Address',
    type: 'bool',
    mask: 0x02,
  },
  prefixOptionMc: { abbrev: 'ospf.v3.prefix.options.mc', name: '(MC) Multicast', type: 'bool', mask: 0x04 },
  prefixOptionP: { abbrev: 'ospf.v3.prefix.options.p', name: '(P) Propagate', type: 'bool', mask: 0x08 },
  addressPrefix: { abbrev: 'ospf.v3.address_prefix.ipv6', name: 'Address Prefix', type: 'ipv6' },
  reservedNotZero: { abbrev: 'ospf.reserved.not_zero', name: 'incorrect, should be 0', type: 'none' },
  at: { abbrev: 'ospf.at', name: 'OSPF Authentication Trailer', type: 'none' },
  atAuthType: {
    abbrev: 'ospf.at.auth_type',
    name: 'Authentication Type',
    type: 'uint16',
    vals: { 0: 'Reserved', 1: 'HMAC Cryptographic Authentication' },
  },
  atDataLength: { abbrev: 'ospf.at.auth_data_len', name: 'Authentication Data Length', type: 'uint16' },
  atReserved: { abbrev: 'ospf.at.reserved', name: 'Reserved', type: 'uint16', base: 'hex' },
  atSaId: {
    abbrev: 'ospf.at.sa_id',
    name: 'Security Association Identifier (SA ID)',
    type: 'uint16',
    base: 'hex',
  },
  atSequence: { abbrev: 'ospf.at.crypto_seq_nbr', name: 'Cryptographic Sequence Number', type: 'uint64' },
  atData: { abbrev: 'ospf.at.auth_data', name: 'Authentication Data', type: 'bytes' },
});

/** Hidden per-type booleans tshark adds after the LS type (`ospf.v3.lsa.router` …). */
const TYPE_FLAGS: Readonly<Record<number, (typeof V3)[keyof typeof V3]>> = {
  1: V3.isRouter,
  2: V3.isNetwork,
  3: V3.isInterPrefix,
  4: V3.isInterRouter,
  5: V3.isAsExternal,
  6: V3.isMember,
  7: V3.isNssa,
  8: V3.isLink,
  9: V3.isIntraPrefix,
  12: V3.isOpaque,
};

/**
 * Everything after the 12 bytes common to both versions: checksum, Instance ID, the body.
 * `header` is the "OSPF Header" subtree ospf.ts opened, closed here after the v3 fields.
 */
export function dissectOspfV3(p: Dissection, start: number, end: number, header: TreeNode | undefined): void {
  const f = ospf.f;
  const type = p.u8(start + 1);
  const length = p.u16(start + 2);
  const checksum = p.u16(start + 12);
  const bodyEnd = Math.min(start + length, end);
  if (p.detailFor('ospf')) {
    let label: string | undefined;
    if (p.tree) {
      const should = v3ChecksumShouldBe(p, start, bodyEnd, length);
      // RFC 7166 §4.3: with an Authentication Trailer the checksum is 0 and not verified.
      label =
        checksum === 0
          ? 'Checksum: 0x0000 (None)'
          : should === undefined
            ? `Checksum: 0x${hex(checksum, 4)}`
            : should === checksum
              ? `Checksum: 0x${hex(checksum, 4)} [correct]`
              : `Checksum: 0x${hex(checksum, 4)} [incorrect, should be 0x${hex(should, 4)}]`;
    }
    put(p, f.checksum, start + 12, 2, checksum, label);
    const instance = p.u8(start + 14);
    put(
      p,
      V3.instanceId,
      start + 14,
      1,
      instance,
      p.tree ? `Instance ID: ${instanceName(instance)} (${instance})` : undefined,
    );
    addReserved(p, start + 15, 1);
  }
  p.close(header);
  const body = start + V3_HEADER;
  let options = 0;
  switch (type) {
    case 1:
      options = dissectHello(p, body, bodyEnd);
      break;
    case 2:
      options = dissectDbDescription(p, body, bodyEnd);
      break;
    case 3:
      dissectLsRequest(p, body, bodyEnd);
      break;
    case 4:
      dissectLsUpdate(p, body, bodyEnd);
      break;
    case 5:
      for (let at = body; at + LSA_HEADER <= bodyEnd; at += LSA_HEADER) dissectV3Lsa(p, at, bodyEnd, false);
      break;
  }
  // Like tshark, only a Hello or DD says (with its AT bit) that a trailer follows.
  if (options & 0x400 && bodyEnd + 16 <= end && p.detailFor('ospf')) dissectTrailer(p, bodyEnd, end);
}

/** RFC 7166 §4.1: type, length (of the whole trailer), reserved, SA ID, 64-bit sequence, digest. */
function dissectTrailer(p: Dissection, at: number, end: number): void {
  const length = p.u16(at + 2);
  const size = Math.min(Math.max(length, 16), end - at);
  const item = put(p, V3.at, at, size);
  p.open(item);
  put(p, V3.atAuthType, at, 2);
  put(p, V3.atDataLength, at + 2, 2, length);
  put(p, V3.atReserved, at + 4, 2);
  put(p, V3.atSaId, at + 6, 2);
  put(p, V3.atSequence, at + 8, 8);
  if (size > 16) put(p, V3.atData, at + 16, size - 16);
  p.close(item);
}

/** The checksum value that would be right (RFC 5340 §2.5: the IPv6 upper-layer pseudo-header
 * of RFC 2460 §8.1), or undefined when it cannot be computed (no IPv6 header, bytes missing). */
function v3ChecksumShouldBe(p: Dissection, start: number, end: number, length: number): number | undefined {
  if (p.netFamily !== 6 || start + length > p.data.length || end - start < V3_HEADER) return undefined;
  const pseudo = pseudoHeaderSum(6, p.netSrc, p.netDst, IP_PROTO_OSPF, length);
  // The sum with the checksum field taken as zero gives the value that belongs there.
  const before = internetChecksum(p.data, start, start + 12, pseudo) ^ 0xffff;
  return internetChecksum(p.data, start + 14, start + length, before);
}

/** A Reserved field (`ospf.reserved`, shared by v3 and the opaque TLVs), read only when wanted. */
export function addReserved(p: Dissection, at: number, len: number): void {
  if (!p.wants(V3.reserved)) return p.check(at, len);
  const bytes = p.bytes(at, len);
  put(p, V3.reserved, at, len, bytes, p.tree ? `Reserved: ${bytesToHex(bytes)}` : undefined);
}

/** tshark -V's block for an expert item (a warning in the Protocol group). */
function addExpertText(p: Dissection, message: string, at: number): void {
  if (!p.tree) return;
  const node = p.addText(`[Expert Info (Warning/Protocol): ${message}]`, at, 2)!;
  node.severity = 'warn';
  p.open(node);
  p.addText(`[${message}]`, at, 2);
  p.addText('[Severity level: Warning]', at, 2);
  p.addText('[Group: Protocol]', at, 2);
  p.close(node);
}

export function addV3Options(p: Dissection, at: number): void {
  // Without items the 3 bytes must still be there, as tshark reads them either way.
  if (!p.detailFor('ospf')) return p.check(at, 3);
  addBitmask(p, V3.options, at, 3, 'Options', OPTION_BITS, [
    V3.optionAt,
    V3.optionL,
    V3.optionAf,
    V3.optionDc,
    V3.optionR,
    V3.optionN,
    V3.optionMc,
    V3.optionE,
    V3.optionV6,
  ]);
}

function dissectHello(p: Dissection, at: number, end: number): number {
  const f = ospf.f;
  // The fast path reads nothing, but a Hello cut short is still malformed (§A.3.2: 20 bytes).
  if (!p.detailFor('ospf')) {
    p.check(at, 20);
    return 0;
  }
  const item = put(p, f.hello, at, end - at);
  p.open(item);
  put(p, V3.helloInterfaceId, at, 4);
  put(p, f.routerPriority, at + 4, 1);
  addV3Options(p, at + 5);
  put(p, f.helloInterval, at + 8, 2, p.u16(at + 8));
  put(p, f.deadInterval, at + 10, 2, p.u16(at + 10));
  put(p, f.dr, at + 12, 4);
  put(p, f.bdr, at + 16, 4);
  for (let n = at + 20; n + 4 <= end; n += 4) put(p, f.neighbor, n, 4);
  p.close(item);
  return p.u24(at + 5);
}

function dissectDbDescription(p: Dissection, at: number, end: number): number {
  const f = ospf.f;
  if (!p.detailFor('ospf')) {
    p.check(at, 12); // §A.3.3's fixed part
    return 0;
  }
  const item = p.tree ? p.addText('OSPF DB Description', at, end - at) : undefined;
  p.open(item);
  addReserved(p, at, 1);
  addV3Options(p, at + 1);
  put(p, f.interfaceMtu, at + 4, 2);
  addReserved(p, at + 6, 1);
  addDbdFlags(p, at + 7);
  put(p, f.ddSequence, at + 8, 4);
  p.close(item);
  for (let lsa = at + 12; lsa + LSA_HEADER <= end; lsa += LSA_HEADER) dissectV3Lsa(p, lsa, end, false);
  return p.u24(at + 1);
}

function dissectLsRequest(p: Dissection, at: number, end: number): void {
  const f = ospf.f;
  if (!p.detailFor('ospf')) return;
  for (; at + 12 <= end; at += 12) {
    const item = p.tree ? p.addText('Link State Request', at, 12) : undefined;
    p.open(item);
    addReserved(p, at, 2);
    addLsType(p, at + 2);
    put(p, f.linkStateId, at + 4, 4);
    put(p, f.advrouter, at + 8, 4);
    p.close(item);
  }
}

function dissectLsUpdate(p: Dissection, at: number, end: number): void {
  const f = ospf.f;
  const count = p.u32(at);
  const item = p.tree ? p.addText('LS Update Packet', at, end - at) : undefined;
  p.open(item);
  put(p, f.lsuCount, at, 4, count);
  let lsa = at + 4;
  for (let i = 0; i < count && lsa + LSA_HEADER <= end; i++) {
    const len = p.u16(lsa + 18);
    dissectV3Lsa(p, lsa, end, true);
    if (len < LSA_HEADER) {
      // tshark decodes the body as if the LSA ran on, then stops the packet as malformed: an
      // LSA shorter than its own header cannot say where the next one starts.
      p.close(item);
      throw new BoundsError(lsa + 18, LSA_HEADER, false);
    }
    lsa += len;
  }
  p.close(item);
}

/** The 16-bit LS type (§A.4.2.1) with its U bit, flooding scope and function code. */
function addLsType(p: Dissection, at: number): number {
  const lsType = p.u16(at);
  const fc = lsType & 0x1fff;
  const item = put(p, V3.lsaType, at, 2, lsType, p.tree ? `LS Type: 0x${hex(lsType, 4)}` : undefined);
  p.open(item);
  put(p, V3.lsaU, at, 2);
  const scope = (lsType >> 13) & 3;
  put(
    p,
    V3.lsaS12,
    at,
    2,
    scope,
    p.tree
      ? `${bitPattern(0x6000, 16, lsType)} = Flooding Scope: ${FLOODING_SCOPES[scope]} (0x${scope})`
      : undefined,
  );
  put(
    p,
    V3.lsaFc,
    at,
    2,
    fc,
    p.tree
      ? `${bitPattern(0x1fff, 16, lsType)} = Function Code: ${V3_LSA_TYPES[fc] ?? 'Unknown'} (${fc})`
      : undefined,
  );
  p.close(item);
  return lsType;
}

/** A v3 LSA header (§A.4.2), and with `withBody` its body. */
function dissectV3Lsa(p: Dissection, at: number, end: number, withBody: boolean): void {
  const f = ospf.f;
  // Bodies are walked on the fast path too (their items are no-ops there): where they end a
  // packet as malformed, and their expert items, are tshark's whether or not a tree is built.
  if (!withBody && !p.detailFor('ospf')) return;
  const lsType = p.u16(at + 2);
  const fc = lsType & 0x1fff;
  const length = p.u16(at + 18);
  const shown = withBody ? Math.max(0, Math.min(length, end - at)) : LSA_HEADER;
  const item = p.tree
    ? p.addText(`LSA-type ${fc} (${V3_LSA_TYPES[fc] ?? 'Unknown'}), len ${length}`, at, shown)
    : undefined;
  p.open(item);
  put(p, f.lsaAge, at, 2);
  put(p, V3.doNotAge, at, 2);
  addLsType(p, at + 2);
  const flag = TYPE_FLAGS[fc];
  if (flag && p.wanted !== null && p.wanted[flag.id] === 1) put(p, flag, at + 2, 2, true);
  put(p, f.linkStateId, at + 4, 4);
  put(p, f.advrouter, at + 8, 4);
  put(p, f.lsaSeqnum, at + 12, 4);
  put(p, f.lsaChecksum, at + 16, 2);
  put(p, f.lsaLength, at + 18, 2, length);
  if (withBody) {
    const body = at + LSA_HEADER;
    // A length under 20 gives no end: tshark reads the body on to the packet's end.
    const bodyEnd = length < LSA_HEADER ? end : at + shown;
    switch (fc) {
      case 1:
        dissectRouterLsa(p, body, bodyEnd);
        break;
      case 2:
        addReserved(p, body, 1);
        addV3Options(p, body + 1);
        for (let r = body + 4; r + 4 <= bodyEnd; r += 4) put(p, V3.attachedRouter, r, 4);
        break;
      case 3:
        addReserved(p, body, 1);
        put(p, f.metric, body + 1, 3, p.u24(body + 1));
        addPrefix(p, body + 4, 'reserved');
        break;
      case 4:
        addReserved(p, body, 1);
        addV3Options(p, body + 1);
        addReserved(p, body + 4, 1);
        put(p, f.metric, body + 5, 3, p.u24(body + 5));
        put(p, V3.destinationRouterId, body + 8, 4);
        break;
      case 5:
      case 7:
        dissectExternalLsa(p, body);
        break;
      case 8:
        dissectLinkLsa(p, body);
        break;
      case 9:
        dissectIntraAreaPrefixLsa(p, body);
        break;
    }
  }
  p.close(item);
}

function dissectRouterLsa(p: Dissection, at: number, end: number): void {
  const f = ospf.f;
  addBitmask(p, V3.routerFlags, at, 1, 'Flags', ROUTER_FLAG_NAMES, [
    V3.routerFlagW,
    V3.routerFlagV,
    V3.routerFlagE,
    V3.routerFlagB,
  ]);
  addV3Options(p, at + 1);
  let entry = at + 4;
  if (entry + 16 > end) return;
  const list = p.tree ? p.addText('Router Interfaces', entry, end - entry) : undefined;
  p.open(list);
  for (let n = 1; entry + 16 <= end; n++, entry += 16) {
    const item = p.tree ? p.addText(`Entry #${n}`, entry, 16) : undefined;
    p.open(item);
    put(p, V3.linkType, entry, 1);
    addReserved(p, entry + 1, 1);
    put(p, f.metric, entry + 2, 2, p.u16(entry + 2));
    put(p, V3.interfaceId, entry + 4, 4);
    put(p, V3.neighborInterfaceId, entry + 8, 4);
    put(p, V3.neighborRouterId, entry + 12, 4);
    p.close(item);
  }
  p.close(list);
}

/** AS-External-LSA (§A.4.7) and NSSA-LSA (§A.4.8) share one layout. */
function dissectExternalLsa(p: Dissection, at: number): void {
  const f = ospf.f;
  const flags = addBitmask(p, V3.externalFlags, at, 1, 'Flags', EXTERNAL_FLAG_NAMES, [
    V3.externalFlagE,
    V3.externalFlagF,
    V3.externalFlagT,
  ]);
  put(p, f.metric, at + 1, 3, p.u24(at + 1));
  let next = addPrefix(p, at + 4, 'referenced');
  const referenced = p.u16(at + 6);
  if (flags & 0x02) {
    put(p, V3.forwardingAddress, next, 16);
    next += 16;
  }
  if (flags & 0x01) {
    put(p, V3.externalRouteTag, next, 4);
    next += 4;
  }
  if (referenced !== 0) put(p, V3.referencedLinkStateId, next, 4);
}

function dissectLinkLsa(p: Dissection, at: number): void {
  put(p, V3.routerPriority, at, 1);
  addV3Options(p, at + 1);
  put(p, V3.linkLocalAddress, at + 4, 16);
  const count = p.u32(at + 20);
  put(p, V3.numPrefixes, at + 20, 4, count);
  let next = at + 24;
  // Each prefix takes at least 4 bytes: the count cannot outrun the packet for long.
  for (let i = 0; i < count; i++) next = addPrefix(p, next, 'reserved');
}

function dissectIntraAreaPrefixLsa(p: Dissection, at: number): void {
  const count = p.u16(at);
  put(p, V3.numPrefixes, at, 2, count);
  const referenced = p.u16(at + 2);
  addReferencedLsType(p, at + 2, referenced);
  put(p, V3.referencedLinkStateId, at + 4, 4);
  put(p, V3.referencedAdvRouter, at + 8, 4);
  let next = at + 12;
  for (let i = 0; i < count; i++) next = addPrefix(p, next, 'metric');
}

function addReferencedLsType(p: Dissection, at: number, v: number): void {
  put(
    p,
    V3.referencedLsType,
    at,
    2,
    v,
    // tshark looks the whole 16-bit type up among the function codes.
    p.tree ? `Referenced LS type: ${V3_LSA_TYPES[v] ?? 'Unknown'} (0x${hex(v, 4)})` : undefined,
  );
}

/**
 * An address prefix (§A.4.1): PrefixLength, PrefixOptions, a 16-bit word whose meaning depends
 * on the LSA (`third`), then the prefix in ceil(PrefixLength / 32) 32-bit words. Returns the
 * offset after it.
 */
function addPrefix(p: Dissection, at: number, third: 'reserved' | 'metric' | 'referenced'): number {
  const f = ospf.f;
  const length = p.u8(at);
  put(p, V3.prefixLength, at, 1, length);
  addBitmask(p, V3.prefixOptions, at + 1, 1, 'PrefixOptions', PREFIX_OPTION_NAMES, [
    V3.prefixOptionP,
    V3.prefixOptionMc,
    V3.prefixOptionLa,
    V3.prefixOptionNu,
  ]);
  const word = p.u16(at + 2);
  if (third === 'metric') put(p, f.metric, at + 2, 2, word);
  else if (third === 'referenced') addReferencedLsType(p, at + 2, word);
  else {
    const node =
      p.tree || p.wants(V3.reserved) ? put(p, V3.reserved, at + 2, 2, p.bytes(at + 2, 2)) : undefined;
    if (word !== 0) {
      p.open(node);
      if (p.wanted !== null && p.wanted[V3.reservedNotZero.id] === 1) put(p, V3.reservedNotZero, at + 2, 2);
      addExpertText(p, 'incorrect, should be 0', at + 2);
      p.close(node);
      p.issue('expert', 'warn', 'incorrect, should be 0', at + 2, at + 4, 'Protocol');
    }
  }
  // §A.4.1: the prefix is padded to whole 32-bit words; more than 128 bits cannot be shown.
  const size = Math.min(16, Math.ceil(length / 32) * 4);
  if (!p.wants(V3.addressPrefix)) {
    p.check(at + 4, size);
    return at + 4 + size;
  }
  const address = new Uint8Array(16);
  address.set(p.bytes(at + 4, size));
  put(
    p,
    V3.addressPrefix,
    at + 4,
    size,
    address,
    p.tree ? `Address Prefix: ${ipv6ToString(address)}` : undefined,
  );
  return at + 4 + size;
}
