// What Electron's main process and the browser host share: the capture opened at start (a path
// from the command line, else the demo) and the checked dispatch of an Engine API call that
// arrived from the renderer, whose arguments are untrusted.
import type { EngineApi, EngineErrorDTO } from '../core/engine/api';
import { isEngineMethod } from './ipc';

/** The most rows one call may ask for: a screenful many times over, bounded so one call stays cheap. */
const MAX_ROWS_PER_CALL = 10_000;

export class BadRequestError extends Error implements EngineErrorDTO {
  readonly code = 'bad-request';
}

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
    const args = Array.isArray(params) ? params : [];
    const engine = this.engine;
    switch (method) {
      case 'openFile':
        return engine.openFile(requireString(args[0], 'path'));
      case 'openBytes':
        if (!(args[1] instanceof Uint8Array)) throw new BadRequestError('openBytes needs the capture bytes.');
        return engine.openBytes(requireString(args[0], 'name'), args[1]);
      case 'openDemo':
        return engine.openDemo();
      case 'cancel':
        return engine.cancel();
      case 'info': {
        // The renderer asks for info as soon as it loads; answer once the start-up open is done,
        // and report that open's failure to the first asker so the message is shown.
        await this.startup;
        const failure = this.startupError;
        if (failure) {
          this.startupError = null;
          throw failure;
        }
        return engine.info();
      }
      case 'rows':
        return engine.rows(
          requireInteger(args[0], 'start', 0, Number.MAX_SAFE_INTEGER),
          requireInteger(args[1], 'count', 0, MAX_ROWS_PER_CALL),
        );
      case 'packet':
        return engine.packet(requireInteger(args[0], 'number', 1, Number.MAX_SAFE_INTEGER));
    }
  }
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new BadRequestError(`${name} must be a non-empty string.`);
  return value;
}

function requireInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestError(`${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}
