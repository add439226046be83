// `wirelens stats SPEC[ SPEC…] FILE [--format text|csv|json]`: the statistics tshark prints with
// `-q -z conv,tcp` and friends, all computed in one pass over the capture.
import { openCaptureFile } from '../capture';
import type { Conversation, Endpoint } from '../analysis/conversations';
import type { HierarchyNode } from '../analysis/protocol-hierarchy';
import {
  collectStats,
  formatStatsText,
  parseStatsRequest,
  type StatsRequest,
  type StatsResult,
} from '../analysis/stats';
import { readerPackets } from '../analysis/packet-source';
import type { Output } from './output';
import { UsageError } from './usage';

export interface StatsOptions {
  file: string;
  requests: StatsRequest[];
  format: 'text' | 'csv' | 'json';
}

export const STATS_HELP = `Usage: wirelens stats SPEC [SPEC…] FILE [--format text|csv|json]

Prints statistics as tshark -q -z SPEC does (same layout and sort order):
  conv,eth|ip|ipv6|tcp|udp        conversations: frames and bytes each way, start, duration
  endpoints,eth|ip|ipv6|tcp|udp   endpoints: packets and bytes sent and received
  phs                             protocol hierarchy (also io,phs)
  expert                          expert information by severity, group and protocol
  io,INTERVAL                     frames and bytes per INTERVAL seconds (0: whole capture;
                                  also io,stat,INTERVAL)

Options:
  --format text|csv|json   text (default) as tshark prints it; csv (one table per SPEC,
                           separated by a blank line) or json (an array, one object per SPEC)
`;

export function parseStats(args: string[]): StatsOptions {
  const o: StatsOptions = { file: '', requests: [], format: 'text' };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(9) : args[++i];
      if (v !== 'text' && v !== 'csv' && v !== 'json')
        throw new UsageError(`stats: --format must be text, csv or json, not "${v ?? ''}"`);
      o.format = v;
    } else if (a === '-z') {
      const v = args[++i];
      if (v === undefined) throw new UsageError('option -z needs a value');
      rest.push(v);
    } else if (a === '-r') {
      const v = args[++i];
      if (v === undefined) throw new UsageError('option -r needs a value');
      o.file = v;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a} (see wirelens help stats)`);
    } else rest.push(a);
  }
  if (!o.file) {
    if (rest.length < 2)
      throw new UsageError('stats: give a statistic and a capture file (see wirelens help stats)');
    o.file = rest.pop()!;
  }
  if (!rest.length) throw new UsageError('stats: no statistic given (see wirelens help stats)');
  for (const spec of rest) {
    try {
      o.requests.push(parseStatsRequest(spec));
    } catch (e) {
      throw new UsageError(`stats: ${(e as Error).message}`);
    }
  }
  return o;
}

export function statsCommand(o: StatsOptions, out: Output): { damage?: { offset: number; reason: string } } {
  const reader = openCaptureFile(o.file);
  try {
    const { results } = collectStats(readerPackets(reader), o.requests);
    if (o.format === 'json') out.write(JSON.stringify(results.map(jsonResult), null, 2) + '\n');
    else if (o.format === 'csv') out.write(results.map(csvResult).join('\n'));
    else for (const r of results) out.write(formatStatsText(r));
    return reader.damage ? { damage: reader.damage } : {};
  } finally {
    reader.close();
  }
}

function jsonResult(r: StatsResult): unknown {
  if (r.type === 'io') {
    const { text: _text, ...rest } = r;
    return rest;
  }
  return r;
}

function csvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLines(header: string[], rows: (string | number | undefined)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

function csvResult(r: StatsResult): string {
  switch (r.type) {
    case 'conv':
      return csvLines(
        [
          'Address A',
          'Port A',
          'Address B',
          'Port B',
          'Stream',
          'Packets',
          'Bytes',
          'Packets A → B',
          'Bytes A → B',
          'Packets B → A',
          'Bytes B → A',
          'Rel Start',
          'Duration',
        ],
        r.conversations.map((c: Conversation) => [
          c.addressA,
          c.portA,
          c.addressB,
          c.portB,
          c.stream,
          c.framesAB + c.framesBA,
          c.bytesAB + c.bytesBA,
          c.framesAB,
          c.bytesAB,
          c.framesBA,
          c.bytesBA,
          c.relStart.toFixed(9),
          c.duration.toFixed(6),
        ]),
      );
    case 'endpoints':
      return csvLines(
        ['Address', 'Port', 'Packets', 'Bytes', 'Tx Packets', 'Tx Bytes', 'Rx Packets', 'Rx Bytes'],
        r.endpoints.map((e: Endpoint) => [
          e.address,
          e.port,
          e.txFrames + e.rxFrames,
          e.txBytes + e.rxBytes,
          e.txFrames,
          e.txBytes,
          e.rxFrames,
          e.rxBytes,
        ]),
      );
    case 'phs': {
      const rows: (string | number)[][] = [];
      const walk = (nodes: HierarchyNode[], path: string): void => {
        for (const n of nodes) {
          const p = path ? `${path}:${n.protocol}` : n.protocol;
          rows.push([p, n.protocol, n.frames, n.bytes]);
          walk(n.children, p);
        }
      };
      walk(r.root.children, '');
      return csvLines(['Path', 'Protocol', 'Frames', 'Bytes'], rows);
    }
    case 'expert':
      return csvLines(
        ['Severity', 'Group', 'Protocol', 'Summary', 'Count', 'First Frame'],
        r.entries.map((e) => [e.severity, e.group, e.protocol, e.summary, e.count, e.frames[0]]),
      );
    case 'io':
      return csvLines(
        ['Interval Start', 'Frames', 'Bytes'],
        r.buckets.map((b) => [b.start.toFixed(6), b.frames, b.bytes]),
      );
  }
}
