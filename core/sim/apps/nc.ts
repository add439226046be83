// `nc` (OpenBSD netcat) with TCP: `[echo TEXT | head -c N /dev/zero |] nc [-N] [-O MSS] [-I RCVBUF]
// HOST PORT` connects, sends stdin, half-closes after it with -N, prints what comes back and
// exits when the peer closes. `-u` keeps the UDP behaviour of the built-in (core/sim/commands.ts),
// which this registration replaces. The simulator maps -O to the MSS and -I to the receive buffer
// so the sliding-window preset (SEEDS.md scenario 7) can set both. Plus the `discard` service
// (RFC 863) with a slow reader: `discard: { port, mss, receiveBuffer, read: { bytes, every } }`.
import { ncUdp, registerCommand, type SimCommandContext } from '../commands';
import { parseDuration } from '../kernel';
import { registerService } from '../services';
import { type CommandContext, type HostServices, type TcpConnection, type TcpOptions } from '../stack';

const dec = new TextDecoder();

function latin1(text: string): Uint8Array {
  const b = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i) & 0xff;
  return b;
}

export function nc(args: string[], ctx: CommandContext): void {
  let udp = false;
  let wait = 0;
  let srcPort = 0;
  let shutdownOnEof = false;
  const opts: TcpOptions = {};
  const pos: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-u') udp = true;
    else if (a.startsWith('-w')) wait = Number(a.length > 2 ? a.slice(2) : args[++i]);
    else if (a.startsWith('-p')) srcPort = Number(a.length > 2 ? a.slice(2) : args[++i]);
    else if (a === '-N') shutdownOnEof = true;
    else if (a === '-O') opts.mss = Number(args[++i]);
    else if (a === '-I') opts.receiveBuffer = Number(args[++i]);
    else if (a === '-n' || a === '-v') continue;
    else pos.push(a);
  }
  const [dst, port] = pos;
  if (!dst || !port) {
    ctx.print('usage: nc [-u] [-N] [-w SECS] [-p PORT] [-O MSS] [-I RCVBUF] HOST PORT');
    ctx.exit(1);
    return;
  }
  const stdin = (ctx as SimCommandContext).stdin ?? '';
  if (udp) {
    ncUdp(ctx, ctx.host, dst, Number(port), srcPort, wait);
    return;
  }
  let c: TcpConnection;
  try {
    c = ctx.host.tcp.connect(dst, Number(port), opts);
  } catch (e) {
    ctx.print(`nc: connect to ${dst} port ${port} (tcp) failed: ${(e as Error).message}`);
    ctx.exit(1);
    return;
  }
  let done = false;
  c.onConnect = () => {
    if (stdin) c.write(latin1(stdin));
    if (shutdownOnEof) c.end();
  };
  c.onData = (d) => {
    const text = dec.decode(d).replace(/\n$/, '');
    if (text) ctx.print(text);
  };
  c.onEnd = () => {
    if (c.state === 'CLOSE-WAIT') c.end();
  };
  c.onClose = (err) => {
    if (done) return;
    done = true;
    if (err) ctx.print(`nc: connect to ${dst} port ${port} (tcp) failed: ${err}`);
    ctx.exit(err ? 1 : 0);
  };
}

registerCommand('nc', nc);

interface Reader extends TcpConnection {
  autoRead: boolean;
  read(max: number): number;
}

export function startDiscard(host: HostServices, raw: unknown): void {
  const cfg = (raw ?? {}) as {
    port?: number;
    mss?: number;
    receiveBuffer?: number;
    read?: { bytes?: number; every?: string | number };
  };
  const opts: TcpOptions = {};
  if (cfg.mss) opts.mss = cfg.mss;
  if (cfg.receiveBuffer) opts.receiveBuffer = cfg.receiveBuffer;
  const slow = cfg.read?.bytes !== undefined;
  const every =
    cfg.read?.every !== undefined ? (parseDuration(String(cfg.read.every)) ?? 50_000_000) : 50_000_000;
  const clock = host.ip.clock;
  host.tcp.listen(
    cfg.port ?? 9,
    (conn) => {
      const c = conn as Reader;
      c.onData = () => undefined;
      c.onEnd = () => c.end();
      if (!slow || typeof c.read !== 'function') return;
      c.autoRead = false;
      const tick = (): void => {
        if (c.state === 'CLOSED' || c.state === 'TIME-WAIT' || c.state === 'LAST-ACK') return;
        const n = c.read(cfg.read!.bytes!);
        if (n > 0)
          host.ip.emit({
            kind: 'app',
            protocol: 'TCP',
            text: `${host.ip.node}: discard read ${n} bytes (the window opens)`,
          });
        clock.schedule(every, tick);
      };
      clock.schedule(every, tick);
    },
    opts,
  );
}

registerService('discard', startDiscard);
