// `wirelens info FILE`: a capinfos-like summary of a capture. Like capinfos it reads the
// records without decoding them, so it takes a fraction of a `read`.
import { openCaptureFile, type CaptureFileInfo } from '../capture';
import type { CaptureSummary } from '../engine/api';
import { interfaceInfo } from '../engine/engine';
import { formatRelativeTime } from './summary-line';

export type FileSummary = Omit<CaptureSummary, 'malformedPackets' | 'loadMilliseconds'> & {
  sections: CaptureFileInfo['sections'];
  /** Exact first/last timestamps (seconds, nanoseconds): a double loses the nanoseconds. */
  first?: [number, number];
  last?: [number, number];
};

function utcTime([sec, ns]: [number, number]): string {
  const d = new Date(sec * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(ns).padStart(9, '0')} UTC`
  );
}

function size(n: number): string {
  if (n < 1000) return `${n} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]} (${n} bytes)`;
}

export function formatSummary(s: FileSummary): string {
  const line = (k: string, v: string) => `${(k + ':').padEnd(26)}${v}\n`;
  let out = '';
  out += line('File name', s.path ?? s.name);
  out += line('File type', s.formatDescription);
  const encaps = [...new Set(s.interfaces.map((i) => `${i.linkTypeName} (${i.linkType})`))];
  out += line('File encapsulation', encaps.length ? encaps.join(', ') : 'none');
  out += line('File size', size(s.fileSize));
  out += line('Number of packets', String(s.packets));
  out += line('Data size', size(s.bytes));
  if (s.first && s.last) {
    out += line('Capture duration', `${formatRelativeTime(s.durationSeconds * 1e9, 6)} seconds`);
    out += line('First packet time', utcTime(s.first));
    out += line('Last packet time', utcTime(s.last));
    if (s.durationSeconds > 0) {
      out += line('Data byte rate', `${(s.bytes / s.durationSeconds).toFixed(0)} bytes/s`);
      out += line('Data bit rate', `${((s.bytes * 8) / s.durationSeconds).toFixed(0)} bits/s`);
      out += line('Average packet rate', `${(s.packets / s.durationSeconds).toFixed(0)} packets/s`);
    }
    out += line('Average packet size', `${(s.bytes / s.packets).toFixed(2)} bytes`);
  }
  for (const c of s.comments) out += line('Capture comment', c);
  for (const sec of s.sections) {
    if (sec.hardware) out += line('Capture hardware', sec.hardware);
    if (sec.os) out += line('Capture oper-sys', sec.os);
    if (sec.userAppl) out += line('Capture application', sec.userAppl);
  }
  out += line('Number of interfaces', String(s.interfaces.length));
  for (const i of s.interfaces) {
    out += `Interface #${i.id} info:\n`;
    if (i.name !== undefined) out += line('    Name', i.name);
    if (i.description !== undefined) out += line('    Description', i.description);
    out += line('    Encapsulation', `${i.linkTypeName} (${i.linkType})`);
    out += line('    Capture length', String(i.snapLen));
    out += line('    Time precision', i.tsResolution);
    out += line('    Number of packets', String(i.packets));
  }
  if (s.damage) out += line('Damage', `at byte ${s.damage.offset}: ${s.damage.reason}`);
  return out;
}

export function infoCommand(file: string): FileSummary {
  const reader = openCaptureFile(file);
  try {
    let packets = 0;
    let bytes = 0;
    let firstSec = 0;
    let firstNsec = 0;
    let lastSec = 0;
    let lastNsec = 0;
    for (const r of reader.records()) {
      if (packets === 0) {
        firstSec = r.tsSec;
        firstNsec = r.tsNsec;
      }
      packets++;
      bytes += r.capLen;
      lastSec = r.tsSec;
      lastNsec = r.tsNsec;
    }
    const info = reader.info;
    const s: FileSummary = {
      name: file.split(/[\\/]/).pop() ?? file,
      path: file,
      format: info.format,
      formatDescription: info.compressed
        ? `gzip-compressed ${info.formatDescription}`
        : info.formatDescription,
      compressed: info.compressed,
      fileSize: info.fileSize,
      packets,
      bytes,
      durationSeconds: packets ? lastSec - firstSec + (lastNsec - firstNsec) / 1e9 : 0,
      interfaces: interfaceInfo(info),
      comments: [...info.comments],
      sections: info.sections,
    };
    if (packets) {
      s.firstTime = firstSec + firstNsec / 1e9;
      s.lastTime = lastSec + lastNsec / 1e9;
      s.first = [firstSec, firstNsec];
      s.last = [lastSec, lastNsec];
    }
    if (reader.damage) s.damage = { ...reader.damage };
    return s;
  } finally {
    reader.close();
  }
}
