// Per-capture state shared by the decoders across packets: what one packet's decode needs to
// know about earlier packets (TCP sequence bases, IP fragments waiting for reassembly, …).
// Each protocol keeps its own slot, created on first use, so the framework knows nothing of
// TCP or IP. On a revisit (random access by the engine) protocols only read their slot.

export class CaptureState {
  private readonly slots = new Map<string, unknown>();

  /** The protocol's state object, created by `init` the first time. */
  slot<T>(name: string, init: () => T): T {
    let s = this.slots.get(name) as T | undefined;
    if (s === undefined) {
      s = init();
      this.slots.set(name, s);
    }
    return s;
  }
}
