// HTTP exchanges for people and tools: the list pairs what tshark pairs, the HAR validates
// against the HAR 1.2 schema (har-schema) and lists tshark's requests and statuses, and the
// exported objects are byte for byte the files the server served (SHA-256).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../../core/capture';
import { readerPackets } from '../../../core/analysis/packet-source';
import {
  exportFileName,
  exportObjects,
  readHttpExchanges,
  toHar,
  type HttpExchangeRow,
} from '../../../core/analysis/http-exchanges';

const ROOT = new URL('../../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const CAPTURES: Record<string, string> = {
  'loopback-mixed': 'test/fixtures/analysis/loopback-mixed.pcap',
  'lossy-http': 'test/fixtures/tcp/lossy-http.pcap',
};

function rowsOf(file: string): HttpExchangeRow[] {
  const reader = openCaptureFile(`${ROOT}${file}`);
  try {
    return readHttpExchanges(readerPackets(reader));
  } finally {
    reader.close();
  }
}

function harValidator() {
  const schemas = require('har-schema') as Record<string, object>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  // The formats har-schema uses (ajv-formats is not a dependency): RFC 3339 times, IP addresses.
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addFormat('ipv4', /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/);
  ajv.addFormat('ipv6', (s: string) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  for (const s of Object.values(schemas)) ajv.addSchema(s);
  return ajv.getSchema('har.json#')!;
}

const served = new Map<string, string>();
for (const line of readFileSync(`${ROOT}test/fixtures/analysis/served.sha256`, 'utf8').trim().split('\n')) {
  const [capture, name, digest] = line.split(' ') as [string, string, string];
  served.set(`${capture}/${name}`, digest);
}

describe.each(Object.entries(CAPTURES))('%s', (name, file) => {
  const rows = rowsOf(file);
  const tsv = readFileSync(`${ROOT}test/fixtures/analysis/expected/${name}/http.tsv`, 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const requests = tsv.map((l) => l.split('\t')).filter((c) => c[1]);
  const responses = tsv.map((l) => l.split('\t')).filter((c) => c[3]);

  it('pairs the requests and responses tshark pairs (frames, methods, URIs, statuses)', () => {
    expect(rows.map((r) => [r.exchange.reqFrame, r.exchange.method, r.exchange.uri])).toEqual(
      requests.map((c) => [Number(c[0]), c[1], c[2]]),
    );
    expect(rows.map((r) => [r.exchange.resFrame, r.exchange.status, r.exchange.reqFrame])).toEqual(
      responses.map((c) => [Number(c[0]), Number(c[3]), Number(c[4])]),
    );
    for (const r of rows) {
      expect(r.client?.port).toBeGreaterThan(1023);
      expect(r.duration).toBeGreaterThan(0);
    }
  });

  it('writes HAR 1.2 that validates and lists the same requests and statuses', () => {
    const har = toHar(rows, { creatorVersion: '0.0.0' }) as {
      log: {
        entries: {
          request: { method: string; url: string };
          response: { status: number; content: { size: number } };
        }[];
      };
    };
    const validate = harValidator();
    expect(validate(har), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ log: { ...har.log, version: undefined, entries: [{}] } })).toBe(false);
    expect(
      har.log.entries.map((e) => [e.request.method, new URL(e.request.url).pathname, e.response.status]),
    ).toEqual(requests.map((c, i) => [c[1], c[2], Number(responses[i]![3])]));
  });

  it('exports each body as the file the server served', () => {
    const objects = exportObjects(rows);
    expect(objects.length).toBe(responses.length);
    for (const o of objects) {
      const original = o.filename.replace(/\(\d+\)(?=\.[^.]*$|$)/, '');
      const digest = createHash('sha256').update(o.data).digest('hex');
      expect(digest, `${name} ${o.filename}`).toBe(served.get(`${name}/${original}`));
    }
  });
});

describe('export file names (Wireshark eo_massage_str / eo_rename)', () => {
  it('escapes characters no file system takes and numbers duplicates before the extension', () => {
    expect(exportFileName('index.html', 0)).toBe('index.html');
    expect(exportFileName('index.html', 2)).toBe('index(2).html');
    expect(exportFileName('search?q=a:b', 0)).toBe('search%3fq=a%3ab');
    expect(exportFileName('README', 1)).toBe('README(1)');
    expect(exportFileName('x'.repeat(300) + '.txt', 0)).toBe('x'.repeat(251) + '.txt');
  });
});
