// Post Office Protocol version 3 (RFC 1939) on TCP 110: commands ("C: RETR 1") and responses
// ("S: +OK 85 octets") with tshark 4.0's `pop.*` fields; the lines of a multi-line response
// (a message, a capability list) follow as text, as tshark shows them.
import type { Dissection } from '../dissect/dissection';
import { latin1 } from '../dissect/dissection';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { escapeText, lineRanges } from './http-media';

export const POP_PORT = 110;

export const pop = defineProtocol({
  abbrev: 'pop',
  name: 'Post Office Protocol',
  short: 'POP',
  fields: {
    response: { abbrev: 'pop.response', name: 'Response', type: 'string' },
    responseIndicator: { abbrev: 'pop.response.indicator', name: 'Response indicator', type: 'string' },
    responseDescription: { abbrev: 'pop.response.description', name: 'Response description', type: 'string' },
    responseData: { abbrev: 'pop.response.data', name: 'Data', type: 'string' },
    request: { abbrev: 'pop.request', name: 'Request', type: 'string' },
    requestCommand: { abbrev: 'pop.request.command', name: 'Request command', type: 'string' },
    requestParameter: { abbrev: 'pop.request.parameter', name: 'Request parameter', type: 'string' },
  },
  dissect: dissectPop,
});

function dissectPop(p: Dissection, start: number, end: number): void {
  const f = pop.f;
  const t = p.transport;
  const isRequest = t ? t.dstPort === POP_PORT || (t.srcPort !== POP_PORT && t.dstPort < t.srcPort) : false;
  const item = p.add(pop.field, start, end - start);
  p.open(item);
  const lines = lineRanges(p.data, start, end, 100_000);
  for (let n = 0; n < lines.length; n++) {
    const [i, textEnd, next] = lines[n]!;
    const line = latin1(p.data.subarray(i, textEnd));
    const label = escapeText(p.data.subarray(i, next));
    const sp = line.indexOf(' ');
    const word = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    if (n === 0 && isRequest) {
      p.setInfo(`C: ${line}`);
      const node = p.add(f.request, i, next - i, line, label);
      p.open(node);
      p.add(f.requestCommand, i, word.length, word);
      if (sp >= 0) p.add(f.requestParameter, i + sp + 1, textEnd - i - sp - 1, rest);
      p.close(node);
    } else if (n === 0 && (word === '+OK' || word === '-ERR')) {
      p.setInfo(`S: ${line}`);
      const node = p.add(f.response, i, next - i, line, label);
      p.open(node);
      p.add(f.responseIndicator, i, word.length, word);
      if (sp >= 0) p.add(f.responseDescription, i + sp + 1, textEnd - i - sp - 1, rest);
      p.close(node);
    } else {
      if (n === 0) p.setInfo(`${isRequest ? 'C' : 'S'}: ${line}`);
      p.addText(label, i, next - i);
    }
  }
  p.close(item);
}

tables.tcpPort.register(POP_PORT, pop);
