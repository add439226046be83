// What Electron's main process and the browser host share: the capture opened at start (a path
// from the command line, else the demo) and the checked dispatch of an Engine API call that
// arrived from the renderer, whose arguments are untrusted.
import type { EngineApi } from '../core/engine/api';
import { BadRequestError, checkArgs, invokeEngine, isEngineMethod } from '../core/engine/methods';

export class EngineService {
  private startup: Promise<void> = Promise.resolve();
  private startupError: unknown = null;

  constructor(readonly engine: EngineApi) {}

  /** Opens the capture named on the command line, or the demo; `info()` waits for it. */
  openAtStart(path: string | undefined): Promise<void> {
    const opening = path ? this.engine.openFile(path) : this.engine.openDemo();
    this.startup = opening.then(
      () => undefined,
      (error: unknown) => {
        this.startupError = error;
      },
    );
    return this.startup;
  }

  /** Runs `method` with `params` after checking both; throws the engine's error unchanged. */
  async call(method: unknown, params: unknown): Promise<unknown> {
    if (!isEngineMethod(method)) throw new BadRequestError(`Unknown method ${JSON.stringify(method)}.`);
    const args = checkArgs(method, params);
    if (method === 'info') {
      // The renderer asks for info as soon as it loads; answer once the start-up open is done,
      // and report that open's failure to the first asker so the message is shown.
      await this.startup;
      const failure = this.startupError;
      if (failure) {
        this.startupError = null;
        throw failure;
      }
    }
    return invokeEngine(this.engine, method, args);
  }
}
