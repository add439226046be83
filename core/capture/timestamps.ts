// Converting a pcapng timestamp (a 64-bit count of units, split into two 32-bit halves) to
// seconds + nanoseconds with exact integer arithmetic. The common resolutions (1e-6, 1e-9, and
// any 10^-k with k ≤ 9, or 2^-k with k ≤ 20) use numbers only; only odd ones fall back to BigInt.

/** An interface's timestamp resolution (pcapng §4.2, if_tsresol). */
export interface TsResolution {
  /** '1e-6', '2^-20' … */
  label: string;
  /** Units per second when it is a power of ten ≤ 1e9, else 0. */
  decimalUnits: number;
  /** k for 2^-k when k ≤ 20, else -1. */
  binaryShift: number;
  /** Units per second for the BigInt slow path. */
  unitsPerSecond: bigint;
}

const cache = new Map<number, TsResolution>();

/** if_tsresol: the high bit chooses base 2, the rest is the negative exponent (pcapng §4.2). */
export function tsResolution(code: number): TsResolution {
  let r = cache.get(code);
  if (r) return r;
  const exp = code & 0x7f;
  if (code & 0x80) {
    r = {
      label: `2^-${exp}`,
      decimalUnits: 0,
      binaryShift: exp <= 20 ? exp : -1,
      unitsPerSecond: 1n << BigInt(exp),
    };
  } else {
    r = {
      label: `1e-${exp}`,
      decimalUnits: exp <= 9 ? 10 ** exp : 0,
      binaryShift: -1,
      unitsPerSecond: 10n ** BigInt(exp),
    };
  }
  cache.set(code, r);
  return r;
}

export const MICROSECONDS = tsResolution(6);
export const NANOSECONDS = tsResolution(9);

/** Result slots reused by `convertTimestamp` so the hot path allocates nothing. */
export const converted = { sec: 0, nsec: 0 };

/** Sets `converted` to (high·2^32 + low) units of `res`, plus `offsetSec` seconds. */
export function convertTimestamp(high: number, low: number, res: TsResolution, offsetSec: number): void {
  const d = res.decimalUnits;
  if (d !== 0) {
    if (high < 0x200000) {
      // The value is below 2^53: one exact division.
      const v = high * 4294967296 + low;
      const sec = Math.floor(v / d);
      converted.sec = sec + offsetSec;
      converted.nsec = (v - sec * d) * (1e9 / d);
      return;
    }
    // Long division by d (< 2^30) in 16-bit limbs: every intermediate stays below 2^46.
    let rem = 0;
    let quotient = 0;
    for (let i = 0; i < 4; i++) {
      const limb = i === 0 ? high >>> 16 : i === 1 ? high & 0xffff : i === 2 ? low >>> 16 : low & 0xffff;
      const cur = rem * 65536 + limb;
      const q = Math.floor(cur / d);
      rem = cur - q * d;
      quotient = quotient * 65536 + q;
    }
    converted.sec = quotient + offsetSec;
    converted.nsec = rem * (1e9 / d);
    return;
  }
  const k = res.binaryShift;
  if (k >= 0) {
    const scale = 2 ** k;
    const frac = low % scale;
    converted.sec = high * (4294967296 / scale) + (low - frac) / scale + offsetSec;
    converted.nsec = Math.floor((frac * 1e9) / scale);
    return;
  }
  // Slow path: resolutions finer than 1 ns or 2^-20 s.
  const v = (BigInt(high) << 32n) | BigInt(low);
  const sec = v / res.unitsPerSecond;
  converted.sec = Number(sec) + offsetSec;
  converted.nsec = Number(((v - sec * res.unitsPerSecond) * 1_000_000_000n) / res.unitsPerSecond);
}

/** Units of `res` for a time, for writers: BigInt-free for µs and ns. */
export function timestampUnits(
  tsSec: number,
  tsNsec: number,
  nanosecond: boolean,
): { high: number; low: number } {
  const perSec = nanosecond ? 1e9 : 1e6;
  const frac = nanosecond ? tsNsec : Math.floor(tsNsec / 1000);
  // sec·perSec + frac split into 32-bit halves without exceeding 2^53 in any step.
  const secHigh = Math.floor(tsSec / 65536);
  const secLow = tsSec - secHigh * 65536;
  // value = secHigh·65536·perSec + secLow·perSec + frac
  const lowPart = secLow * perSec + frac; // < 2^16·1e9 ≈ 6.6e13
  const midPart = secHigh * perSec; // multiplied by 2^16 below
  // value = midPart·2^16 + lowPart
  const midHigh = Math.floor(midPart / 65536);
  const midLow = midPart - midHigh * 65536; // midPart = midHigh·2^16 + midLow
  // value = midHigh·2^32 + midLow·2^16 + lowPart
  const rest = midLow * 65536 + lowPart;
  const restHigh = Math.floor(rest / 4294967296);
  return { high: midHigh + restHigh, low: rest - restHigh * 4294967296 };
}
