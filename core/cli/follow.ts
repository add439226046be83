// `wirelens follow tcp|udp STREAM FILE [--format ascii|hex|raw|yaml]`: one stream's data as
// `tshark -q -z follow,PROTO,FORMAT,STREAM` prints it.
import { openCaptureFile } from '../capture';
import { followStream, formatFollowText, type FollowFormat, type FollowProtocol } from '../analysis/follow';
import { readerPackets } from '../analysis/packet-source';
import type { Output } from './output';
import { UsageError } from './usage';

export interface FollowOptions {
  protocol: FollowProtocol;
  stream: number;
  file: string;
  format: FollowFormat;
}

export const FOLLOW_HELP = `Usage: wirelens follow tcp|udp STREAM FILE [--format ascii|hex|raw|yaml]

Prints the data of TCP or UDP stream STREAM (tcp.stream / udp.stream) as
tshark -q -z follow,PROTO,FORMAT,STREAM does: a header with the two nodes (node 0 sent the
first packet), then each chunk of data in order, the server's indented by a tab. TCP data is
in sequence order without retransmitted bytes; bytes never captured show as
"[N bytes missing in capture file]".

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
  if (rest.length !== 3) throw new UsageError('follow: give tcp|udp, a stream number and a capture file');
  const [protocol, stream, file] = rest as [string, string, string];
  if (protocol === 'http')
    throw new UsageError('follow http is not supported yet (HTTP exchanges are pending)');
  if (protocol !== 'tcp' && protocol !== 'udp')
    throw new UsageError(`follow: unknown protocol "${protocol}" (tcp or udp)`);
  if (!/^\d+$/.test(stream)) throw new UsageError(`follow: the stream must be a number, not "${stream}"`);
  return { protocol, stream: Number(stream), file, format };
}

export function followCommand(
  o: FollowOptions,
  out: Output,
): { damage?: { offset: number; reason: string } } {
  const reader = openCaptureFile(o.file);
  try {
    const r = followStream(readerPackets(reader), o.protocol, o.stream);
    out.write(formatFollowText(r, o.format));
    return reader.damage ? { damage: reader.damage } : {};
  } finally {
    reader.close();
  }
}
