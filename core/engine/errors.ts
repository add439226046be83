// User-facing engine errors: `message` is complete and shown as is (no stack for user input);
// `code` lets front ends react (e.g. a cancelled open is not an error to report).
import { CaptureError } from '../capture';
import type { EngineErrorDTO } from './api';

export class EngineError extends Error implements EngineErrorDTO {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }

  toDTO(): EngineErrorDTO {
    return { code: this.code, message: this.message };
  }
}

/** Any thrown value → an EngineErrorDTO. Capture errors carry their own code and message;
 * anything else is an internal error, reported with its message. */
export function toEngineErrorDTO(e: unknown): EngineErrorDTO {
  if (e instanceof EngineError) return e.toDTO();
  if (e instanceof CaptureError) return { code: e.code, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `internal error: ${message}` };
}
