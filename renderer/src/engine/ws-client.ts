// Browser mode's Engine API client: a WebSocket to the browser host (electron/browser-server.ts)
// carrying `{id, method, params}` requests and `{id, result|error}` replies plus `{event}` pushes.
// The token from the page URL authorises the socket.
import type {
  CaptureSummary,
  EngineErrorDTO,
  EngineEvent,
  OpenOutcome,
  WirelensBridge,
} from '../../../core/engine/api';
import { addForwarders } from '../../../core/engine/methods';

/** An engine failure with its user-facing message and code. */
export class EngineCallError extends Error implements EngineErrorDTO {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

// Every EngineApi method not written out below is forwarded as is (see the constructor).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface WebSocketEngineClient extends WirelensBridge {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class WebSocketEngineClient implements WirelensBridge {
  private readonly socket: Promise<WebSocket>;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private nextId = 1;
  private closedError: Error | null = null;

  constructor(url: string) {
    addForwarders(this, (method, args) => this.request(method, args));
    this.socket = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new EngineCallError('unreachable', 'Cannot reach the Wirelens engine.'));
      ws.onmessage = (message) => this.receive(message.data);
      ws.onclose = () => {
        this.closedError = new EngineCallError(
          'closed',
          'The connection to the Wirelens engine was closed. Restart Wirelens and reload the page.',
        );
        for (const call of this.pending.values()) call.reject(this.closedError);
        this.pending.clear();
      };
    });
  }

  /** The socket address for the page this app was loaded from, carrying the page's token. */
  static forPage(location: Location): WebSocketEngineClient {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return new WebSocketEngineClient(`${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`);
  }

  openFile(path: string): Promise<CaptureSummary> {
    return this.request('openFile', [path]);
  }
  openBytes(name: string, bytes: Uint8Array): Promise<CaptureSummary> {
    // One binary frame: 4-byte big-endian header length, the JSON header, then the capture bytes.
    const id = this.nextId++;
    const header = new TextEncoder().encode(JSON.stringify({ id, method: 'openBytes', params: [name] }));
    const frame = new Uint8Array(4 + header.length + bytes.length);
    new DataView(frame.buffer).setUint32(0, header.length);
    frame.set(header, 4);
    frame.set(bytes, 4 + header.length);
    return this.send(id, frame);
  }
  /** The browser has no native dialog to offer; the toolbar uses a file input instead. */
  async openDialog(): Promise<CaptureSummary | null> {
    return null;
  }
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Only Electron's menus open captures behind the renderer's back. */
  onOpened(_listener: (outcome: OpenOutcome) => void): () => void {
    return () => undefined;
  }
  pathForFile(): string {
    return '';
  }

  private request<T>(method: string, params: unknown[]): Promise<T> {
    const id = this.nextId++;
    return this.send(id, JSON.stringify({ id, method, params }));
  }

  private async send<T>(id: number, payload: string | Uint8Array): Promise<T> {
    const ws = await this.socket;
    if (this.closedError) throw this.closedError;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      ws.send(payload);
    });
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    const message = JSON.parse(data) as
      { event: EngineEvent } | { id: number; result: unknown } | { id: number; error: EngineErrorDTO };
    if ('event' in message) {
      for (const listener of this.listeners) listener(message.event);
      return;
    }
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if ('error' in message) call.reject(new EngineCallError(message.error.code, message.error.message));
    else call.resolve(message.result);
  }
}
