// The IPC contract between the preload and the main process: one invoke channel carrying an
// Engine API method name and its arguments, answered with an envelope so the engine's error
// message and code survive the trip (Electron would otherwise wrap the message in its own text).
import type { EngineErrorDTO } from '../core/engine/api';

export const INVOKE_CHANNEL = 'wirelens:invoke';
export const EVENT_CHANNEL = 'wirelens:event';
export const OPENED_CHANNEL = 'wirelens:opened';
export const DIALOG_CHANNEL = 'wirelens:open-dialog';

export type InvokeReply<T = unknown> = { ok: true; result: T } | { ok: false; error: EngineErrorDTO };

/** Turns whatever the engine threw into the user-facing DTO (its message, shown as is). */
export function toErrorDTO(error: unknown): EngineErrorDTO {
  if (error && typeof error === 'object') {
    const { message, code } = error as { message?: unknown; code?: unknown };
    if (typeof message === 'string') return { message, code: typeof code === 'string' ? code : 'internal' };
  }
  return { message: String(error), code: 'internal' };
}
