// Test helpers: decode every packet of a capture and print fields the way
// `tshark -T fields -e …` does, so protocol tests can compare with tshark 4.0 directly.
// (Reads classic pcap itself so that protocol tests do not depend on core/capture.)
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import '../../core/protocols';
import { dissectPacket } from '../../core/dissect/packet';
import { CaptureState } from '../../core/dissect/state';
import { Dissection, type FrameMeta, type TreeNode } from '../../core/dissect/dissection';
import { fieldList, fieldsByAbbrev } from '../../core/dissect/fields';
import { formatFieldValue } from '../../core/dissect/format';
import { encodeEthernet } from '../../core/protocols/eth';
import { encodeIpv4 } from '../../core/protocols/ip';
import { encodeUdp } from '../../core/protocols/udp';

export interface RawRecord {
  meta: FrameMeta;
  data: Uint8Array;
}

/** Minimal classic-pcap reader (both byte orders, µs/ns) for tests. */
export function readClassicPcap(path: string): RawRecord[] {
  const buf = readFileSync(path);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = dv.getUint32(0, true);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const magicBe = dv.getUint32(0, false);
  if (!le && magicBe !== 0xa1b2c3d4 && magicBe !== 0xa1b23c4d) throw new Error(`${path}: not a classic pcap`);
  const nano = (le ? magic : magicBe) === 0xa1b23c4d;
  const linkType = dv.getUint32(20, le) & 0xffff;
  const out: RawRecord[] = [];
  let first: number | undefined;
  let prev = 0;
  for (let off = 24; off + 16 <= buf.length;) {
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const capLen = dv.getUint32(off + 8, le);
    const origLen = dv.getUint32(off + 12, le);
    if (off + 16 + capLen > buf.length) break;
    const tsNsec = frac * (nano ? 1 : 1000);
    const timeNs = sec * 1e9 + tsNsec; // only differences are used: precise to well under 1 µs
    first ??= timeNs;
    out.push({
      meta: {
        number: out.length + 1,
        tsSec: sec,
        tsNsec,
        relativeNs: Math.round(timeNs - first),
        deltaNs: out.length ? Math.round(timeNs - prev) : 0,
        capLen,
        origLen,
        linkType,
        interfaceId: 0,
      },
      data: new Uint8Array(buf.buffer, buf.byteOffset + off + 16, capLen),
    });
    prev = timeNs;
    off += 16 + capLen;
  }
  return out;
}

/** Every packet's values for `fields`, one string per field, occurrences joined by ',' like tshark. */
export function decodeFields(records: RawRecord[], fields: string[]): string[][] {
  const wanted = new Uint8Array(fieldList.length);
  const ids = fields.map((name) => {
    const f = fieldsByAbbrev.get(name);
    if (!f) throw new Error(`unknown field ${name}`);
    wanted[f.id] = 1;
    return f;
  });
  const state = new CaptureState();
  const p = new Dissection();
  return records.map((r) => {
    dissectPacket(r.meta, r.data, state, { tree: false, wanted, columns: true }, p);
    return ids.map((f) => {
      const parts: string[] = [];
      p.valueFields.forEach((vf, i) => {
        if (vf === f) parts.push(formatFieldValue(f, p.values[i]!));
      });
      return parts.join(',');
    });
  });
}

export const hasTshark = (() => {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** tshark 4.0's values for `fields` (same shape as decodeFields). */
export function tsharkFields(path: string, fields: string[], extra: string[] = []): string[][] {
  const out = execFileSync(
    'tshark',
    ['-r', path, ...extra, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  return out
    .split('\n')
    .filter((l, i, a) => i < a.length - 1 || l !== '')
    .map((l) => l.split('\t'));
}

/**
 * Decodes one hand-built frame asking for `fields` (the fast path, as `-T fields` does); `value`
 * gives a field's occurrences joined by ',' like tshark. `number` and `state` place the frame
 * in a conversation (pairing, followed ports).
 */
export function decodeFrame(
  frame: Uint8Array,
  fields: string[] = [],
  number = 1,
  state = new CaptureState(),
): { p: Dissection; value: (name: string) => string } {
  const wanted = new Uint8Array(fieldList.length);
  for (const f of fields) wanted[fieldsByAbbrev.get(f)!.id] = 1;
  const p = dissectPacket(
    frameMeta(frame, { number }),
    frame,
    state,
    { tree: false, wanted, columns: true },
    new Dissection(),
  );
  const value = (name: string): string =>
    p.valueFields
      .map((f, i) => (f.abbrev === name ? formatFieldValue(f, p.values[i]!) : undefined))
      .filter((v) => v !== undefined)
      .join(',');
  return { p, value };
}

/** Decodes hex text (whitespace ignored) into bytes. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** Metadata for a hand-built frame: number 1, time 0, Ethernet unless `over` says otherwise. */
export function frameMeta(data: Uint8Array, over: Partial<FrameMeta> = {}): FrameMeta {
  return {
    number: 1,
    tsSec: 0,
    tsNsec: 0,
    relativeNs: 0,
    deltaNs: 0,
    capLen: data.length,
    origLen: data.length,
    linkType: 1,
    interfaceId: 0,
    ...over,
  };
}

/**
 * Decodes a capture's frames in order up to `frame` (1-based, as tshark numbers them), that one
 * with its details tree, and returns its dissection (the frames before it set up conversations
 * and reassembly as in a capture's one pass).
 */
export function decodeUpTo(records: readonly RawRecord[], frame: number): Dissection {
  const state = new CaptureState();
  for (const r of records.slice(0, frame - 1))
    dissectPacket(r.meta, r.data, state, { tree: false, columns: true });
  const r = records[frame - 1]!;
  return dissectPacket(r.meta, r.data, state, { tree: true, columns: true });
}

/** Every label of a tree, depth first. */
export function labels(nodes: readonly TreeNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.label);
    if (n.children) labels(n.children, out);
  }
  return out;
}

/** The first item, depth first, whose label matches `re`. */
export function findLabel(nodes: readonly TreeNode[], re: RegExp): TreeNode | undefined {
  for (const n of nodes) {
    if (re.test(n.label)) return n;
    const c = n.children && findLabel(n.children, re);
    if (c) return c;
  }
  return undefined;
}

/** An Ethernet / IPv4 (id 1, TTL 64) / UDP frame around `payload`, built by the encoders. */
export function udpFrame(
  payload: Uint8Array,
  srcPort: number,
  dstPort: number,
  at: { src: string; dst: string; ethSrc: string; ethDst: string },
): Uint8Array {
  const udp = encodeUdp({ srcPort, dstPort }, payload, { src: at.src, dst: at.dst });
  const ip = encodeIpv4({ src: at.src, dst: at.dst, protocol: 17, id: 1, ttl: 64 }, udp);
  return encodeEthernet({ dst: at.ethDst, src: at.ethSrc, type: 0x0800 }, ip, false);
}
