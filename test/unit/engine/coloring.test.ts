// The default colouring rules are Wireshark 4.0's `colorfilters`: same names, order, filter
// text and colours (the file lists [background][foreground] as 16-bit channels).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../core/protocols';
import { Dissection } from '../../../core/dissect/dissection';
import { fieldList } from '../../../core/dissect/fields';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Colorizer, DEFAULT_COLOR_RULES, compileColorFilter } from '../../../core/engine/coloring';
import { requiredAnyOf } from '../../../core/filter/requires';
import { readClassicPcap } from '../../helpers/decode';

const FIXTURES = join(__dirname, '../../fixtures');

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

describe('colouring prefilter', () => {
  it('names what a match needs, and nothing where a match can do without', () => {
    const need = (f: string) => {
      const s = requiredAnyOf(f);
      return s && [...s].sort();
    };
    expect(need('tcp')).toEqual(['tcp']);
    expect(need('icmp || icmpv6')).toEqual(['icmp', 'icmpv6']);
    expect(need('tcp.analysis.flags && !tcp.analysis.window_update')).toEqual(['tcp.analysis.flags']);
    expect(need('eth[0] & 1')).toEqual(['eth']);
    expect(need('tcp.flags & 0x02 || tcp.flags.fin == 1')).toEqual(['tcp.flags', 'tcp.flags.fin']);
    expect(need('icmp.type in { 3..5, 11 }')).toEqual(['icmp.type']);
    // A negation, a vacuous "all", a function that holds on absence: no requirement.
    expect(need('!tcp')).toBeUndefined();
    expect(need('tcp || !udp')).toBeUndefined();
    expect(need('all ip.addr == 10.0.0.1')).toBeUndefined();
    expect(need('ip.addr === 10.0.0.1')).toBeUndefined();
    expect(need('count(ip.addr) == 0')).toBeUndefined();
    expect(need('tcp.port not in {80}')).toBeUndefined();
  });

  it('colours every packet of real captures as evaluating every rule would', () => {
    const files = ['app/http-node.pcap', 'app/tls-netns.pcap', 'app/dns-tcp.pcap', 'tcp/lossy-http.pcap'];
    let coloured = 0;
    for (const name of files) {
      const colorizer = new Colorizer();
      const wanted = new Uint8Array(fieldList.length);
      colorizer.markWanted(wanted);
      const rules = DEFAULT_COLOR_RULES.map((r) => compileColorFilter(r.filter));
      const state = new CaptureState();
      const p = new Dissection();
      for (const r of readClassicPcap(join(FIXTURES, name))) {
        dissectPacket(r.meta, r.data, state, { tree: false, wanted, columns: true }, p);
        const expected = rules.findIndex((c) => c.match(p));
        expect(colorizer.classify(p), `${name} frame ${r.meta.number}`).toBe(expected);
        if (expected >= 0) coloured++;
      }
    }
    expect(coloured).toBeGreaterThan(100);
  });
});
