// Messages between EngineWorkerClient and the engine worker (structured-cloned, JSON-shaped).
import type { EngineErrorDTO, EngineEvent } from './api';
import type { EngineMethod } from './methods';

export interface WorkerRequest {
  id: number;
  method: EngineMethod;
  args: unknown[];
}

export type WorkerReply =
  { id: number; result: unknown } | { id: number; error: EngineErrorDTO } | { event: EngineEvent };

/** Passed as `workerData`: index 0 of `cancel` is the cancel flag (Int32). */
export interface WorkerInit {
  cancel: SharedArrayBuffer;
}
