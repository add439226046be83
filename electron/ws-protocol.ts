// The browser host's WebSocket messages (JSON-RPC-like). Requests are `{id, method, params}`
// text frames, except `openBytes`, whose capture bytes travel in one binary frame:
// a 4-byte big-endian header length, the UTF-8 JSON header `{id, method, params: [name]}`, the bytes.
import type { EngineErrorDTO, EngineEvent } from '../core/engine/api';

export interface RpcRequest {
  id: number;
  method: string;
  params: unknown[];
}

export type RpcReply = { id: number; result: unknown } | { id: number; error: EngineErrorDTO };

export type ServerMessage = RpcReply | { event: EngineEvent };

export function encodeUploadFrame(id: number, name: string, bytes: Uint8Array): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ id, method: 'openBytes', params: [name] }));
  const frame = new Uint8Array(4 + header.length + bytes.length);
  new DataView(frame.buffer).setUint32(0, header.length);
  frame.set(header, 4);
  frame.set(bytes, 4 + header.length);
  return frame;
}

export function decodeUploadFrame(frame: Uint8Array): RpcRequest {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerLength = view.getUint32(0);
  if (4 + headerLength > frame.length) throw new Error('upload header overruns the frame');
  const header = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + headerLength))) as RpcRequest;
  const bytes = frame.subarray(4 + headerLength);
  return { id: header.id, method: 'openBytes', params: [header.params?.[0], bytes] };
}
