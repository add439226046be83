// Addresses inside the simulator: IPv4 as unsigned 32-bit numbers (cheap to compare and mask on
// the hot path), IPv6 as 16 bytes, MACs as 6 bytes. Text only at the edges (YAML, output).
import { parseEther, parseIpv4, parseIpv6 } from '../dissect/address';
import { etherToString, ipv4ToString, ipv6ToString } from '../dissect/format';

export { parseEther, etherToString };
export const ip4 = parseIpv4;
export const ip4Text = ipv4ToString;
export const ip6 = parseIpv6;
export const ip6Text = (b: Uint8Array): string => ipv6ToString(b, 0);

export const BROADCAST_MAC = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
export const ZERO_MAC = new Uint8Array(6);

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function sameMac(a: Uint8Array, ao: number, b: Uint8Array): boolean {
  return (
    a[ao] === b[0] &&
    a[ao + 1] === b[1] &&
    a[ao + 2] === b[2] &&
    a[ao + 3] === b[3] &&
    a[ao + 4] === b[4] &&
    a[ao + 5] === b[5]
  );
}

export interface Cidr4 {
  family: 4;
  addr: number;
  prefix: number;
}
export interface Cidr6 {
  family: 6;
  addr: Uint8Array;
  prefix: number;
}
export type Cidr = Cidr4 | Cidr6;

/** `192.168.1.2/24`, `2001:db8::1/64`, `10.0.0.1` (a host: /32 or /128). */
export function parseCidr(text: string, defaultPrefix?: number): Cidr | undefined {
  const slash = text.indexOf('/');
  const a = slash < 0 ? text.trim() : text.slice(0, slash).trim();
  const p = slash < 0 ? undefined : text.slice(slash + 1).trim();
  if (p !== undefined && !/^\d{1,3}$/.test(p)) return undefined;
  if (a.includes(':')) {
    const addr = ip6(a);
    const prefix = p === undefined ? (defaultPrefix ?? 128) : Number(p);
    if (!addr || prefix > 128) return undefined;
    return { family: 6, addr, prefix };
  }
  const addr = ip4(a);
  const prefix = p === undefined ? (defaultPrefix ?? 32) : Number(p);
  if (addr === undefined || prefix > 32) return undefined;
  return { family: 4, addr, prefix };
}

export function cidrText(c: Cidr): string {
  return c.family === 4 ? `${ip4Text(c.addr)}/${c.prefix}` : `${ip6Text(c.addr)}/${c.prefix}`;
}

/** Does `addr` fall in `net`/`prefix` (IPv6)? */
export function inPrefix6(addr: Uint8Array, net: Uint8Array, prefix: number): boolean {
  let bits = prefix;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const m = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((addr[i]! & m) !== (net[i]! & m)) return false;
  }
  return true;
}

export function network6(addr: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(16);
  let bits = prefix;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    out[i] = addr[i]! & (bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff);
  }
  return out;
}

export function equal6(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** RFC 4291 §2.7.1: the solicited-node multicast address ff02::1:ffXX:XXXX. */
export function solicitedNode(addr: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[0] = 0xff;
  out[1] = 0x02;
  out[11] = 0x01;
  out[12] = 0xff;
  out[13] = addr[13]!;
  out[14] = addr[14]!;
  out[15] = addr[15]!;
  return out;
}

/** RFC 2464 §7: IPv6 multicast → 33:33 + the low 32 bits. */
export function multicastMac6(addr: Uint8Array): Uint8Array {
  return new Uint8Array([0x33, 0x33, addr[12]!, addr[13]!, addr[14]!, addr[15]!]);
}

/** RFC 1112 §6.4: IPv4 multicast → 01:00:5e + the low 23 bits. */
export function multicastMac4(addr: number): Uint8Array {
  return new Uint8Array([0x01, 0x00, 0x5e, (addr >>> 16) & 0x7f, (addr >>> 8) & 0xff, addr & 0xff]);
}

export function read32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

export function write32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

export function read16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

export function write16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

// Frames are allocated from 1 MiB slabs: a typed array of more than 64 bytes gets its own
// off-heap backing store in V8, which costs more than building the frame. Slabs are never
// reused, so new frames start zeroed (Ethernet padding) and old ones stay valid.
const SLAB = 1 << 20;
let slab = new Uint8Array(SLAB);
let slabUsed = 0;

/** A zeroed byte array of `n` bytes (its byteOffset is not 0: use subarray-safe code). */
export function alloc(n: number): Uint8Array {
  if (n > 16384) return new Uint8Array(n);
  if (slabUsed + n > SLAB) {
    slab = new Uint8Array(SLAB);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + n);
  slabUsed += (n + 7) & ~7;
  return out;
}
