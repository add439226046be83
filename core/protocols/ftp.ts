// File Transfer Protocol (RFC 959, RFC 2428): command and reply lines on the control connection
// (TCP 21) with tshark 4.0's `ftp.*` fields, and the data connections they announce — PASV
// (227), EPSV (229), PORT — bound with `expectConversation` to FTP-DATA, which shows what the
// transfer carried ("FTP Data: 15 bytes (PASV) (TYPE I)"). Like tshark each segment is decoded
// on its own (no reassembly), and an EPRT is decoded but binds nothing (tshark 4.0 does not);
// its data connection from port 20 is FTP-DATA by port.
import type { Dissection } from '../dissect/dissection';
import { latin1 } from '../dissect/dissection';
import { expectConversation } from '../dissect/conversation';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { data } from './data';
import { dissectText, escapeText, lineRanges } from './http-media';
import { tcpAnalyzers } from './tcp';

export const FTP_PORT = 21;
export const FTP_DATA_PORT = 20;

/** Reply codes as packet-ftp.c names them (RFC 959 §4.2.2, RFC 2228, RFC 2428). */
export const FTP_REPLY_CODES: Readonly<Record<number, string>> = {
  110: 'Restart marker reply',
  120: 'Service ready in nnn minutes',
  125: 'Data connection already open; transfer starting',
  150: 'File status okay; about to open data connection',
  200: 'Command okay',
  202: 'Command not implemented, superfluous at this site',
  211: 'System status, or system help reply',
  212: 'Directory status',
  213: 'File status',
  214: 'Help message',
  215: 'NAME system type',
  220: 'Service ready for new user',
  221: 'Service closing control connection',
  225: 'Data connection open; no transfer in progress',
  226: 'Closing data connection',
  227: 'Entering Passive Mode',
  228: 'Entering Long Passive Mode',
  229: 'Entering Extended Passive Mode',
  230: 'User logged in, proceed',
  232: 'User logged in, authorized by security data exchange',
  234: 'Security data exchange complete',
  235: 'Security data exchange completed successfully',
  250: 'Requested file action okay, completed',
  257: 'PATHNAME created',
  331: 'User name okay, need password',
  332: 'Need account for login',
  334: 'Requested security mechanism is ok',
  335: 'Security data is acceptable, more is needed',
  350: 'Requested file action pending further information',
  421: 'Service not available, closing control connection',
  425: "Can't open data connection",
  426: 'Connection closed; transfer aborted',
  431: 'Need some unavailable resource to process security',
  450: 'Requested file action not taken',
  451: 'Requested action aborted: local error in processing',
  452: 'Requested action not taken. Insufficient storage space in system',
  500: 'Syntax error, command unrecognized',
  501: 'Syntax error in parameters or arguments',
  502: 'Command not implemented',
  503: 'Bad sequence of commands',
  504: 'Command not implemented for that parameter',
  530: 'Not logged in',
  532: 'Need account for storing files',
  533: 'Command protection level denied for policy reasons',
  534: 'Request denied for policy reasons',
  535: 'Failed security check (hash, sequence, etc)',
  536: 'Requested PROT level not supported by mechanism',
  537: 'Command protection level not supported by security mechanism',
  550: 'Requested action not taken: File unavailable',
  551: 'Requested action aborted: page type unknown',
  552: 'Requested file action aborted: Exceeded storage allocation',
  553: 'Requested action not taken: File name not allowed',
  631: 'Integrity protected reply',
  632: 'Confidentiality and integrity protected reply',
  633: 'Confidentiality protected reply',
};

const EPRT_AF: Readonly<Record<number, string>> = { 1: 'IPv4', 2: 'IPv6' };

export const ftp = defineProtocol({
  abbrev: 'ftp',
  name: 'File Transfer Protocol (FTP)',
  short: 'FTP',
  fields: {
    response: { abbrev: 'ftp.response', name: 'Response', type: 'bool' },
    request: { abbrev: 'ftp.request', name: 'Request', type: 'bool' },
    requestCommand: { abbrev: 'ftp.request.command', name: 'Request command', type: 'string' },
    requestArg: { abbrev: 'ftp.request.arg', name: 'Request arg', type: 'string' },
    responseCode: {
      abbrev: 'ftp.response.code',
      name: 'Response code',
      type: 'uint32',
      vals: FTP_REPLY_CODES,
    },
    responseArg: { abbrev: 'ftp.response.arg', name: 'Response arg', type: 'string' },
    passiveIp: { abbrev: 'ftp.passive.ip', name: 'Passive IP address', type: 'ipv4' },
    passivePort: { abbrev: 'ftp.passive.port', name: 'Passive port', type: 'uint16' },
    passiveNat: { abbrev: 'ftp.passive.nat', name: 'Passive IP NAT', type: 'bool' },
    activeIp: { abbrev: 'ftp.active.cip', name: 'Active IP address', type: 'ipv4' },
    activePort: { abbrev: 'ftp.active.port', name: 'Active port', type: 'uint16' },
    activeNat: { abbrev: 'ftp.active.nat', name: 'Active IP NAT', type: 'bool' },
    eprtAf: { abbrev: 'ftp.eprt.af', name: 'Extended active address family', type: 'uint8', vals: EPRT_AF },
    eprtIp: { abbrev: 'ftp.eprt.ip', name: 'Extended active IP address', type: 'ipv4' },
    eprtPort: { abbrev: 'ftp.eprt.port', name: 'Extended active port', type: 'uint16' },
    epsvIp: { abbrev: 'ftp.epsv.ip', name: 'Extended passive IPv4 address', type: 'ipv4' },
    epsvPort: { abbrev: 'ftp.epsv.port', name: 'Extended passive port', type: 'uint16' },
    cwd: { abbrev: 'ftp.current-working-directory', name: 'Current working directory', type: 'string' },
  },
  dissect: dissectFtp,
});

export const ftpData = defineProtocol({
  abbrev: 'ftp-data',
  name: 'FTP Data',
  short: 'FTP-DATA',
  fields: {
    setupFrame: { abbrev: 'ftp-data.setup-frame', name: 'Setup frame', type: 'framenum' },
    setupMethod: { abbrev: 'ftp-data.setup-method', name: 'Setup method', type: 'string' },
    command: { abbrev: 'ftp-data.command', name: 'Command', type: 'string' },
    commandFrame: { abbrev: 'ftp-data.command-frame', name: 'Command frame', type: 'framenum' },
    cwd: { abbrev: 'ftp-data.current-working-directory', name: 'Current working directory', type: 'string' },
  },
  dissect: dissectFtpData,
});

// ---- state ----

/** A data connection an FTP control connection announced (or a port-20 one). */
interface DataSetup {
  /** One end (address, port) exactly, the other end by address (any port). */
  addr: Uint8Array;
  port: number;
  peer: Uint8Array;
  setupFrame: number;
  method: string;
  command: string;
  commandFrame: number;
  cwd: string;
}

interface ControlConn {
  cwd: string;
  /** Directory a CWD asked for, applied when 250 answers. */
  pendingCwd: string | undefined;
  /** The newest setup still waiting for the command that uses it. */
  awaitingCommand: DataSetup | undefined;
}

interface FtpState {
  controls: Map<number, ControlConn>;
  setups: DataSetup[];
  /** First pass: per frame, the cwd shown (control) or the setup used (data), for revisits. */
  cwdByFrame: Map<number, string>;
  setupByFrame: Map<number, DataSetup>;
  /** First frame (the SYN) of each TCP stream, for port-20 data connections. */
  synFrame: Map<number, number>;
}

function ftpState(p: Dissection): FtpState {
  return p.state.slot<FtpState>('ftp', () => ({
    controls: new Map(),
    setups: [],
    cwdByFrame: new Map(),
    setupByFrame: new Map(),
    synFrame: new Map(),
  }));
}

// A SYN without ACK opens a TCP stream: remember its frame (only SYNs cost a map write), so a
// data connection from port 20 shows its setup frame as tshark does (the conversation's start).
tcpAnalyzers.push((p, seg) => {
  if (
    (seg.flags & 0x12) === 0x02 &&
    !p.visited &&
    (seg.srcPort === FTP_DATA_PORT || seg.dstPort === FTP_DATA_PORT)
  ) {
    const m = ftpState(p).synFrame;
    if (!m.has(seg.stream)) m.set(seg.stream, p.frame.number);
  }
});

// ---- control connection ----

function dissectFtp(p: Dissection, start: number, end: number): void {
  const f = ftp.f;
  const t = p.transport;
  const isRequest = t ? t.dstPort === FTP_PORT || (t.srcPort !== FTP_PORT && t.dstPort < t.srcPort) : false;
  const st = ftpState(p);
  const conn = controlConn(st, t?.stream ?? -1);
  const item = p.add(ftp.field, start, end - start);
  p.open(item);
  if (!p.tree) {
    // Hidden in tshark's tree, filterable: both booleans on every FTP packet.
    p.add(f.response, start, 0, !isRequest);
    p.add(f.request, start, 0, isRequest);
  }
  const all = lineRanges(p.data, start, end, 10_000);
  const first = all[0];
  if (first) {
    const text = latin1(p.data.subarray(first[0], first[1]));
    p.setInfo(`${isRequest ? 'Request' : 'Response'}: ${text}`);
  }
  all.forEach(([s, e, next], n) => {
    const node = p.addText(escapeText(p.data.subarray(s, next)), s, next - s);
    if (n > 0 && !isRequest) return; // continuation lines of a multi-line reply: text only
    p.open(node);
    if (isRequest) dissectRequest(p, conn, st, s, e);
    else dissectReply(p, conn, st, s, e);
    p.close(node);
  });
  // Generated after the lines: the directory as known at this frame.
  let cwd = conn.cwd;
  if (p.visited) cwd = st.cwdByFrame.get(p.frame.number) ?? '';
  else if (cwd) st.cwdByFrame.set(p.frame.number, cwd);
  p.close(item);
  // tshark shows the item on every packet, empty until a 257 reply names the directory.
  if (cwd || p.tree) p.addGenerated(f.cwd, cwd, `Current working directory: ${cwd}`);
}

function controlConn(st: FtpState, stream: number): ControlConn {
  let c = st.controls.get(stream);
  if (!c) st.controls.set(stream, (c = { cwd: '', pendingCwd: undefined, awaitingCommand: undefined }));
  return c;
}

function dissectRequest(p: Dissection, conn: ControlConn, st: FtpState, s: number, e: number): void {
  const f = ftp.f;
  let sp = s;
  while (sp < e && p.data[sp] !== 0x20) sp++;
  const command = latin1(p.data.subarray(s, sp));
  p.add(f.requestCommand, s, sp - s, command);
  const argStart = Math.min(sp + 1, e);
  const arg = latin1(p.data.subarray(argStart, e));
  if (e > argStart) p.add(f.requestArg, argStart, e - argStart, arg);
  const upper = command.toUpperCase();
  if (!p.visited && !p.inError) {
    // The first command after a data connection was announced is what it serves (tshark).
    if (
      conn.awaitingCommand &&
      upper !== 'PORT' &&
      upper !== 'PASV' &&
      upper !== 'EPSV' &&
      upper !== 'EPRT'
    ) {
      conn.awaitingCommand.command = latin1(p.data.subarray(s, e));
      conn.awaitingCommand.commandFrame = p.frame.number;
      conn.awaitingCommand = undefined;
    }
    if (upper === 'CWD') conn.pendingCwd = arg;
    else if (upper === 'CDUP') conn.pendingCwd = '..';
  }
  if (upper === 'PORT') {
    const n = numbers(arg, 6);
    if (n) {
      const ip = Uint8Array.from(n.slice(0, 4));
      const port = n[4]! * 256 + n[5]!;
      p.add(f.activeIp, argStart, e - argStart, ipNumber(ip));
      p.add(f.activePort, argStart, e - argStart, port);
      if (!sameAddr(ip, p.netSrc)) p.add(f.activeNat, argStart, e - argStart, true);
      announce(p, conn, st, ip, port, p.netDst, 'PORT');
    }
  } else if (upper === 'EPRT') {
    // RFC 2428 §2: EPRT |af|addr|port| (decoded; tshark 4.0 binds no conversation for it).
    const parts = arg.split(arg[0] ?? '|');
    if (parts.length >= 4) {
      const af = Number(parts[1]);
      p.add(f.eprtAf, argStart, e - argStart, af);
      const ip = af === 1 ? ipv4Text(parts[2]!) : undefined;
      if (ip) p.add(f.eprtIp, argStart, e - argStart, ipNumber(ip));
      const port = Number(parts[3]);
      if (Number.isInteger(port) && port >= 0 && port < 65536)
        p.add(f.eprtPort, argStart, e - argStart, port);
    }
  }
}

function dissectReply(p: Dissection, conn: ControlConn, st: FtpState, s: number, e: number): void {
  const f = ftp.f;
  const d = p.data;
  const isCode = e - s >= 3 && [0, 1, 2].every((k) => d[s + k]! >= 0x30 && d[s + k]! <= 0x39);
  if (!isCode) return;
  const code = (d[s]! - 48) * 100 + (d[s + 1]! - 48) * 10 + (d[s + 2]! - 48);
  p.add(f.responseCode, s, 3, code);
  const argStart = Math.min(s + 4, e);
  const arg = latin1(d.subarray(argStart, e));
  if (e > argStart) p.add(f.responseArg, argStart, e - argStart, arg);
  if (code === 227) {
    // RFC 959: "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)".
    const n = numbers(arg, 6);
    if (n) {
      const ip = Uint8Array.from(n.slice(0, 4));
      const port = n[4]! * 256 + n[5]!;
      p.add(f.passiveIp, argStart, e - argStart, ipNumber(ip));
      p.add(f.passivePort, argStart, e - argStart, port);
      // Shown only when the announced address is not the sender's (a NAT rewrote one side).
      if (!sameAddr(ip, p.netSrc)) p.add(f.passiveNat, argStart, e - argStart, true);
      announce(p, conn, st, ip, port, p.netDst, 'PASV');
    }
  } else if (code === 229) {
    // RFC 2428 §3: "229 Entering Extended Passive Mode (|||port|)".
    const m = /\((.)\1\1(\d{1,5})\1\)/.exec(arg);
    if (m) {
      const port = Number(m[2]);
      if (port < 65536) {
        if (p.netFamily === 4)
          p.addGenerated(
            f.epsvIp,
            ipNumber(p.netSrc),
            `Extended passive IPv4 address: ${[...p.netSrc].join('.')}`,
          );
        p.add(f.epsvPort, argStart, e - argStart, port);
        announce(p, conn, st, p.netSrc, port, p.netDst, 'EPASV');
      }
    }
  } else if (code === 257 && !p.visited) {
    // RFC 959 §7: 257 "PATHNAME" ... (a doubled quote stands for one).
    const m = /^"((?:[^"]|"")*)"/.exec(arg);
    if (m) conn.cwd = m[1]!.replace(/""/g, '"');
  } else if (code === 250 && !p.visited && conn.pendingCwd !== undefined) {
    conn.cwd = joinPath(conn.cwd || '/', conn.pendingCwd);
    conn.pendingCwd = undefined;
  }
}

function joinPath(base: string, dir: string): string {
  if (dir.startsWith('/')) return dir;
  if (dir === '..') return base.replace(/\/[^/]*\/?$/, '') || '/';
  return `${base.endsWith('/') ? base : base + '/'}${dir}`;
}

/** Binds the announced data connection (first pass). */
function announce(
  p: Dissection,
  conn: ControlConn,
  st: FtpState,
  addr: Uint8Array,
  port: number,
  peer: Uint8Array,
  method: string,
): void {
  if (p.visited || p.inError || addr.length !== peer.length) return;
  const setup: DataSetup = {
    addr: addr.slice(),
    port,
    peer: peer.slice(),
    setupFrame: p.frame.number,
    method,
    command: '',
    commandFrame: 0,
    cwd: conn.cwd,
  };
  st.setups.push(setup);
  conn.awaitingCommand = setup;
  expectConversation(p, {
    transport: 'tcp',
    addrA: addr,
    portA: port,
    addrB: peer,
    portB: 0,
    dissector: ftpData,
  });
}

/** `count` decimal numbers 0..255 in a row, separated by commas (RFC 959's host-port). */
function numbers(text: string, count: number): number[] | undefined {
  const m = text.match(new RegExp(`(\\d{1,3})${',\\s*(\\d{1,3})'.repeat(count - 1)}`));
  if (!m) return undefined;
  const n = m.slice(1).map(Number);
  return n.every((x) => x <= 255) ? n : undefined;
}

function ipv4Text(s: string): Uint8Array | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const n = m.slice(1).map(Number);
  return n.every((x) => x <= 255) ? Uint8Array.from(n) : undefined;
}

function ipNumber(b: Uint8Array): number {
  return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
}

function sameAddr(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// ---- data connection ----

function findSetup(p: Dissection, st: FtpState): DataSetup | undefined {
  const t = p.transport;
  if (!t) return undefined;
  for (let i = st.setups.length - 1; i >= 0; i--) {
    const s = st.setups[i]!;
    if (p.frame.number < s.setupFrame) continue;
    const fwd = s.port === t.srcPort && sameAddr(s.addr, p.netSrc) && sameAddr(s.peer, p.netDst);
    const back = s.port === t.dstPort && sameAddr(s.addr, p.netDst) && sameAddr(s.peer, p.netSrc);
    if (fwd || back) return s;
  }
  return undefined;
}

function dissectFtpData(p: Dissection, start: number, end: number): void {
  const f = ftpData.f;
  const st = ftpState(p);
  const len = end - start;
  let setup = p.visited ? st.setupByFrame.get(p.frame.number) : findSetup(p, st);
  if (!setup && p.transport) {
    // By port 20 (no announcement seen): the conversation's first frame is its setup.
    const first = st.synFrame.get(p.transport.stream) ?? p.frame.number;
    setup = {
      addr: p.netSrc,
      port: 0,
      peer: p.netDst,
      setupFrame: first,
      method: '',
      command: '',
      commandFrame: 0,
      cwd: '',
    };
  }
  if (!p.visited && setup) st.setupByFrame.set(p.frame.number, setup);
  const item = p.add(ftpData.field, start, len, undefined, `FTP Data (${len} bytes data)`);
  p.open(item);
  p.close(item);
  if (setup) {
    p.addGenerated(f.setupFrame, setup.setupFrame, `Setup frame: ${setup.setupFrame}`);
    if (setup.method) p.addGenerated(f.setupMethod, setup.method, `Setup method: ${setup.method}`);
    if (setup.command) p.addGenerated(f.command, setup.command, `Command: ${setup.command}`);
    if (setup.commandFrame)
      p.add(f.commandFrame, start, 0, setup.commandFrame, `Command frame: ${setup.commandFrame}`);
    if (setup.cwd) p.addGenerated(f.cwd, setup.cwd, `Current working directory: ${setup.cwd}`);
  }
  let info = `FTP Data: ${len} bytes`;
  if (setup?.method) info += ` (${setup.method})`;
  if (setup?.command) info += ` (${setup.command})`;
  p.setInfo(info);
  // Text (printable ASCII and line ends) as lines, like tshark; anything else as data.
  if (len > 0) {
    if (isText(p.data, start, Math.min(end, p.data.length))) dissectText(p, start, end);
    else p.call(data, start, end);
  }
}

function isText(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c >= 0x7f) return false;
  }
  return true;
}

tables.tcpPort.register(FTP_PORT, ftp);
tables.tcpPort.register(FTP_DATA_PORT, ftpData);
