// TFTP (RFC 1350) over the simulated UDP: a server service (`services: { tftp: { files: { name:
// "text" | { size } } } }`, port 69; each transfer from its own port, the transfer ID) and the
// client, spelled as BusyBox (`tftp -g|-p -r FILE [-l LOCAL] SERVER`) or tftp-hpa
// (`tftp SERVER -c get|put FILE`). Lock-step: 512-byte blocks, each ACKed; a block shorter than
// 512 ends the transfer; timeouts resend the last packet (5 tries).
import { encodeTftp, parseTftp } from '../../protocols/tftp-encode';
import { registerCommand } from '../commands';
import { registerService } from '../services';
import { SECOND, type CommandContext, type HostServices, type UdpSocket } from '../stack';
import { filler } from './http';

const BLOCK = 512;
const TIMEOUT = 1 * SECOND;
const TRIES = 5;

/** Each host's files (what a TFTP get stores, what a put reads). */
const fileSystems = new WeakMap<HostServices, Map<string, Uint8Array>>();
export function filesOf(host: HostServices): Map<string, Uint8Array> {
  let m = fileSystems.get(host);
  if (!m) fileSystems.set(host, (m = new Map()));
  return m;
}

/** Sends `data` block by block on `sock` to `peer`; `done` gets an error text or undefined. */
function sendBlocks(
  host: HostServices,
  sock: UdpSocket,
  peer: { address: string; port: number },
  data: Uint8Array,
  done: (err?: string) => void,
): (block: number) => void {
  const clock = host.ip.clock;
  let block = 1;
  let tries = 0;
  let timer: ReturnType<typeof clock.schedule> | undefined;
  const sendCurrent = (): void => {
    if (tries++ >= TRIES) {
      done('Transfer timed out');
      return;
    }
    const from = (block - 1) * BLOCK;
    sock.send(
      peer.address,
      peer.port,
      encodeTftp({ opcode: 3, block: block & 0xffff, data: data.subarray(from, from + BLOCK) }),
    );
    timer = clock.schedule(TIMEOUT, sendCurrent);
  };
  sendCurrent();
  return (acked: number) => {
    if (acked !== (block & 0xffff)) return; // a duplicate ACK: ignore (Sorcerer's Apprentice, RFC 1123 §4.2.3.1)
    clock.cancel(timer);
    if ((block - 1) * BLOCK + BLOCK > data.length) {
      done();
      return;
    }
    block++;
    tries = 0;
    sendCurrent();
  };
}

/** Receives blocks on `sock` from the peer's transfer ID, ACKing each. */
function receiveBlocks(
  host: HostServices,
  sock: UdpSocket,
  done: (data: Uint8Array | undefined, err?: string) => void,
): (block: number, data: Uint8Array, from: { address: string; port: number }) => void {
  const parts: Uint8Array[] = [];
  let expected = 1;
  let total = 0;
  return (block, data, from) => {
    if (block === (expected & 0xffff)) {
      parts.push(data.slice());
      total += data.length;
      expected++;
    }
    sock.send(from.address, from.port, encodeTftp({ opcode: 4, block }));
    if (block === ((expected - 1) & 0xffff) && data.length < BLOCK && parts.length === expected - 1) {
      const out = new Uint8Array(total);
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      done(out);
    }
    void host;
  };
}

export function startTftpServer(host: HostServices, raw: unknown): void {
  const cfg = (raw ?? {}) as { port?: number; files?: Record<string, unknown> };
  const files = filesOf(host);
  for (const [name, v] of Object.entries(cfg.files ?? {})) {
    if (typeof v === 'string') files.set(name, new TextEncoder().encode(v));
    else if (v && typeof v === 'object')
      files.set(name, filler(Math.min(Number((v as { size?: number }).size ?? 0), 32 << 20)));
  }
  const listen = host.udp.bind(cfg.port ?? 69);
  listen.onMessage = (payload, from) => {
    const req = parseTftp(payload);
    if (!req || (req.opcode !== 1 && req.opcode !== 2)) return;
    const t = host.udp.bind(0);
    const peer = { address: from.address, port: from.port };
    const name = req.file.replace(/^\/+/, '');
    host.ip.emit({
      kind: 'app',
      protocol: 'TFTP',
      text: `${host.ip.node}: TFTP ${req.opcode === 1 ? 'read' : 'write'} request for ${name} from ${from.address}:${from.port}, transfer from port ${t.localPort}`,
    });
    if (req.opcode === 1) {
      const data = files.get(name);
      if (!data) {
        t.send(peer.address, peer.port, encodeTftp({ opcode: 5, code: 1, message: 'File not found' }));
        t.close();
        return;
      }
      const onAck = sendBlocks(host, t, peer, data, () => t.close());
      t.onMessage = (p, f) => {
        const m = parseTftp(p);
        if (f.port !== peer.port) return;
        if (m?.opcode === 4) onAck(m.block);
        else if (m?.opcode === 5) t.close();
      };
    } else {
      const onData = receiveBlocks(host, t, (data) => {
        if (data) files.set(name, data);
        t.close();
      });
      t.onMessage = (p, f) => {
        const m = parseTftp(p);
        if (f.port === peer.port && m?.opcode === 3) onData(m.block, m.data, f);
      };
      t.send(peer.address, peer.port, encodeTftp({ opcode: 4, block: 0 }));
    }
  };
}

registerService('tftp', startTftpServer);

export function tftp(args: string[], ctx: CommandContext): void {
  let mode: 'get' | 'put' | undefined;
  let remote: string | undefined;
  let local: string | undefined;
  let server: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-g') mode = 'get';
    else if (a === '-p') mode = 'put';
    else if (a === '-r') remote = args[++i];
    else if (a === '-l') local = args[++i];
    else if (a === '-c') {
      mode = args[++i] === 'put' ? 'put' : 'get';
      remote = args[++i];
      local = args[i + 1] && !args[i + 1]!.startsWith('-') ? args[++i] : undefined;
    } else if (!a.startsWith('-')) server = a;
  }
  if (!mode || !remote || !server) {
    ctx.print('Usage: tftp [OPTIONS] HOST [PORT]  (-g|-p -r FILE [-l FILE], or HOST -c get|put FILE)');
    ctx.exit(1);
    return;
  }
  local ??= remote.slice(remote.lastIndexOf('/') + 1);
  const host = ctx.host;
  const files = filesOf(host);
  const sock = host.udp.bind(0);
  const clock = ctx.clock;
  const started = clock.now();
  let peerPort = 0;
  let tries = 0;
  let timer: ReturnType<typeof clock.schedule> | undefined;
  const request = encodeTftp({ opcode: mode === 'get' ? 1 : 2, file: remote, mode: 'octet' });
  const finish = (err: string | undefined, bytes = 0): void => {
    clock.cancel(timer);
    sock.close();
    if (err) {
      ctx.print(`tftp: ${err}`);
      ctx.exit(1);
      return;
    }
    const secs = (clock.now() - started) / SECOND;
    ctx.print(`${mode === 'get' ? 'Received' : 'Sent'} ${bytes} bytes in ${secs.toFixed(1)} seconds`);
    ctx.exit(0);
  };
  const sendRequest = (): void => {
    if (tries++ >= TRIES) {
      finish('timeout');
      return;
    }
    sock.send(server!, 69, request);
    timer = clock.schedule(TIMEOUT, sendRequest);
  };
  if (mode === 'get') {
    const onData = receiveBlocks(host, sock, (data) => {
      files.set(local!, data!);
      finish(undefined, data!.length);
    });
    sock.onMessage = (p, f) => {
      const m = parseTftp(p);
      if (peerPort && f.port !== peerPort) return;
      if (m?.opcode === 5) finish(`server error: (${m.code}) ${m.message}`);
      else if (m?.opcode === 3) {
        clock.cancel(timer);
        peerPort = f.port;
        onData(m.block, m.data, f);
      }
    };
  } else {
    const data = files.get(local) ?? new TextEncoder().encode(`${local}\n`);
    let onAck: ((b: number) => void) | undefined;
    sock.onMessage = (p, f) => {
      const m = parseTftp(p);
      if (peerPort && f.port !== peerPort) return;
      if (m?.opcode === 5) finish(`server error: (${m.code}) ${m.message}`);
      else if (m?.opcode === 4) {
        if (!onAck) {
          if (m.block !== 0) return;
          clock.cancel(timer);
          peerPort = f.port;
          onAck = sendBlocks(host, sock, { address: f.address, port: f.port }, data, (err) =>
            finish(err, data.length),
          );
        } else onAck(m.block);
      }
    };
  }
  sendRequest();
}

registerCommand('tftp', tftp);
