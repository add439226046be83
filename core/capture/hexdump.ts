// Hex-dump import (Wireshark's File → Import from Hex Dump, text2pcap): turns the dumps people
// paste into packets. Understood, one packet after another:
// - offset dumps: text2pcap / `od -Ax -tx1` (`000010 45 00 …  E..`), `tcpdump -xx`
//   (`0x0010:  4500 0054 …`, bytes grouped in words), Wireshark's "Copy as Hex Dump"; an offset
//   of 0 starts a new packet; the ASCII column and anything after the bytes is ignored; a
//   line without an offset (a caption, a comment) is skipped;
// - the textbook layout of seed 003: a caption line, then a row continued on a later line at
//   the same offset, indented to the column where the byte goes (`0000:` … `00 01`), and
//   characters written as quoted literals (`'c'':''\''q'`);
// - plain hex streams: consecutive lines of nothing but hex digits are one packet (as in
//   SEEDS.md); a blank or other line ends it.
// Wrong input is refused with the line (1-based) and what is wrong with it.

import { LINKTYPE } from './linktypes';
import { captureBytes } from './writer';

export class HexDumpError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'HexDumpError';
  }
}

export interface HexDumpPacket {
  bytes: Uint8Array;
  /** 1-based line where the packet starts. */
  line: number;
}

/** The most bytes one packet may have (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD). */
const MAX_PACKET = 262144;

/** An offset at the start of a line: `0010:`, `0x0010:`, `000010` (od), `0010  ` (text2pcap). */
const OFFSET = /^\s*(?:0x)?([0-9a-fA-F]{2,8})(?::|(?=\s))/;
/** A whole line of hex digits (a hex stream), possibly with spaces between byte pairs. */
const HEX_STREAM = /^\s*(?:[0-9a-fA-F]{2}\s*)+$/;

class Builder {
  readonly packets: HexDumpPacket[] = [];
  private bytes: number[] = [];
  private startLine = 0;
  /** Offset of the row the last offset line described, and where that line's bytes began. */
  private rowOffset = -1;
  private lineStart = 0;
  /** Bytes the last offset line contributed (so an ASCII column misread can be dropped). */
  private lastLineCount = 0;
  kind: 'none' | 'offset' | 'stream' = 'none';

  get position(): number {
    return this.bytes.length;
  }

  begin(line: number, kind: 'offset' | 'stream'): void {
    this.finish();
    this.startLine = line;
    this.kind = kind;
  }

  push(values: number[], line: number): void {
    if (this.bytes.length + values.length > MAX_PACKET)
      throw new HexDumpError(line, `the packet is longer than ${MAX_PACKET} bytes`);
    for (const v of values) this.bytes.push(v);
  }

  /** Places an offset line's bytes; `skipped` is how many byte columns its indentation leaves. */
  offsetLine(line: number, offset: number, skipped: number, values: number[]): void {
    const pos = this.position;
    if (this.kind !== 'offset' || (offset === 0 && skipped === 0 && pos > 0)) {
      this.begin(line, 'offset');
      if (offset !== 0)
        throw new HexDumpError(line, `a packet must start at offset 0, not 0x${offset.toString(16)}`);
    } else if (skipped > 0) {
      // A row continued on a later line (seed 003): the indentation says which byte comes next.
      if (offset + skipped !== pos)
        throw new HexDumpError(
          line,
          `the bytes are placed at offset 0x${(offset + skipped).toString(16)}, but the packet so far ends at 0x${pos.toString(16)}`,
        );
    } else if (offset < pos) {
      // text2pcap's rule: the previous line read too far (part of its ASCII column looked like
      // hex); the new offset says where its bytes really ended.
      if (offset < this.lineStart || pos - offset > this.lastLineCount)
        throw new HexDumpError(
          line,
          `offset 0x${offset.toString(16)} goes back before the previous line (0x${this.rowOffset.toString(16)})`,
        );
      this.bytes.length = offset;
    } else if (offset > pos) {
      throw new HexDumpError(
        line,
        `offset 0x${offset.toString(16)} leaves a gap: the packet so far ends at 0x${pos.toString(16)}`,
      );
    }
    this.rowOffset = offset;
    this.lineStart = this.position;
    this.lastLineCount = values.length;
    this.push(values, line);
  }

  finish(): void {
    if (this.kind !== 'none' && this.bytes.length > 0)
      this.packets.push({ bytes: Uint8Array.from(this.bytes), line: this.startLine });
    this.bytes = [];
    this.kind = 'none';
    this.rowOffset = -1;
    this.lineStart = 0;
    this.lastLineCount = 0;
  }
}

/**
 * Reads the bytes after an offset: hex bytes (`45`), words of whole bytes (`4500`), quoted
 * characters (`'c'`); stops at the first other token (the ASCII column, a caption).
 */
function readBytes(text: string, line: number): number[] {
  const out: number[] = [];
  // The first token sets the group width (2 digits, or tcpdump's 4-digit words); a longer token
  // is the ASCII column (`0123456789`), not bytes.
  let width = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === "'" && text[i + 2] === "'") {
      const code = text.charCodeAt(i + 1);
      if (code > 0xff) throw new HexDumpError(line, `the quoted character '${text[i + 1]}' is not one byte`);
      out.push(code);
      i += 3;
      continue;
    }
    let j = i;
    while (j < text.length && /[0-9a-fA-F]/.test(text[j]!)) j++;
    const token = text.slice(i, j);
    const after = text[j];
    const ends = after === undefined || after === ' ' || after === '\t' || after === "'";
    if (!token || token.length % 2 !== 0 || !ends || token.length > 4) break;
    if (width === 0) width = token.length;
    else if (token.length > width) break;
    for (let k = 0; k < token.length; k += 2) out.push(parseInt(token.slice(k, k + 2), 16));
    i = j;
  }
  return out;
}

/** Parses a dump into packets; throws HexDumpError naming the wrong line. */
export function parseHexDump(text: string): HexDumpPacket[] {
  const b = new Builder();
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const raw = lines[n]!;
    const line = raw.replace(/\s+$/, '');
    if (!line.trim()) {
      if (b.kind === 'stream') b.finish();
      continue;
    }
    // A hex stream line: only hex digit pairs. (An od/text2pcap line also starts with hex, but
    // has an offset column followed by bytes; a stream line has an even number of digits and,
    // unlike an offset line, no colon and usually no spaces. Decide by the previous state and
    // by shape: a line of 16 or more packed hex digits, or a continuation of a stream.)
    const packed = line.trim().replace(/\s+/g, '');
    const looksStream =
      HEX_STREAM.test(line) && packed.length % 2 === 0 && (b.kind === 'stream' || !/\s/.test(line.trim()));
    if (looksStream && !/:/.test(line) && (b.kind === 'stream' || packed.length >= 16)) {
      if (b.kind !== 'stream') b.begin(lineNo, 'stream');
      const values: number[] = [];
      for (let k = 0; k < packed.length; k += 2) values.push(parseInt(packed.slice(k, k + 2), 16));
      b.push(values, lineNo);
      continue;
    }
    if (b.kind === 'stream') b.finish();
    const m = OFFSET.exec(line);
    if (!m) continue; // a caption or comment line
    const offset = parseInt(m[1]!, 16);
    const rest = line.slice(m[0].length);
    // Indentation beyond the usual single separator: each byte column is 3 characters wide.
    const lead = /^[ \t]*/.exec(rest)![0].replace(/\t/g, '    ').length;
    const skipped = lead > 3 ? Math.round((lead - 1) / 3) : 0;
    const values = readBytes(rest, lineNo);
    if (values.length === 0 && skipped === 0) {
      // An offset alone (od's last line gives the total length): nothing to add.
      continue;
    }
    b.offsetLine(lineNo, offset, skipped, values);
  }
  b.finish();
  if (b.packets.length === 0) throw new HexDumpError(lines.length, 'no packet bytes were found in the dump');
  return b.packets;
}

/** A dump as capture bytes: one interface (Ethernet, or raw IP for `link: 'ip'`), packets
 * 1 µs apart from time 0, as text2pcap gives packets without a time. */
export function hexDumpToCapture(
  text: string,
  link: 'ether' | 'ip',
  format: 'pcap' | 'pcapng' = 'pcapng',
  opts: { gzip?: boolean } = {},
): { bytes: Uint8Array; packets: number } {
  const packets = parseHexDump(text);
  const linkType = link === 'ip' ? LINKTYPE.RAW : LINKTYPE.ETHERNET;
  const records = packets.map((p, i) => ({ tsSec: 0, tsNsec: i * 1000, data: p.bytes }));
  return {
    bytes: captureBytes(format, { linkType, name: 'hex-import' }, records, opts),
    packets: packets.length,
  };
}
