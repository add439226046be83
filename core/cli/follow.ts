// `wirelens follow tcp|udp STREAM FILE [--format ascii|hex|raw|yaml]`: one stream's data as
// `tshark -q -z follow,PROTO,FORMAT,STREAM` prints it.
import { openCaptureFile } from '../capture';
import { followStream, formatFollowText, type FollowFormat, type FollowKind } from '../analysis/follow';
import { followHttp } from '../analysis/follow-http';
import { readHttpExchanges } from '../analysis/http-exchanges';
import { readerPackets } from '../analysis/packet-source';
import type { Output } from './output';
import { UsageError } from './usage';

export interface FollowOptions {
  protocol: FollowKind;
  stream: number;
  file: string;
  format: FollowFormat;
}

export const FOLLOW_HELP = `Usage: wirelens follow tcp|udp|http STREAM FILE [--format ascii|hex|raw|yaml]

Prints the data of TCP or UDP stream STREAM (tcp.stream / udp.stream) as
tshark -q -z follow,PROTO,FORMAT,STREAM does: a header with the two nodes (node 0 sent the
first packet), then each chunk of data in order, the server's indented by a tab. TCP data is
in sequence order without retransmitted bytes; bytes never captured show as
"[N bytes missing in capture file]". http: each HTTP message of TCP stream STREAM, its head
as sent and then its body with the chunked and content codings undone.

Options:
  --format ascii|hex|raw|yaml   ascii (default): length, then the text (non-printable as .);
                                hex: offsets, hex and text; raw: hex digits; yaml: base64
`;

const FORMATS: readonly FollowFormat[] = ['ascii', 'hex', 'raw', 'yaml'];

export function parseFollow(args: string[]): FollowOptions {
  let format: FollowFormat = 'ascii';
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(9) : args[++i];
      if (!FORMATS.includes(v as FollowFormat))
        throw new UsageError(`follow: --format must be ascii, hex, raw or yaml, not "${v ?? ''}"`);
      format = v as FollowFormat;
    } else if (a.startsWith('-') && a !== '-')
      throw new UsageError(`unknown option ${a} (see wirelens help follow)`);
    else rest.push(a);
  }
  if (rest.length !== 3)
    throw new UsageError('follow: give tcp|udp|http, a stream number and a capture file');
  const [protocol, stream, file] = rest as [string, string, string];
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'http')
    throw new UsageError(`follow: unknown protocol "${protocol}" (tcp, udp or http)`);
  if (!/^\d+$/.test(stream)) throw new UsageError(`follow: the stream must be a number, not "${stream}"`);
  return { protocol, stream: Number(stream), file, format };
}

export function followCommand(
  o: FollowOptions,
  out: Output,
): { damage?: { offset: number; reason: string } } {
  const reader = openCaptureFile(o.file);
  try {
    let r = followStream(readerPackets(reader), o.protocol === 'http' ? 'tcp' : o.protocol, o.stream);
    if (o.protocol === 'http') {
      // A second pass for the decoded bodies (the reader is opened again: one pass per use).
      const again = openCaptureFile(o.file);
      try {
        r = followHttp(r, readHttpExchanges(readerPackets(again)));
      } finally {
        again.close();
      }
    }
    out.write(formatFollowText(r, o.format));
    return reader.damage ? { damage: reader.damage } : {};
  } finally {
    reader.close();
  }
}
