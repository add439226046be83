// EngineApi over a worker thread running `worker.ts` (bundled to out/node/engine-worker.mjs).
// Calls become JSON-shaped messages; replies resolve them in order. Errors arrive as
// EngineErrorDTO-shaped Error objects (`code` + a complete user-facing `message`).
import { Worker } from 'node:worker_threads';
import type { CaptureSummary, EngineApi, EngineErrorDTO, EngineEvent, FilterResult } from './api';
import { addForwarders, type EngineMethod } from './methods';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-protocol';

/** The error the client's promises reject with. */
export class EngineClientError extends Error implements EngineErrorDTO {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

// Every EngineApi method not written out below is forwarded as is (see the constructor).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface EngineWorkerClient extends EngineApi {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class EngineWorkerClient implements EngineApi {
  private readonly worker: Worker;
  private readonly cancelFlag: Int32Array;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private nextId = 1;
  private dead: EngineClientError | null = null;

  /** `workerScript`: path of the bundled worker (e.g. `out/node/engine-worker.mjs`). */
  constructor(workerScript: string | URL) {
    addForwarders(this, (method, args) => this.call(method, args));
    const shared = new SharedArrayBuffer(4);
    this.cancelFlag = new Int32Array(shared);
    this.worker = new Worker(workerScript, { workerData: { cancel: shared } satisfies WorkerInit });
    this.worker.on('message', (m: WorkerReply) => this.onMessage(m));
    this.worker.on('error', (e) =>
      this.failAll(new EngineClientError('internal', `internal error: engine worker failed: ${e.message}`)),
    );
    this.worker.on('exit', (code) => {
      if (!this.dead)
        this.failAll(
          new EngineClientError('internal', `internal error: engine worker exited (code ${code})`),
        );
    });
  }

  /** Subscribes to engine events (open progress). Returns an unsubscribe function. */
  onEvent(cb: (e: EngineEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  openFile(path: string): Promise<CaptureSummary> {
    return this.open('openFile', [path]);
  }
  openBytes(name: string, bytes: Uint8Array): Promise<CaptureSummary> {
    return this.open('openBytes', [name, bytes]);
  }
  openDemo(): Promise<CaptureSummary> {
    return this.open('openDemo', []);
  }
  /** A filter pass is cancellable like an open (same flag, cleared the same way). */
  filter(expr: string, selected?: number): Promise<FilterResult> {
    return this.open('filter', selected === undefined ? [expr] : [expr, selected]);
  }
  /** Takes effect at once, even while the worker is busy in `open`: it polls the shared flag. */
  async cancel(): Promise<void> {
    Atomics.store(this.cancelFlag, 0, 1);
  }

  /** Stops the worker; pending calls reject. */
  async terminate(): Promise<void> {
    this.dead = new EngineClientError('closed', 'The engine was closed.');
    for (const p of this.pending.values()) p.reject(this.dead);
    this.pending.clear();
    await this.worker.terminate();
  }

  private open<T>(method: EngineMethod, args: unknown[]): Promise<T> {
    // Cleared here rather than in the worker, so a cancel() right after this call is never lost.
    Atomics.store(this.cancelFlag, 0, 0);
    return this.call(method, args);
  }

  private call<T>(method: EngineMethod, args: unknown[]): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies WorkerRequest);
    });
  }

  private onMessage(m: WorkerReply): void {
    if ('event' in m) {
      for (const l of this.listeners) l(m.event);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if ('error' in m) p.reject(new EngineClientError(m.error.code, m.error.message));
    else p.resolve(m.result);
  }

  private failAll(e: EngineClientError): void {
    this.dead = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
