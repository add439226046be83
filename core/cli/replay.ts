// `wirelens replay CAPTURE --topology T.yaml|PRESET --out DIR`: a capture's IP datagrams
// driven through a simulated network (core/replay), with a pcapng per tapped interface, every
// event, and a summary of what was delivered and what was dropped, and why.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCaptureFile } from '../capture';
import {
  ReplayError,
  formatReplaySummary,
  parseAddressMap,
  prepareReplay,
  finishReplay,
  readReplayInput,
  type AddressMap,
} from '../replay';
import type { CaptureDamage } from '../capture/types';
import { loadTopology } from './sim-load';
import { collectEventLines, makeOutputDir, writeTapsAndEvents } from './simulate';
import type { Output } from './output';
import { UsageError, withValues } from './usage';

export const REPLAY_HELP = `Usage: wirelens replay CAPTURE --topology T.yaml|PRESET --out DIR [options]

Replays the capture's IPv4/IPv6 datagrams through a simulated network. Datagram i leaves the
node that owns its source address at (ts_i - ts_0)/speed of simulated time and is routed by
that node like its own traffic: longest-prefix match, ARP/neighbour discovery, switches,
routers (TTL, fragmentation, ICMP errors), NAT. Its IP header and payload are the captured
bytes (a wrong IPv4 header checksum is recomputed and counted). At the destination node it is
delivered to a replay sink, not to the node's TCP/UDP/ICMP stacks (the capture already holds
both directions). Non-IP frames (ARP, STP, LLDP …) are not replayed; they are counted.

Writes into DIR:
  <node>-<iface>.pcapng   what each tapped interface saw (default: every linked interface of
                          the nodes that send or receive)
  events.jsonl            every decision, as wirelens simulate writes it
  replay.txt              the summary (also printed): datagrams read / injected / delivered /
                          dropped and why, unmapped addresses, skipped frames, conversations

Options:
  --topology T.yaml|PRESET  the network (a topology file, or a preset's topology)
  --out DIR                 where to write (created if missing)
  --map ADDR=NODE           give a capture address to a node (repeatable): added to its first
                            interface as ADDR/32 (/128), and every other node routes it as it
                            routes that node's own address. Without a mapping, an address is
                            the node's that owns it in the topology; datagrams from an address
                            no node owns are skipped and counted
  --tap NODE.IFACE          tap another interface (repeatable); --tap all taps every host port
  --speed X                 play X times as fast (default 1)
  --count N                 replay only the first N IP datagrams
  --seed N                  random seed (lossy links)
  --no-events               record no explanations (events.jsonl stays empty): about 3× faster
                            and far less memory for a large capture (~1 KB per event otherwise)

Exit status 2 for bad options, mappings or topologies, and for a damaged capture (after
replaying what precedes the damage).
`;

export interface ReplayOptions {
  capture?: string;
  topology?: string;
  out?: string;
  maps: AddressMap[];
  taps: string[];
  speed?: number;
  count?: number;
  seed?: number;
  events: boolean;
}

export function parseReplay(args: string[]): ReplayOptions {
  const o: ReplayOptions = { maps: [], taps: [], events: true };
  for (const [a, value] of withValues(args)) {
    if (a === '--topology' || a === '-t') o.topology = value();
    else if (a === '--out' || a === '-o') o.out = value();
    else if (a === '--map') {
      try {
        o.maps.push(parseAddressMap(value()));
      } catch (e) {
        if (e instanceof ReplayError) throw new UsageError(e.message);
        throw e;
      }
    } else if (a === '--tap') o.taps.push(value());
    else if (a === '--speed') {
      const v = value();
      const n = Number(v);
      if (!/^\d*\.?\d+(e[+-]?\d+)?$/i.test(v) || !(n > 0) || !Number.isFinite(n))
        throw new UsageError(`--speed needs a positive number, not "${v}"`);
      o.speed = n;
    } else if (a === '--count' || a === '-c') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1)
        throw new UsageError(`--count needs a whole number from 1, not "${v}"`);
      o.count = Number(v);
    } else if (a === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError(`--seed needs a whole number, not "${v}"`);
      o.seed = Number(v);
    } else if (a === '--no-events') o.events = false;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (see wirelens help replay)`);
    else if (o.capture === undefined) o.capture = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (!o.capture) throw new UsageError('replay: give the capture to replay');
  if (!o.topology) throw new UsageError('replay: give the network with --topology T.yaml or a preset name');
  if (!o.out) throw new UsageError('replay: give the output directory with --out DIR');
  return o;
}

/** Runs the replay; returns the capture's damage, if any (the caller exits 2 after output). */
export function replayCommand(o: ReplayOptions, out: Output): { damage?: CaptureDamage } {
  const topology = loadTopology(o.topology!);
  const reader = openCaptureFile(o.capture!);
  let input;
  try {
    input = readReplayInput(reader, { count: o.count });
  } finally {
    reader.close();
  }
  let prepared;
  try {
    prepared = prepareReplay(topology, input, {
      maps: o.maps,
      taps: o.taps,
      speed: o.speed,
      seed: o.seed,
      recording: o.events,
    });
  } catch (e) {
    if (e instanceof ReplayError) throw new UsageError(e.message);
    throw e;
  }
  const dir = o.out!;
  makeOutputDir(dir);
  const lines = o.events ? collectEventLines(prepared.net, true) : [];
  const summary = finishReplay(prepared);
  const files = writeTapsAndEvents(prepared.net, dir, o.capture!, lines);
  const text = formatReplaySummary(summary, o.capture!, o.topology!);
  writeFileSync(join(dir, 'replay.txt'), text);
  out.write(text);
  out.write(
    `wrote ${dir}: ${files.join(', ')}${files.length ? ', ' : ''}events.jsonl (${o.events ? `${lines.length} events` : 'events off'}), replay.txt\n`,
  );
  return input.damage ? { damage: input.damage } : {};
}
