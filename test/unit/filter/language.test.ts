// The filter language on its own: precedence, literals, errors with positions, and fuzzing
// (random and mutated expressions never throw anything but a FilterError, never hang).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../../../core/protocols';
import { checkFilter, compileFilter, FilterError } from '../../../core/filter';
import { parseFilter } from '../../../core/filter/parser';
import { ROOT } from '../../integration/cli-helpers';

const err = (expr: string) => {
  try {
    compileFilter(expr);
  } catch (e) {
    if (e instanceof FilterError) return { message: e.message, start: e.start, end: e.end };
    throw e;
  }
  return undefined;
};

describe('display-filter language', () => {
  it('and binds tighter than or; not tighter than and', () => {
    const t = parseFilter('a or b and not c')!;
    expect(t.k).toBe('or');
    expect(t.k === 'or' && t.b.k).toBe('and');
    expect(t.k === 'or' && t.b.k === 'and' && t.b.b.k).toBe('not');
  });

  it('positions errors on the offending token', () => {
    expect(err('ip.src == 10.0.0.1 && tcp.prot')).toEqual({
      message: 'tcp.prot is neither a field nor a protocol name.',
      start: 22,
      end: 30,
    });
    expect(err('ip.ttl == 64.0')).toMatchObject({
      message: '"64.0" is not a valid number.',
      start: 10,
      end: 14,
    });
    expect(err('frame contains "abc')).toMatchObject({
      message: 'The final quote was missing from a quoted string.',
      start: 15,
    });
    expect(err('eth.src[0:')).toMatchObject({ message: 'The right bracket was missing from a slice.' });
    expect(err('dec2(ip.ttl)')).toMatchObject({
      message: "Function 'dec2' does not exist",
      start: 0,
      end: 4,
    });
  });

  it('reads literals of every kind', () => {
    for (const ok of [
      'ip.ttl == 0x40',
      "ip.ttl == '\\x40'",
      'ip.ttl == 0b1000000',
      'eth.src == 0200.0000.000a',
      'ipv6.addr == ::ffff:10.0.0.1',
      'ipv6.addr == 2001:db8::/32',
      'frame.time > "Sep 26, 2004 23:18:04.954975 UTC"',
      'frame.time > "2004-09-26T23:18:04Z"',
      'frame.time_relative < 1.5',
      'frame contains r"\\d"',
      'frame contains "\\u00e9\\101"',
      'tcp.flags.syn == False',
    ])
      expect(err(ok), ok).toBeUndefined();
  });

  it('warns about != on fields that occur twice and about ~=', () => {
    expect(checkFilter('ip.addr != 1.2.3.4').status).toBe('suspicious');
    expect(checkFilter('ip.src != 1.2.3.4').status).toBe('valid');
    expect(checkFilter('ip.addr ~= 1.2.3.4').warnings[0]!.message).toContain('deprecated');
  });

  it('bounds nesting depth and input length', () => {
    const deep = '('.repeat(5000) + 'ip' + ')'.repeat(5000);
    expect(err(deep)?.message).toContain('nests deeper');
    expect(err('not '.repeat(5000) + 'ip')?.message).toContain('nests deeper');
    expect(err('ip && '.repeat(20000) + 'ip')?.message).toContain('longer than');
  });

  it('fuzz: random and mutated expressions only ever fail with a FilterError', () => {
    const golden = JSON.parse(readFileSync(`${ROOT}test/fixtures/filter/golden.json`, 'utf8')) as {
      rows: { expr: string }[];
    };
    const seeds = golden.rows.map((r) => r.expr);
    const alphabet = ' ()[]{}"\'\\#$,.:-+*/%&|!=<>~^0123456789abcdefipxtcpudpethlenin';
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const tokens = [
      ...seeds.flatMap((s) => s.split(/\s+/)),
      '(',
      ')',
      '{',
      '}',
      '..',
      ',',
      '#2',
      '[1:2]',
      '${ip.src}',
    ];
    const inputs: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const s = seeds[rand(seeds.length)]!;
      const k = rand(4);
      if (k === 0) {
        const at = rand(s.length + 1);
        inputs.push(s.slice(0, at) + alphabet[rand(alphabet.length)] + s.slice(at + rand(3)));
      } else if (k === 1) {
        inputs.push(s.slice(0, rand(s.length + 1)));
      } else if (k === 2) {
        inputs.push(Array.from({ length: 1 + rand(8) }, () => tokens[rand(tokens.length)]).join(' '));
      } else {
        inputs.push(Array.from({ length: rand(40) }, () => alphabet[rand(alphabet.length)]).join(''));
      }
    }
    // A hang would show as the test's timeout.
    for (const input of inputs) {
      try {
        compileFilter(input);
      } catch (e) {
        if (!(e instanceof FilterError)) throw new Error(`${JSON.stringify(input)}: ${String(e)}`);
      }
    }
    expect(inputs.length).toBe(3000);
  });
});
