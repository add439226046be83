// The Internet checksum (RFC 1071) and the pseudo-header sums TCP, UDP and ICMPv6 cover
// (RFC 793 §3.1 / RFC 768 for IPv4, RFC 8200 §8.1 for IPv6).
import { parseIpv4, parseIpv6 } from '../dissect/address';
import type { Dissection } from '../dissect/dissection';
import type { Field } from '../dissect/fields';
import { hex } from '../dissect/format';

/**
 * One's-complement sum of 16-bit big-endian words of `bytes[start, end)`, added to `initial`
 * and left unfolded (callers chain partial sums). An odd trailing byte is padded with zero
 * (RFC 1071 §4.1).
 */
export function onesComplementSum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  let sum = initial;
  let i = start;
  while (i + 1 < end) {
    // Blocks of at most 16 384 words, whose sum stays a small integer (< 2^30): the inner
    // loop does nothing but add; the total is folded between blocks if it grows large.
    const stop = Math.min(end - 1, i + 0x8000);
    let block = 0;
    for (; i < stop; i += 2) block += (bytes[i]! << 8) | bytes[i + 1]!;
    sum += block;
    if (sum > 0x7fffffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  }
  if (i < end) sum += bytes[i]! << 8;
  return sum;
}

/** Folds a one's-complement sum to 16 bits (end-around carry). */
export function foldSum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * The Internet checksum of `bytes[start, end)` plus an optional pseudo-header sum: the value to
 * put in the checksum field (with that field zeroed in `bytes`). Over a block that already holds
 * a correct checksum the result is 0, which is how receivers verify it.
 */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length, initialSum = 0): number {
  return ~foldSum(onesComplementSum(bytes, start, end, initialSum)) & 0xffff;
}

/** Address bytes from a Uint8Array or text (dotted quad / RFC 4291 text). */
function addressBytes(family: 4 | 6, addr: Uint8Array | string): Uint8Array {
  if (typeof addr !== 'string') return addr;
  if (family === 4) {
    const v = parseIpv4(addr);
    if (v === undefined) throw new Error(`bad IPv4 address: ${addr}`);
    return new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
  }
  const b = parseIpv6(addr);
  if (!b) throw new Error(`bad IPv6 address: ${addr}`);
  return b;
}

/**
 * Unfolded sum of the pseudo-header for an upper-layer checksum: source, destination, protocol
 * (next header) and upper-layer length. IPv4 (RFC 793 §3.1): 4+4 address bytes, zero, protocol,
 * 16-bit length. IPv6 (RFC 8200 §8.1): 16+16 address bytes, 32-bit length, 3 zero bytes, next
 * header. Both reduce to the same word sum, so the length is added as a 32-bit value.
 */
export function pseudoHeaderSum(
  netFamily: 4 | 6,
  src: Uint8Array | string,
  dst: Uint8Array | string,
  proto: number,
  length: number,
): number {
  const s = addressBytes(netFamily, src);
  const d = addressBytes(netFamily, dst);
  let sum = onesComplementSum(s) + onesComplementSum(d);
  sum += proto & 0xff;
  sum += (length >>> 16) & 0xffff;
  sum += length & 0xffff;
  return sum;
}

/**
 * The checksum value that would verify, from the stored value and the residue a receiver
 * computed over the message (residue = ~sum; the right field is ~(sum - stored), i.e.
 * stored + residue in one's complement).
 */
export function correctChecksum(stored: number, residue: number): number {
  const s = stored + residue;
  return ((s & 0xffff) + (s >>> 16)) & 0xffff;
}

/**
 * The checksum items of a message Wireshark verifies by default (ICMP, ICMPv6, IGMP):
 * `[correct]` with status Good, or `incorrect, should be 0x…` with status Bad and a
 * checksum-bad issue naming `protocolName`.
 */
export function addVerifiedChecksum(
  p: Dissection,
  f: { checksum: Field; checksumStatus: Field },
  at: number,
  stored: number,
  residue: number,
  protocolName: string,
): void {
  if (residue === 0) {
    p.add(f.checksum, at, 2, stored, `Checksum: 0x${hex(stored, 4)} [correct]`);
    p.addGenerated(f.checksumStatus, 1, 'Checksum Status: Good');
    return;
  }
  const should = correctChecksum(stored, residue);
  const item = p.add(
    f.checksum,
    at,
    2,
    stored,
    `Checksum: 0x${hex(stored, 4)} incorrect, should be 0x${hex(should, 4)}`,
  );
  if (item) item.severity = 'warn';
  p.addGenerated(f.checksumStatus, 0, 'Checksum Status: Bad');
  p.issue(
    'checksum-bad',
    'warn',
    `Bad ${protocolName} checksum 0x${hex(stored, 4)}, should be 0x${hex(should, 4)}`,
    at,
    at + 2,
  );
}
