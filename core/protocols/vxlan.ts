// Virtual eXtensible Local Area Network (RFC 7348) on UDP port 4789, with the Group Based
// Policy extension's flag bits (draft-smith-vxlan-group-policy) that tshark 4.0 shows: 8 bytes
// of header (flags, group policy ID, 24-bit VNI, reserved), then an inner Ethernet frame.
import type { Dissection } from '../dissect/dissection';
import { hex } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { eth } from './eth';
import { mayEncapsulate } from './tunnel';

export const UDP_PORT_VXLAN = 4789;
const VXLAN_HEADER = 8;

const FLAG_G = 0x8000;
const FLAG_I = 0x0800;
const FLAG_D = 0x0040;
const FLAG_A = 0x0008;
const FLAGS_RESERVED = 0x77b7;

const FLAG16 = { type: 'bool', bits: 16 } as const;

export const vxlan = defineProtocol({
  abbrev: 'vxlan',
  name: 'Virtual eXtensible Local Area Network',
  short: 'VXLAN',
  fields: {
    flags: { abbrev: 'vxlan.flags', name: 'Flags', type: 'uint16', base: 'hex' },
    flagG: {
      abbrev: 'vxlan.flag_g',
      name: 'GBP Extension',
      ...FLAG16,
      mask: FLAG_G,
      tfs: ['Defined', 'Not defined'],
    },
    flagI: {
      abbrev: 'vxlan.flag_i',
      name: 'VXLAN Network ID (VNI)',
      ...FLAG16,
      mask: FLAG_I,
      tfs: ['True', 'False'],
    },
    flagD: { abbrev: 'vxlan.flag_d', name: "Don't Learn", ...FLAG16, mask: FLAG_D, tfs: ['True', 'False'] },
    flagA: {
      abbrev: 'vxlan.flag_a',
      name: 'Policy Applied',
      ...FLAG16,
      mask: FLAG_A,
      tfs: ['True', 'False'],
    },
    flagsReserved: {
      abbrev: 'vxlan.flags_reserved',
      name: 'Reserved(R)',
      type: 'uint16',
      base: 'hex',
      mask: FLAGS_RESERVED,
    },
    gbp: { abbrev: 'vxlan.gbp', name: 'Group Policy ID', type: 'uint16' },
    vni: { abbrev: 'vxlan.vni', name: 'VXLAN Network Identifier (VNI)', type: 'uint24' },
    reserved8: { abbrev: 'vxlan.reserved8', name: 'Reserved', type: 'uint8' },
  },
  dissect: dissectVxlan,
});

/** `Flags: 0x0800, VXLAN Network ID (VNI)`: the set flags' names after the value. */
function flagsLabel(flags: number): string {
  const names: string[] = [];
  if (flags & FLAG_G) names.push('GBP Extension');
  if (flags & FLAG_I) names.push('VXLAN Network ID (VNI)');
  if (flags & FLAG_D) names.push("Don't Learn");
  if (flags & FLAG_A) names.push('Policy Applied');
  return `Flags: 0x${hex(flags, 4)}${names.length ? ', ' + names.join(', ') : ''}`;
}

function dissectVxlan(p: Dissection, start: number, end: number): void {
  const f = vxlan.f;
  const flags = p.u16(start);
  p.check(start, VXLAN_HEADER);
  const item = p.add(vxlan.field, start, VXLAN_HEADER);
  p.open(item);
  const flagsItem = p.add(f.flags, start, 2, undefined, p.tree ? flagsLabel(flags) : undefined);
  p.open(flagsItem);
  p.add(f.flagG, start, 2);
  p.add(f.flagI, start, 2);
  p.add(f.flagD, start, 2);
  p.add(f.flagA, start, 2);
  p.add(f.flagsReserved, start, 2);
  p.close(flagsItem);
  p.add(f.gbp, start + 2, 2);
  p.add(f.vni, start + 4, 3);
  p.add(f.reserved8, start + 7, 1);
  p.close(item);
  // tshark clears the Info column; the inner frame's layers fill both columns.
  p.setInfo('');
  const inner = start + VXLAN_HEADER;
  if (inner >= end || !mayEncapsulate(p, inner, end)) return;
  p.call(eth, inner, end);
}

// ---- encoding ----

export interface VxlanRepr {
  /** Defaults to 0x0800 (the I flag: VNI valid, RFC 7348 §5). */
  flags?: number;
  groupPolicyId?: number;
  vni: number;
}

export function encodeVxlan(repr: VxlanRepr, inner: Uint8Array): Uint8Array {
  const out = new Uint8Array(VXLAN_HEADER + inner.length);
  const flags = repr.flags ?? FLAG_I;
  out[0] = flags >>> 8;
  out[1] = flags & 0xff;
  out[2] = ((repr.groupPolicyId ?? 0) >>> 8) & 0xff;
  out[3] = (repr.groupPolicyId ?? 0) & 0xff;
  out[4] = (repr.vni >>> 16) & 0xff;
  out[5] = (repr.vni >>> 8) & 0xff;
  out[6] = repr.vni & 0xff;
  out.set(inner, VXLAN_HEADER);
  return out;
}

export function parseVxlan(bytes: Uint8Array): { repr: Required<VxlanRepr>; inner: Uint8Array } | undefined {
  if (bytes.length < VXLAN_HEADER) return undefined;
  return {
    repr: {
      flags: (bytes[0]! << 8) | bytes[1]!,
      groupPolicyId: (bytes[2]! << 8) | bytes[3]!,
      vni: (bytes[4]! << 16) | (bytes[5]! << 8) | bytes[6]!,
    },
    inner: bytes.subarray(VXLAN_HEADER),
  };
}

tables.udpPort.register(UDP_PORT_VXLAN, vxlan);
