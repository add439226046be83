// `wirelens read FILE`: one pass over the capture with one reused Dissection, printing as tshark
// prints: summary lines (default), the details tree (-V), hex dumps (-x), `-T fields`, `-T json`;
// `-w OUT` writes the packets read. Only what the output needs is computed: the default output
// decodes on the fast path with columns, `-T fields` collects only the asked fields.
import '../protocols';
import {
  createCaptureWriter,
  formatForPath,
  openCaptureFile,
  type CaptureReader,
  type CaptureWriter,
} from '../capture';
import { Dissection } from '../dissect/dissection';
import { FrameSequence } from '../dissect/frame-sequence';
import { fieldList } from '../dissect/fields';
import { dissectPacket } from '../dissect/packet';
import { CaptureState } from '../dissect/state';
import { caretLines, compileFilter, FilterError, type CompiledFilter } from '../filter';
import { FieldsPrinter, type ColumnId, type FieldsOptions } from './fields-output';
import { Output } from './output';
import { formatRelativeTime, summaryLine, timeDigits } from './summary-line';
import { hexDumpSources, jsonLayers, treeText } from './tree-text';
import { UsageError } from './usage';

export interface ReadOptions {
  file: string;
  count?: number;
  verbose: boolean;
  hex: boolean;
  format: 'text' | 'fields' | 'json';
  fields: string[];
  fieldsOptions: FieldsOptions;
  writeTo?: string;
  /** `-2`: a first pass that only builds state, then the printing pass as a revisit, so fields
   * known only from later packets (tcp.reassembled_in, *.response_in) print as tshark -2. */
  twoPass?: boolean;
  /** `-Y FILTER`: print (and write) only the packets the display filter matches. */
  filter?: string;
}

export interface ReadResult {
  packets: number;
  /** Set when the file was damaged: printed after the packets that could be read. */
  damage?: { offset: number; reason: string };
}

export function readCommand(opts: ReadOptions, out: Output): ReadResult {
  // Validate the fields before touching the file, so usage errors come first.
  const fields =
    opts.format === 'fields' ? new FieldsPrinter(opts.fields, fieldList.length, opts.fieldsOptions) : null;
  const filter = opts.filter ? compileReadFilter(opts.filter) : null;
  const reader = openCaptureFile(opts.file);
  try {
    return readAll(reader, opts, fields, out, filter);
  } finally {
    reader.close();
  }
}

function readAll(
  reader: CaptureReader,
  opts: ReadOptions,
  fields: FieldsPrinter | null,
  out: Output,
  filter: CompiledFilter | null = null,
): ReadResult {
  const tree = opts.verbose || opts.format === 'json' || (opts.hex && opts.format === 'text');
  const columns = opts.format === 'text' ? !opts.verbose && !opts.hex : (fields?.needsColumns ?? false);
  let wanted = fields?.wanted ?? null;
  if (filter && filter.fields.length) {
    wanted = wanted ? wanted.slice() : new Uint8Array(fieldList.length);
    filter.markWanted(wanted);
  }
  const dopts = { tree, columns, wanted };
  const p = new Dissection();
  const state = new CaptureState();
  const frames = new FrameSequence(reader.info.interfaces);
  const meta = frames.meta;
  const interfaces = reader.info.interfaces;
  const limit = opts.count ?? Infinity;
  let writer: CaptureWriter | undefined;
  const writerIds = new Map<number, number>();
  if (opts.writeTo) {
    const { format, gzip } = formatForPath(opts.writeTo);
    writer = createCaptureWriter(opts.writeTo, format, { gzip });
  }
  if (fields && fields.opts.header) out.write(fields.header());
  if (opts.format === 'json') out.write('[\n');

  let n = 0;
  let printed = 0;
  let digitsFor = -1;
  let digits = 6;
  let timeText = '';
  const columnText = (c: ColumnId): string => {
    switch (c) {
      case 'number':
        return String(meta.number);
      case 'time':
        return timeText;
      case 'src':
        return p.cols.src;
      case 'dst':
        return p.cols.dst;
      case 'protocol':
        return p.cols.protocol;
      case 'length':
        return String(meta.origLen);
      case 'info':
        return p.cols.info;
      case 'dlSrc':
        p.fillLinkColumns();
        return p.cols.dlSrc;
      case 'dlDst':
        p.fillLinkColumns();
        return p.cols.dlDst;
      case 'netSrc':
        return p.cols.netSrc;
      case 'netDst':
        return p.cols.netDst;
    }
  };

  if (opts.twoPass && limit > 0) {
    // First pass (tshark -2): no columns, no fields, no tree; only the per-capture state.
    const first = new FrameSequence(reader.info.interfaces);
    const quick = { tree: false, columns: false, wanted: null };
    let k = 0;
    for (const r of reader.records()) {
      first.next(r);
      dissectPacket(first.meta, r.data, state, quick, p, false);
      if (++k >= limit) break;
    }
  }
  const visited = opts.twoPass === true;
  if (limit > 0) {
    for (const r of reader.records()) {
      n++;
      const iface = interfaces[r.interfaceId];
      frames.next(r);
      dissectPacket(meta, r.data, state, dopts, p, visited);
      if (filter && !filter.match(p)) {
        if (n >= limit) break;
        continue;
      }
      printed++;

      if (columns) {
        if (digitsFor !== r.interfaceId) {
          digitsFor = r.interfaceId;
          digits = timeDigits(iface?.tsResolution);
        }
        timeText = formatRelativeTime(meta.relativeNs, digits);
      }
      if (fields) {
        out.write(fields.line(p, columnText));
      } else if (opts.format === 'json') {
        if (printed > 1) out.write(',\n');
        out.write(jsonPacket(p, r.tsSec));
      } else {
        if (columns) {
          out.write(
            summaryLine(n, timeText, p.cols.src, p.cols.dst, p.cols.protocol, r.origLen, p.cols.info),
          );
        }
        if (opts.verbose) out.write(treeText(p.roots) + (opts.hex ? '' : '\n'));
        if (opts.hex) out.write(hexDumpSources(p.sources) + '\n');
      }
      if (writer) {
        let id = writerIds.get(r.interfaceId);
        if (id === undefined) {
          const src = iface ?? { linkType: meta.linkType, snapLen: 262144 };
          id = writer.addInterface({
            linkType: src.linkType,
            snapLen: src.snapLen,
            ...(iface?.name !== undefined ? { name: iface.name } : {}),
            ...(iface?.description !== undefined ? { description: iface.description } : {}),
          });
          writerIds.set(r.interfaceId, id);
        }
        writer.writePacket({
          interfaceId: id,
          tsSec: r.tsSec,
          tsNsec: r.tsNsec,
          data: r.data,
          origLen: r.origLen,
          ...(r.comments ? { comments: r.comments } : {}),
        });
      }
      if (n >= limit) break;
    }
  }
  if (opts.format === 'json') out.write(printed ? '\n]\n' : ']\n');
  writer?.close();
  const result: ReadResult = { packets: n };
  // With -c the reading may stop before the damage: report it only when reading reached it.
  if (reader.damage && n < limit) result.damage = reader.damage;
  return result;
}

/** Compiles `-Y`; a bad filter is a usage error shown as tshark shows it (message, then the
 * expression with a caret line under the problem). */
function compileReadFilter(expr: string): CompiledFilter {
  try {
    return compileFilter(expr);
  } catch (e) {
    if (e instanceof FilterError) throw new UsageError(`${e.message}\n${caretLines(expr, e.start, e.end)}`);
    throw e;
  }
}

function jsonPacket(p: Dissection, tsSec: number): string {
  const d = new Date(tsSec * 1000);
  const day = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  return (
    '  {\n' +
    `    "_index": "packets-${day}",\n` +
    '    "_type": "doc",\n' +
    '    "_score": null,\n' +
    '    "_source": {\n' +
    `      "layers": ${jsonLayers(p.roots, '      ')}\n` +
    '    }\n' +
    '  }'
  );
}
