// The simulator's kernel: an event queue ordered by simulated time then insertion order (a binary
// heap), a seeded random source, and the event recorder. Nothing reads the wall clock, so the
// same topology, scenario and seed always give the same packets and events.
import type { Clock, SimEvent, SimTime, TimerHandle } from './stack';

interface Timer extends TimerHandle {
  /** Also the tie-break: timers due at the same time run in the order they were scheduled. */
  id: number;
  time: SimTime;
  fn: ((a: unknown, b: unknown) => void) | undefined;
  a: unknown;
  b: unknown;
  /** Scheduled by `post`: nobody holds it, so it is reused after it runs. */
  recycle: boolean;
}

/**
 * A binary min-heap of timers by (time, id). The keys live in typed arrays beside the timers,
 * so sifting compares numbers in contiguous memory and never dereferences a timer.
 */
class TimerHeap {
  private items: Timer[] = [];
  private times = new Float64Array(256);
  private ids = new Float64Array(256);

  get size(): number {
    return this.items.length;
  }

  /** The earliest time (the heap is not empty). */
  firstTime(): SimTime {
    return this.times[0]!;
  }

  push(t: Timer): void {
    const items = this.items;
    let i = items.length;
    if (i === this.times.length) this.grow();
    const times = this.times;
    const ids = this.ids;
    const time = t.time;
    const id = t.id;
    items.push(t);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && ids[parent]! < id)) break;
      items[i] = items[parent]!;
      times[i] = pt;
      ids[i] = ids[parent]!;
      i = parent;
    }
    items[i] = t;
    times[i] = time;
    ids[i] = id;
  }

  /** Removes and returns the earliest timer (the heap is not empty). */
  pop(): Timer {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    const n = items.length;
    if (!n) return top;
    const times = this.times;
    const ids = this.ids;
    const time = times[n]!;
    const id = ids[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (times[r]! < times[l]! || (times[r] === times[l] && ids[r]! < ids[l]!))) c = r;
      const ct = times[c]!;
      if (time < ct || (time === ct && id < ids[c]!)) break;
      items[i] = items[c]!;
      times[i] = ct;
      ids[i] = ids[c]!;
      i = c;
    }
    items[i] = last;
    times[i] = time;
    ids[i] = id;
    return top;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const ids = new Float64Array(this.ids.length * 2);
    times.set(this.times);
    ids.set(this.ids);
    this.times = times;
    this.ids = ids;
  }
}

/** Timers due within this much of the earliest one go to the near queue (see Kernel). */
const NEAR_WINDOW: SimTime = 1_000_000;

/** SplitMix32-style generator (Vigna's splitmix mixed down to 32 bits): small, fast, seedable. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform integer in [0, 2^32). */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** Uniform [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }
}

export interface RunLimits {
  /** Stop before events later than this time. */
  until?: SimTime;
  /** Stop after this many events (a guard against runaway scenarios). */
  maxEvents?: number;
}

export class Kernel implements Clock {
  // The event queue in two tiers (a two-rung ladder queue): `near` holds the timers due before
  // `horizon`, `far` the rest. Most timers are frame deliveries due microseconds from now and
  // stay in a small heap; TIME-WAIT and retransmission timers (seconds away, and often
  // cancelled) wait in `far` and are moved only when their time comes near, cancelled ones not
  // at all. Every near timer is earlier than every far one, so the order is one heap's order.
  private near = new TimerHeap();
  private far = new TimerHeap();
  private horizon: SimTime = 0;
  private lastId = 0;
  /** `post` timers that have run, for reuse. */
  private free: Timer[] = [];
  private time: SimTime = 0;
  readonly rng: Rng;
  /** When false, nobody builds explanation strings (the benchmark's hot path). */
  recording: boolean;
  readonly events: SimEvent[] = [];
  /** Called for each recorded event (live views, events.jsonl streaming). */
  onEvent: ((e: SimEvent) => void) | undefined;
  executed = 0;
  /** Frames put on a link (packet-hops), for throughput figures. */
  hops = 0;
  /** Wall-clock second that simulated time 0 stands for in capture timestamps (fixed, so
   * traces are reproducible): 2026-01-01T00:00:00Z. */
  epoch = 1_767_225_600;

  constructor(seed = 1, recording = true) {
    this.rng = new Rng(seed);
    this.recording = recording;
  }

  now(): SimTime {
    return this.time;
  }

  random(): number {
    return this.rng.next();
  }

  schedule(delay: SimTime, fn: () => void): TimerHandle {
    const t: Timer = {
      id: ++this.lastId,
      time: this.time + (delay > 0 ? delay : 0),
      fn,
      a: undefined,
      b: undefined,
      recycle: false,
    };
    this.enqueue(t);
    return t;
  }

  /**
   * Runs `fn(a, b)` after `delay`, for the hottest path (frame deliveries): the caller
   * allocates no closure, and as there is no handle (it cannot be cancelled) the timer is
   * reused once it has run.
   */
  post<A, B>(delay: SimTime, fn: (a: A, b: B) => void, a: A, b: B): void {
    const free = this.free;
    const time = this.time + (delay > 0 ? delay : 0);
    let t: Timer;
    if (free.length) {
      t = free.pop()!;
      t.id = ++this.lastId;
      t.time = time;
      t.fn = fn as (a: unknown, b: unknown) => void;
      t.a = a;
      t.b = b;
    } else t = { id: ++this.lastId, time, fn: fn as (a: unknown, b: unknown) => void, a, b, recycle: true };
    this.enqueue(t);
  }

  private enqueue(t: Timer): void {
    if (t.time < this.horizon) this.near.push(t);
    else this.far.push(t);
  }

  /** Schedules at an absolute time (never in the past). */
  at(time: SimTime, fn: () => void): TimerHandle {
    return this.schedule(time - this.time, fn);
  }

  cancel(t: TimerHandle | undefined): void {
    if (!t) return;
    const timer = t as Timer;
    timer.fn = undefined;
    timer.a = timer.b = undefined;
  }

  record(e: SimEvent): void {
    this.events.push(e);
    this.onEvent?.(e);
  }

  /** Runs events in order; returns the number executed. */
  run(limits: RunLimits = {}): number {
    const until = limits.until ?? Infinity;
    const max = limits.maxEvents ?? Infinity;
    const near = this.near;
    let n = 0;
    let reachedUntil = false;
    while (n < max) {
      if (!near.size && !this.refill()) break;
      const time = near.firstTime();
      if (time > until) {
        reachedUntil = true;
        break;
      }
      const t = near.pop();
      const fn = t.fn;
      if (!fn) continue;
      t.fn = undefined;
      this.time = time;
      fn(t.a, t.b);
      if (t.recycle) {
        t.a = t.b = undefined;
        this.free.push(t);
      }
      n++;
    }
    // Stopped by `until` with work left: time stands at `until`. Drained: at the last event.
    if (reachedUntil && until > this.time) this.time = until;
    this.executed += n;
    return n;
  }

  /** Timers waiting (cancelled ones included until their time). */
  pending(): number {
    return this.near.size + this.far.size;
  }

  /** The near queue is empty: moves the far timers of the next window into it. */
  private refill(): boolean {
    const far = this.far;
    while (far.size) {
      this.horizon = far.firstTime() + NEAR_WINDOW;
      while (far.size && far.firstTime() < this.horizon) {
        const t = far.pop();
        if (t.fn) this.near.push(t);
      }
      if (this.near.size) return true;
    }
    return false;
  }
}

/** `1.5s`, `200ms`, `10us`, `3ns`, or a number of seconds → nanoseconds. */
export function parseDuration(v: string | number): SimTime | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v * 1e9) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|ms|us|µs|ns|m|min)?\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const mult =
    unit === 'ns'
      ? 1
      : unit === 'us' || unit === 'µs'
        ? 1e3
        : unit === 'ms'
          ? 1e6
          : unit === 's'
            ? 1e9
            : 60e9;
  return Math.round(n * mult);
}

/** `1Gbps`, `100Mbps`, `10kbps`, `9600bps`, or a number of bits per second. */
export function parseBandwidth(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)(?:bps|bit\/s|b\/s)?\s*$/.exec(v);
  if (!m) return undefined;
  const mult = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2]!.toLowerCase()]!;
  return Number(m[1]) * mult;
}
