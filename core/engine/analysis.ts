// The Engine API's analysis methods (issue 4) over an open capture: statistics, follow stream,
// HTTP exchanges / HAR / export objects, I/O and flow graphs, expert info. Each call reads the
// capture again from its first packet by file offset (the index keeps no packet bytes) with a
// fresh decoding state; the HTTP exchanges are kept once read (bodies are needed by
// exportObject and exportHar).
import pkg from '../../package.json';
import type { CaptureReader } from '../capture';
import { emptyFrameMeta } from '../dissect/frame-sequence';
import { followStream, formatFollowText, type FollowFormat } from '../analysis/follow';
import { buildFlowGraph } from '../analysis/flow-graph';
import { followHttp } from '../analysis/follow-http';
import {
  exportObjects,
  readHttpExchanges,
  toHar,
  type ExportedObject,
  type HttpExchangeRow,
} from '../analysis/http-exchanges';
import type { PacketSource, SourcePacket } from '../analysis/packet-source';
import { collectIoGraph, collectStats, formatStatsText, parseStatsRequest } from '../analysis/stats';
import { compileFilter, FilterError } from '../filter';
import type {
  ExpertEntryDTO,
  FlowGraphDTO,
  FollowDTO,
  HttpExchangeDTO,
  HttpObjectDTO,
  IoGraphDTO,
  StatsDTO,
  StatsOptionsDTO,
} from './api';
import { EngineError } from './errors';
import type { PacketIndex } from './packet-index';

/** The packets of an open capture, re-read by offset in capture order. */
export function* indexPackets(reader: CaptureReader, idx: PacketIndex): Generator<SourcePacket> {
  const meta = emptyFrameMeta();
  const out: SourcePacket = { meta, data: new Uint8Array(0) };
  for (let i = 0; i < idx.count; i++) {
    idx.frameMeta(i, reader.info.interfaces, meta);
    out.data = reader.readPacketAt(idx.offset[i]!);
    yield out;
  }
}

const base64 = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** Most arrows a flow graph of the whole capture returns (the UI pages a stream instead). */
const MAX_FLOW_ARROWS = 100_000;

export class CaptureAnalysis {
  private http?: { rows: HttpExchangeRow[]; objects: ExportedObject[] };

  constructor(private readonly source: () => PacketSource) {}

  stats(kind: string, _options?: StatsOptionsDTO): StatsDTO {
    let req;
    try {
      req = parseStatsRequest(kind);
    } catch (e) {
      throw new EngineError('bad-request', `${(e as Error).message}.`);
    }
    const [result] = collectStats(this.source(), [req]).results;
    return { kind, result, text: formatStatsText(result!) };
  }

  follow(protocol: 'tcp' | 'udp' | 'http', stream: number, format: FollowFormat = 'ascii'): FollowDTO {
    let r = followStream(this.source(), protocol === 'http' ? 'tcp' : protocol, stream);
    if (protocol === 'http') r = followHttp(r, this.exchanges().rows);
    const dto: FollowDTO = {
      protocol,
      stream,
      filter: r.filter,
      chunks: r.chunks.map((c) => ({
        peer: c.peer,
        frame: c.frame,
        time: c.time,
        base64: base64(c.data),
        ...(c.missing ? { missing: true } : {}),
      })),
      bytes: r.bytes,
      text: formatFollowText(r, format),
    };
    if (r.client) dto.client = { address: r.client.address, port: r.client.port };
    if (r.server) dto.server = { address: r.server.address, port: r.server.port };
    return dto;
  }

  private exchanges(): { rows: HttpExchangeRow[]; objects: ExportedObject[] } {
    if (!this.http) {
      const rows = readHttpExchanges(this.source());
      this.http = { rows, objects: exportObjects(rows) };
    }
    return this.http;
  }

  httpExchanges(): HttpExchangeDTO[] {
    const { rows, objects } = this.exchanges();
    const objectId = (data: Uint8Array | undefined): number | undefined => {
      const i = data ? objects.findIndex((o) => o.data === data) : -1;
      return i < 0 ? undefined : i + 1;
    };
    return rows.map((r) => {
      const x = r.exchange;
      const dto: HttpExchangeDTO = {
        id: r.id,
        time: r.time,
        relTime: r.relTime,
        stream: x.stream,
        version: x.version,
        method: x.method,
        host: x.host,
        uri: x.uri,
        fullUri: x.fullUri,
        status: x.status,
        phrase: x.phrase,
        reqFrame: x.reqFrame,
        resFrame: x.resFrame,
        requestHeaders: x.requestHeaders,
        responseHeaders: x.responseHeaders,
        requestContentType: x.requestContentType,
        responseContentType: x.responseContentType,
        requestBodySize: x.requestBodySize,
        responseBodySize: x.responseBodySize,
        requestBodyLength: x.requestBody?.length ?? 0,
        responseBodyLength: x.responseBody?.length ?? 0,
        bodyTruncated: x.bodyTruncated,
      };
      if (r.duration !== undefined) dto.duration = r.duration;
      if (r.client) dto.client = r.client;
      if (r.server) dto.server = r.server;
      const req = objectId(x.requestBody);
      const res = objectId(x.responseBody);
      if (req) dto.requestObject = req;
      if (res) dto.responseObject = res;
      if (x.decodeError) dto.decodeError = x.decodeError;
      return dto;
    });
  }

  exportHar(): string {
    return JSON.stringify(toHar(this.exchanges().rows, { creatorVersion: pkg.version }), null, 2);
  }

  exportObject(id: number): HttpObjectDTO {
    const { objects } = this.exchanges();
    const o = objects[id - 1];
    if (!o)
      throw new EngineError(
        'bad-request',
        `There is no HTTP object ${id} (the capture has ${objects.length}).`,
      );
    return {
      id,
      frame: o.frame,
      hostname: o.hostname,
      contentType: o.contentType,
      filename: o.filename,
      base64: base64(o.data),
    };
  }

  ioGraph(options: { interval?: unknown; filters?: unknown }): IoGraphDTO {
    const interval = options.interval;
    if (typeof interval !== 'number' || !(interval >= 0) || !Number.isFinite(interval))
      throw new EngineError('bad-request', 'interval must be a number of seconds (0: the whole capture).');
    const exprs = options.filters ?? [];
    if (!Array.isArray(exprs) || exprs.some((f) => typeof f !== 'string') || exprs.length > 16)
      throw new EngineError('bad-request', 'filters must be a list of at most 16 display filters.');
    const filters = (exprs as string[]).map((expr) => {
      try {
        return compileFilter(expr);
      } catch (e) {
        const msg = e instanceof FilterError ? e.message : String(e);
        throw new EngineError('bad-filter', `${expr}: ${msg}`);
      }
    });
    try {
      return collectIoGraph(this.source(), String(interval), filters);
    } catch (e) {
      if (e instanceof RangeError) throw new EngineError('bad-request', `${e.message}.`);
      throw e;
    }
  }

  flowGraph(options: { stream?: unknown } = {}): FlowGraphDTO {
    const s = options.stream;
    if (s !== undefined && (typeof s !== 'number' || !Number.isInteger(s) || s < 0))
      throw new EngineError('bad-request', 'stream must be a tcp.stream number.');
    return buildFlowGraph(this.source(), {
      ...(s !== undefined ? { stream: s as number } : {}),
      maxArrows: MAX_FLOW_ARROWS,
    });
  }

  expertInfo(): ExpertEntryDTO[] {
    const [result] = collectStats(this.source(), [{ type: 'expert' }]).results;
    return result?.type === 'expert' ? result.entries : [];
  }
}
