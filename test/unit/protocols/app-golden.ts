// Golden comparison for application protocols: decode a capture with Wirelens and compare every
// packet with the tshark 4.0 output committed beside it (`<name>.tshark.tsv`, written by
// scripts/fixtures/http-expected.sh): the Protocol and Info columns and each field column.
import { readFileSync } from 'node:fs';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { fieldList, fieldsByAbbrev } from '../../../core/dissect/fields';
import { formatFieldValue } from '../../../core/dissect/format';
import { frameMeta, readClassicPcap } from '../../helpers/decode';
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIpv4 } from '../../../core/protocols/ip';
import { encodeTcp } from '../../../core/protocols/tcp';

const enc = new TextEncoder();

export interface Mismatch {
  frame: number;
  column: string;
  ours: string;
  tshark: string;
}

export interface Expected {
  header: string[];
  rows: string[][];
}

export function readExpected(tsvPath: string): Expected {
  const lines = readFileSync(tsvPath, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const [head, ...rest] = lines;
  return { header: head!.split('\t'), rows: rest.map((l) => l.split('\t')) };
}

/** tshark -T fields escapes CR, LF, tab and backslash in strings. */
function tsharkEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** Our rows in the shape of the expectation: columns and fields we know; unknown fields are
 * listed in `unknown` and left out of the comparison. */
export function decodeLikeTshark(
  pcapPath: string,
  header: string[],
  twoPass = false,
): { rows: string[][]; unknown: string[] } {
  const records = readClassicPcap(pcapPath);
  const wanted = new Uint8Array(fieldList.length);
  const unknown: string[] = [];
  const ids = header.map((name) => {
    if (name.startsWith('_ws.col.') || name === 'frame.number' || name === 'frame.protocols')
      return undefined;
    const f = fieldsByAbbrev.get(name);
    if (!f) unknown.push(name);
    else wanted[f.id] = 1;
    return f;
  });
  const state = new CaptureState();
  const p = new Dissection();
  // tshark -2: a first pass over everything, then each frame again as a revisit.
  if (twoPass)
    for (const r of records) dissectPacket(r.meta, r.data, state, { tree: false, wanted, columns: true }, p);
  const rows = records.map((r) => {
    dissectPacket(r.meta, r.data, state, { tree: false, wanted, columns: true }, p, twoPass);
    return header.map((name, j) => {
      if (name === 'frame.number') return String(r.meta.number);
      if (name === '_ws.col.Protocol') return p.cols.protocol;
      if (name === '_ws.col.Info') return p.cols.info;
      if (name === 'frame.protocols') {
        // tshark decodes all HTTP/2 frames of a segment in one http:http2 call; Wirelens calls
        // http (then http2) once per frame, so a layer repeats: compare each layer's first place.
        return p.protocols.filter((x, i, a) => x !== 'frame' && a.indexOf(x) === i).join(':');
      }
      const f = ids[j];
      if (!f) return '';
      const parts: string[] = [];
      p.valueFields.forEach((vf, i) => {
        if (vf === f) parts.push(tsharkEscape(formatFieldValue(f, p.values[i]!)));
      });
      return parts.join(',');
    });
  });
  return { rows, unknown };
}

/** Every difference, for the columns not in `skip`. */
export function compareApp(
  pcapPath: string,
  tsvPath: string,
  skip: string[] = [],
  /** Compare with `tshark -2` output: decode everything once, then each frame as a revisit. */
  twoPass = false,
): { mismatches: Mismatch[]; unknown: string[] } {
  const exp = readExpected(tsvPath);
  const ours = decodeLikeTshark(pcapPath, exp.header, twoPass);
  const mismatches: Mismatch[] = [];
  if (ours.rows.length !== exp.rows.length)
    mismatches.push({
      frame: 0,
      column: 'packet count',
      ours: String(ours.rows.length),
      tshark: String(exp.rows.length),
    });
  exp.rows.forEach((t, i) => {
    exp.header.forEach((col, j) => {
      if (skip.includes(col) || ours.unknown.includes(col)) return;
      const o = ours.rows[i]?.[j] ?? '';
      if (o !== (t[j] ?? '')) mismatches.push({ frame: i + 1, column: col, ours: o, tshark: t[j] ?? '' });
    });
  });
  return { mismatches, unknown: ours.unknown };
}

/** A real probe: does TCP reassembly hand a message spanning two segments to HTTP once? */
export const reassemblyAvailable = (() => {
  const response = enc.encode('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789');
  const frames = [response.subarray(0, 30), response.subarray(30)].map((payload, i) => {
    const seq = 1000 + (i ? 30 : 0);
    const tcpBytes = encodeTcp(
      { srcPort: 80, dstPort: 40000, seq, ack: 1, flags: { ack: true, psh: true }, window: 1000 },
      payload,
      { src: '192.0.2.1', dst: '192.0.2.2' },
    );
    const ipBytes = encodeIpv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 6, ttl: 64 }, tcpBytes);
    return encodeEthernet({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 0x0800 }, ipBytes);
  });
  const state = new CaptureState();
  const p = new Dissection();
  const layers = frames.map((data, i) => {
    dissectPacket(frameMeta(data, { number: i + 1 }), data, state, { tree: false }, p);
    return [...p.protocols];
  });
  return !layers[0]!.includes('http') && layers[1]!.includes('http');
})();
