import { describe, expect, it } from 'vitest';
import { Device, Link, Port } from '../../../core/sim/device';
import { Kernel } from '../../../core/sim/kernel';

class Sink extends Device {
  got: { time: number; len: number }[] = [];
  receive(_p: Port, frame: Uint8Array): void {
    this.got.push({ time: this.kernel.now(), len: frame.length });
  }
}

function pair(opts: ConstructorParameters<typeof Link>[2], seed = 1) {
  const k = new Kernel(seed, true);
  const a = new Sink('a', 'host', k);
  const b = new Sink('b', 'host', k);
  const pa = new Port(a, 'eth0', new Uint8Array(6));
  const pb = new Port(b, 'eth0', new Uint8Array(6));
  const link = new Link([pa, pb], k, opts);
  return { k, a, b, pa, pb, link };
}

const frame = (n: number) => new Uint8Array(n);

describe('links', () => {
  it('delay plus serialisation time; back-to-back frames queue behind each other', () => {
    const { k, b, pa } = pair({ delay: 1_000_000, bandwidth: 10e6 });
    pa.send(frame(1500));
    pa.send(frame(1500));
    k.run();
    // 1500 bytes at 10 Mbit/s = 1.2 ms on the wire, then 1 ms of propagation.
    expect(b.got.map((g) => g.time)).toEqual([2_200_000, 3_400_000]);
  });

  it('drops at the tail when the queue is full, and counts it', () => {
    const { k, b, pa, link } = pair({ delay: 0, bandwidth: 1e6, queue: 3 });
    for (let i = 0; i < 5; i++) pa.send(frame(100));
    k.run();
    expect(b.got.length).toBe(3);
    expect(link.drops).toBe(2);
    expect(k.events.filter((e) => e.kind === 'drop' && /queue full/.test(e.text)).length).toBe(2);
  });

  it('loses frames at random, the same ones for the same seed', () => {
    const lost = (seed: number) => {
      const { k, b, pa } = pair({ loss: 0.3 }, seed);
      for (let i = 0; i < 200; i++) k.schedule(i * 1000, () => pa.send(frame(60 + (i % 10))));
      k.run();
      return b.got.map((g) => g.time);
    };
    const first = lost(7);
    expect(first.length).toBeGreaterThan(100);
    expect(first.length).toBeLessThan(180);
    expect(lost(7)).toEqual(first);
    expect(lost(8)).not.toEqual(first);
  });

  it('refuses frames above the MTU and carries nothing while down', () => {
    const { k, b, pa, link } = pair({ mtu: 1000 });
    expect(pa.send(frame(14 + 1001))).toBe(-1);
    link.up = false;
    expect(pa.send(frame(100))).toBe(-1);
    link.up = true;
    pa.send(frame(100));
    k.run();
    expect(b.got.length).toBe(1);
  });

  it('a shared segment delivers to every other end, one transmitter at a time', () => {
    const k = new Kernel(1);
    const devs = ['a', 'b', 'c'].map((n) => new Sink(n, 'host', k));
    const ports = devs.map((d) => new Port(d, 'eth0', new Uint8Array(6)));
    new Link(ports, k, { delay: 0, bandwidth: 8e6 });
    ports[0]!.send(frame(1000));
    ports[1]!.send(frame(1000));
    k.run();
    // 1000 bytes at 8 Mbit/s = 1 ms each; b's frame waits for a's to finish.
    expect(devs[2]!.got.map((g) => g.time)).toEqual([1_000_000, 2_000_000]);
    expect(devs[0]!.got.length).toBe(1);
    expect(devs[1]!.got.length).toBe(1);
  });
});
