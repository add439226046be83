// IP Authentication Header (RFC 4302), IP protocol 51: next header, payload length in 32-bit
// words minus 2 (§2.2), reserved, SPI, sequence number and the ICV; the protected payload is
// in the clear and is decoded by its next-header protocol.
import type { Dissection } from '../dissect/dissection';
import { hex } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { data } from './data';
import { IP_PROTOCOLS } from './ip';
import { mayEncapsulate } from './tunnel';

export const IP_PROTO_AH = 51;
const AH_FIXED = 12;

export const ah = defineProtocol({
  abbrev: 'ah',
  name: 'Authentication Header',
  short: 'AH',
  fields: {
    nextHeader: { abbrev: 'ah.next_header', name: 'Next header', type: 'uint8', vals: IP_PROTOCOLS },
    length: { abbrev: 'ah.length', name: 'Length', type: 'uint8' },
    reserved: { abbrev: 'ah.reserved', name: 'Reserved', type: 'bytes' },
    spi: { abbrev: 'ah.spi', name: 'AH SPI', type: 'uint32', base: 'hex' },
    sequence: { abbrev: 'ah.sequence', name: 'AH Sequence', type: 'uint32' },
    icv: { abbrev: 'ah.icv', name: 'AH ICV', type: 'bytes' },
  },
  dissect: dissectAh,
});

function dissectAh(p: Dissection, start: number, end: number): void {
  const f = ah.f;
  const next = p.u8(start);
  const lenWords = p.u8(start + 1);
  const total = (lenWords + 2) * 4;
  const spi = p.u32(start + 4);
  p.check(start, Math.max(AH_FIXED, total));
  p.setInfo(`AH (SPI=0x${hex(spi, 8)})`);
  // Over IPv6 the AH is an extension header (RFC 8200 §4.1) and tshark nests it in the IPv6 item.
  const below = p.protocols[p.protocols.length - 2];
  const last = p.roots[p.roots.length - 1];
  const parent = below === 'ipv6' && last?.field === 'ipv6' && (last.ds ?? 0) === p.ds ? last : undefined;
  p.open(parent);
  const item = p.add(ah.field, start, total);
  p.open(item);
  p.add(
    f.nextHeader,
    start,
    1,
    undefined,
    p.tree ? `Next header: ${IP_PROTOCOLS[next] ?? 'Unknown'} (${next})` : undefined,
  );
  p.add(f.length, start + 1, 1, undefined, `Length: ${lenWords} (${total} bytes)`);
  p.add(f.reserved, start + 2, 2);
  p.add(f.spi, start + 4, 4);
  p.add(f.sequence, start + 8, 4);
  if (total > AH_FIXED) p.add(f.icv, start + AH_FIXED, total - AH_FIXED);
  p.close(item);
  p.close(parent);
  const payload = start + Math.max(AH_FIXED, total);
  if (payload >= end || !mayEncapsulate(p, payload, end)) return;
  tables.ipProto.dispatchOrData(p, next, payload, end, data);
}

// ---- encoding ----

export interface AhRepr {
  nextHeader: number;
  spi: number;
  sequence: number;
  /** A multiple of 4 bytes long for IPv4, of 8 bytes in total for IPv6 (RFC 4302 §2.2). */
  icv: Uint8Array;
}

export function encodeAh(repr: AhRepr, payload: Uint8Array): Uint8Array {
  const hdr = AH_FIXED + repr.icv.length;
  const out = new Uint8Array(hdr + payload.length);
  const dv = new DataView(out.buffer);
  out[0] = repr.nextHeader;
  out[1] = hdr / 4 - 2;
  dv.setUint32(4, repr.spi >>> 0);
  dv.setUint32(8, repr.sequence >>> 0);
  out.set(repr.icv, AH_FIXED);
  out.set(payload, hdr);
  return out;
}

export function parseAh(bytes: Uint8Array): { repr: AhRepr; payload: Uint8Array } | undefined {
  if (bytes.length < AH_FIXED) return undefined;
  const hdr = (bytes[1]! + 2) * 4;
  if (hdr < AH_FIXED || hdr > bytes.length) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    repr: {
      nextHeader: bytes[0]!,
      spi: dv.getUint32(4),
      sequence: dv.getUint32(8),
      icv: bytes.subarray(AH_FIXED, hdr),
    },
    payload: bytes.subarray(hdr),
  };
}

tables.ipProto.register(IP_PROTO_AH, ah);
