import { describe, expect, it } from 'vitest';
import { PerFrameTable } from '../../../core/dissect/per-frame';

describe('PerFrameTable', () => {
  it('keeps float64 columns when given a width', () => {
    const t = new PerFrameTable(2);
    expect(t.width).toBe(2);
    t.set(5, 0, 0, 2 ** 32 - 1);
    t.set(5, 0, 1, -1.5);
    expect(t.has(5)).toBe(true);
    expect(t.has(4)).toBe(false);
    expect(t.get(5, 0, 0)).toBe(2 ** 32 - 1);
    expect(t.get(5, 0, 1)).toBe(-1.5);
  });

  it('stores each column in its own type, signed bytes sign-extended', () => {
    const t = new PerFrameTable(['u32', 'i32', 'u8', 'i8', 'f64']);
    t.set(1, 0, 0, 0xfffffffe);
    t.set(1, 0, 1, -2);
    t.set(1, 0, 2, 255);
    t.set(1, 0, 3, -2);
    t.set(1, 0, 4, -1);
    expect([0, 1, 2, 3, 4].map((c) => t.get(1, 0, c))).toEqual([0xfffffffe, -2, 255, -2, -1]);
    t.set(2, 0, 3, 14);
    expect(t.get(2, 0, 3)).toBe(14);
  });

  it('grows past its first size and keeps what it held', () => {
    const t = new PerFrameTable(['u32', 'i8']);
    for (let n = 1; n <= 5000; n += 7) {
      t.set(n, 0, 0, n * 1000);
      t.set(n, 0, 1, -(n % 100) || 0);
    }
    for (let n = 1; n <= 5000; n += 7) {
      expect(t.has(n)).toBe(true);
      expect(t.get(n, 0, 0)).toBe(n * 1000);
      expect(t.get(n, 0, 1)).toBe(-(n % 100) || 0);
    }
    expect(t.has(2)).toBe(false);
    expect(t.has(1_000_000)).toBe(false);
  });

  it('keeps a second layer of the same protocol apart', () => {
    const t = new PerFrameTable(['u8', 'u32']);
    t.set(3, 0, 1, 7);
    t.set(3, 1, 1, 2 ** 32 + 5);
    expect(t.has(3, 1)).toBe(true);
    expect(t.has(3, 2)).toBe(false);
    expect(t.get(3, 0, 1)).toBe(7);
    // The extra rows are float64: any value.
    expect(t.get(3, 1, 1)).toBe(2 ** 32 + 5);
  });
});
