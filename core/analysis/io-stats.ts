// I/O statistics (Statistics → I/O Graph, `tshark -z io,stat,INTERVAL`): frames and bytes per
// time interval since the first packet.
//
// Counting and layout follow Wireshark 4.0's ui/cli/tap-iostat.c: times are whole microseconds
// (rounded), a packet earlier than the interval being filled is ignored, interval 0 (or one
// longer than the capture) means one row for the whole capture, and the table's widths come
// from the largest values and the duration's magnitude.

import type { IoBucket } from './stats-types';

export type { IoBucket };

/** Wireshark's G_MAXINT32 "whole capture" interval, in microseconds. */
const WHOLE_CAPTURE_US = 2147483647;

export class IoStats {
  /** Interval in microseconds. */
  readonly intervalUs: number;
  /** Decimal places the user gave (1 for `0.5`, 3 for `0.001`, 0 for `1`). */
  readonly precision: number;
  readonly frames: number[] = [0];
  readonly bytes: number[] = [0];
  /** Microseconds since the first packet of the latest packet (the capture's elapsed time). */
  elapsedUs = 0;

  /** `interval` as the user wrote it (`"0.5"`, `"1"`, `"0"`), in seconds. */
  constructor(interval: string) {
    const seconds = Number(interval);
    if (!Number.isFinite(seconds) || seconds < 0 || interval.trim() === '')
      throw new RangeError(`invalid interval "${interval}"`);
    if (seconds === 0) {
      this.intervalUs = WHOLE_CAPTURE_US;
      this.precision = 0;
      return;
    }
    this.intervalUs = Math.floor(seconds * 1e6 + 0.5);
    if (this.intervalUs < 1) throw new RangeError('the interval must be at least 0.000001 seconds, or 0');
    let prec = 6;
    for (let i = 10; i < 10_000_000; i *= 10) {
      if (this.intervalUs % i > 0) break;
      prec--;
    }
    if (prec === 0) {
      // "1.00" asks for two decimals even though the value is whole.
      const dot = interval.indexOf('.');
      if (dot >= 0 && interval.length - dot - 1 > 0) prec = Math.min(interval.length - dot - 1, 6);
    }
    this.precision = prec;
  }

  /** Counts a packet; with `count` false only advances time (a packet another series took). */
  add(relNs: number, length: number, count = true): void {
    const us = Math.floor((relNs + 500) / 1000);
    if (us > this.elapsedUs) this.elapsedUs = us;
    const last = this.frames.length - 1;
    if (us < last * this.intervalUs) return; // earlier than the interval being filled: ignored
    const bucket = Math.floor(us / this.intervalUs);
    while (this.frames.length <= bucket) {
      this.frames.push(0);
      this.bytes.push(0);
    }
    if (!count) return;
    this.frames[bucket]!++;
    this.bytes[bucket]! += length;
  }

  /** Every interval from the first packet to the last (empty ones included). */
  buckets(): IoBucket[] {
    const interval = Math.min(this.intervalUs, Math.max(this.elapsedUs, 1));
    const whole = this.intervalUs >= this.elapsedUs;
    const rows = whole ? 1 : Math.ceil(this.elapsedUs / interval) || 1;
    const out: IoBucket[] = [];
    for (let i = 0; i < rows; i++) {
      out.push({
        start: whole ? 0 : (i * this.intervalUs) / 1e6,
        frames: whole ? sum(this.frames) : (this.frames[i] ?? 0),
        bytes: whole ? sum(this.bytes) : (this.bytes[i] ?? 0),
      });
    }
    return out;
  }
}

function sum(a: number[]): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

function maxOf(a: number[]): number {
  let m = 0;
  for (const v of a) if (v > m) m = v;
  return m;
}

function magnitude(val: number, maxW: number): number {
  let mag = 0;
  for (let i = 0; i < maxW; i++) {
    mag++;
    val = Math.floor(val / 10);
    if (val === 0) break;
  }
  return mag;
}

const sp = (n: number): string => ' '.repeat(Math.max(0, n));
const u = (v: number, w: number): string => String(v).padStart(w);
const z = (v: number, w: number): string => String(v).padStart(w, '0');

/** tap-iostat.c's printcenter: a label centred in a column of `lenval` characters. */
function printCenter(label: string, lenval: number, numpad = 1): string {
  const lenlab = label.length;
  const len = 6 - (Math.trunc((lenval - lenlab) / 2) + numpad);
  if (len > 0 && len < 6) {
    const pad = sp(6 - len);
    return (lenval - lenlab) % 2 === 0 ? `${pad}${label}${pad}|` : ` ${pad}${label}${pad}|`;
  }
  if (len > 0 && len <= 15) return `${label}|`;
  return '';
}

/** The table `tshark -q -z io,stat,INTERVAL` prints (one "Frames and bytes" column). */
export function formatIoStatsText(io: IoStats): string {
  let duration = io.elapsedUs;
  let interval: number;
  let whole = false;
  if (io.intervalUs > duration || io.intervalUs === WHOLE_CAPTURE_US) {
    interval = duration;
    whole = true;
  } else {
    interval = io.intervalUs;
  }
  const durSecsOrig = Math.floor(duration / 1e6);
  const durUsOrig = duration % 1e6;
  let durSecs = durSecsOrig;
  let durUs = durUsOrig;
  let durMag = magnitude(durSecs, 5);
  const durMagFmt = durMag; // the width the row formats keep (set before rounding)
  const invlMag = magnitude(Math.floor(interval / 1e6), 5);
  let prec: number;
  let borderlen: number;
  if (interval === duration) {
    prec = durMag >= 2 ? 1 : durMag === 1 ? 3 : 6;
    borderlen = 30 + durMag + (prec === 0 ? 0 : prec + 1);
  } else {
    prec = io.precision;
    borderlen = 24 + invlMag + (prec === 0 ? 0 : prec + 1);
  }
  let dv = 1e6;
  for (let i = 0; i < prec; i++) dv /= 10;
  if (duration % dv > 5 * Math.floor(dv / 10)) {
    duration += 5 * Math.floor(dv / 10);
    duration = Math.floor(duration / dv) * dv;
    durSecs = Math.floor(duration / 1e6);
    durUs = duration % 1e6;
    durMag = magnitude(durSecs, 5);
  }
  if (whole) interval = duration;

  let invlColW = prec === 0 ? 2 * durMag + 8 : 2 * durMag + 2 * prec + 10;
  invlColW = Math.max(invlColW, 12);
  borderlen = Math.max(borderlen, invlColW);

  const frames = whole ? [sum(io.frames)] : io.frames;
  const bytes = whole ? [sum(io.bytes)] : io.bytes;
  const frW = Math.max(6, magnitude(maxOf(frames), 15));
  const valW = Math.max(5, magnitude(maxOf(bytes), 15));
  const tabrowW = invlColW + frW + 3 + valW + 3;
  borderlen = Math.max(borderlen, tabrowW);
  const maxFilterW = 26; // "| Col  1: Frames and bytes|"
  if (maxFilterW > borderlen && borderlen < 102) borderlen = Math.min(maxFilterW, 102);
  if (borderlen - tabrowW === 1) borderlen++;

  let s = `\n${'='.repeat(borderlen)}\n| IO Statistics${sp(borderlen - 16)}|\n|${sp(borderlen - 2)}|\n`;
  if (prec === 0) {
    s += `| Duration: ${u(durSecsOrig, durMagFmt)}.${u(durUsOrig, 6)} secs${sp(borderlen - 25 - durMag)}|\n`;
    s += `| Interval: ${u(Math.floor(interval / 1e6), durMagFmt)} secs${sp(borderlen - 18 - durMag)}|\n`;
  } else {
    const pad = sp(borderlen - 19 - durMag - prec);
    s += `| Duration: ${u(durSecs, durMagFmt)}.${z(Math.floor(durUs / dv), prec)} secs${pad}|\n`;
    s += `| Interval: ${u(Math.floor(interval / 1e6), durMagFmt)}.${z(Math.floor((interval % 1e6) / dv), prec)} secs${pad}|\n`;
  }
  s += `|${sp(borderlen - 2)}|\n`;
  s += `| Col${u(1, 2)}: Frames and bytes${sp(borderlen - 26)}|\n`;
  s += `|-${'-'.repeat(borderlen - 3)}|\n`;
  const filler = tabrowW < borderlen ? `${sp(borderlen - tabrowW - 1)}|` : '';
  s += `|${sp(invlColW - 2)}|${'1'.padEnd(2)}${sp(frW + valW + 3)}|${filler}`;
  s += `\n| Interval${sp(invlColW - 11)}|${printCenter('Frames', frW)}${printCenter('Bytes', valW)}${filler}`;
  s += `\n|-${'-'.repeat(tabrowW - 3)}|${filler}\n`;

  const rows =
    interval === 0 || duration === 0
      ? 0
      : Math.floor(duration / interval) + (duration % interval > 0 ? 1 : 0);
  const time = (us: number): string =>
    prec === 0
      ? u(Math.floor(us / 1e6), durMagFmt)
      : `${u(Math.floor(us / 1e6), durMagFmt)}.${z(Math.floor((us % 1e6) / dv), prec)}`;
  let t = 0;
  for (let i = 0; i < rows; i++) {
    const last = i === rows - 1;
    const end = last ? duration : t + interval;
    if (prec === 0) {
      const lead = durMag === 1 ? '|  ' : '| ';
      if (last) s += `${lead}${time(t)} <> ${'Dur'.padEnd(durMag >= 3 ? durMag + 1 : 3)}|`;
      else s += `${lead}${time(t)} <> ${time(end)}${durMag === 1 ? '  |' : ' |'}`;
    } else {
      s += `| ${time(t)} <> ${time(end)} |`;
    }
    s += ` ${u(frames[i] ?? 0, frW)} | ${u(bytes[i] ?? 0, valW)} |${filler}\n`;
    t += interval;
  }
  return s + `${'='.repeat(borderlen)}\n`;
}
