// QUIC's variable-length integer (RFC 9000 §16), read by QUIC packets and frames and by the
// TLS quic_transport_parameters extension (RFC 9000 §18).
import type { Dissection } from '../dissect/dissection';

/** The integer at `o` of a dissection: value and size (values above 2^53 lose precision in
 * `value`; `exact` keeps them as a bigint for display and filters). */
export function varint(p: Dissection, o: number): { value: number; size: number; exact: number | bigint } {
  const first = p.u8(o);
  const size = 1 << (first >> 6);
  let v = first & 0x3f;
  let big = BigInt(v);
  for (let i = 1; i < size; i++) {
    const b = p.u8(o + i);
    v = v * 256 + b;
    big = (big << 8n) | BigInt(b);
  }
  return { value: v, size, exact: v > Number.MAX_SAFE_INTEGER ? big : v };
}

/** The integer at `o` of raw bytes (decrypted payloads), or undefined when it is cut short. */
export function varintAt(b: Uint8Array, o: number): { value: number; size: number } | undefined {
  if (o >= b.length) return undefined;
  const size = 1 << (b[o]! >> 6);
  if (o + size > b.length) return undefined;
  let v = b[o]! & 0x3f;
  for (let i = 1; i < size; i++) v = v * 256 + b[o + i]!;
  return { value: v, size };
}
