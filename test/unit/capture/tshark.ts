// Running tshark/capinfos on a capture file, for comparisons with our reader.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { openCaptureFile, type CaptureReader, type CaptureRecord } from '../../../core/capture';

export const hasTshark = existsSync('/usr/bin/tshark');

export interface TsharkFrame {
  time: string;
  capLen: number;
  origLen: number;
  interfaceName: string;
}

/** Frames as tshark reads them (it keeps what it read before an error), plus its error text. */
export function tsharkFrames(path: string): { frames: TsharkFrame[]; error: string; ok: boolean } {
  const run = spawnSync(
    'tshark',
    [
      '-r',
      path,
      '-n',
      '-T',
      'fields',
      '-e',
      'frame.time_epoch',
      '-e',
      'frame.cap_len',
      '-e',
      'frame.len',
      '-e',
      'frame.interface_name',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const frames = run.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [time, capLen, origLen, interfaceName] = l.split('\t');
      return {
        time: time!,
        capLen: Number(capLen),
        origLen: Number(origLen),
        interfaceName: interfaceName ?? '',
      };
    });
  const error = run.stderr
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith('Running as user'))
    .join('\n');
  return { frames, error, ok: run.status === 0 && error === '' };
}

/** Our time in tshark's frame.time_epoch spelling: seconds, '.', nine digits. */
export function epoch(r: { tsSec: number; tsNsec: number }): string {
  if (r.tsSec < 0 && r.tsNsec > 0) {
    // tshark prints negative times as -(|t|).
    const sec = -r.tsSec - 1;
    return `-${sec}.${String(1e9 - r.tsNsec).padStart(9, '0')}`;
  }
  return `${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`;
}

export interface CopiedRecord extends Omit<CaptureRecord, 'data'> {
  data: Uint8Array;
}

/** Every record, copied (the reader reuses its record object). */
export function readAll(reader: CaptureReader): CopiedRecord[] {
  const out: CopiedRecord[] = [];
  for (const r of reader.records()) out.push({ ...r, data: r.data.slice(), comments: r.comments?.slice() });
  return out;
}

export function readFile(path: string): { reader: CaptureReader; records: CopiedRecord[] } {
  const reader = openCaptureFile(path);
  const records = readAll(reader);
  return { reader, records };
}
