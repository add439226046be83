import { describe, expect, it } from 'vitest';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { Reassembler } from '../../../core/protocols/reassembly';
import { meta } from './netlayer-compare';

/** A Dissection positioned on `bytes` as frame `n` (the reassembler reads only these). */
function at(bytes: Uint8Array, n: number, visited = false): Dissection {
  return new Dissection().reset(
    meta(bytes, { number: n }),
    bytes,
    new CaptureState(),
    { tree: false },
    visited,
  );
}

describe('fragment reassembly bounds', () => {
  it('drops the oldest incomplete datagram past the pending bound, and says so', () => {
    const r = new Reassembler('IPv4', { pendingBytes: 100, finishedBytes: 1000 });
    const chunk = new Uint8Array(60).fill(1);
    const a = at(chunk, 1);
    expect(r.add(a, { key: 'a', offset: 0, more: true, start: 0, end: 60 }).kind).toBe('partial');
    const b = at(chunk, 2);
    r.add(b, { key: 'b', offset: 0, more: true, start: 0, end: 60 });
    expect(b.issues.map((i) => i.message)).toEqual([
      'IPv4 reassembly memory bound (100 bytes) exceeded: dropped an incomplete datagram',
    ]);
    const done = r.add(at(chunk, 3), { key: 'b', offset: 60, more: false, start: 0, end: 60 });
    expect(done.kind === 'complete' && done.bytes.length).toBe(120);
    // The head of "a" was dropped: its tail alone cannot complete it.
    expect(r.add(at(chunk, 4), { key: 'a', offset: 60, more: false, start: 0, end: 60 }).kind).toBe(
      'partial',
    );
  });

  it('keeps finished datagrams for revisits within the bound and reports evictions', () => {
    const r = new Reassembler('IPv6', { pendingBytes: 1000, finishedBytes: 150 });
    const chunk = new Uint8Array(50).fill(2);
    const finish = (key: string, first: number) => {
      r.add(at(chunk, first), { key, offset: 0, more: true, start: 0, end: 50 });
      return r.add(at(chunk, first + 1), { key, offset: 50, more: false, start: 0, end: 50 });
    };
    expect(finish('x', 1).kind).toBe('complete');
    // Revisiting the completing frame returns the stored datagram, without collecting again.
    const again = r.add(at(chunk, 2, true), { key: 'x', offset: 50, more: false, start: 0, end: 50 });
    expect(again.kind).toBe('complete');
    const first = r.add(at(chunk, 1, true), { key: 'x', offset: 0, more: true, start: 0, end: 50 });
    expect(first.kind === 'partial' && first.reassembledIn).toBe(2);
    const p = at(chunk, 4);
    r.add(at(chunk, 3), { key: 'y', offset: 0, more: true, start: 0, end: 50 });
    expect(r.add(p, { key: 'y', offset: 50, more: false, start: 0, end: 50 }).kind).toBe('complete');
    expect(p.issues.some((i) => i.message.includes('dropped the oldest datagram'))).toBe(true);
    const evicted = at(chunk, 2, true);
    expect(r.add(evicted, { key: 'x', offset: 50, more: false, start: 0, end: 50 }).kind).toBe('partial');
    expect(evicted.issues[0]!.message).toContain('no longer cached');
  });
});
