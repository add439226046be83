// Transmission Control Protocol (RFC 9293): every header field, the options of RFC 9293 §3.2
// (EOL, NOP, MSS), RFC 7323 (window scale, timestamps) and RFC 2018 (SACK), the stream index,
// relative sequence numbers and scaled windows as tshark 4.0 shows them, and the payload handed
// to the protocol registered for its ports.
//
// Per-conversation state (sequence bases, window scales) lives in `p.state.slot('tcp')`; what a
// frame learned on the first pass is recorded under its number, so a revisit (random access to
// frame N) shows the same values without replaying the capture.
import { conversationDissector, expectConversation } from '../dissect/conversation';
import { isStreamDissector, recogniseStream } from '../dissect/transport';
import type { Dissection, TreeNode } from '../dissect/dissection';
import { addSequenceExpert, analysisFields as af } from '../analysis/tcp-fields';
import {
  dissectStreamPayload,
  finishStream,
  hasStreamReassembly,
  type StreamSegment,
} from '../analysis/tcp-reassembly';
import { registerFields } from '../dissect/fields';
import { bitPattern, escapeControl, hex } from '../dissect/format';
import { EndpointPairMap, PerFrameTable } from '../dissect/per-frame';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { internetChecksum, pseudoHeaderSum, correctChecksum } from './checksum';
import { data } from './data';
import { addHidden, CHECKSUM_STATUS, netFamilyOf, type NetAddresses } from './udp';

export const IP_PROTO_TCP = 6;
const TCP_MIN_HEADER = 20;

const FLAG_FIN = 0x001;
const FLAG_SYN = 0x002;
const FLAG_RST = 0x004;
const FLAG_PSH = 0x008;
const FLAG_ACK = 0x010;
const FLAG_URG = 0x020;
const FLAG_ECE = 0x040;
const FLAG_CWR = 0x080;
const FLAG_AE = 0x100; // the former NS bit (RFC 3540, historic), Accurate ECN since RFC 9768
const FLAGS_RESERVED = 0xe00;

/** Names in the order Wireshark lists them in `Flags: 0x012 (SYN, ACK)` and the Info column. */
const FLAG_NAMES: readonly [number, string][] = [
  [FLAG_FIN, 'FIN'],
  [FLAG_SYN, 'SYN'],
  [FLAG_RST, 'RST'],
  [FLAG_PSH, 'PSH'],
  [FLAG_ACK, 'ACK'],
  [FLAG_URG, 'URG'],
  [FLAG_ECE, 'ECE'],
  [FLAG_CWR, 'CWR'],
  [FLAG_AE, 'AE'],
  [FLAGS_RESERVED, 'Reserved'],
];

/** `tcp.flags.str`: one character per bit from bit 11 down, `·` when clear (tshark 4.0). */
const FLAG_LETTERS = 'RRRACEUAPRSF';

export const TCP_OPTION_KINDS: Readonly<Record<number, string>> = {
  0: 'End of Option List',
  1: 'No-Operation',
  2: 'Maximum Segment Size',
  3: 'Window Scale',
  4: 'SACK Permitted',
  5: 'SACK',
  6: 'Echo',
  7: 'Echo Reply',
  8: 'Time Stamp Option',
  9: 'Partial Order Connection Permitted',
  10: 'Partial Order Service Profile',
  11: 'CC',
  12: 'CC.NEW',
  13: 'CC.ECHO',
  14: 'TCP Alternate Checksum Request',
  15: 'TCP Alternate Checksum Data',
  16: 'Skeeter',
  17: 'Bubba',
  18: 'Trailer Checksum Option',
  19: 'MD5 Signature Option',
  20: 'SCPS Capabilities',
  21: 'Selective Negative Acknowledgements',
  22: 'Record Boundaries',
  23: 'Corruption experienced',
  24: 'SNAP',
  26: 'TCP Compression Filter',
  27: 'Quick-Start Response',
  28: 'User Timeout Option',
  29: 'TCP Authentication Option',
  30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie',
  69: 'Encryption Negotiation',
  76: 'Riverbed Probe',
  78: 'Riverbed Transparency',
  172: 'Accurate ECN Order 0',
  174: 'Accurate ECN Order 1',
  253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

/** RFC 6994 experiment identifiers tshark names (Accurate ECN's draft code points). */
const EXPERIMENT_IDS: Readonly<Record<number, string>> = {
  0xacc0: 'Accurate ECN - Order 0',
  0xacc1: 'Accurate ECN - Order 1',
};

const BOOL12 = { type: 'bool', bits: 12 } as const;

export const tcp = defineProtocol({
  abbrev: 'tcp',
  name: 'Transmission Control Protocol',
  short: 'TCP',
  fields: {
    srcport: { abbrev: 'tcp.srcport', name: 'Source Port', type: 'uint16' },
    dstport: { abbrev: 'tcp.dstport', name: 'Destination Port', type: 'uint16' },
    port: { abbrev: 'tcp.port', name: 'Source or Destination Port', type: 'uint16' },
    stream: { abbrev: 'tcp.stream', name: 'Stream index', type: 'uint32' },
    len: { abbrev: 'tcp.len', name: 'TCP Segment Len', type: 'uint32' },
    seq: { abbrev: 'tcp.seq', name: 'Sequence Number', type: 'uint32' },
    seqRaw: {
      abbrev: 'tcp.seq_raw',
      name: 'Sequence Number (raw)',
      type: 'uint32',
      blurb: 'This shows the raw value of the sequence number',
    },
    nxtseq: { abbrev: 'tcp.nxtseq', name: 'Next Sequence Number', type: 'uint32' },
    ack: { abbrev: 'tcp.ack', name: 'Acknowledgment Number', type: 'uint32' },
    ackRaw: {
      abbrev: 'tcp.ack_raw',
      name: 'Acknowledgment number (raw)',
      type: 'uint32',
      blurb: 'This shows the raw value of the acknowledgment number',
    },
    ackNonzero: {
      abbrev: 'tcp.ack.nonzero',
      name: 'The acknowledgment number field is nonzero while the ACK flag is not set',
      type: 'none',
    },
    hdrLen: {
      abbrev: 'tcp.hdr_len',
      name: 'Header Length',
      type: 'uint8',
      blurb: 'Data offset in 32-bit words',
    },
    bogusHeaderLength: { abbrev: 'tcp.bogus_header_length', name: 'Bogus TCP Header length', type: 'none' },
    // tshark: FT_UINT16, BASE_HEX, mask 0x0fff. The value is passed already masked (so `-T fields`
    // prints four hex digits like tshark while the label shows three).
    flags: { abbrev: 'tcp.flags', name: 'Flags', type: 'uint16', base: 'hex', blurb: 'Flags (12 bits)' },
    flagsRes: { abbrev: 'tcp.flags.res', name: 'Reserved', ...BOOL12, mask: FLAGS_RESERVED },
    // Named `tcp.flags.ns` before Wireshark 4.0.x renamed it; the installed tshark 4.0.17 says `ae`.
    flagsAe: { abbrev: 'tcp.flags.ae', name: 'Accurate ECN', ...BOOL12, mask: FLAG_AE },
    flagsNs: { abbrev: 'tcp.flags.ns', name: 'Nonce', ...BOOL12, mask: FLAG_AE },
    flagsAce: { abbrev: 'tcp.flags.ace', name: 'ACE', type: 'uint8' },
    flagsCwr: { abbrev: 'tcp.flags.cwr', name: 'Congestion Window Reduced', ...BOOL12, mask: FLAG_CWR },
    flagsEce: { abbrev: 'tcp.flags.ece', name: 'ECN-Echo', ...BOOL12, mask: FLAG_ECE },
    flagsUrg: { abbrev: 'tcp.flags.urg', name: 'Urgent', ...BOOL12, mask: FLAG_URG },
    flagsAck: { abbrev: 'tcp.flags.ack', name: 'Acknowledgment', ...BOOL12, mask: FLAG_ACK },
    flagsPush: { abbrev: 'tcp.flags.push', name: 'Push', ...BOOL12, mask: FLAG_PSH },
    flagsReset: { abbrev: 'tcp.flags.reset', name: 'Reset', ...BOOL12, mask: FLAG_RST },
    flagsSyn: { abbrev: 'tcp.flags.syn', name: 'Syn', ...BOOL12, mask: FLAG_SYN },
    flagsFin: { abbrev: 'tcp.flags.fin', name: 'Fin', ...BOOL12, mask: FLAG_FIN },
    flagsStr: { abbrev: 'tcp.flags.str', name: 'TCP Flags', type: 'string' },
    windowSizeValue: {
      abbrev: 'tcp.window_size_value',
      name: 'Window',
      type: 'uint16',
      blurb: 'The window size value from the TCP header',
    },
    windowSize: {
      abbrev: 'tcp.window_size',
      name: 'Calculated window size',
      type: 'uint32',
      blurb: 'The scaled window size (if scaling has been used)',
    },
    windowSizeScalefactor: {
      abbrev: 'tcp.window_size_scalefactor',
      name: 'Window size scaling factor',
      type: 'int32',
      blurb: 'The window size scaling factor (-1 when unknown, -2 when no scaling is used)',
    },
    checksum: { abbrev: 'tcp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
    checksumStatus: {
      abbrev: 'tcp.checksum.status',
      name: 'Checksum Status',
      type: 'uint8',
      vals: CHECKSUM_STATUS,
    },
    checksumCalculated: {
      abbrev: 'tcp.checksum_calculated',
      name: 'Calculated Checksum',
      type: 'uint16',
      base: 'hex',
    },
    urgentPointer: { abbrev: 'tcp.urgent_pointer', name: 'Urgent Pointer', type: 'uint16' },
    options: { abbrev: 'tcp.options', name: 'TCP Options', type: 'bytes' },
    optionKind: { abbrev: 'tcp.option_kind', name: 'Kind', type: 'uint8', vals: TCP_OPTION_KINDS },
    optionLen: { abbrev: 'tcp.option_len', name: 'Length', type: 'uint8' },
    optionLenInvalid: { abbrev: 'tcp.option.len.invalid', name: 'Invalid length for option', type: 'none' },
    mssVal: { abbrev: 'tcp.options.mss_val', name: 'MSS Value', type: 'uint16' },
    wscaleShift: { abbrev: 'tcp.options.wscale.shift', name: 'Shift count', type: 'uint8' },
    wscaleMultiplier: { abbrev: 'tcp.options.wscale.multiplier', name: 'Multiplier', type: 'uint16' },
    sackLe: { abbrev: 'tcp.options.sack_le', name: 'TCP SACK Left Edge', type: 'uint32' },
    sackRe: { abbrev: 'tcp.options.sack_re', name: 'TCP SACK Right Edge', type: 'uint32' },
    sackCount: { abbrev: 'tcp.options.sack.count', name: 'TCP SACK Count', type: 'uint8' },
    tsval: { abbrev: 'tcp.options.timestamp.tsval', name: 'Timestamp value', type: 'uint32' },
    tsecr: { abbrev: 'tcp.options.timestamp.tsecr', name: 'Timestamp echo reply', type: 'uint32' },
    experimentalExid: {
      abbrev: 'tcp.options.experimental.exid',
      name: 'Experiment Identifier',
      type: 'uint16',
      base: 'hex',
      vals: EXPERIMENT_IDS,
    },
    experimentalData: { abbrev: 'tcp.options.experimental.data', name: 'Data', type: 'bytes' },
    accEcnEe0b: {
      abbrev: 'tcp.options.acc_ecn.ee0b',
      name: 'Accurate ECN Echo ECT(0) Byte Counter',
      type: 'uint24',
    },
    accEcnEceb: {
      abbrev: 'tcp.options.acc_ecn.eceb',
      name: 'Accurate ECN Echo CE Byte Counter',
      type: 'uint24',
    },
    accEcnEe1b: {
      abbrev: 'tcp.options.acc_ecn.ee1b',
      name: 'Accurate ECN Echo ECT(1) Byte Counter',
      type: 'uint24',
    },
    unknownPayload: { abbrev: 'tcp.options.unknown.payload', name: 'Payload', type: 'bytes' },
    resetCause: { abbrev: 'tcp.reset_cause', name: 'Reset cause', type: 'string' },
    payload: {
      abbrev: 'tcp.payload',
      name: 'TCP payload',
      type: 'bytes',
      blurb: 'The TCP payload of this packet',
    },
  },
  dissect: dissectTcp,
});

/** Each option is its own "protocol" item in Wireshark (`tcp.options.mss`, …). */
const opt = registerFields({
  nop: { abbrev: 'tcp.options.nop', name: 'TCP Option - No-Operation (NOP)', type: 'protocol' },
  eol: { abbrev: 'tcp.options.eol', name: 'TCP Option - End of Option List (EOL)', type: 'protocol' },
  mss: { abbrev: 'tcp.options.mss', name: 'TCP Option - Maximum segment size', type: 'protocol' },
  wscale: { abbrev: 'tcp.options.wscale', name: 'TCP Option - Window scale', type: 'protocol' },
  sackPerm: { abbrev: 'tcp.options.sack_perm', name: 'TCP Option - SACK permitted', type: 'protocol' },
  sack: { abbrev: 'tcp.options.sack', name: 'TCP Option - SACK', type: 'protocol' },
  timestamp: { abbrev: 'tcp.options.timestamp', name: 'TCP Option - Timestamps', type: 'protocol' },
  unknown: { abbrev: 'tcp.options.unknown', name: 'TCP Option - Unknown', type: 'protocol' },
  experimental: { abbrev: 'tcp.options.experimental', name: 'TCP Option - Experimental', type: 'protocol' },
});

// ---- per-capture state ----

/** One direction of a conversation (Wireshark's `tcp_flow_t`, the part decoding needs). */
export interface TcpFlow {
  /** Raw sequence number that shows as relative 0 (the ISN), once learned. */
  baseSeq: number;
  baseSet: boolean;
  /** Window scale shift this side announced; -1 unknown, -2 no scaling (tshark's values). */
  winScale: number;
}

export interface TcpConversation {
  stream: number;
  /** The SYN asked for Accurate ECN (RFC 9768 §3.1.1: AE, CWR and ECE all set), so later
   * segments carry the 3-bit ACE counter in those bits. */
  accEcn: boolean;
  /** The two directions: `first` is sent by the endpoint that sorts first in the key. */
  first: TcpFlow;
  second: TcpFlow;
}

/** What the first pass learned about one TCP layer of a frame, for revisits. */
export interface TcpFrameRecord {
  stream: number;
  seqBase: number;
  /** Undefined when the ACK flag is clear (the raw value is shown). */
  ackBase: number | undefined;
  winScale: number;
  /** Show AE/CWR/ECE as the ACE counter (Accurate ECN negotiated by the SYN). */
  useAce: boolean;
  /** `TransportInfo.direction`: 0 when the source endpoint sorts first in the key. */
  direction: 0 | 1;
  /** This SYN started a new stream on the ports of an earlier one ("TCP Port numbers reused"). */
  reusedPorts: boolean;
}

export interface TcpState {
  conversations: EndpointPairMap<TcpConversation>;
  nextStream: number;
  /** What each frame's TCP layer learned (columns `REC_*`), for revisits. */
  frames: PerFrameTable;
}

// Columns of the per-frame table.
const REC_STREAM = 0;
const REC_SEQ_BASE = 1;
const REC_ACK_BASE = 2; // -1 when the ACK flag is clear
const REC_WIN_SCALE = 3;
const REC_USE_ACE = 4;
const REC_DIRECTION = 5;
const REC_REUSED = 6;

function newTcpState(): TcpState {
  return {
    conversations: new EndpointPairMap(),
    nextStream: 0,
    // Each column as narrow as its values (20 bytes per frame, not 56): the ACK base is -1 or
    // a uint32, the window scale -2…14.
    frames: new PerFrameTable(['u32', 'u32', 'f64', 'i8', 'u8', 'u8', 'u8']),
  };
}

export function tcpState(p: Dissection): TcpState {
  return p.state.slot('tcp', newTcpState);
}

/** One decoded segment as later analysis (retransmissions, duplicate ACKs…) sees it. */
export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  /** Raw and relative sequence/acknowledgment numbers. */
  seqRaw: number;
  seq: number;
  ackRaw: number;
  ack: number | undefined;
  nxtseq: number;
  len: number;
  flags: number;
  window: number;
  stream: number;
  /** `TransportInfo.direction` (0: the source endpoint sorts first in the conversation key). */
  direction: 0 | 1;
  /** Window scale shift this direction uses (-1 unknown, -2 none). */
  winScale: number;
  reusedPorts: boolean;
  /** Raw SACK edges of this segment's SACK option (left, right, left, right…), else empty. */
  sack: readonly number[];
  /** The TCP layer's tree item (tree path), open while analyzers run. */
  item: TreeNode | undefined;
  /** Bracketed Info prefixes an analyzer adds, e.g. `TCP Retransmission` → `[TCP Retransmission] `.
   * They read in the order given. */
  infoNotes: string[];
}

/** Hooks run for every segment (first pass and revisits) before the Info column is written;
 * the TCP analysis module registers here and keeps its own per-frame results. */
export const tcpAnalyzers: ((p: Dissection, seg: TcpSegment) => void)[] = [];

function newFlow(): TcpFlow {
  return { baseSeq: 0, baseSet: false, winScale: -1 };
}

function newConversation(st: TcpState): TcpConversation {
  return { stream: st.nextStream++, accEcn: false, first: newFlow(), second: newFlow() };
}

/** The shift of a well-formed window scale option (RFC 7323 §2.2), if the header has one. */
function windowScaleShift(list: readonly RawOption[]): number | undefined {
  for (const o of list) if (o.kind === 3 && o.len === 3) return o.shift;
  return undefined;
}

/**
 * First pass: find (or start) the conversation, learn sequence bases and window scales the way
 * tshark 4.0 does, and record the result for the frame.
 */
function learn(
  p: Dissection,
  srcPort: number,
  dstPort: number,
  seq: number,
  ack: number,
  flags: number,
  wscaleShift: number | undefined,
): TcpFrameRecord {
  const st = tcpState(p);
  const nth = p.layerNumber('tcp') - 1;
  const n = p.frame.number;
  if (st.frames.has(n, nth)) {
    const ackBase = st.frames.get(n, nth, REC_ACK_BASE);
    return {
      stream: st.frames.get(n, nth, REC_STREAM),
      seqBase: st.frames.get(n, nth, REC_SEQ_BASE),
      ackBase: ackBase < 0 ? undefined : ackBase,
      winScale: st.frames.get(n, nth, REC_WIN_SCALE),
      useAce: st.frames.get(n, nth, REC_USE_ACE) === 1,
      direction: st.frames.get(n, nth, REC_DIRECTION) ? 1 : 0,
      reusedPorts: st.frames.get(n, nth, REC_REUSED) === 1,
    };
  }

  const conversations = st.conversations;
  let conv = conversations.find(p.netFamily, p.netSrc, p.netDst, srcPort, dstPort);
  const srcIsFirst = conversations.srcIsFirst;
  if (!conv) conversations.add((conv = newConversation(st)));
  let fwd = srcIsFirst ? conv.first : conv.second;
  const syn = (flags & FLAG_SYN) !== 0;
  const ackSet = (flags & FLAG_ACK) !== 0;
  // A SYN with another ISN on a known conversation is a new connection reusing the ports:
  // tshark gives it a new stream index ("TCP Port numbers reused").
  let reusedPorts = false;
  if (syn && !ackSet && fwd.baseSet && seq !== fwd.baseSeq) {
    reusedPorts = true;
    conversations.add((conv = newConversation(st)));
    fwd = srcIsFirst ? conv.first : conv.second;
  }
  const rev = srcIsFirst ? conv.second : conv.first;
  // Relative numbers (tshark's tcp_analyze_seq): a SYN's sequence number is the ISN; a first
  // segment seen mid-stream counts as relative 1, and its ACK names the peer's base + 1.
  if (!fwd.baseSet) {
    fwd.baseSeq = syn ? seq : (seq - 1) >>> 0;
    fwd.baseSet = true;
  }
  if (!rev.baseSet && ackSet) {
    rev.baseSeq = (ack - 1) >>> 0;
    rev.baseSet = true;
  }
  if (syn) {
    // RFC 7323 §2.3: a shift above 14 is used as 14. Scaling applies only if both SYNs carry
    // the option; tshark marks "no scaling" (-2) once the SYN-ACK (or a SYN after the peer
    // said no) arrives without it.
    if (wscaleShift !== undefined) fwd.winScale = Math.min(wscaleShift, 14);
    const noScaling = fwd.winScale === -1 ? ackSet || rev.winScale === -2 : ackSet && rev.winScale === -1;
    if (noScaling) {
      fwd.winScale = -2;
      rev.winScale = -2;
    }
  }
  const accEcnBits = FLAG_AE | FLAG_CWR | FLAG_ECE;
  if (syn && !ackSet && (flags & accEcnBits) === accEcnBits) conv.accEcn = true;
  const record: TcpFrameRecord = {
    stream: conv.stream,
    useAce: conv.accEcn && !syn,
    seqBase: fwd.baseSeq,
    ackBase: ackSet ? rev.baseSeq : undefined,
    winScale: fwd.winScale,
    direction: srcIsFirst ? 0 : 1,
    reusedPorts,
  };
  st.frames.set(n, nth, REC_STREAM, record.stream);
  st.frames.set(n, nth, REC_SEQ_BASE, record.seqBase);
  st.frames.set(n, nth, REC_ACK_BASE, record.ackBase ?? -1);
  st.frames.set(n, nth, REC_WIN_SCALE, record.winScale);
  st.frames.set(n, nth, REC_USE_ACE, record.useAce ? 1 : 0);
  st.frames.set(n, nth, REC_DIRECTION, record.direction);
  st.frames.set(n, nth, REC_REUSED, reusedPorts ? 1 : 0);
  return record;
}

// ---- decode ----

/** `SYN, ACK`; with Accurate ECN the AE/CWR/ECE bits read as one counter, `ACK, ACE=2`. */
function flagNames(flags: number, useAce = false): string {
  // Built once per distinct flags value: this runs for every segment's Info column.
  const slot = (flags & 0xfff) | (useAce ? 0x1000 : 0);
  return (FLAG_NAMES_CACHE[slot] ??= composeFlagNames(flags, useAce));
}

const FLAG_NAMES_CACHE: string[] = [];

function composeFlagNames(flags: number, useAce: boolean): string {
  const names: string[] = [];
  for (const [bit, name] of FLAG_NAMES) {
    if (useAce && bit === FLAG_ECE) names.push(`ACE=${aceValue(flags)}`);
    if (useAce && (bit === FLAG_ECE || bit === FLAG_CWR || bit === FLAG_AE)) continue;
    if (flags & bit) names.push(name);
  }
  return names.length ? names.join(', ') : '<None>';
}

/** RFC 9768 §3.2.2: AE is the most significant bit of ACE, ECE the least. */
function aceValue(flags: number): number {
  return (flags >>> 6) & 7;
}

function flagLetters(flags: number, useAce = false): string {
  let s = '';
  for (let bit = 11; bit >= 0; bit--) {
    if (useAce && bit >= 6 && bit <= 8) s += bit === 7 ? String(aceValue(flags)) : '-';
    else s += flags & (1 << bit) ? FLAG_LETTERS[11 - bit] : '·';
  }
  return s;
}

function headerLabel(srcPort: number, dstPort: number, rest: string): string {
  return `Transmission Control Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}${rest}`;
}

function dissectTcp(p: Dissection, start: number, end: number): void {
  const f = tcp.f;
  const srcPort = p.u16(start);
  const dstPort = p.u16(start + 2);
  if (p.inError) {
    dissectQuoted(p, start, srcPort, dstPort);
    return;
  }
  const seqRaw = p.u32(start + 4);
  const ackRaw = p.u32(start + 8);
  const offsetFlags = p.u16(start + 12);
  const hdrLen = (offsetFlags >>> 12) * 4;
  const flags = offsetFlags & 0xfff;
  const windowValue = p.u16(start + 14);
  const checksum = p.u16(start + 16);
  const urgentPointer = p.u16(start + 18);
  const segLen = Math.max(0, end - start - hdrLen);
  const syn = (flags & FLAG_SYN) !== 0;

  const item = p.add(tcp.field, start, Math.max(TCP_MIN_HEADER, Math.min(hdrLen, end - start)));
  p.open(item);
  p.add(f.srcport, start, 2);
  p.add(f.dstport, start + 2, 2);
  addHidden(p, f.port, start, 2);
  addHidden(p, f.port, start + 2, 2);

  // RFC 9293 §3.1: the data offset counts 32-bit words and cannot be below 5.
  const bogus = hdrLen < TCP_MIN_HEADER || start + hdrLen > end;
  // Options first (not yet in the tree): the SYN's window scale feeds the state.
  const parsed =
    bogus || hdrLen === TCP_MIN_HEADER
      ? NO_OPTIONS
      : parseOptionList(p.data, start + TCP_MIN_HEADER, start + hdrLen);
  const rec = learn(p, srcPort, dstPort, seqRaw, ackRaw, flags, windowScaleShift(parsed));
  const seq = (seqRaw - rec.seqBase) >>> 0;
  const ack = rec.ackBase === undefined ? undefined : (ackRaw - rec.ackBase) >>> 0;
  const nxtseq = (seq + segLen + (syn ? 1 : 0) + (flags & FLAG_FIN ? 1 : 0)) >>> 0;
  let window = windowValue;
  if (!syn && rec.winScale >= 0) window = windowValue * 2 ** rec.winScale;
  const infoHead = p.columns
    ? `${srcPort} → ${dstPort} [${flagNames(flags, rec.useAce)}] Seq=${seq}${ack !== undefined ? ` Ack=${ack}` : ''} Win=${window}`
    : '';

  // RFC 9293 §3.1: the data offset counts 32-bit words and cannot be below 5.
  if (bogus) {
    const why =
      hdrLen < TCP_MIN_HEADER
        ? `bogus TCP header length (${hdrLen}, must be at least ${TCP_MIN_HEADER})`
        : `bogus TCP header length (${hdrLen}, larger than the ${end - start} bytes IP carried)`;
    if (item) item.label = headerLabel(srcPort, dstPort, `, Seq: ${seq}`);
    p.addGenerated(f.stream, rec.stream, `Stream index: ${rec.stream}`);
    p.addGenerated(f.len, segLen, `TCP Segment Len: ${segLen}`);
    p.add(f.seq, start + 4, 4, seq, `Sequence Number: ${seq}    (relative sequence number)`);
    p.add(f.seqRaw, start + 4, 4, seqRaw);
    const hdrNode = p.add(
      f.hdrLen,
      start + 12,
      1,
      hdrLen,
      `${hdrBits(hdrLen)} = Header Length: ${hdrLen} bytes (${hdrLen / 4})`,
    );
    if (hdrNode) hdrNode.severity = 'error';
    p.issue('malformed', 'error', `${why[0]!.toUpperCase()}${why.slice(1)}`, start + 12, start + 13);
    p.malformed = true;
    p.close(item);
    p.setInfo(`${infoHead}, ${why}`);
    return;
  }

  // The header's items: skipped on the fast path when no field is asked for (no labels built).
  const detail = p.detailFor('tcp');
  if (detail) {
    if (item && p.tree) {
      item.label = headerLabel(
        srcPort,
        dstPort,
        `, Seq: ${seq}${ack !== undefined ? `, Ack: ${ack}` : ''}, Len: ${segLen}`,
      );
    }
    p.addGenerated(f.stream, rec.stream, p.tree ? `Stream index: ${rec.stream}` : undefined);
    p.addGenerated(f.len, segLen, p.tree ? `TCP Segment Len: ${segLen}` : undefined);
    p.add(
      f.seq,
      start + 4,
      4,
      seq,
      p.tree ? `Sequence Number: ${seq}    (relative sequence number)` : undefined,
    );
    p.add(f.seqRaw, start + 4, 4, seqRaw);
    p.addGenerated(
      f.nxtseq,
      nxtseq,
      p.tree ? `Next Sequence Number: ${nxtseq}    (relative sequence number)` : undefined,
    );
    if (ack !== undefined) {
      p.add(
        f.ack,
        start + 8,
        4,
        ack,
        p.tree ? `Acknowledgment Number: ${ack}    (relative ack number)` : undefined,
      );
    } else {
      p.add(f.ack, start + 8, 4, ackRaw);
      if (ackRaw !== 0)
        p.add(f.ackNonzero, start + 8, 4, undefined, p.tree ? `[${f.ackNonzero.name}]` : undefined);
    }
    p.add(f.ackRaw, start + 8, 4, ackRaw);
    p.add(
      f.hdrLen,
      start + 12,
      1,
      hdrLen,
      p.tree ? `${hdrBits(hdrLen)} = Header Length: ${hdrLen} bytes (${hdrLen / 4})` : undefined,
    );
    addFlags(p, start + 12, flags, rec.useAce, [srcPort, dstPort]);
    p.add(f.windowSizeValue, start + 14, 2);
    p.addGenerated(f.windowSize, window);
    if (!syn) {
      const factor = rec.winScale >= 0 ? 2 ** rec.winScale : rec.winScale;
      const note = factor === -1 ? ' (unknown)' : factor === -2 ? ' (no window scaling used)' : '';
      p.addGenerated(
        f.windowSizeScalefactor,
        factor,
        p.tree ? `Window size scaling factor: ${factor}${note}` : undefined,
      );
    }
    addChecksum(p, start, checksum);
    p.add(f.urgentPointer, start + 18, 2);
  }
  if (ack === undefined && ackRaw !== 0)
    p.issue('malformed', 'note', f.ackNonzero.name, start + 8, start + 12);
  const connExpert =
    flags & (FLAG_SYN | FLAG_FIN | FLAG_RST) ? connectionExpert(flags, srcPort, dstPort) : undefined;
  if (connExpert) p.issue('expert', 'chat', connExpert[1], start + 12, start + 14, 'Sequence');
  if (flags & FLAGS_RESERVED) {
    p.issue(
      'malformed',
      'warn',
      'Reserved TCP flag bits set (RFC 9293 §3.1: must be zero)',
      start + 12,
      start + 13,
    );
  }
  verifyChecksum(p, start, end, checksum);
  if (urgentPointer !== 0 && !(flags & FLAG_URG)) {
    p.issue(
      'malformed',
      'note',
      'The urgent pointer field is nonzero while the URG flag is not set',
      start + 18,
      start + 20,
    );
  }

  let optionInfo = '';
  // Options feed the tree and the Info column (MSS=…, SACK_PERM…); neither wanted: skip.
  if (hdrLen > TCP_MIN_HEADER && (detail || p.columns))
    optionInfo = addOptions(p, start + TCP_MIN_HEADER, start + hdrLen, parsed, rec);

  // Analysis (core/analysis/tcp-analysis.ts) adds its items inside the TCP item, before the payload.
  const seg: TcpSegment | undefined = tcpAnalyzers.length
    ? {
        srcPort,
        dstPort,
        seqRaw,
        seq,
        ackRaw,
        ack,
        nxtseq,
        len: segLen,
        flags,
        window,
        stream: rec.stream,
        direction: rec.direction,
        winScale: rec.winScale,
        reusedPorts: rec.reusedPorts,
        sack: sackEdges(p.data, parsed),
        item,
        infoNotes: [],
      }
    : undefined;
  if (seg) for (const analyze of tcpAnalyzers) analyze(p, seg);

  const payloadStart = start + hdrLen;
  // RFC 9293 §3.5.3 (RFC 1122 §4.2.2.12): a RST may carry diagnostic text, shown as the
  // reset cause rather than handed to the port's protocol.
  const resetCause = segLen > 0 && (flags & FLAG_RST) !== 0;
  if (resetCause && detail) {
    const avail = Math.min(segLen, p.remaining(payloadStart));
    const text = resetCauseText(p.data.subarray(payloadStart, payloadStart + avail));
    p.add(f.resetCause, payloadStart, avail, text, `Reset cause: ${text}`);
  } else if (segLen > 0 && detail) {
    p.add(
      f.payload,
      payloadStart,
      Math.min(segLen, p.remaining(payloadStart)),
      undefined,
      `TCP payload (${segLen} byte${segLen === 1 ? '' : 's'})`,
    );
  }
  p.close(item);

  let notes = '';
  if (p.columns) {
    for (const note of seg?.infoNotes ?? NO_NOTES) notes += `[${note}] `;
    let info = notes + infoHead;
    if (flags & FLAG_URG) info += ` Urg=${urgentPointer}`;
    info += ` Len=${segLen}${optionInfo}`;
    p.setInfo(info);
  }
  const fin = (flags & FLAG_FIN) !== 0;
  if (segLen > 0 && !resetCause) {
    p.transport = { kind: 'tcp', stream: rec.stream, srcPort, dstPort, direction: rec.direction };
    const streamSeg: StreamSegment = {
      stream: rec.stream,
      direction: rec.direction,
      seq,
      start: payloadStart,
      end,
      fin,
    };
    dispatchPayload(p, srcPort, dstPort, streamSeg, item);
  } else if (fin && hasStreamReassembly(p, rec.stream, rec.direction)) {
    // A FIN completes a message that runs to the end of the stream (HTTP without a length).
    p.transport = { kind: 'tcp', stream: rec.stream, srcPort, dstPort, direction: rec.direction };
    finishStream(
      p,
      { stream: rec.stream, direction: rec.direction, seq, start: payloadStart, end: payloadStart, fin },
      item,
    );
  }
  // The analysis notes stay in front of what an application protocol wrote (tshark's fence).
  if (notes && p.columns && !p.cols.info.startsWith(notes)) p.cols.info = notes + p.cols.info;
}

/** The raw edges of a well-formed SACK option (RFC 2018 §3), for the analysis. */
function sackEdges(b: Uint8Array, list: readonly RawOption[]): readonly number[] {
  if (list.length === 0) return NO_EDGES; // most segments: no options, no closure
  const o = list.find((x) => x.kind === 5 && !x.bad && (x.len - 2) % 8 === 0);
  if (!o || o.at + o.len > b.length) return NO_EDGES;
  const out: number[] = [];
  for (let at = o.at + 2; at + 4 <= o.at + o.len; at += 4)
    out.push(((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!));
  return out;
}
const NO_EDGES: readonly number[] = [];

/** A segment quoted by an ICMP error: ports and sequence number, no state, no columns. */
function dissectQuoted(p: Dissection, start: number, srcPort: number, dstPort: number): void {
  const f = tcp.f;
  const item = p.add(
    tcp.field,
    start,
    Math.min(TCP_MIN_HEADER, p.remaining(start)),
    undefined,
    headerLabel(srcPort, dstPort, ''),
  );
  p.open(item);
  p.add(f.srcport, start, 2);
  p.add(f.dstport, start + 2, 2);
  if (p.remaining(start + 4) >= 4) p.add(f.seqRaw, start + 4, 4);
  p.close(item);
}

/** The text up to the first NUL as tshark shows strings: bytes above 0x7f as U+FFFD, control
 * characters as C escapes (`\\n`, `\\001`). */
function resetCauseText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length && b[i] !== 0; i++) {
    const c = b[i]!;
    if (c >= 0x80) s += '\ufffd';
    else if (c === 0x5c) s += '\\\\';
    else if (c < 0x20 || c === 0x7f) s += escapeControl(c);
    else s += String.fromCharCode(c);
  }
  return s;
}

function hdrBits(hdrLen: number): string {
  const words = (hdrLen / 4) & 15;
  return `${words.toString(2).padStart(4, '0')} ....`;
}

/** tshark's chat items for connection set-up and tear-down (under the flag that says it). */
function connectionExpert(
  flags: number,
  srcPort: number,
  dstPort: number,
): [keyof typeof af, string] | undefined {
  if (flags & FLAG_SYN) {
    return flags & FLAG_ACK
      ? ['connectionSynack', `Connection establish acknowledge (SYN+ACK): server port ${srcPort}`]
      : ['connectionSyn', `Connection establish request (SYN): server port ${dstPort}`];
  }
  if (flags & FLAG_FIN) return ['connectionFin', 'Connection finish (FIN)'];
  if (flags & FLAG_RST) return ['connectionRst', 'Connection reset (RST)'];
  return undefined;
}

function addFlags(
  p: Dissection,
  at: number,
  flags: number,
  useAce: boolean,
  ports: [number, number] = [0, 0],
): void {
  const f = tcp.f;
  const node = p.add(
    f.flags,
    at,
    2,
    flags,
    p.tree ? `Flags: 0x${hex(flags, 3)} (${flagNames(flags, useAce)})` : undefined,
  );
  p.open(node);
  p.add(f.flagsRes, at, 2);
  if (useAce) {
    // Accurate ECN: the three bits are one counter (tshark shows ACE instead of AE/CWR/ECE).
    p.add(f.flagsAce, at, 2, aceValue(flags), `${bitPattern(0x1c0, 12, flags)} = ACE: ${aceValue(flags)}`);
  } else {
    p.add(f.flagsAe, at, 2);
    addHidden(p, f.flagsNs, at, 2);
    p.add(f.flagsCwr, at, 2);
    p.add(f.flagsEce, at, 2);
  }
  p.add(f.flagsUrg, at, 2);
  p.add(f.flagsAck, at, 2);
  p.add(f.flagsPush, at, 2);
  const expert = p.tree ? connectionExpert(flags, ports[0], ports[1]) : undefined;
  // The item goes under the flag it is about: SYN, else FIN, else RST.
  const expertBit = flags & FLAG_SYN ? FLAG_SYN : flags & FLAG_FIN ? FLAG_FIN : FLAG_RST;
  const withExpert = (node: TreeNode | undefined, bit: number) => {
    if (!expert || !node || bit !== expertBit) return;
    p.open(node);
    addSequenceExpert(p, af[expert[0]], 'chat', expert[1], false);
    p.close(node);
  };
  withExpert(p.add(f.flagsReset, at, 2), FLAG_RST);
  withExpert(p.add(f.flagsSyn, at, 2), FLAG_SYN);
  withExpert(p.add(f.flagsFin, at, 2), FLAG_FIN);
  const letters = flagLetters(flags, useAce);
  p.addGenerated(f.flagsStr, letters, `TCP Flags: ${letters}`);
  p.close(node);
}

function addChecksum(p: Dissection, start: number, checksum: number): void {
  const f = tcp.f;
  p.add(f.checksum, start + 16, 2, undefined, `Checksum: 0x${hex(checksum, 4)} [unverified]`);
  p.addGenerated(f.checksumStatus, 2, 'Checksum Status: Unverified');
}

/** tshark 4.0 does not verify by default; we still check when every byte was captured, and
 * report a bad sum as an issue. Only on the tree path: summing every payload is the costliest
 * part of a bulk pass, and nothing there reads checksum issues yet (expert info will). */
function verifyChecksum(p: Dissection, start: number, end: number, checksum: number): void {
  if (!p.tree || p.netFamily === 0 || end > p.data.length) return;
  const len = end - start;
  const pseudo = pseudoHeaderSum(p.netFamily, p.netSrc, p.netDst, IP_PROTO_TCP, len);
  const residue = internetChecksum(p.data, start, end, pseudo);
  if (residue === 0) return;
  const expected = correctChecksum(checksum, residue);
  p.issue(
    'checksum-bad',
    'warn',
    `Bad TCP checksum 0x${hex(checksum, 4)} (should be 0x${hex(expected, 4)}; may be caused by checksum offload)`,
    start + 16,
    start + 18,
  );
}

// ---- options ----

const NO_OPTIONS: readonly RawOption[] = [];
const NO_NOTES: readonly string[] = [];

/** One option as found in the header (before any decoding into the tree). */
interface RawOption {
  kind: number;
  at: number;
  /** Total length including kind and length bytes (1 for EOL/NOP). */
  len: number;
  /** Set when the option's length byte is missing, below 2 or runs past the header. */
  bad?: string;
  shift?: number;
}

/**
 * Walks the option list (RFC 9293 §3.2): EOL ends it, NOP is one byte, every other kind has a
 * length byte covering kind + length + data. A length below 2 or past the header stops the walk.
 */
function parseOptionList(b: Uint8Array, start: number, end: number): RawOption[] {
  const out: RawOption[] = [];
  const stop = Math.min(end, b.length);
  let at = start;
  while (at < stop) {
    const kind = b[at]!;
    if (kind === 0 || kind === 1) {
      out.push({ kind, at, len: 1 });
      // tshark keeps going after EOL, showing each following zero byte as another EOL.
      at++;
      continue;
    }
    if (at + 1 >= end) {
      out.push({ kind, at, len: end - at, bad: 'option length missing' });
      break;
    }
    if (at + 1 >= stop) break; // cut by the snaplen
    const len = b[at + 1]!;
    if (len < 2) {
      out.push({
        kind,
        at,
        len: 2,
        bad: `with too-short option length = ${len} byte${len === 1 ? '' : 's'}`,
      });
      break;
    }
    if (at + len > end) {
      out.push({
        kind,
        at,
        len: end - at,
        bad: `option length = ${len} bytes says option goes past end of options`,
      });
      break;
    }
    const o: RawOption = { kind, at, len };
    if (kind === 3 && len === 3 && at + 2 < b.length) o.shift = b[at + 2]!;
    out.push(o);
    at += len;
  }
  return out;
}

/** Expected total length of the fixed-size options (RFC 9293 §3.2, RFC 7323, RFC 2018). */
const FIXED_OPTION_LEN: Readonly<Record<number, number>> = { 2: 4, 3: 3, 4: 2, 8: 10 };

function optionTitle(kind: number): string {
  switch (kind) {
    case 0:
      return 'End of Option List (EOL)';
    case 1:
      return 'No-Operation (NOP)';
    case 2:
      return 'Maximum segment size';
    case 3:
      return 'Window scale';
    case 4:
      return 'SACK permitted';
    case 5:
      return 'SACK';
    case 8:
      return 'Timestamps';
    case 253:
    case 254:
      return 'Experimental';
    default:
      return TCP_OPTION_KINDS[kind] ?? `Unknown (0x${hex(kind, 2)})`;
  }
}

/** Adds the options to the tree and returns their part of the Info column. */
function addOptions(
  p: Dissection,
  start: number,
  end: number,
  list: readonly RawOption[],
  rec: TcpFrameRecord,
): string {
  const f = tcp.f;
  // The options item's label lists them: built on the tree path only (this runs for every SYN).
  const titles = p.tree
    ? list
        .filter((o) => !o.bad)
        .map((o) => optionTitle(o.kind))
        .join(', ')
    : '';
  const optLen = end - start;
  const all = p.add(
    f.options,
    start,
    Math.min(optLen, p.remaining(start)),
    undefined,
    `Options: (${optLen} bytes)${titles ? ', ' + titles : ''}`,
  );
  p.open(all);
  let info = '';
  for (const o of list) {
    const kindItem = (node: ReturnType<Dissection['add']>) => {
      p.open(node);
      p.add(f.optionKind, o.at, 1);
      if (o.kind > 1) p.add(f.optionLen, o.at + 1, 1);
      return node;
    };
    if (o.bad) {
      // tshark stops at an option whose length is unusable and shows nothing for it: the
      // problem is an issue on the options item.
      if (all) all.severity = 'error';
      p.addText(`${optionTitle(o.kind)} (${o.bad})`, o.at, Math.min(o.len, p.remaining(o.at)));
      p.issue('malformed', 'error', `TCP option ${optionTitle(o.kind)}: ${o.bad}`, o.at, o.at + o.len);
      p.malformed = true;
      continue;
    }
    const expected = FIXED_OPTION_LEN[o.kind];
    const wrongLen =
      (expected !== undefined && o.len !== expected) || (o.kind === 5 && (o.len - 2) % 8 !== 0);
    if (wrongLen) {
      // Shown with its kind and length only, the length flagged (tshark: "option length should be N").
      const node = p.add(opt.unknown, o.at, o.len, undefined, `TCP Option - ${optionTitle(o.kind)}`);
      p.open(node);
      p.add(f.optionKind, o.at, 1);
      const lenNode = p.add(f.optionLen, o.at + 1, 1);
      if (lenNode) lenNode.severity = 'note';
      p.close(node);
      const msg = `option length should be ${expected ?? '2 + a multiple of 8'}`;
      p.issue('malformed', 'note', `TCP option ${optionTitle(o.kind)}: ${msg}`, o.at + 1, o.at + 2);
      continue;
    }
    switch (o.kind) {
      case 0: {
        p.close(kindItem(p.add(opt.eol, o.at, 1, undefined, 'TCP Option - End of Option List (EOL)')));
        break;
      }
      case 1: {
        p.close(kindItem(p.add(opt.nop, o.at, 1, undefined, 'TCP Option - No-Operation (NOP)')));
        break;
      }
      case 2: {
        const mss = p.u16(o.at + 2);
        const node = kindItem(
          p.add(opt.mss, o.at, 4, undefined, `TCP Option - Maximum segment size: ${mss} bytes`),
        );
        p.add(f.mssVal, o.at + 2, 2);
        p.close(node);
        info += ` MSS=${mss}`;
        break;
      }
      case 3: {
        const shift = p.u8(o.at + 2);
        const multiplier = 2 ** Math.min(shift, 14);
        const node = kindItem(
          p.add(
            opt.wscale,
            o.at,
            3,
            undefined,
            `TCP Option - Window scale: ${shift} (multiply by ${multiplier})`,
          ),
        );
        p.add(f.wscaleShift, o.at + 2, 1);
        p.addGenerated(f.wscaleMultiplier, multiplier);
        if (shift > 14)
          p.issue(
            'malformed',
            'warn',
            `Window scale shift ${shift} exceeds 14 (RFC 7323 §2.3)`,
            o.at + 2,
            o.at + 3,
          );
        p.close(node);
        info += ` WS=${multiplier}`;
        break;
      }
      case 4: {
        p.close(kindItem(p.add(opt.sackPerm, o.at, 2, undefined, 'TCP Option - SACK permitted')));
        info += ' SACK_PERM';
        break;
      }
      case 5: {
        // Edges are shown relative to the base of the acknowledged (peer's) direction.
        const base = rec.ackBase ?? 0;
        const count = (o.len - 2) / 8;
        let label = 'TCP Option - SACK';
        const edges: [number, number][] = [];
        for (let i = 0; i < count; i++) {
          const le = (p.u32(o.at + 2 + 8 * i) - base) >>> 0;
          const re = (p.u32(o.at + 6 + 8 * i) - base) >>> 0;
          edges.push([le, re]);
          label += ` ${le}-${re}`;
        }
        const node = kindItem(p.add(opt.sack, o.at, o.len, undefined, label));
        edges.forEach(([le, re], i) => {
          p.add(f.sackLe, o.at + 2 + 8 * i, 4, le, `left edge = ${le} (relative)`);
          p.add(f.sackRe, o.at + 6 + 8 * i, 4, re, `right edge = ${re} (relative)`);
          info += ` SLE=${le} SRE=${re}`;
        });
        p.addGenerated(f.sackCount, count);
        p.close(node);
        break;
      }
      case 8: {
        const tsval = p.u32(o.at + 2);
        const tsecr = p.u32(o.at + 6);
        const node = kindItem(
          p.add(
            opt.timestamp,
            o.at,
            10,
            undefined,
            `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}`,
          ),
        );
        p.add(f.tsval, o.at + 2, 4);
        p.add(f.tsecr, o.at + 6, 4);
        p.close(node);
        info += ` TSval=${tsval} TSecr=${tsecr}`;
        break;
      }
      case 253:
      case 254: {
        info += addExperimental(p, o, kindItem);
        break;
      }
      default: {
        const node = kindItem(
          p.add(opt.unknown, o.at, o.len, undefined, `TCP Option - ${TCP_OPTION_KINDS[o.kind] ?? 'Unknown'}`),
        );
        if (o.len > 2) p.add(f.unknownPayload, o.at + 2, o.len - 2);
        p.close(node);
      }
    }
  }
  p.close(all);
  return info;
}

/**
 * RFC 6994 experimental option (kinds 253/254) with a 16-bit experiment identifier. The
 * Accurate ECN draft's counters (three 24-bit byte counters, order 0 = EE0B, ECEB, EE1B,
 * order 1 reversed) are decoded as tshark does; returns their Info text.
 */
function addExperimental(
  p: Dissection,
  o: RawOption,
  kindItem: (node: ReturnType<Dissection['add']>) => ReturnType<Dissection['add']>,
): string {
  const f = tcp.f;
  if (o.len < 4) {
    p.close(kindItem(p.add(opt.experimental, o.at, o.len, undefined, 'TCP Option - Experimental')));
    return '';
  }
  const exid = p.u16(o.at + 2);
  const order = exid === 0xacc0 ? 0 : exid === 0xacc1 ? 1 : -1;
  if (order < 0) {
    const node = kindItem(p.add(opt.experimental, o.at, o.len, undefined, 'TCP Option - Experimental'));
    p.add(f.experimentalExid, o.at + 2, 2);
    if (o.len > 4) p.add(f.experimentalData, o.at + 4, o.len - 4);
    p.close(node);
    return '';
  }
  const names = order === 0 ? (['EE0B', 'ECEB', 'EE1B'] as const) : (['EE1B', 'ECEB', 'EE0B'] as const);
  const fields = { EE0B: f.accEcnEe0b, ECEB: f.accEcnEceb, EE1B: f.accEcnEe1b };
  const count = Math.min(3, Math.floor((o.len - 4) / 3));
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(p.u24(o.at + 4 + 3 * i));
  const text = values.map((v, i) => `${names[i]} ${v}`).join(', ');
  const title = EXPERIMENT_IDS[exid]!;
  const node = kindItem(
    p.add(
      opt.experimental,
      o.at,
      o.len,
      undefined,
      `TCP Option - Experimental: ${title}: Accurate ECN (Order ${order}): ${text}`,
    ),
  );
  p.add(f.experimentalExid, o.at + 2, 2);
  values.forEach((v, i) => p.add(fields[names[i]!], o.at + 4 + 3 * i, 3, v));
  p.close(node);
  return values.map((v, i) => ` ${names[i]}=${v}`).join('');
}

/** A conversation an earlier packet bound (FTP-DATA), else the lower port first, then the
 * higher one, as Wireshark does; else heuristics, else plain data. Protocols over a byte stream
 * go through reassembly (core/analysis/tcp-reassembly.ts). */
function dispatchPayload(
  p: Dissection,
  srcPort: number,
  dstPort: number,
  seg: StreamSegment,
  item: TreeNode | undefined,
): void {
  const { start, end } = seg;
  const [low, high] = srcPort <= dstPort ? [srcPort, dstPort] : [dstPort, srcPort];
  const d =
    conversationDissector(p, 'tcp', srcPort, dstPort) ?? tables.tcpPort.get(low) ?? tables.tcpPort.get(high);
  if (d) {
    if (isStreamDissector(d)) dissectStreamPayload(p, d, seg, item);
    else p.call(d, start, end);
    return;
  }
  // A stream protocol recognised by its first bytes (HTTP on any port) keeps the conversation.
  const h = recogniseStream(p, p.data, start, end);
  if (h) {
    expectConversation(p, {
      transport: 'tcp',
      addrA: p.netSrc,
      portA: srcPort,
      addrB: p.netDst,
      portB: dstPort,
      dissector: h,
    });
    dissectStreamPayload(p, h, seg, item);
    return;
  }
  tables.tcpPort.dispatchOrData(p, -1, start, end, data);
}

// ---- encoding ----

export type TcpOption =
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sackPerm' }
  | { kind: 'sack'; blocks: [number, number][] }
  | { kind: 'timestamps'; tsval: number; tsecr: number }
  | { kind: 'nop' }
  | { kind: 'eol' }
  | { kind: 'unknown'; code: number; data: Uint8Array };

export interface TcpFlags {
  fin?: boolean;
  syn?: boolean;
  rst?: boolean;
  psh?: boolean;
  ack?: boolean;
  urg?: boolean;
  ece?: boolean;
  cwr?: boolean;
  ns?: boolean;
}

export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: TcpFlags;
  window: number;
  urgentPointer?: number;
  options?: TcpOption[];
  /** Header length in 32-bit words; defaults to what the options need. */
  dataOffset?: number;
  /** Computed over the pseudo-header when omitted. */
  checksum?: number;
}

const FLAG_BITS: readonly [keyof TcpFlags, number][] = [
  ['fin', FLAG_FIN],
  ['syn', FLAG_SYN],
  ['rst', FLAG_RST],
  ['psh', FLAG_PSH],
  ['ack', FLAG_ACK],
  ['urg', FLAG_URG],
  ['ece', FLAG_ECE],
  ['cwr', FLAG_CWR],
  ['ns', FLAG_AE],
];

function encodeOption(o: TcpOption): number[] {
  switch (o.kind) {
    case 'eol':
      return [0];
    case 'nop':
      return [1];
    case 'mss':
      return [2, 4, (o.value >>> 8) & 0xff, o.value & 0xff];
    case 'wscale':
      return [3, 3, o.shift & 0xff];
    case 'sackPerm':
      return [4, 2];
    case 'sack':
      return [5, 2 + 8 * o.blocks.length, ...o.blocks.flatMap(([l, r]) => [...be32(l), ...be32(r)])];
    case 'timestamps':
      return [8, 10, ...be32(o.tsval), ...be32(o.tsecr)];
    case 'unknown':
      return [o.code, 2 + o.data.length, ...o.data];
  }
}

function be32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** Builds a segment: header (options padded with zeros to a 32-bit boundary) + payload. */
export function encodeTcp(repr: TcpRepr, payload: Uint8Array, net: NetAddresses): Uint8Array {
  const optBytes = (repr.options ?? []).flatMap(encodeOption);
  const words = repr.dataOffset ?? Math.ceil((TCP_MIN_HEADER + optBytes.length) / 4);
  const hdrLen = Math.max(words * 4, TCP_MIN_HEADER + optBytes.length);
  const out = new Uint8Array(hdrLen + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, repr.srcPort);
  dv.setUint16(2, repr.dstPort);
  dv.setUint32(4, repr.seq >>> 0);
  dv.setUint32(8, repr.ack >>> 0);
  let flags = 0;
  for (const [name, bit] of FLAG_BITS) if (repr.flags[name]) flags |= bit;
  dv.setUint16(12, ((words & 15) << 12) | flags);
  dv.setUint16(14, repr.window);
  dv.setUint16(18, repr.urgentPointer ?? 0);
  out.set(optBytes, TCP_MIN_HEADER);
  out.set(payload, hdrLen);
  const checksum =
    repr.checksum ??
    internetChecksum(
      out,
      0,
      out.length,
      pseudoHeaderSum(netFamilyOf(net), net.src, net.dst, IP_PROTO_TCP, out.length),
    );
  dv.setUint16(16, checksum);
  return out;
}

/** Reads a segment back into its plain representation; undefined when shorter than 20 bytes. */
export function parseTcp(bytes: Uint8Array): { repr: TcpRepr; payload: Uint8Array } | undefined {
  if (bytes.length < TCP_MIN_HEADER) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsetFlags = dv.getUint16(12);
  const dataOffset = offsetFlags >>> 12;
  const hdrLen = Math.min(bytes.length, Math.max(TCP_MIN_HEADER, dataOffset * 4));
  const flags: TcpFlags = {};
  for (const [name, bit] of FLAG_BITS) flags[name] = (offsetFlags & bit) !== 0;
  const options: TcpOption[] = [];
  for (const o of parseOptionList(bytes, TCP_MIN_HEADER, hdrLen)) {
    if (o.bad || options[options.length - 1]?.kind === 'eol') break;
    const body = bytes.subarray(o.at + 2, o.at + o.len);
    const u32 = (i: number) => dv.getUint32(o.at + i);
    const fixed = FIXED_OPTION_LEN[o.kind];
    if (o.kind === 0) options.push({ kind: 'eol' });
    else if (o.kind === 1) options.push({ kind: 'nop' });
    else if (fixed !== undefined && o.len !== fixed)
      options.push({ kind: 'unknown', code: o.kind, data: body });
    else if (o.kind === 2) options.push({ kind: 'mss', value: dv.getUint16(o.at + 2) });
    else if (o.kind === 3) options.push({ kind: 'wscale', shift: bytes[o.at + 2]! });
    else if (o.kind === 4) options.push({ kind: 'sackPerm' });
    else if (o.kind === 8) options.push({ kind: 'timestamps', tsval: u32(2), tsecr: u32(6) });
    else if (o.kind === 5 && (o.len - 2) % 8 === 0) {
      const blocks: [number, number][] = [];
      for (let i = 2; i < o.len; i += 8) blocks.push([u32(i), u32(i + 4)]);
      options.push({ kind: 'sack', blocks });
    } else options.push({ kind: 'unknown', code: o.kind, data: body });
  }
  return {
    repr: {
      srcPort: dv.getUint16(0),
      dstPort: dv.getUint16(2),
      seq: dv.getUint32(4),
      ack: dv.getUint32(8),
      flags,
      window: dv.getUint16(14),
      urgentPointer: dv.getUint16(18),
      options,
      dataOffset,
      checksum: dv.getUint16(16),
    },
    payload: bytes.subarray(hdrLen),
  };
}

tables.ipProto.register(IP_PROTO_TCP, tcp);
