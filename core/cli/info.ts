// `wirelens info FILE`: a capinfos-like summary of a capture, computed by opening it in the
// Engine (the same single pass the app makes).
import type { CaptureSummary } from '../engine/api';
import { Engine } from '../engine/engine';
import { formatRelativeTime } from './summary-line';

function utcTime(t: number): string {
  const sec = Math.floor(t);
  const d = new Date(sec * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const ns = Math.round((t - sec) * 1e9);
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

export function formatSummary(s: CaptureSummary): string {
  const line = (k: string, v: string) => `${(k + ':').padEnd(26)}${v}\n`;
  let out = '';
  out += line('File name', s.path ?? s.name);
  out += line('File type', s.formatDescription);
  const encaps = [...new Set(s.interfaces.map((i) => `${i.linkTypeName} (${i.linkType})`))];
  out += line('File encapsulation', encaps.length ? encaps.join(', ') : 'none');
  out += line('File size', size(s.fileSize));
  out += line('Number of packets', String(s.packets));
  out += line('Data size', size(s.bytes));
  if (s.firstTime !== undefined && s.lastTime !== undefined) {
    out += line('Capture duration', `${formatRelativeTime(s.durationSeconds * 1e9, 6)} seconds`);
    out += line('First packet time', utcTime(s.firstTime));
    out += line('Last packet time', utcTime(s.lastTime));
    if (s.durationSeconds > 0) {
      out += line('Data byte rate', `${(s.bytes / s.durationSeconds).toFixed(0)} bytes/s`);
      out += line('Data bit rate', `${((s.bytes * 8) / s.durationSeconds).toFixed(0)} bits/s`);
      out += line('Average packet rate', `${(s.packets / s.durationSeconds).toFixed(0)} packets/s`);
    }
    out += line('Average packet size', `${(s.bytes / s.packets).toFixed(2)} bytes`);
  }
  out += line('Malformed packets', String(s.malformedPackets));
  for (const c of s.comments) out += line('Capture comment', c);
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

export async function infoCommand(file: string): Promise<CaptureSummary> {
  const engine = new Engine({ yieldDuringOpen: false });
  try {
    return await engine.openFile(file);
  } finally {
    engine.close();
  }
}
