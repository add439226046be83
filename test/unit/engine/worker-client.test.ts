// EngineWorkerClient end to end: the bundled worker (out/node/engine-worker.mjs, built here
// with scripts/build-node.mjs) hosting an Engine, driven through JSON-shaped messages.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureWriter } from '../../../core/capture';
import type { EngineEvent } from '../../../core/engine/api';
import { Engine } from '../../../core/engine/engine';
import { EngineWorkerClient } from '../../../core/engine/worker-client';
import { readClassicPcap } from '../../helpers/decode';

const ROOT = new URL('../../../', import.meta.url).pathname;
const WORKER = `${ROOT}out/node/engine-worker.mjs`;
const FIXTURE = `${ROOT}test/fixtures/captures/netns-mixed.pcap`;

let client: EngineWorkerClient;

beforeAll(async () => {
  const { buildNode } = (await import(`${ROOT}scripts/build-node.mjs`)) as {
    buildNode(o: { quiet: boolean }): Promise<void>;
  };
  await buildNode({ quiet: true });
  client = new EngineWorkerClient(WORKER);
}, 120_000);

afterAll(async () => {
  await client?.terminate();
});

function bigCapture(n: number): Uint8Array {
  const recs = readClassicPcap(FIXTURE);
  const chunks: Uint8Array[] = [];
  const w = createCaptureWriter((c) => chunks.push(c.slice()), 'pcap');
  w.addInterface({ linkType: 1, snapLen: 262144 });
  for (let i = 0; i < n; i++) {
    w.writePacket({ interfaceId: 0, tsSec: 1_700_000_000 + i, tsNsec: 0, data: recs[i % recs.length]!.data });
  }
  w.close();
  return Buffer.concat(chunks);
}

describe('EngineWorkerClient', () => {
  it('opens a file in the worker and serves the same rows and details as the in-process engine', async () => {
    const s = await client.openFile(FIXTURE);
    const local = new Engine();
    const ls = await local.openFile(FIXTURE);
    expect({ ...s, loadMilliseconds: 0 }).toEqual({ ...ls, loadMilliseconds: 0 });
    expect(await client.rows(0, 1000)).toEqual(await local.rows(0, 1000));
    expect(await client.packet(3)).toEqual(await local.packet(3));
    expect((await client.info())?.packets).toBe(s.packets);
  });

  it('openBytes transfers the capture bytes', async () => {
    const bytes = readFileSync(FIXTURE);
    const s = await client.openBytes('dropped.pcap', new Uint8Array(bytes));
    expect(s.name).toBe('dropped.pcap');
    expect(s.packets).toBe(readClassicPcap(FIXTURE).length);
  });

  it('errors reach the caller as EngineErrorDTO-shaped errors with a complete message', async () => {
    const err = await client.openFile(`${ROOT}package.json`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'not-a-capture' });
    expect((err as Error).message).toContain('package.json');
    const missing = await client.openFile('/nonexistent/x.pcap').catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'unreadable' });
    await expect(client.packet(1_000_000)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('cancel works while the worker is busy opening, with progress events before', async () => {
    const bytes = bigCapture(400_000);
    const events: EngineEvent[] = [];
    const off = client.onEvent((e) => events.push(e));
    const opening = client.openBytes('big.pcap', bytes);
    // Wait for the first progress event: the worker is now inside its open loop.
    const t0 = Date.now();
    while (!events.length && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 5));
    expect(events.length).toBeGreaterThan(0);
    await client.cancel();
    await expect(opening).rejects.toMatchObject({ code: 'cancelled' });
    off();
    const first = events[0]!;
    expect(first.type === 'progress' && first.progress.totalBytes).toBe(bytes.length);
    // The worker serves the next request normally.
    const s = await client.openFile(FIXTURE);
    expect(s.packets).toBeGreaterThan(0);
  });
});
