// A learning switch (IEEE 802.1D §7.8 filtering database, 802.1Q VLANs) and a hub.
// The switch learns source MAC → port per VLAN, ages entries out, floods unknown unicast,
// multicast and broadcast to every other port of the VLAN, and forwards known unicast to the
// learned port only. Access ports carry one VLAN untagged; trunk ports carry tagged frames
// for their allowed VLANs and the native VLAN untagged.
import { Device, Port, describeFrame, frameProtocol } from './device';
import type { Kernel } from './kernel';
import { SECOND, type SimTime } from './stack';
import { etherToString, read32, write32 } from './addr';

export interface SwitchPortConfig {
  /** Access VLAN (default 1). */
  vlan?: number;
  /** Trunk: the tagged VLANs allowed. */
  trunk?: number[];
  /** Trunk: the VLAN carried untagged (default 1). */
  native?: number;
}

interface MacEntry {
  /** The MAC's first two bytes; `low` its last four. */
  high: number;
  low: number;
  port: Port;
  seen: SimTime;
  /** The next entry whose MAC has the same last four bytes. */
  next: MacEntry | undefined;
}

/**
 * One VLAN's filtering database. It is keyed by a MAC's last four bytes, a small integer (a
 * 48-bit key would be a boxed number per lookup, two lookups per frame); MACs that share them
 * are chained.
 */
class Fdb {
  private byLow = new Map<number, MacEntry>();

  get(frame: Uint8Array, at: number): MacEntry | undefined {
    const high = (frame[at]! << 8) | frame[at + 1]!;
    let e = this.byLow.get(read32(frame, at + 2) | 0);
    while (e && e.high !== high) e = e.next;
    return e;
  }

  add(frame: Uint8Array, at: number, port: Port, seen: SimTime): void {
    const low = read32(frame, at + 2) | 0;
    const high = (frame[at]! << 8) | frame[at + 1]!;
    this.byLow.set(low, { high, low, port, seen, next: this.byLow.get(low) });
  }

  delete(entry: MacEntry): void {
    const first = this.byLow.get(entry.low);
    if (first === entry) {
      if (entry.next) this.byLow.set(entry.low, entry.next);
      else this.byLow.delete(entry.low);
      return;
    }
    for (let e = first; e; e = e.next)
      if (e.next === entry) {
        e.next = entry.next;
        return;
      }
  }

  /** Every entry with its MAC. */
  *entries(): Generator<[Uint8Array, MacEntry]> {
    for (const first of this.byLow.values())
      for (let e: MacEntry | undefined = first; e; e = e.next) {
        const mac = new Uint8Array(6);
        mac[0] = e.high >> 8;
        mac[1] = e.high & 0xff;
        write32(mac, 2, e.low >>> 0);
        yield [mac, e];
      }
  }
}

export class SwitchPort extends Port {
  access = 1;
  trunk: Set<number> | undefined;
  native = 1;
  carries(vid: number): boolean {
    return this.trunk ? this.trunk.has(vid) || vid === this.native : vid === this.access;
  }
}

export class Switch extends Device {
  /** VLAN → filtering database. */
  readonly table = new Map<number, Fdb>();
  ageing: SimTime = 300 * SECOND;
  /** The VLAN of the last frame and its database (most frames are in the same VLAN). */
  private lastVid = -1;
  private lastFdb: Fdb | undefined;
  private portList: SwitchPort[] = [];

  constructor(name: string, kernel: Kernel) {
    super(name, 'switch', kernel);
  }

  addPort(name: string, mac: Uint8Array, cfg: SwitchPortConfig = {}): SwitchPort {
    const p = new SwitchPort(this, name, mac);
    if (cfg.trunk) {
      p.trunk = new Set(cfg.trunk);
      p.native = cfg.native ?? 1;
    } else p.access = cfg.vlan ?? 1;
    this.ports.set(name, p);
    this.portList.push(p);
    return p;
  }

  receive(port: Port, frame: Uint8Array, packet: number): void {
    if (frame.length < 14) return;
    const inPort = port as SwitchPort;
    const k = this.kernel;
    // Classify: which VLAN does the frame belong to?
    const tagged = frame[12] === 0x81 && frame[13] === 0x00 && frame.length >= 18;
    let vid: number;
    if (tagged) {
      vid = ((frame[14]! << 8) | frame[15]!) & 0x0fff;
      if (!inPort.trunk || !inPort.trunk.has(vid)) {
        if (k.recording)
          this.note(
            'drop',
            port.name,
            `tagged frame for VLAN ${vid} on a port that does not carry it: dropped`,
            frameProtocol(frame),
            packet,
          );
        return;
      }
    } else vid = inPort.trunk ? inPort.native : inPort.access;
    let fdb = vid === this.lastVid ? this.lastFdb : this.table.get(vid);
    if (!fdb) this.table.set(vid, (fdb = new Fdb()));
    this.lastVid = vid;
    this.lastFdb = fdb;
    const now = k.now();
    // Learn the source (never a group address: its I/G bit is set).
    if ((frame[6]! & 1) === 0) {
      const e = fdb.get(frame, 6);
      if (!e || e.port !== port || now - e.seen > this.ageing) {
        if (k.recording) {
          const moved =
            e && e.port !== port && now - e.seen <= this.ageing ? ` (moved from ${e.port.name})` : '';
          this.note(
            'learn',
            port.name,
            `${this.name}: learned ${etherToString(frame, 6)} on ${port.name}, VLAN ${vid}${moved}`,
            frameProtocol(frame),
            packet,
          );
        }
        if (e) {
          e.port = port;
          e.seen = now;
        } else fdb.add(frame, 6, port, now);
      } else e.seen = now;
    }
    const group = (frame[0]! & 1) === 1;
    if (!group) {
      const e = fdb.get(frame, 0);
      if (e && now - e.seen <= this.ageing) {
        if (e.port === port) {
          if (k.recording)
            this.note(
              'drop',
              port.name,
              `${this.name}: ${etherToString(frame, 0)} is on the arrival port ${port.name}: filtered`,
              frameProtocol(frame),
              packet,
            );
          return;
        }
        const out = e.port as SwitchPort;
        if (k.recording)
          this.note(
            'forward',
            out.name,
            `${this.name}: ${etherToString(frame, 0)} known on ${out.name} (VLAN ${vid}) → forwarded there only; ${describeFrame(frame)}`,
            frameProtocol(frame),
            packet,
          );
        this.egress(out, frame, tagged, vid);
        return;
      }
      if (e) fdb.delete(e);
    }
    const why = group
      ? (frame[0] & frame[1]! & frame[2]!) === 0xff
        ? 'broadcast'
        : 'multicast'
      : `unknown destination ${etherToString(frame, 0)}`;
    const outs: string[] = [];
    for (const p of this.portList) {
      if (p === port || !p.carries(vid)) continue;
      if (k.recording) outs.push(p.name);
      this.egress(p, frame, tagged, vid);
    }
    if (k.recording)
      this.note(
        'flood',
        port.name,
        `${this.name}: ${why} in VLAN ${vid} → flooded to ${outs.length ? outs.join(', ') : 'no other port'}`,
        frameProtocol(frame),
        packet,
      );
  }

  private egress(out: SwitchPort, frame: Uint8Array, tagged: boolean, vid: number): void {
    const wantTag = out.trunk !== undefined && vid !== out.native;
    if (wantTag === tagged) {
      out.send(frame);
    } else if (wantTag) {
      // Insert the 802.1Q tag after the MAC addresses.
      const f = new Uint8Array(frame.length + 4);
      f.set(frame.subarray(0, 12), 0);
      f[12] = 0x81;
      f[13] = 0x00;
      f[14] = (vid >> 8) & 0x0f;
      f[15] = vid & 0xff;
      f.set(frame.subarray(12), 16);
      out.send(f);
    } else {
      // Strip it; keep the 60-byte minimum (the padding Ethernet needs, RFC 894).
      const len = Math.max(60, frame.length - 4);
      const f = new Uint8Array(len);
      f.set(frame.subarray(0, 12), 0);
      f.set(frame.subarray(16), 12);
      out.send(f);
    }
  }

  /** `bridge fdb`-like lines for the inspector. */
  macTable(): string[] {
    const now = this.kernel.now();
    const lines: string[] = [];
    for (const [vid, fdb] of [...this.table].sort((a, b) => a[0] - b[0])) {
      for (const [mac, e] of fdb.entries()) {
        const age = now - e.seen;
        if (age > this.ageing) continue;
        lines.push(
          `${etherToString(mac, 0)} dev ${e.port.name} vlan ${vid} ageing ${(age / SECOND).toFixed(2)}s`,
        );
      }
    }
    return lines;
  }
}

export class Hub extends Device {
  constructor(name: string, kernel: Kernel) {
    super(name, 'hub', kernel);
  }
  addPort(name: string, mac: Uint8Array): Port {
    const p = new Port(this, name, mac);
    this.ports.set(name, p);
    return p;
  }
  receive(port: Port, frame: Uint8Array, packet: number): void {
    const outs: string[] = [];
    for (const p of this.ports.values()) {
      if (p === port) continue;
      if (this.kernel.recording) outs.push(p.name);
      p.send(frame);
    }
    if (this.kernel.recording)
      this.note(
        'flood',
        port.name,
        `${this.name}: hub repeats to ${outs.join(', ') || 'no other port'}`,
        frameProtocol(frame),
        packet,
      );
  }
}
