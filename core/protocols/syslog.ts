// Syslog on UDP port 514: `<PRI>` (RFC 3164 §4.1.1, RFC 5424 §6.2.1; facility = PRI / 8,
// severity = PRI % 8), then the message. The header parts tshark shows are picked out of the
// message: an RFC 3164 timestamp, host and tag, or RFC 5424's version, timestamp, host,
// app-name and procid (the rest is shown as the message id, as tshark 4.0 does).
import type { Dissection } from '../dissect/dissection';
import { latin1 } from '../dissect/dissection';
import { bitPattern } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';

export const SYSLOG_PORT = 514;
/** `<191>` at most: five bytes of PRI. */
const MAX_PRI_LEN = 5;

export const FACILITIES: readonly (readonly [string, string])[] = [
  ['KERN', 'kernel messages'],
  ['USER', 'random user-level messages'],
  ['MAIL', 'mail system'],
  ['DAEMON', 'system daemons'],
  ['AUTH', 'security/authorization messages'],
  ['SYSLOG', 'messages generated internally by syslogd'],
  ['LPR', 'line printer subsystem'],
  ['NEWS', 'network news subsystem'],
  ['UUCP', 'UUCP subsystem'],
  ['CRON', 'clock daemon'],
  ['AUTHPRIV', 'security/authorization messages (private)'],
  ['FTP', 'ftp daemon'],
  ['NTP', 'NTP subsystem'],
  ['SECURITY', 'Log audit'],
  ['CONSOLE', 'Log alert'],
  ['SOLARIS-CRON', 'clock daemon'],
  ['LOCAL0', 'reserved for local use'],
  ['LOCAL1', 'reserved for local use'],
  ['LOCAL2', 'reserved for local use'],
  ['LOCAL3', 'reserved for local use'],
  ['LOCAL4', 'reserved for local use'],
  ['LOCAL5', 'reserved for local use'],
  ['LOCAL6', 'reserved for local use'],
  ['LOCAL7', 'reserved for local use'],
];

export const LEVELS: readonly (readonly [string, string])[] = [
  ['EMERG', 'system is unusable'],
  ['ALERT', 'action must be taken immediately'],
  ['CRIT', 'critical conditions'],
  ['ERR', 'error conditions'],
  ['WARNING', 'warning conditions'],
  ['NOTICE', 'normal but significant condition'],
  ['INFO', 'informational'],
  ['DEBUG', 'debug-level messages'],
];

export const syslog = defineProtocol({
  abbrev: 'syslog',
  name: 'Syslog message',
  short: 'Syslog',
  fields: {
    facility: { abbrev: 'syslog.facility', name: 'Facility', type: 'uint8' },
    level: { abbrev: 'syslog.level', name: 'Level', type: 'uint8' },
    msg: { abbrev: 'syslog.msg', name: 'Message', type: 'string' },
    version: { abbrev: 'syslog.version', name: 'Syslog version', type: 'string' },
    timestamp: { abbrev: 'syslog.timestamp', name: 'Syslog timestamp', type: 'abstime' },
    timestamp3164: { abbrev: 'syslog.timestamp_rfc3164', name: 'Syslog timestamp (RFC3164)', type: 'string' },
    hostname: { abbrev: 'syslog.hostname', name: 'Syslog hostname', type: 'string' },
    appname: { abbrev: 'syslog.appname', name: 'Syslog app name', type: 'string' },
    procid: { abbrev: 'syslog.procid', name: 'Syslog process id', type: 'string' },
    msgid: { abbrev: 'syslog.msgid', name: 'Syslog message id', type: 'string' },
  },
  dissect: dissectSyslog,
});

/** Wireshark's format_text: C escapes for control characters, octal for other bytes. */
function shown(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else out += `\\${c.toString(8).padStart(3, '0')}`;
  }
  return out;
}

function dissectSyslog(p: Dissection, start: number, end: number): void {
  const f = syslog.f;
  const bytes = p.bytes(start, end - start);
  // <PRI>: 1-3 digits in angle brackets (RFC 5424 §6.2.1).
  let pri = -1;
  let msgStart = start;
  if (bytes[0] === 0x3c) {
    let v = 0;
    let i = 1;
    while (i < Math.min(bytes.length, MAX_PRI_LEN) && bytes[i]! >= 0x30 && bytes[i]! <= 0x39)
      v = v * 10 + bytes[i++]! - 0x30;
    if (i > 1 && bytes[i] === 0x3e) {
      pri = v;
      msgStart = start + i + 1;
    }
  }
  const text = latin1(p.data.subarray(msgStart, end));
  const msg = shown(text);
  const facility = pri >= 0 ? pri >> 3 : -1;
  const level = pri >= 0 ? pri & 7 : -1;
  const fac = FACILITIES[facility];
  const lev = LEVELS[level];
  const prefix = pri >= 0 ? `${fac?.[0] ?? facility}.${lev?.[0] ?? level}: ` : '';
  p.setInfo(`${prefix}${msg}`);
  const top = p.add(
    syslog.field,
    start,
    end - start,
    undefined,
    p.tree ? `Syslog message: ${prefix}${msg}` : undefined,
  );
  p.open(top);
  if (pri >= 0) {
    p.add(
      f.facility,
      start,
      msgStart - start,
      facility,
      p.tree
        ? `${bitPattern(0xf8, 8, pri & 0xff)} = Facility: ${fac ? `${fac[0]} - ${fac[1]}` : 'Unknown'} (${facility})`
        : undefined,
    );
    p.add(
      f.level,
      start,
      msgStart - start,
      level,
      p.tree ? `${bitPattern(0x07, 8, pri & 0xff)} = Level: ${lev![0]} - ${lev![1]} (${level})` : undefined,
    );
  }
  const msgItem = p.add(f.msg, msgStart, end - msgStart, msg);
  p.open(msgItem);
  if (p.detailFor('syslog')) headerParts(p, text, msgStart);
  p.close(msgItem);
  p.close(top);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const RFC3164_TIME = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d:\d\d:\d\d) /;
const RFC5424_HEAD = /^([1-9]\d{0,2}) (\S+) (\S+) (\S+) (\S+) /;

/** The header fields tshark 4.0 recognises inside the message text. */
function headerParts(p: Dissection, text: string, at: number): void {
  const f = syslog.f;
  const m5424 = RFC5424_HEAD.exec(text);
  if (m5424) {
    const [, version, ts, host, app, proc] = m5424 as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    let o = at;
    p.add(f.version, o, version.length, version);
    o += version.length + 1;
    const ns = rfc3339ToNs(ts);
    if (ns !== undefined) p.add(f.timestamp, o, ts.length, ns);
    o += ts.length + 1;
    p.add(f.hostname, o, host.length, host);
    o += host.length + 1;
    p.add(f.appname, o, app.length, app);
    o += app.length + 1;
    p.add(f.procid, o, proc.length, proc);
    o += proc.length + 1;
    const rest = text.slice(m5424[0].length);
    if (rest) p.add(f.msgid, o, rest.length, shown(rest));
    return;
  }
  const m3164 = RFC3164_TIME.exec(text);
  if (!m3164 || !MONTHS.includes(m3164[1]!)) return;
  const ts = m3164[0].slice(0, -1);
  p.add(f.timestamp3164, at, ts.length, ts);
  let o = m3164[0].length;
  const sp = text.indexOf(' ', o);
  if (sp < 0) return;
  p.add(f.hostname, at + o, sp - o, text.slice(o, sp));
  o = sp + 1;
  // The tag runs to ':' or '['; tshark 4.0 shows it as the process id and the rest as msgid.
  let q = o;
  while (q < text.length && text[q] !== ':' && text[q] !== '[' && text[q] !== ' ') q++;
  if (q >= text.length || q === o) return;
  p.add(f.procid, at + o, q - o, text.slice(o, q));
  const rest = text.slice(q);
  p.add(f.msgid, at + q, rest.length, shown(rest));
}

/** RFC 3339 date-time (RFC 5424 §6.2.3) as nanoseconds since the epoch. */
function rfc3339ToNs(ts: string): bigint | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (Number.isNaN(ms)) return undefined;
  let ns = BigInt(ms) * 1_000_000n + BigInt((m[7] ?? '').padEnd(9, '0') || '0');
  if (m[8] !== 'Z') {
    const sign = m[8]![0] === '-' ? -1n : 1n;
    const off = BigInt(+m[8]!.slice(1, 3) * 3600 + +m[8]!.slice(4, 6) * 60) * 1_000_000_000n;
    ns -= sign * off;
  }
  return ns;
}

tables.udpPort.register(SYSLOG_PORT, syslog);
