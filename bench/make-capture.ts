// Builds the benchmark capture: about `target` packets of mixed, realistic traffic made with the
// protocol encoders (core/protocols): IPv4 TCP sessions (handshake, request, multi-segment
// response, ACKs, FIN exchange, some retransmissions), DNS-like UDP query/response, ICMP echo,
// ARP, IPv6 TCP and UDP, and some of it VLAN-tagged. Deterministic (seeded), so every run
// measures the same bytes. Usage: node make-capture.mjs OUT.pcap [packets]
import { createCaptureWriter } from '../core/capture';
import { encodeArp } from '../core/protocols/arp';
import { encodeEthernet } from '../core/protocols/eth';
import { encodeIcmp } from '../core/protocols/icmp';
import { encodeIpv4 } from '../core/protocols/ip';
import { encodeIpv6 } from '../core/protocols/ipv6';
import { encodeTcp, type TcpRepr } from '../core/protocols/tcp';
import { encodeUdp } from '../core/protocols/udp';
import { encodeVlan } from '../core/protocols/vlan';

const out = process.argv[2];
const target = Number(process.argv[3] ?? 1_000_000);
if (!out) throw new Error('usage: make-capture OUT.pcap [packets]');

// xorshift32: deterministic and fast.
let seed = 0x2545f491;
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}
const randInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const w = createCaptureWriter(out, 'pcap');
w.addInterface({ linkType: 1, snapLen: 262144 });
let count = 0;
let tNs = 1_700_000_000 * 1e9;

const payloadCache = new Map<number, Uint8Array>();
function payload(n: number): Uint8Array {
  let p = payloadCache.get(n);
  if (!p) {
    p = new Uint8Array(n);
    for (let i = 0; i < n; i++) p[i] = 0x20 + ((i * 7) % 90);
    payloadCache.set(n, p);
  }
  return p;
}

interface Host {
  mac: string;
  ip4: string;
  ip6: string;
}
const hosts: Host[] = [];
for (let i = 0; i < 64; i++) {
  const h = (i + 16).toString(16).padStart(2, '0');
  hosts.push({
    mac: `02:00:00:00:01:${h}`,
    ip4: `10.1.${i >> 4}.${(i & 15) + 10}`,
    ip6: `fd00:1::${i + 16}`,
  });
}
const servers: Host[] = [
  { mac: '02:00:00:00:02:01', ip4: '192.0.2.10', ip6: 'fd00:2::10' },
  { mac: '02:00:00:00:02:02', ip4: '192.0.2.20', ip6: 'fd00:2::20' },
  { mac: '02:00:00:00:02:03', ip4: '198.51.100.53', ip6: 'fd00:2::53' },
];

function emit(frame: Uint8Array, gapUs = randInt(5, 400)): void {
  tNs += gapUs * 1000;
  const sec = Math.floor(tNs / 1e9);
  w.writePacket({ interfaceId: 0, tsSec: sec, tsNsec: Math.round(tNs - sec * 1e9), data: frame });
  count++;
}

/** An Ethernet frame around an IP packet, VLAN-tagged when `vid` is given. */
function ethFrame(src: string, dst: string, type: number, body: Uint8Array, vid?: number): Uint8Array {
  if (vid === undefined) return encodeEthernet({ src, dst, type }, body);
  return encodeEthernet({ src, dst, type: 0x8100 }, encodeVlan({ vid, type }, body));
}

let ipId = 1;
function ip4(src: string, dst: string, protocol: number, body: Uint8Array): Uint8Array {
  ipId = (ipId + 1) & 0xffff;
  return encodeIpv4({ src, dst, protocol, ttl: 64, id: ipId, df: true }, body);
}

function tcpSession(c: Host, s: Host, v6: boolean, vid?: number): void {
  const cport = randInt(32768, 60999);
  const sport = v6 ? 8080 : randInt(0, 3) === 0 ? 80 : 443;
  let cseq = randInt(0, 2 ** 32 - 1);
  let sseq = randInt(0, 2 ** 32 - 1);
  const csrc = v6 ? c.ip6 : c.ip4;
  const sdst = v6 ? s.ip6 : s.ip4;
  const send = (fromClient: boolean, flags: TcpRepr['flags'], data: Uint8Array, opts = false) => {
    const repr: TcpRepr = {
      srcPort: fromClient ? cport : sport,
      dstPort: fromClient ? sport : cport,
      seq: (fromClient ? cseq : sseq) >>> 0,
      ack: flags.ack ? (fromClient ? sseq : cseq) >>> 0 : 0,
      flags,
      window: 64240,
      ...(opts
        ? {
            options: [
              { kind: 'mss' as const, value: 1460 },
              { kind: 'sackPerm' as const },
              { kind: 'wscale' as const, shift: 7 },
            ],
          }
        : {}),
    };
    const net = fromClient ? { src: csrc, dst: sdst } : { src: sdst, dst: csrc };
    const seg = encodeTcp(repr, data, net);
    const ip = v6
      ? encodeIpv6({ src: net.src, dst: net.dst, nextHeader: 6 }, seg)
      : ip4(net.src, net.dst, 6, seg);
    const [ms, md] = fromClient ? [c.mac, s.mac] : [s.mac, c.mac];
    emit(ethFrame(ms, md, v6 ? 0x86dd : 0x0800, ip, vid));
    return seg;
  };
  send(true, { syn: true }, payload(0), true);
  cseq++;
  send(false, { syn: true, ack: true }, payload(0), true);
  sseq++;
  send(true, { ack: true }, payload(0));
  const req = payload(randInt(80, 400));
  send(true, { psh: true, ack: true }, req);
  cseq += req.length;
  const segments = randInt(1, 6);
  for (let i = 0; i < segments; i++) {
    const data = payload(i === segments - 1 ? randInt(100, 1448) : 1448);
    send(false, { ack: true, ...(i === segments - 1 ? { psh: true } : {}) }, data);
    // About 2% of segments are retransmitted (same seq, later).
    if (rand() < 0.02) send(false, { ack: true }, data);
    sseq += data.length;
    if (i % 2 === 1 || i === segments - 1) send(true, { ack: true }, payload(0));
  }
  send(true, { fin: true, ack: true }, payload(0));
  cseq++;
  send(false, { fin: true, ack: true }, payload(0));
  sseq++;
  send(true, { ack: true }, payload(0));
}

function dns(c: Host, v6: boolean): void {
  const s = servers[2]!;
  const port = randInt(32768, 60999);
  const q = payload(randInt(30, 60));
  const r = payload(randInt(60, 200));
  const [cs, sd] = v6 ? [c.ip6, s.ip6] : [c.ip4, s.ip4];
  const mk = (from: string, to: string, sp: number, dp: number, body: Uint8Array) => {
    const udp = encodeUdp({ srcPort: sp, dstPort: dp }, body, { src: from, dst: to });
    return v6 ? encodeIpv6({ src: from, dst: to, nextHeader: 17 }, udp) : ip4(from, to, 17, udp);
  };
  emit(ethFrame(c.mac, s.mac, v6 ? 0x86dd : 0x0800, mk(cs, sd, port, 53, q)));
  emit(ethFrame(s.mac, c.mac, v6 ? 0x86dd : 0x0800, mk(sd, cs, 53, port, r)));
}

function ping(c: Host, s: Host, seq: number): void {
  const data = payload(56);
  emit(
    ethFrame(
      c.mac,
      s.mac,
      0x0800,
      ip4(c.ip4, s.ip4, 1, encodeIcmp({ type: 8, code: 0, identifier: 0x1234, sequence: seq }, data)),
    ),
  );
  emit(
    ethFrame(
      s.mac,
      c.mac,
      0x0800,
      ip4(s.ip4, c.ip4, 1, encodeIcmp({ type: 0, code: 0, identifier: 0x1234, sequence: seq }, data)),
    ),
  );
}

function arp(c: Host, s: Host): void {
  const req = encodeArp({
    opcode: 1,
    senderMac: c.mac,
    senderIp: c.ip4,
    targetMac: '00:00:00:00:00:00',
    targetIp: s.ip4,
  });
  emit(encodeEthernet({ src: c.mac, dst: 'ff:ff:ff:ff:ff:ff', type: 0x0806 }, req));
  const rep = encodeArp({ opcode: 2, senderMac: s.mac, senderIp: s.ip4, targetMac: c.mac, targetIp: c.ip4 });
  emit(encodeEthernet({ src: s.mac, dst: c.mac, type: 0x0806 }, rep));
}

let pingSeq = 0;
while (count < target) {
  const c = hosts[randInt(0, hosts.length - 1)]!;
  const s = servers[randInt(0, 1)]!;
  const pick = rand();
  if (pick < 0.55) tcpSession(c, s, false);
  else if (pick < 0.63) tcpSession(c, s, false, 10 + randInt(0, 3));
  else if (pick < 0.73) tcpSession(c, s, true);
  else if (pick < 0.87) dns(c, rand() < 0.3);
  else if (pick < 0.95) ping(c, s, ++pingSeq & 0xffff);
  else arp(c, s);
}
w.close();
console.log(`wrote ${count} packets to ${out}`);
