import { describe, expect, it } from 'vitest';
import {
  ByteBudget,
  SequenceUnwrapper,
  StreamAssembler,
  seqDiff,
} from '../../../core/analysis/stream-assembler';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('SequenceUnwrapper', () => {
  it('keeps offsets increasing across the 2^32 wrap', () => {
    const u = new SequenceUnwrapper(0xfffffff0);
    expect(u.offsetOf(0xfffffff0)).toBe(0);
    expect(u.offsetOf(0xfffffffa)).toBe(10);
    expect(u.offsetOf(0x00000005)).toBe(21); // wrapped
    expect(u.offsetOf(0xfffffffe)).toBe(14); // an older segment, before the wrap
    expect(u.offsetOf(0x10)).toBe(32);
  });
  it('seqDiff is signed modulo 2^32', () => {
    expect(seqDiff(0xffffffff, 1)).toBe(2);
    expect(seqDiff(1, 0xffffffff)).toBe(-2);
  });
});

describe('StreamAssembler', () => {
  it('rebuilds out-of-order segments and reports the gap until it is filled', () => {
    const a = new StreamAssembler();
    a.add(5, bytes('world'), 2);
    expect(a.contiguousEnd(0)).toBe(0);
    expect(a.gaps(0, 10)).toEqual([[0, 5]]);
    a.add(0, bytes('hello'), 3);
    expect(a.contiguousEnd(0)).toBe(10);
    expect(text(a.read(0, 10))).toBe('helloworld');
    expect(a.gaps(0, 10)).toEqual([]);
    expect(a.pieces(0, 10)).toEqual([
      { offset: 0, length: 5, frame: 3 },
      { offset: 5, length: 5, frame: 2 },
    ]);
  });

  it('keeps the first copy of overlapping data and notes a conflict', () => {
    const a = new StreamAssembler();
    a.add(0, bytes('abcdef'), 1);
    const same = a.add(2, bytes('cdefgh'), 2);
    expect(same).toEqual({ added: 2, repeated: 4, conflict: false, refused: 0 });
    const diff = a.add(0, bytes('XbcdefghIJ'), 3);
    expect(diff.conflict).toBe(true);
    expect(diff.added).toBe(2);
    expect(text(a.read(0, 10))).toBe('abcdefghIJ');
  });

  it('counts a retransmission of released data as repeated, storing nothing', () => {
    const a = new StreamAssembler();
    a.add(0, bytes('abcdef'), 1);
    a.release(6);
    expect(a.held).toBe(0);
    expect(a.add(0, bytes('abcdef'), 2)).toEqual({ added: 0, repeated: 6, conflict: false, refused: 0 });
    expect(a.held).toBe(0);
  });

  it('fills a hole between two chunks without touching them', () => {
    const a = new StreamAssembler();
    a.add(0, bytes('aa'), 1);
    a.add(6, bytes('dd'), 2);
    const r = a.add(1, bytes('abbccd'), 3);
    expect(r.added).toBe(4);
    expect(r.repeated).toBe(2);
    expect(text(a.read(0, 8))).toBe('aabbccdd');
  });

  it('release cuts a chunk in the middle', () => {
    const a = new StreamAssembler();
    a.add(0, bytes('0123456789'), 1);
    a.release(4);
    expect(a.held).toBe(6);
    expect(text(a.read(4, 10))).toBe('456789');
    expect(a.contiguousEnd(4)).toBe(10);
  });

  it('refuses data beyond the per-stream and shared bounds instead of failing', () => {
    const budget = new ByteBudget(12);
    const a = new StreamAssembler(8, budget);
    const b = new StreamAssembler(8, budget);
    expect(a.add(0, bytes('0123456789'), 1)).toMatchObject({ added: 8, refused: 2 });
    expect(b.add(0, bytes('0123456789'), 1)).toMatchObject({ added: 4, refused: 6 });
    expect(budget.used).toBe(12);
    a.clear();
    expect(budget.used).toBe(4);
  });

  it('works with offsets beyond 2^32 (a stream that wrapped)', () => {
    const u = new SequenceUnwrapper(0xffffff00);
    const a = new StreamAssembler();
    const o1 = u.offsetOf(0xffffff00 + 0x100 - 4); // 4 bytes before the wrap
    a.add(o1, bytes('abcd'), 1);
    a.add(u.offsetOf(0), bytes('efgh'), 2);
    expect(text(a.read(o1, o1 + 8))).toBe('abcdefgh');
  });
});
