// The engine's display-filter pass: decodes every packet of the open capture again (as a
// revisit of the open pass, so TCP and reassembly state are read, not rebuilt) on the fast path
// with only the fields the filter reads, and collects the matching packets' indexes. Progress
// and cancellation work as for opening a capture.
import type { CaptureReader } from '../capture';
import { Dissection } from '../dissect/dissection';
import { fieldList, type Field, type FieldValue } from '../dissect/fields';
import { FrameSequence } from '../dissect/frame-sequence';
import { dissectPacket } from '../dissect/packet';
import type { CaptureState } from '../dissect/state';
import { compileFilter, FilterError, type CompiledFilter } from '../filter';
import { EngineError } from './errors';

export interface FilterPassHooks {
  /** True when the pass must stop (cancel, or a newer open or filter started). */
  cancelled(): boolean;
  progress(done: number, total: number, matched: number): void;
  /** Give the event loop a turn now and then (in-process engines). */
  yieldEvery?: number;
}

const CHECK_EVERY = 4096;

/** Compiles `expr` for the engine; a bad filter becomes a positioned `bad-filter` EngineError. */
export function compileForEngine(
  expr: string,
  reference?: (f: Field) => readonly FieldValue[],
): CompiledFilter {
  try {
    return compileFilter(expr, reference ? { reference } : {});
  } catch (e) {
    if (e instanceof FilterError) {
      const err = new EngineError('bad-filter', e.message);
      Object.assign(err, { start: e.start, end: e.end });
      throw err;
    }
    throw e;
  }
}

/** Where a pass stops now and then: cancel, report progress, and let the event loop run. */
class Checkpoint {
  private lastYield = performance.now();
  constructor(private readonly hooks: FilterPassHooks) {}

  async reached(done: number, total: number, matched: number): Promise<void> {
    const hooks = this.hooks;
    if (hooks.cancelled()) throw new EngineError('cancelled', 'Filtering was cancelled.');
    hooks.progress(done, total, matched);
    if (hooks.yieldEvery !== undefined && performance.now() - this.lastYield >= hooks.yieldEvery) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
      if (hooks.cancelled()) throw new EngineError('cancelled', 'Filtering was cancelled.');
    }
  }
}

/** Runs `filter` over every record of `reader`; returns the 0-based indexes of the matches. */
export async function filterPass(
  reader: CaptureReader,
  state: CaptureState,
  total: number,
  filter: CompiledFilter,
  hooks: FilterPassHooks,
): Promise<Uint32Array> {
  const wanted = new Uint8Array(fieldList.length);
  filter.markWanted(wanted);
  const opts = { tree: false, columns: false, wanted };
  const p = new Dissection();
  const frames = new FrameSequence(reader.info.interfaces);
  let out = new Uint32Array(Math.max(16, Math.min(total, 1 << 16)));
  let matched = 0;
  let i = 0;
  const checkpoint = new Checkpoint(hooks);
  for (const r of reader.records()) {
    if (i >= total) break;
    dissectPacket(frames.next(r), r.data, state, opts, p, true);
    if (filter.match(p)) {
      if (matched === out.length) {
        const grown = new Uint32Array(Math.min(Math.max(out.length * 2, 16), Math.max(total, 16)));
        grown.set(out);
        out = grown;
      }
      out[matched++] = i;
    }
    i++;
    if ((i & (CHECK_EVERY - 1)) === 0) {
      await checkpoint.reached(i, total, matched);
    }
  }
  hooks.progress(i, total, matched);
  return out.slice(0, matched);
}

/**
 * The same pass answered from the open pass's facts (no reading, no decoding), except for the
 * packets marked complex, which `decode` decodes again with the filter's fields.
 */
export async function factsPass(
  total: number,
  filter: CompiledFilter,
  view: (i: number) => Dissection,
  isComplex: (i: number) => boolean,
  decode: (i: number, wanted: Uint8Array) => Dissection,
  hooks: FilterPassHooks,
): Promise<Uint32Array> {
  const wanted = new Uint8Array(fieldList.length);
  filter.markWanted(wanted);
  const out = new Uint32Array(total);
  let matched = 0;
  const checkpoint = new Checkpoint(hooks);
  for (let i = 0; i < total; i++) {
    const p = isComplex(i) ? decode(i, wanted) : view(i);
    if (filter.match(p)) out[matched++] = i;
    if (((i + 1) & (CHECK_EVERY * 16 - 1)) === 0) {
      await checkpoint.reached(i + 1, total, matched);
    }
  }
  hooks.progress(total, total, matched);
  return out.slice(0, matched);
}

/**
 * Payload filters (`tcp.payload contains …`) from the facts: the records are read in order but
 * not decoded; the payload is sliced from each record at the offset the open pass noted.
 * Packets marked complex are decoded.
 */
export async function factsBytesPass(
  reader: CaptureReader,
  state: CaptureState,
  total: number,
  filter: CompiledFilter,
  view: (i: number, data: Uint8Array) => Dissection,
  isComplex: (i: number) => boolean,
  hooks: FilterPassHooks,
): Promise<Uint32Array> {
  const wanted = new Uint8Array(fieldList.length);
  filter.markWanted(wanted);
  const opts = { tree: false, columns: false, wanted };
  const p = new Dissection();
  const frames = new FrameSequence(reader.info.interfaces);
  const out = new Uint32Array(total);
  let matched = 0;
  let i = 0;
  const checkpoint = new Checkpoint(hooks);
  for (const r of reader.records()) {
    if (i >= total) break;
    const meta = frames.next(r);
    const d = isComplex(i) ? dissectPacket(meta, r.data, state, opts, p, true) : view(i, r.data);
    if (filter.match(d)) out[matched++] = i;
    i++;
    if ((i & (CHECK_EVERY - 1)) === 0) {
      await checkpoint.reached(i, total, matched);
    }
  }
  hooks.progress(i, total, matched);
  return out.slice(0, matched);
}
