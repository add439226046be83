// The preload: the one bridge between the sandboxed renderer and the main process. It exposes
// `window.wirelens` (the Engine API, engine events, the open dialog) and nothing else.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { CaptureSummary, EngineEvent, OpenOutcome, WirelensBridge } from '../core/engine/api';
import { forwardingEngine } from '../core/engine/methods';
import { DIALOG_CHANNEL, EVENT_CHANNEL, INVOKE_CHANNEL, OPENED_CHANNEL, type InvokeReply } from './ipc';

/** Errors keep the engine's message; contextBridge copies only an Error's message across worlds. */
async function unwrap<T>(reply: Promise<InvokeReply<T>>): Promise<T> {
  const settled = await reply;
  if (settled.ok) return settled.result;
  throw new Error(settled.error.message);
}

function invoke<T>(method: string, ...params: unknown[]): Promise<T> {
  return unwrap(ipcRenderer.invoke(INVOKE_CHANNEL, method, params) as Promise<InvokeReply<T>>);
}

function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => ipcRenderer.removeListener(channel, handler);
}

const bridge: WirelensBridge = {
  ...forwardingEngine((method, args) => invoke(method, ...args)),
  openDialog: () => unwrap(ipcRenderer.invoke(DIALOG_CHANNEL) as Promise<InvokeReply<CaptureSummary | null>>),
  onEvent: (listener) => subscribe<EngineEvent>(EVENT_CHANNEL, listener),
  onOpened: (listener) => subscribe<OpenOutcome>(OPENED_CHANNEL, listener),
  pathForFile: (file) => webUtils.getPathForFile(file as File),
};

contextBridge.exposeInMainWorld('wirelens', bridge);
