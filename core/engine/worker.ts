// worker_threads entry hosting an Engine, so opening a large capture never blocks the UI
// thread. Requests are served one at a time in arrival order; cancel needs no message: the
// client sets a SharedArrayBuffer flag that the open loop polls with Atomics.
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from './engine';
import { toEngineErrorDTO } from './errors';
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

async function serve(req: WorkerRequest): Promise<unknown> {
  const a = req.args;
  switch (req.method) {
    case 'openFile':
      return engine.openFile(String(a[0]));
    case 'openBytes':
      return engine.openBytes(String(a[0]), a[1] as Uint8Array);
    case 'openDemo':
      return engine.openDemo();
    case 'info':
      return engine.info();
    case 'rows':
      return engine.rows(Number(a[0]), Number(a[1]));
    case 'packet':
      return engine.packet(Number(a[0]));
    default:
      throw Object.assign(new Error(`unknown method ${String(req.method)}`), { name: 'BadRequest' });
  }
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
