import { describe, expect, it } from 'vitest';
import { ipv4ToString } from '../../../core/dissect/format';

describe('ipv4ToString', () => {
  it('spells addresses in dotted decimal, also from signed 32-bit values', () => {
    expect(ipv4ToString(0xc0000201)).toBe('192.0.2.1');
    expect(ipv4ToString(0xc0000201 | 0)).toBe('192.0.2.1');
    expect(ipv4ToString(0)).toBe('0.0.0.0');
    expect(ipv4ToString(0xffffffff)).toBe('255.255.255.255');
  });

  it('gives the right text for addresses that share a cache slot, in any order', () => {
    // Many addresses, each spelled twice (the second time from the cache when it survived).
    let x = 12345;
    const seen: number[] = [];
    for (let i = 0; i < 20000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      seen.push(x);
      const want = `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
      expect(ipv4ToString(x)).toBe(want);
      const back = seen[(i * 7) % seen.length]!;
      expect(ipv4ToString(back)).toBe(
        `${back >>> 24}.${(back >>> 16) & 255}.${(back >>> 8) & 255}.${back & 255}`,
      );
    }
  });
});
