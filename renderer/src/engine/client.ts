// The one object the renderer talks to the engine through: Electron's preload bridge when it is
// there, otherwise a WebSocket to the browser-mode host that served this page.
import type { WirelensBridge } from '../../../core/engine/api';
import { WebSocketEngineClient } from './ws-client';

export const isElectron = typeof window !== 'undefined' && window.wirelens !== undefined;

let client: WirelensBridge | null = null;

export function engineClient(): WirelensBridge {
  client ??= window.wirelens ?? WebSocketEngineClient.forPage(window.location);
  return client;
}
