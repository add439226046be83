// Name resolution for link-layer addresses, as Wireshark's columns show them by default:
// `Broadcast`, or the vendor's short name plus the device part (`IntelCor_12:34:56`).
import { etherToString } from './format';
import { vendorShortName } from './manuf';

/** The column text for a MAC address: resolved like Wireshark's default MAC resolution. */
export function resolveEther(b: Uint8Array, off = 0): string {
  let all = true;
  for (let i = 0; i < 6; i++) if (b[off + i] !== 0xff) all = false;
  if (all) return 'Broadcast';
  const vendor = vendorShortName(((b[off]! << 16) | (b[off + 1]! << 8) | b[off + 2]!) >>> 0);
  const plain = etherToString(b, off);
  return vendor ? `${vendor}_${plain.slice(9)}` : plain;
}
