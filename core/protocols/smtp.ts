// Simple Mail Transfer Protocol (RFC 5321) on TCP 25 and 587: command lines, replies (multi-line
// replies "250-…" joined in Info with " | " as tshark does), and the message after DATA/354,
// collected until the "." line and handed to IMF (imf.ts). Each segment is decoded on its own,
// as tshark's SMTP does outside DATA.
import type { Dissection } from '../dissect/dissection';
import { latin1 } from '../dissect/dissection';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { dissectText, escapeText, lineRanges } from './http-media';
import { imf } from './imf';
import { concatBytes } from '../capture/bytes';

export const SMTP_PORTS = [25, 587];

/** Reply codes as packet-smtp.c names them (RFC 5321 §4.2.3). */
const SMTP_REPLY_CODES: Readonly<Record<number, string>> = {
  211: 'System status, or system help reply',
  214: 'Help message',
  220: '<domain> Service ready',
  221: '<domain> Service closing transmission channel',
  235: 'Authentication successful',
  250: 'Requested mail action okay, completed',
  251: 'User not local; will forward to <forward-path>',
  252: 'Cannot VRFY user, but will accept message and attempt delivery',
  334: 'AUTH input',
  354: 'Start mail input; end with <CRLF>.<CRLF>',
  421: '<domain> Service not available, closing transmission channel',
  432: 'A password transition is needed',
  450: 'Requested mail action not taken: mailbox unavailable',
  451: 'Requested action aborted: local error in processing',
  452: 'Requested action not taken: insufficient system storage',
  454: 'Temporary authenticaion failure',
  500: 'Syntax error, command unrecognized',
  501: 'Syntax error in parameters or arguments',
  502: 'Command not implemented',
  503: 'Bad sequence of commands',
  504: 'Command parameter not implemented',
  530: 'Authentication required',
  534: 'Authentication mechanism is too weak',
  535: 'Authentication credentials invalid',
  538: 'Encryption required for requested authentication mechanism',
  550: 'Requested action not taken: mailbox unavailable',
  551: 'User not local; please try <forward-path>',
  552: 'Requested mail action aborted: exceeded storage allocation',
  553: 'Requested action not taken: mailbox name not allowed',
  554: 'Transaction failed',
};

export const smtp = defineProtocol({
  abbrev: 'smtp',
  name: 'Simple Mail Transfer Protocol',
  short: 'SMTP',
  fields: {
    req: { abbrev: 'smtp.req', name: 'Request', type: 'bool' },
    rsp: { abbrev: 'smtp.rsp', name: 'Response', type: 'bool' },
    commandLine: { abbrev: 'smtp.command_line', name: 'Command Line', type: 'string' },
    reqCommand: { abbrev: 'smtp.req.command', name: 'Command', type: 'string' },
    reqParameter: { abbrev: 'smtp.req.parameter', name: 'Request parameter', type: 'string' },
    response: { abbrev: 'smtp.response', name: 'Response', type: 'string' },
    responseCode: {
      abbrev: 'smtp.response.code',
      name: 'Response code',
      type: 'uint32',
      vals: SMTP_REPLY_CODES,
    },
    rspParameter: { abbrev: 'smtp.rsp.parameter', name: 'Response parameter', type: 'string' },
    dataFragmentCount: { abbrev: 'smtp.data.fragment.count', name: 'DATA fragment count', type: 'uint32' },
    reassembledLength: {
      abbrev: 'smtp.data.reassembled.length',
      name: 'Reassembled DATA length',
      type: 'uint32',
    },
  },
  dissect: dissectSmtp,
});

/** The most message bytes collected per DATA (the rest is counted, not kept). */
const MAX_MESSAGE = 16 << 20;

interface SmtpConn {
  /** The client sent DATA; the server's 354 opens the message. */
  dataAsked: boolean;
  inData: boolean;
  parts: Uint8Array[];
  frames: [number, number][];
  size: number;
}

interface SmtpState {
  conns: Map<number, SmtpConn>;
  /** First pass: per frame, whether its client bytes were message data, and the message a
   * "." completed (for revisits). */
  dataFrames: Set<number>;
  messages: Map<number, { bytes: Uint8Array; frames: [number, number][] }>;
}

function smtpState(p: Dissection): SmtpState {
  return p.state.slot<SmtpState>('smtp', () => ({
    conns: new Map(),
    dataFrames: new Set(),
    messages: new Map(),
  }));
}

function dissectSmtp(p: Dissection, start: number, end: number): void {
  const f = smtp.f;
  const t = p.transport;
  const isRequest = t
    ? SMTP_PORTS.includes(t.dstPort) || (!SMTP_PORTS.includes(t.srcPort) && t.dstPort < t.srcPort)
    : false;
  const st = smtpState(p);
  const stream = t?.stream ?? -1;
  let conn = st.conns.get(stream);
  if (!conn)
    st.conns.set(stream, (conn = { dataAsked: false, inData: false, parts: [], frames: [], size: 0 }));
  const item = p.add(smtp.field, start, end - start);
  p.open(item);
  if (!p.tree) {
    p.add(f.req, start, 0, isRequest);
    p.add(f.rsp, start, 0, !isRequest);
  }
  if (
    isRequest &&
    (p.visited ? st.dataFrames.has(p.frame.number) || st.messages.has(p.frame.number) : conn.inData)
  ) {
    dissectMessageData(p, st, conn, start, end, item);
    p.close(item);
    return;
  }
  const all = lineRanges(p.data, start, end, 10_000);
  if (isRequest) {
    const first = all[0];
    if (first) p.setInfo(`C: ${latin1(p.data.subarray(first[0], first[1]))}`);
    for (const [s, e, next] of all) {
      const line = latin1(p.data.subarray(s, e));
      const node = p.add(
        f.commandLine,
        s,
        next - s,
        line,
        `Command Line: ${escapeText(p.data.subarray(s, next))}`,
      );
      p.open(node);
      const sp = line.indexOf(' ');
      const command = sp < 0 ? line : line.slice(0, sp);
      p.add(f.reqCommand, s, command.length, command);
      if (sp >= 0) p.add(f.reqParameter, s + sp + 1, e - s - sp - 1, line.slice(sp + 1));
      p.close(node);
      if (!p.visited && command.toUpperCase() === 'DATA') conn.dataAsked = true;
    }
  } else {
    const texts: string[] = [];
    let codeShown = false;
    let node: ReturnType<Dissection['add']>;
    for (const [s, e, next] of all) {
      const line = latin1(p.data.subarray(s, e));
      const m = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (!m) {
        texts.push(line);
        continue;
      }
      const code = Number(m[1]);
      if (!codeShown) {
        node = p.add(f.response, s, next - s, line, `Response: ${escapeText(p.data.subarray(s, next))}`);
        p.open(node);
        p.add(f.responseCode, s, 3, code);
        codeShown = true;
        texts.push(line);
      } else texts.push(m[3]!);
      if (m[3]) p.add(f.rspParameter, s + 4, e - s - 4, m[3]);
      if (code === 354 && !p.visited && conn.dataAsked) {
        conn.inData = true;
        conn.dataAsked = false;
      }
    }
    p.close(node);
    if (texts.length) p.setInfo(`S: ${texts.join(' | ')}`);
  }
  p.close(item);
}

/** Client bytes after 354: message fragments until a line with a single "." (RFC 5321 §4.5.2). */
function dissectMessageData(
  p: Dissection,
  st: SmtpState,
  conn: SmtpConn,
  start: number,
  end: number,
  item: ReturnType<Dissection['add']>,
): void {
  const d = p.data;
  // The end-of-data line: "." at the start of the segment or after a CRLF.
  let term = -1;
  for (let i = start; i + 2 < end + 1; i++) {
    if ((i === start || d[i - 1] === 0x0a) && d[i] === 0x2e && (d[i + 1] === 0x0d || d[i + 1] === 0x0a)) {
      term = i;
      break;
    }
  }
  const fragEnd = term < 0 ? end : term;
  if (fragEnd > start) {
    if (!p.visited) {
      st.dataFrames.add(p.frame.number);
      if (conn.size + (fragEnd - start) <= MAX_MESSAGE) conn.parts.push(d.slice(start, fragEnd));
      conn.frames.push([p.frame.number, fragEnd - start]);
      conn.size += fragEnd - start;
    }
    p.setInfo(`C: DATA fragment, ${fragEnd - start} bytes`);
    if (term < 0) {
      dissectText(p, start, fragEnd);
      return;
    }
  }
  if (term < 0) return;
  p.addText('C: .', term, Math.min(end, term + 3) - term);
  p.setInfo('C: .');
  let message = st.messages.get(p.frame.number);
  if (!message && !p.visited) {
    const bytes = concatBytes(conn.parts);
    message = { bytes, frames: conn.frames };
    st.messages.set(p.frame.number, message);
    conn.parts = [];
    conn.frames = [];
    conn.size = 0;
    conn.inData = false;
  }
  if (!message || !message.bytes.length) return;
  const f = smtp.f;
  const n = message.frames.length;
  const fragments = p.tree
    ? p.addText(
        `[${n} DATA fragment${n === 1 ? '' : 's'} (${message.bytes.length} bytes): ${message.frames.map(([fr, l]) => `#${fr}(${l})`).join(', ')}]`,
        term,
        0,
      )
    : undefined;
  p.open(fragments);
  let offset = 0;
  for (const [fr, l] of message.frames) {
    p.addText(`[Frame: ${fr}, payload: ${offset}-${offset + l - 1} (${l} bytes)]`, term, 0);
    offset += l;
  }
  p.addGenerated(f.dataFragmentCount, n, `DATA fragment count: ${n}`);
  p.addGenerated(
    f.reassembledLength,
    message.bytes.length,
    `Reassembled DATA length: ${message.bytes.length}`,
  );
  p.close(fragments);
  const bytes = message.bytes;
  p.close(item); // IMF is SMTP's sibling in the tree, as in tshark
  p.withSource(`Reassembled DATA (${bytes.length} bytes)`, bytes, () => p.call(imf, 0, bytes.length));
}

for (const port of SMTP_PORTS) tables.tcpPort.register(port, smtp);
