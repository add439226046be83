// tshark 4.0's default one-line packet summary (tshark.c print_columns): No. right-aligned
// in at least 5, Time right-aligned in at least 10, Source right-aligned in at least 12,
// " → " between Source and Destination, Destination left-aligned in at least 12, then
// Protocol, Length and Info separated by single spaces.

function padLeft(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}
function padRight(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

/** Seconds with `digits` decimals from a signed nanosecond count (truncated like Wireshark). */
export function formatRelativeTime(ns: number, digits: number): string {
  const neg = ns < 0;
  const a = Math.round(Math.abs(ns));
  const sec = Math.floor(a / 1e9);
  const frac = a - sec * 1e9;
  let text = String(sec);
  if (digits > 0) {
    // The first `digits` of the nine fraction digits, by arithmetic (this runs per packet).
    const d = Math.min(digits, 9);
    const part = String(Math.floor(frac / POW10[9 - d]!));
    text += part.length < d ? '.' + '000000000'.slice(0, d - part.length) + part : '.' + part;
  }
  return neg && a !== 0 ? '-' + text : text;
}
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Decimal digits tshark shows for an interface's timestamp resolution ('1e-6' → 6). */
export function timeDigits(tsResolution: string | undefined): number {
  const m = /^1e-(\d+)$/.exec(tsResolution ?? '');
  if (m) return Math.min(9, Number(m[1]));
  const b = /^2\^-(\d+)$/.exec(tsResolution ?? '');
  // A binary resolution of 2^-n shows as many decimals as it resolves (2^-20 ≈ 1e-6).
  if (b) return Math.min(9, Math.ceil(Number(b[1]) * Math.log10(2)));
  return 6;
}

export function summaryLine(
  number: number,
  time: string,
  src: string,
  dst: string,
  protocol: string,
  length: number,
  info: string,
): string {
  return `${padLeft(String(number), 5)} ${padLeft(time, 10)} ${padLeft(src, 12)} → ${padRight(dst, 12)} ${protocol} ${length} ${info}\n`;
}
