// From capture records, in file order, to the FrameMeta the decoders read: frame numbers, the
// interface's link type and name, and the times relative to the first and the previous
// packet. One reused FrameMeta, so a bulk pass allocates nothing per packet here.
import type { CaptureInterface, CaptureRecord } from '../capture/types';
import type { FrameMeta } from './dissection';

/** A FrameMeta to fill in (frame number 0: none yet). */
export function emptyFrameMeta(): FrameMeta {
  return {
    number: 0,
    tsSec: 0,
    tsNsec: 0,
    relativeNs: 0,
    deltaNs: 0,
    capLen: 0,
    origLen: 0,
    linkType: 0,
    interfaceId: 0,
  };
}

export class FrameSequence {
  readonly meta: FrameMeta = emptyFrameMeta();
  private firstSec = 0;
  private firstNsec = 0;
  private prevSec = 0;
  private prevNsec = 0;

  /** `interfaces` is the reader's live list (pcapng adds interfaces as it reads). */
  constructor(private readonly interfaces: readonly CaptureInterface[]) {}

  /** The metadata of the next record (the same object each time, refilled). */
  next(r: CaptureRecord): FrameMeta {
    const m = this.meta;
    if (m.number === 0) {
      this.firstSec = this.prevSec = r.tsSec;
      this.firstNsec = this.prevNsec = r.tsNsec;
    }
    const iface = this.interfaces[r.interfaceId];
    m.number++;
    m.tsSec = r.tsSec;
    m.tsNsec = r.tsNsec;
    m.relativeNs = (r.tsSec - this.firstSec) * 1e9 + (r.tsNsec - this.firstNsec);
    m.deltaNs = (r.tsSec - this.prevSec) * 1e9 + (r.tsNsec - this.prevNsec);
    m.capLen = r.capLen;
    m.origLen = r.origLen;
    m.linkType = iface?.linkType ?? 0;
    m.interfaceId = r.interfaceId;
    m.interfaceName = iface?.name;
    m.comments = r.comments;
    this.prevSec = r.tsSec;
    this.prevNsec = r.tsNsec;
    return m;
  }
}
