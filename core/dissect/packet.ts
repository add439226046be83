// The entry point for decoding one record: the frame layer, then whatever the link type leads to.
import { Dissection, type DissectOptions, type FrameMeta } from './dissection';
import type { CaptureState } from './state';
import { frame } from '../protocols/frame';

/**
 * Decodes `data` (the captured bytes of one record). Pass a reused `into` on the fast path to
 * avoid allocating a Dissection per packet.
 */
export function dissectPacket(
  meta: FrameMeta,
  data: Uint8Array,
  state: CaptureState,
  opts: DissectOptions,
  into: Dissection = new Dissection(),
  visited = false,
): Dissection {
  into.reset(meta, data, state, opts, visited);
  into.call(frame, 0, data.length);
  if (opts.columns !== false) into.finishColumns();
  return into;
}
