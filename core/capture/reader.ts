// What the pcap and pcapng readers share: the reused record, the allocation-free iterator,
// damage bookkeeping (including a gzip stream that was cut short) and closing.
import type { ByteWindow } from './source';
import type { CaptureDamage, CaptureFileInfo, CaptureReader, CaptureRecord } from './types';

const EMPTY = new Uint8Array(0);

export abstract class BaseReader implements CaptureReader {
  damage: CaptureDamage | undefined;
  position = 0;
  protected readonly record: CaptureRecord = {
    offset: 0,
    interfaceId: 0,
    tsSec: 0,
    tsNsec: 0,
    capLen: 0,
    origLen: 0,
    data: EMPTY,
    comments: undefined,
    flags: undefined,
  };

  constructor(
    readonly info: CaptureFileInfo,
    protected readonly window: ByteWindow,
    /** Set when the gzip stream behind `window` could only be inflated in part. */
    private readonly decompressionDamage: CaptureDamage | undefined,
  ) {}

  get size(): number {
    return this.window.size;
  }

  records(): IterableIterator<CaptureRecord> {
    this.damage = undefined;
    this.restart();
    // One result object for the whole walk: for…of reads it before asking for the next.
    const result: IteratorResult<CaptureRecord> = { value: this.record, done: false };
    const finished: IteratorResult<CaptureRecord> = { value: undefined, done: true };
    const iterator: IterableIterator<CaptureRecord> = {
      next: () => {
        if (this.damage === undefined && this.advance()) return result;
        if (this.damage === undefined && this.decompressionDamage) this.damage = this.decompressionDamage;
        return finished;
      },
      [Symbol.iterator]: () => iterator,
    };
    return iterator;
  }

  /** Records the first damage; the walk stops there. Always returns false (for `return this.fail(…)`). */
  protected fail(offset: number, reason: string): false {
    const gz = this.decompressionDamage;
    this.damage = { offset, reason: gz ? `${reason} (${gz.reason})` : reason };
    return false;
  }

  /** Rewinds to the first record and resets what reading counts. */
  protected abstract restart(): void;
  /** Fills `record` with the next packet; false at the end or at damage (then `fail` was called). */
  protected abstract advance(): boolean;
  abstract readPacketAt(offset: number): Uint8Array;

  close(): void {
    this.window.close();
  }
}

/** "N bytes present" for messages about a record cut short. */
export function present(window: ByteWindow, from: number): number {
  return Math.max(0, window.size - from);
}
