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
  const summary = `${VERSIONS[vn]}, ${NTP_MODES[mode]}`;
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

function refidText(p: Dissection, at: number, stratum: number): string {
  const v = p.u32(at);
  if (stratum <= 1) {
    if (v === 0) return 'NULL';
    const b = p.bytes(at, 4);
    let code = '';
    for (const c of b) if (c !== 0) code += String.fromCharCode(c);
    return PRIMARY_SOURCES[code] ?? code;
  }
  return ipv4ToString(v);
}

tables.udpPort.register(NTP_PORT, ntp);
