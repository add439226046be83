// The `wirelens` command line: argument parsing, dispatch and error reporting.
// Exit status (like tshark): 0 on success (malformed packets are not errors); 2 for bad usage,
// an unreadable or not-a-capture file, and for a damaged file after printing the packets that
// could be read (tshark prints them, then "appears to have been cut short…", and exits 2);
// 1 with "internal error: …" for a bug. Never a stack trace.
import { CaptureError } from '../capture';
import pkg from '../../package.json';
import { DEFAULT_FIELDS_OPTIONS, applyFieldsOption } from './fields-output';
import { formatSummary, infoCommand } from './info';
import { HexDumpError } from '../capture/hexdump';
import { IMPORT_HEX_HELP, importHexCommand, parseImportHex } from './import-hex';
import { Output, PipeClosed } from './output';
import { readCommand, type ReadOptions } from './read';
import { parseStats, statsCommand, STATS_HELP } from './stats';
import { followCommand, FOLLOW_HELP, parseFollow } from './follow';
import { httpCommand, HTTP_HELP, parseHttp } from './http';
import { UsageError } from './usage';
import { GENERATE_HELP, generateCommand, parseGenerate } from './generate';
import { SIMULATE_HELP, parseSimulate, simulateCommand } from './simulate';
import { REPLAY_HELP, parseReplay, replayCommand } from './replay';
import { ROUTE_HELP, routeCommand } from './route';

const MAIN_HELP = `Wirelens ${pkg.version}: decode pcap/pcapng captures.

Usage: wirelens <command> [options] FILE

Commands:
  read FILE     print the packets (like tshark -r FILE)
  info FILE     summarise the capture (like capinfos)
  stats SPEC FILE  conversations, endpoints, protocol hierarchy, expert info, I/O (tshark -z)
  follow tcp|udp N FILE  one stream's data (tshark -z follow)
  http FILE     HTTP exchanges; --har OUT.har, --export-objects DIR
  import-hex DUMP -o OUT
                turn a hex dump into a capture (like text2pcap)
  generate PRESET|SCENARIO.yaml -o OUT.pcapng
                a trace from the network simulator (--list: the presets)
  simulate TOPOLOGY.yaml --scenario S.yaml --out DIR
                run a scenario: a pcapng per tap, events.jsonl, the commands' output
  replay CAPTURE --topology T.yaml|PRESET --out DIR
                drive a capture's datagrams through a simulated network (--map ADDR=NODE)
  route TOPOLOGY.yaml NODE DESTINATION
                the route a simulated node picks, and why
  help COMMAND  show a command's options

Options:
  -h, --help    show this help
  -v, --version show the version
`;

const READ_HELP = `Usage: wirelens read [options] FILE

Prints one line per packet (number, relative time, source → destination, protocol, length,
Info), spaced like tshark's default output.

Options:
  -r FILE            the capture to read (or give it as the last argument)
  -c N               stop after N packets
  -2                 two passes, like tshark -2: fields known only from later packets
                     (tcp.reassembled_in, http.response_in…) are filled in
  -V                 print the details tree of each packet
  -x                 print a hex dump of each packet's bytes
  -T text|fields|json
                     output format (default text)
  -e FIELD           a field to print with -T fields (repeat for more); also the column
                     fields _ws.col.No. _ws.col.Time _ws.col.Source _ws.col.Destination
                     _ws.col.Protocol _ws.col.Length _ws.col.Info (and 4.2's lower-case names)
  -E OPTION=VALUE    -T fields formatting: separator=/t|/s|C, header=y|n, quote=d|s|n,
                     occurrence=f|l|a|N, aggregator=/s|C
  -Y FILTER          display filter (Wireshark syntax): only matching packets are printed
                     and written; a bad filter exits 2 with the error under its position
  -w OUT             write the packets read to OUT (pcap or pcapng by its extension, .gz
                     compresses); -c is respected

Exit status: 0 on success; 2 for bad usage, an unreadable file or a damaged file (after
printing the packets before the damage); 1 for an internal error.
`;

const INFO_HELP = `Usage: wirelens info FILE

Summarises a capture like capinfos: format, encapsulations, packets, bytes, first/last time,
duration, data rate, interfaces with link types, comments and damage.
`;

function parseRead(args: string[]): ReadOptions {
  const o: ReadOptions = {
    file: '',
    verbose: false,
    hex: false,
    format: 'text',
    fields: [],
    fieldsOptions: { ...DEFAULT_FIELDS_OPTIONS },
  };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      // Accept both `-c 10` and `-c10`.
      if (a.length > 2 && !a.startsWith('--')) return a.slice(2);
      const v = args[++i];
      if (v === undefined) throw new UsageError(`option ${a} needs a value`);
      return v;
    };
    const flag = a.startsWith('--') ? a : a.slice(0, 2);
    switch (flag) {
      case '-r':
        files.push(value());
        break;
      case '-c': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`-c needs a packet count, not "${v}"`);
        o.count = Number(v);
        break;
      }
      case '-V':
        o.verbose = true;
        break;
      case '-x':
        o.hex = true;
        break;
      case '-T': {
        const v = value();
        if (v !== 'text' && v !== 'fields' && v !== 'json') {
          throw new UsageError(`unsupported output format "${v}" (-T text, fields or json)`);
        }
        o.format = v;
        break;
      }
      case '-e':
        o.fields.push(value());
        break;
      case '-E':
        applyFieldsOption(o.fieldsOptions, value());
        break;
      case '-w':
        o.writeTo = value();
        break;
      case '-Y':
        o.filter = value();
        break;
      case '-2':
        o.twoPass = true;
        break;
      case '-n':
        break; // name resolution is never done over the network anyway
      default:
        if (a.startsWith('-') && a !== '-')
          throw new UsageError(`unknown option ${a} (see wirelens help read)`);
        files.push(a);
    }
  }
  if (files.length !== 1)
    throw new UsageError(files.length ? 'give one capture file' : 'read: no capture file given');
  o.file = files[0]!;
  if (o.format === 'fields' && !o.fields.length)
    throw new UsageError('-T fields needs at least one -e FIELD');
  if (o.format !== 'fields' && o.fields.length) throw new UsageError('-e needs -T fields');
  return o;
}

export async function main(argv: string[]): Promise<number> {
  const out = new Output(1);
  let file: string | undefined;
  try {
    const [cmd, ...rest] = argv;
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
        out.write(MAIN_HELP);
        break;
      case 'help': {
        const topic = rest[0];
        if (topic === 'read') out.write(READ_HELP);
        else if (topic === 'info') out.write(INFO_HELP);
        else if (topic === 'stats') out.write(STATS_HELP);
        else if (topic === 'follow') out.write(FOLLOW_HELP);
        else if (topic === 'http') out.write(HTTP_HELP);
        else if (topic === 'import-hex') out.write(IMPORT_HEX_HELP);
        else if (topic === 'generate') out.write(GENERATE_HELP);
        else if (topic === 'simulate') out.write(SIMULATE_HELP);
        else if (topic === 'replay') out.write(REPLAY_HELP);
        else if (topic === 'route') out.write(ROUTE_HELP);
        else if (topic === undefined) out.write(MAIN_HELP);
        else throw new UsageError(`no help for "${topic}" (commands: read, info, stats)`);
        break;
      }
      case '-v':
      case '--version':
        out.write(`wirelens ${pkg.version}\n`);
        break;
      case 'read': {
        if (rest.includes('-h') || rest.includes('--help')) {
          out.write(READ_HELP);
          break;
        }
        const opts = parseRead(rest);
        file = opts.file;
        const r = readCommand(opts, out);
        out.flush();
        if (r.damage) {
          process.stderr.write(`wirelens: ${file}: ${r.damage.reason} (at byte ${r.damage.offset})\n`);
          return 2;
        }
        break;
      }
      case 'info': {
        if (rest.includes('-h') || rest.includes('--help')) {
          out.write(INFO_HELP);
          break;
        }
        if (rest.length !== 1) throw new UsageError('info: give one capture file');
        file = rest[0]!;
        const s = infoCommand(file);
        out.write(formatSummary(s));
        out.flush();
        if (s.damage) {
          process.stderr.write(`wirelens: ${file}: ${s.damage.reason} (at byte ${s.damage.offset})\n`);
          return 2;
        }
        break;
      }
      case 'import-hex': {
        if (rest.includes('-h') || rest.includes('--help')) {
          out.write(IMPORT_HEX_HELP);
          break;
        }
        const o = parseImportHex(rest);
        file = o.dump;
        const n = importHexCommand(o);
        process.stderr.write(`wirelens: wrote ${n} packet${n === 1 ? '' : 's'} to ${o.out}\n`);
        break;
      }
      case 'http': {
        if (rest.includes('-h') || rest.includes('--help')) {
          out.write(HTTP_HELP);
          break;
        }
        const opts = parseHttp(rest);
        file = opts.file;
        const r = httpCommand(opts, out);
        out.flush();
        if (r.damage) {
          process.stderr.write(`wirelens: ${file}: ${r.damage.reason} (at byte ${r.damage.offset})\n`);
          return 2;
        }
        break;
      }
      case 'follow': {
        if (rest.includes('-h') || rest.includes('--help')) {
          out.write(FOLLOW_HELP);
          break;
        }
        const opts = parseFollow(rest);
        file = opts.file;
        const r = followCommand(opts, out);
        out.flush();
        if (r.damage) {
          process.stderr.write(`wirelens: ${file}: ${r.damage.reason} (at byte ${r.damage.offset})\n`);
          return 2;
        }
        break;
      }
      case 'stats': {
        if (rest.includes('-h') || rest.includes('--help')) {
          out.write(STATS_HELP);
          break;
        }
        const opts = parseStats(rest);
        file = opts.file;
        const r = statsCommand(opts, out);
        out.flush();
        if (r.damage) {
          process.stderr.write(`wirelens: ${file}: ${r.damage.reason} (at byte ${r.damage.offset})\n`);
          return 2;
        }
        break;
      }
      case 'generate':
        if (rest.includes('-h') || rest.includes('--help')) out.write(GENERATE_HELP);
        else generateCommand(parseGenerate(rest), out);
        break;
      case 'simulate':
        if (rest.includes('-h') || rest.includes('--help')) out.write(SIMULATE_HELP);
        else simulateCommand(parseSimulate(rest), out);
        break;
      case 'replay': {
        if (rest.includes('-h') || rest.includes('--help')) {
          out.write(REPLAY_HELP);
          break;
        }
        const opts = parseReplay(rest);
        file = opts.capture;
        const r = replayCommand(opts, out);
        out.flush();
        if (r.damage) {
          process.stderr.write(
            `wirelens: ${file}: ${r.damage.reason} (at byte ${r.damage.offset}); replayed the datagrams before it\n`,
          );
          return 2;
        }
        break;
      }
      case 'route':
        if (rest.includes('-h') || rest.includes('--help')) out.write(ROUTE_HELP);
        else routeCommand(rest, out);
        break;
      default:
        throw new UsageError(`unknown command "${cmd}" (see wirelens --help)`);
    }
    out.flush();
    return 0;
  } catch (e) {
    if (e instanceof PipeClosed) return 0;
    try {
      out.flush();
    } catch {
      // output already closed: the error line still goes to stderr
    }
    if (e instanceof UsageError) {
      process.stderr.write(`wirelens: ${e.message}\n`);
      return 2;
    }
    if (e instanceof HexDumpError) {
      process.stderr.write(`wirelens: ${file ?? 'dump'}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CaptureError) {
      // The reader's messages name the file already (`x.pcap is empty (0 bytes)`).
      const named = file === undefined || e.message.startsWith(file);
      process.stderr.write(named ? `wirelens: ${e.message}\n` : `wirelens: ${file}: ${e.message}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`wirelens: internal error: ${msg}\n`);
    return 1;
  }
}
