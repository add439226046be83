// Expert information (Analyze → Expert Information, `tshark -z expert`): the issues the
// decoders raised, grouped by severity, then by protocol and summary with how often each
// occurred and the frames where it did.
//
// Rules from Wireshark 4.0's ui/cli/tap-expert.c: one list per severity, an entry per distinct
// (protocol, summary) in order of first occurrence; the protocol column is the protocol's short
// name; an exception while decoding is summarised "Malformed Packet (Exception occurred)".
import type { Dissection, ExpertGroup, Issue, Severity } from '../dissect/dissection';
import { protocols } from '../dissect/protocol';

export interface ExpertEntry {
  severity: Severity;
  group: ExpertGroup;
  /** Protocol short name, e.g. `TCP`. */
  protocol: string;
  summary: string;
  count: number;
  /** Frame numbers where it occurred (the first `MAX_FRAMES_PER_ENTRY`). */
  frames: number[];
}

/** Frames kept per entry: enough to jump to, bounded for captures with millions of items. */
export const MAX_FRAMES_PER_ENTRY = 1000;

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warn', 'note', 'chat'];
const SEVERITY_TITLES: Record<Severity, string> = {
  error: 'Errors',
  warn: 'Warns',
  note: 'Notes',
  chat: 'Chats',
};

const EXCEPTION_SUMMARY = 'Malformed Packet (Exception occurred)';

/** The group of an issue: the decoder's own, else from its kind (errors of a malformed layer
 * are Malformed; milder remarks about a protocol's values are Protocol, as Wireshark files them). */
export function expertGroup(issue: Issue): ExpertGroup {
  if (issue.group) return issue.group;
  switch (issue.kind) {
    case 'checksum-bad':
      return 'Checksum';
    case 'unsupported':
      return 'Undecoded';
    case 'truncated':
      return 'Malformed';
    default:
      return issue.severity === 'error' ? 'Malformed' : 'Protocol';
  }
}

/** Summary as tshark prints it (the framework's exception messages carry details after a colon). */
export function expertSummary(issue: Issue): string {
  return issue.message.startsWith(EXCEPTION_SUMMARY) ? EXCEPTION_SUMMARY : issue.message;
}

/** The protocol's short name (`ip` → `IPv4`); the filter name when the protocol is unknown. */
export function protocolShortName(abbrev: string): string {
  return protocols.get(abbrev)?.short || abbrev.toUpperCase();
}

export class ExpertInfo {
  private readonly entries = new Map<Severity, ExpertEntry[]>();
  private readonly index = new Map<string, ExpertEntry>();

  add(p: Dissection, frame: number): void {
    for (let i = 0; i < p.issues.length; i++) this.addIssue(p.issues[i]!, frame);
  }

  addIssue(issue: Issue, frame: number): void {
    const protocol = protocolShortName(issue.protocol);
    const summary = expertSummary(issue);
    const key = `${issue.severity}\u0000${protocol}\u0000${summary}`;
    let e = this.index.get(key);
    if (!e) {
      e = { severity: issue.severity, group: expertGroup(issue), protocol, summary, count: 0, frames: [] };
      this.index.set(key, e);
      let list = this.entries.get(issue.severity);
      if (!list) this.entries.set(issue.severity, (list = []));
      list.push(e);
    }
    e.count++;
    if (e.frames.length < MAX_FRAMES_PER_ENTRY) e.frames.push(frame);
  }

  /** Entries by severity (errors first), each list in order of first occurrence. */
  list(): ExpertEntry[] {
    const out: ExpertEntry[] = [];
    for (const sev of SEVERITY_ORDER) for (const e of this.entries.get(sev) ?? []) out.push(e);
    return out;
  }
}

/** What `tshark -q -z expert` prints. */
export function formatExpertText(entries: readonly ExpertEntry[]): string {
  let s = '';
  for (const sev of SEVERITY_ORDER) {
    const items = entries.filter((e) => e.severity === sev);
    if (!items.length) continue;
    const total = items.reduce((n, e) => n + e.count, 0);
    s += `\n${SEVERITY_TITLES[sev]} (${total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
    for (const e of items)
      s += `${String(e.count).padStart(12)} ${e.group.padStart(10)} ${e.protocol.padStart(18)}  ${e.summary}\n`;
  }
  return s;
}
