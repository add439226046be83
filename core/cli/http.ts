// `wirelens http FILE [--har OUT.har] [--export-objects DIR]`: the HTTP exchanges of a capture
// as a list, as HAR 1.2, and as files like Wireshark's File → Export Objects → HTTP.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pkg from '../../package.json';
import { openCaptureFile } from '../capture';
import { exportObjects, formatExchangeList, readHttpExchanges, toHar } from '../analysis/http-exchanges';
import { readerPackets } from '../analysis/packet-source';
import type { Output } from './output';
import { UsageError, withValues } from './usage';

export interface HttpOptions {
  file: string;
  har?: string;
  exportDir?: string;
}

export const HTTP_HELP = `Usage: wirelens http FILE [--har OUT.har] [--export-objects DIR]

Lists the HTTP exchanges of a capture, requests paired with their responses across keep-alive
and pipelining: time since the first packet, client, server, method, host, URI, status,
content type, body sizes as sent and the time to the response.

Options:
  --har OUT.har          also write the exchanges as HAR 1.2 (bodies decoded: text, or base64)
  --export-objects DIR   also write each body to DIR, named as Wireshark's Export Objects →
                         HTTP names them (last path segment, duplicates numbered "name(1).ext")
`;

export function parseHttp(args: string[]): HttpOptions {
  const o: HttpOptions = { file: '' };
  const files: string[] = [];
  for (const [a, value] of withValues(args)) {
    if (a === '--har') o.har = value();
    else if (a === '--export-objects') o.exportDir = value();
    else if (a.startsWith('-') && a !== '-')
      throw new UsageError(`unknown option ${a} (see wirelens help http)`);
    else files.push(a);
  }
  if (files.length !== 1) throw new UsageError('http: give one capture file');
  o.file = files[0]!;
  return o;
}

export function httpCommand(o: HttpOptions, out: Output): { damage?: { offset: number; reason: string } } {
  const reader = openCaptureFile(o.file);
  try {
    const rows = readHttpExchanges(readerPackets(reader));
    out.write(formatExchangeList(rows));
    if (o.har)
      writeFileSync(o.har, JSON.stringify(toHar(rows, { creatorVersion: pkg.version }), null, 2) + '\n');
    if (o.exportDir) {
      mkdirSync(o.exportDir, { recursive: true });
      for (const obj of exportObjects(rows)) writeFileSync(join(o.exportDir, obj.filename), obj.data);
    }
    return reader.damage ? { damage: reader.damage } : {};
  } finally {
    reader.close();
  }
}
