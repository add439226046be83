// A replay from start to end: the network built from the topology, the addresses mapped, the
// replay nodes' interfaces tapped, the datagrams driven through, and the summary as text.
import { Network } from '../sim/network';
import { SECOND } from '../sim/stack';
import type { TopologySpec } from '../sim/topology';
import type { ReplayInput } from './capture';
import { ReplayDriver, type ReplaySummary } from './driver';
import { applyAddressMaps, ReplayError, type AddressMap } from './mapping';

export interface ReplaySetup {
  maps: AddressMap[];
  speed?: number;
  /** Extra taps (`NODE.IFACE`, or `all` for every host and router port). */
  taps?: string[];
  seed?: number;
  /** Record explanation events (default true; off for a summary-only or inspection run). */
  recording?: boolean;
}

export interface PreparedReplay {
  net: Network;
  driver: ReplayDriver;
}

/** Most kernel events one replay may run (a bound, as for scenarios). */
export const MAX_REPLAY_EVENTS = 50_000_000;

/** Builds the network and schedules the replay; nothing runs yet. Throws ReplayError. */
export function prepareReplay(
  topology: TopologySpec,
  input: ReplayInput,
  setup: ReplaySetup,
): PreparedReplay {
  if (setup.speed !== undefined && !(setup.speed > 0 && Number.isFinite(setup.speed)))
    throw new ReplayError(`--speed must be a positive number, not ${setup.speed}`);
  let net: Network;
  try {
    net = new Network(topology, { seed: setup.seed ?? topology.seed, recording: setup.recording ?? true });
  } catch (e) {
    throw new ReplayError((e as Error).message);
  }
  const owners = applyAddressMaps(net, setup.maps);
  const driver = new ReplayDriver(net, input, owners, { speed: setup.speed });
  // Simulated time is exact nanoseconds up to 2^53 (about 104 days).
  if (driver.lastInjection > 90 * 86_400 * SECOND)
    throw new ReplayError(
      `the replay would last ${Math.round(driver.lastInjection / SECOND / 86_400)} days of simulated time (at most 90: raise --speed)`,
    );
  // Default taps: every linked interface of the nodes that send or receive.
  for (const name of [...driver.nodes].sort())
    for (const p of net.devices.get(name)!.ports.values()) if (p.link) net.tap(p.fullName);
  for (const t of setup.taps ?? []) {
    if (t === 'all') net.tapAll();
    else if (!net.port(t)) throw new ReplayError(`--tap ${t}: no such interface`);
    else net.tap(t);
  }
  driver.start();
  return { net, driver };
}

/** Runs a prepared replay until nothing is left to do, and accounts for every datagram. */
export function finishReplay(p: PreparedReplay): ReplaySummary {
  p.net.kernel.run({ maxEvents: MAX_REPLAY_EVENTS });
  return p.driver.summary();
}

export function replayCapture(
  topology: TopologySpec,
  input: ReplayInput,
  setup: ReplaySetup,
): PreparedReplay & { summary: ReplaySummary } {
  const p = prepareReplay(topology, input, setup);
  return { ...p, summary: finishReplay(p) };
}

/** The summary as `wirelens replay` prints it and writes it to replay.txt. */
export function formatReplaySummary(s: ReplaySummary, capture: string, topology: string): string {
  const lines: string[] = [];
  const list = (title: string, r: { what: string; count: number }[]): void => {
    if (!r.length) return;
    lines.push(`${title}:`);
    for (const x of r) lines.push(`  ${String(x.count).padStart(7)}  ${x.what}`);
  };
  lines.push(`Replay of ${capture} through ${topology}${s.speed !== 1 ? ` at ${s.speed}× speed` : ''}`);
  lines.push(
    `Frames read: ${s.frames}${s.countReached ? ' (stopped at --count)' : ''}; IP datagrams: ${s.datagrams}; non-IP or unusable frames skipped: ${s.frames - s.datagrams}`,
  );
  if (s.damage)
    lines.push(
      `The capture is damaged at byte ${s.damage.offset} (after frame ${s.damage.afterFrame}): ${s.damage.reason}; replayed up to there`,
    );
  list('Skipped frames', s.skippedFrames);
  const unmapped = s.unmappedSources.reduce((n, r) => n + r.count, 0);
  lines.push(
    `Datagrams injected: ${s.injected}; delivered: ${s.delivered}; dropped: ${s.dropped}; source unmapped: ${unmapped}; source and destination on the same node: ${s.sameNode}`,
  );
  list('Dropped, why', s.dropReasons);
  list('Skipped, no node owns the source address (use --map ADDR=NODE)', s.unmappedSources);
  list('Destination addresses no node owns (sent, but nobody receives them)', s.unmappedDestinations);
  list('ICMP from the network to replay nodes (kept by the replay sinks)', s.icmpFromNetwork);
  list('Drop events recorded by links and devices', s.dropEvents);
  if (s.checksumsFixed)
    lines.push(`IPv4 header checksums recomputed (wrong in the capture): ${s.checksumsFixed}`);
  if (s.unmatchedArrivals) lines.push(`Other datagrams that reached replay nodes: ${s.unmatchedArrivals}`);
  if (s.conversations.length) {
    lines.push('Conversations:');
    lines.push(
      `  ${'read'.padStart(7)} ${'injected'.padStart(8)} ${'delivered'.padStart(9)} ${'dropped'.padStart(7)}  conversation`,
    );
    for (const c of s.conversations)
      lines.push(
        `  ${String(c.datagrams).padStart(7)} ${String(c.injected).padStart(8)} ${String(c.delivered).padStart(9)} ${String(c.dropped).padStart(7)}  ${c.conversation}`,
      );
  }
  lines.push(`Simulated time at the end: ${s.endTime.toFixed(6)} s`);
  return lines.join('\n') + '\n';
}
