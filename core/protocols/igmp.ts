// Internet Group Management Protocol v1 (RFC 1112), v2 (RFC 2236) and v3 (RFC 3376).
// The version is told apart as RFC 3376 §7.1 and Wireshark do: a query of 12 bytes or more is
// IGMPv3, an 8-byte query with Max Resp Time 0 is IGMPv1, otherwise IGMPv2; reports and leaves
// by their type (0x12 v1, 0x16/0x17 v2, 0x22 v3).
import type { Dissection } from '../dissect/dissection';
import { hex, ipv4ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { internetChecksum, addVerifiedChecksum } from './checksum';

const TYPES: Readonly<Record<number, string>> = {
  0x11: 'Membership Query',
  0x12: 'Membership Report',
  0x13: 'DVMRP',
  0x14: 'PIM version 1',
  0x15: 'Cisco Trace Messages',
  0x16: 'Membership Report',
  0x17: 'Leave Group',
  0x1e: 'Traceroute Response',
  0x1f: 'Traceroute Query or Request',
  0x22: 'Membership Report',
  0x30: 'Multicast Router Advertisement',
  0x31: 'Multicast Router Solicitation',
  0x32: 'Multicast Router Termination',
};

const RECORD_TYPES: Readonly<Record<number, string>> = {
  1: 'Mode Is Include',
  2: 'Mode Is Exclude',
  3: 'Change To Include Mode',
  4: 'Change To Exclude Mode',
  5: 'Allow New Sources',
  6: 'Block Old Sources',
};

const OTHER_PROTOCOL_TYPES = new Set([0x13, 0x14, 0x1e, 0x1f, 0x30, 0x31, 0x32]);

export const igmp = defineProtocol({
  abbrev: 'igmp',
  name: 'Internet Group Management Protocol',
  short: 'IGMP',
  fields: {
    version: { abbrev: 'igmp.version', name: 'IGMP Version', type: 'uint8' },
    type: { abbrev: 'igmp.type', name: 'Type', type: 'uint8', base: 'hex', vals: TYPES },
    reserved: { abbrev: 'igmp.reserved', name: 'Reserved', type: 'bytes' },
    maxResp: { abbrev: 'igmp.max_resp', name: 'Max Resp Time', type: 'uint8' },
    checksum: { abbrev: 'igmp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
    checksumStatus: {
      abbrev: 'igmp.checksum.status',
      name: 'Checksum Status',
      type: 'uint8',
      vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' },
    },
    maddr: { abbrev: 'igmp.maddr', name: 'Multicast Address', type: 'ipv4' },
    s: {
      abbrev: 'igmp.s',
      name: 'S',
      type: 'bool',
      mask: 0x08,
      tfs: ['SUPPRESS router side processing', 'Do not suppress router side processing'],
    },
    qrv: { abbrev: 'igmp.qrv', name: 'QRV', type: 'uint8', mask: 0x07 },
    qqic: { abbrev: 'igmp.qqic', name: 'QQIC', type: 'uint8' },
    numSrc: { abbrev: 'igmp.num_src', name: 'Num Src', type: 'uint16' },
    saddr: { abbrev: 'igmp.saddr', name: 'Source Address', type: 'ipv4' },
    numGrpRecs: { abbrev: 'igmp.num_grp_recs', name: 'Num Group Records', type: 'uint16' },
    recordType: { abbrev: 'igmp.record_type', name: 'Record Type', type: 'uint8', vals: RECORD_TYPES },
    auxDataLen: { abbrev: 'igmp.aux_data_len', name: 'Aux Data Len', type: 'uint8' },
    auxData: { abbrev: 'igmp.aux_data', name: 'Aux Data', type: 'bytes' },
    data: { abbrev: 'igmp.data', name: 'Data', type: 'bytes' },
  },
  dissect: dissectIgmp,
});

/** RFC 3376 §4.1.1: codes ≥ 128 are a floating-point exponent/mantissa. */
export function igmpv3Time(code: number): number {
  if (code < 128) return code;
  const exp = (code >> 4) & 0x07;
  const mant = code & 0x0f;
  return (mant | 0x10) << (exp + 3);
}

/** The version Wireshark infers from type, length and Max Resp Time. */
export function igmpVersion(type: number, length: number, maxResp: number): number {
  switch (type) {
    case 0x11:
      if (length >= 12) return 3;
      return maxResp === 0 ? 1 : 2;
    case 0x12:
      return 1;
    case 0x16:
    case 0x17:
      return 2;
    case 0x22:
      return 3;
    default:
      return 0;
  }
}

function dissectIgmp(p: Dissection, start: number, end: number): void {
  const f = igmp.f;
  const type = p.u8(start);
  const maxResp = p.u8(start + 1);
  const version = igmpVersion(type, end - start, maxResp);
  if (p.columns) p.cols.protocol = version ? `IGMPv${version}` : 'IGMP';
  // Wireshark hands each known type to a per-version dissector of the same protocol, so
  // frame.protocols lists igmp twice.
  if (version) p.protocols.push('igmp');
  const top = p.add(igmp.field, start, end - start);
  p.open(top);
  if (version) p.addGenerated(f.version, version, `IGMP Version: ${version}`);
  // DVMRP, PIMv1, mtrace and multicast router discovery have their own dissectors in Wireshark
  // (not decoded here); only IGMP proper gets igmp.type.
  if (version !== 0 || !OTHER_PROTOCOL_TYPES.has(type)) {
    p.add(f.type, start, 1, type, `Type: ${TYPES[type] ?? 'Unknown'} (0x${hex(type, 2)})`);
  }
  const typeName = TYPES[type] ?? `Unknown Type:0x${hex(type, 2)}`;
  p.setInfo(typeName);
  if (version === 0) {
    if (end > start + 1) p.add(f.data, start + 1, end - start - 1);
    p.close(top);
    return;
  }
  if (version === 1) {
    p.add(f.reserved, start + 1, 1);
  } else if (version === 2 || type === 0x11) {
    const label =
      version === 2
        ? `Max Resp Time: ${(maxResp / 10).toFixed(1)} sec (0x${hex(maxResp, 2)})`
        : `Max Resp Time: ${(igmpv3Time(maxResp) / 10).toFixed(1)} sec (0x${hex(maxResp, 2)})`;
    p.add(f.maxResp, start + 1, 1, maxResp, label);
  } else {
    p.add(f.reserved, start + 1, 1);
  }
  addChecksum(p, start, end);

  if (version === 3 && type === 0x22) {
    dissectV3Report(p, start, end);
  } else if (version === 3) {
    dissectV3Query(p, start, end);
  } else {
    const group = p.u32(start + 4);
    p.add(f.maddr, start + 4, 4);
    const g = ipv4ToString(group);
    if (version === 2) {
      if (type === 0x11) p.appendInfo(group === 0 ? ', general' : `, specific for group ${g}`);
      else if (type === 0x16) p.appendInfo(` group ${g}`);
      else if (type === 0x17) p.appendInfo(` ${g}`);
    }
  }
  p.close(top);
}

function addChecksum(p: Dissection, start: number, end: number): void {
  const f = igmp.f;
  const stored = p.u16(start + 2);
  if (p.remaining(start) < end - start) {
    p.add(f.checksum, start + 2, 2, stored, `Checksum: 0x${hex(stored, 4)} [unverified]`);
    p.addGenerated(f.checksumStatus, 2, 'Checksum Status: Unverified');
    return;
  }
  const residue = internetChecksum(p.data, start, end);
  addVerifiedChecksum(p, f, start + 2, stored, residue, 'IGMP');
}

/** RFC 3376 §4.1: group, S/QRV, QQIC, sources. */
function dissectV3Query(p: Dissection, start: number, end: number): void {
  const f = igmp.f;
  const group = p.u32(start + 4);
  p.add(f.maddr, start + 4, 4);
  p.add(f.s, start + 8, 1);
  p.add(f.qrv, start + 8, 1);
  p.add(f.qqic, start + 9, 1);
  const n = p.u16(start + 10);
  p.add(f.numSrc, start + 10, 2);
  const sources: string[] = [];
  for (let i = 0, a = start + 12; i < n; i++, a += 4) {
    p.add(f.saddr, a, 4);
    sources.push(ipv4ToString(p.u32(a)));
  }
  if (group === 0) p.appendInfo(', general');
  else if (n === 0) p.appendInfo(`, specific for group ${ipv4ToString(group)}`);
  else p.appendInfo(`, specific for group ${ipv4ToString(group)}, source {${sources.join(', ')}}`);
  void end;
}

/** RFC 3376 §4.2: reserved, record count, then group records. */
function dissectV3Report(p: Dissection, start: number, end: number): void {
  const f = igmp.f;
  p.add(f.reserved, start + 4, 2);
  const n = p.u16(start + 6);
  p.add(f.numGrpRecs, start + 6, 2);
  let off = start + 8;
  for (let i = 0; i < n; i++) {
    const rtype = p.u8(off);
    const aux = p.u8(off + 1) * 4;
    const nsrc = p.u16(off + 2);
    const group = ipv4ToString(p.u32(off + 4));
    const len = 8 + nsrc * 4 + aux;
    const rec = p.addText(
      `Group Record : ${group}  ${RECORD_TYPES[rtype] ?? 'Unknown'}`,
      off,
      Math.min(len, end - off),
    );
    p.open(rec);
    p.add(f.recordType, off, 1);
    p.add(f.auxDataLen, off + 1, 1);
    p.add(f.numSrc, off + 2, 2);
    p.add(f.maddr, off + 4, 4);
    const sources: string[] = [];
    for (let s = 0; s < nsrc; s++) {
      p.add(f.saddr, off + 8 + s * 4, 4);
      sources.push(ipv4ToString(p.u32(off + 8 + s * 4)));
    }
    if (aux) p.add(f.auxData, off + 8 + nsrc * 4, aux);
    p.close(rec);
    // Info as Wireshark words it: joins and leaves for any source, else the source list.
    if ((rtype === 2 || rtype === 4) && nsrc === 0) p.appendInfo(` / Join group ${group} for any sources`);
    else if ((rtype === 1 || rtype === 3) && nsrc === 0) p.appendInfo(` / Leave group ${group}`);
    else if (rtype === 1 || rtype === 3 || rtype === 5)
      p.appendInfo(` / Join group ${group} for source {${sources.join(', ')}}`);
    else p.appendInfo(` / Leave group ${group} for source {${sources.join(', ')}}`);
    off += len;
  }
}

tables.ipProto.register(2, igmp);
