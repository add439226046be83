// Conversations (Statistics → Conversations, `tshark -z conv,TYPE`): traffic between two
// endpoints, counted per direction, with when it started and how long it lasted.
//
// Rules from Wireshark 4.0 (epan/conversation_table.c, ui/cli/tap-iousers.c):
// - the first packet's source becomes endpoint A; "->" counts A → B ("tx"), "<-" B → A ("rx");
// - TCP/UDP conversations are told apart by their stream index as well as the 4-tuple;
// - start is the earliest relative time seen, duration the latest minus the earliest;
// - the text table lists conversations by total frames, most first, ties in order of creation.
import { ipv4ToString, ipv6ToString } from '../dissect/format';
import { resolveEther } from '../dissect/resolve';
import type { AddressPair, PacketFacts, TransportTuple } from './packet-facts';
import type { Conversation, ConversationKind, Endpoint } from './stats-types';

export type { Conversation, ConversationKind, Endpoint };

/** Wireshark's protocol short names for table titles. */
export const CONVERSATION_TITLES: Record<ConversationKind, string> = {
  eth: 'Ethernet',
  ip: 'IPv4',
  ipv6: 'IPv6',
  tcp: 'TCP',
  udp: 'UDP',
};

interface Item {
  keyA: string;
  conv: Conversation;
  startNs: number;
  stopNs: number;
}

/** Text of an address (views into the packet are not kept). */
export function addressText(a: AddressPair, which: 'src' | 'dst'): string {
  if (a.family === 4) return ipv4ToString(which === 'src' ? a.src : a.dst);
  if (a.family === 6) return ipv6ToString(which === 'src' ? a.srcBytes : a.dstBytes);
  return etherName(which === 'src' ? a.srcBytes : a.dstBytes);
}

/** An Ethernet address as Wireshark's conversation tables name it: the column's resolution. */
export function etherName(b: Uint8Array): string {
  return resolveEther(b);
}

/** A compact key of an address (no name resolution). */
export function addressKey(a: AddressPair, which: 'src' | 'dst'): string {
  if (a.family === 4) return String(which === 'src' ? a.src : a.dst);
  const b = which === 'src' ? a.srcBytes : a.dstBytes;
  let s = a.family === 6 ? '6:' : 'e:';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

export class ConversationTable {
  private readonly items: Item[] = [];
  private readonly index = new Map<string, number>();

  constructor(readonly kind: ConversationKind) {}

  /** Counts one packet (all its layers of this table's kind). */
  add(facts: PacketFacts, length: number, relNs: number, absSec: number): void {
    switch (this.kind) {
      case 'eth':
        for (const a of facts.eth) this.addPair(a, undefined, length, relNs, absSec);
        break;
      case 'ip':
        for (const a of facts.ip) this.addPair(a, undefined, length, relNs, absSec);
        break;
      case 'ipv6':
        for (const a of facts.ipv6) this.addPair(a, undefined, length, relNs, absSec);
        break;
      default:
        for (const t of facts.transports)
          if (t.kind === this.kind) this.addPair(t.net, t, length, relNs, absSec);
    }
  }

  private addPair(
    a: AddressPair,
    t: TransportTuple | undefined,
    length: number,
    relNs: number,
    absSec: number,
  ): void {
    const src = addressKey(a, 'src');
    const dst = addressKey(a, 'dst');
    const sp = t ? t.srcPort : 0;
    const dp = t ? t.dstPort : 0;
    const id = t ? t.stream : -1;
    const fwdKey = `${src}|${sp}|${dst}|${dp}|${id}`;
    let i = this.index.get(fwdKey);
    let forward = true;
    if (i === undefined) {
      i = this.index.get(`${dst}|${dp}|${src}|${sp}|${id}`);
      forward = false;
    }
    if (i === undefined) {
      const conv: Conversation = {
        addressA: addressText(a, 'src'),
        addressB: addressText(a, 'dst'),
        framesAB: 0,
        bytesAB: 0,
        framesBA: 0,
        bytesBA: 0,
        relStart: 0,
        duration: 0,
        absStart: absSec,
      };
      if (t) {
        conv.portA = sp;
        conv.portB = dp;
        conv.stream = id;
      }
      i = this.items.length;
      this.items.push({ keyA: src, conv, startNs: relNs, stopNs: relNs });
      this.index.set(fwdKey, i);
      forward = true;
    }
    const it = this.items[i]!;
    if (forward) {
      it.conv.framesAB++;
      it.conv.bytesAB += length;
    } else {
      it.conv.framesBA++;
      it.conv.bytesBA += length;
    }
    if (relNs > it.stopNs) it.stopNs = relNs;
    else if (relNs < it.startNs) {
      it.startNs = relNs;
      it.conv.absStart = absSec;
    }
  }

  /** The conversations in order of creation. */
  conversations(): Conversation[] {
    return this.items.map((it) => ({
      ...it.conv,
      relStart: nstimeToSec(it.startNs),
      duration: nstimeToSec(it.stopNs) - nstimeToSec(it.startNs),
    }));
  }
}

/**
 * Wireshark's nstime_to_sec: whole seconds plus nanoseconds / 1e9 as doubles. Not the same
 * double as ns / 1e9, and the difference shows in tshark's 4-decimal durations (0.00005 s
 * prints 0.0001 there), so conversations compute times this way.
 */
export function nstimeToSec(ns: number): number {
  return Math.trunc(ns / 1e9) + (ns % 1e9) / 1e9;
}

/** Orders rows as tshark's text tables do: by total frames, most first; ties keep their order. */
export function byTotalFrames<T>(rows: readonly T[], total: (r: T) => number): T[] {
  return rows
    .map((r, i) => ({ r, i, n: total(r) }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .map((x) => x.r);
}

/**
 * Wireshark's format_size(size, FORMAT_SIZE_UNIT_BYTES, SI prefixes): an integer count of the
 * largest unit that gives at least 10 of it (`15 kB`, `8015 bytes`).
 */
export function formatSize(size: number): string {
  const prefixes: [number, string][] = [
    [1e12, ' T'],
    [1e9, ' G'],
    [1e6, ' M'],
    [1e3, ' k'],
  ];
  for (const [unit, prefix] of prefixes) {
    const n = Math.floor(size / unit);
    if (n >= 10) return `${n}${prefix}B`;
  }
  return `${size} bytes`;
}

const RULE = '='.repeat(80);

function padEnd(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
function padStart(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

function endpointName(c: Conversation, which: 'A' | 'B'): string {
  const addr = which === 'A' ? c.addressA : c.addressB;
  const port = which === 'A' ? c.portA : c.portB;
  return port === undefined ? addr : `${addr}:${port}`;
}

/** The table `tshark -q -z conv,KIND` prints (relative times). */
export function formatConversationsText(
  kind: ConversationKind,
  convs: readonly Conversation[],
  filter?: string,
): string {
  const ports = kind === 'tcp' || kind === 'udp';
  const lead = ports ? ' '.repeat(12) : '';
  let s = `${RULE}\n${CONVERSATION_TITLES[kind]} Conversations\nFilter:${filter ?? '<No Filter>'}\n`;
  s += `${lead}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n`;
  s += `${lead}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n`;
  const w = ports ? 26 : 20;
  for (const c of byTotalFrames(convs, (c) => c.framesAB + c.framesBA)) {
    s += `${padEnd(endpointName(c, 'A'), w)} <-> ${padEnd(endpointName(c, 'B'), w)}`;
    s += `  ${padStart(String(c.framesBA), 6)} ${padEnd(formatSize(c.bytesBA), 9)}`;
    s += `  ${padStart(String(c.framesAB), 6)} ${padEnd(formatSize(c.bytesAB), 9)}`;
    s += `  ${padStart(String(c.framesAB + c.framesBA), 6)} ${padEnd(formatSize(c.bytesAB + c.bytesBA), 9)}  `;
    s += `${padStart(c.relStart.toFixed(9), 14)}   ${padStart(c.duration.toFixed(4), 12)}\n`;
  }
  return s + `${RULE}\n`;
}

// ---- endpoints ----

export class EndpointTable {
  private readonly items: Endpoint[] = [];
  private readonly index = new Map<string, number>();

  constructor(readonly kind: ConversationKind) {}

  add(facts: PacketFacts, length: number): void {
    switch (this.kind) {
      case 'eth':
        for (const a of facts.eth) this.addPair(a, undefined, length);
        break;
      case 'ip':
        for (const a of facts.ip) this.addPair(a, undefined, length);
        break;
      case 'ipv6':
        for (const a of facts.ipv6) this.addPair(a, undefined, length);
        break;
      default:
        for (const t of facts.transports) if (t.kind === this.kind) this.addPair(t.net, t, length);
    }
  }

  private addPair(a: AddressPair, t: TransportTuple | undefined, length: number): void {
    // The source is counted first, so it is created first (conversation_table.c order).
    this.count(a, 'src', t?.srcPort, true, length);
    this.count(a, 'dst', t?.dstPort, false, length);
  }

  private count(
    a: AddressPair,
    which: 'src' | 'dst',
    port: number | undefined,
    sender: boolean,
    length: number,
  ): void {
    const key = `${addressKey(a, which)}|${port ?? ''}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.items.length;
      const e: Endpoint = {
        address: addressText(a, which),
        txFrames: 0,
        txBytes: 0,
        rxFrames: 0,
        rxBytes: 0,
      };
      if (port !== undefined) e.port = port;
      this.items.push(e);
      this.index.set(key, i);
    }
    const e = this.items[i]!;
    if (sender) {
      e.txFrames++;
      e.txBytes += length;
    } else {
      e.rxFrames++;
      e.rxBytes += length;
    }
  }

  endpoints(): Endpoint[] {
    return this.items.map((e) => ({ ...e }));
  }
}

/** The table `tshark -q -z endpoints,KIND` prints. */
export function formatEndpointsText(
  kind: ConversationKind,
  eps: readonly Endpoint[],
  filter?: string,
): string {
  const ports = kind === 'tcp' || kind === 'udp';
  let s = `${RULE}\n${CONVERSATION_TITLES[kind]} Endpoints\nFilter:${filter ?? '<No Filter>'}\n`;
  s += `                       |  ${ports ? 'Port  ||  ' : ''}Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n`;
  for (const e of byTotalFrames(eps, (e) => e.txFrames + e.rxFrames)) {
    s += padEnd(e.address, 20) + '      ';
    if (ports) s += `${padStart(String(e.port), 5)}     `;
    s += `${padStart(String(e.txFrames + e.rxFrames), 6)}     ${padStart(String(e.txBytes + e.rxBytes), 9)}`;
    s += `     ${padStart(String(e.txFrames), 6)}       ${padStart(String(e.txBytes), 9)}`;
    s += `      ${padStart(String(e.rxFrames), 6)}       ${padStart(String(e.rxBytes), 9)}   \n`;
  }
  return s + `${RULE}\n`;
}
