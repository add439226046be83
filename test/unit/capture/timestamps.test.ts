// Timestamp arithmetic: the number-only paths agree with exact BigInt arithmetic over the whole
// 64-bit range, and the writer's split into 32-bit halves inverts the reader's conversion.
import { describe, expect, it } from 'vitest';
import { convertTimestamp, converted, timestampUnits, tsResolution } from '../../../core/capture/timestamps';

/** A deterministic xorshift generator, so failures reproduce. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function exact(high: number, low: number, unitsPerSecond: bigint): { sec: number; nsec: number } {
  const v = (BigInt(high) << 32n) | BigInt(low);
  const sec = v / unitsPerSecond;
  return { sec: Number(sec), nsec: Number(((v - sec * unitsPerSecond) * 1_000_000_000n) / unitsPerSecond) };
}

describe('timestamp conversion', () => {
  const cases: [number, bigint][] = [
    [6, 1_000_000n],
    [9, 1_000_000_000n],
    [3, 1000n],
    [0, 1n],
    [12, 1_000_000_000_000n],
    [0x80 | 20, 1n << 20n],
    [0x80 | 10, 1n << 10n],
    [0x80 | 32, 1n << 32n],
  ];
  for (const [code, units] of cases) {
    it(`${tsResolution(code).label} matches BigInt arithmetic`, () => {
      const next = random(code + 7);
      const res = tsResolution(code);
      // Small (below 2^53) and large high halves, including the all-ones extreme.
      const highs = [0, 1, 0x1fffff, 0x200000, 0x7fffffff, 0xffffffff];
      for (let i = 0; i < 2000; i++) highs.push(i % 2 ? next() : next() & 0x3fffff);
      for (const high of highs) {
        const low = next();
        convertTimestamp(high, low, res, 0);
        const want = exact(high, low, units);
        // Seconds beyond 2^53 cannot be exact as numbers; those only occur for absurd inputs.
        if (want.sec <= Number.MAX_SAFE_INTEGER) {
          expect([converted.sec, converted.nsec]).toEqual([want.sec, want.nsec]);
        }
      }
    });
  }

  it('adds if_tsoffset, which may be negative', () => {
    convertTimestamp(0, 1_500_000, tsResolution(6), -10);
    expect([converted.sec, converted.nsec]).toEqual([-9, 500_000_000]);
  });

  it('the writer splits µs and ns counts exactly', () => {
    const next = random(99);
    for (let i = 0; i < 2000; i++) {
      const sec = next() % 4_000_000_000;
      const nsec = next() % 1_000_000_000;
      for (const nano of [false, true]) {
        const { high, low } = timestampUnits(sec, nsec, nano);
        const units = (BigInt(high) << 32n) | BigInt(low);
        expect(units).toBe(
          BigInt(sec) * (nano ? 1_000_000_000n : 1_000_000n) + BigInt(nano ? nsec : Math.floor(nsec / 1000)),
        );
        convertTimestamp(high, low, tsResolution(nano ? 9 : 6), 0);
        expect([converted.sec, converted.nsec]).toEqual([sec, nano ? nsec : Math.floor(nsec / 1000) * 1000]);
      }
    }
  });
});
