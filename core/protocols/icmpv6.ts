// ICMPv6 (RFC 4443): errors with the quoted packet, echo; Neighbor Discovery (RFC 4861: router
// and neighbor solicitation/advertisement, redirect, with their options, RDNSS/DNSSL from
// RFC 8106); MLDv1 (RFC 2710) and MLDv2 (RFC 3810) queries and reports. The checksum covers the
// IPv6 pseudo-header (RFC 4443 §2.3, RFC 8200 §8.1).
import { parseIpv6 as parseIpv6Text } from '../dissect/address';
import type { Dissection } from '../dissect/dissection';
import { etherToString, hex, ipv6ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { resolveEther } from '../dissect/resolve';
import { tables } from '../dissect/tables';
import { internetChecksum, pseudoHeaderSum, addVerifiedChecksum } from './checksum';
import { data } from './data';
import { EchoPairing, showEchoPairing } from './icmp';
import { ipv6, ipv6HopLimit } from './ipv6';

export const ICMPV6_TYPES: Readonly<Record<number, string>> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  100: 'Private experimentation',
  101: 'Private experimentation',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  130: 'Multicast Listener Query',
  131: 'Multicast Listener Report',
  132: 'Multicast Listener Done',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
  138: 'Router Renumbering',
  139: 'ICMP Node Information Query',
  140: 'ICMP Node Information Response',
  141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2',
  144: 'Home Agent Address Discovery Request',
  145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation',
  147: 'Mobile Prefix Advertisement',
  148: 'Certification Path Solicitation',
  149: 'Certification Path Advertisement',
  151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation',
  153: 'Multicast Router Termination',
  155: 'RPL Control',
};

const CODE_NAMES: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  1: {
    0: 'no route to destination',
    1: 'Administratively prohibited',
    2: 'beyond scope of source address',
    3: 'address unreachable',
    4: 'Port unreachable',
    5: 'source address failed ingress/egress policy',
    6: 'reject route to destination',
    7: 'Error in Source Routing Header',
  },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: {
    0: 'erroneous header field encountered',
    1: 'unrecognized Next Header type encountered',
    2: 'unrecognized IPv6 option encountered',
    3: 'IPv6 First Fragment has incomplete IPv6 Header Chain',
  },
};

const OPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'Source link-layer address',
  2: 'Target link-layer address',
  3: 'Prefix information',
  4: 'Redirected header',
  5: 'MTU',
  6: 'NBMA Shortcut Limit Option',
  7: 'Advertisement Interval',
  8: 'Home Agent Information',
  14: 'Nonce',
  24: 'Route Information',
  25: 'Recursive DNS Server',
  31: 'DNS Search List Option',
  37: 'Captive-Portal',
  38: 'PREF64',
};

const MLDV2_RECORD_TYPES: Readonly<Record<number, string>> = {
  1: 'Include',
  2: 'Exclude',
  3: 'Changed to include',
  4: 'Changed to exclude',
  5: 'Allow new sources',
  6: 'Block old sources',
};

const PRF = { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' };

export const icmpv6 = defineProtocol({
  abbrev: 'icmpv6',
  name: 'Internet Control Message Protocol v6',
  short: 'ICMPv6',
  fields: {
    type: { abbrev: 'icmpv6.type', name: 'Type', type: 'uint8', vals: ICMPV6_TYPES },
    code: { abbrev: 'icmpv6.code', name: 'Code', type: 'uint8' },
    checksum: { abbrev: 'icmpv6.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
    checksumStatus: {
      abbrev: 'icmpv6.checksum.status',
      name: 'Checksum Status',
      type: 'uint8',
      vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' },
    },
    reserved: { abbrev: 'icmpv6.reserved', name: 'Reserved', type: 'bytes' },
    data: { abbrev: 'icmpv6.data', name: 'Data', type: 'bytes' },
    unknownData: { abbrev: 'icmpv6.unknown_data', name: 'Unknown Data', type: 'bytes' },
    mtu: { abbrev: 'icmpv6.mtu', name: 'MTU', type: 'uint32' },
    pointer: { abbrev: 'icmpv6.pointer', name: 'Pointer', type: 'uint32' },
    length: { abbrev: 'icmpv6.length', name: 'Length of original datagram', type: 'uint8' },
    echoId: { abbrev: 'icmpv6.echo.identifier', name: 'Identifier', type: 'uint16', base: 'hex' },
    echoSeq: { abbrev: 'icmpv6.echo.sequence_number', name: 'Sequence', type: 'uint16' },
    respIn: { abbrev: 'icmpv6.resp_in', name: 'Response In', type: 'framenum' },
    respTo: { abbrev: 'icmpv6.resp_to', name: 'Response To', type: 'framenum' },
    respTime: { abbrev: 'icmpv6.resptime', name: 'Response Time', type: 'double' },
    noResp: { abbrev: 'icmpv6.resp_not_found', name: 'Response not found', type: 'none' },
    // Neighbor Discovery (RFC 4861 §4)
    raCurHopLimit: { abbrev: 'icmpv6.nd.ra.cur_hop_limit', name: 'Cur hop limit', type: 'uint8' },
    raFlag: { abbrev: 'icmpv6.nd.ra.flag', name: 'Flags', type: 'uint8', base: 'hex' },
    raFlagM: {
      abbrev: 'icmpv6.nd.ra.flag.m',
      name: 'Managed address configuration',
      type: 'bool',
      mask: 0x80,
    },
    raFlagO: { abbrev: 'icmpv6.nd.ra.flag.o', name: 'Other configuration', type: 'bool', mask: 0x40 },
    raFlagH: { abbrev: 'icmpv6.nd.ra.flag.h', name: 'Home Agent', type: 'bool', mask: 0x20 },
    raFlagPrf: {
      abbrev: 'icmpv6.nd.ra.flag.prf',
      name: 'Prf (Default Router Preference)',
      type: 'uint8',
      mask: 0x18,
      vals: PRF,
    },
    raFlagP: { abbrev: 'icmpv6.nd.ra.flag.p', name: 'Proxy', type: 'bool', mask: 0x04 },
    raFlagRsv: { abbrev: 'icmpv6.nd.ra.flag.rsv', name: 'Reserved', type: 'uint8', mask: 0x03 },
    raRouterLifetime: { abbrev: 'icmpv6.nd.ra.router_lifetime', name: 'Router lifetime (s)', type: 'uint16' },
    raReachableTime: { abbrev: 'icmpv6.nd.ra.reachable_time', name: 'Reachable time (ms)', type: 'uint32' },
    raRetransTimer: { abbrev: 'icmpv6.nd.ra.retrans_timer', name: 'Retrans timer (ms)', type: 'uint32' },
    nsTarget: { abbrev: 'icmpv6.nd.ns.target_address', name: 'Target Address', type: 'ipv6' },
    naFlag: { abbrev: 'icmpv6.nd.na.flag', name: 'Flags', type: 'uint32', base: 'hex' },
    naFlagR: { abbrev: 'icmpv6.nd.na.flag.r', name: 'Router', type: 'bool', bits: 32, mask: 0x80000000 },
    naFlagS: { abbrev: 'icmpv6.nd.na.flag.s', name: 'Solicited', type: 'bool', bits: 32, mask: 0x40000000 },
    naFlagO: { abbrev: 'icmpv6.nd.na.flag.o', name: 'Override', type: 'bool', bits: 32, mask: 0x20000000 },
    naFlagRsv: { abbrev: 'icmpv6.nd.na.flag.rsv', name: 'Reserved', type: 'uint32', mask: 0x1fffffff },
    naTarget: { abbrev: 'icmpv6.nd.na.target_address', name: 'Target Address', type: 'ipv6' },
    rdTarget: { abbrev: 'icmpv6.nd.rd.target_address', name: 'Target Address', type: 'ipv6' },
    rdDestination: { abbrev: 'icmpv6.rd.na.destination_address', name: 'Destination Address', type: 'ipv6' },
    // options (RFC 4861 §4.6)
    opt: { abbrev: 'icmpv6.opt', name: 'ICMPv6 Option', type: 'none' },
    optType: { abbrev: 'icmpv6.opt.type', name: 'Type', type: 'uint8', vals: OPTION_NAMES },
    optLength: { abbrev: 'icmpv6.opt.length', name: 'Length', type: 'uint8' },
    optReserved: { abbrev: 'icmpv6.opt.reserved', name: 'Reserved', type: 'none' },
    optLinkaddr: { abbrev: 'icmpv6.opt.linkaddr', name: 'Link-layer address', type: 'ether' },
    optSrcLinkaddr: { abbrev: 'icmpv6.opt.src_linkaddr', name: 'Source Link-layer address', type: 'ether' },
    optTargetLinkaddr: {
      abbrev: 'icmpv6.opt.target_linkaddr',
      name: 'Target Link-layer address',
      type: 'ether',
    },
    optPrefixLength: { abbrev: 'icmpv6.opt.prefix.length', name: 'Prefix Length', type: 'uint8' },
    optPrefixFlag: { abbrev: 'icmpv6.opt.prefix.flag', name: 'Flag', type: 'uint8', base: 'hex' },
    optPrefixFlagL: { abbrev: 'icmpv6.opt.prefix.flag.l', name: 'On-link flag(L)', type: 'bool', mask: 0x80 },
    optPrefixFlagA: {
      abbrev: 'icmpv6.opt.prefix.flag.a',
      name: 'Autonomous address-configuration flag(A)',
      type: 'bool',
      mask: 0x40,
    },
    optPrefixFlagR: {
      abbrev: 'icmpv6.opt.prefix.flag.r',
      name: 'Router address flag(R)',
      type: 'bool',
      mask: 0x20,
    },
    optPrefixFlagReserved: {
      abbrev: 'icmpv6.opt.prefix.flag.reserved',
      name: 'Reserved',
      type: 'uint8',
      mask: 0x1f,
    },
    optPrefixValid: { abbrev: 'icmpv6.opt.prefix.valid_lifetime', name: 'Valid Lifetime', type: 'uint32' },
    optPrefixPreferred: {
      abbrev: 'icmpv6.opt.prefix.preferred_lifetime',
      name: 'Preferred Lifetime',
      type: 'uint32',
    },
    optPrefix: { abbrev: 'icmpv6.opt.prefix', name: 'Prefix', type: 'ipv6' },
    optMtu: { abbrev: 'icmpv6.opt.mtu', name: 'MTU', type: 'uint32' },
    optNonce: { abbrev: 'icmpv6.opt.nonce', name: 'Nonce', type: 'bytes' },
    optPadding: { abbrev: 'icmpv6.opt.padding', name: 'Padding', type: 'none' },
    optAdvInterval: {
      abbrev: 'icmpv6.opt.advertisement_interval',
      name: 'Advertisement Interval',
      type: 'uint32',
    },
    optHaPreference: {
      abbrev: 'icmpv6.opt.home_agent_preference',
      name: 'Home Agent Preference',
      type: 'uint16',
    },
    optHaLifetime: {
      abbrev: 'icmpv6.opt.home_agent_lifetime',
      name: 'Home Agent Preference',
      type: 'uint16',
    },
    optRdnssLifetime: { abbrev: 'icmpv6.opt.rdnss.lifetime', name: 'Lifetime', type: 'uint32' },
    optRdnss: { abbrev: 'icmpv6.opt.rdnss', name: 'Recursive DNS Servers', type: 'ipv6' },
    optDnsslLifetime: { abbrev: 'icmpv6.opt.dnssl.lifetime', name: 'Lifetime', type: 'uint32' },
    optDnssl: { abbrev: 'icmpv6.opt.dnssl', name: 'Domain Names', type: 'string' },
    optRedirectedPacket: { abbrev: 'icmpv6.opt.redirected_packet', name: 'Redirected Packet', type: 'none' },
    // MLD (RFC 2710, RFC 3810)
    mldMaxDelay: {
      abbrev: 'icmpv6.mld.maximum_response_delay',
      name: 'Maximum Response Delay [ms]',
      type: 'uint16',
    },
    mldMaxCode: { abbrev: 'icmpv6.mld.maximum_response_code', name: 'Maximum Response Code', type: 'uint16' },
    mldMulticastAddress: { abbrev: 'icmpv6.mld.multicast_address', name: 'Multicast Address', type: 'ipv6' },
    mldFlag: { abbrev: 'icmpv6.mld.flag', name: 'Flags', type: 'uint8', base: 'hex' },
    mldFlagS: {
      abbrev: 'icmpv6.mld.flag.s',
      name: 'Suppress Router-Side Processing',
      type: 'bool',
      mask: 0x08,
      tfs: ['True', 'False'],
    },
    mldFlagReserved: { abbrev: 'icmpv6.mld.flag.reserved', name: 'Reserved', type: 'uint8', mask: 0xf0 },
    mldFlagQrv: {
      abbrev: 'icmpv6.mld.flag.qrv',
      name: "QRV (Querier's Robustness Variable)",
      type: 'uint8',
      mask: 0x07,
    },
    mldQqi: { abbrev: 'icmpv6.mld.qqi', name: "QQIC (Querier's Query Interval Code)", type: 'uint8' },
    mldNbSources: { abbrev: 'icmpv6.mld.nb_sources', name: 'Number of Sources', type: 'uint16' },
    mldSource: { abbrev: 'icmpv6.mld.source_address', name: 'Source Address', type: 'ipv6' },
    mldrNbRecords: {
      abbrev: 'icmpv6.mldr.nb_mcast_records',
      name: 'Number of Multicast Address Records',
      type: 'uint16',
    },
    mldrMar: { abbrev: 'icmpv6.mldr.mar', name: 'Multicast Address Record', type: 'none' },
    mldrRecordType: {
      abbrev: 'icmpv6.mldr.mar.record_type',
      name: 'Record Type',
      type: 'uint8',
      vals: MLDV2_RECORD_TYPES,
    },
    mldrAuxLen: { abbrev: 'icmpv6.mldr.mar.aux_data_len', name: 'Aux Data Len', type: 'uint8' },
    mldrNbSources: { abbrev: 'icmpv6.mldr.mar.nb_sources', name: 'Number of Sources', type: 'uint16' },
    mldrMulticastAddress: {
      abbrev: 'icmpv6.mldr.mar.multicast_address',
      name: 'Multicast Address',
      type: 'ipv6',
    },
    mldrSource: { abbrev: 'icmpv6.mldr.mar.source_address', name: 'Source Address', type: 'ipv6' },
    mldrAuxData: { abbrev: 'icmpv6.mldr.mar.auxiliary_data', name: 'Auxiliary Data', type: 'bytes' },
  },
  dissect: dissectIcmpv6,
});

const pairing = (p: Dissection): EchoPairing => p.state.slot('icmpv6.echo', () => new EchoPairing());

function dissectIcmpv6(p: Dissection, start: number, end: number): void {
  const f = icmpv6.f;
  const type = p.u8(start);
  const code = p.u8(start + 1);
  const typeName = ICMPV6_TYPES[type] ?? 'Unknown';
  const codeName = CODE_NAMES[type]?.[code];
  const top = p.add(icmpv6.field, start, end - start);
  p.open(top);
  p.add(f.type, start, 1, type, `Type: ${typeName} (${type})`);
  p.add(f.code, start + 1, 1, code, codeName ? `Code: ${code} (${codeName})` : `Code: ${code}`);
  if (p.columns) p.setInfo(codeName ? `${typeName} (${codeName})` : typeName);
  addChecksum(p, start, end);
  const body = start + 4;
  switch (type) {
    case 1:
    case 3:
      p.add(f.reserved, body, 4);
      quote(p, body + 4, end);
      break;
    case 2:
      p.add(f.mtu, body, 4);
      quote(p, body + 4, end);
      break;
    case 4:
      p.add(f.pointer, body, 4);
      quote(p, body + 4, end);
      break;
    case 128:
    case 129:
      dissectEcho(p, type === 128, body, end);
      break;
    case 130:
    case 131:
    case 132:
      dissectMld(p, type, body, end);
      break;
    case 143:
      dissectMldv2Report(p, body, end);
      break;
    case 133:
      p.add(f.reserved, body, 4);
      dissectOptions(p, body + 4, end);
      break;
    case 134:
      dissectRouterAdvertisement(p, body, end);
      break;
    case 135: {
      p.add(f.reserved, body, 4);
      p.add(f.nsTarget, body + 4, 16);
      p.appendInfo(` for ${ipv6ToString(p.bytes(body + 4, 16))}`);
      dissectOptions(p, body + 20, end);
      break;
    }
    case 136:
      dissectNeighborAdvertisement(p, body, end);
      break;
    case 137:
      p.add(f.reserved, body, 4);
      p.add(f.rdTarget, body + 4, 16);
      p.add(f.rdDestination, body + 20, 16);
      dissectOptions(p, body + 36, end);
      break;
    default:
      if (end > body) p.add(f.data, body, end - body);
  }
  p.close(top);
}

/** RFC 4443 §2.3: checksum over the pseudo-header and the whole message. */
function addChecksum(p: Dissection, start: number, end: number): void {
  const f = icmpv6.f;
  const stored = p.u16(start + 2);
  const complete = p.remaining(start) >= end - start;
  if (!complete || p.inError || p.netFamily !== 6) {
    p.add(f.checksum, start + 2, 2, stored, `Checksum: 0x${hex(stored, 4)} [unverified]`);
    p.addGenerated(f.checksumStatus, 2, 'Checksum Status: Unverified');
    return;
  }
  const pseudo = pseudoHeaderSum(6, p.netSrc, p.netDst, 58, end - start);
  const residue = internetChecksum(p.data, start, end, pseudo);
  addVerifiedChecksum(p, f, start + 2, stored, residue, 'ICMPv6');
}

/** The invoking packet of an error message (RFC 4443 §3): as much of it as fits. */
function quote(p: Dissection, start: number, end: number): void {
  if (start >= end || p.inError) return;
  p.quoted(() => {
    p.call(ipv6, start, end);
  });
}

function dissectEcho(p: Dissection, isRequest: boolean, body: number, end: number): void {
  const f = icmpv6.f;
  const id = p.u16(body);
  const seq = p.u16(body + 2);
  p.add(f.echoId, body, 2);
  p.add(f.echoSeq, body + 2, 2);
  if (p.columns) p.appendInfo(` id=0x${hex(id, 4)}, seq=${seq}, hop limit=${ipv6HopLimit(p) ?? 0}`);
  if (!p.inError) {
    const t = pairing(p).track(p, isRequest, p.cols.netSrc, p.cols.netDst, id, seq);
    showEchoPairing(p, t, isRequest, {
      respIn: f.respIn,
      respTo: f.respTo,
      respTime: f.respTime,
      noResp: f.noResp,
    });
  }
  if (end > body + 4) p.call(data, body + 4, end);
}

function dissectMld(p: Dissection, type: number, body: number, end: number): void {
  const f = icmpv6.f;
  if (type === 130 && end - body >= 24) {
    // RFC 3810 §5.1: an MLDv2 query is at least 28 bytes.
    p.add(f.mldMaxCode, body, 2);
    p.add(f.reserved, body + 2, 2);
    p.add(f.mldMulticastAddress, body + 4, 16);
    const flag = p.add(f.mldFlag, body + 20, 1);
    p.open(flag);
    p.add(f.mldFlagS, body + 20, 1);
    p.add(f.mldFlagQrv, body + 20, 1);
    p.add(f.mldFlagReserved, body + 20, 1);
    p.close(flag);
    p.add(f.mldQqi, body + 21, 1);
    const n = p.u16(body + 22);
    p.add(f.mldNbSources, body + 22, 2);
    for (let i = 0, a = body + 24; i < n; i++, a += 16) p.add(f.mldSource, a, 16);
    return;
  }
  p.add(f.mldMaxDelay, body, 2);
  p.add(f.reserved, body + 2, 2);
  p.add(f.mldMulticastAddress, body + 4, 16);
}

function dissectMldv2Report(p: Dissection, body: number, end: number): void {
  const f = icmpv6.f;
  p.add(f.reserved, body, 2);
  const n = p.u16(body + 2);
  p.add(f.mldrNbRecords, body + 2, 2);
  let off = body + 4;
  for (let i = 0; i < n; i++) {
    const rtype = p.u8(off);
    const aux = p.u8(off + 1) * 4;
    const nsrc = p.u16(off + 2);
    const len = 20 + nsrc * 16 + aux;
    p.check(off, 20);
    const addr = ipv6ToString(p.data, off + 4);
    const rec = p.add(
      f.mldrMar,
      off,
      Math.min(len, end - off),
      undefined,
      `Multicast Address Record ${MLDV2_RECORD_TYPES[rtype] ?? 'Unknown'}: ${addr}`,
    );
    p.open(rec);
    p.add(f.mldrRecordType, off, 1);
    p.add(f.mldrAuxLen, off + 1, 1);
    p.add(f.mldrNbSources, off + 2, 2);
    p.add(f.mldrMulticastAddress, off + 4, 16);
    for (let s = 0; s < nsrc; s++) p.add(f.mldrSource, off + 20 + s * 16, 16);
    if (aux) p.add(f.mldrAuxData, off + 20 + nsrc * 16, aux);
    p.close(rec);
    off += len;
  }
}

function dissectRouterAdvertisement(p: Dissection, body: number, end: number): void {
  const f = icmpv6.f;
  p.add(f.raCurHopLimit, body, 1);
  const fl = p.u8(body + 1);
  const names = [
    fl & 0x80 ? 'Managed' : '',
    fl & 0x40 ? 'Other' : '',
    fl & 0x20 ? 'Home Agent' : '',
    fl & 0x04 ? 'Proxy' : '',
  ].filter(Boolean);
  names.push(`Prf (Default Router Preference): ${PRF[((fl >> 3) & 3) as 0 | 1 | 2 | 3]}`);
  const flags = p.add(f.raFlag, body + 1, 1, fl, `Flags: 0x${hex(fl, 2)}, ${names.join(', ')}`);
  p.open(flags);
  p.add(f.raFlagM, body + 1, 1);
  p.add(f.raFlagO, body + 1, 1);
  p.add(f.raFlagH, body + 1, 1);
  p.add(f.raFlagPrf, body + 1, 1);
  p.add(f.raFlagP, body + 1, 1);
  p.add(f.raFlagRsv, body + 1, 1);
  p.close(flags);
  p.add(f.raRouterLifetime, body + 2, 2);
  p.add(f.raReachableTime, body + 4, 4);
  p.add(f.raRetransTimer, body + 8, 4);
  dissectOptions(p, body + 12, end);
}

function dissectNeighborAdvertisement(p: Dissection, body: number, end: number): void {
  const f = icmpv6.f;
  const word = p.u32(body);
  const flagNames = [
    word & 0x80000000 ? 'Router' : '',
    word & 0x40000000 ? 'Solicited' : '',
    word & 0x20000000 ? 'Override' : '',
  ].filter(Boolean);
  const flags = p.add(
    f.naFlag,
    body,
    4,
    word >>> 0,
    `Flags: 0x${hex(word >>> 0, 8)}${flagNames.map((n) => `, ${n}`).join('')}`,
  );
  p.open(flags);
  p.add(f.naFlagR, body, 4);
  p.add(f.naFlagS, body, 4);
  p.add(f.naFlagO, body, 4);
  p.add(f.naFlagRsv, body, 4);
  p.close(flags);
  p.add(f.naTarget, body + 4, 16);
  const names = [
    word & 0x80000000 ? 'rtr' : '',
    word & 0x40000000 ? 'sol' : '',
    word & 0x20000000 ? 'ovr' : '',
  ].filter(Boolean);
  p.appendInfo(` ${ipv6ToString(p.bytes(body + 4, 16))}${names.length ? ` (${names.join(', ')})` : ''}`);
  dissectOptions(p, body + 20, end);
}

/** ND options (RFC 4861 §4.6): type, length in 8-octet units, value. */
function dissectOptions(p: Dissection, start: number, end: number): void {
  const f = icmpv6.f;
  let off = start;
  while (off < end) {
    const type = p.u8(off);
    const lenUnits = p.u8(off + 1);
    const len = lenUnits * 8;
    const name = OPTION_NAMES[type] ?? 'Unknown';
    if (len === 0 || off + len > end) {
      // RFC 4861 §4.6: a zero length is invalid and the packet must be discarded.
      p.issue(
        'malformed',
        'error',
        `ICMPv6 option ${name}: invalid length ${lenUnits}`,
        off,
        Math.min(end, off + 2),
      );
      const item = p.add(f.opt, off, Math.min(2, end - off), undefined, `ICMPv6 Option (${name})`);
      p.open(item);
      p.add(f.optType, off, 1);
      p.add(f.optLength, off + 1, 1, lenUnits, `Length: ${lenUnits} (${len} bytes) [invalid]`);
      p.close(item);
      return;
    }
    const item = p.add(f.opt, off, len, undefined, `ICMPv6 Option (${name})`);
    p.open(item);
    p.add(f.optType, off, 1, type, `Type: ${name} (${type})`);
    p.add(f.optLength, off + 1, 1, lenUnits, `Length: ${lenUnits} (${len} bytes)`);
    const v = off + 2;
    switch (type) {
      case 1:
      case 2: {
        if (len === 8) {
          const mac = p.bytes(v, 6);
          const text = etherToString(mac);
          p.add(f.optLinkaddr, v, 6, undefined, `Link-layer address: ${resolveEther(mac)} (${text})`);
          // The source/target variants are hidden in Wireshark: for filters and -T fields only.
          const which = type === 1 ? f.optSrcLinkaddr : f.optTargetLinkaddr;
          if (p.wanted !== null && p.wanted[which.id] === 1) p.add(which, v, 6);
          if (item) item.label = `ICMPv6 Option (${name} : ${text})`;
          p.appendInfo(type === 1 ? ` from ${text}` : ` is at ${text}`);
        }
        break;
      }
      case 3: {
        p.add(f.optPrefixLength, v, 1);
        const pf = p.u8(v + 1);
        const pfNames = [
          pf & 0x80 ? 'On-link flag(L)' : '',
          pf & 0x40 ? 'Autonomous address-configuration flag(A)' : '',
          pf & 0x20 ? 'Router address flag(R)' : '',
        ].filter(Boolean);
        const flag = p.add(
          f.optPrefixFlag,
          v + 1,
          1,
          pf,
          `Flag: 0x${hex(pf, 2)}${pfNames.map((n) => `, ${n}`).join('')}`,
        );
        p.open(flag);
        p.add(f.optPrefixFlagL, v + 1, 1);
        p.add(f.optPrefixFlagA, v + 1, 1);
        p.add(f.optPrefixFlagR, v + 1, 1);
        p.add(f.optPrefixFlagReserved, v + 1, 1);
        p.close(flag);
        p.add(f.optPrefixValid, v + 2, 4);
        p.add(f.optPrefixPreferred, v + 6, 4);
        p.add(f.optReserved, v + 10, 4);
        p.add(f.optPrefix, v + 14, 16);
        if (item) item.label = `ICMPv6 Option (${name} : ${ipv6ToString(p.bytes(v + 14, 16))}/${p.u8(v)})`;
        break;
      }
      case 4:
        p.add(f.optReserved, v, 6);
        if (off + len > v + 6) {
          const inner = v + 6;
          p.quoted(() => {
            p.call(ipv6, inner, off + len);
          });
        }
        break;
      case 5:
        p.add(f.optReserved, v, 2);
        p.add(f.optMtu, v + 2, 4);
        if (item) item.label = `ICMPv6 Option (${name} : ${p.u32(v + 2)})`;
        break;
      case 7: // RFC 6275 §7.3: Advertisement Interval
        p.add(f.optReserved, v, 2);
        p.add(f.optAdvInterval, v + 2, 4);
        if (item) item.label = `ICMPv6 Option (${name} : ${p.u32(v + 2)})`;
        break;
      case 8: // RFC 6275 §7.4: Home Agent Information
        p.add(f.optReserved, v, 2);
        p.add(f.optHaPreference, v + 2, 2);
        p.add(f.optHaLifetime, v + 4, 2);
        break;
      case 14: // RFC 3971 §5.3.2 (also used by RFC 7527 enhanced DAD)
        p.add(f.optNonce, v, len - 2);
        break;
      case 25:
        p.add(f.optReserved, v, 2);
        p.add(f.optRdnssLifetime, v + 2, 4);
        {
          const servers: string[] = [];
          for (let a = v + 6; a + 16 <= off + len; a += 16) {
            p.add(f.optRdnss, a, 16);
            servers.push(ipv6ToString(p.data, a));
          }
          if (item) item.label = `ICMPv6 Option (${name} ${servers.join(' ')})`;
        }
        break;
      case 31: {
        p.add(f.optReserved, v, 2);
        p.add(f.optDnsslLifetime, v + 2, 4);
        // RFC 8106 §5.2: domain names in DNS wire format, zero padded.
        let a = v + 6;
        const domains: string[] = [];
        while (a < off + len && p.u8(a) !== 0) {
          const nameStart = a;
          const labels: string[] = [];
          while (a < off + len) {
            const l = p.u8(a);
            a++;
            if (l === 0) break;
            labels.push(String.fromCharCode(...p.bytes(a, l)));
            a += l;
          }
          p.add(f.optDnssl, nameStart, a - nameStart, labels.join('.'));
          domains.push(labels.join('.'));
        }
        if (a < off + len) p.add(f.optPadding, a, off + len - a);
        if (item) item.label = `ICMPv6 Option (${name} ${domains.join(' ')})`;
        break;
      }
      default:
        if (len > 2) p.add(f.unknownData, v, len - 2);
    }
    p.close(item);
    off += len;
  }
}

// ---- encoding ----

export interface Icmpv6Repr {
  type: number;
  code: number;
  checksum?: number;
  /** Everything after the 4-byte type/code/checksum header. */
  body: Uint8Array;
}

/** Builds an ICMPv6 message; the checksum covers the pseudo-header of `net` unless given. */
export function encodeIcmpv6(repr: Icmpv6Repr, net: { src: string; dst: string }): Uint8Array {
  const out = new Uint8Array(4 + repr.body.length);
  out[0] = repr.type;
  out[1] = repr.code;
  out.set(repr.body, 4);
  let ck = repr.checksum;
  if (ck === undefined) {
    const src = parseIpv6Text(net.src);
    const dst = parseIpv6Text(net.dst);
    if (!src || !dst) throw new Error(`bad IPv6 address in ${JSON.stringify(net)}`);
    ck = internetChecksum(out, 0, out.length, pseudoHeaderSum(6, src, dst, 58, out.length));
  }
  out[2] = ck >> 8;
  out[3] = ck & 0xff;
  return out;
}

export function parseIcmpv6(bytes: Uint8Array): { repr: Icmpv6Repr; payload: Uint8Array } | undefined {
  if (bytes.length < 4) return undefined;
  return {
    repr: { type: bytes[0]!, code: bytes[1]!, checksum: (bytes[2]! << 8) | bytes[3]!, body: bytes.slice(4) },
    payload: bytes.subarray(4),
  };
}

tables.ipProto.register(58, icmpv6);
