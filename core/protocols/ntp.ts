// Network Time Protocol v3/v4 (RFC 1305, RFC 5905 §7.3) on UDP port 123: the 48-byte header
// (leap indicator, version, mode, stratum, poll, precision, root delay/dispersion, reference
// ID, four timestamps), then an optional key ID and MAC (§7.3). Info as tshark: "NTP Version 4,
// client". Timestamps print as tshark does (UTC date, nine decimals truncated; "NULL" for zero),
// so they are string fields here.
import type { Dissection } from '../dissect/dissection';
import { formatAbsoluteTime, hex, ipv4ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';

export const NTP_PORT = 123;
const HEADER = 48;
/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
const NTP_UNIX_OFFSET = 2208988800n;

const LEAP: Readonly<Record<number, string>> = {
  0: 'no warning',
  1: 'last minute of the day has 61 seconds',
  2: 'last minute of the day has 59 seconds',
  3: 'unknown (clock unsynchronized)',
};
const VERSIONS: Readonly<Record<number, string>> = {
  0: 'reserved',
  1: 'NTP Version 1',
  2: 'NTP Version 2',
  3: 'NTP Version 3',
  4: 'NTP Version 4',
  5: 'reserved',
  6: 'reserved',
  7: 'reserved',
};
export const NTP_MODES: Readonly<Record<number, string>> = {
  0: 'reserved',
  1: 'symmetric active',
  2: 'symmetric passive',
  3: 'client',
  4: 'server',
  5: 'broadcast',
  6: 'reserved for NTP control message',
  7: 'reserved for private use',
};

/** Mode names in the Info column and the layer item (shorter than the Mode item's). */
const MODE_INFO: Readonly<Record<number, string>> = {
  0: 'reserved',
  1: 'symmetric active',
  2: 'symmetric passive',
  3: 'client',
  4: 'server',
  5: 'broadcast',
  6: 'control',
  7: 'private',
};

/** RFC 9327 §2 (NTP control messages) opcodes, as Wireshark names them. */
const CTRL_OPCODES: Readonly<Record<number, string>> = {
  0: 'reserved',
  1: 'read status',
  2: 'read variables',
  3: 'write variables',
  4: 'read clock variables',
  5: 'write clock variables',
  6: 'set trap address/port',
  7: 'asynchronous message',
  8: 'runtime configuration',
  9: 'save config to file',
  10: 'retrieve MRU (mrulist)',
  11: 'retrieve ordered list',
  12: 'request a client nonce',
  31: 'unset trap address/port',
};
const CLOCK_SOURCES: Readonly<Record<number, string>> = {
  0: 'unspecified or unknown',
  1: 'Calibrated atomic clock (e.g. HP 5061)',
  2: 'VLF (band 4) or LF (band 5) radio (e.g. OMEGA, WWVB)',
  3: 'HF (band 7) radio (e.g. CHU, MSF, WWV/H)',
  4: 'UHF (band 9) satellite (e.g. GOES, GPS)',
  5: 'local net (e.g. DCN, TSP, DTS)',
  6: 'UDP/NTP',
  7: 'UDP/TIME',
  8: 'eyeball-and-wristwatch',
  9: 'telephone modem (e.g. NIST)',
};
const SYSTEM_EVENTS: Readonly<Record<number, string>> = {
  0: 'unspecified',
  1: 'frequency correction (drift) file not available',
  2: 'frequency correction started (frequency stepped)',
  3: 'spike detected and ignored, starting stepout timer',
  4: 'frequency training started',
  5: 'clock synchronized',
  6: 'system restart',
  7: 'panic stop (required step greater than panic threshold)',
  8: 'no system peer',
  9: 'leap second insertion/deletion armed',
  10: 'leap second disarmed',
  11: 'leap second inserted or deleted',
  12: 'clock stepped (stepout timer expired)',
  13: 'kernel loop discipline status changed',
  14: 'leapseconds table loaded from file',
  15: 'leapseconds table outdated, updated file needed',
};
const RESPONSE_BIT: Readonly<Record<number, string>> = { 0: 'Request', 1: 'Response' };

/** Reference clock sources for stratum 1 (RFC 5905 Figure 12 and Wireshark's list). */
const PRIMARY_SOURCES: Readonly<Record<string, string>> = {
  LOCL: 'uncalibrated local clock',
  CESM: 'calibrated Cesium clock',
  RBDM: 'calibrated Rubidium clock',
  PPS: 'calibrated quartz clock or other pulse-per-second source',
  IRIG: 'Inter-Range Instrumentation Group',
  ACTS: 'NIST telephone modem service',
  USNO: 'USNO telephone modem service',
  PTB: 'PTB (Germany) telephone modem service',
  TDF: 'Allouis (France) Radio 164 kHz',
  DCF: 'Mainflingen (Germany) Radio 77.5 kHz',
  MSF: 'Rugby (UK) Radio 60 kHz',
  WWV: 'Ft. Collins (US) Radio 2.5, 5, 10, 15, 20 MHz',
  WWVB: 'Boulder (US) Radio 60 kHz',
  WWVH: 'Kauai Hawaii (US) Radio 2.5, 5, 10, 15 MHz',
  CHU: 'Ottawa (Canada) Radio 3330, 7335, 14670 kHz',
  LORC: 'LORAN-C radionavigation system',
  OMEG: 'OMEGA radionavigation system',
  GPS: 'Global Position System',
  GAL: 'Galileo Positioning System',
  GOES: 'Geostationary Orbit Environment Satellite',
  INIT: '(Initialization)',
};

export const ntp = defineProtocol({
  abbrev: 'ntp',
  name: 'Network Time Protocol',
  short: 'NTP',
  fields: {
    flags: { abbrev: 'ntp.flags', name: 'Flags', type: 'uint8', base: 'hex' },
    li: { abbrev: 'ntp.flags.li', name: 'Leap Indicator', type: 'uint8', mask: 0xc0, vals: LEAP },
    vn: { abbrev: 'ntp.flags.vn', name: 'Version number', type: 'uint8', mask: 0x38, vals: VERSIONS },
    mode: { abbrev: 'ntp.flags.mode', name: 'Mode', type: 'uint8', mask: 0x07, vals: NTP_MODES },
    stratum: { abbrev: 'ntp.stratum', name: 'Peer Clock Stratum', type: 'uint8' },
    ppoll: { abbrev: 'ntp.ppoll', name: 'Peer Polling Interval', type: 'uint8' },
    precision: { abbrev: 'ntp.precision', name: 'Peer Clock Precision', type: 'uint8' },
    rootdelay: { abbrev: 'ntp.rootdelay', name: 'Root Delay', type: 'uint32' },
    rootdispersion: { abbrev: 'ntp.rootdispersion', name: 'Root Dispersion', type: 'uint32' },
    refid: { abbrev: 'ntp.refid', name: 'Reference ID', type: 'bytes' },
    reftime: { abbrev: 'ntp.reftime', name: 'Reference Timestamp', type: 'string' },
    org: { abbrev: 'ntp.org', name: 'Origin Timestamp', type: 'string' },
    rec: { abbrev: 'ntp.rec', name: 'Receive Timestamp', type: 'string' },
    xmt: { abbrev: 'ntp.xmt', name: 'Transmit Timestamp', type: 'string' },
    keyid: { abbrev: 'ntp.keyid', name: 'Key ID', type: 'bytes' },
    mac: { abbrev: 'ntp.mac', name: 'Message Authentication Code', type: 'bytes' },
    ctrlFlags2: { abbrev: 'ntp.ctrl.flags2', name: 'Flags 2', type: 'uint8', base: 'hex' },
    ctrlR: {
      abbrev: 'ntp.ctrl.flags2.r',
      name: 'Response bit',
      type: 'uint8',
      mask: 0x80,
      vals: RESPONSE_BIT,
    },
    ctrlError: { abbrev: 'ntp.ctrl.flags2.error', name: 'Error bit', type: 'uint8', mask: 0x40 },
    ctrlMore: { abbrev: 'ntp.ctrl.flags2.more', name: 'More bit', type: 'uint8', mask: 0x20 },
    ctrlOpcode: {
      abbrev: 'ntp.ctrl.flags2.opcode',
      name: 'Opcode',
      type: 'uint8',
      mask: 0x1f,
      vals: CTRL_OPCODES,
    },
    ctrlSequence: { abbrev: 'ntp.ctrl.sequence', name: 'Sequence', type: 'uint16' },
    ctrlStatus: { abbrev: 'ntp.ctrl.status', name: 'Status', type: 'uint16', base: 'hex' },
    ctrlSysLi: {
      abbrev: 'ntp.ctrl.sys_status.li',
      name: 'Leap Indicator',
      type: 'uint16',
      mask: 0xc000,
      vals: LEAP,
    },
    ctrlSysClksrc: {
      abbrev: 'ntp.ctrl.sys_status.clksrc',
      name: 'Clock Source',
      type: 'uint16',
      mask: 0x3f00,
      vals: CLOCK_SOURCES,
    },
    ctrlSysCount: {
      abbrev: 'ntp.ctrl.sys_status.count',
      name: 'System Event Counter',
      type: 'uint16',
      mask: 0xf0,
    },
    ctrlSysCode: {
      abbrev: 'ntp.ctrl.sys_status.code',
      name: 'System Event Code',
      type: 'uint16',
      mask: 0xf,
      vals: SYSTEM_EVENTS,
    },
    ctrlAssocid: { abbrev: 'ntp.ctrl.associd', name: 'AssociationID', type: 'uint16' },
    ctrlOffset: { abbrev: 'ntp.ctrl.offset', name: 'Offset', type: 'uint16' },
    ctrlCount: { abbrev: 'ntp.ctrl.count', name: 'Count', type: 'uint16' },
    ctrlData: { abbrev: 'ntp.ctrl.data', name: 'Data', type: 'none' },
    ctrlItem: { abbrev: 'ntp.ctrl.item', name: 'Item', type: 'none' },
    priv: { abbrev: 'ntp.priv', name: 'Private data', type: 'bytes' },
  },
  dissect: dissectNtp,
});

function stratumText(s: number): string {
  if (s === 0) return 'unspecified or invalid';
  if (s === 1) return 'primary reference';
  if (s <= 15) return 'secondary reference';
  if (s === 16) return 'unsynchronized';
  return 'reserved';
}

/** An NTP timestamp (RFC 5905 §6: 32-bit seconds since 1900, 32-bit fraction) as tshark prints it. */
export function ntpTimestampText(sec: number, frac: number): string {
  if (sec === 0 && frac === 0) return 'NULL';
  // Era 0 until 2036; a seconds value with the top bit clear is era 1 (RFC 4330 §3).
  const secs = BigInt(sec) + (sec < 0x80000000 ? 0x100000000n : 0n) - NTP_UNIX_OFFSET;
  const ns = (BigInt(frac) * 1_000_000_000n) >> 32n;
  return formatAbsoluteTime(secs * 1_000_000_000n + ns);
}

function dissectNtp(p: Dissection, start: number, end: number): void {
  const f = ntp.f;
  const flags = p.u8(start);
  const vn = (flags >> 3) & 7;
  const mode = flags & 7;
  const summary = `${VERSIONS[vn]}, ${MODE_INFO[mode]}`;
  p.setInfo(summary);
  const top = p.add(
    ntp.field,
    start,
    end - start,
    undefined,
    p.tree ? `Network Time Protocol (${summary})` : undefined,
  );
  p.open(top);
  try {
    const flagsItem = p.add(
      f.flags,
      start,
      1,
      flags,
      p.tree
        ? `Flags: 0x${hex(flags, 2)}, Leap Indicator: ${LEAP[flags >> 6]}, Version number: ${VERSIONS[vn]}, Mode: ${NTP_MODES[mode]}`
        : undefined,
    );
    p.open(flagsItem);
    p.add(f.li, start, 1);
    p.add(f.vn, start, 1);
    p.add(f.mode, start, 1);
    p.close(flagsItem);
    if (mode === 6) {
      control(p, start, end);
      return;
    }
    if (mode === 7) {
      // Mode 7 (ntpdc's private requests) has an implementation-specific layout.
      if (end > start + 1) p.add(f.priv, start + 1, end - start - 1);
      return;
    }
    p.check(start, HEADER);
    const stratum = p.u8(start + 1);
    p.add(
      f.stratum,
      start + 1,
      1,
      stratum,
      p.tree ? `Peer Clock Stratum: ${stratumText(stratum)} (${stratum})` : undefined,
    );
    const poll = p.u8(start + 2);
    p.add(
      f.ppoll,
      start + 2,
      1,
      poll,
      p.tree
        ? `Peer Polling Interval: ${poll >= 4 && poll <= 17 ? `${poll} (${2 ** poll} seconds)` : `invalid (${poll})`}`
        : undefined,
    );
    const precision = p.u8(start + 3);
    const signed = precision >= 128 ? precision - 256 : precision;
    p.add(
      f.precision,
      start + 3,
      1,
      precision,
      p.tree ? `Peer Clock Precision: ${(2 ** signed).toFixed(6)} seconds` : undefined,
    );
    const delay = p.u32(start + 4);
    p.add(
      f.rootdelay,
      start + 4,
      4,
      delay,
      p.tree ? `Root Delay: ${(delay / 65536).toFixed(6)} seconds` : undefined,
    );
    const disp = p.u32(start + 8);
    p.add(
      f.rootdispersion,
      start + 8,
      4,
      disp,
      p.tree ? `Root Dispersion: ${(disp / 65536).toFixed(6)} seconds` : undefined,
    );
    p.add(
      f.refid,
      start + 12,
      4,
      undefined,
      p.tree ? `Reference ID: ${refidText(p, start + 12, stratum)}` : undefined,
    );
    const stamps = [f.reftime, f.org, f.rec, f.xmt] as const;
    stamps.forEach((field, i) => {
      const at = start + 16 + 8 * i;
      if (p.wants(field)) p.add(field, at, 8, ntpTimestampText(p.u32(at), p.u32(at + 4)));
    });
    // RFC 5905 §7.3: an optional key identifier and message digest follow the header.
    const rest = end - (start + HEADER);
    if (rest >= 4) {
      p.add(f.keyid, start + HEADER, 4);
      if (rest > 4) p.add(f.mac, start + HEADER + 4, rest - 4);
    }
  } finally {
    p.close(top);
  }
}

/** RFC 9327 §2: a 12-byte control header, then `count` bytes of data (RFC 1305 Appendix B). */
function control(p: Dissection, start: number, end: number): void {
  const f = ntp.f;
  const flags2 = p.u8(start + 1);
  const isResponse = (flags2 & 0x80) !== 0;
  const opcode = flags2 & 0x1f;
  const opName = CTRL_OPCODES[opcode] ?? 'Unknown';
  const f2 = p.add(
    f.ctrlFlags2,
    start + 1,
    1,
    flags2,
    p.tree
      ? `Flags 2: 0x${hex(flags2, 2)}, Response bit: ${RESPONSE_BIT[flags2 >> 7]}, Opcode: ${opName}`
      : undefined,
  );
  p.open(f2);
  p.add(f.ctrlR, start + 1, 1);
  p.add(f.ctrlError, start + 1, 1);
  p.add(f.ctrlMore, start + 1, 1);
  p.add(f.ctrlOpcode, start + 1, 1);
  p.close(f2);
  p.add(f.ctrlSequence, start + 2, 2);
  const status = p.u16(start + 4);
  const associd = p.u16(start + 6);
  const system = isResponse && associd === 0 && status !== 0;
  const statusItem = p.add(
    f.ctrlStatus,
    start + 4,
    2,
    status,
    p.tree && system
      ? `Status: 0x${hex(status, 4)}, Leap Indicator: ${LEAP[status >> 14]}, Clock Source: ${CLOCK_SOURCES[(status >> 8) & 0x3f] ?? 'Unknown'}, System Event Code: ${SYSTEM_EVENTS[status & 0xf]}`
      : undefined,
  );
  if (system) {
    p.open(statusItem);
    p.add(f.ctrlSysLi, start + 4, 2);
    p.add(f.ctrlSysClksrc, start + 4, 2);
    p.add(f.ctrlSysCount, start + 4, 2);
    p.add(f.ctrlSysCode, start + 4, 2);
    p.close(statusItem);
  }
  p.add(f.ctrlAssocid, start + 6, 2, associd);
  p.add(f.ctrlOffset, start + 8, 2);
  const count = p.u16(start + 10);
  p.add(f.ctrlCount, start + 10, 2, count);
  const data = start + 12;
  if (count === 0 || data >= end) return;
  const len = Math.min(count, end - data);
  const dataItem = p.add(f.ctrlData, data, len);
  p.open(dataItem);
  if (opcode === 1 && isResponse) {
    // Read status: (association ID, status) pairs.
    for (let o = data; o + 4 <= data + len; o += 4) {
      const item = p.add(f.ctrlItem, o, 4);
      p.open(item);
      p.add(f.ctrlAssocid, o, 2);
      p.add(f.ctrlStatus, o + 2, 2);
      p.close(item);
    }
  } else if (p.tree) {
    // Variables as text: "name=value" separated by commas and line ends.
    const text = String.fromCharCode(...p.bytes(data, len));
    let o = data;
    for (const part of text.split(',')) {
      const trimmed = part.trim();
      if (trimmed) p.addText(trimmed, o, part.length);
      o += part.length + 1;
    }
  }
  p.close(dataItem);
}

function refidText(p: Dissection, at: number, stratum: number): string {
  const v = p.u32(at);
  if (stratum <= 1) {
    if (v === 0) return 'NULL';
    const b = p.bytes(at, 4);
    let code = '';
    for (const c of b) if (c !== 0) code += String.fromCharCode(c);
    return PRIMARY_SOURCES[code] ?? `Unidentified reference source '${code}'`;
  }
  return ipv4ToString(v);
}

tables.udpPort.register(NTP_PORT, ntp);
