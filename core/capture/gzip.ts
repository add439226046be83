// gzip-compressed captures (RFC 1952), recognised by their first two bytes 1f 8b. The whole
// stream is inflated into memory so that readPacketAt can find any record again; a stream that
// is cut short or corrupt yields the bytes that could be inflated plus a damage report.
import { constants, gunzipSync } from 'node:zlib';
import type { CaptureDamage } from './types';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface Inflated {
  bytes: Uint8Array;
  damage?: CaptureDamage;
}

export function inflateCapture(compressed: Uint8Array): Inflated {
  try {
    return { bytes: plain(gunzipSync(compressed)) };
  } catch (error) {
    const whole = partialInflate(compressed);
    if (whole) {
      return {
        bytes: whole,
        damage: {
          offset: whole.length,
          reason: `the gzip stream is cut short: only ${whole.length} bytes could be decompressed from ${compressed.length} compressed bytes (${(error as Error).message})`,
        },
      };
    }
    // Corrupt in the middle: find the longest prefix of the compressed bytes that still inflates.
    let good = 0;
    let lo = 0;
    let hi = compressed.length;
    let best: Uint8Array = new Uint8Array(0);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const out = partialInflate(compressed.subarray(0, mid));
      if (out) {
        lo = mid;
        good = mid;
        best = out;
      } else {
        hi = mid - 1;
      }
    }
    return {
      bytes: best,
      damage: {
        offset: best.length,
        reason: `the gzip stream is corrupt after ${good} of ${compressed.length} compressed bytes (${(error as Error).message}); ${best.length} bytes could be decompressed`,
      },
    };
  }
}

/** Inflates what it can of a stream that may end early; undefined if the data itself is bad. */
function partialInflate(compressed: Uint8Array): Uint8Array | undefined {
  try {
    return plain(gunzipSync(compressed, { finishFlush: constants.Z_SYNC_FLUSH }));
  } catch {
    return undefined;
  }
}

/** A plain Uint8Array view of a Buffer, so records look the same whatever their source. */
function plain(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
