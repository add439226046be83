// `wirelens import-hex DUMP.txt -o OUT.pcapng [--link ether|ip]`: text2pcap for the dumps
// people paste (core/capture/hexdump.ts says which layouts are understood).
import { readFileSync, writeFileSync } from 'node:fs';
import { formatForPath } from '../capture';
import { hexDumpToCapture } from '../capture/hexdump';
import { UsageError, withValues } from './usage';

export const IMPORT_HEX_HELP = `Usage: wirelens import-hex DUMP.txt -o OUT.pcapng [--link ether|ip]

Turns a hex dump into a capture, like text2pcap and Wireshark's Import from Hex Dump. Reads
text2pcap / od -Ax -tx1 / tcpdump -xx dumps (an offset, then hex bytes; ASCII columns and
captions are ignored; an offset of 0 starts a new packet), dumps laid out like the TCP/IP
textbook's (rows continued at the same offset, quoted characters such as 'c'), and plain hex
streams (consecutive lines of hex digits make one packet).

Options:
  -o OUT          the capture to write (pcapng, or pcap by its extension; .gz compresses)
  --link ether|ip what the bytes start with: an Ethernet header (default) or an IP header
`;

export interface ImportHexOptions {
  dump: string;
  out: string;
  link: 'ether' | 'ip';
}

export function parseImportHex(args: string[]): ImportHexOptions {
  let out = '';
  let link: 'ether' | 'ip' = 'ether';
  const files: string[] = [];
  for (const [a, value] of withValues(args)) {
    if (a === '-o' || a === '-w') out = value();
    else if (a === '--link' || a === '-l') {
      const v = value();
      if (v !== 'ether' && v !== 'ip') throw new UsageError(`--link must be ether or ip, not "${v}"`);
      link = v;
    } else if (a.startsWith('-') && a !== '-')
      throw new UsageError(`unknown option ${a} (see wirelens help import-hex)`);
    else files.push(a);
  }
  if (files.length !== 1) throw new UsageError('import-hex: give one dump file');
  if (!out) throw new UsageError('import-hex: give the output capture with -o OUT.pcapng');
  return { dump: files[0]!, out, link };
}

/** Writes the capture; returns the number of packets. Timestamps are 0 s, 1 µs, 2 µs… as
 * text2pcap gives packets without a time. */
export function importHexCommand(o: ImportHexOptions): number {
  let text: string;
  try {
    text = readFileSync(o.dump, 'utf8');
  } catch (e) {
    throw new UsageError(`${o.dump} cannot be read: ${(e as Error).message}`);
  }
  // pcapng unless the name asks for classic pcap (`.pcap`, `.cap`).
  const { format, gzip } = formatForPath(o.out);
  const pcap = format === 'pcap' && /\.(pcap|cap)(\.gz)?$/i.test(o.out);
  const capture = hexDumpToCapture(text, o.link, pcap ? 'pcap' : 'pcapng', { gzip });
  try {
    writeFileSync(o.out, capture.bytes);
  } catch (e) {
    throw new UsageError(`${o.out} cannot be written: ${(e as Error).message}`);
  }
  return capture.packets;
}
