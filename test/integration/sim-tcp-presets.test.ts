// The presets that need TCP and the applications run for real: scenario 1 gives the seed's
// exchange, 7 the sliding window, 8 loss recovery, 9 DHCP + TFTP, 10 the refused connection, 2
// the HTTP download; and every preset's trace decodes in tshark 4.0 with checksums verified and no
// Malformed or Error expert item.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS, loadPreset, simulate, type Network } from '../../core/sim';
import { parseTcp } from '../../core/protocols/tcp';
import { parseDhcp } from '../../core/protocols/dhcp-encode';
import { parseTftp } from '../../core/protocols/tftp-encode';
import { tshark } from './cli-helpers';
import { hasTshark } from '../helpers/decode';

const dir = mkdtempSync(join(tmpdir(), 'wl-simtcp-presets-'));

interface Seg {
  src: string;
  flags: string;
  len: number;
  win: number;
}

function ipPayloads(net: Network, proto: number): { src: string; body: Uint8Array }[] {
  const out: { src: string; body: Uint8Array }[] = [];
  for (const { rec } of net.captured) {
    const d = rec.data;
    if (d[12] !== 0x08 || d[13] !== 0 || d[23] !== proto) continue;
    const ihl = (d[14]! & 15) * 4;
    const total = (d[16]! << 8) | d[17]!;
    out.push({ src: `${d[26]}.${d[27]}.${d[28]}.${d[29]}`, body: d.subarray(14 + ihl, 14 + total) });
  }
  return out;
}

function tcpSegments(net: Network): Seg[] {
  return ipPayloads(net, 6).map(({ src, body }) => {
    const p = parseTcp(body)!;
    const f = p.repr.flags;
    return {
      src,
      flags: `${f.syn ? 'S' : ''}${f.fin ? 'F' : ''}${f.rst ? 'R' : ''}${f.psh ? 'P' : ''}${f.ack ? '.' : ''}`,
      len: p.payload.length,
      win: p.repr.window,
    };
  });
}

function run(name: string): Network {
  return simulate(loadPreset(name)!);
}

describe('presets with TCP and the applications', () => {
  it('scenario-1: the seed’s exchange, 11 packets, payloads 78 and 121', () => {
    const net = run('scenario-1');
    const s = tcpSegments(net);
    expect(s.map((x) => x.flags)).toEqual(['S', 'S.', '.', 'P.', '.', 'P.', '.', 'F.', '.', 'F.', '.']);
    expect(s.filter((x) => x.len > 0).map((x) => x.len)).toEqual([78, 121]);
    expect(net.runs[0]!.output).toEqual(['Hello']);
  });

  it('scenario-2: the HTTP download across both routers', () => {
    const net = run('scenario-2');
    const curl = net.runs.find((r) => r.command.startsWith('curl'))!;
    expect(curl.output).toEqual(['<html><body>Hello from B</body></html>']);
    expect(curl.status).toBe(0);
  });

  it('scenario-7: the sender fills the 6K window, the receiver announces zero, then reopens it', () => {
    const net = run('scenario-7');
    const s = tcpSegments(net);
    const fromServer = s.filter((x) => x.src === '192.168.0.200');
    expect(fromServer[0]!.flags).toBe('S.');
    expect(fromServer[0]!.win).toBe(6144);
    expect(fromServer.some((x) => x.win === 0)).toBe(true);
    const zero = fromServer.findIndex((x) => x.win === 0);
    expect(fromServer.slice(zero).some((x) => x.win === 2048)).toBe(true);
    const sent = s.filter((x) => x.src === '192.168.0.1').reduce((t, x) => t + x.len, 0);
    expect(sent).toBeGreaterThanOrEqual(8192);
    expect(s.at(-1)!.flags).toBe('.');
  });

  it('scenario-8: fast retransmits and timeouts with a doubling RTO', () => {
    const net = run('scenario-8');
    const texts = net.events.filter((e) => e.kind === 'tcp').map((e) => e.text);
    expect(texts.some((t) => t.includes('fast retransmit'))).toBe(true);
    const rtos = texts.map((t) => /RTO (\d+) → (\d+) ms/.exec(t)).filter((m) => m);
    expect(rtos.length).toBeGreaterThanOrEqual(3);
    expect(rtos.slice(0, 3).map((m) => Number(m![1]))).toEqual([200, 400, 800]);
    expect(net.runs[0]!.output.join('\n')).toContain('300000 bytes');
  });

  it('scenario-9: DHCP DORA from 0.0.0.0, then the boot file over TFTP', () => {
    const net = run('scenario-9');
    const dhcp = ipPayloads(net, 17)
      .map(({ src, body }) => ({ src, port: (body[2]! << 8) | body[3]!, body: body.subarray(8) }))
      .filter((x) => x.port === 67 || x.port === 68)
      .map((x) => ({ src: x.src, m: parseDhcp(x.body)! }));
    expect(dhcp.map((x) => x.m.options!.find((o) => o.code === 53)!.data[0])).toEqual([1, 2, 3, 5]);
    expect(dhcp[0]!.src).toBe('0.0.0.0');
    expect(dhcp[3]!.m.yiaddr).toBe('192.168.0.100');
    expect(dhcp[3]!.m.file).toBe('pxelinux.0');
    const tftp = ipPayloads(net, 17)
      .map(({ body }) => ({
        sport: (body[0]! << 8) | body[1]!,
        dport: (body[2]! << 8) | body[3]!,
        m: parseTftp(body.subarray(8)),
      }))
      .filter(
        (x) =>
          x.dport === 69 || (x.m && x.sport !== 67 && x.sport !== 68 && x.dport !== 67 && x.dport !== 68),
      );
    expect(tftp[0]!.m).toMatchObject({ opcode: 1, file: 'pxelinux.0', mode: 'octet' });
    const data = tftp.filter((x) => x.m?.opcode === 3);
    expect(data.length).toBe(9); // 8 × 512 and the empty last block
    expect(net.runs[1]!.output).toEqual(['Received 4096 bytes in 0.0 seconds']);
  });

  it('scenario-10: SYN answered by RST', () => {
    const net = run('scenario-10');
    expect(tcpSegments(net).map((x) => x.flags)).toEqual(['S', 'R.']);
    expect(net.runs[0]!.output).toEqual([
      'curl: (7) Failed to connect to 192.168.0.200 port 8080: Connection refused',
    ]);
  });
});

describe.each(PRESETS.map((p) => [p.name]))('preset %s in tshark', (name) => {
  it('has no Malformed or Error expert item, every checksum right', async () => {
    if (!hasTshark) return;
    const file = join(dir, `${name}.pcapng`);
    run(name).writeCombined(file);
    const t = await tshark([
      '-r',
      file,
      '-o',
      'tcp.check_checksum:TRUE',
      '-o',
      'ip.check_checksum:TRUE',
      '-o',
      'udp.check_checksum:TRUE',
      '-z',
      'expert',
      '-q',
    ]);
    expect(t.stdout).not.toMatch(/Errors \(/);
    expect(t.stdout).not.toMatch(/Malformed|Bad checksum|checksum.*incorrect/i);
  });
});
