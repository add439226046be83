// Internet Message Format (RFC 5322) as far as tshark's Info column and common filters need
// it: From, To, Subject and the message text, for the messages SMTP (DATA) and IMAP (FETCH
// literals) carry. Protocol column "SMTP/IMF", Info "from: …, subject: …, , line, line".
import type { Dissection } from '../dissect/dissection';
import { latin1 } from '../dissect/dissection';
import { defineProtocol } from '../dissect/protocol';
import { escapeText, lineRanges } from './http-media';

export const imf = defineProtocol({
  abbrev: 'imf',
  name: 'Internet Message Format',
  short: '',
  fields: {
    from: { abbrev: 'imf.from', name: 'From', type: 'string' },
    to: { abbrev: 'imf.to', name: 'To', type: 'string' },
    subject: { abbrev: 'imf.subject', name: 'Subject', type: 'string' },
    address: { abbrev: 'imf.address', name: 'Address', type: 'string' },
    messageText: { abbrev: 'imf.message_text', name: 'Message-Text', type: 'none' },
  },
  dissect: dissectImf,
});

/** Most header and text lines looked at. */
const MAX_LINES = 100_000;

function dissectImf(p: Dissection, start: number, end: number): void {
  const f = imf.f;
  const item = p.add(imf.field, start, end - start);
  p.open(item);
  let from = '';
  let subject = '';
  const textLines: string[] = [];
  let inBody = false;
  let bodyNode: ReturnType<Dissection['add']>;
  for (const [i, textEnd, next] of lineRanges(p.data, start, end, MAX_LINES)) {
    if (!inBody) {
      if (textEnd === i) {
        inBody = true;
        bodyNode = p.add(f.messageText, next, end - next);
        p.open(bodyNode);
      } else {
        const line = latin1(p.data.subarray(i, textEnd));
        const colon = line.indexOf(':');
        const name = colon > 0 ? line.slice(0, colon).toLowerCase() : '';
        const value = colon > 0 ? line.slice(colon + 1).trim() : '';
        if (name === 'from' || name === 'to') {
          const node = p.add(
            name === 'from' ? f.from : f.to,
            i,
            next - i,
            value,
            `${line.slice(0, colon)}: ${value}, 1 item`,
          );
          p.open(node);
          const raw = escapeText(p.data.subarray(i + colon + 1, next)).trimStart();
          const entry = p.addText(`Item: ${raw}`, i + colon + 1, next - i - colon - 1);
          p.open(entry);
          p.add(f.address, i + colon + 1, next - i - colon - 1, value, `Address: ${raw}`);
          p.close(entry);
          p.close(node);
          if (name === 'from') from = value;
        } else if (name === 'subject') {
          p.add(f.subject, i, next - i, value, `Subject: ${value}`);
          subject = value;
        } else p.addText(escapeText(p.data.subarray(i, next)), i, next - i);
      }
    } else {
      // tshark shows each text line with its CR and LF as spaces.
      const shown = latin1(p.data.subarray(i, next)).replace(/[\r\n]/g, ' ');
      textLines.push(shown);
      p.addText(shown, i, next - i);
    }
  }
  if (inBody) p.close(bodyNode);
  p.close(item);
  if (p.columns) {
    p.cols.protocol = p.cols.protocol ? `${p.cols.protocol}/IMF` : 'IMF';
    const parts = [`from: ${from}`, `subject: ${subject}`, '', ...textLines];
    p.setInfo(parts.join(', '));
  }
}
