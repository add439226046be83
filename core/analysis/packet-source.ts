// Where the analysis passes read packets from: a capture reader (the CLI) or an open capture's
// index (the engine re-reading by file offset). Each pass decodes from the first packet with a
// fresh CaptureState, so conversation state is built in capture order.
import type { CaptureReader } from '../capture';
import type { FrameMeta } from '../dissect/dissection';
import { FrameSequence } from '../dissect/frame-sequence';

export interface SourcePacket {
  /** Reused between packets: copy what must outlive the iteration step. */
  meta: FrameMeta;
  data: Uint8Array;
}

export type PacketSource = Iterable<SourcePacket>;

/** Every record of `reader`, in file order. */
export function* readerPackets(reader: CaptureReader): Generator<SourcePacket> {
  const frames = new FrameSequence(reader.info.interfaces);
  const out: SourcePacket = { meta: frames.meta, data: new Uint8Array(0) };
  for (const r of reader.records()) {
    frames.next(r);
    out.data = r.data;
    yield out;
  }
}
