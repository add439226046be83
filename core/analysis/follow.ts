// Follow TCP/UDP Stream: the application bytes of one conversation, each direction in the order
// the receiver would read them, as chunks ("records") with the frame each came from.
//
// TCP follows Wireshark 4.0's follow_tcp_tap_listener / check_follow_fragments
// (epan/dissectors/packet-tcp.c), so chunk boundaries and gaps match `tshark -z follow`:
// - data in sequence order; a segment ahead of the expected sequence number waits as a
//   fragment until the gap before it is filled; retransmitted bytes are dropped (first copy
//   wins), only the new tail of a partly repeated segment is kept;
// - when the other side acknowledges beyond a gap that was never captured, a chunk
//   "[N bytes missing in capture file]" (with its terminating NUL, as Wireshark stores it)
//   stands for the missing bytes: a gap is reported, never filled with invented data.
// Sequence comparisons are modulo 2^32 (RFC 9293 §3.4), via the stream assembler's `seqDiff`.
import '../protocols';
import { Dissection } from '../dissect/dissection';
import { fieldList, fieldsByAbbrev, type Field } from '../dissect/fields';
import { ipv4ToString, ipv6ToString } from '../dissect/format';
import { dissectPacket } from '../dissect/packet';
import { CaptureState } from '../dissect/state';
import { PacketFacts, type AddressPair } from './packet-facts';
import type { PacketSource } from './packet-source';
import { seqDiff } from './stream-assembler';

export type FollowProtocol = 'tcp' | 'udp';
/** What a follow result shows: a transport's bytes, or HTTP messages (core/analysis/follow-http.ts). */
export type FollowKind = FollowProtocol | 'http';
export type FollowFormat = 'ascii' | 'hex' | 'raw' | 'yaml';

export interface FollowChunk {
  /** 0: from the client (node 0, the first packet's source), 1: from the server. */
  peer: 0 | 1;
  frame: number;
  /** Absolute time of the frame, seconds since the epoch (0 for a "missing bytes" chunk). */
  time: number;
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  /** True for Wireshark's "[N bytes missing in capture file]" stand-in. */
  missing?: boolean;
}

export interface FollowResult {
  protocol: FollowKind;
  stream: number;
  /** `tcp.stream eq N`. */
  filter: string;
  client?: { address: string; port: number; ipv6: boolean };
  server?: { address: string; port: number; ipv6: boolean };
  chunks: FollowChunk[];
  /** Bytes each way (client → server, server → client). */
  bytes: [number, number];
}

interface Fragment {
  seq: number;
  data: Uint8Array;
  frame: number;
  tsSec: number;
  tsNsec: number;
}

const fld = (name: string): Field | undefined => fieldsByAbbrev.get(name);

/** The TCP follow state of one stream, fed segment by segment in capture order. */
export class TcpFollower {
  readonly chunks: FollowChunk[] = [];
  private readonly seq = [0, 0];
  private readonly written = [0, 0];
  private readonly fragments: Fragment[][] = [[], []];
  client: { key: string; port: number } | undefined;

  /** One TCP segment of the stream (`payload` is the captured part of its data). */
  segment(
    srcKey: string,
    srcPort: number,
    seqRaw: number,
    ackRaw: number,
    syn: boolean,
    segLen: number,
    payload: Uint8Array,
    frame: number,
    tsSec: number,
    tsNsec: number,
  ): void {
    let sequence = syn ? (seqRaw + 1) >>> 0 : seqRaw >>> 0;
    let length = segLen;
    let data = payload;
    this.client ??= { key: srcKey, port: srcPort };
    const side = this.client.key === srcKey && this.client.port === srcPort ? 0 : 1;
    // Does this frame acknowledge data of the other side that was never captured?
    if (this.fragments[1 - side]!.length) while (this.checkFragments(1 - side, ackRaw >>> 0, frame, true));
    if (this.written[side] === 0 && this.seq[side] === 0) this.seq[side] = sequence;
    if (seqDiff(this.seq[side]!, sequence) < 0) {
      // Older than expected: keep only a tail beyond what was seen (a longer retransmission).
      const nextSeq = (sequence + length) >>> 0;
      if (seqDiff(this.seq[side]!, nextSeq) > 0) {
        const skip = seqDiff(sequence, this.seq[side]!);
        data = data.length <= skip ? data.subarray(0, 0) : data.subarray(skip);
        sequence = this.seq[side]!;
        length = seqDiff(sequence, nextSeq);
      }
    }
    if (sequence === this.seq[side]) {
      if (length > 0) {
        this.emit(side, frame, tsSec, tsNsec, data.slice());
        this.seq[side] = (this.seq[side]! + length) >>> 0;
      }
      while (this.checkFragments(side, 0, frame, false));
    } else if (seqDiff(this.seq[side]!, sequence) > 0) {
      this.fragments[side]!.push({ seq: sequence, data: data.slice(), frame, tsSec, tsNsec });
    }
  }

  /** In-order bytes of one side: a chunk of the followed stream. */
  private emit(side: number, frame: number, tsSec: number, tsNsec: number, data: Uint8Array): void {
    this.chunks.push({ peer: side as 0 | 1, frame, time: tsSec + tsNsec / 1e9, tsSec, tsNsec, data });
    this.written[side]! += data.length;
  }

  private checkFragments(side: number, acked: number, frame: number, useAck: boolean): boolean {
    const list = this.fragments[side]!;
    if (!list.length) return false;
    let lowest = list[0]!.seq;
    for (let i = 0; i < list.length; i++) {
      const fr = list[i]!;
      if (seqDiff(fr.seq, lowest) > 0) lowest = fr.seq;
      const expected = this.seq[side]!;
      if (seqDiff(expected, fr.seq) < 0) {
        // Dated: keep only what it holds beyond the expected sequence number.
        const newSeq = (fr.seq + fr.data.length) >>> 0;
        if (seqDiff(expected, newSeq) > 0) {
          const newPos = seqDiff(fr.seq, expected);
          if (fr.data.length > newPos) {
            this.emit(side, fr.frame, fr.tsSec, fr.tsNsec, fr.data.subarray(newPos));
          }
          this.seq[side] = (expected + fr.data.length - newPos) >>> 0;
        }
        list.splice(i, 1);
        return true;
      }
      if (fr.seq === expected) {
        if (fr.data.length > 0) this.emit(side, fr.frame, fr.tsSec, fr.tsNsec, fr.data);
        this.seq[side] = (expected + fr.data.length) >>> 0;
        list.splice(i, 1);
        return true;
      }
    }
    if (useAck && seqDiff(lowest, acked) > 0) {
      // Bytes the receiver saw but the capture did not: a marker chunk, never invented data.
      const missing = seqDiff(this.seq[side]!, lowest) | 0;
      const text = `[${missing} bytes missing in capture file]`;
      const data = new Uint8Array(text.length + 1);
      for (let k = 0; k < text.length; k++) data[k] = text.charCodeAt(k);
      this.chunks.push({ peer: side as 0 | 1, frame, time: 0, tsSec: 0, tsNsec: 0, data, missing: true });
      this.seq[side] = lowest;
      return true;
    }
    return false;
  }
}

function endpointOf(
  a: AddressPair,
  which: 'src' | 'dst',
  port: number,
): { address: string; port: number; ipv6: boolean } {
  const address =
    a.family === 4
      ? ipv4ToString(which === 'src' ? a.src : a.dst)
      : ipv6ToString(which === 'src' ? a.srcBytes : a.dstBytes);
  return { address, port, ipv6: a.family === 6 };
}

function netKey(a: AddressPair, which: 'src' | 'dst'): string {
  if (a.family === 4) return String(which === 'src' ? a.src : a.dst);
  const b = which === 'src' ? a.srcBytes : a.dstBytes;
  let s = '6:';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Reads the capture once and collects stream `stream` of `protocol`. */
export function followStream(source: PacketSource, protocol: FollowProtocol, stream: number): FollowResult {
  const wanted = new Uint8Array(fieldList.length);
  PacketFacts.markWanted(wanted);
  const want = (name: string): Field | undefined => {
    const f = fld(name);
    if (f) wanted[f.id] = 1;
    return f;
  };
  const fSeq = want('tcp.seq_raw');
  const fAck = want('tcp.ack_raw');
  const fLen = want('tcp.len');
  const fFlags = want('tcp.flags');
  const fPayload = want(protocol === 'tcp' ? 'tcp.payload' : 'udp.payload');
  const opts = { tree: false, columns: false, wanted };
  const p = new Dissection();
  const state = new CaptureState();
  const facts = new PacketFacts();
  const result: FollowResult = {
    protocol,
    stream,
    filter: `${protocol}.stream eq ${stream}`,
    chunks: [],
    bytes: [0, 0],
  };
  const tcp = new TcpFollower();
  let udpClient: { key: string; port: number } | undefined;
  const first = (f: Field | undefined): unknown => {
    for (let i = 0; i < p.valueFields.length; i++) if (p.valueFields[i] === f) return p.values[i];
    return undefined;
  };
  for (const { meta, data } of source) {
    dissectPacket(meta, data, state, opts, p, false);
    facts.read(p);
    const t = facts.transports.find((x) => x.kind === protocol && x.stream === stream);
    if (!t) continue;
    if (!result.client) {
      result.client = endpointOf(t.net, 'src', t.srcPort);
      result.server = endpointOf(t.net, 'dst', t.dstPort);
    }
    const srcKey = netKey(t.net, 'src');
    const payload = (first(fPayload) as Uint8Array | undefined) ?? new Uint8Array(0);
    if (protocol === 'tcp') {
      const flags = (first(fFlags) as number | undefined) ?? 0;
      tcp.segment(
        srcKey,
        t.srcPort,
        (first(fSeq) as number | undefined) ?? 0,
        (first(fAck) as number | undefined) ?? 0,
        (flags & 0x002) !== 0,
        (first(fLen) as number | undefined) ?? payload.length,
        payload,
        meta.number,
        meta.tsSec,
        meta.tsNsec,
      );
    } else {
      udpClient ??= { key: srcKey, port: t.srcPort };
      const peer = udpClient.key === srcKey && udpClient.port === t.srcPort ? 0 : 1;
      result.chunks.push({
        peer,
        frame: meta.number,
        time: meta.tsSec + meta.tsNsec / 1e9,
        tsSec: meta.tsSec,
        tsNsec: meta.tsNsec,
        data: payload.slice(),
      });
    }
  }
  if (protocol === 'tcp') result.chunks = tcp.chunks;
  for (const c of result.chunks) result.bytes[c.peer] += c.data.length;
  return result;
}

// ---- output as tshark -q -z follow,PROTO,FORMAT,N prints it ----

const SEPARATOR = '='.repeat(67) + '\n';

function nodeLine(n: number, e: FollowResult['client']): string {
  if (!e) return `Node ${n}: :0\n`;
  return e.ipv6 ? `Node ${n}: [${e.address}]:${e.port}\n` : `Node ${n}: ${e.address}:${e.port}\n`;
}

function isPrint(b: number): boolean {
  return b >= 0x20 && b < 0x7f;
}

/** tap-follow.c's hex dump: offset, 16 bytes in two groups of 8, and their printable text. */
function hexLines(prefix: string, offset: number, data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i += 16) {
    let hex = '';
    let text = '';
    const n = Math.min(16, data.length - i);
    for (let k = 0; k < n; k++) {
      const b = data[i + k]!;
      hex += b.toString(16).padStart(2, '0') + ' ';
      text += isPrint(b) ? String.fromCharCode(b) : '.';
      if (k === 7) {
        hex += ' ';
        text += ' ';
      }
    }
    // tap-follow.c drops one trailing space (the group gap, or a space byte) from the text.
    if (text.endsWith(' ')) text = text.slice(0, -1);
    const off = (offset + i).toString(16).toUpperCase().padStart(8, '0');
    s += `${prefix}${off}  ${hex.padEnd(49)} ${text}\n`;
  }
  return s;
}

function base64Lines(data: Uint8Array): string {
  const b64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  let s = '';
  for (let i = 0; i < b64.length; i += 76) s += `      ${b64.slice(i, i + 76)}\n`;
  return s;
}

export function formatFollowText(r: FollowResult, format: FollowFormat): string {
  if (format === 'yaml') {
    let s = 'peers:\n';
    const peer = (n: number, e: FollowResult['client']): string =>
      `  - peer: ${n}\n    host: ${e?.address ?? ''}\n    port: ${e?.port ?? 0}\n`;
    s += peer(0, r.client) + peer(1, r.server) + 'packets:\n';
    for (const c of r.chunks) {
      s += `  - packet: ${c.frame}\n    peer: ${c.peer}\n    timestamp: ${c.time.toFixed(9)}\n    data: !!binary |\n`;
      s += base64Lines(c.data);
    }
    return s;
  }
  let s = `\n${SEPARATOR}Follow: ${r.protocol},${format}\nFilter: ${r.filter}\n`;
  s += nodeLine(0, r.client);
  // tshark brackets node 1 by node 0's address family.
  s += r.server && r.client ? nodeLine(1, { ...r.server, ipv6: r.client.ipv6 }) : nodeLine(1, r.server);
  const pos = [0, 0];
  for (const c of r.chunks) {
    const tab = c.peer === 1 ? '\t' : '';
    if (format === 'hex') {
      s += hexLines(tab, pos[c.peer]!, c.data);
    } else if (format === 'ascii') {
      let text = '';
      for (let i = 0; i < c.data.length; i++) {
        const b = c.data[i]!;
        text += b === 0x0d || b === 0x0a || isPrint(b) ? String.fromCharCode(b) : '.';
      }
      s += `${tab}${c.data.length}\n${text}\n`;
    } else {
      s += `${tab}${Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength).toString('hex')}\n`;
    }
    pos[c.peer]! += c.data.length;
  }
  return s + SEPARATOR;
}
