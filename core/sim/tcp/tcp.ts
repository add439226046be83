// TCP for simulated hosts (RFC 9293): the state machine of §3.3.2 (LISTEN … TIME-WAIT, half-close,
// RST for closed ports and unacceptable segments), ISN from the seeded RNG, MSS negotiation and
// segmentation, the receive window with window updates, window scaling and timestamps (RFC 7323),
// SACK (RFC 2018), retransmission timeout from measured RTT (RFC 6298; 1 s initial, 200 ms
// minimum as Linux), fast retransmit / NewReno recovery (RFC 5681, RFC 6582), delayed ACK with
// Linux's quick-ACK start, Nagle (RFC 896), slow start and congestion avoidance.
//
// Sequence numbers are kept as offsets from the ISN (SYN = 0, first data byte = 1) in plain JS
// numbers, so comparisons never wrap; they become 32-bit wire values only when a segment is built.
import type { TcpOption } from '../../protocols/tcp';
import { alloc } from '../addr';
import { parseIpv6 } from '../../dissect/address';
import { internetChecksum, onesComplementSum, pseudoHeaderSum } from '../../protocols/checksum';
import type { Host } from '../host';
import {
  MS,
  SECOND,
  type IpDatagramInfo,
  type TcpConnection,
  type TcpOptions,
  type TcpService,
  type TcpStateName,
  type TimerHandle,
} from '../stack';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

const MIN_RTO = 200 * MS;
const MAX_RTO = 120 * SECOND;
const INITIAL_RTO = 1 * SECOND;
/** Linux's TCP_TIMEWAIT_LEN is 60 s: 2·MSL with MSL = 30 s. */
const TIME_WAIT = 60 * SECOND;
const DELAYED_ACK = 40 * MS;
/** Linux's TCP_MAX_QUICKACKS: the first segments are ACKed at once. */
const QUICK_ACKS = 16;
const SYN_RETRIES = 6;
const DATA_RETRIES = 15;
const DEFAULT_RECEIVE_BUFFER = 131072;
/** RFC 6928 / Linux: initial window of 10 segments. */
const INITIAL_CWND_SEGMENTS = 10;

interface Segment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  mss: number | undefined;
  wscale: number | undefined;
  sackPerm: boolean;
  /** SACK blocks (shared and empty when the segment carries none). */
  sack: [number, number][];
  ts: { val: number; ecr: number } | undefined;
  payload: Uint8Array;
}

const NO_SACK: [number, number][] = [];

function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/** Reads a TCP segment's header and options (the parts the state machine uses). */
function readSegment(b: Uint8Array): Segment | undefined {
  if (b.length < 20) return undefined;
  const off = (b[12]! >> 4) * 4;
  if (off < 20 || off > b.length) return undefined;
  const seg: Segment = {
    srcPort: (b[0]! << 8) | b[1]!,
    dstPort: (b[2]! << 8) | b[3]!,
    seq: u32(b, 4),
    ack: u32(b, 8),
    flags: b[13]!,
    window: (b[14]! << 8) | b[15]!,
    mss: undefined,
    wscale: undefined,
    sackPerm: false,
    sack: NO_SACK,
    ts: undefined,
    payload: b.subarray(off),
  };
  for (let i = 20, guard = 0; i < off && guard < 40; guard++) {
    const kind = b[i]!;
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    const len = b[i + 1] ?? 0;
    if (len < 2 || i + len > off) break;
    if (kind === 2 && len === 4) seg.mss = (b[i + 2]! << 8) | b[i + 3]!;
    else if (kind === 3 && len === 3) seg.wscale = Math.min(14, b[i + 2]!);
    else if (kind === 4 && len === 2) seg.sackPerm = true;
    else if (kind === 5 && (len - 2) % 8 === 0) {
      seg.sack = [];
      for (let j = i + 2; j < i + len; j += 8) seg.sack.push([u32(b, j), u32(b, j + 4)]);
    } else if (kind === 8 && len === 10) seg.ts = { val: u32(b, i + 2), ecr: u32(b, i + 6) };
    i += len;
  }
  return seg;
}

function netstatState(s: TcpStateName): string {
  return s.replace('-', '_').replace('SYN_RECEIVED', 'SYN_RECV');
}

function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length);
}

interface Listener {
  port: number;
  address: string;
  opts: TcpOptions;
  onConnection: (c: TcpConnection) => void;
}

export class SimTcp implements TcpService {
  /** Connections by local port × 65536 + remote port (numbers: no string per segment), then
   * by addresses. Insertion order is kept for netstat. */
  private byPorts = new Map<number, Connection[]>();
  readonly conns = new Set<Connection>();

  private find(la: string, lp: number, ra: string, rp: number): Connection | undefined {
    const list = this.byPorts.get(lp * 65536 + rp);
    if (list) for (const c of list) if (c.remoteAddress === ra && c.localAddress === la) return c;
    return undefined;
  }

  /** `find` for IPv4, by the header's address numbers (no text per segment). */
  private find4(la: number, lp: number, ra: number, rp: number): Connection | undefined {
    const list = this.byPorts.get(lp * 65536 + rp);
    if (list) for (const c of list) if (c.remote4 === ra && c.local4 === la) return c;
    return undefined;
  }

  private add(c: Connection): void {
    const k = c.localPort * 65536 + c.remotePort;
    const list = this.byPorts.get(k);
    if (list) list.push(c);
    else this.byPorts.set(k, [c]);
    this.conns.add(c);
  }
  private listeners = new Map<number, Listener>();
  private addrBytes = new Map<string, Uint8Array>();

  constructor(readonly host: Host) {
    host.register(6, (payload, info) => this.input(payload, info));
  }

  listen(port: number, onConnection: (c: TcpConnection) => void, opts: TcpOptions = {}): void {
    if (this.listeners.has(port)) throw new Error(`TCP port ${port} is already in use`);
    this.listeners.set(port, { port, address: '0.0.0.0', opts, onConnection });
    this.host.emit({
      kind: 'tcp-state',
      protocol: 'TCP',
      text: `${this.host.node}: 0.0.0.0:${port} CLOSED → LISTEN`,
    });
  }

  connect(dst: string, dstPort: number, opts: TcpOptions = {}): TcpConnection {
    const src = this.host.sourceFor(dst);
    if (!src) throw new Error(`connect to ${dst}: Network is unreachable`);
    let port = 0;
    for (let i = 0; i < 28232 && !port; i++) {
      const p = this.host.nextEphemeral;
      this.host.nextEphemeral = p >= 60999 ? 32768 : p + 1;
      if (!this.find(src, p, dst, dstPort) && !this.listeners.has(p)) port = p;
    }
    if (!port) throw new Error('no free TCP port');
    const c = new Connection(this, src, port, dst, dstPort, opts);
    this.add(c);
    c.open();
    return c;
  }

  netstat(): string[] {
    const out: string[] = [];
    for (const l of this.listeners.values())
      out.push(
        `tcp        0      0 ${pad(`${l.address}:${l.port}`, 23)} ${pad('0.0.0.0:*', 23)} LISTEN     `,
      );
    for (const c of this.conns.values()) {
      const recvQ = c.unread();
      const sendQ = c.unacked();
      out.push(
        `${c.remoteAddress.includes(':') ? 'tcp6' : 'tcp '}${String(recvQ).padStart(8)} ${String(sendQ).padStart(6)} ${pad(`${c.localAddress}:${c.localPort}`, 23)} ${pad(
          `${c.remoteAddress}:${c.remotePort}`,
          23,
        )} ${netstatState(c.state).padEnd(11)}`,
      );
    }
    return out;
  }

  bytes(text: string): Uint8Array {
    let b = this.addrBytes.get(text);
    if (!b) {
      b = text.includes(':') ? parseIpv6(text) : new Uint8Array(text.split('.').map(Number));
      if (!b) throw new Error(`bad address: ${text}`);
      if (this.addrBytes.size > 4096) this.addrBytes.clear();
      this.addrBytes.set(text, b);
    }
    return b;
  }

  remove(c: Connection): void {
    const k = c.localPort * 65536 + c.remotePort;
    const list = this.byPorts.get(k);
    const i = list ? list.indexOf(c) : -1;
    if (i >= 0) {
      list!.splice(i, 1);
      if (!list!.length) this.byPorts.delete(k);
    }
    this.conns.delete(c);
  }

  private input(b: Uint8Array, info: IpDatagramInfo): void {
    // The pseudo-header's addresses are summed straight from the datagram's header, where they
    // are adjacent (IPv4 bytes 12–19, IPv6 8–39): no text and no views per segment.
    const d = info.datagram;
    const addressSum = d[0]! >> 4 === 6 ? onesComplementSum(d, 8, 40) : onesComplementSum(d, 12, 20);
    if (
      b.length < 20 ||
      internetChecksum(b, 0, b.length, addressSum + 6 + (b.length >>> 16) + (b.length & 0xffff)) !== 0
    ) {
      this.host.emit({
        kind: 'drop',
        iface: info.iface,
        protocol: 'TCP',
        text: `${this.host.node}: TCP checksum bad: dropped`,
      });
      return;
    }
    const seg = readSegment(b);
    if (!seg) return;
    const c =
      d[0]! >> 4 === 4
        ? this.find4(u32(d, 16), seg.dstPort, u32(d, 12), seg.srcPort)
        : this.find(info.dst, seg.dstPort, info.src, seg.srcPort);
    if (c) {
      c.input(seg);
      return;
    }
    const l = this.listeners.get(seg.dstPort);
    if (l && (seg.flags & (SYN | ACK | RST)) === SYN) {
      const nc = new Connection(this, info.dst, seg.dstPort, info.src, seg.srcPort, l.opts);
      this.add(nc);
      nc.accept(seg, l.onConnection);
      return;
    }
    if (seg.flags & RST) return;
    // RFC 9293 §3.10.7.1: a segment for a closed port is answered by a reset.
    this.host.emit({
      kind: 'tcp',
      iface: info.iface,
      protocol: 'TCP',
      text: l
        ? `${this.host.node}: ${info.src}:${seg.srcPort} → ${info.dst}:${seg.dstPort} is not a SYN for a listening port → RST`
        : `${this.host.node}: nothing listens on TCP port ${seg.dstPort} → RST to ${info.src}:${seg.srcPort}`,
    });
    const len = seg.payload.length + (seg.flags & SYN ? 1 : 0) + (seg.flags & FIN ? 1 : 0);
    if (seg.flags & ACK)
      this.sendRaw(info.dst, info.src, seg.dstPort, seg.srcPort, seg.ack, 0, RST, 0, [], undefined);
    else
      this.sendRaw(
        info.dst,
        info.src,
        seg.dstPort,
        seg.srcPort,
        0,
        (seg.seq + len) >>> 0,
        RST | ACK,
        0,
        [],
        undefined,
      );
  }

  sendRaw(
    src: string,
    dst: string,
    srcPort: number,
    dstPort: number,
    seq: number,
    ack: number,
    flags: number,
    window: number,
    options: TcpOption[],
    payload: Uint8Array | undefined,
  ): void {
    const seg = buildSegment(
      this.bytes(src),
      this.bytes(dst),
      srcPort,
      dstPort,
      seq,
      ack,
      flags,
      window,
      options,
      payload ?? EMPTY,
    );
    this.host.send({ src, dst, protocol: 6, payload: seg, df: true });
  }
}

const EMPTY = new Uint8Array(0);
const NOP: TcpOption = { kind: 'nop' };
const NO_OPTIONS: readonly TcpOption[] = [];

function optionLength(o: TcpOption): number {
  switch (o.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'wscale':
      return 3;
    case 'sackPerm':
      return 2;
    case 'sack':
      return 2 + 8 * o.blocks.length;
    case 'timestamps':
      return 10;
    case 'unknown':
      return 2 + o.data.length;
  }
}

function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

/**
 * The bytes `encodeTcp` builds for the same segment (test/unit/sim/tcp.test.ts compares them),
 * written straight into a slab buffer: the simulator's hot path builds no option arrays and
 * parses no address text per segment.
 */
export function buildSegment(
  src: Uint8Array,
  dst: Uint8Array,
  srcPort: number,
  dstPort: number,
  seq: number,
  ack: number,
  flags: number,
  window: number,
  options: readonly TcpOption[],
  payload: Uint8Array,
): Uint8Array {
  let optLen = 0;
  for (const o of options) optLen += optionLength(o);
  const hdr = 20 + ((optLen + 3) & ~3);
  const out = alloc(hdr + payload.length);
  out.fill(0, 0, hdr);
  out[0] = srcPort >> 8;
  out[1] = srcPort & 0xff;
  out[2] = dstPort >> 8;
  out[3] = dstPort & 0xff;
  put32(out, 4, seq >>> 0);
  put32(out, 8, ack >>> 0);
  out[12] = (hdr / 4) << 4;
  out[13] = flags;
  out[14] = window >> 8;
  out[15] = window & 0xff;
  let at = 20;
  for (const o of options) {
    switch (o.kind) {
      case 'eol':
        out[at++] = 0;
        break;
      case 'nop':
        out[at++] = 1;
        break;
      case 'mss':
        out[at] = 2;
        out[at + 1] = 4;
        out[at + 2] = o.value >> 8;
        out[at + 3] = o.value & 0xff;
        at += 4;
        break;
      case 'wscale':
        out[at] = 3;
        out[at + 1] = 3;
        out[at + 2] = o.shift;
        at += 3;
        break;
      case 'sackPerm':
        out[at] = 4;
        out[at + 1] = 2;
        at += 2;
        break;
      case 'sack':
        out[at] = 5;
        out[at + 1] = 2 + 8 * o.blocks.length;
        at += 2;
        for (const [l, r] of o.blocks) {
          put32(out, at, l >>> 0);
          put32(out, at + 4, r >>> 0);
          at += 8;
        }
        break;
      case 'timestamps':
        out[at] = 8;
        out[at + 1] = 10;
        put32(out, at + 2, o.tsval >>> 0);
        put32(out, at + 6, o.tsecr >>> 0);
        at += 10;
        break;
      case 'unknown':
        out[at] = o.code;
        out[at + 1] = 2 + o.data.length;
        out.set(o.data, at + 2);
        at += 2 + o.data.length;
        break;
    }
  }
  out.set(payload, hdr);
  const ck = internetChecksum(
    out,
    0,
    out.length,
    pseudoHeaderSum(src.length === 16 ? 6 : 4, src, dst, 6, out.length),
  );
  out[16] = ck >> 8;
  out[17] = ck & 0xff;
  return out;
}

/** One connection's TCB (RFC 9293 §3.3.1), offsets from the ISNs. */
export class Connection implements TcpConnection {
  state: TcpStateName = 'CLOSED';
  onConnect: (() => void) | undefined;
  onData: ((data: Uint8Array) => void) | undefined;
  onEnd: (() => void) | undefined;
  onClose: ((error?: string) => void) | undefined;

  // send side
  private iss = 0;
  private sndUna = 0;
  private sndNxt = 0;
  private sndMax = 0;
  private sndWnd = 0;
  private sndWl1 = 0;
  private sndWl2 = 0;
  /** Unacknowledged and unsent bytes; sbuf[0] is the byte at offset sbufOff. */
  private sbuf: Uint8Array = EMPTY;
  private sbufOff = 1;
  private finQueued = false;
  private finOff = -1;
  private sendMss = 536;
  private cwnd = 0;
  private ssthresh = Number.POSITIVE_INFINITY;
  private dupAcks = 0;
  private inRecovery = false;
  private recover = 0;
  /** SACKed ranges [start, end) above sndUna (RFC 2018 scoreboard). */
  private sacked: [number, number][] = [];
  private retransHigh = 0;

  // receive side
  private irs = 0;
  private rcvNxt = 0;
  private rcvBuffer: number;
  private rcvMss: number;
  private ooo: { off: number; data: Uint8Array }[] = [];
  private lastOooOff = -1;
  private unreadBytes = 0;
  private pending: Uint8Array[] = [];
  private lastAdvertised = 0;
  private finReceived = false;
  private unackedSegments = 0;
  private quickAcks = QUICK_ACKS;

  // options
  private sndShift = 0;
  /** RFC 7323 §2.2: scaling is on only when both SYNs carry the option. */
  private peerScales = false;
  private rcvShift = 0;
  private tsOk = false;
  private sackOk = false;
  private tsRecent = 0;
  private tsOffset = 0;

  // timing (RFC 6298)
  private srtt = 0;
  private rttvar = 0;
  private rto = INITIAL_RTO;
  private rttSeq = -1;
  private rttTime = 0;
  private retries = 0;
  private rtoTimer: TimerHandle | undefined;
  private ackTimer: TimerHandle | undefined;
  private twTimer: TimerHandle | undefined;
  private readonly localBytes: Uint8Array;
  private readonly remoteBytes: Uint8Array;
  /** The IPv4 addresses as numbers, for finding the connection of a segment; -1 for IPv6. */
  readonly local4: number;
  readonly remote4: number;
  /** Reading may be paused by the application (a slow reader: the window fills). */
  autoRead = true;

  constructor(
    private readonly stack: SimTcp,
    readonly localAddress: string,
    readonly localPort: number,
    readonly remoteAddress: string,
    readonly remotePort: number,
    private readonly opts: TcpOptions,
  ) {
    this.rcvBuffer = opts.receiveBuffer ?? DEFAULT_RECEIVE_BUFFER;
    this.localBytes = stack.bytes(localAddress);
    this.remoteBytes = stack.bytes(remoteAddress);
    this.local4 = this.localBytes.length === 4 ? u32(this.localBytes, 0) : -1;
    this.remote4 = this.remoteBytes.length === 4 ? u32(this.remoteBytes, 0) : -1;
    const mtu = stack.host.mtuFor(remoteAddress);
    this.rcvMss = Math.min(opts.mss ?? 65535, mtu - this.ipTcpHeaders());
    const rnd = stack.host.clock.random;
    this.iss = Math.floor(stack.host.clock.random() * 0x100000000);
    this.tsOffset = Math.floor(rnd.call(stack.host.clock) * 0x100000000);
  }

  /** IPv4 + TCP headers (40) or IPv6 + TCP (60): what the MSS leaves out (RFC 9293 §3.7.1). */
  private ipTcpHeaders(): number {
    return this.remoteAddress.includes(':') ? 60 : 40;
  }

  private get host(): Host {
    return this.stack.host;
  }
  private get recording(): boolean {
    return this.host.kernel.recording;
  }
  private get name(): string {
    return `${this.host.node}: ${this.localAddress}:${this.localPort} → ${this.remoteAddress}:${this.remotePort}`;
  }

  unread(): number {
    return this.unreadBytes;
  }
  unacked(): number {
    return Math.max(0, this.sbufOff + this.sbuf.length - this.sndUna - (this.sndUna === 0 ? 1 : 0));
  }

  private setState(s: TcpStateName, why = ''): void {
    if (this.recording)
      this.host.emit({
        kind: 'tcp-state',
        protocol: 'TCP',
        text: `${this.name} ${this.state} → ${s}${why ? ` (${why})` : ''}`,
      });
    this.state = s;
  }

  private note(text: string): void {
    if (this.recording) this.host.emit({ kind: 'tcp', protocol: 'TCP', text: `${this.name}: ${text}` });
  }

  // ---- opening ----

  open(): void {
    this.sndUna = 0;
    this.sndNxt = 1;
    this.sndMax = 1;
    this.setState('SYN-SENT', 'connect');
    this.sendSyn(false);
    this.armRto();
  }

  accept(seg: Segment, onConnection: (c: TcpConnection) => void): void {
    this.setState('LISTEN');
    this.irs = seg.seq;
    this.rcvNxt = 1;
    this.takeSynOptions(seg);
    this.sndWnd = seg.window;
    this.sndUna = 0;
    this.sndNxt = 1;
    this.sndMax = 1;
    this.setState('SYN-RECEIVED', 'SYN received');
    this.pendingAccept = onConnection;
    this.sendSyn(true);
    this.armRto();
  }
  private pendingAccept: ((c: TcpConnection) => void) | undefined;

  private takeSynOptions(seg: Segment): void {
    const want = this.opts;
    this.sendMss = Math.min(seg.mss ?? 536, this.host.mtuFor(this.remoteAddress) - this.ipTcpHeaders());
    if (seg.wscale !== undefined && want.windowScale !== -1) {
      this.sndShift = seg.wscale;
      this.peerScales = true;
      this.rcvShift = want.windowScale ?? this.defaultShift();
    } else {
      this.sndShift = 0;
      this.rcvShift = 0;
    }
    this.sackOk = seg.sackPerm && want.sack !== false;
    if (seg.ts && want.timestamps !== false) {
      this.tsOk = true;
      this.tsRecent = seg.ts.val;
    }
    if (this.tsOk) this.sendMss -= 12;
    this.cwnd = INITIAL_CWND_SEGMENTS * this.sendMss;
  }

  /** Linux picks the smallest shift that lets the window cover the buffer (at least 7 for its
   * default 6 MB tcp_rmem max; the buffer here is the configured one). */
  private defaultShift(): number {
    let s = 0;
    while (s < 14 && this.rcvBuffer >> s > 65535) s++;
    return this.opts.receiveBuffer !== undefined ? s : Math.max(s, 7);
  }

  private tsval(): number {
    return (Math.floor(this.host.clock.now() / MS) + this.tsOffset) >>> 0;
  }

  private sendSyn(synAck: boolean): void {
    // Linux's order: MSS, SACK permitted, timestamps, NOP, window scale.
    const o = this.opts;
    const options: TcpOption[] = [{ kind: 'mss', value: this.rcvMss }];
    const sack = o.sack !== false && (!synAck || this.sackOk);
    const ts = o.timestamps !== false && (!synAck || this.tsOk);
    const ws = o.windowScale !== -1 && (!synAck || this.peerScales);
    if (sack && ts)
      options.push(
        { kind: 'sackPerm' },
        { kind: 'timestamps', tsval: this.tsval(), tsecr: synAck ? this.tsRecent : 0 },
      );
    else if (sack) options.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sackPerm' });
    else if (ts)
      options.push(
        { kind: 'nop' },
        { kind: 'nop' },
        { kind: 'timestamps', tsval: this.tsval(), tsecr: synAck ? this.tsRecent : 0 },
      );
    if (ws) {
      if (!synAck) this.rcvShift = o.windowScale ?? this.defaultShift();
      options.push({ kind: 'nop' }, { kind: 'wscale', shift: this.rcvShift });
    }
    const win = Math.min(65535, this.rcvBuffer);
    this.lastAdvertised = win;
    this.stack.sendRaw(
      this.localAddress,
      this.remoteAddress,
      this.localPort,
      this.remotePort,
      this.iss,
      synAck ? this.irs + 1 : 0,
      synAck ? SYN | ACK : SYN,
      win,
      options,
      undefined,
    );
    if (this.rttSeq < 0) {
      this.rttSeq = 1;
      this.rttTime = this.host.clock.now();
    }
  }

  // ---- the application's side ----

  write(data: Uint8Array): void {
    if (this.finQueued || this.state === 'CLOSED' || this.state === 'LISTEN')
      throw new Error('write after end');
    if (!data.length) return;
    const nb = new Uint8Array(this.sbuf.length + data.length);
    nb.set(this.sbuf);
    nb.set(data, this.sbuf.length);
    this.sbuf = nb;
    if (this.state === 'ESTABLISHED' || this.state === 'CLOSE-WAIT') this.output();
  }

  end(): void {
    if (this.finQueued) return;
    this.finQueued = true;
    if (this.state === 'ESTABLISHED' || this.state === 'CLOSE-WAIT') this.output();
    else if (this.state === 'SYN-SENT' || this.state === 'CLOSED')
      this.destroy('closed before connecting', false);
  }

  abort(): void {
    if (
      this.state !== 'CLOSED' &&
      this.state !== 'LISTEN' &&
      this.state !== 'TIME-WAIT' &&
      this.state !== 'SYN-SENT'
    )
      this.sendFlags(RST | ACK, this.sndNxt);
    this.destroy('aborted', false);
  }

  /** A paused reader takes up to `max` buffered bytes (opening the window again). */
  read(max: number): number {
    let got = 0;
    while (got < max && this.pending.length) {
      const p = this.pending[0]!;
      const take = Math.min(p.length, max - got);
      if (take === p.length) this.pending.shift();
      else this.pending[0] = p.subarray(take);
      got += take;
      this.unreadBytes -= take;
      this.onData?.(take === p.length ? p : p.subarray(0, take));
    }
    this.maybeWindowUpdate();
    if (!this.autoRead && !this.pending.length && this.finReceived && !this.finDelivered)
      this.scheduleFlush();
    return got;
  }
  private finDelivered = false;

  private deliverEnd(): void {
    this.finDelivered = true;
    this.onEnd?.();
  }

  private maybeWindowUpdate(): void {
    if (this.state !== 'ESTABLISHED' && this.state !== 'FIN-WAIT-1' && this.state !== 'FIN-WAIT-2') return;
    const now = this.windowField() << this.rcvShift;
    // RFC 9293 §3.8.6.2.2 (receiver SWS avoidance): announce when the window grew by a full
    // segment's worth twice over or half the buffer.
    if (now - this.lastAdvertised >= Math.min(this.rcvBuffer / 2, 2 * this.rcvMss)) {
      this.note(`window update: ${this.lastAdvertised} → ${now} bytes`);
      this.sendAck();
    }
  }

  // ---- output ----

  private windowField(): number {
    const free = Math.max(0, this.rcvBuffer - this.unreadBytes);
    return Math.min(65535, free >> this.rcvShift);
  }

  private seqWire(off: number): number {
    return (this.iss + off) >>> 0;
  }

  /** Reused for the common case (timestamps only): buildSegment copies it into the bytes. */
  private readonly tsOption = { kind: 'timestamps' as const, tsval: 0, tsecr: 0 };
  private readonly tsOnly: TcpOption[] = [NOP, NOP, this.tsOption];

  private options(): readonly TcpOption[] {
    if (this.tsOk) {
      this.tsOption.tsval = this.tsval();
      this.tsOption.tsecr = this.tsRecent;
      if (!(this.sackOk && this.ooo.length)) return this.tsOnly;
    } else if (!(this.sackOk && this.ooo.length)) return NO_OPTIONS;
    const out: TcpOption[] = this.tsOk ? [...this.tsOnly] : [];
    const blocks = this.sackBlocks(this.tsOk ? 3 : 4);
    if (blocks.length) out.push(NOP, NOP, { kind: 'sack', blocks });
    return out;
  }

  /** RFC 2018 §4: the block holding the most recent segment first, then the others. */
  private sackBlocks(max: number): [number, number][] {
    const ranges: [number, number][] = [];
    for (const s of this.ooo) {
      const last = ranges[ranges.length - 1];
      if (last && s.off <= last[1]) last[1] = Math.max(last[1], s.off + s.data.length);
      else ranges.push([s.off, s.off + s.data.length]);
    }
    const firstIdx = ranges.findIndex((r) => this.lastOooOff >= r[0] && this.lastOooOff < r[1]);
    if (firstIdx > 0) ranges.unshift(...ranges.splice(firstIdx, 1));
    return ranges.slice(0, max).map(([a, b]) => [(this.irs + a) >>> 0, (this.irs + b) >>> 0]);
  }

  private segment(seqOff: number, flags: number, payload: Uint8Array | undefined): void {
    const win = this.windowField();
    this.lastAdvertised = win << this.rcvShift;
    if (flags & ACK) {
      this.clock.cancel(this.ackTimer);
      this.ackTimer = undefined;
      this.unackedSegments = 0;
    }
    const seg = buildSegment(
      this.localBytes,
      this.remoteBytes,
      this.localPort,
      this.remotePort,
      this.seqWire(seqOff),
      (this.irs + this.rcvNxt) >>> 0,
      flags,
      win,
      this.options(),
      payload ?? EMPTY,
    );
    this.host.send({ src: this.localAddress, dst: this.remoteAddress, protocol: 6, payload: seg, df: true });
  }

  private get clock() {
    return this.host.clock;
  }

  private sendAck(): void {
    this.segment(this.sndNxt, ACK, undefined);
  }

  private sendFlags(flags: number, seqOff: number): void {
    this.segment(seqOff, flags, undefined);
  }

  private dataEnd(): number {
    return this.sbufOff + this.sbuf.length;
  }

  private sackedAbove(off: number): number {
    let n = 0;
    for (const [a, b] of this.sacked) if (b > off) n += b - Math.max(a, off);
    return n;
  }

  /** Sends what the windows (receiver's and congestion) and Nagle allow (RFC 9293 §3.8.6.2.1,
   * RFC 896, RFC 5681). */
  private output(): void {
    if (
      this.state !== 'ESTABLISHED' &&
      this.state !== 'CLOSE-WAIT' &&
      this.state !== 'FIN-WAIT-1' &&
      this.state !== 'CLOSING' &&
      this.state !== 'LAST-ACK'
    )
      return;
    for (let guard = 0; guard < 100000; guard++) {
      // Skip what the peer has already SACKed (after a timeout the sender goes back to sndUna).
      for (const [a, b] of this.sacked)
        if (this.sndNxt >= a && this.sndNxt < b) this.sndNxt = Math.min(b, this.dataEnd());
      const end = this.dataEnd();
      const avail = end - this.sndNxt;
      const flight = this.sndNxt - this.sndUna - this.sackedAbove(this.sndUna);
      const wnd = Math.min(this.sndWnd, this.cwnd);
      let len = Math.min(avail, this.sendMss, this.sndUna + this.sndWnd - this.sndNxt, wnd - flight);
      const finNow = this.finQueued && this.finOff < 0 && this.sndNxt + Math.max(len, 0) === end;
      if (len <= 0) {
        if (finNow && avail === 0) {
          this.sendFin();
          continue;
        }
        if (avail > 0 && this.sndWnd === 0 && !this.rtoTimer) this.armRto(); // persist
        return;
      }
      const isLast = len === avail;
      // Nagle: a small segment waits while data is unacknowledged, unless it is the last before FIN.
      if (
        len < this.sendMss &&
        this.opts.nagle !== false &&
        this.sndNxt > this.sndUna &&
        !(isLast && this.finQueued)
      )
        return;
      // Sender SWS avoidance: don't split for a window that is merely small.
      if (len < this.sendMss && !isLast && flight > 0) return;
      len = Math.max(0, len);
      const from = this.sndNxt - this.sbufOff;
      const data = this.sbuf.subarray(from, from + len);
      let flags = ACK | (isLast ? PSH : 0);
      if (finNow && isLast) {
        flags |= FIN;
        this.finOff = end;
      }
      const retrans = this.sndNxt < this.sndMax;
      this.segment(this.sndNxt, flags, data);
      if (this.rttSeq < 0 && !retrans) {
        this.rttSeq = this.sndNxt + len;
        this.rttTime = this.clock.now();
      }
      this.sndNxt += len + (flags & FIN ? 1 : 0);
      if (flags & FIN) this.finSent();
      if (this.sndNxt > this.sndMax) this.sndMax = this.sndNxt;
      if (!this.rtoTimer) this.armRto();
    }
  }

  private sendFin(): void {
    this.finOff = this.dataEnd();
    this.segment(this.sndNxt, FIN | ACK, undefined);
    this.sndNxt = this.finOff + 1;
    if (this.sndNxt > this.sndMax) this.sndMax = this.sndNxt;
    this.finSent();
    if (!this.rtoTimer) this.armRto();
  }

  private finSent(): void {
    if (this.state === 'ESTABLISHED') this.setState('FIN-WAIT-1', 'FIN sent');
    else if (this.state === 'CLOSE-WAIT') this.setState('LAST-ACK', 'FIN sent');
  }

  /** Retransmits one segment's worth at `off` (fast retransmit, a SACK hole, partial ACK). */
  private retransmitAt(off: number, why: string): void {
    if (off === 0) {
      this.sendSyn(this.state === 'SYN-RECEIVED');
      return;
    }
    const end = this.dataEnd();
    let hole = end;
    for (const [a] of this.sacked) if (a > off && a < hole) hole = a;
    const len = Math.min(this.sendMss, hole - off, end - off);
    if (len <= 0) {
      if (this.finOff >= 0 && off >= this.finOff) this.segment(this.finOff, FIN | ACK, undefined);
      return;
    }
    const from = off - this.sbufOff;
    const fin = this.finOff >= 0 && off + len === this.finOff;
    this.note(`${why}: retransmit seq ${this.seqWire(off)} len ${len}`);
    this.segment(
      off,
      ACK | (off + len === end ? PSH : 0) | (fin ? FIN : 0),
      this.sbuf.subarray(from, from + len),
    );
    if (this.rttSeq >= 0 && this.rttSeq > off) this.rttSeq = -1; // Karn: no sample over a retransmission
    this.retransHigh = Math.max(this.retransHigh, off + len);
  }

  // ---- timers ----

  private armRto(): void {
    this.clock.cancel(this.rtoTimer);
    this.rtoTimer = this.clock.schedule(this.rto, () => this.onRto());
  }

  private onRto(): void {
    this.rtoTimer = undefined;
    if (this.state === 'CLOSED' || this.state === 'TIME-WAIT') return;
    const outstanding = this.sndMax > this.sndUna;
    const zeroWindowProbe = !outstanding && this.sndWnd === 0 && this.dataEnd() > this.sndNxt;
    if (!outstanding && !zeroWindowProbe) return;
    this.retries++;
    const limit = this.state === 'SYN-SENT' || this.state === 'SYN-RECEIVED' ? SYN_RETRIES : DATA_RETRIES;
    if (this.retries > limit) {
      this.note(`gave up after ${limit} retransmissions`);
      if (this.state !== 'SYN-SENT') this.sendFlags(RST | ACK, this.sndNxt);
      this.destroy('Connection timed out', true);
      return;
    }
    const old = this.rto;
    this.rto = Math.min(MAX_RTO, this.rto * 2);
    if (zeroWindowProbe) {
      // RFC 9293 §3.8.6.1: probe a zero window with one byte.
      this.note(`persist timer: zero-window probe (next in ${this.rto / MS} ms)`);
      const from = this.sndNxt - this.sbufOff;
      this.segment(this.sndNxt, ACK, this.sbuf.subarray(from, from + 1));
      this.armRto();
      return;
    }
    if (this.recording)
      this.note(
        `retransmission timeout after ${old / MS} ms: retransmit seq ${this.seqWire(this.sndUna)}, RTO ${old / MS} → ${this.rto / MS} ms, cwnd → 1 segment`,
      );
    if (this.sndUna === 0) {
      this.sendSyn(this.state === 'SYN-RECEIVED');
      this.armRto();
      return;
    }
    // RFC 5681 §3.1 eq. 4 and RFC 6298 §5.5–5.7.
    const flight = this.sndMax - this.sndUna;
    this.ssthresh = Math.max(Math.floor(flight / 2), 2 * this.sendMss);
    this.cwnd = this.sendMss;
    this.retransHigh = 0;
    this.recover = this.sndMax;
    this.inRecovery = false;
    this.dupAcks = 0;
    this.rttSeq = -1;
    this.sndNxt = this.sndUna;
    if (this.finOff >= 0 && this.sndUna >= this.finOff) {
      this.segment(this.finOff, FIN | ACK, undefined);
      this.sndNxt = this.finOff + 1;
    } else {
      const savedFin = this.finOff;
      this.finOff = -1;
      this.output();
      if (this.finOff < 0) this.finOff = savedFin;
      if (this.sndNxt === this.dataEnd() && savedFin >= 0 && this.sndNxt === savedFin)
        this.sndNxt = savedFin + 1;
    }
    this.armRto();
  }

  private scheduleDelayedAck(): void {
    if (this.ackTimer) return;
    this.ackTimer = this.clock.schedule(DELAYED_ACK, () => {
      this.ackTimer = undefined;
      if (this.state !== 'CLOSED') {
        this.note('delayed ACK timer (40 ms)');
        this.sendAck();
      }
    });
  }

  private rttSample(rtt: number): void {
    // RFC 6298 §2.
    if (this.srtt === 0) {
      this.srtt = rtt;
      this.rttvar = rtt / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt);
      this.srtt = 0.875 * this.srtt + 0.125 * rtt;
    }
    this.rto = Math.round(Math.min(MAX_RTO, Math.max(MIN_RTO, this.srtt + Math.max(MS, 4 * this.rttvar))));
  }

  // ---- input (RFC 9293 §3.10.7) ----

  private rel(seq: number, base: number, near: number): number {
    // Wire sequence → offset, taking the value nearest `near`.
    const wireNear = (base + near) >>> 0;
    return near + ((seq - wireNear) | 0);
  }

  input(seg: Segment): void {
    switch (this.state) {
      case 'SYN-SENT':
        this.inputSynSent(seg);
        return;
      case 'CLOSED':
        return;
      default:
        this.inputSynchronised(seg);
    }
  }

  /** RFC 9293 §3.10.7.3/§3.10.7.4: an ACK for something never sent is answered by
   * <SEQ=SEG.ACK><CTL=RST>. */
  private resetFor(seg: Segment): void {
    this.stack.sendRaw(
      this.localAddress,
      this.remoteAddress,
      this.localPort,
      this.remotePort,
      seg.ack,
      0,
      RST,
      0,
      [],
      undefined,
    );
  }

  private inputSynSent(seg: Segment): void {
    const ackOff = seg.flags & ACK ? this.rel(seg.ack, this.iss, this.sndUna) : -1;
    if (seg.flags & ACK && (ackOff <= 0 || ackOff > this.sndMax)) {
      if (!(seg.flags & RST)) this.resetFor(seg);
      return;
    }
    if (seg.flags & RST) {
      if (seg.flags & ACK) {
        this.note('connection refused (RST)');
        this.destroy('Connection refused', true);
      }
      return;
    }
    if (!(seg.flags & SYN)) return;
    this.irs = seg.seq;
    this.rcvNxt = 1;
    this.takeSynOptions(seg);
    if (!(seg.flags & ACK)) {
      // Simultaneous open (RFC 9293 §3.5).
      this.setState('SYN-RECEIVED', 'simultaneous open');
      this.sendSyn(true);
      return;
    }
    this.sndUna = 1;
    this.sndWnd = seg.window << this.sndShift;
    this.sndWl1 = 0;
    this.sndWl2 = 1;
    if (this.rttSeq === 1 && this.retries === 0) this.rttSample(this.clock.now() - this.rttTime);
    this.rttSeq = -1;
    this.retries = 0;
    this.clock.cancel(this.rtoTimer);
    this.rtoTimer = undefined;
    this.setState('ESTABLISHED', 'SYN-ACK received');
    this.sendAck();
    this.onConnect?.();
    this.output();
  }

  private inputSynchronised(seg: Segment): void {
    const seqOff = this.rel(seg.seq, this.irs, this.rcvNxt);
    const len = seg.payload.length + (seg.flags & SYN ? 1 : 0) + (seg.flags & FIN ? 1 : 0);
    const wnd = this.rcvBuffer - this.unreadBytes;
    // 1. Acceptability (RFC 9293 §3.10.7.4).
    const acceptable =
      len === 0
        ? wnd === 0
          ? seqOff === this.rcvNxt
          : seqOff >= this.rcvNxt && seqOff < this.rcvNxt + Math.max(wnd, 1)
        : (seqOff >= this.rcvNxt && seqOff < this.rcvNxt + wnd) ||
          (seqOff + len - 1 >= this.rcvNxt && seqOff + len - 1 < this.rcvNxt + wnd) ||
          (seqOff < this.rcvNxt && seqOff + len > this.rcvNxt);
    if (!acceptable && !(seg.flags & RST)) {
      if (this.state === 'TIME-WAIT' && seg.flags & FIN) this.restartTimeWait();
      this.sendAck();
      return;
    }
    if (seg.flags & RST) {
      // RFC 5961 §3.2: only an exactly in-window RST resets.
      if (seqOff !== this.rcvNxt) {
        if (acceptable) this.sendAck();
        return;
      }
      this.note('reset by peer');
      if (this.state === 'SYN-RECEIVED' && !this.pendingAccept) this.destroy('Connection refused', true);
      else this.destroy('Connection reset by peer', true);
      return;
    }
    if (seg.flags & SYN) {
      if (this.state === 'SYN-RECEIVED' && seqOff === 0) {
        // Our SYN-ACK was lost: the peer repeats its SYN.
        this.sendSyn(true);
        return;
      }
      // RFC 5961 §4: challenge ACK.
      this.sendAck();
      return;
    }
    if (!(seg.flags & ACK)) return;
    if (this.tsOk && seg.ts && seqOff <= this.rcvNxt) this.tsRecent = seg.ts.val;
    const ackOff = this.rel(seg.ack, this.iss, this.sndUna);
    if (this.state === 'SYN-RECEIVED') {
      if (ackOff < 1 || ackOff > this.sndMax) {
        this.resetFor(seg);
        return;
      }
      this.sndUna = 1;
      this.sndWnd = seg.window << this.sndShift;
      this.sndWl1 = seqOff;
      this.sndWl2 = ackOff;
      if (this.rttSeq === 1 && this.retries === 0) this.rttSample(this.clock.now() - this.rttTime);
      this.rttSeq = -1;
      this.retries = 0;
      this.clock.cancel(this.rtoTimer);
      this.rtoTimer = undefined;
      this.setState('ESTABLISHED', 'ACK of SYN-ACK');
      const cb = this.pendingAccept;
      this.pendingAccept = undefined;
      cb?.(this);
      this.onConnect?.();
    }
    this.processAck(seg, seqOff, ackOff);
    if (this.state === 'CLOSED') return;
    // Data (RFC 9293 §3.10.7.4, seventh step).
    if (
      seg.payload.length &&
      (this.state === 'ESTABLISHED' || this.state === 'FIN-WAIT-1' || this.state === 'FIN-WAIT-2')
    )
      this.receiveData(seqOff, seg.payload, (seg.flags & PSH) !== 0);
    if (seg.flags & FIN) this.receiveFin(seqOff + seg.payload.length);
    else if (!this.isClosed()) this.output();
  }

  private isClosed(): boolean {
    return this.state === 'CLOSED';
  }

  private processAck(seg: Segment, seqOff: number, ackOff: number): void {
    if (ackOff > this.sndMax) {
      this.sendAck();
      return;
    }
    const sackBlocks =
      this.sackOk && seg.sack.length
        ? seg.sack.map(([l, r]) => {
            const a = this.rel(l, this.iss, this.sndUna);
            return [a, a + ((r - l) >>> 0)] as [number, number];
          })
        : [];
    let newSack = false;
    for (const [a, b] of sackBlocks)
      if (b > ackOff && b <= this.sndMax && a < b) newSack = this.addSacked(a, b) || newSack;
    const oldWnd = this.sndWnd;
    // Window update rule (RFC 9293 §3.10.7.4).
    if (
      ackOff >= this.sndUna &&
      (seqOff > this.sndWl1 || (seqOff === this.sndWl1 && ackOff >= this.sndWl2))
    ) {
      this.sndWnd = seg.window << this.sndShift;
      this.sndWl1 = seqOff;
      this.sndWl2 = ackOff;
    }
    if (ackOff > this.sndUna) {
      const acked = ackOff - this.sndUna;
      // RTT: timestamps echo our clock; otherwise the one timed segment (Karn's rule).
      // RTT from the one timed segment, never over a retransmission (Karn's rule, RFC 6298 §3);
      // a timestamp echo can carry an older TSval after losses (RFC 7323 §4.3), so it is not used.
      if (this.rttSeq >= 0 && ackOff >= this.rttSeq) this.rttSample(this.clock.now() - this.rttTime);
      if (this.rttSeq >= 0 && ackOff >= this.rttSeq) this.rttSeq = -1;
      // Forward progress undoes the exponential back-off (as Linux resets icsk_backoff).
      if (this.retries > 0 && this.srtt > 0) this.rttSample(this.srtt);
      this.retries = 0;
      this.sndUna = ackOff;
      if (this.sndNxt < this.sndUna) this.sndNxt = this.sndUna;
      if (this.sacked.length)
        this.sacked = this.sacked
          .filter((r) => r[1] > ackOff)
          .map((r) => [Math.max(r[0], ackOff), r[1]] as [number, number]);
      // Drop acknowledged bytes from the send buffer.
      const dropTo = Math.min(ackOff, this.dataEnd()) - this.sbufOff;
      if (dropTo > 0) {
        this.sbuf = this.sbuf.subarray(dropTo);
        this.sbufOff += dropTo;
      }
      if (this.inRecovery) {
        if (ackOff >= this.recover) {
          this.inRecovery = false;
          this.cwnd = Math.min(this.ssthresh, this.sndMax - this.sndUna + this.sendMss);
          this.note(`recovery complete at ack ${seg.ack}; cwnd ${this.cwnd}`);
        } else {
          // NewReno partial ACK (RFC 6582 §3.2 step 3); with SACK only a hole the scoreboard
          // deems lost and not yet resent (RFC 6675 §4 IsLost / NextSeg).
          if (!this.sackOk) this.retransmitAt(this.sndUna, 'partial ACK');
          else {
            const hole = this.nextHole();
            if (hole >= 0) this.retransmitAt(hole, 'partial ACK, SACK hole');
          }
          this.cwnd = Math.max(this.sendMss, this.cwnd - acked + this.sendMss);
        }
      } else if (this.cwnd < this.ssthresh) this.cwnd += Math.min(acked, this.sendMss);
      else this.cwnd += Math.max(1, Math.floor((this.sendMss * this.sendMss) / this.cwnd));
      this.dupAcks = 0;
      if (this.sndUna >= this.sndMax) {
        this.clock.cancel(this.rtoTimer);
        this.rtoTimer = undefined;
      } else this.armRto();
      this.ackedFin(ackOff);
    } else if (
      ackOff === this.sndUna &&
      this.sndMax > this.sndUna &&
      seg.payload.length === 0 &&
      !(seg.flags & FIN) &&
      seg.window << this.sndShift === oldWnd
    ) {
      // Duplicate ACK (RFC 5681 §2).
      this.dupAcks++;
      if (this.dupAcks === 3 && !this.inRecovery && this.sndUna > this.recover - 1) {
        const flight = this.sndMax - this.sndUna;
        this.ssthresh = Math.max(Math.floor(flight / 2), 2 * this.sendMss);
        this.recover = this.sndMax;
        this.inRecovery = true;
        this.retransHigh = Math.max(this.retransHigh, this.sndUna);
        if (this.recording)
          this.note(`3 duplicate ACKs for ${seg.ack}: fast retransmit, ssthresh ${this.ssthresh}`);
        this.retransmitAt(this.sndUna, 'fast retransmit');
        this.cwnd = this.ssthresh + 3 * this.sendMss;
        this.armRto();
      } else if (this.inRecovery) {
        this.cwnd += this.sendMss;
        // SACK-based: resend the next hole below the highest SACKed byte (RFC 6675's NextSeg, simply).
        if (newSack) {
          const hole = this.nextHole();
          if (hole >= 0) this.retransmitAt(hole, 'SACK hole');
        }
      }
    }
  }

  /** The first unSACKed byte not yet retransmitted with more than two segments SACKed above it
   * (RFC 6675 §4: IsLost with DupThresh 3). */
  private nextHole(): number {
    if (!this.sacked.length) return -1;
    let off = Math.max(this.sndUna, this.retransHigh);
    for (const [a, b] of this.sacked) if (off >= a && off < b) off = b;
    return off < this.sacked[this.sacked.length - 1]![0] && this.sackedAbove(off) > 2 * this.sendMss
      ? off
      : -1;
  }

  private addSacked(a: number, b: number): boolean {
    const before = this.sackedAbove(0);
    const list = [...this.sacked, [a, b] as [number, number]].sort((x, y) => x[0] - y[0]);
    const merged: [number, number][] = [];
    for (const r of list) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    this.sacked = merged;
    return this.sackedAbove(0) > before;
  }

  private ackedFin(ackOff: number): void {
    if (this.finOff < 0 || ackOff <= this.finOff) return;
    if (this.state === 'FIN-WAIT-1') this.setState('FIN-WAIT-2', 'our FIN acknowledged');
    else if (this.state === 'CLOSING') this.enterTimeWait('our FIN acknowledged');
    else if (this.state === 'LAST-ACK') {
      this.setState('CLOSED', 'our FIN acknowledged');
      this.destroy(undefined, true);
    }
  }

  private receiveData(seqOff: number, payload: Uint8Array, _psh: boolean): void {
    if (seqOff < this.rcvNxt) {
      payload = payload.subarray(this.rcvNxt - seqOff);
      seqOff = this.rcvNxt;
    }
    const room = this.rcvBuffer - this.unreadBytes - (seqOff - this.rcvNxt);
    if (payload.length > room) payload = payload.subarray(0, Math.max(0, room));
    if (!payload.length) {
      this.sendAck();
      return;
    }
    if (seqOff > this.rcvNxt) {
      // Out of order: keep it, ACK at once with SACK blocks (RFC 5681 §4.2).
      if (!this.ooo.some((s) => s.off === seqOff)) {
        this.ooo.push({ off: seqOff, data: payload.slice() });
        this.ooo.sort((x, y) => x.off - y.off);
      }
      this.lastOooOff = seqOff;
      this.sendAck();
      return;
    }
    const filledHole = this.ooo.length > 0;
    this.deliver(payload);
    while (this.ooo.length && this.ooo[0]!.off <= this.rcvNxt) {
      const s = this.ooo.shift()!;
      const skip = this.rcvNxt - s.off;
      if (skip < s.data.length) this.deliver(s.data.subarray(skip));
    }
    if (this.state === 'CLOSED') return;
    this.unackedSegments++;
    // Delayed ACK (RFC 1122 §4.2.3.2, RFC 5681 §4.2): every second full segment or 40 ms; the
    // start of a connection is ACKed at once (Linux's quick-ACK mode), and so is a filled hole.
    if (filledHole || this.quickAcks > 0 || this.opts.delayedAck === false || this.unackedSegments >= 2) {
      if (this.quickAcks > 0) this.quickAcks--;
      this.sendAck();
    } else this.scheduleDelayedAck();
  }

  private deliver(data: Uint8Array): void {
    this.rcvNxt += data.length;
    this.pending.push(data.slice());
    this.unreadBytes += data.length;
    this.scheduleFlush();
  }

  private flushTimer: TimerHandle | undefined;
  /** The application runs after the kernel has finished with the segment (and sent its ACK),
   * as a woken reader does: data and EOF reach it from a fresh event. */
  private scheduleFlush(): void {
    if (this.flushTimer || !this.autoRead) {
      if (
        !this.autoRead &&
        !this.pending.length &&
        this.finReceived &&
        !this.finDelivered &&
        !this.flushTimer
      )
        this.flushTimer = this.clock.schedule(0, () => {
          this.flushTimer = undefined;
          if (!this.finDelivered) this.deliverEnd();
        });
      return;
    }
    this.flushTimer = this.clock.schedule(0, () => {
      this.flushTimer = undefined;
      this.read(Number.POSITIVE_INFINITY);
      if (!this.pending.length && this.finReceived && !this.finDelivered) this.deliverEnd();
    });
  }

  private receiveFin(finOff: number): void {
    if (finOff !== this.rcvNxt) return; // a FIN beyond a hole waits for the retransmission
    if (this.finReceived) {
      this.sendAck();
      return;
    }
    this.finReceived = true;
    this.rcvNxt += 1;
    this.sendAck();
    switch (this.state) {
      case 'SYN-RECEIVED':
      case 'ESTABLISHED':
        this.setState('CLOSE-WAIT', 'FIN received');
        break;
      case 'FIN-WAIT-1':
        if (this.finOff >= 0 && this.sndUna > this.finOff) this.enterTimeWait('FIN received');
        else this.setState('CLOSING', 'FIN received');
        break;
      case 'FIN-WAIT-2':
        this.enterTimeWait('FIN received');
        break;
      case 'TIME-WAIT':
        this.restartTimeWait();
        break;
      default:
    }
    this.scheduleFlush();
    if (this.state !== 'CLOSED') this.output();
  }

  private enterTimeWait(why: string): void {
    this.setState('TIME-WAIT', why);
    this.clock.cancel(this.rtoTimer);
    this.rtoTimer = undefined;
    this.restartTimeWait();
    this.onClose?.();
    this.onClose = undefined;
  }

  private restartTimeWait(): void {
    this.clock.cancel(this.twTimer);
    this.twTimer = this.clock.schedule(TIME_WAIT, () => {
      this.setState('CLOSED', '2·MSL elapsed');
      this.stack.remove(this);
    });
  }

  private destroy(error: string | undefined, notify: boolean): void {
    this.clock.cancel(this.rtoTimer);
    this.clock.cancel(this.ackTimer);
    this.clock.cancel(this.twTimer);
    this.rtoTimer = this.ackTimer = this.twTimer = undefined;
    if (error) {
      this.clock.cancel(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.state !== 'CLOSED') this.setState('CLOSED', error ?? '');
    this.stack.remove(this);
    const cb = this.onClose;
    this.onClose = undefined;
    if (notify || error) cb?.(error);
  }
}
