// DHCP/BOOTP messages as plain data for the simulator (RFC 2131 §2, RFC 2132): `encodeDhcp`
// builds the 236-byte header, the magic cookie and the options (End appended, padded to the
// 300-byte BOOTP minimum as most clients do); `parseDhcp` reads them back.
import { etherToString, ipv4ToString } from '../dissect/format';
import { parseEther, parseIpv4 } from '../dissect/address';

export interface DhcpOptionRepr {
  code: number;
  data: Uint8Array;
}

export interface DhcpRepr {
  /** 1 = BOOTREQUEST, 2 = BOOTREPLY. */
  op: number;
  xid: number;
  /** Client MAC address, `aa:bb:cc:dd:ee:ff`. */
  chaddr: string;
  htype?: number;
  hlen?: number;
  hops?: number;
  secs?: number;
  /** The broadcast flag (RFC 2131 §4.1). */
  broadcast?: boolean;
  ciaddr?: string;
  yiaddr?: string;
  siaddr?: string;
  giaddr?: string;
  sname?: string;
  file?: string;
  /** Options in order (without Pad/End); empty with `bootp` set means no magic cookie. */
  options?: DhcpOptionRepr[];
  /** Plain BOOTP: no magic cookie, 64 bytes of zero vendor area. */
  bootp?: boolean;
}

const MAGIC = [0x63, 0x82, 0x53, 0x63];
const MIN_BOOTP = 300;

export function encodeDhcp(repr: DhcpRepr): Uint8Array {
  const out: number[] = [];
  const u16 = (v: number) => out.push((v >>> 8) & 0xff, v & 0xff);
  const u32 = (v: number) => out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  const ip = (t: string | undefined) => u32(parseIpv4(t ?? '0.0.0.0') ?? 0);
  const text = (t: string | undefined, n: number) => {
    const b = Array.from((t ?? '').slice(0, n - 1), (c) => c.charCodeAt(0) & 0xff);
    out.push(...b, ...new Array<number>(n - b.length).fill(0));
  };
  out.push(repr.op, repr.htype ?? 1, repr.hlen ?? 6, repr.hops ?? 0);
  u32(repr.xid);
  u16(repr.secs ?? 0);
  u16(repr.broadcast ? 0x8000 : 0);
  ip(repr.ciaddr);
  ip(repr.yiaddr);
  ip(repr.siaddr);
  ip(repr.giaddr);
  const mac = parseEther(repr.chaddr) ?? new Uint8Array(6);
  out.push(...mac, ...new Array<number>(16 - mac.length).fill(0));
  text(repr.sname, 64);
  text(repr.file, 128);
  if (repr.bootp) {
    out.push(...new Array<number>(64).fill(0));
    return Uint8Array.from(out);
  }
  out.push(...MAGIC);
  for (const o of repr.options ?? []) {
    if (o.data.length > 255) throw new RangeError(`DHCP option ${o.code} longer than 255 bytes`);
    out.push(o.code, o.data.length, ...o.data);
  }
  out.push(255);
  while (out.length < MIN_BOOTP) out.push(0);
  return Uint8Array.from(out);
}

export function parseDhcp(b: Uint8Array): DhcpRepr | undefined {
  if (b.length < 236) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ip = (o: number) => ipv4ToString(dv.getUint32(o));
  const str = (o: number, n: number) => {
    const s = b.subarray(o, o + n);
    const z = s.indexOf(0);
    return String.fromCharCode(...(z < 0 ? s : s.subarray(0, z)));
  };
  const repr: DhcpRepr = {
    op: b[0]!,
    htype: b[1]!,
    hlen: b[2]!,
    hops: b[3]!,
    xid: dv.getUint32(4),
    secs: dv.getUint16(8),
    broadcast: (dv.getUint16(10) & 0x8000) !== 0,
    ciaddr: ip(12),
    yiaddr: ip(16),
    siaddr: ip(20),
    giaddr: ip(24),
    chaddr: etherToString(b, 28),
    sname: str(44, 64),
    file: str(108, 128),
    options: [],
  };
  if (b.length < 240 || dv.getUint32(236) !== 0x63825363) {
    repr.bootp = true;
    return repr;
  }
  for (let o = 240; o < b.length;) {
    const code = b[o]!;
    if (code === 255) break;
    if (code === 0) {
      o++;
      continue;
    }
    if (o + 2 > b.length) return undefined;
    const len = b[o + 1]!;
    if (o + 2 + len > b.length) return undefined;
    repr.options!.push({ code, data: b.slice(o + 2, o + 2 + len) });
    o += 2 + len;
  }
  return repr;
}
