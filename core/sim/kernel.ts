// The simulator's kernel: an event queue ordered by simulated time then insertion order (a binary
// heap), a seeded random source, and the event recorder. Nothing reads the wall clock, so the
// same topology, scenario and seed always give the same packets and events.
import type { Clock, SimEvent, SimTime, TimerHandle } from './stack';

interface Timer extends TimerHandle {
  time: SimTime;
  seq: number;
  fn: (() => void) | undefined;
}

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
  private heap: Timer[] = [];
  private seq = 0;
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
    const t: Timer = { id: ++this.seq, time: this.time + Math.max(0, delay), seq: this.seq, fn };
    this.push(t);
    return t;
  }

  /** Schedules at an absolute time (never in the past). */
  at(time: SimTime, fn: () => void): TimerHandle {
    return this.schedule(time - this.time, fn);
  }

  cancel(t: TimerHandle | undefined): void {
    if (t) (t as Timer).fn = undefined;
  }

  record(e: SimEvent): void {
    this.events.push(e);
    this.onEvent?.(e);
  }

  /** Runs events in order; returns the number executed. */
  run(limits: RunLimits = {}): number {
    const until = limits.until ?? Infinity;
    const max = limits.maxEvents ?? Infinity;
    let n = 0;
    const heap = this.heap;
    while (heap.length && n < max) {
      const top = heap[0]!;
      if (top.time > until) break;
      this.pop();
      const fn = top.fn;
      if (!fn) continue;
      top.fn = undefined;
      this.time = top.time;
      fn();
      n++;
    }
    // Stopped by `until` with work left: time stands at `until`. Drained: at the last event.
    if (until !== Infinity && until > this.time && heap.length && heap[0]!.time > until) this.time = until;
    this.executed += n;
    return n;
  }

  pending(): number {
    return this.heap.length;
  }

  private push(t: Timer): void {
    const h = this.heap;
    let i = h.length;
    h.push(t);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (p.time < t.time || (p.time === t.time && p.seq < t.seq)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = t;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (!h.length) return;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (h[r]!.time < h[l]!.time || (h[r]!.time === h[l]!.time && h[r]!.seq < h[l]!.seq))) c = r;
      const child = h[c]!;
      if (last.time < child.time || (last.time === child.time && last.seq < child.seq)) break;
      h[i] = child;
      i = c;
    }
    h[i] = last;
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
