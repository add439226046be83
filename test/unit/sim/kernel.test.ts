import { describe, expect, it } from 'vitest';
import { Kernel, Rng, parseBandwidth, parseDuration } from '../../../core/sim/kernel';

describe('kernel', () => {
  it('runs events by time, then in the order they were scheduled', () => {
    const k = new Kernel(1);
    const seen: string[] = [];
    k.schedule(20, () => seen.push('b'));
    k.schedule(10, () => seen.push('a'));
    k.schedule(20, () => seen.push('c'));
    k.schedule(0, () => {
      seen.push('first');
      k.schedule(0, () => seen.push('after-first'));
    });
    k.run();
    expect(seen).toEqual(['first', 'after-first', 'a', 'b', 'c']);
    expect(k.now()).toBe(20);
  });

  it('keeps insertion order among many equal times (heap stability)', () => {
    const k = new Kernel(1);
    const seen: number[] = [];
    for (let i = 0; i < 500; i++) k.schedule((i % 7) * 10, () => seen.push(i));
    k.run();
    const expected = [...Array(500).keys()].sort((a, b) => (a % 7) - (b % 7) || a - b);
    expect(seen).toEqual(expected);
  });

  it('cancels timers and stops at `until`', () => {
    const k = new Kernel(1);
    const seen: number[] = [];
    const t = k.schedule(5, () => seen.push(5));
    k.schedule(10, () => seen.push(10));
    k.schedule(30, () => seen.push(30));
    k.cancel(t);
    k.run({ until: 20 });
    expect(seen).toEqual([10]);
    expect(k.now()).toBe(20);
    k.run();
    expect(seen).toEqual([10, 30]);
  });

  it('keeps (time, scheduling order) across its near and far queues, with cancels, posts and stops', () => {
    // Delays from nanoseconds to a minute cross the 1 ms near window both ways; events
    // schedule, post and cancel others while running; the run is cut by `until` and
    // `maxEvents`. Whatever ran must be in (time, scheduling order), and everything not
    // cancelled must run exactly once.
    const k = new Kernel(1);
    const rng = new Rng(99);
    const delays = [0, 1, 700, 50_000, 999_999, 1_000_000, 3_000_000, 200_000_000, 60_000_000_000];
    const ran: { time: number; order: number }[] = [];
    const handles: { order: number; handle: ReturnType<Kernel['schedule']> }[] = [];
    const cancelled = new Set<number>();
    let scheduled = 0;
    const add = (depth: number): void => {
      const order = ++scheduled;
      const delay = delays[rng.nextU32() % delays.length]!;
      const time = k.now() + delay;
      const body = (): void => {
        ran.push({ time, order });
        if (depth < 3) for (let i = rng.nextU32() % 3; i > 0; i--) add(depth + 1);
        if (handles.length && rng.nextU32() % 4 === 0) {
          const victim = handles[rng.nextU32() % handles.length]!;
          k.cancel(victim.handle);
          if (!ran.some((r) => r.order === victim.order)) cancelled.add(victim.order);
        }
      };
      if (rng.nextU32() % 2) k.post(delay, body, undefined, undefined);
      else handles.push({ order, handle: k.schedule(delay, body) });
    };
    for (let i = 0; i < 400; i++) add(0);
    k.run({ until: 2_000_000 });
    expect(k.now()).toBe(2_000_000);
    k.run({ maxEvents: 50 });
    k.run();
    for (let i = 1; i < ran.length; i++) {
      const [a, b] = [ran[i - 1]!, ran[i]!];
      expect(a.time < b.time || (a.time === b.time && a.order < b.order)).toBe(true);
    }
    const ranOrders = ran.map((r) => r.order);
    expect(new Set(ranOrders).size).toBe(ranOrders.length);
    expect(ranOrders.length + cancelled.size).toBe(scheduled);
    expect(k.pending()).toBe(0);
  });

  it('has a seeded random source: same seed, same sequence; another seed, another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(sa);
    const r = new Rng(7);
    for (let i = 0; i < 1000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('parses durations and bandwidths', () => {
    expect(parseDuration('1.5s')).toBe(1_500_000_000);
    expect(parseDuration('200ms')).toBe(200_000_000);
    expect(parseDuration('10us')).toBe(10_000);
    expect(parseDuration(2)).toBe(2_000_000_000);
    expect(parseDuration('fast')).toBeUndefined();
    expect(parseBandwidth('1Gbps')).toBe(1e9);
    expect(parseBandwidth('100Mbps')).toBe(1e8);
    expect(parseBandwidth('9600bps')).toBe(9600);
    expect(parseBandwidth('lots')).toBeUndefined();
  });
});
