// Parsing addresses from text (topology files, encoders' plain representations, filters).

/** `02:00:00:00:00:0a`, `02-00-…`, `0200.0000.000a` → 6 bytes; undefined when malformed. */
export function parseEther(text: string): Uint8Array | undefined {
  const hex = text.replace(/[:.-]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return undefined;
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Dotted quad → uint32; undefined when malformed. */
export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((x) => x > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

/** RFC 4291 §2.2 text (`fe80::1`, `::ffff:10.0.0.1`, zone `%eth0` ignored) → 16 bytes; undefined when malformed. */
export function parseIpv6(text: string): Uint8Array | undefined {
  let s = text.trim();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const words: number[] = [];
  // An embedded IPv4 tail (RFC 4291 §2.2 form 3) becomes two words.
  const lastColon = s.lastIndexOf(':');
  let v4Tail: number[] = [];
  if (lastColon >= 0 && s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    v4Tail = [v4 >>> 16, v4 & 0xffff];
    const prefix = s.slice(0, lastColon + 1);
    // `::1.2.3.4` keeps its `::`; `64:ff9b::1:1.2.3.4` drops the separating colon.
    s = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const part of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
      out.push(parseInt(part, 16));
    }
    return out;
  };
  const head = parseHalf(halves[0]!);
  const tail = halves.length === 2 ? parseHalf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  tail.push(...v4Tail);
  if (halves.length === 1) {
    head.push(...v4Tail);
    if (head.length !== 8) return undefined;
    words.push(...head);
  } else {
    const zeros = 8 - head.length - tail.length;
    if (zeros < 1) return undefined;
    words.push(...head, ...new Array<number>(zeros).fill(0), ...tail);
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i]! >>> 8;
    out[2 * i + 1] = words[i]! & 0xff;
  }
  return out;
}
