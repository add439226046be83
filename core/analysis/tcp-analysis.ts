// TCP sequence analysis as Wireshark 4.0 does it (packet-tcp.c, tcp_analyze_sequence_number and
// tcp_print_sequence_number_analysis; the rules are restated here, no code copied): per
// direction it tracks the highest next sequence number, the last ACK and window, duplicate
// ACKs and the segments not yet acknowledged, and flags each segment:
//   zero window probe, zero window, lost segment, keep-alive, window update, window full,
//   keep-alive ACK, zero window probe ACK, duplicate ACK; ACKed unseen segment; then for
//   segments carrying data (or SYN/FIN) that do not advance the sequence: spurious
//   retransmission, fast retransmission, out-of-order, else retransmission.
// Plus bytes in flight, bytes since the last PSH, the ACKed frame and its RTT, iRTT, the
// stream's relative and delta times, `tcp.completeness` and the connection state (RFC 9293
// §3.3.2, as the wire shows it). Results are stored per frame in typed arrays, so a revisit
// (random access, or `read -2`) shows the same flags; the stream-wide values (iRTT,
// completeness) are shown as they are at display time, which after a full first pass is what
// tshark -2 prints.
import type { Dissection, TreeNode } from '../dissect/dissection';
import { tcpAnalyzers, type TcpSegment } from '../protocols/tcp';
import { addSequenceExpert, analysisFields as af } from './tcp-fields';

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_PUSH = 0x08;
const TH_ACK = 0x10;

// Analysis flags (bit values are ours).
export const TCP_A = {
  RETRANSMISSION: 0x1,
  LOST_PACKET: 0x2,
  ACK_LOST_PACKET: 0x4,
  KEEP_ALIVE: 0x8,
  DUPLICATE_ACK: 0x10,
  ZERO_WINDOW: 0x20,
  ZERO_WINDOW_PROBE: 0x40,
  ZERO_WINDOW_PROBE_ACK: 0x80,
  KEEP_ALIVE_ACK: 0x100,
  OUT_OF_ORDER: 0x200,
  FAST_RETRANSMISSION: 0x400,
  WINDOW_UPDATE: 0x800,
  WINDOW_FULL: 0x1000,
  REUSED_PORTS: 0x2000,
  SPURIOUS_RETRANSMISSION: 0x4000,
} as const;

/** Wireshark keeps at most this many unacknowledged segments per direction. */
const MAX_UNACKED_SEGMENTS = 10000;

// tcp.completeness bits (tshark 4.0).
const C_SYN = 1;
const C_SYNACK = 2;
const C_ACK = 4;
const C_DATA = 8;
const C_FIN = 16;
const C_RST = 32;

/** Connection states (RFC 9293 §3.3.2) as the seeds spell them. */
const STATES = [
  'CLOSED',
  'LISTEN',
  'SYN-SENT',
  'SYN-RECEIVED',
  'ESTABLISHED',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'CLOSING',
  'LAST-ACK',
  'TIME-WAIT',
] as const;
const S = {
  CLOSED: 0,
  LISTEN: 1,
  SYN_SENT: 2,
  SYN_RECEIVED: 3,
  ESTABLISHED: 4,
  FIN_WAIT_1: 5,
  FIN_WAIT_2: 6,
  CLOSE_WAIT: 7,
  CLOSING: 8,
  LAST_ACK: 9,
  TIME_WAIT: 10,
} as const;

interface Unacked {
  frame: number;
  seq: number;
  nextseq: number;
  timeNs: number;
}

/** One direction (Wireshark's tcp_flow_t + tcp_analyze_seq_flow_info_t). Raw sequence numbers;
 * 0 means "not seen yet" exactly where Wireshark tests for zero. */
interface Flow {
  baseSeq: number;
  baseSet: boolean;
  nextseq: number;
  nextseqFrame: number;
  nextseqTimeNs: number;
  maxseqtobeacked: number;
  lastack: number;
  lastackTimeNs: number;
  /** Last (scaled) window; -1 before any segment. */
  window: number;
  winScale: number;
  dupacknum: number;
  lastnondupack: number;
  lastSegmentFlags: number;
  validBif: boolean;
  pushBytesSent: number;
  pushSetLast: boolean;
  segments: Unacked[];
  /** Lowest `seq` and highest `nextseq` of `segments` relative to `baseSeq`, for bytes in
   * flight; recomputed only after an ACK changed the list (`spanDirty`). */
  spanFirst: number;
  spanLast: number;
  spanDirty: boolean;
  /** Raw sequence number of this side's FIN, once sent (for the connection state). */
  finSeq: number;
  finSent: boolean;
  state: number;
  /** SACK blocks of this direction's latest segment (raw edges; tshark keeps up to 3). */
  sack: readonly number[];
}

interface Stream {
  flows: [Flow, Flow];
  firstTimeNs: number;
  lastTimeNs: number;
  /** Time of the latest SYN (no ACK) and the iRTT (-1 unknown). */
  synTimeNs: number;
  irttNs: number;
  completeness: number;
}

// The packed state column: sender state * 16 + peer state, plus these bits.
const STATE_HAS_TA = 256; // some analysis data exists (the SEQ/ACK analysis item is shown)
const STATE_FIN_ACTIVE = 512;
const STATE_FIN_PASSIVE = 1024;

interface AnalysisState {
  streams: Stream[];
  frames: ResultTable;
}

/**
 * Per-frame results, compact: eight 32-bit integers and three float64 times per frame (56 bytes;
 * the generic PerFrameTable would take 88), growing by doubling. A second TCP layer in one frame
 * (tunnels) goes to a small map.
 */
class ResultTable {
  private ints = new Uint32Array(1024 * 8);
  private times = new Float64Array(1024 * 3);
  private present = new Uint8Array(1024);
  private readonly extra = new Map<number, Result>();

  has(frame: number, layer: number): boolean {
    if (layer > 0) return this.extra.has(frame * 16 + layer);
    return frame < this.present.length && this.present[frame] === 1;
  }

  write(frame: number, layer: number, r: Result): void {
    if (layer > 0) {
      this.extra.set(frame * 16 + layer, r);
      return;
    }
    if (frame >= this.present.length) this.grow(frame);
    this.present[frame] = 1;
    const i = frame * 8;
    const t = frame * 3;
    const ints = this.ints;
    ints[i] = r.flags;
    ints[i + 1] = r.dupackNum;
    ints[i + 2] = r.dupackFrame;
    ints[i + 3] = r.acksFrame;
    ints[i + 4] = r.bif;
    ints[i + 5] = r.push + 1; // 0: none
    ints[i + 6] =
      r.senderState * 16 +
      r.peerState +
      (r.hasTa ? STATE_HAS_TA : 0) +
      (r.finRole === 1 ? STATE_FIN_ACTIVE : r.finRole === 2 ? STATE_FIN_PASSIVE : 0);
    ints[i + 7] = r.rtoFrame;
    this.times[t] = r.ackRttNs;
    this.times[t + 1] = r.timeDeltaNs;
    this.times[t + 2] = r.rtoNs;
  }

  read(frame: number, layer: number, stream: Stream | undefined, now: number): Result {
    if (layer > 0) return this.extra.get(frame * 16 + layer)!;
    const i = frame * 8;
    const t = frame * 3;
    const ints = this.ints;
    const states = ints[i + 6]!;
    return {
      flags: ints[i]!,
      dupackNum: ints[i + 1]!,
      dupackFrame: ints[i + 2]!,
      acksFrame: ints[i + 3]!,
      ackRttNs: this.times[t]!,
      bif: ints[i + 4]!,
      push: ints[i + 5]! - 1,
      timeRelNs: stream ? now - stream.firstTimeNs : 0,
      timeDeltaNs: this.times[t + 1]!,
      senderState: (states >> 4) & 15,
      peerState: states & 15,
      hasTa: (states & STATE_HAS_TA) !== 0,
      finRole: states & STATE_FIN_ACTIVE ? 1 : states & STATE_FIN_PASSIVE ? 2 : 0,
      rtoNs: this.times[t + 2]!,
      rtoFrame: ints[i + 7]!,
    };
  }

  private grow(frame: number): void {
    let size = this.present.length;
    while (size <= frame) size *= 2;
    const present = new Uint8Array(size);
    present.set(this.present);
    const ints = new Uint32Array(size * 8);
    ints.set(this.ints);
    const times = new Float64Array(size * 3);
    times.set(this.times);
    this.present = present;
    this.ints = ints;
    this.times = times;
  }
}

function newAnalysisState(): AnalysisState {
  return { streams: [], frames: new ResultTable() };
}

/** (Per TCP segment: no closure per call.) */
function analysisState(p: Dissection): AnalysisState {
  return p.state.slot<AnalysisState>('tcp-analysis', newAnalysisState);
}

const NO_SACK: readonly number[] = [];

function newFlow(): Flow {
  return {
    baseSeq: 0,
    baseSet: false,
    nextseq: 0,
    nextseqFrame: 0,
    nextseqTimeNs: 0,
    maxseqtobeacked: 0,
    lastack: 0,
    lastackTimeNs: 0,
    window: -1,
    winScale: -1,
    dupacknum: 0,
    lastnondupack: 0,
    lastSegmentFlags: 0,
    validBif: true,
    pushBytesSent: 0,
    pushSetLast: false,
    segments: [],
    spanFirst: 0,
    spanLast: 0,
    spanDirty: true,
    finSeq: 0,
    finSent: false,
    state: S.CLOSED,
    sack: NO_SACK,
  };
}

// RFC 9293 §3.4: sequence comparisons modulo 2^32.
const diff = (a: number, b: number) => (b - a) | 0;
const GT = (a: number, b: number) => diff(b, a) > 0;
const LT = (a: number, b: number) => diff(b, a) < 0;
const LE = (a: number, b: number) => diff(b, a) <= 0;
const u32 = (v: number) => v >>> 0;

/** What one frame's analysis found (first pass), for display. */
interface Result {
  flags: number;
  dupackNum: number;
  dupackFrame: number;
  acksFrame: number;
  ackRttNs: number;
  bif: number;
  push: number;
  timeRelNs: number;
  timeDeltaNs: number;
  senderState: number;
  peerState: number;
  hasTa: boolean;
  /** This FIN initiates (1) or undergoes (2) the closing; 0 for other segments. */
  finRole: number;
  rtoNs: number;
  rtoFrame: number;
}

function analyze(p: Dissection, seg: TcpSegment): void {
  if (p.inError) return;
  const st = analysisState(p);
  const nth = p.layerNumber('tcp') - 1;
  const n = p.frame.number;
  let r: Result;
  let stream = st.streams[seg.stream];
  if (st.frames.has(n, nth)) {
    r = st.frames.read(n, nth, stream, p.frame.relativeNs);
  } else {
    if (p.visited && !stream) return; // never seen on a first pass
    if (!stream) {
      stream = {
        flows: [newFlow(), newFlow()],
        firstTimeNs: p.frame.relativeNs,
        lastTimeNs: p.frame.relativeNs,
        synTimeNs: -1,
        irttNs: -1,
        completeness: 0,
      };
      st.streams[seg.stream] = stream;
    }
    r = learn(p, stream, seg);
    st.frames.write(n, nth, r);
  }
  show(p, seg, r, stream);
}

function learn(p: Dissection, stream: Stream, seg: TcpSegment): Result {
  const now = p.frame.relativeNs;
  const fwd = stream.flows[seg.direction]!;
  const rev = stream.flows[seg.direction ^ 1]!;
  const { seqRaw: seq, ackRaw: ack, len: seglen, flags } = seg;
  const window = seg.window;
  fwd.winScale = seg.winScale;
  const r: Result = {
    flags: 0,
    dupackNum: 0,
    dupackFrame: 0,
    acksFrame: 0,
    ackRttNs: 0,
    bif: 0,
    push: -1,
    timeRelNs: now - stream.firstTimeNs,
    timeDeltaNs: now - stream.lastTimeNs,
    senderState: 0,
    peerState: 0,
    hasTa: false,
    finRole: 0,
    rtoNs: 0,
    rtoFrame: 0,
  };
  stream.lastTimeNs = now;
  if (flags & TH_FIN) r.finRole = rev.finSent ? 2 : 1;
  if (seg.reusedPorts) r.flags |= TCP_A.REUSED_PORTS;

  // iRTT: from the SYN to the first ACK of the handshake (tshark's ts_first_rtt).
  if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) stream.synTimeNs = now;
  else if ((flags & (TH_SYN | TH_ACK)) === TH_ACK && stream.synTimeNs >= 0 && stream.irttNs < 0)
    stream.irttNs = now - stream.synTimeNs;
  updateCompleteness(stream, flags, seglen);

  if (!fwd.baseSet) {
    fwd.baseSeq = flags & TH_SYN ? seq : u32(seq - 1);
    fwd.baseSet = true;
  }
  if (!rev.baseSet && flags & TH_ACK) {
    rev.baseSeq = u32(ack - 1);
    rev.baseSet = true;
  }
  if (flags & TH_ACK) rev.validBif = true;

  const noSFR = (flags & (TH_SYN | TH_FIN | TH_RST)) === 0;
  check: {
    // Zero window probe: one byte at the next expected sequence while the peer's window is 0.
    if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) {
      r.flags |= TCP_A.ZERO_WINDOW_PROBE;
      break check;
    }
    if (window === 0 && (flags & (TH_RST | TH_FIN | TH_SYN)) === 0) r.flags |= TCP_A.ZERO_WINDOW;
    if (fwd.nextseq && GT(seq, fwd.nextseq) && (flags & TH_RST) === 0) {
      r.flags |= TCP_A.LOST_PACKET;
      fwd.validBif = false; // until an ACK is seen in the other direction
    }
    if ((seglen === 0 || seglen === 1) && seq === u32(fwd.nextseq - 1) && noSFR) r.flags |= TCP_A.KEEP_ALIVE;
    if (
      seglen === 0 &&
      window &&
      window !== fwd.window &&
      seq === fwd.nextseq &&
      ack === fwd.lastack &&
      noSFR
    )
      r.flags |= TCP_A.WINDOW_UPDATE;
    if (
      seglen > 0 &&
      rev.winScale !== -1 &&
      rev.window >= 0 &&
      u32(seq + seglen) === u32(rev.lastack + rev.window) &&
      noSFR
    )
      r.flags |= TCP_A.WINDOW_FULL;
    const repeatsAck =
      seglen === 0 && window === fwd.window && seq === fwd.nextseq && ack === fwd.lastack && noSFR;
    if (repeatsAck && window && rev.lastSegmentFlags & TCP_A.KEEP_ALIVE) {
      r.flags |= TCP_A.KEEP_ALIVE_ACK;
      break check;
    }
    if (repeatsAck && window === 0 && rev.lastSegmentFlags & TCP_A.ZERO_WINDOW_PROBE) {
      r.flags |= TCP_A.ZERO_WINDOW_PROBE_ACK;
      break check;
    }
    if (repeatsAck && window) {
      fwd.dupacknum = fwd.dupacknum === -1 ? 1 : fwd.dupacknum + 1;
      r.flags |= TCP_A.DUPLICATE_ACK;
      r.dupackNum = fwd.dupacknum;
      r.dupackFrame = fwd.lastnondupack;
    }
  }
  if (ack !== fwd.lastack) {
    fwd.lastnondupack = p.frame.number;
    fwd.dupacknum = 0;
  }

  // Retransmission, fast retransmission, spurious retransmission, out-of-order.
  if ((seglen > 0 || flags & (TH_SYN | TH_FIN)) && !(r.flags & TCP_A.KEEP_ALIVE)) {
    let notAdvanced = fwd.nextseq !== 0 && LT(seq, fwd.nextseq);
    // More than one byte right after a possible zero window probe adds new data.
    if (seglen > 1 && u32(fwd.nextseq - 1) === seq) notAdvanced = false;
    retransmission: {
      if (seglen > 0 && rev.lastack && LE(u32(seq + seglen), rev.lastack)) {
        r.flags |= TCP_A.SPURIOUS_RETRANSMISSION;
        break retransmission;
      }
      // ≥2 duplicate ACKs asking for this sequence, within 20 ms of the last one.
      if (notAdvanced && rev.dupacknum >= 2 && rev.lastack === seq && now - rev.lastackTimeNs < 20_000_000) {
        r.flags |= TCP_A.FAST_RETRANSMISSION;
        break retransmission;
      }
      // Soon after the highest segment (within the iRTT, else 3 ms) and not ending where it
      // ended: out of order.
      const threshold = stream.irttNs > 0 ? stream.irttNs : 3_000_000;
      const synFin = flags & (TH_SYN | TH_FIN) ? 1 : 0;
      if (notAdvanced && now - fwd.nextseqTimeNs < threshold && fwd.nextseq !== u32(seq + seglen + synFin)) {
        r.flags |= TCP_A.OUT_OF_ORDER;
        break retransmission;
      }
      if (notAdvanced) {
        r.flags |= TCP_A.RETRANSMISSION;
        // RTO: from the oldest unacknowledged segment (likely the one repeated), else from
        // the highest one.
        const oldest = fwd.segments[0];
        r.rtoNs = now - (oldest ? oldest.timeNs : fwd.nextseqTimeNs);
        r.rtoFrame = oldest ? oldest.frame : fwd.nextseqFrame;
      }
    }
  }

  // ACKed unseen segment: this ACK covers data the other direction never showed. (tshark 4.0
  // tests it after the retransmission checks: a fast retransmission still sees the dup ACKs.)
  if (rev.maxseqtobeacked && GT(ack, rev.maxseqtobeacked) && flags & TH_ACK) {
    r.hasTa = true;
    if (rev.maxseqtobeacked > rev.nextseq) {
      rev.maxseqtobeacked = rev.nextseq;
      r.flags |= TCP_A.ACK_LOST_PACKET;
    } else {
      if (rev.dupacknum === 0) r.flags |= TCP_A.ACK_LOST_PACKET;
      rev.dupacknum = -1;
    }
  }

  let nextseq = u32(seq + seglen);
  if ((seglen || flags & (TH_SYN | TH_FIN)) && fwd.segments.length < MAX_UNACKED_SEGMENTS) {
    if (flags & (TH_SYN | TH_FIN)) nextseq = u32(nextseq + 1);
    fwd.segments.push({ frame: p.frame.number, seq, nextseq, timeNs: now });
    if (fwd.segments.length === 1) fwd.spanDirty = true;
    else if (!fwd.spanDirty) {
      fwd.spanFirst = Math.min(fwd.spanFirst, u32(seq - fwd.baseSeq));
      fwd.spanLast = Math.max(fwd.spanLast, u32(nextseq - fwd.baseSeq));
    }
  } else if (flags & (TH_SYN | TH_FIN)) {
    nextseq = u32(nextseq + 1);
  }
  const probe = (r.flags & TCP_A.ZERO_WINDOW_PROBE) !== 0;
  if ((GT(nextseq, fwd.nextseq) || !fwd.nextseq) && !probe) {
    fwd.nextseq = nextseq;
    fwd.nextseqFrame = p.frame.number;
    fwd.nextseqTimeNs = now;
  }
  if ((seq === fwd.maxseqtobeacked || !fwd.maxseqtobeacked) && !probe) fwd.maxseqtobeacked = fwd.nextseq;
  fwd.sack = seg.sack;
  fwd.window = window;
  fwd.lastack = ack;
  fwd.lastackTimeNs = now;
  fwd.lastSegmentFlags = r.flags;

  // Segments of the other direction this ACK covers: the one it ends exactly gives the RTT.
  // Wireshark walks its list newest first, so of several segments this ACK ends exactly
  // (a segment and its retransmission) the oldest is the one reported.
  const list = rev.segments;
  let keep = 0;
  let ackTouched = false;
  for (let i = 0; i < list.length; i++) {
    const u = list[i]!;
    if (ack === u.nextseq) {
      if (!r.acksFrame) {
        r.acksFrame = u.frame;
        r.ackRttNs = now - u.timeNs;
        r.hasTa = true;
      }
      continue; // acknowledged: dropped
    }
    if (GT(ack, u.seq) && LE(ack, u.nextseq)) {
      u.seq = ack; // partly acknowledged
      ackTouched = true;
      list[keep++] = u;
      continue;
    }
    if (GT(u.nextseq, ack)) {
      list[keep++] = u;
      continue;
    }
    // older than the ACK: dropped
  }
  if (keep !== list.length || ackTouched) rev.spanDirty = true;
  list.length = keep;

  // Bytes in flight (payload-based, tshark's default) and bytes since the last PSH.
  if (seglen !== 0 && fwd.segments.length && fwd.validBif) {
    if (fwd.spanDirty) {
      fwd.spanFirst = u32(fwd.segments[0]!.seq - fwd.baseSeq);
      fwd.spanLast = u32(fwd.segments[0]!.nextseq - fwd.baseSeq);
      for (const u of fwd.segments) {
        fwd.spanFirst = Math.min(fwd.spanFirst, u32(u.seq - fwd.baseSeq));
        fwd.spanLast = Math.max(fwd.spanLast, u32(u.nextseq - fwd.baseSeq));
      }
      fwd.spanDirty = false;
    }
    let inFlight = u32(fwd.spanLast - fwd.spanFirst);
    // Data the receiver already holds (its latest SACK blocks) is not in flight.
    for (let i = 0; i + 1 < rev.sack.length && i < 6; i += 2)
      inFlight = u32(inFlight - u32(rev.sack[i + 1]! - rev.sack[i]!));
    if (inFlight > 0 && inFlight < 2_000_000_000) r.bif = inFlight - (flags & (TH_SYN | TH_FIN) ? 1 : 0);
    if (flags & TH_PUSH) {
      fwd.pushBytesSent = fwd.pushSetLast ? seglen : fwd.pushBytesSent + seglen;
      fwd.pushSetLast = true;
    } else if (fwd.pushSetLast) {
      fwd.pushBytesSent = seglen;
      fwd.pushSetLast = false;
    } else {
      fwd.pushBytesSent += seglen;
    }
    r.push = fwd.pushBytesSent;
    r.hasTa = true;
  }
  if (r.flags || r.bif) r.hasTa = true;

  updateStates(fwd, rev, seg);
  r.senderState = fwd.state;
  r.peerState = rev.state;
  return r;
}

/** tshark 4.0's conversation completeness bits. */
function updateCompleteness(stream: Stream, flags: number, seglen: number): void {
  if (flags & TH_SYN) stream.completeness |= flags & TH_ACK ? C_SYNACK : C_SYN;
  else if (flags & TH_ACK && stream.completeness & C_SYNACK) stream.completeness |= C_ACK;
  if (seglen > 0) stream.completeness |= C_DATA;
  if (flags & TH_FIN) stream.completeness |= C_FIN;
  if (flags & TH_RST) stream.completeness |= C_RST;
}

/** RFC 9293 §3.3.2 transitions, applied to both ends as the segment shows them. */
function updateStates(fwd: Flow, rev: Flow, seg: TcpSegment): void {
  const { flags } = seg;
  if (flags & TH_RST) {
    fwd.state = rev.state = S.CLOSED;
    return;
  }
  if (flags & TH_SYN) {
    if (flags & TH_ACK) {
      fwd.state = S.SYN_RECEIVED;
      if (rev.state === S.SYN_SENT) rev.state = S.ESTABLISHED; // it receives the SYN-ACK
    } else {
      fwd.state = S.SYN_SENT;
      if (rev.state === S.CLOSED) rev.state = S.LISTEN;
    }
    return;
  }
  // A segment seen mid-connection (no handshake captured): both ends are established.
  if (fwd.state === S.CLOSED && rev.state === S.CLOSED) fwd.state = rev.state = S.ESTABLISHED;
  if (fwd.state === S.SYN_SENT) fwd.state = S.ESTABLISHED;
  // This ACK acknowledges the peer's FIN or SYN.
  if (flags & TH_ACK) {
    if (rev.state === S.SYN_RECEIVED) rev.state = S.ESTABLISHED;
    if (rev.finSent && GT(seg.ackRaw, rev.finSeq)) {
      if (rev.state === S.FIN_WAIT_1) rev.state = S.FIN_WAIT_2;
      else if (rev.state === S.CLOSING) rev.state = S.TIME_WAIT;
      else if (rev.state === S.LAST_ACK) rev.state = S.CLOSED;
    }
  }
  if (flags & TH_FIN) {
    if (!fwd.finSent) {
      fwd.finSent = true;
      fwd.finSeq = u32(seg.seqRaw + seg.len);
    }
    if (fwd.state === S.ESTABLISHED || fwd.state === S.SYN_RECEIVED) fwd.state = S.FIN_WAIT_1;
    else if (fwd.state === S.CLOSE_WAIT) fwd.state = S.LAST_ACK;
    // The peer receives the FIN.
    if (rev.state === S.ESTABLISHED) rev.state = S.CLOSE_WAIT;
    else if (rev.state === S.FIN_WAIT_1) rev.state = S.CLOSING;
    else if (rev.state === S.FIN_WAIT_2) rev.state = S.TIME_WAIT;
  }
}

/** Expert items (tshark 4.0 messages and severities) and Info prefixes, in tshark's print order;
 * each prefix is put in front of the earlier ones, as col_prepend_fence_fstr does. */
const FLAG_REPORTS: readonly {
  flag: number;
  field: keyof typeof af;
  severity: 'chat' | 'note' | 'warn';
  message: string;
  info?: string;
  alsoRetransmission?: boolean;
}[] = [
  {
    flag: TCP_A.REUSED_PORTS,
    field: 'reusedPorts',
    severity: 'note',
    message: 'A new tcp session is started with the same ports as an earlier session in this trace',
    info: 'TCP Port numbers reused',
  },
  {
    flag: TCP_A.RETRANSMISSION,
    field: 'retransmission',
    severity: 'note',
    message: 'This frame is a (suspected) retransmission',
    info: 'TCP Retransmission',
  },
  {
    flag: TCP_A.FAST_RETRANSMISSION,
    field: 'fastRetransmission',
    severity: 'note',
    message: 'This frame is a (suspected) fast retransmission',
    info: 'TCP Fast Retransmission',
    alsoRetransmission: true,
  },
  {
    flag: TCP_A.SPURIOUS_RETRANSMISSION,
    field: 'spuriousRetransmission',
    severity: 'note',
    message: 'This frame is a (suspected) spurious retransmission',
    info: 'TCP Spurious Retransmission',
    alsoRetransmission: true,
  },
  {
    flag: TCP_A.OUT_OF_ORDER,
    field: 'outOfOrder',
    severity: 'warn',
    message: 'This frame is a (suspected) out-of-order segment',
    info: 'TCP Out-Of-Order',
  },
  {
    flag: TCP_A.LOST_PACKET,
    field: 'lostSegment',
    severity: 'warn',
    message: 'Previous segment(s) not captured (common at capture start)',
    info: 'TCP Previous segment not captured',
  },
  {
    flag: TCP_A.ACK_LOST_PACKET,
    field: 'ackLostSegment',
    severity: 'warn',
    message: "ACKed segment that wasn't captured (common at capture start)",
    info: 'TCP ACKed unseen segment',
  },
  {
    flag: TCP_A.WINDOW_UPDATE,
    field: 'windowUpdate',
    severity: 'chat',
    message: 'TCP window update',
    info: 'TCP Window Update',
  },
  {
    flag: TCP_A.WINDOW_FULL,
    field: 'windowFull',
    severity: 'warn',
    message: 'TCP window specified by the receiver is now completely full',
    info: 'TCP Window Full',
  },
  {
    flag: TCP_A.KEEP_ALIVE,
    field: 'keepAlive',
    severity: 'note',
    message: 'TCP keep-alive segment',
    info: 'TCP Keep-Alive',
  },
  {
    flag: TCP_A.KEEP_ALIVE_ACK,
    field: 'keepAliveAck',
    severity: 'note',
    message: 'ACK to a TCP keep-alive segment',
    info: 'TCP Keep-Alive ACK',
  },
  // Duplicate ACKs are handled apart (their prefix names the frame and the count).
  {
    flag: TCP_A.ZERO_WINDOW_PROBE,
    field: 'zeroWindowProbe',
    severity: 'note',
    message: 'TCP Zero Window Probe',
    info: 'TCP ZeroWindowProbe',
  },
  {
    flag: TCP_A.ZERO_WINDOW,
    field: 'zeroWindow',
    severity: 'warn',
    message: 'TCP Zero Window segment',
    info: 'TCP ZeroWindow',
  },
  {
    flag: TCP_A.ZERO_WINDOW_PROBE_ACK,
    field: 'zeroWindowProbeAck',
    severity: 'note',
    message: 'ACK to a TCP Zero Window Probe',
    info: 'TCP ZeroWindowProbeAck',
  },
];
const DUP_ACK_POSITION = FLAG_REPORTS.findIndex((x) => x.flag === TCP_A.ZERO_WINDOW_PROBE);

function completenessText(v: number): string {
  const handshake = (v & (C_SYN | C_SYNACK | C_ACK)) === (C_SYN | C_SYNACK | C_ACK);
  if (handshake && v & (C_FIN | C_RST)) return `Complete, ${v & C_DATA ? 'WITH_DATA' : 'NO_DATA'} (${v})`;
  switch (v) {
    case C_SYN:
      return `Incomplete, SYN_SENT (${v})`;
    case C_SYN | C_SYNACK:
      return `Incomplete, CLIENT_ESTABLISHED (${v})`;
    case C_SYN | C_SYNACK | C_ACK:
      return `Incomplete, ESTABLISHED (${v})`;
    case C_SYN | C_SYNACK | C_ACK | C_DATA:
      return `Incomplete, DATA (${v})`;
    default:
      return `Incomplete (${v})`;
  }
}

function seconds(ns: number): string {
  const neg = ns < 0;
  const a = Math.abs(Math.round(ns));
  return `${neg ? '-' : ''}${Math.floor(a / 1e9)}.${String(a % 1e9).padStart(9, '0')}`;
}

/** Items in the TCP tree, expert items and Info notes for one frame's result. */
function show(p: Dissection, seg: TcpSegment, r: Result, stream: Stream | undefined): void {
  // Info prefixes, in the order tshark's prepending leaves them.
  if (r.flags && p.columns) {
    const notes: string[] = [];
    FLAG_REPORTS.forEach((x, i) => {
      if (i === DUP_ACK_POSITION && r.flags & TCP_A.DUPLICATE_ACK)
        notes.unshift(`TCP Dup ACK ${r.dupackFrame}#${r.dupackNum}`);
      if (r.flags & x.flag && x.info) notes.unshift(x.info);
    });
    seg.infoNotes.unshift(...notes);
  }
  if (r.flags) {
    for (const x of FLAG_REPORTS) {
      if (!(r.flags & x.flag)) continue;
      p.issue('expert', x.severity, x.message, 0, 0, 'Sequence');
      if (x.alsoRetransmission)
        p.issue('expert', 'note', 'This frame is a (suspected) retransmission', 0, 0, 'Sequence');
    }
    if (r.flags & TCP_A.DUPLICATE_ACK)
      p.issue('expert', 'note', `Duplicate ACK (#${r.dupackNum})`, 0, 0, 'Sequence');
  }
  if (r.finRole) {
    const [field, message] =
      r.finRole === 1
        ? (['finActive', 'This frame initiates the connection closing'] as const)
        : (['finPassive', 'This frame undergoes the connection closing'] as const);
    p.issue('expert', 'note', message, 0, 0, 'Sequence');
    // Under "[TCP Flags: ·······A···F]", as tshark shows it.
    const str = p.tree ? findField(seg.item, 'tcp.flags.str') : undefined;
    if (str) {
      p.open(str);
      addSequenceExpert(p, af[field], 'note', message, false);
      p.close(str);
    }
  }
  if (!p.detailFor('tcp')) return;

  const irtt = stream && stream.irttNs >= 0 ? stream.irttNs : -1;
  if (stream && stream.completeness) {
    const node = p.addGenerated(
      af.completeness,
      stream.completeness,
      p.tree ? `Conversation completeness: ${completenessText(stream.completeness)}` : undefined,
    );
    placeAfterStreamIndex(seg.item, node);
  }
  if (p.wants(af.connectionState)) {
    const sender = STATES[r.senderState] ?? 'CLOSED';
    p.addGenerated(
      af.connectionState,
      sender,
      `Connection state: ${sender} (peer: ${STATES[r.peerState] ?? 'CLOSED'})`,
    );
  }

  const ts = p.tree ? p.addText('[Timestamps]', 0, 0) : undefined;
  if (ts) ts.generated = true;
  p.open(ts);
  addTime(p, af.timeRelative, r.timeRelNs, 'Time since first frame in this TCP stream');
  addTime(p, af.timeDelta, r.timeDeltaNs, 'Time since previous frame in this TCP stream');
  p.close(ts);

  if (!r.hasTa && !r.acksFrame) return;
  const top = p.add(af.analysis, 0, 0, undefined, p.tree ? '[SEQ/ACK analysis]' : undefined);
  if (top) top.generated = true;
  p.open(top);
  if (r.acksFrame) {
    p.addGenerated(af.acksFrame, r.acksFrame, `This is an ACK to the segment in frame: ${r.acksFrame}`);
    if (r.ackRttNs) addTime(p, af.ackRtt, r.ackRttNs, 'The RTT to ACK the segment was');
  }
  if (irtt > 0) addTime(p, af.initialRtt, irtt, 'iRTT');
  if (r.bif) {
    p.addGenerated(af.bytesInFlight, r.bif, `Bytes in flight: ${r.bif}`);
    if (r.push >= 0) p.addGenerated(af.pushBytesSent, r.push, `Bytes sent since last PSH flag: ${r.push}`);
  }
  if (r.flags) {
    const flagsNode = p.add(af.flags, 0, 0, true, p.tree ? '[TCP Analysis Flags]' : undefined);
    if (flagsNode) flagsNode.generated = true;
    p.open(flagsNode);
    for (const x of FLAG_REPORTS) {
      if (!(r.flags & x.flag)) continue;
      addSequenceExpert(p, af[x.field], x.severity, x.message, false);
      if (x.alsoRetransmission)
        addSequenceExpert(p, af.retransmission, 'note', 'This frame is a (suspected) retransmission', false);
      if (x.flag === TCP_A.RETRANSMISSION && r.rtoFrame) {
        addTime(p, af.rto, r.rtoNs, 'The RTO for this segment was');
        p.addGenerated(af.rtoFrame, r.rtoFrame, `RTO based on delta from frame: ${r.rtoFrame}`);
      }
    }
    if (r.flags & TCP_A.DUPLICATE_ACK) {
      const dup = p.add(af.duplicateAck, 0, 0, true, p.tree ? '[This is a TCP duplicate ack]' : undefined);
      if (dup) dup.generated = true;
    }
    p.close(flagsNode);
  }
  if (r.dupackNum) {
    p.addGenerated(af.duplicateAckNum, r.dupackNum, `Duplicate ACK #: ${r.dupackNum}`);
    const frameNode = p.addGenerated(
      af.duplicateAckFrame,
      r.dupackFrame,
      `Duplicate to the ACK in frame: ${r.dupackFrame}`,
    );
    if (frameNode) {
      // tshark hangs the "Duplicate ACK (#n)" expert item on the frame item.
      p.open(frameNode);
      if (p.tree) {
        const message = `Duplicate ACK (#${r.dupackNum})`;
        const e = p.addText(`[Expert Info (Note/Sequence): ${message}]`, 0, 0);
        if (e) {
          e.severity = 'note';
          p.open(e);
          for (const text of [`[${message}]`, '[Severity level: Note]', '[Group: Sequence]'])
            p.addText(text, 0, 0);
          p.close(e);
        }
      }
      p.close(frameNode);
    }
  }
  p.close(top);
}

function addTime(p: Dissection, field: (typeof af)['timeRelative'], ns: number, name: string): void {
  if (!p.wants(field)) return;
  p.addGenerated(field, BigInt(Math.round(ns)), `${name}: ${seconds(ns)} seconds`);
}

/** tshark shows the completeness right after the stream index. */
function placeAfterStreamIndex(item: TreeNode | undefined, node: TreeNode | undefined): void {
  const kids = item?.children;
  if (!kids || !node || kids[kids.length - 1] !== node) return;
  const at = kids.findIndex((k) => k.field === 'tcp.stream');
  if (at < 0) return;
  kids.pop();
  kids.splice(at + 1, 0, node);
}

tcpAnalyzers.push(analyze);

function findField(node: TreeNode | undefined, field: string): TreeNode | undefined {
  if (!node) return undefined;
  if (node.field === field) return node;
  for (const c of node.children ?? []) {
    const found = findField(c, field);
    if (found) return found;
  }
  return undefined;
}
