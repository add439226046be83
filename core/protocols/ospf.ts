// Open Shortest Path First over IP protocol 89, as tshark 4.0 decodes it. Version 2 (RFC 2328):
// the common header (§A.3.1) with its authentication, Hello (§A.3.2), Database Description
// (§A.3.3), Link State Request (§A.3.4), Link State Update (§A.3.5) and Link State
// Acknowledgment (§A.3.6); LSA headers (§A.4.1) and the bodies of router, network, summary and
// AS-external LSAs (§A.4.2–A.4.5). Opaque LSAs (RFC 5250: Traffic Engineering, grace-LSA,
// Router Information, Extended Prefix/Link) are in ospf-opaque.ts; version 3 (RFC 5340, over
// IPv6, with its Authentication Trailer) in ospf-v3.ts. Not decoded: LLS data blocks (RFC 5613)
// and the v2 cryptographic-authentication digest beyond its bytes.
import type { Dissection } from '../dissect/dissection';
import type { Field, FieldValue } from '../dissect/fields';
import { hex, ipv4ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { internetChecksum } from './checksum';
import { dissectOpaqueLsa, OPAQUE_FIELDS } from './ospf-opaque';
import { dissectOspfV3 } from './ospf-v3';

export const IP_PROTO_OSPF = 89;

const MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: 'Hello Packet',
  2: 'DB Description',
  3: 'LS Request',
  4: 'LS Update',
  5: 'LS Acknowledge',
};
const AUTH_TYPES: Readonly<Record<number, string>> = { 0: 'Null', 1: 'Simple password', 2: 'Cryptographic' };
const LSA_TYPES: Readonly<Record<number, string>> = {
  1: 'Router-LSA',
  2: 'Network-LSA',
  3: 'Summary-LSA (IP network)',
  4: 'Summary-LSA (ASBR)',
  5: 'AS-External-LSA (ASBR)',
  6: 'Group Membership LSA',
  7: 'NSSA AS-External-LSA',
  8: 'External Attributes LSA',
  9: 'Opaque LSA, Link-local scope',
  10: 'Opaque LSA, Area-local scope',
  11: 'Opaque LSA, AS-local scope',
};
export const ROUTER_LINK_TYPES: Readonly<Record<number, string>> = {
  1: 'Point-to-point connection to another router',
  2: 'Connection to a transit network',
  3: 'Connection to a stub network',
  4: 'Virtual link',
};
export const ROUTER_LINK_SHORT: Readonly<Record<number, string>> = {
  1: 'PTP',
  2: 'Transit',
  3: 'Stub',
  4: 'Virtual',
};
const LINK_ID_MEANING: Readonly<Record<number, string>> = {
  1: "Neighboring router's Router ID",
  2: 'IP address of Designated Router',
  3: 'IP network/subnet number',
  4: "Neighboring router's Router ID",
};

const HEADER = 24;
const LSA_HEADER = 20;

const OPTION_BITS: readonly [number, string][] = [
  [0x80, 'DN'],
  [0x40, 'O'],
  [0x20, '(DC) Demand Circuits'],
  [0x10, '(L) LLS Data block'],
  [0x08, '(N) NSSA'],
  [0x04, '(MC) Multicast'],
  [0x02, '(E) External Routing'],
  [0x01, '(MT) Multi-Topology Routing'],
];

export const ospf = defineProtocol({
  abbrev: 'ospf',
  name: 'Open Shortest Path First',
  short: 'OSPF',
  fields: {
    version: { abbrev: 'ospf.version', name: 'Version', type: 'uint8' },
    msg: { abbrev: 'ospf.msg', name: 'Message Type', type: 'uint8', vals: MESSAGE_TYPES },
    msgHello: { abbrev: 'ospf.msg.hello', name: 'Hello', type: 'bool' },
    msgDbDesc: { abbrev: 'ospf.msg.dbdesc', name: 'Database Description', type: 'bool' },
    msgLsReq: { abbrev: 'ospf.msg.lsreq', name: 'Link State Adv Request', type: 'bool' },
    msgLsUpdate: { abbrev: 'ospf.msg.lsupdate', name: 'Link State Adv Update', type: 'bool' },
    msgLsAck: { abbrev: 'ospf.msg.lsack', name: 'Link State Adv Acknowledgement', type: 'bool' },
    packetLength: { abbrev: 'ospf.packet_length', name: 'Packet Length', type: 'uint16' },
    srcrouter: { abbrev: 'ospf.srcrouter', name: 'Source OSPF Router', type: 'ipv4' },
    areaId: { abbrev: 'ospf.area_id', name: 'Area ID', type: 'ipv4' },
    checksum: { abbrev: 'ospf.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
    authType: { abbrev: 'ospf.auth.type', name: 'Auth Type', type: 'uint16', vals: AUTH_TYPES },
    authNone: { abbrev: 'ospf.auth.none', name: 'Auth Data (none)', type: 'bytes' },
    authSimple: { abbrev: 'ospf.auth.simple', name: 'Auth Data (Simple)', type: 'string' },
    authKeyId: { abbrev: 'ospf.auth.crypt.key_id', name: 'Auth Crypt Key id', type: 'uint8' },
    authDataLength: { abbrev: 'ospf.auth.crypt.data_length', name: 'Auth Crypt Data Length', type: 'uint8' },
    authSeq: { abbrev: 'ospf.auth.crypt.seq_nbr', name: 'Auth Crypt Sequence Number', type: 'uint32' },
    authCryptData: { abbrev: 'ospf.auth.crypt.data', name: 'Auth Crypt Data', type: 'bytes' },
    authUnknown: { abbrev: 'ospf.auth.unknown', name: 'Auth Unknown', type: 'bytes' },
    hello: { abbrev: 'ospf.hello', name: 'OSPF Hello Packet', type: 'none' },
    networkMask: { abbrev: 'ospf.hello.network_mask', name: 'Network Mask', type: 'ipv4' },
    helloInterval: { abbrev: 'ospf.hello.hello_interval', name: 'Hello Interval [sec]', type: 'uint32' },
    routerPriority: { abbrev: 'ospf.hello.router_priority', name: 'Router Priority', type: 'uint8' },
    deadInterval: {
      abbrev: 'ospf.hello.router_dead_interval',
      name: 'Router Dead Interval [sec]',
      type: 'uint32',
    },
    dr: { abbrev: 'ospf.hello.designated_router', name: 'Designated Router', type: 'ipv4' },
    bdr: { abbrev: 'ospf.hello.backup_designated_router', name: 'Backup Designated Router', type: 'ipv4' },
    neighbor: { abbrev: 'ospf.hello.active_neighbor', name: 'Active Neighbor', type: 'ipv4' },
    options: { abbrev: 'ospf.v2.options', name: 'Options', type: 'uint8', base: 'hex' },
    optionDn: { abbrev: 'ospf.v2.options.dn', name: 'DN', type: 'bool', mask: 0x80 },
    optionO: { abbrev: 'ospf.v2.options.o', name: 'O', type: 'bool', mask: 0x40 },
    optionDc: {
      abbrev: 'ospf.v2.options.dc',
      name: '(DC) Demand Circuits',
      type: 'bool',
      mask: 0x20,
      tfs: ['Supported', 'Not supported'],
    },
    optionL: {
      abbrev: 'ospf.v2.options.l',
      name: '(L) LLS Data block',
      type: 'bool',
      mask: 0x10,
      tfs: ['Present', 'Not Present'],
    },
    optionN: {
      abbrev: 'ospf.v2.options.n',
      name: '(N) NSSA',
      type: 'bool',
      mask: 0x08,
      tfs: ['Supported', 'Not supported'],
    },
    optionMc: {
      abbrev: 'ospf.v2.options.mc',
      name: '(MC) Multicast',
      type: 'bool',
      mask: 0x04,
      tfs: ['Capable', 'Not capable'],
    },
    optionE: {
      abbrev: 'ospf.v2.options.e',
      name: '(E) External Routing',
      type: 'bool',
      mask: 0x02,
      tfs: ['Capable', 'Not capable'],
    },
    optionMt: {
      abbrev: 'ospf.v2.options.mt',
      name: '(MT) Multi-Topology Routing',
      type: 'bool',
      mask: 0x01,
      tfs: ['Yes', 'No'],
    },
    interfaceMtu: { abbrev: 'ospf.db.interface_mtu', name: 'Interface MTU', type: 'uint16' },
    dbd: { abbrev: 'ospf.dbd', name: 'DB Description', type: 'uint8', base: 'hex' },
    dbdR: { abbrev: 'ospf.dbd.r', name: '(R) OOBResync', type: 'bool', mask: 0x08 },
    dbdI: { abbrev: 'ospf.dbd.i', name: '(I) Init', type: 'bool', mask: 0x04 },
    dbdM: { abbrev: 'ospf.dbd.m', name: '(M) More', type: 'bool', mask: 0x02 },
    dbdMs: { abbrev: 'ospf.dbd.ms', name: '(MS) Master', type: 'bool', mask: 0x01, tfs: ['Yes', 'No'] },
    ddSequence: { abbrev: 'ospf.db.dd_sequence', name: 'DD Sequence', type: 'uint32' },
    linkStateId: { abbrev: 'ospf.link_state_id', name: 'Link State ID', type: 'ipv4' },
    advrouter: { abbrev: 'ospf.advrouter', name: 'Advertising Router', type: 'ipv4' },
    lsuCount: { abbrev: 'ospf.ls.number_of_lsas', name: 'Number of LSAs', type: 'uint32' },
    lsa: { abbrev: 'ospf.lsa', name: 'LS Type', type: 'uint8', vals: LSA_TYPES },
    lsaAge: { abbrev: 'ospf.lsa.age', name: 'LS Age (seconds)', type: 'uint16', mask: 0x7fff },
    lsaDoNotAge: { abbrev: 'ospf.lsa.donotage', name: 'Do Not Age Flag', type: 'uint16', mask: 0x8000 },
    lsaId: { abbrev: 'ospf.lsa.id', name: 'Link State ID', type: 'ipv4' },
    isRouter: { abbrev: 'ospf.lsa.router', name: 'Router LSA', type: 'bool' },
    isNetwork: { abbrev: 'ospf.lsa.network', name: 'Network LSA', type: 'bool' },
    isSummary: { abbrev: 'ospf.lsa.summary', name: 'Summary LSA (IP Network)', type: 'bool' },
    isAsbr: { abbrev: 'ospf.lsa.asbr', name: 'Summary LSA (ASBR)', type: 'bool' },
    isAsext: { abbrev: 'ospf.lsa.asext', name: 'AS-External LSA (ASBR)', type: 'bool' },
    isMember: { abbrev: 'ospf.lsa.member', name: 'Group Membership LSA', type: 'bool' },
    isNssa: { abbrev: 'ospf.lsa.nssa', name: 'NSSA AS-External LSA', type: 'bool' },
    isAttr: { abbrev: 'ospf.lsa.attr', name: 'External Attributes LSA', type: 'bool' },
    lsaSeqnum: { abbrev: 'ospf.lsa.seqnum', name: 'Sequence Number', type: 'uint32', base: 'hex' },
    lsaChecksum: { abbrev: 'ospf.lsa.chksum', name: 'Checksum', type: 'uint16', base: 'hex' },
    lsaLength: { abbrev: 'ospf.lsa.length', name: 'Length', type: 'uint16' },
    routerFlags: { abbrev: 'ospf.v2.router.lsa.flags', name: 'Flags', type: 'uint8', base: 'hex' },
    routerFlagB: {
      abbrev: 'ospf.v2.router.lsa.flags.b',
      name: '(B) Area border router',
      type: 'bool',
      mask: 0x01,
      tfs: ['Yes', 'No'],
    },
    routerFlagE: {
      abbrev: 'ospf.v2.router.lsa.flags.e',
      name: '(E) AS boundary router',
      type: 'bool',
      mask: 0x02,
      tfs: ['Yes', 'No'],
    },
    routerFlagH: {
      abbrev: 'ospf.v2.router.lsa.flags.h',
      name: '(H) flag',
      type: 'bool',
      mask: 0x80,
      tfs: ['Yes', 'No'],
    },
    routerFlagN: {
      abbrev: 'ospf.v2.router.lsa.flags.n',
      name: '(N) flag',
      type: 'bool',
      mask: 0x10,
      tfs: ['Yes', 'No'],
    },
    routerFlagW: {
      abbrev: 'ospf.v2.router.lsa.flags.w',
      name: '(W) Wild-card multicast receiver',
      type: 'bool',
      mask: 0x08,
      tfs: ['Yes', 'No'],
    },
    routerFlagV: {
      abbrev: 'ospf.v2.router.lsa.flags.v',
      name: '(V) Virtual link endpoint',
      type: 'bool',
      mask: 0x04,
      tfs: ['Yes', 'No'],
    },
    numberOfLinks: { abbrev: 'ospf.lsa.number_of_links', name: 'Number of Links', type: 'uint16' },
    linkId: { abbrev: 'ospf.lsa.router.linkid', name: 'Link ID', type: 'ipv4' },
    linkData: { abbrev: 'ospf.lsa.router.linkdata', name: 'Link Data', type: 'ipv4' },
    linkType: {
      abbrev: 'ospf.lsa.router.linktype',
      name: 'Link Type',
      type: 'uint8',
      vals: ROUTER_LINK_TYPES,
    },
    numMetrics: { abbrev: 'ospf.lsa.router.nummetrics', name: 'Number of Metrics', type: 'uint8' },
    metric0: { abbrev: 'ospf.lsa.router.metric0', name: '0 Metric', type: 'uint16' },
    networkNetmask: { abbrev: 'ospf.lsa.network.netmask', name: 'Netmask', type: 'ipv4' },
    attachedRouter: { abbrev: 'ospf.lsa.network.attchrtr', name: 'Attached Router', type: 'ipv4' },
    asbrNetmask: { abbrev: 'ospf.lsa.asbr.netmask', name: 'Netmask', type: 'ipv4' },
    asextNetmask: { abbrev: 'ospf.lsa.asext.netmask', name: 'Netmask', type: 'ipv4' },
    asextType: {
      abbrev: 'ospf.lsa.asext.type',
      name: 'External Type',
      type: 'bool',
      mask: 0x80,
      tfs: [
        'Type 2 (metric is larger than any other link state path)',
        'Type 1 (metric is specified in the same units as interface cost)',
      ],
    },
    tos: { abbrev: 'ospf.lsa.tos', name: 'TOS', type: 'uint8', mask: 0x7f },
    metric: { abbrev: 'ospf.metric', name: 'Metric', type: 'uint32' },
    fwdaddr: { abbrev: 'ospf.lsa.asext.fwdaddr', name: 'Forwarding Address', type: 'ipv4' },
    extrttag: { abbrev: 'ospf.lsa.asext.extrttag', name: 'External Route Tag', type: 'uint32' },
  },
  dissect: dissectOspf,
});

function dissectOspf(p: Dissection, start: number, end: number): void {
  const f = ospf.f;
  const version = p.u8(start);
  const type = p.u8(start + 1);
  const length = p.u16(start + 2);
  p.setInfo(MESSAGE_TYPES[type] ?? `Unknown (${type})`);
  const top = put(p, ospf.field, start, end - start);
  p.open(top);
  const header = p.tree ? p.addText('OSPF Header', start, HEADER) : undefined;
  p.open(header);
  put(p, f.version, start, 1, version);
  put(p, f.msg, start + 1, 1, type);
  // tshark's hidden per-message booleans, for filters such as `ospf.msg.hello`.
  const msgFlag = [undefined, f.msgHello, f.msgDbDesc, f.msgLsReq, f.msgLsUpdate, f.msgLsAck][type];
  if (msgFlag && p.wanted !== null && p.wanted[msgFlag.id] === 1) put(p, msgFlag, start + 1, 1, true);
  put(p, f.packetLength, start + 2, 2, length);
  put(p, f.srcrouter, start + 4, 4);
  const area = p.u32(start + 8);
  put(
    p,
    f.areaId,
    start + 8,
    4,
    undefined,
    p.tree ? `Area ID: ${ipv4ToString(p.u32(start + 8))}${area === 0 ? ' (Backbone)' : ''}` : undefined,
  );
  const checksum = p.u16(start + 12);
  if (version === 3) {
    // RFC 5340 §A.3.1: no authentication field, a pseudo-header checksum, an Instance ID.
    dissectOspfV3(p, start, end, header);
    p.close(top);
    return;
  }
  if (version !== 2) {
    put(p, f.checksum, start + 12, 2, checksum);
    p.close(header);
    p.close(top);
    return;
  }
  const authType = p.u16(start + 14);
  // §D.4.3: the checksum covers the packet without the 64-bit authentication field, and is
  // not used with cryptographic authentication.
  const should =
    !p.tree || authType === 2 ? undefined : ospfChecksumShouldBe(p, start, Math.min(start + length, end));
  const status =
    should === undefined
      ? ''
      : should === checksum
        ? ' [correct]'
        : ` [incorrect, should be 0x${hex(should, 4)}]`;
  put(
    p,
    f.checksum,
    start + 12,
    2,
    checksum,
    p.tree ? `Checksum: 0x${hex(checksum, 4)}${status}` : undefined,
  );
  // tshark 4.0 says "[incorrect, should be …]" in the label only: no expert item.
  put(p, f.authType, start + 14, 2, authType);
  if (authType === 0) put(p, f.authNone, start + 16, 8);
  else if (authType === 1) put(p, f.authSimple, start + 16, 8, nulTerminated(p.bytes(start + 16, 8)));
  else if (authType === 2) {
    put(p, f.authKeyId, start + 18, 1);
    put(p, f.authDataLength, start + 19, 1);
    put(p, f.authSeq, start + 20, 4);
  } else put(p, f.authUnknown, start + 16, 8);
  p.close(header);
  const bodyEnd = Math.min(start + length, end);
  const body = start + HEADER;
  switch (type) {
    case 1:
      dissectHello(p, body, bodyEnd);
      break;
    case 2:
      dissectDbDescription(p, body, bodyEnd);
      break;
    case 3:
      dissectLsRequest(p, body, bodyEnd);
      break;
    case 4:
      dissectLsUpdate(p, body, bodyEnd);
      break;
    case 5:
      for (let at = body; at + LSA_HEADER <= bodyEnd; at += LSA_HEADER) dissectLsa(p, at, bodyEnd, false);
      break;
  }
  if (authType === 2 && bodyEnd < end)
    put(p, f.authCryptData, bodyEnd, Math.min(p.u8(start + 19), end - bodyEnd));
  p.close(top);
}

/** The checksum value that would be right: the sum over the packet without the checksum
 * field and the 64-bit authentication field. */
function ospfChecksumShouldBe(p: Dissection, start: number, end: number): number {
  const sum = internetChecksum(p.data, start, start + 12, 0) ^ 0xffff;
  const withType = internetChecksum(p.data, start + 14, start + 16, sum) ^ 0xffff;
  return internetChecksum(p.data, start + HEADER, end, withType);
}

function dissectHello(p: Dissection, at: number, end: number): void {
  const f = ospf.f;
  // Items read their bytes only when recorded; tshark reads them always (§A.3.2: 20 bytes).
  p.check(at, 20);
  const item = put(p, f.hello, at, end - at);
  p.open(item);
  put(p, f.networkMask, at, 4);
  put(p, f.helloInterval, at + 4, 2, p.u16(at + 4));
  addOptions(p, at + 6);
  put(p, f.routerPriority, at + 7, 1);
  put(p, f.deadInterval, at + 8, 4);
  put(p, f.dr, at + 12, 4);
  put(p, f.bdr, at + 16, 4);
  for (let n = at + 20; n + 4 <= end; n += 4) put(p, f.neighbor, n, 4);
  p.close(item);
}

function dissectDbDescription(p: Dissection, at: number, end: number): void {
  const f = ospf.f;
  p.check(at, 8); // §A.3.3's fixed part, read by tshark with or without a tree
  const item = p.tree ? p.addText('OSPF DB Description', at, end - at) : undefined;
  p.open(item);
  put(p, f.interfaceMtu, at, 2);
  addOptions(p, at + 2);
  addDbdFlags(p, at + 3);
  put(p, f.ddSequence, at + 4, 4);
  p.close(item);
  for (let lsa = at + 8; lsa + LSA_HEADER <= end; lsa += LSA_HEADER) dissectLsa(p, lsa, end, false);
}

function dissectLsRequest(p: Dissection, at: number, end: number): void {
  const f = ospf.f;
  for (; at + 12 <= end; at += 12) {
    const item = p.tree ? p.addText('Link State Request', at, 12) : undefined;
    p.open(item);
    // Wireshark shows the 32-bit LS type with the LSA header's field.
    put(p, f.lsa, at, 4, p.u32(at));
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
    if (len < LSA_HEADER) {
      p.issue('malformed', 'error', `Invalid LSA length ${len} (at least ${LSA_HEADER})`, lsa + 18, lsa + 20);
      break;
    }
    dissectLsa(p, lsa, end, true);
    lsa += len;
  }
  p.close(item);
}

/** An LSA header (§A.4.1), and with `withBody` the LSA's body. */
function dissectLsa(p: Dissection, at: number, end: number, withBody: boolean): void {
  const f = ospf.f;
  const type = p.u8(at + 3);
  const length = p.u16(at + 18);
  const shown = withBody ? Math.min(length, end - at) : LSA_HEADER;
  const item = p.tree
    ? p.addText(`LSA-type ${type} (${LSA_TYPES[type] ?? 'Unknown'}), len ${length}`, at, shown)
    : undefined;
  p.open(item);
  put(p, f.lsaAge, at, 2);
  put(p, f.lsaDoNotAge, at, 2);
  addOptions(p, at + 2);
  put(p, f.lsa, at + 3, 1, type);
  // tshark's hidden per-type booleans (`ospf.lsa.router` …); opaque ones come with the LSID.
  const typeFlag = [
    f.isRouter,
    f.isNetwork,
    f.isSummary,
    f.isAsbr,
    f.isAsext,
    f.isMember,
    f.isNssa,
    f.isAttr,
  ][type - 1];
  if (typeFlag && p.wanted !== null && p.wanted[typeFlag.id] === 1) put(p, typeFlag, at + 3, 1, true);
  const opaque = type >= 9 && type <= 11;
  // RFC 5250 §3: an opaque LSA's Link State ID is an 8-bit Opaque Type and a 24-bit Opaque ID
  // (for Traffic Engineering, RFC 3630 §2.4.1: 8 reserved bits and a 16-bit instance).
  if (opaque) addOpaqueLsid(p, at + 4);
  else put(p, f.lsaId, at + 4, 4);
  put(p, f.advrouter, at + 8, 4);
  put(p, f.lsaSeqnum, at + 12, 4);
  put(p, f.lsaChecksum, at + 16, 2);
  put(p, f.lsaLength, at + 18, 2, length);
  if (withBody) {
    const bodyEnd = at + shown;
    const body = at + LSA_HEADER;
    if (type === 1) dissectRouterLsa(p, body, bodyEnd);
    else if (type === 2) {
      p.check(body, 4);
      put(p, f.networkNetmask, body, 4);
      for (let r = body + 4; r + 4 <= bodyEnd; r += 4) put(p, f.attachedRouter, r, 4);
    } else if (type === 3 || type === 4) {
      put(p, f.asbrNetmask, body, 4);
      put(p, f.tos, body + 4, 1);
      put(p, f.metric, body + 5, 3, p.u24(body + 5));
    } else if (opaque) {
      dissectOpaqueLsa(p, p.u8(at + 4), body, bodyEnd);
    } else if (type === 5 || type === 7) {
      p.check(body, 4);
      put(p, f.asextNetmask, body, 4);
      for (let t = body + 4; t + 12 <= bodyEnd; t += 12) {
        put(p, f.asextType, t, 1);
        put(p, f.tos, t, 1);
        put(p, f.metric, t + 1, 3, p.u24(t + 1));
        put(p, f.fwdaddr, t + 4, 4);
        put(p, f.extrttag, t + 8, 4);
      }
    }
  }
  p.close(item);
}

function addOpaqueLsid(p: Dissection, at: number): void {
  const o = OPAQUE_FIELDS;
  const kind = p.u8(at);
  if (p.wanted !== null && p.wanted[o.isOpaque.id] === 1) put(p, o.isOpaque, at - 1, 1, true);
  put(p, o.opaqueType, at, 1, kind);
  if (kind === 1) {
    put(p, o.teReserved, at + 1, 1);
    put(p, o.teInstance, at + 2, 2);
  } else put(p, o.opaqueId, at + 1, 3, p.u24(at + 1));
}

function dissectRouterLsa(p: Dissection, at: number, end: number): void {
  const f = ospf.f;
  addBitmask(p, f.routerFlags, at, 1, 'Flags', ROUTER_FLAG_NAMES, [
    f.routerFlagH,
    f.routerFlagN,
    f.routerFlagW,
    f.routerFlagV,
    f.routerFlagE,
    f.routerFlagB,
  ]);
  const links = p.u16(at + 2);
  put(p, f.numberOfLinks, at + 2, 2, links);
  let link = at + 4;
  for (let i = 0; i < links && link + 12 <= end; i++) {
    const type = p.u8(link + 8);
    const tosCount = p.u8(link + 9);
    const len = 12 + 4 * tosCount;
    const label = p.tree
      ? `Type: ${(ROUTER_LINK_SHORT[type] ?? String(type)).padEnd(9)}ID: ${ipv4ToString(p.u32(link)).padEnd(16)}Data: ${ipv4ToString(p.u32(link + 4)).padEnd(16)}Metric: ${p.u16(link + 10)}`
      : undefined;
    const item = p.tree ? p.addText(label!, link, Math.min(len, end - link)) : undefined;
    p.open(item);
    put(
      p,
      f.linkId,
      link,
      4,
      undefined,
      p.tree
        ? `Link ID: ${ipv4ToString(p.u32(link))} - ${LINK_ID_MEANING[type] ?? 'Unknown link type'}`
        : undefined,
    );
    put(p, f.linkData, link + 4, 4);
    put(
      p,
      f.linkType,
      link + 8,
      1,
      type,
      p.tree ? `Link Type: ${type} - ${ROUTER_LINK_TYPES[type] ?? 'Unknown'}` : undefined,
    );
    put(p, f.numMetrics, link + 9, 1, tosCount, p.tree ? `Number of Metrics: ${tosCount} - TOS` : undefined);
    put(p, f.metric0, link + 10, 2);
    p.close(item);
    link += len;
  }
}

const DBD_FLAG_NAMES: readonly [number, string][] = [
  [0x08, '(R) OOBResync'],
  [0x04, '(I) Init'],
  [0x02, '(M) More'],
  [0x01, '(MS) Master'],
];

const ROUTER_FLAG_NAMES: readonly [number, string][] = [
  [0x20, '(H) flag'],
  [0x10, '(N) flag'],
  [0x08, '(W) Wild-card multicast receiver'],
  [0x04, '(V) Virtual link endpoint'],
  [0x02, '(E) AS boundary router'],
  [0x01, '(B) Area border router'],
];

/**
 * `p.add` that checks its bytes exist on every path: an item reads them only when it is
 * recorded, but tshark reads them always, so a packet cut short must be marked malformed at
 * the same place with or without a tree.
 */
export function put(
  p: Dissection,
  f: Field,
  start: number,
  len: number,
  value?: FieldValue,
  label?: string,
): ReturnType<Dissection['add']> {
  if (value === undefined && len > 0) p.check(start, len);
  return p.add(f, start, len, value, label);
}

export function flagNames(value: number, names: readonly [number, string][]): string {
  const set = names.filter(([bit]) => value & bit).map(([, name]) => name);
  return set.length ? `, ${set.join(', ')}` : '';
}

/**
 * A flags or options field of 1 or 3 bytes with its bits beneath it, labelled as tshark does
 * (`Flags: 0x02, E`, `Options: 0x000013, R, E, V6`). Returns the value.
 */
export function addBitmask(
  p: Dissection,
  field: Field,
  at: number,
  size: 1 | 3,
  title: string,
  names: readonly [number, string][],
  bits: readonly Field[],
): number {
  const v = size === 3 ? p.u24(at) : p.u8(at);
  const item = put(
    p,
    field,
    at,
    size,
    v,
    p.tree ? `${title}: 0x${hex(v, 2 * size)}${flagNames(v, names)}` : undefined,
  );
  p.open(item);
  for (const bit of bits) put(p, bit, at, size);
  p.close(item);
  return v;
}

/** The Database Description flags (RFC 2328 §A.3.3, RFC 5340 §A.3.3: the same bits). */
export function addDbdFlags(p: Dissection, at: number): number {
  const f = ospf.f;
  return addBitmask(p, f.dbd, at, 1, 'DB Description', DBD_FLAG_NAMES, [f.dbdR, f.dbdI, f.dbdM, f.dbdMs]);
}

function addOptions(p: Dissection, at: number): void {
  const f = ospf.f;
  addBitmask(p, f.options, at, 1, 'Options', OPTION_BITS, [
    f.optionDn,
    f.optionO,
    f.optionDc,
    f.optionL,
    f.optionN,
    f.optionMc,
    f.optionE,
    f.optionMt,
  ]);
}

function nulTerminated(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length && b[i] !== 0; i++) s += String.fromCharCode(b[i]!);
  return s;
}

tables.ipProto.register(IP_PROTO_OSPF, ospf);
