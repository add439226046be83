// TCP sequence analysis on a crafted conversation that walks through every flag Wireshark
// computes (keep-alive and its ACK, zero window, probe and probe ACK, window update and full,
// retransmission, spurious and fast retransmission, out-of-order, lost and ACKed-unseen
// segments, duplicate ACKs, reused ports) and the connection states. The expected values are
// tshark 4.0's for the same bytes (test/fixtures/tcp/crafted-analysis.expected.tsv, written with
// UPDATE_TCP_EXPECTED=1 when tshark is installed); with tshark present they are also checked live.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTshark, readClassicPcap } from '../../helpers/decode';
import { fieldList, fieldsByAbbrev } from '../../../core/dissect/fields';
import { formatFieldValue } from '../../../core/dissect/format';
import { writeClassicPcap } from '../protocols/transport-golden';
import { encodeEthernet } from '../../../core/protocols/eth';
import { encodeIpv4 } from '../../../core/protocols/ip';
import { encodeTcp, type TcpFlags, type TcpOption } from '../../../core/protocols/tcp';
import { Dissection } from '../../../core/dissect/dissection';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';

const C = { ip: '10.0.0.1', mac: '02:00:00:00:00:01', port: 40000 };
const S = { ip: '10.0.0.2', mac: '02:00:00:00:00:02', port: 62000 }; // no dissector on it

interface Seg {
  ms: number;
  from: 'C' | 'S';
  seq: number;
  ack: number;
  flags: string; // letters: S A F R P
  win: number;
  len?: number;
  opts?: TcpOption[];
}

const SYN_OPTS: TcpOption[] = [{ kind: 'mss', value: 1460 }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }];

// Client ISN 1000, server ISN 5000 (raw numbers; relative = raw - ISN).
const SEGMENTS: Seg[] = [
  { ms: 0, from: 'C', seq: 1000, ack: 0, flags: 'S', win: 64240, opts: SYN_OPTS },
  { ms: 10, from: 'S', seq: 5000, ack: 1001, flags: 'SA', win: 65160, opts: SYN_OPTS },
  { ms: 20, from: 'C', seq: 1001, ack: 5001, flags: 'A', win: 502 },
  { ms: 30, from: 'C', seq: 1001, ack: 5001, flags: 'PA', win: 502, len: 100 },
  { ms: 40, from: 'S', seq: 5001, ack: 1101, flags: 'A', win: 509 },
  { ms: 50, from: 'S', seq: 5001, ack: 1101, flags: 'A', win: 600 }, // window update
  { ms: 60, from: 'C', seq: 1100, ack: 5001, flags: 'A', win: 502 }, // keep-alive
  { ms: 61, from: 'S', seq: 5001, ack: 1101, flags: 'A', win: 600 }, // keep-alive ACK
  { ms: 70, from: 'S', seq: 5001, ack: 1101, flags: 'A', win: 0 }, // zero window
  { ms: 80, from: 'C', seq: 1101, ack: 5001, flags: 'A', win: 502, len: 1 }, // probe
  { ms: 81, from: 'S', seq: 5001, ack: 1101, flags: 'A', win: 0 }, // probe ACK
  { ms: 90, from: 'S', seq: 5001, ack: 1101, flags: 'A', win: 4 }, // window update (512)
  { ms: 100, from: 'C', seq: 1101, ack: 5001, flags: 'A', win: 502, len: 512 }, // window full
  { ms: 300, from: 'C', seq: 1101, ack: 5001, flags: 'A', win: 502, len: 512 }, // retransmission
  { ms: 310, from: 'S', seq: 5001, ack: 1613, flags: 'A', win: 600 },
  { ms: 400, from: 'C', seq: 1101, ack: 5001, flags: 'A', win: 502, len: 100 }, // spurious
  { ms: 410, from: 'S', seq: 5001, ack: 1613, flags: 'PA', win: 600, len: 100 },
  { ms: 420, from: 'C', seq: 1613, ack: 5201, flags: 'A', win: 502 }, // ACKed unseen
  { ms: 430, from: 'C', seq: 1613, ack: 5201, flags: 'A', win: 502, len: 1000 },
  { ms: 431, from: 'C', seq: 3613, ack: 5201, flags: 'A', win: 502, len: 1000 }, // lost 2613
  { ms: 432, from: 'S', seq: 5101, ack: 2613, flags: 'A', win: 600 },
  { ms: 433, from: 'S', seq: 5101, ack: 2613, flags: 'A', win: 600 }, // dup ACK 1
  { ms: 434, from: 'S', seq: 5101, ack: 2613, flags: 'A', win: 600 }, // dup ACK 2
  { ms: 435, from: 'C', seq: 2613, ack: 5201, flags: 'A', win: 502, len: 1000 }, // fast retransmission
  { ms: 436, from: 'C', seq: 4613, ack: 5201, flags: 'A', win: 502, len: 500 },
  { ms: 436.5, from: 'C', seq: 4613, ack: 5201, flags: 'A', win: 502, len: 200 }, // out of order
  { ms: 440, from: 'S', seq: 5101, ack: 5113, flags: 'A', win: 600 },
  { ms: 500, from: 'C', seq: 5113, ack: 5201, flags: 'FA', win: 502 },
  { ms: 510, from: 'S', seq: 5101, ack: 5114, flags: 'FA', win: 600 },
  { ms: 520, from: 'C', seq: 5114, ack: 5102, flags: 'A', win: 502 },
  { ms: 2000, from: 'C', seq: 90000, ack: 0, flags: 'S', win: 64240, opts: SYN_OPTS }, // reused ports
  { ms: 2010, from: 'S', seq: 70000, ack: 90001, flags: 'SA', win: 65160, opts: SYN_OPTS },
  { ms: 2020, from: 'C', seq: 90001, ack: 70001, flags: 'RA', win: 0 },
];

const LETTERS: Record<string, keyof TcpFlags> = { S: 'syn', A: 'ack', F: 'fin', R: 'rst', P: 'psh' };

function frames(): { tsSec: number; tsNsec: number; data: Uint8Array }[] {
  return SEGMENTS.map((s) => {
    const [a, b] = s.from === 'C' ? [C, S] : [S, C];
    const flags: TcpFlags = {};
    for (const ch of s.flags) flags[LETTERS[ch]!] = true;
    const payload = new Uint8Array(s.len ?? 0).fill(0x61);
    const tcpBytes = encodeTcp(
      { srcPort: a.port, dstPort: b.port, seq: s.seq, ack: s.ack, flags, window: s.win, options: s.opts },
      payload,
      { src: a.ip, dst: b.ip },
    );
    const ip = encodeIpv4({ src: a.ip, dst: b.ip, protocol: 6, ttl: 64, df: true }, tcpBytes);
    const ns = Math.round(s.ms * 1e6);
    return {
      // Small (the test reader's float times stay exact) but not 0: tshark reads a SYN at the
      // epoch as "no SYN time" and would show no iRTT.
      tsSec: 1 + Math.floor(ns / 1e9),
      tsNsec: ns % 1e9,
      data: encodeEthernet({ src: a.mac, dst: b.mac, type: 0x0800 }, ip),
    };
  });
}

const FIELDS = [
  'tcp.stream',
  'tcp.seq',
  'tcp.ack',
  'tcp.window_size',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment',
  'tcp.analysis.ack_lost_segment',
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.window_update',
  'tcp.analysis.window_full',
  'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack',
  'tcp.analysis.zero_window',
  'tcp.analysis.zero_window_probe',
  'tcp.analysis.zero_window_probe_ack',
  'tcp.analysis.reused_ports',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.time_relative',
  'tcp.time_delta',
  '_ws.col.Info',
];
const EXPECTED = 'test/fixtures/tcp/crafted-analysis.expected.tsv';

function writeCapture(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wl-tcp-')), 'crafted.pcap');
  writeClassicPcap(path, 1, frames());
  return path;
}

function tsharkRows(path: string): string[][] {
  const out = execFileSync(
    'tshark',
    ['-2', '-r', path, '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t').map((v) => v.trimEnd()));
}

/** Our values with `read -2` semantics: a first pass, then every frame revisited. */
function ourRows(path: string): string[][] {
  const records = readClassicPcap(path);
  const state = new CaptureState();
  const p = new Dissection();
  for (const r of records) dissectPacket(r.meta, r.data, state, { tree: false, columns: false }, p);
  return decodeRevisit(records, state);
}

function decodeRevisit(records: ReturnType<typeof readClassicPcap>, state: CaptureState): string[][] {
  const wanted = new Uint8Array(fieldList.length);
  const ids = FIELDS.filter((f) => !f.startsWith('_ws')).map((name) => {
    const f = fieldsByAbbrev.get(name)!;
    wanted[f.id] = 1;
    return f;
  });
  const p = new Dissection();
  return records.map((r) => {
    dissectPacket(r.meta, r.data, state, { tree: false, wanted, columns: true }, p, true);
    const values = ids.map((f) =>
      p.valueFields
        .map((vf, i) => (vf === f ? formatFieldValue(f, p.values[i]!) : undefined))
        .filter((v) => v !== undefined)
        .join(','),
    );
    return [...values, p.cols.info.trimEnd()];
  });
}

describe('TCP analysis on a crafted conversation', () => {
  const path = writeCapture();

  it.runIf(hasTshark && process.env.UPDATE_TCP_EXPECTED === '1')('writes tshark expectations', () => {
    writeFileSync(
      EXPECTED,
      tsharkRows(path)
        .map((r) => r.join('\t'))
        .join('\n') + '\n',
    );
  });

  it('every field and the Info column equal tshark 4.0 -2', () => {
    const expected = readFileSync(EXPECTED, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
    const ours = ourRows(path);
    const diffs: string[] = [];
    expected.forEach((row, k) =>
      row.forEach((v, j) => {
        if (ours[k]?.[j] !== v)
          diffs.push(`frame ${k + 1} ${FIELDS[j]}: tshark "${v}", ours "${ours[k]?.[j]}"`);
      }),
    );
    expect(diffs).toEqual([]);
    // The scenario reaches every flag it was written for.
    const col = (name: string) => expected.filter((r) => r[FIELDS.indexOf(name)] !== '').length;
    for (const flag of [
      'tcp.analysis.retransmission',
      'tcp.analysis.spurious_retransmission',
      'tcp.analysis.keep_alive',
      'tcp.analysis.zero_window',
      'tcp.analysis.window_update',
      'tcp.analysis.duplicate_ack_num',
      'tcp.analysis.lost_segment',
    ])
      expect(col(flag), flag).toBeGreaterThan(0);
  });

  it.runIf(hasTshark)('the committed expectations are what tshark says', () => {
    const live = tsharkRows(path).map((r) => r.join('\t'));
    const committed = readFileSync(EXPECTED, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(committed).toEqual(live);
  });

  it('shows the connection states of RFC 9293 §3.3.2 along the way', () => {
    const records = readClassicPcap(path);
    const state = new CaptureState();
    const states = records.map((r) => {
      const p = dissectPacket(r.meta, r.data, state, { tree: true, columns: false });
      const find = (nodes: typeof p.roots): string | undefined => {
        for (const n of nodes) {
          if (n.field === 'tcp.connection_state') return n.value as string;
          const inner = n.children && find(n.children);
          if (inner) return inner;
        }
        return undefined;
      };
      return find(p.roots);
    });
    expect(states.slice(0, 3)).toEqual(['SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED']);
    expect(states.slice(27, 30)).toEqual(['FIN-WAIT-1', 'LAST-ACK', 'TIME-WAIT']);
    expect(states[32]).toBe('CLOSED');
  });
});
