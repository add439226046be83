// IEEE 802.2 Logical Link Control: DSAP(1) SSAP(1) Control(1 or 2), and SNAP (IEEE 802-2014
// §10.3) when both SAPs are 0xAA: OUI(3) + PID(2). Under OUI 00:00:00 the PID is an ethertype
// (RFC 1042), so it dispatches through the ethertype table; other OUIs go to `tables.snapPid`
// keyed by (OUI << 16 | PID). Non-SNAP payloads dispatch by DSAP (`tables.llcDsap`).
// Control-field spelling follows Wireshark's packet-xdlc.c ("U, func=UI").
import type { Dissection } from '../dissect/dissection';
import { bitPattern, hex } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { vendorLongName } from '../dissect/manuf';
import { data } from './data';
import { ETHERTYPES } from './eth';

const SAP_SNAP = 0xaa;

/** Service Access Point names (IEEE 802 numbering, as Wireshark's sap_vals). */
export const SAPS: Readonly<Record<number, string>> = {
  0x00: 'NULL LSAP',
  0x02: 'LLC Sub-Layer Management Individual',
  0x03: 'LLC Sub-Layer Management Group',
  0x04: 'SNA Path Control Individual',
  0x05: 'SNA Path Control Group',
  0x06: 'TCP/IP',
  0x08: 'SNA',
  0x0c: 'SNA',
  0x0e: 'PROWAY (IEC955) Network Management and Initialization',
  0x10: 'NetWare (unofficial?)',
  0x14: 'ISO Network Management',
  0x18: 'Texas Instruments',
  0x42: 'Spanning Tree BPDU',
  0x4e: 'EIA RS-511 Manufacturing Message Service',
  0x54: 'ISO 8208 (X.25 over 802.2)',
  0x7e: 'ISO 8208 (X.25 over 802.2)',
  0x80: 'XNS',
  0x82: 'BACnet',
  0x86: 'Nestar',
  0x8e: 'PROWAY (IEC955) Active Station List Maintenance',
  0x98: 'ARP',
  0xa6: 'RDE',
  0xaa: 'SNAP',
  0xba: 'Banyan Vines',
  0xbc: 'Banyan Vines',
  0xe0: 'NetWare',
  0xf0: 'NetBIOS',
  0xf4: 'IBM Net Management',
  0xf8: 'HP Extended LLC',
  0xfa: 'UB',
  0xfc: 'Remote Program Load',
  0xfe: 'ISO Network Layer',
  0xff: 'Global LSAP',
};

/** Unnumbered-frame modifiers (control & 0xEC): [command, response] abbreviations and names. */
const U_MODIFIERS: Readonly<Record<number, readonly [string, string, string, string]>> = {
  0x00: ['UI', 'UI', 'Unnumbered Information', 'Unnumbered Information'],
  0x20: ['UP', 'UP', 'Unnumbered Poll', 'Unnumbered Poll'],
  0x40: ['DISC', 'RD', 'Disconnect', 'Request Disconnect'],
  0x60: ['UA', 'UA', 'Unnumbered Acknowledge', 'Unnumbered Acknowledge'],
  0x80: ['SNRM', 'SNRM', 'Set Normal Response Mode', 'Set Normal Response Mode'],
  0x84: ['FRMR', 'FRMR', 'Frame reject', 'Frame reject'],
  0xe0: ['TEST', 'TEST', 'Test', 'Test'],
  0x04: ['SIM', 'RIM', 'Set Initialization Mode', 'Request Initialization Mode'],
  0xc4: ['CFGR', 'CFGR', 'Configure', 'Configure'],
  0x0c: ['SARM', 'DM', 'Set Asynchronous Response Mode', 'Disconnect Mode'],
  0x2c: ['SABM', 'SABM', 'Set Asynchronous Balanced Mode', 'Set Asynchronous Balanced Mode'],
  0x4c: [
    'SARME',
    'SARME',
    'Set Asynchronous Response Mode Extended',
    'Set Asynchronous Response Mode Extended',
  ],
  0x6c: [
    'SABME',
    'SABME',
    'Set Asynchronous Balanced Mode Extended',
    'Set Asynchronous Balanced Mode Extended',
  ],
  0x8c: ['RESET', 'RESET', 'Reset', 'Reset'],
  0xac: ['XID', 'XID', 'Exchange identification', 'Exchange identification'],
  0xcc: ['SNRME', 'SNRME', 'Set Normal Response Mode Extended', 'Set Normal Response Mode Extended'],
  0xec: ['BCN', 'BCN', 'Beacon', 'Beacon'],
};
const S_FUNCS: Readonly<Record<number, string>> = { 0x00: 'RR', 0x04: 'RNR', 0x08: 'REJ', 0x0c: 'SREJ' };
const FRAME_TYPES: Readonly<Record<number, string>> = {
  0: 'Information frame',
  1: 'Supervisory frame',
  3: 'Unnumbered frame',
};

export const llc = defineProtocol({
  abbrev: 'llc',
  name: 'Logical-Link Control',
  short: 'LLC',
  fields: {
    dsap: { abbrev: 'llc.dsap', name: 'DSAP', type: 'uint8', base: 'hex', vals: SAPS },
    dsapSap: { abbrev: 'llc.dsap.sap', name: 'SAP', type: 'uint8', base: 'dec', mask: 0xfe },
    dsapIg: { abbrev: 'llc.dsap.ig', name: 'IG Bit', type: 'bool', mask: 0x01, tfs: ['Group', 'Individual'] },
    ssap: { abbrev: 'llc.ssap', name: 'SSAP', type: 'uint8', base: 'hex', vals: SAPS },
    ssapSap: { abbrev: 'llc.ssap.sap', name: 'SAP', type: 'uint8', base: 'dec', mask: 0xfe },
    ssapCr: { abbrev: 'llc.ssap.cr', name: 'CR Bit', type: 'bool', mask: 0x01, tfs: ['Response', 'Command'] },
    control: { abbrev: 'llc.control', name: 'Control', type: 'uint16', base: 'hex' },
    nR: { abbrev: 'llc.control.n_r', name: 'N(R)', type: 'uint16', base: 'dec', mask: 0xfe00 },
    nS: { abbrev: 'llc.control.n_s', name: 'N(S)', type: 'uint16', base: 'dec', mask: 0x00fe },
    poll: { abbrev: 'llc.control.p', name: 'Poll', type: 'bool', mask: 0x10 },
    final: { abbrev: 'llc.control.f', name: 'Final', type: 'bool', mask: 0x10 },
    sFtype: {
      abbrev: 'llc.control.s_ftype',
      name: 'Supervisory frame type',
      type: 'uint16',
      base: 'hex',
      mask: 0x0c,
    },
    uModifierCmd: {
      abbrev: 'llc.control.u_modifier_cmd',
      name: 'Command',
      type: 'uint8',
      base: 'hex',
      mask: 0xec,
    },
    uModifierResp: {
      abbrev: 'llc.control.u_modifier_resp',
      name: 'Response',
      type: 'uint8',
      base: 'hex',
      mask: 0xec,
    },
    // Wireshark registers this once per frame kind (16-bit mask 0x1, 8-bit mask 0x3); we carry
    // the unshifted frame-type bits and print them as tshark does (two hex digits).
    ftype: { abbrev: 'llc.control.ftype', name: 'Frame type', type: 'uint8', base: 'hex', vals: FRAME_TYPES },
    type: { abbrev: 'llc.type', name: 'Type', type: 'uint16', base: 'hex', vals: ETHERTYPES },
    // BASE_OUI: tshark -T fields prints the number in decimal.
    oui: { abbrev: 'llc.oui', name: 'Organization Code', type: 'uint24', base: 'dec' },
    pid: { abbrev: 'llc.pid', name: 'Protocol ID', type: 'uint16', base: 'hex' },
  },
  dissect: dissectLlc,
});

/** SNAP OUIs: 00:00:00 carries an ethertype (`llc.type`), 00:80:c2 IEEE 802.1 bridged PIDs
 * (`llc.pid`); other vendors' PIDs have vendor-specific fields in Wireshark (shown as text here). */
const OUI_ENCAP_ETHER = 0x000000;
const OUI_BRIDGED = 0x0080c2;

function dissectLlc(p: Dissection, start: number, end: number): void {
  const f = llc.f;
  const dsap = p.u8(start);
  const ssap = p.u8(start + 1);
  const c0 = p.u8(start + 2);
  const isResponse = (ssap & 1) === 1;
  // U frames have a 1-byte control; I and S frames a 2-byte one (ISO/IEC 8802-2 §5.4).
  const uFrame = (c0 & 0x03) === 0x03;
  // Extended (2-byte) controls are little-endian, as Wireshark's xdlc reads them.
  const control = uFrame ? c0 : c0 | (p.u8(start + 3) << 8);
  const controlLen = uFrame ? 1 : 2;
  const snap = dsap === SAP_SNAP && ssap === SAP_SNAP;
  const headerLen = 2 + controlLen + (snap ? 5 : 0);

  let summary: string;
  if (uFrame) {
    const mod = U_MODIFIERS[c0 & 0xec];
    const abbrev = mod ? mod[isResponse ? 1 : 0] : `Unknown (0x${hex(c0 & 0xec, 2)})`;
    const pf = c0 & 0x10 ? (isResponse ? ' F' : ' P') : '';
    summary = `U${pf}, func=${abbrev}`;
  } else if ((c0 & 0x01) === 0) {
    const pf = control & 0x0100 ? (isResponse ? ' F' : ' P') : '';
    summary = `I${pf}, N(R)=${control >> 9}, N(S)=${(control & 0xfe) >> 1}`;
  } else {
    const pf = control & 0x0100 ? (isResponse ? ' F' : ' P') : '';
    summary = `S${pf}, func=${S_FUNCS[c0 & 0x0c] ?? '?'}, N(R)=${control >> 9}`;
  }

  const item = p.add(llc.field, start, Math.min(headerLen, p.remaining(start)));
  p.open(item);
  const sapLabel = (v: number) => `${bitPattern(0xfe, 8, v)} = SAP: ${SAPS[v & 0xfe] ?? 'Unknown'}`;
  const sapItemLabel = (name: string, v: number) =>
    `${name}: ${SAPS[v & 0xfe] ?? 'Unknown'} (0x${hex(v, 2)})`;
  const dsapItem = p.add(f.dsap, start, 1, undefined, sapItemLabel('DSAP', dsap));
  p.open(dsapItem);
  p.add(f.dsapSap, start, 1, undefined, sapLabel(dsap));
  p.add(f.dsapIg, start, 1);
  p.close(dsapItem);
  const ssapItem = p.add(f.ssap, start + 1, 1, undefined, sapItemLabel('SSAP', ssap));
  p.open(ssapItem);
  p.add(f.ssapSap, start + 1, 1, undefined, sapLabel(ssap));
  p.add(f.ssapCr, start + 1, 1);
  p.close(ssapItem);
  const ctlItem = p.add(
    f.control,
    start + 2,
    controlLen,
    control,
    `Control field: ${summary} (0x${hex(control, uFrame ? 2 : 4).toUpperCase()})`,
  );
  p.open(ctlItem);
  if (uFrame) {
    const mod = U_MODIFIERS[c0 & 0xec];
    const modField = isResponse ? f.uModifierResp : f.uModifierCmd;
    const name = mod ? mod[isResponse ? 3 : 2] : 'Unknown';
    if (c0 & 0x10) p.add(isResponse ? f.final : f.poll, start + 2, 1);
    p.add(
      modField,
      start + 2,
      1,
      undefined,
      `${bitPattern(0xec, 8, c0)} = ${modField.name}: ${name} (0x${hex((c0 & 0xec) >> 2, 2)})`,
    );
    p.add(f.ftype, start + 2, 1, 3, `${bitPattern(0x03, 8, c0)} = Frame type: Unnumbered frame (0x3)`);
  } else if ((c0 & 0x01) === 0) {
    p.add(f.nR, start + 2, 2, control >> 9);
    if (control & 0x0100) p.add(isResponse ? f.final : f.poll, start + 2, 2, true);
    p.add(f.nS, start + 2, 2, (control & 0x00fe) >> 1);
    p.add(
      f.ftype,
      start + 2,
      2,
      0,
      `${bitPattern(0x0001, 16, control)} = Frame type: Information frame (0x0)`,
    );
  } else {
    p.add(f.nR, start + 2, 2, control >> 9);
    if (control & 0x0100) p.add(isResponse ? f.final : f.poll, start + 2, 2, true);
    p.add(f.sFtype, start + 2, 2, (c0 & 0x0c) >> 2);
    p.add(
      f.ftype,
      start + 2,
      2,
      1,
      `${bitPattern(0x0003, 16, control)} = Frame type: Supervisory frame (0x1)`,
    );
  }
  p.close(ctlItem);
  if (p.columns) p.setInfo(summary);

  let off = start + 2 + controlLen;
  if (snap) {
    const oui = p.u24(off);
    const pid = p.u16(off + 3);
    const org = oui === OUI_ENCAP_ETHER ? 'Encapsulated Ethernet' : (vendorLongName(oui) ?? 'Unknown');
    p.add(f.oui, off, 3, undefined, `Organization Code: ${ouiText(oui)} (${org})`);
    if (oui === OUI_ENCAP_ETHER || oui === OUI_BRIDGED) {
      p.add(oui === OUI_ENCAP_ETHER ? f.type : f.pid, off + 3, 2);
    } else {
      // Vendor OUIs (Cisco's CDP/VTP/DTP…) have their own PID fields in Wireshark, not llc.pid.
      if (p.tree) p.addText(`PID: 0x${hex(pid, 4)}`, off + 3, 2);
    }
    p.close(item);
    if (p.columns)
      p.appendInfo(`; SNAP, OUI 0x${hex(oui, 6).toUpperCase()} (${org}), PID 0x${hex(pid, 4).toUpperCase()}`);
    off += 5;
    const claimed =
      oui === OUI_ENCAP_ETHER
        ? tables.ethertype.dispatch(p, pid, off, end)
        : tables.snapPid.dispatch(p, oui * 0x10000 + pid, off, end);
    if (claimed < 0 && off < end) p.call(data, off, end);
    return;
  }
  p.close(item);
  if (p.columns) {
    const sapName = (v: number) => SAPS[v & 0xfe] ?? `0x${hex(v & 0xfe, 2)}`;
    p.appendInfo(
      `; DSAP ${sapName(dsap)} ${dsap & 1 ? 'Group' : 'Individual'}, SSAP ${sapName(ssap)} ${isResponse ? 'Response' : 'Command'}`,
    );
  }
  if (off >= end) return;
  if (tables.llcDsap.dispatch(p, dsap, off, end) < 0) p.call(data, off, end);
}

function ouiText(oui: number): string {
  const h = hex(oui, 6);
  return `${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
}

// ---- encoding ----

/** Plain representation of an LLC header (with SNAP when `snap` is given). */
export interface LlcRepr {
  dsap: number;
  ssap: number;
  /** Control field; default 0x03 (UI, a 1-byte U frame). Values above 0xff are 2-byte I/S controls. */
  control?: number;
  snap?: { oui: number; pid: number };
}

export function encodeLlc(repr: LlcRepr, payload: Uint8Array): Uint8Array {
  const control = repr.control ?? 0x03;
  const controlLen = (control & 0x03) === 0x03 ? 1 : 2;
  const out = new Uint8Array(2 + controlLen + (repr.snap ? 5 : 0) + payload.length);
  out[0] = repr.dsap;
  out[1] = repr.ssap;
  if (controlLen === 1) out[2] = control;
  else {
    out[2] = control >> 8;
    out[3] = control & 0xff;
  }
  let off = 2 + controlLen;
  if (repr.snap) {
    out[off] = repr.snap.oui >> 16;
    out[off + 1] = (repr.snap.oui >> 8) & 0xff;
    out[off + 2] = repr.snap.oui & 0xff;
    out[off + 3] = repr.snap.pid >> 8;
    out[off + 4] = repr.snap.pid & 0xff;
    off += 5;
  }
  out.set(payload, off);
  return out;
}

// 802.3 frames call LLC directly (eth.ts); SLL's "802.2 LLC" protocol (4) reaches it here.
tables.sllLtype.register(4, llc);
