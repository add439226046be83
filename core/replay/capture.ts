// Reading a capture for replay: every frame's IP datagram (a copy, cut to the IP header's own
// length so Ethernet padding and trailers are not replayed), its timing relative to the first
// datagram, and counts of what is not replayed (non-IP frames by protocol, damaged datagrams).
import '../protocols';
import type { CaptureDamage, CaptureReader } from '../capture/types';
import { Dissection, type FrameMeta } from '../dissect/dissection';
import { dissectPacket } from '../dissect/packet';
import { CaptureState } from '../dissect/state';
import { ip4Text, ip6Text, read16, read32 } from '../sim/addr';
import { findIpDatagram } from './link';

/** One captured IP datagram to replay. */
export interface CapturedDatagram {
  /** Frame number in the capture (1-based). */
  frame: number;
  /** Nanoseconds after the first datagram (capture time, before --speed). */
  offsetNs: number;
  family: 4 | 6;
  /** The datagram, header included, exactly as captured. */
  bytes: Uint8Array;
  src: string;
  dst: string;
  /** IPv4 protocol or IPv6 next header. */
  protocol: number;
  /** Transport ports (0 when there are none or this is a non-first fragment). */
  srcPort: number;
  dstPort: number;
  /** IPv4 identification (0 for IPv6). */
  id: number;
  /** IPv4 fragment offset in bytes and the payload length: which bytes of the original
   * datagram this one carries (offset 0 and the whole payload when not a fragment). */
  fragOffset: number;
  payloadLength: number;
  more: boolean;
}

export interface ReplayInput {
  datagrams: CapturedDatagram[];
  /** Frames read (replayed or not). */
  frames: number;
  /** Frames not replayed, by why: `ARP`, `LLDP`, `STP` (by protocol), `ICMPv6 neighbour
   * discovery` (the simulator resolves addresses itself), or a reason. */
  skipped: Map<string, number>;
  /** Where the capture is damaged (the frames before it are replayed). */
  damage?: CaptureDamage & { afterFrame: number };
  /** Whether --count stopped reading before the end. */
  countReached: boolean;
}

export interface ReadOptions {
  /** Read at most this many datagrams. */
  count?: number;
}

/** Names a non-IP frame by the protocol the dissector puts in the Protocol column. */
class FrameNamer {
  private state = new CaptureState();
  private d = new Dissection();
  name(meta: FrameMeta, data: Uint8Array): string {
    try {
      dissectPacket(meta, data, this.state, { tree: false, columns: true }, this.d);
      return this.d.cols.protocol || 'unknown';
    } catch {
      return 'unknown';
    }
  }
}

/** Checks an IPv4/IPv6 header in `data[start…)` and describes the datagram, or says why not. */
export function describeDatagram(
  family: 4 | 6,
  data: Uint8Array,
  start: number,
): Omit<CapturedDatagram, 'frame' | 'offsetNs'> | string {
  const avail = data.length - start;
  if (family === 4) {
    if (avail < 20) return 'IPv4 header cut short';
    const vihl = data[start]!;
    const ihl = (vihl & 15) * 4;
    if (vihl >> 4 !== 4 || ihl < 20) return 'malformed IPv4 header';
    const total = read16(data, start + 2);
    if (total < ihl) return 'malformed IPv4 header';
    if (total > avail) return 'IPv4 datagram cut short by the snapshot length';
    const bytes = data.slice(start, start + total);
    const flags = read16(bytes, 6);
    const fragOffset = (flags & 0x1fff) * 8;
    const protocol = bytes[9]!;
    const ports = fragOffset === 0 && (protocol === 6 || protocol === 17) && total >= ihl + 4;
    return {
      family,
      bytes,
      src: ip4Text(read32(bytes, 12)),
      dst: ip4Text(read32(bytes, 16)),
      protocol,
      srcPort: ports ? read16(bytes, ihl) : 0,
      dstPort: ports ? read16(bytes, ihl + 2) : 0,
      id: read16(bytes, 4),
      fragOffset,
      payloadLength: total - ihl,
      more: (flags & 0x2000) !== 0,
    };
  }
  if (avail < 40) return 'IPv6 header cut short';
  if (data[start]! >> 4 !== 6) return 'malformed IPv6 header';
  const plen = read16(data, start + 4);
  // A jumbogram (payload length 0 with a hop-by-hop option) is not replayed.
  if (plen === 0 && data[start + 6] === 0) return 'IPv6 jumbogram (not replayed)';
  if (40 + plen > avail) return 'IPv6 datagram cut short by the snapshot length';
  const protocol = data[start + 6]!;
  // Neighbour discovery is link-local control traffic, like ARP: the simulator does its own.
  const icmpType = plen > 0 ? data[start + 40]! : -1;
  if (protocol === 58 && icmpType >= 133 && icmpType <= 137) return 'ICMPv6 neighbour discovery';
  const bytes = data.slice(start, start + 40 + plen);
  const ports = (protocol === 6 || protocol === 17) && plen >= 4;
  return {
    family,
    bytes,
    src: ip6Text(bytes.subarray(8, 24)),
    dst: ip6Text(bytes.subarray(24, 40)),
    protocol,
    srcPort: ports ? read16(bytes, 40) : 0,
    dstPort: ports ? read16(bytes, 42) : 0,
    id: 0,
    fragOffset: 0,
    payloadLength: plen,
    more: false,
  };
}

/** Reads every record of `reader` (up to the damage, if any). */
export function readReplayInput(reader: CaptureReader, opts: ReadOptions = {}): ReplayInput {
  const out: ReplayInput = { datagrams: [], frames: 0, skipped: new Map(), countReached: false };
  const skip = (why: string): void => {
    out.skipped.set(why, (out.skipped.get(why) ?? 0) + 1);
  };
  const namer = new FrameNamer();
  let sec0: number | undefined;
  let nsec0 = 0;
  for (const r of reader.records()) {
    if (opts.count !== undefined && out.datagrams.length >= opts.count) {
      out.countReached = true;
      break;
    }
    out.frames++;
    const linkType = reader.info.interfaces[r.interfaceId]?.linkType ?? -1;
    const link = findIpDatagram(linkType, r.data);
    if (link.family === 0) {
      if (link.why) skip(link.why);
      else {
        const meta: FrameMeta = {
          number: out.frames,
          tsSec: r.tsSec,
          tsNsec: r.tsNsec,
          relativeNs: 0,
          deltaNs: 0,
          capLen: r.capLen,
          origLen: r.origLen,
          linkType,
          interfaceId: r.interfaceId,
        };
        skip(namer.name(meta, r.data));
      }
      continue;
    }
    const d = describeDatagram(link.family, r.data, link.start);
    if (typeof d === 'string') {
      skip(d);
      continue;
    }
    if (sec0 === undefined) {
      sec0 = r.tsSec;
      nsec0 = r.tsNsec;
    }
    out.datagrams.push({ frame: out.frames, offsetNs: (r.tsSec - sec0) * 1e9 + (r.tsNsec - nsec0), ...d });
  }
  if (reader.damage) out.damage = { ...reader.damage, afterFrame: out.frames };
  return out;
}
