// The default colouring rules are Wireshark 4.0's `colorfilters`: same names, order, filter
// text and colours (the file lists [background][foreground] as 16-bit channels).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COLOR_RULES } from '../../../core/engine/coloring';

const FILE = '/usr/share/wireshark/colorfilters';
const hex16 = (t: string) =>
  '#' +
  t
    .split(',')
    .map((v) =>
      Math.round(Number(v) / 257)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('');

describe('default colouring rules', () => {
  it.skipIf(!existsSync(FILE))("equal Wireshark's colorfilters (name, filter, colours, order)", () => {
    const parsed = readFileSync(FILE, 'utf8')
      .split('\n')
      .map((l) => /^@(.+?)@(.+)@\[([\d,]+)\]\[([\d,]+)\]$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ name: m[1], filter: m[2], bg: hex16(m[3]!), fg: hex16(m[4]!) }))
      // System events (systemd journal, sysdig) never occur in packet captures.
      .filter((r) => r.name !== 'System Event');
    expect(DEFAULT_COLOR_RULES.map(({ name, filter, bg, fg }) => ({ name, filter, bg, fg }))).toEqual(parsed);
  });
});
