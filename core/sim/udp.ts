// UDP (RFC 768) for simulated hosts: sockets bound to a port (and optionally an address),
// ephemeral ports from 32768 as Linux allocates them, checksums always computed, and ICMP port
// unreachable when nothing listens (RFC 1122 §4.1.3.1).
import { encodeUdp } from '../protocols/udp';
import { parseIpv4, parseIpv6 } from '../dissect/address';
import { internetChecksum, pseudoHeaderSum } from '../protocols/checksum';
import type { IpDatagramInfo, IpLayer, UdpService, UdpSocket } from './stack';

interface Bound extends UdpSocket {
  localPort: number;
}

export class UdpStack implements UdpService {
  private sockets = new Map<number, Bound[]>();
  /** Address text → bytes for pseudo-header sums (text parsing per datagram is slow). */
  private bytesCache = new Map<string, Uint8Array>();
  private nextPort = 32768;

  constructor(private readonly ip: IpLayer) {
    ip.register(17, (payload, info) => this.input(payload, info));
  }

  bind(port: number, address?: string): UdpSocket {
    if (port === 0) {
      for (let i = 0; i < 28232; i++) {
        const p = this.nextPort;
        this.nextPort = this.nextPort >= 60999 ? 32768 : this.nextPort + 1;
        if (!this.sockets.has(p)) {
          port = p;
          break;
        }
      }
      if (port === 0) throw new Error('no free UDP port');
    } else if (
      this.sockets.get(port)?.some((s) => !address || !s.localAddress || s.localAddress === address)
    ) {
      throw new Error(`UDP port ${port} is already in use`);
    }
    const sockets = this.sockets;
    const ip = this.ip;
    const bytesOf = (t: string): Uint8Array => this.bytes(t);
    const sock: Bound = {
      localAddress: address ?? '',
      localPort: port,
      onMessage: undefined,
      send(dst, dstPort, payload, opts) {
        const src = opts?.src ?? (address || ip.sourceFor(dst));
        if (!src) {
          ip.emit({
            kind: 'drop',
            protocol: 'UDP',
            text: `${ip.node}: no route to ${dst}: UDP datagram not sent`,
          });
          return;
        }
        const seg = encodeUdp({ srcPort: port, dstPort, checksum: 0 }, payload, { src, dst });
        seg[6] = 0;
        seg[7] = 0;
        let ck = internetChecksum(
          seg,
          0,
          seg.length,
          pseudoHeaderSum(dst.includes(':') ? 6 : 4, bytesOf(src), bytesOf(dst), 17, seg.length),
        );
        // RFC 768: a computed zero is sent as all ones.
        if (ck === 0) ck = 0xffff;
        seg[6] = ck >> 8;
        seg[7] = ck & 0xff;
        ip.send({
          src,
          dst,
          protocol: 17,
          payload: seg,
          iface: opts?.iface,
          df: !dst.includes(':') && seg.length + 20 <= ip.mtuFor(dst),
        });
      },
      close() {
        const list = sockets.get(port);
        if (!list) return;
        const i = list.indexOf(sock);
        if (i >= 0) list.splice(i, 1);
        if (!list.length) sockets.delete(port);
      },
    };
    const list = this.sockets.get(port);
    if (list) list.push(sock);
    else this.sockets.set(port, [sock]);
    return sock;
  }

  private bytes(text: string): Uint8Array {
    let b = this.bytesCache.get(text);
    if (!b) {
      if (text.includes(':')) b = parseIpv6(text);
      else {
        const v = parseIpv4(text);
        b =
          v === undefined
            ? undefined
            : new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
      }
      if (!b) throw new Error(`bad address: ${text}`);
      if (this.bytesCache.size > 4096) this.bytesCache.clear();
      this.bytesCache.set(text, b);
    }
    return b;
  }

  private input(seg: Uint8Array, info: IpDatagramInfo): void {
    if (seg.length < 8) return;
    const dstPort = (seg[2]! << 8) | seg[3]!;
    const srcPort = (seg[0]! << 8) | seg[1]!;
    const len = (seg[4]! << 8) | seg[5]!;
    if (len < 8 || len > seg.length) return;
    const ck = (seg[6]! << 8) | seg[7]!;
    const fam = info.src.includes(':') ? 6 : 4;
    if (
      (ck !== 0 || fam === 6) &&
      internetChecksum(
        seg,
        0,
        len,
        pseudoHeaderSum(fam, this.bytes(info.src), this.bytes(info.dst), 17, len),
      ) !== 0
    ) {
      this.ip.emit({
        kind: 'drop',
        iface: info.iface,
        protocol: 'UDP',
        text: `${this.ip.node}: UDP checksum bad: dropped`,
      });
      return;
    }
    const list = this.sockets.get(dstPort);
    const sock = list?.find((s) => s.localAddress === info.dst) ?? list?.find((s) => !s.localAddress);
    if (!sock) {
      this.ip.emit({
        kind: 'icmp',
        iface: info.iface,
        protocol: 'UDP',
        text: `${this.ip.node}: no socket on UDP port ${dstPort} → ICMP port unreachable to ${info.src}`,
      });
      this.ip.unreachable(info, 3);
      return;
    }
    this.ip.emit({
      kind: 'udp',
      iface: info.iface,
      protocol: 'UDP',
      text: `${this.ip.node}: UDP ${info.src}:${srcPort} → ${info.dst}:${dstPort}, ${len - 8} bytes delivered`,
    });
    sock.onMessage?.(seg.subarray(8, len), { address: info.src, port: srcPort, iface: info.iface });
  }
}
