// TFTP packets as plain data for the simulator (RFC 1350 §5, RFC 2347): `encodeTftp` and
// `parseTftp` for RRQ/WRQ (file, mode, options), DATA/ACK (block), ERROR and OACK.
export type TftpRepr =
  | { opcode: 1 | 2; file: string; mode: string; options?: [string, string][] }
  | { opcode: 3; block: number; data: Uint8Array }
  | { opcode: 4; block: number }
  | { opcode: 5; code: number; message: string }
  | { opcode: 6; options: [string, string][] };

function text(s: string): number[] {
  return [...Array.from(s, (c) => c.charCodeAt(0) & 0xff), 0];
}

export function encodeTftp(r: TftpRepr): Uint8Array {
  const out: number[] = [0, r.opcode];
  switch (r.opcode) {
    case 1:
    case 2:
      out.push(...text(r.file), ...text(r.mode));
      for (const [k, v] of r.options ?? []) out.push(...text(k), ...text(v));
      break;
    case 3:
    case 4:
      out.push((r.block >>> 8) & 0xff, r.block & 0xff);
      if (r.opcode === 3) out.push(...r.data);
      break;
    case 5:
      out.push((r.code >>> 8) & 0xff, r.code & 0xff, ...text(r.message));
      break;
    case 6:
      for (const [k, v] of r.options) out.push(...text(k), ...text(v));
      break;
  }
  return Uint8Array.from(out);
}

export function parseTftp(b: Uint8Array): TftpRepr | undefined {
  if (b.length < 2) return undefined;
  const opcode = (b[0]! << 8) | b[1]!;
  let o = 2;
  const str = (): string | undefined => {
    const z = b.indexOf(0, o);
    if (z < 0) return undefined;
    const s = String.fromCharCode(...b.subarray(o, z));
    o = z + 1;
    return s;
  };
  const opts = (): [string, string][] | undefined => {
    const list: [string, string][] = [];
    while (o < b.length) {
      const k = str();
      const v = str();
      if (k === undefined || v === undefined) return undefined;
      list.push([k, v]);
    }
    return list;
  };
  switch (opcode) {
    case 1:
    case 2: {
      const file = str();
      const mode = str();
      const options = opts();
      if (file === undefined || mode === undefined || !options) return undefined;
      return { opcode, file, mode, options };
    }
    case 3:
    case 4: {
      if (b.length < 4) return undefined;
      const block = (b[2]! << 8) | b[3]!;
      return opcode === 3 ? { opcode, block, data: b.slice(4) } : { opcode, block };
    }
    case 5: {
      if (b.length < 4) return undefined;
      o = 4;
      const message = str() ?? String.fromCharCode(...b.subarray(4));
      return { opcode, code: (b[2]! << 8) | b[3]!, message };
    }
    case 6: {
      const options = opts();
      return options ? { opcode, options } : undefined;
    }
    default:
      return undefined;
  }
}
