// ARP (RFC 826) and RARP (RFC 903), ethertypes 0x0806 and 0x8035. The packet is
// hrd(2) pro(2) hln(1) pln(1) op(2) sha(hln) spa(pln) tha(hln) tpa(pln); for Ethernet/IPv4
// that is 28 bytes, and whatever follows in the frame is Ethernet padding (so the layer end is
// set to the ARP length). Info texts and the gratuitous/probe/announcement rules follow
// Wireshark's packet-arp.c (gratuitous: RFC 5227 §3; probe and announcement: RFC 5227 §2.1.1, §2.3).
import { parseEther, parseIpv4 } from '../dissect/address';
import type { Dissection } from '../dissect/dissection';
import { bytesToHex, etherToString, ipv4ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { resolveEther } from '../dissect/resolve';
import { tables } from '../dissect/tables';
import { ETHERTYPES } from './eth';

export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_RARP = 0x8035;

const ARPHRD_ETHER = 1;
const ARPHRD_IEEE802 = 6;

/** ARP operation codes (RFC 826, RFC 903, RFC 1931, RFC 2390, RFC 2022, RFC 5494). */
const OPCODES: Readonly<Record<number, string>> = {
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  5: 'DRARP-Request',
  6: 'DRARP-Reply',
  7: 'DRARP-Error',
  8: 'InARP request',
  9: 'InARP reply',
  10: 'ARP-NAK',
  11: 'MARS request',
  12: 'MARS-Multi',
  13: 'MARS-MServ',
  14: 'MARS-Join',
  15: 'MARS-Leave',
  16: 'MARS-NAK',
  17: 'MARS-Unserv',
  18: 'MARS-SJoin',
  19: 'MARS-SLeave',
  20: 'MARS-Grouplist-Request',
  21: 'MARS-Grouplist-Reply',
  22: 'MARS-Redirect-Map',
  23: 'MAPOS-UNARP',
  24: 'OP_EXP1',
  25: 'OP_EXP2',
};

/** Hardware types (IANA "Hardware Types" registry, names as Wireshark shows them). */
const HARDWARE_TYPES: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Ethernet',
  2: 'Experimental Ethernet',
  3: 'AX.25',
  4: 'ProNET',
  5: 'Chaos',
  6: 'IEEE 802',
  7: 'ARCNET',
  8: 'Hyperchannel',
  9: 'Lanstar',
  10: 'Autonet',
  11: 'LocalTalk',
  12: 'LocalNet',
  13: 'Ultra link',
  14: 'SMDS',
  15: 'Frame Relay',
  16: 'ATM #1',
  17: 'HDLC',
  18: 'Fibre Channel',
  19: 'ATM (RFC 2225)',
  20: 'Serial Line',
  21: 'ATM #2',
  22: 'MIL-STD-188-220',
  23: 'Metricom STRIP',
  24: 'IEEE 1394.1995',
  25: 'MAPOS',
  26: 'Twinaxial',
  27: 'EUI-64',
  28: 'HIPARP',
  29: 'IP and ARP over ISO 7816-3',
  30: 'ARPSec',
  31: 'IPsec tunnel',
  32: 'InfiniBand',
  33: 'TIA-102 Project 25 Common Air Interface (CAI)',
  34: 'Wiegand Interface',
  35: 'Pure IP',
  36: 'HW_EXP1',
  37: 'HFI',
  256: 'HW_EXP2',
  257: 'AEthernet',
};

const TRUE_FALSE = ['True', 'False'] as const;

export const arp = defineProtocol({
  abbrev: 'arp',
  name: 'Address Resolution Protocol',
  short: 'ARP',
  fields: {
    hwType: {
      abbrev: 'arp.hw.type',
      name: 'Hardware type',
      type: 'uint16',
      base: 'dec',
      vals: HARDWARE_TYPES,
    },
    protoType: {
      abbrev: 'arp.proto.type',
      name: 'Protocol type',
      type: 'uint16',
      base: 'hex',
      vals: ETHERTYPES,
    },
    hwSize: { abbrev: 'arp.hw.size', name: 'Hardware size', type: 'uint8', base: 'dec' },
    protoSize: { abbrev: 'arp.proto.size', name: 'Protocol size', type: 'uint8', base: 'dec' },
    opcode: { abbrev: 'arp.opcode', name: 'Opcode', type: 'uint16', base: 'dec', vals: OPCODES },
    isGratuitous: { abbrev: 'arp.isgratuitous', name: 'Is gratuitous', type: 'bool', tfs: TRUE_FALSE },
    isProbe: { abbrev: 'arp.isprobe', name: 'Is probe', type: 'bool', tfs: TRUE_FALSE },
    isAnnouncement: { abbrev: 'arp.isannouncement', name: 'Is announcement', type: 'bool', tfs: TRUE_FALSE },
    srcHw: { abbrev: 'arp.src.hw', name: 'Sender hardware address', type: 'bytes' },
    srcHwMac: { abbrev: 'arp.src.hw_mac', name: 'Sender MAC address', type: 'ether' },
    srcProto: { abbrev: 'arp.src.proto', name: 'Sender protocol address', type: 'bytes' },
    srcProtoIpv4: { abbrev: 'arp.src.proto_ipv4', name: 'Sender IP address', type: 'ipv4' },
    dstHw: { abbrev: 'arp.dst.hw', name: 'Target hardware address', type: 'bytes' },
    dstHwMac: { abbrev: 'arp.dst.hw_mac', name: 'Target MAC address', type: 'ether' },
    dstProto: { abbrev: 'arp.dst.proto', name: 'Target protocol address', type: 'bytes' },
    dstProtoIpv4: { abbrev: 'arp.dst.proto_ipv4', name: 'Target IP address', type: 'ipv4' },
  },
  dissect: dissectArp,
});

const isEtherHw = (hrd: number, hln: number) => (hrd === ARPHRD_ETHER || hrd === ARPHRD_IEEE802) && hln === 6;
const isIpv4Proto = (pro: number, pln: number) => pro === 0x0800 && pln === 4;

function allZero(p: Dissection, off: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (p.u8(off + i) !== 0) return false;
  return true;
}

function sameBytes(p: Dissection, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (p.u8(a + i) !== p.u8(b + i)) return false;
  return true;
}

function dissectArp(p: Dissection, start: number, _end: number): void {
  const f = arp.f;
  if (p.columns) p.cols.info = ''; // cleared first, so a truncated ARP shows as such
  const hrd = p.u16(start);
  const pro = p.u16(start + 2);
  const hln = p.u8(start + 4);
  const pln = p.u8(start + 5);
  const op = p.u16(start + 6);
  const total = 8 + 2 * hln + 2 * pln;
  // Everything after the ARP body belongs to the layer below (padding, trailer).
  p.setLayerEnd(start + total);
  if (p.columns && (op === 3 || op === 4)) p.cols.protocol = 'RARP';
  else if (p.columns && op >= 5 && op <= 7) p.cols.protocol = 'DRARP';
  else if (p.columns && (op === 8 || op === 9)) p.cols.protocol = 'Inverse ARP';

  const sha = start + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  const ether = isEtherHw(hrd, hln);
  const ipv4 = isIpv4Proto(pro, pln);
  p.check(start, total); // the addresses must be there before any text is built

  const hwText = (off: number) => (ether ? etherToString(p.data, off) : bytesToHex(p.bytes(off, hln), ':'));
  const protoText = (off: number) => (ipv4 ? ipv4ToString(p.u32(off)) : bytesToHex(p.bytes(off, pln), ':'));

  let gratuitous = false;
  let probe = false;
  let announcement = false;
  if ((op === 1 || op === 2) && sameBytes(p, spa, tpa, pln)) {
    gratuitous = true;
    if (op === 1 && allZero(p, tha, Math.min(6, hln))) announcement = true;
  } else if (op === 1 && allZero(p, tha, Math.min(6, hln)) && pln >= 4 && p.u32(spa) === 0) {
    probe = true;
  }

  if (p.columns) {
    let info: string;
    switch (op) {
      case 1:
        info = gratuitous
          ? announcement
            ? `ARP Announcement for ${protoText(tpa)}`
            : `Gratuitous ARP for ${protoText(tpa)} (Request)`
          : probe
            ? `Who has ${protoText(tpa)}? (ARP Probe)`
            : `Who has ${protoText(tpa)}? Tell ${protoText(spa)}`;
        break;
      case 2:
        info = gratuitous
          ? `Gratuitous ARP for ${protoText(spa)} (Reply)`
          : `${protoText(spa)} is at ${hwText(sha)}`;
        break;
      case 3:
      case 5:
      case 8:
        info = `Who is ${hwText(tha)}? Tell ${hwText(sha)}`;
        break;
      case 4:
      case 6:
        info = `${hwText(tha)} is at ${protoText(tpa)}`;
        break;
      case 7:
        info = 'DRARP Error';
        break;
      case 9:
        info = `${hwText(sha)} is at ${protoText(spa)}`;
        break;
      case 10:
        info = 'ARP NAK';
        break;
      case 0:
      case 65535:
        info = `Reserved opcode ${op}`;
        break;
      default:
        info = `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
    }
    p.setInfo(info);
  }

  if (!p.tree && !p.wanted) return;
  let opText = OPCODES[op];
  if (opText !== undefined) {
    if (gratuitous && op === 1) opText = 'request/gratuitous ARP';
    if (gratuitous && op === 2) opText = 'reply/gratuitous ARP';
    if (probe) opText = 'ARP Probe';
    if (announcement) opText = 'ARP Announcement';
  }
  const label = `Address Resolution Protocol (${opText ?? `opcode 0x${op.toString(16).padStart(4, '0')}`})`;
  const item = p.add(arp.field, start, total, undefined, label);
  p.open(item);
  p.add(f.hwType, start, 2);
  p.add(f.protoType, start + 2, 2);
  p.add(f.hwSize, start + 4, 1);
  p.add(f.protoSize, start + 5, 1);
  p.add(f.opcode, start + 6, 2);
  if (gratuitous) p.addGenerated(f.isGratuitous, true);
  if (probe) p.addGenerated(f.isProbe, true);
  if (announcement) p.addGenerated(f.isAnnouncement, true);
  const addHw = (off: number, macField: typeof f.srcHwMac, rawField: typeof f.srcHw, name: string) => {
    if (hln === 0) return;
    if (ether) {
      p.add(
        macField,
        off,
        6,
        undefined,
        `${name}: ${resolveEther(p.data, off)} (${etherToString(p.data, off)})`,
      );
    } else p.add(rawField, off, hln);
  };
  const addProto = (off: number, ipField: typeof f.srcProtoIpv4, rawField: typeof f.srcProto) => {
    if (pln === 0) return;
    p.add(ipv4 ? ipField : rawField, off, pln);
  };
  addHw(sha, f.srcHwMac, f.srcHw, 'Sender MAC address');
  addProto(spa, f.srcProtoIpv4, f.srcProto);
  addHw(tha, f.dstHwMac, f.dstHw, 'Target MAC address');
  addProto(tpa, f.dstProtoIpv4, f.dstProto);
  p.close(item);
}

tables.ethertype.register(ETHERTYPE_ARP, arp);
tables.ethertype.register(ETHERTYPE_RARP, arp);

// ---- encoding ----

/** Plain representation of an ARP/RARP packet over Ethernet/IPv4 (smoltcp's `ArpRepr`). */
export interface ArpRepr {
  /** 1 request, 2 reply, 3 reverse request, 4 reverse reply… */
  opcode: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
  /** Hardware type; default 1 (Ethernet). */
  hwType?: number;
  /** Protocol type; default 0x0800 (IPv4). */
  protoType?: number;
}

/** Builds the 28-byte ARP body for Ethernet/IPv4 (the caller puts 0x0806 or 0x8035 in the frame). */
export function encodeArp(repr: ArpRepr): Uint8Array {
  const sha = parseEther(repr.senderMac);
  const tha = parseEther(repr.targetMac);
  const spa = parseIpv4(repr.senderIp);
  const tpa = parseIpv4(repr.targetIp);
  if (!sha || !tha || spa === undefined || tpa === undefined) {
    throw new Error(`bad address in ARP ${JSON.stringify(repr)}`);
  }
  const out = new Uint8Array(28);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, repr.hwType ?? ARPHRD_ETHER);
  dv.setUint16(2, repr.protoType ?? 0x0800);
  out[4] = 6;
  out[5] = 4;
  dv.setUint16(6, repr.opcode);
  out.set(sha, 8);
  dv.setUint32(14, spa);
  out.set(tha, 18);
  dv.setUint32(24, tpa);
  return out;
}

/** Reads an Ethernet/IPv4 ARP body back (undefined when too short or not 6/4-byte addresses). */
export function parseArp(bytes: Uint8Array): { repr: ArpRepr; payload: Uint8Array } | undefined {
  if (bytes.length < 28 || bytes[4] !== 6 || bytes[5] !== 4) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    repr: {
      opcode: dv.getUint16(6),
      senderMac: etherToString(bytes, 8),
      senderIp: ipv4ToString(dv.getUint32(14)),
      targetMac: etherToString(bytes, 18),
      targetIp: ipv4ToString(dv.getUint32(24)),
      hwType: dv.getUint16(0),
      protoType: dv.getUint16(2),
    },
    payload: bytes.subarray(28),
  };
}
