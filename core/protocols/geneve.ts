// Generic Network Virtualization Encapsulation (RFC 8926) on UDP port 6081: version, options
// length, O and C flags, the payload's Ethertype, the 24-bit VNI, then TLV options (class,
// type, length in 4-byte words, RFC 8926 §3.5) and the payload dispatched by Ethertype
// (0x6558: bridged Ethernet).
import type { Dissection } from '../dissect/dissection';
import { hex } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { data } from './data';
import { ETHERTYPES } from './eth';
import { mayEncapsulate } from './tunnel';

export const UDP_PORT_GENEVE = 6081;
const GENEVE_HEADER = 8;
const FLAG_OAM = 0x80;
const FLAG_CRITICAL = 0x40;
const OPT_TYPE_CRITICAL = 0x80;
const OPT_LEN_MASK = 0x1f;

export const geneve = defineProtocol({
  abbrev: 'geneve',
  name: 'Generic Network Virtualization Encapsulation',
  short: 'Geneve',
  fields: {
    version: { abbrev: 'geneve.version', name: 'Version', type: 'uint8' },
    optionsLength: { abbrev: 'geneve.options_length', name: 'Length', type: 'uint8' },
    flags: { abbrev: 'geneve.flags', name: 'Flags', type: 'uint8', base: 'hex' },
    flagOam: {
      abbrev: 'geneve.flags.oam',
      name: 'Operations, Administration and Management Frame',
      type: 'bool',
      mask: FLAG_OAM,
      tfs: ['True', 'False'],
    },
    flagCritical: {
      abbrev: 'geneve.flags.critical',
      name: 'Critical Options Present',
      type: 'bool',
      mask: FLAG_CRITICAL,
      tfs: ['True', 'False'],
    },
    flagReserved: {
      abbrev: 'geneve.flags.reserved',
      name: 'Reserved',
      type: 'bool',
      mask: 0x3f,
      tfs: ['True', 'False'],
    },
    protoType: {
      abbrev: 'geneve.proto_type',
      name: 'Protocol Type',
      type: 'uint16',
      base: 'hex',
      vals: ETHERTYPES,
    },
    vni: { abbrev: 'geneve.vni', name: 'Virtual Network Identifier (VNI)', type: 'uint24', base: 'hex_dec' },
    reserved: { abbrev: 'geneve.reserved', name: 'Reserved', type: 'uint8', base: 'hex' },
    options: { abbrev: 'geneve.options', name: 'Geneve Options', type: 'bytes' },
    option: { abbrev: 'geneve.option', name: 'Option', type: 'bytes' },
    optionClass: { abbrev: 'geneve.option.class', name: 'Class', type: 'uint16', base: 'hex' },
    optionType: { abbrev: 'geneve.option.type', name: 'Type', type: 'uint8', base: 'hex' },
    optionTypeCritical: {
      abbrev: 'geneve.option.type.critical',
      name: 'Critical Option',
      type: 'bool',
      mask: OPT_TYPE_CRITICAL,
    },
    optionFlags: { abbrev: 'geneve.option.flags', name: 'Flags', type: 'uint8', base: 'hex' },
    optionFlagsReserved: {
      abbrev: 'geneve.option.flags.reserved',
      name: 'Reserved',
      type: 'bool',
      mask: 0xe0,
    },
    optionLength: { abbrev: 'geneve.option.length', name: 'Length', type: 'uint8' },
    unknownData: { abbrev: 'geneve.option.unknown.data', name: 'Unknown Option Data', type: 'bytes' },
    lengthInvalid: {
      abbrev: 'geneve.option.length.invalid',
      name: 'Invalid length for option',
      type: 'none',
    },
  },
  dissect: dissectGeneve,
});

/** IANA's Geneve option classes (RFC 8926 §7.2) as tshark 4.0 names them: [first, last, name]. */
const OPTION_CLASSES: readonly [number, number, string][] = [
  [0x0000, 0x00ff, 'Standard'],
  [0x0100, 0x0100, 'Linux'],
  [0x0101, 0x0101, 'Open vSwitch'],
  [0x0102, 0x0102, 'Open Virtual Networking (OVN)'],
  [0x0103, 0x0103, 'In-band Network Telemetry (INT)'],
  [0x0104, 0x0104, 'VMware'],
  [0x0105, 0x0105, 'Amazon.com, Inc.'],
  [0x0106, 0x0106, 'Cisco Systems, Inc.'],
  [0x0107, 0x0107, 'Oracle Corporation'],
  [0x0108, 0x0110, 'Amazon.com, Inc.'],
  [0x0111, 0x0118, 'IBM'],
  [0x0119, 0x0128, 'Ericsson'],
  [0x0129, 0x0129, 'Oxide Computer Company'],
  [0x0130, 0x0131, 'Cisco Systems, Inc.'],
  [0x0132, 0x0135, 'Google LLC'],
  [0x0136, 0x0136, 'InfoQuick Global Connection Tech Ltd.'],
  [0x0137, 0xfeff, 'Unassigned'],
  [0xfff0, 0xffff, 'Experimental'],
];

function className(cls: number): string {
  for (const [lo, hi, name] of OPTION_CLASSES) if (cls >= lo && cls <= hi) return name;
  return 'Unknown';
}

function optionName(cls: number, type: number): string {
  return `Unknown, Class: ${className(cls)} (0x${hex(cls, 4)}) Type: 0x${hex(type, 2)}`;
}

function dissectGeneve(p: Dissection, start: number, end: number): void {
  const f = geneve.f;
  const verOpt = p.u8(start);
  const flags = p.u8(start + 1);
  const protoType = p.u16(start + 2);
  const vni = p.u24(start + 4);
  p.check(start, GENEVE_HEADER);
  const optsLen = (verOpt & 0x3f) * 4;
  p.setInfo(`Encapsulated ${ETHERTYPES[protoType] ?? `0x${hex(protoType, 4)} (unknown)`}`);
  const item = p.add(
    geneve.field,
    start,
    Math.min(GENEVE_HEADER + optsLen, end - start),
    undefined,
    `Generic Network Virtualization Encapsulation, VNI: 0x${hex(vni, 6)}${flags & FLAG_OAM ? ', OAM' : ''}`,
  );
  p.open(item);
  p.add(f.version, start, 1, verOpt >>> 6);
  p.add(f.optionsLength, start, 1, optsLen, `Length: ${optsLen} bytes`);
  if (p.tree || p.wants(f.flags)) {
    // A bitmask header item: the value, then the names of the set flags.
    const names = [
      flags & FLAG_OAM ? ', Operations, Administration and Management Frame' : '',
      flags & FLAG_CRITICAL ? ', Critical Options Present' : '',
      flags & 0x3f ? ', Reserved' : '',
    ].join('');
    const flagItem = p.add(f.flags, start + 1, 1, undefined, `Flags: 0x${hex(flags, 2)}${names}`);
    p.open(flagItem);
    p.add(f.flagOam, start + 1, 1);
    p.add(f.flagCritical, start + 1, 1);
    p.add(f.flagReserved, start + 1, 1);
    p.close(flagItem);
  }
  p.add(f.protoType, start + 2, 2);
  p.add(f.vni, start + 4, 3);
  // tshark hides a zero reserved byte.
  if (p.u8(start + 7) !== 0 || (!p.tree && p.wants(f.reserved))) p.add(f.reserved, start + 7, 1);
  const optsStart = start + GENEVE_HEADER;
  if (optsLen > 0 && (p.tree || p.detailFor('geneve'))) addOptions(p, optsStart, optsLen);
  p.close(item);
  const inner = optsStart + optsLen;
  if (inner > end) {
    p.check(optsStart, optsLen); // options run past the packet: truncated/malformed
    return;
  }
  if (inner >= end || !mayEncapsulate(p, inner, end)) return;
  tables.ethertype.dispatchOrData(p, protoType, inner, end, data);
}

function addOptions(p: Dissection, start: number, len: number): void {
  const f = geneve.f;
  const optsItem = p.add(
    f.options,
    start,
    Math.min(len, p.remaining(start)),
    undefined,
    `Options: (${len} bytes)`,
  );
  p.open(optsItem);
  let off = start;
  let left = len;
  // Each option is at least 4 bytes, so this ends within len / 4 rounds.
  while (left > 0) {
    const cls = p.u16(off);
    const type = p.u8(off + 2);
    const optLen = 4 + (p.u8(off + 3) & OPT_LEN_MASK) * 4;
    if (optLen > left) {
      const message = `${optionName(cls, type)} (length of ${optLen} is past end of options)`;
      p.issue('malformed', 'note', message, off + 3, off + 4);
      const n = p.add(f.lengthInvalid, off + 3, 1, undefined, message);
      if (n) n.severity = 'note';
      break;
    }
    const critical = type & OPT_TYPE_CRITICAL ? 'Critical' : 'Non-critical';
    const optItem = p.add(f.option, off, optLen, undefined, `${optionName(cls, type)} (${critical})`);
    p.open(optItem);
    p.add(f.optionClass, off, 2, undefined, `Class: ${className(cls)} (0x${hex(cls, 4)})`);
    p.add(f.optionType, off + 2, 1, undefined, `Type: 0x${hex(type, 2)} (${critical})`);
    if (p.wanted) p.add(f.optionTypeCritical, off + 2, 1);
    const optFlags = p.u8(off + 3) >>> 5;
    // tshark hides the option's flags when none is set.
    if (optFlags !== 0 || (!p.tree && p.wants(f.optionFlags))) {
      const flagItem = p.add(f.optionFlags, off + 3, 1, optFlags, `Flags: 0x${hex(optFlags, 2)} (RSVD)`);
      p.open(flagItem);
      p.add(f.optionFlagsReserved, off + 3, 1);
      p.close(flagItem);
    }
    p.add(f.optionLength, off + 3, 1, optLen, `Length: ${optLen} bytes`);
    if (optLen > 4) p.add(f.unknownData, off + 4, optLen - 4);
    p.close(optItem);
    off += optLen;
    left -= optLen;
  }
  p.close(optsItem);
}

// ---- encoding ----

export interface GeneveOption {
  optionClass: number;
  type: number;
  /** A multiple of 4 bytes, at most 124 (RFC 8926 §3.5). */
  data: Uint8Array;
}

export interface GeneveRepr {
  version?: number;
  flags?: number;
  /** Ethertype of the payload; 0x6558 for Ethernet. */
  protocolType: number;
  vni: number;
  options?: GeneveOption[];
}

export function encodeGeneve(repr: GeneveRepr, inner: Uint8Array): Uint8Array {
  const opts = repr.options ?? [];
  const optsLen = opts.reduce((n, o) => n + 4 + o.data.length, 0);
  const out = new Uint8Array(GENEVE_HEADER + optsLen + inner.length);
  out[0] = ((repr.version ?? 0) << 6) | ((optsLen / 4) & 0x3f);
  out[1] = repr.flags ?? 0;
  out[2] = repr.protocolType >>> 8;
  out[3] = repr.protocolType & 0xff;
  out[4] = (repr.vni >>> 16) & 0xff;
  out[5] = (repr.vni >>> 8) & 0xff;
  out[6] = repr.vni & 0xff;
  let off = GENEVE_HEADER;
  for (const o of opts) {
    out[off] = o.optionClass >>> 8;
    out[off + 1] = o.optionClass & 0xff;
    out[off + 2] = o.type;
    out[off + 3] = (o.data.length / 4) & OPT_LEN_MASK;
    out.set(o.data, off + 4);
    off += 4 + o.data.length;
  }
  out.set(inner, off);
  return out;
}

export function parseGeneve(
  bytes: Uint8Array,
): { repr: Required<GeneveRepr>; inner: Uint8Array } | undefined {
  if (bytes.length < GENEVE_HEADER) return undefined;
  const optsLen = (bytes[0]! & 0x3f) * 4;
  if (GENEVE_HEADER + optsLen > bytes.length) return undefined;
  const options: GeneveOption[] = [];
  for (let off = GENEVE_HEADER; off + 4 <= GENEVE_HEADER + optsLen;) {
    const len = (bytes[off + 3]! & OPT_LEN_MASK) * 4;
    if (off + 4 + len > GENEVE_HEADER + optsLen) return undefined;
    options.push({
      optionClass: (bytes[off]! << 8) | bytes[off + 1]!,
      type: bytes[off + 2]!,
      data: bytes.subarray(off + 4, off + 4 + len),
    });
    off += 4 + len;
  }
  return {
    repr: {
      version: bytes[0]! >>> 6,
      flags: bytes[1]!,
      protocolType: (bytes[2]! << 8) | bytes[3]!,
      vni: (bytes[4]! << 16) | (bytes[5]! << 8) | bytes[6]!,
      options,
    },
    inner: bytes.subarray(GENEVE_HEADER + optsLen),
  };
}

tables.udpPort.register(UDP_PORT_GENEVE, geneve);
