// Name resolution for link-layer addresses, as Wireshark's columns show them by default:
// `Broadcast`, or the vendor's short name plus the device part (`IntelCor_12:34:56`).
import { etherToString } from './format';
import { vendorShortName } from './manuf';

/**
 * Multicast ranges named by the standards that define them, as Wireshark's well-known address
 * list names them: the name plus the bytes past the prefix, leading zero bytes left out
 * (`IPv4mcast_16` for 01:00:5e:00:00:16, `IPv6mcast_ff:00:00:02`).
 */
const MULTICAST_RANGES: readonly { prefix: readonly number[]; bits: number; name: string }[] = [
  // RFC 2464 §7: 33:33 followed by the low 32 bits of the IPv6 group address.
  { prefix: [0x33, 0x33], bits: 16, name: 'IPv6mcast' },
  // RFC 1112 §6.4: 01:00:5e, a zero bit, then the low 23 bits of the IPv4 group address.
  { prefix: [0x01, 0x00, 0x5e], bits: 25, name: 'IPv4mcast' },
];

function multicastName(b: Uint8Array, off: number): string | undefined {
  if ((b[off]! & 1) === 0) return undefined;
  // The all-zero IPv6 group is the address neighbour discovery's solicited-node groups share.
  if (b[off] === 0x33 && b[off + 1] === 0x33 && !b[off + 2] && !b[off + 3] && !b[off + 4] && !b[off + 5])
    return 'IPv6-Neighbor-Discovery';
  for (const r of MULTICAST_RANGES) {
    if (!r.prefix.every((v, i) => b[off + i] === v)) continue;
    if (r.bits % 8 && b[off + (r.bits >> 3)]! >> (8 - (r.bits % 8)) !== 0) continue;
    let i = r.bits >> 3;
    while (i < 5 && b[off + i] === 0) i++;
    const rest: string[] = [];
    for (; i < 6; i++) rest.push(b[off + i]!.toString(16).padStart(2, '0'));
    return `${r.name}_${rest.join(':')}`;
  }
  return undefined;
}

/** The column text for a MAC address: resolved like Wireshark's default MAC resolution. */
export function resolveEther(b: Uint8Array, off = 0): string {
  let all = true;
  for (let i = 0; i < 6; i++) if (b[off + i] !== 0xff) all = false;
  if (all) return 'Broadcast';
  const well = multicastName(b, off);
  if (well) return well;
  const vendor = vendorShortName(((b[off]! << 16) | (b[off + 1]! << 8) | b[off + 2]!) >>> 0);
  const plain = etherToString(b, off);
  return vendor ? `${vendor}_${plain.slice(9)}` : plain;
}
