// worker_threads entry hosting an Engine, so opening a large capture never blocks the UI
// thread. Requests are served one at a time in arrival order; cancel needs no message: the
// client sets a SharedArrayBuffer flag that the open loop polls with Atomics.
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from './engine';
import { toEngineErrorDTO } from './errors';
import { BadRequestError, checkArgs, invokeEngine, isEngineMethod } from './methods';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('engine worker: must run in a worker thread');
const init = workerData as WorkerInit;
const engine = new Engine({
  cancelFlag: new Int32Array(init.cancel),
  yieldDuringOpen: false,
  resetCancelOnOpen: false,
});
engine.onEvent((event) => port.postMessage({ event } satisfies WorkerReply));

/** The client is trusted (our own process), but a wrong method or argument must still fail
 * as a clear error rather than deep in the engine. */
function serve(req: WorkerRequest): Promise<unknown> {
  if (!isEngineMethod(req.method)) throw new BadRequestError(`Unknown method ${JSON.stringify(req.method)}.`);
  return invokeEngine(engine, req.method, checkArgs(req.method, req.args));
}

// Serialise requests: the engine holds one capture and `rows` must see a finished open.
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => {
    try {
      const result = await serve(req);
      port.postMessage({ id: req.id, result } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ id: req.id, error: toEngineErrorDTO(e) } satisfies WorkerReply);
    }
  });
});
