// Internet Message Access Protocol (RFC 3501) on TCP 143: each line with tshark 4.0's fields —
// tagged requests (tag, command, UID, folder, login user), tagged responses (tag, status,
// command) paired with their request by tag (`imap.response_to`, `imap.time`); untagged "*"
// lines are shown as lines. A literal "{n}" that follows a FETCH response line is the message,
// decoded as IMF. Info is "Request: …" / "Response: …" with the packet's last line, as tshark.
import type { Dissection } from '../dissect/dissection';
import { latin1 } from '../dissect/dissection';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { escapeText } from './http-media';
import { imf } from './imf';

export const IMAP_PORT = 143;

/** Commands whose first argument is a mailbox (tshark's imap.request.folder). */
const FOLDER_COMMANDS = new Set([
  'SELECT',
  'EXAMINE',
  'CREATE',
  'DELETE',
  'RENAME',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'STATUS',
  'APPEND',
  'COPY',
  'MOVE',
]);

export const imap = defineProtocol({
  abbrev: 'imap',
  name: 'Internet Message Access Protocol',
  short: 'IMAP',
  fields: {
    isRequest: { abbrev: 'imap.isrequest', name: 'Request', type: 'bool' },
    line: { abbrev: 'imap.line', name: 'Line', type: 'string' },
    request: { abbrev: 'imap.request', name: 'Request', type: 'string' },
    requestTag: { abbrev: 'imap.request_tag', name: 'Request Tag', type: 'string' },
    response: { abbrev: 'imap.response', name: 'Response', type: 'string' },
    responseTag: { abbrev: 'imap.response_tag', name: 'Response Tag', type: 'string' },
    requestCommand: { abbrev: 'imap.request.command', name: 'Request Command', type: 'string' },
    responseCommand: { abbrev: 'imap.response.command', name: 'Response Command', type: 'string' },
    responseStatus: { abbrev: 'imap.response.status', name: 'Response Status', type: 'string' },
    requestFolder: { abbrev: 'imap.request.folder', name: 'Request Folder', type: 'string' },
    requestUid: {
      abbrev: 'imap.request.command.uid',
      name: 'Request isUID',
      type: 'bool',
      tfs: ['True', 'False'],
    },
    requestUsername: { abbrev: 'imap.request.username', name: 'Request Username', type: 'string' },
    requestPassword: { abbrev: 'imap.request.password', name: 'Request Password', type: 'string' },
    responseIn: { abbrev: 'imap.response_in', name: 'Response In', type: 'framenum' },
    responseTo: { abbrev: 'imap.response_to', name: 'Request In', type: 'framenum' },
    time: { abbrev: 'imap.time', name: 'Response Time', type: 'reltime', unit: ' seconds' },
  },
  dissect: dissectImap,
});

interface ImapState {
  /** Per stream and tag: the request's frame and time (first pass). */
  requests: Map<string, { frame: number; timeNs: bigint; responseFrame: number }>;
}

function imapState(p: Dissection): ImapState {
  return p.state.slot<ImapState>('imap', () => ({ requests: new Map() }));
}

function dissectImap(p: Dissection, start: number, end: number): void {
  const f = imap.f;
  const t = p.transport;
  const isRequest = t ? t.dstPort === IMAP_PORT || (t.srcPort !== IMAP_PORT && t.dstPort < t.srcPort) : false;
  const st = imapState(p);
  const stream = t?.stream ?? -1;
  const timeNs = BigInt(p.frame.tsSec) * 1_000_000_000n + BigInt(p.frame.tsNsec);
  const item = p.add(imap.field, start, end - start);
  p.open(item);
  if (!p.tree) p.add(f.isRequest, start, 0, isRequest);
  let literal: [number, number] | undefined;
  let i = start;
  let last = '';
  for (let n = 0; i < end && n < 100_000; n++) {
    let e = i;
    while (e < end && p.data[e] !== 0x0a) e++;
    const next = e < end ? e + 1 : e;
    const textEnd = e > i && p.data[e - 1] === 0x0d ? e - 1 : e;
    const text = latin1(p.data.subarray(i, textEnd));
    last = text;
    const node = p.add(f.line, i, next - i, text + '\r\n', `Line: ${escapeText(p.data.subarray(i, next))}`);
    p.open(node);
    const tokens = text.split(' ');
    const tag = tokens[0] ?? '';
    if (isRequest) {
      p.add(f.request, i, textEnd - i, text);
      p.add(f.requestTag, i, tag.length, tag);
      let k = 1;
      const uid = (tokens[1] ?? '').toUpperCase() === 'UID';
      if (uid) {
        p.add(f.requestUid, i, textEnd - i, true);
        k = 2;
      }
      const command = tokens[k] ?? '';
      if (command) p.add(f.requestCommand, i, textEnd - i, command);
      const upper = command.toUpperCase();
      if (FOLDER_COMMANDS.has(upper) && tokens[k + 1])
        p.add(f.requestFolder, i, textEnd - i, unquote(tokens[k + 1]!));
      if (upper === 'LOGIN' && tokens[k + 1]) {
        p.add(f.requestUsername, i, textEnd - i, unquote(tokens[k + 1]!));
        if (tokens[k + 2]) p.add(f.requestPassword, i, textEnd - i, unquote(tokens[k + 2]!));
      }
      if (!p.visited && tag)
        st.requests.set(`${stream}|${tag}`, { frame: p.frame.number, timeNs, responseFrame: 0 });
      const req = st.requests.get(`${stream}|${tag}`);
      if (req?.responseFrame && req.frame === p.frame.number && p.visited)
        p.addGenerated(f.responseIn, req.responseFrame, `Response In: ${req.responseFrame}`);
    } else if (tag !== '*' && tag !== '+') {
      p.add(f.response, i, textEnd - i, text);
      p.add(f.responseTag, i, tag.length, tag);
      const status = tokens[1] ?? '';
      if (/^(OK|NO|BAD|PREAUTH|BYE)$/i.test(status)) {
        p.add(f.responseStatus, i, textEnd - i, status);
        if (tokens[2]) p.add(f.responseCommand, i, textEnd - i, tokens[2]);
        const req = st.requests.get(`${stream}|${tag}`);
        if (req && req.frame <= p.frame.number) {
          if (!p.visited) req.responseFrame = p.frame.number;
          p.addGenerated(f.responseTo, req.frame, `Request In: ${req.frame}`);
          const dt = timeNs - req.timeNs;
          p.addGenerated(f.time, dt, `Response Time: ${nsText(dt)} seconds`);
        }
      }
    }
    p.close(node);
    i = next;
    // RFC 3501 §4.3: a literal "{n}" at the end of a line: n octets follow.
    const lit = /\{(\d{1,9})\}$/.exec(text);
    if (lit) {
      const n2 = Math.min(Number(lit[1]), end - i);
      if (!isRequest && /\bFETCH\b/i.test(text) && !literal) literal = [i, i + n2];
      i += n2;
    }
  }
  p.close(item);
  p.setInfo(`${isRequest ? 'Request' : 'Response'}: ${last}`);
  if (literal && literal[1] > literal[0]) p.call(imf, literal[0], literal[1]);
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function nsText(ns: bigint): string {
  const a = ns < 0n ? -ns : ns;
  return `${ns < 0n ? '-' : ''}${a / 1_000_000_000n}.${(a % 1_000_000_000n).toString().padStart(9, '0')}`;
}

tables.tcpPort.register(IMAP_PORT, imap);
