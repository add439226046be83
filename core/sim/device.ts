// Devices, their ports and the links between them (ns-3's Node / NetDevice / Channel). A link is
// point-to-point (two ends) or a shared segment (any number of ends, one transmitter at a time,
// like a bus). Frames are real bytes; a port may be tapped, which records what it sends and
// receives for a pcapng file, as tcpdump on that interface would.
import type { Kernel } from './kernel';
import type { SimEvent, SimEventKind, SimTime } from './stack';
import { etherToString, ip4Text, ip6Text, read16, read32 } from './addr';

/** One captured frame on a tapped port. */
export interface TapRecord {
  time: SimTime;
  data: Uint8Array;
}

export class Tap {
  readonly records: TapRecord[] = [];
  constructor(
    readonly port: Port,
    readonly sink: (tap: Tap, rec: TapRecord) => void,
  ) {}
  capture(time: SimTime, data: Uint8Array): number {
    const rec = { time, data };
    this.records.push(rec);
    this.sink(this, rec);
    return this.records.length;
  }
}

export class Port {
  link: Link | undefined;
  /** Administrative state (`ip link set dev X down`, `link R.eth1 down`). */
  up = true;
  /** Largest L3 payload this port sends (the link's MTU unless configured). */
  mtu = 1500;
  tap: Tap | undefined;
  /** Serialisation end times of frames queued on this port (point-to-point links). */
  txEnds: number[] = [];
  busyUntil = 0;
  drops = 0;
  /** Counters for `ifconfig` / `ip -s link`. */
  txPackets = 0;
  txBytes = 0;
  rxPackets = 0;
  rxBytes = 0;
  constructor(
    readonly device: Device,
    readonly name: string,
    public mac: Uint8Array,
  ) {}

  get fullName(): string {
    return `${this.device.name}.${this.name}`;
  }

  /** Puts a frame on the wire. Returns the frame's number in this port's tap (0 untapped),
   * or -1 when it was dropped (down, queue full, too big). */
  send(frame: Uint8Array): number {
    if (!this.link) {
      if (!this.up) return -1;
      // Unconnected: the frame is captured (tcpdump would see it) and goes nowhere.
      return this.tap ? this.tap.capture(this.device.kernel.now(), frame) : 0;
    }
    return this.link.transmit(this, frame);
  }
}

export abstract class Device {
  readonly ports = new Map<string, Port>();
  constructor(
    readonly name: string,
    readonly kind: 'host' | 'router' | 'switch' | 'hub',
    readonly kernel: Kernel,
  ) {}

  abstract receive(port: Port, frame: Uint8Array, packet: number): void;

  /** Records an event (callers check `kernel.recording` before building `text`). */
  note(
    kind: SimEventKind,
    iface: string | undefined,
    text: string,
    protocol?: string,
    packet?: number,
  ): void {
    const e: SimEvent = { time: this.kernel.now(), node: this.name, kind, text };
    if (iface !== undefined) e.iface = iface;
    if (protocol !== undefined) e.protocol = protocol;
    if (packet !== undefined && packet > 0) e.packet = packet;
    this.kernel.record(e);
  }

  /** Called when a port's link goes up or down. */
  linkChanged(_port: Port): void {}
}

export interface LinkOptions {
  delay?: SimTime;
  /** Bits per second; 0 = no serialisation time. */
  bandwidth?: number;
  mtu?: number;
  /** Probability a frame is lost, per receiver. */
  loss?: number;
  /** Frames waiting to be serialised per transmitter, beyond which frames are dropped. */
  queue?: number;
}

export class Link {
  up = true;
  readonly delay: SimTime;
  readonly bandwidth: number;
  readonly mtu: number;
  readonly loss: number;
  readonly queueLimit: number;
  drops = 0;
  lost = 0;
  /** More than two ends: a shared segment (a bus). */
  readonly shared: boolean;
  /** Shared segments serialise one frame at a time for all ends. */
  private sharedEnds: number[] = [];
  private sharedBusy = 0;

  constructor(
    readonly ends: Port[],
    readonly kernel: Kernel,
    opts: LinkOptions = {},
  ) {
    // Defaults like a short gigabit cable (a veth pair is faster still, but zero delays make
    // every round-trip time 0.000 ms).
    this.delay = opts.delay ?? 50_000;
    this.bandwidth = opts.bandwidth ?? 1e9;
    this.mtu = opts.mtu ?? 1500;
    this.loss = opts.loss ?? 0;
    this.queueLimit = opts.queue ?? 1000;
    this.shared = ends.length > 2;
    for (const p of ends) p.link = this;
  }

  get name(): string {
    return this.ends.map((p) => p.fullName).join(' — ');
  }

  transmit(from: Port, frame: Uint8Array): number {
    const k = this.kernel;
    const now = k.now();
    if (!this.up || !from.up) {
      from.drops++;
      if (k.recording)
        from.device.note('drop', from.name, `${from.fullName} is down: frame dropped`, frameProtocol(frame));
      return -1;
    }
    const tagged = frame.length >= 18 && frame[12] === 0x81 && frame[13] === 0x00;
    const l3 = frame.length - (tagged ? 18 : 14);
    if (l3 > this.mtu) {
      from.drops++;
      if (k.recording)
        from.device.note(
          'drop',
          from.name,
          `frame of ${l3} bytes exceeds the link MTU ${this.mtu}: dropped`,
          frameProtocol(frame),
        );
      return -1;
    }
    const ends = this.shared ? this.sharedEnds : from.txEnds;
    while (ends.length && ends[0]! <= now) ends.shift();
    if (ends.length >= this.queueLimit) {
      from.drops++;
      this.drops++;
      if (k.recording)
        from.device.note(
          'drop',
          from.name,
          `transmit queue full (${this.queueLimit} frames): tail drop`,
          frameProtocol(frame),
        );
      return -1;
    }
    const busy = this.shared ? this.sharedBusy : from.busyUntil;
    const start = busy > now ? busy : now;
    const end = this.bandwidth > 0 ? start + Math.ceil((frame.length * 8 * 1e9) / this.bandwidth) : start;
    if (this.shared) this.sharedBusy = end;
    else from.busyUntil = end;
    if (end > now) ends.push(end);
    k.hops++;
    from.txPackets++;
    from.txBytes += frame.length;
    const number = from.tap ? from.tap.capture(now, frame) : 0;
    const arrive = end + this.delay - now;
    for (const to of this.ends) {
      if (to === from) continue;
      if (this.loss > 0 && k.random() < this.loss) {
        this.lost++;
        if (k.recording)
          from.device.note(
            'drop',
            from.name,
            `lost on the link to ${to.fullName} (loss ${this.loss})`,
            frameProtocol(frame),
          );
        continue;
      }
      k.post(arrive, frameArrives, to, frame);
    }
    return number;
  }
}

/** A frame reaches the far end of its link (a kernel timer: no closure per frame). */
function frameArrives(to: Port, frame: Uint8Array): void {
  if (!to.link?.up || !to.up) return;
  to.rxPackets++;
  to.rxBytes += frame.length;
  const n = to.tap ? to.tap.capture(to.device.kernel.now(), frame) : 0;
  to.device.receive(to, frame, n);
}

/** The protocol name of a frame for the event list's filter. */
export function frameProtocol(frame: Uint8Array): string {
  let o = 12;
  let type = read16(frame, o);
  if (type === 0x8100 && frame.length >= 18) {
    o += 4;
    type = read16(frame, o);
  }
  const l3 = o + 2;
  if (type === 0x0806) return 'ARP';
  if (type === 0x0800) {
    const fragOff = read16(frame, l3 + 6) & 0x1fff;
    if (fragOff) return 'IPv4';
    const p = frame[l3 + 9];
    return p === 1 ? 'ICMP' : p === 6 ? 'TCP' : p === 17 ? 'UDP' : 'IPv4';
  }
  if (type === 0x86dd) {
    const p = frame[l3 + 6];
    return p === 58 ? 'ICMPv6' : p === 6 ? 'TCP' : p === 17 ? 'UDP' : 'IPv6';
  }
  return 'Ethernet';
}

/** A one-line description of a frame for events (built only when recording). */
export function describeFrame(frame: Uint8Array): string {
  let o = 12;
  let type = read16(frame, o);
  let vlan = '';
  if (type === 0x8100 && frame.length >= 18) {
    vlan = `VLAN ${read16(frame, 14) & 0xfff} `;
    o += 4;
    type = read16(frame, o);
  }
  const l3 = o + 2;
  const macs = `${etherToString(frame, 6)} → ${etherToString(frame, 0)}`;
  if (type === 0x0806 && frame.length >= l3 + 28) {
    const op = read16(frame, l3 + 6);
    const spa = ip4Text(read32(frame, l3 + 14));
    const tpa = ip4Text(read32(frame, l3 + 24));
    if (op === 1) return `${vlan}ARP who-has ${tpa} tell ${spa} (${macs})`;
    if (op === 2) return `${vlan}ARP ${spa} is-at ${etherToString(frame, l3 + 8)} (${macs})`;
    return `${vlan}ARP op ${op} (${macs})`;
  }
  if (type === 0x0800 && frame.length >= l3 + 20) {
    const src = ip4Text(read32(frame, l3 + 12));
    const dst = ip4Text(read32(frame, l3 + 16));
    const ttl = frame[l3 + 8]!;
    const p = frame[l3 + 9]!;
    const ihl = (frame[l3]! & 15) * 4;
    const frag = read16(frame, l3 + 6);
    const t = l3 + ihl;
    let what = `proto ${p}`;
    if (frag & 0x1fff) what = `fragment offset ${(frag & 0x1fff) * 8}`;
    else if (p === 1) what = `ICMP ${icmpName(frame[t]!, frame[t + 1]!)}`;
    else if (p === 17) what = `UDP ${read16(frame, t)} → ${read16(frame, t + 2)}`;
    else if (p === 6) what = `TCP ${read16(frame, t)} → ${read16(frame, t + 2)}`;
    return `${vlan}${src} → ${dst} ${what}, TTL ${ttl} (${macs})`;
  }
  if (type === 0x86dd && frame.length >= l3 + 40) {
    const src = ip6Text(frame.subarray(l3 + 8, l3 + 24));
    const dst = ip6Text(frame.subarray(l3 + 24, l3 + 40));
    const p = frame[l3 + 6]!;
    const t = l3 + 40;
    let what = `next header ${p}`;
    if (p === 58) what = `ICMPv6 ${icmp6Name(frame[t]!)}`;
    else if (p === 17) what = `UDP ${read16(frame, t)} → ${read16(frame, t + 2)}`;
    else if (p === 6) what = `TCP ${read16(frame, t)} → ${read16(frame, t + 2)}`;
    return `${vlan}${src} → ${dst} ${what}, hop limit ${frame[l3 + 7]} (${macs})`;
  }
  return `${vlan}ethertype 0x${type.toString(16).padStart(4, '0')} (${macs})`;
}

function icmpName(type: number, code: number): string {
  switch (type) {
    case 0:
      return 'echo reply';
    case 8:
      return 'echo request';
    case 3:
      return (
        [
          'net unreachable',
          'host unreachable',
          'protocol unreachable',
          'port unreachable',
          'fragmentation needed',
        ][code] ?? `unreachable code ${code}`
      );
    case 11:
      return 'time exceeded';
    default:
      return `type ${type}`;
  }
}

function icmp6Name(type: number): string {
  return (
    {
      1: 'destination unreachable',
      2: 'packet too big',
      3: 'time exceeded',
      128: 'echo request',
      129: 'echo reply',
      135: 'neighbor solicitation',
      136: 'neighbor advertisement',
    }[type] ?? `type ${type}`
  );
}
