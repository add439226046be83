// One packet being decoded. A Dissection is the single object every protocol's `dissect`
// receives: bounds-checked readers over the bytes, the details tree being built (tree path),
// the requested field values (fast path), the summary columns and the packet's issues.
//
// Two paths share this class, as ARCHITECTURE.md asks:
// - fast path (`tree = false`): no tree items are allocated; `add()` returns undefined at once
//   unless the field was asked for (by a filter or `-T fields`), in which case only its value is kept;
// - tree path (`tree = true`): every `add()` creates a TreeNode with its byte range and label.
// The engine reuses one fast-path Dissection for millions of packets (see `reset`).
import type { TransportInfo } from './transport';
import { etherToString, fieldLabel } from './format';
import { resolveEther } from './resolve';
import { fieldList, type Field, type FieldValue } from './fields';
import type { CaptureState } from './state';

/** What an issue says about the packet: a defect (`truncated`, `malformed`, `checksum-bad`),
 * something not decoded (`unsupported`), or an `expert` observation that is no fault of the
 * packet (a retransmission, a connection request, a duplicate ACK…; its group says which). */
export type IssueKind = 'truncated' | 'malformed' | 'checksum-bad' | 'unsupported' | 'expert';
export type Severity = 'chat' | 'note' | 'warn' | 'error';
/** Wireshark's expert groups (epan/expert.h PI_*), as `tshark -z expert` names them. */
export type ExpertGroup =
  | 'Checksum'
  | 'Sequence'
  | 'Response'
  | 'Request'
  | 'Undecoded'
  | 'Reassemble'
  | 'Malformed'
  | 'Debug'
  | 'Protocol'
  | 'Security'
  | 'Comment'
  | 'Decryption'
  | 'Assumption'
  | 'Deprecated';

export interface Issue {
  kind: IssueKind;
  severity: Severity;
  /** Expert group; when absent it follows from `kind` (core/analysis/expert.ts `expertGroup`). */
  group?: ExpertGroup;
  /** The protocol that raised it (filter name). */
  protocol: string;
  message: string;
  start: number;
  end: number;
}

export interface TreeNode {
  label: string;
  /** Filter name of the field, absent for text-only items. */
  field?: string;
  /** Byte range `[start, end)` in data source `ds` (0 = the frame). */
  start: number;
  end: number;
  ds?: number;
  children?: TreeNode[];
  /** Set on items that carry an issue (expert info). */
  severity?: Severity;
  /** Wireshark's `[…]` items computed rather than read from the packet. */
  generated?: boolean;
  /** The field's value (tree path), for `-T json`-style output. */
  value?: FieldValue;
}

/** A named byte buffer shown as a tab in the bytes pane ("Frame", "Reassembled IPv4"). */
export interface DataSource {
  name: string;
  bytes: Uint8Array;
}

/** What the capture reader knows about a record, plus times the reader or engine computed. */
export interface FrameMeta {
  /** 1-based, in capture order. */
  number: number;
  /** Absolute timestamp: whole seconds since the epoch and nanoseconds (plain numbers, so the
   * fast path allocates no bigint per packet). */
  tsSec: number;
  tsNsec: number;
  /** Nanoseconds since the first packet, and since the previous captured packet. */
  relativeNs: number;
  deltaNs: number;
  capLen: number;
  origLen: number;
  linkType: number;
  interfaceId: number;
  interfaceName?: string;
  comments?: readonly string[];
}

export interface Columns {
  protocol: string;
  info: string;
  /** Network-layer addresses if there are any, else link-layer (resolved names for the link layer). */
  src: string;
  dst: string;
  /** Link-layer addresses, unresolved (for `_ws.col.def_src`-style needs). */
  dlSrc: string;
  dlDst: string;
  netSrc: string;
  netDst: string;
}

/** Raised by the readers; caught at the protocol boundary in `call`. */
const EMPTY = new Uint8Array(0);

const MAX_INFO = 4095;

export class BoundsError extends Error {
  readonly offset: number;
  readonly needed: number;
  /** True when the bytes exist on the wire but were cut by the capture's snaplen. */
  readonly snapped: boolean;
  constructor(offset: number, needed: number, snapped: boolean) {
    // A control-flow signal caught at the layer boundary (`call`), thrown for every truncated
    // or malformed layer: capturing a stack trace would cost more than decoding the packet.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(snapped ? 'packet size limited during capture' : 'malformed packet');
    Error.stackTraceLimit = limit;
    this.offset = offset;
    this.needed = needed;
    this.snapped = snapped;
  }
}

/** A protocol as the dispatcher sees it: its layer field and its decoder. */
export interface Dissector {
  readonly abbrev: string;
  /** Short name for the Protocol column, e.g. `IPv4`, `TCP`. */
  readonly short: string;
  readonly field: Field;
  dissect(p: Dissection, start: number, end: number): void;
}

export interface DissectOptions {
  /** Build the details tree (one packet on screen). */
  tree: boolean;
  /** Field ids whose values to collect on the fast path (a filter's or `-T fields`'s fields). */
  wanted?: Uint8Array | null;
  /** Compute the summary columns (Protocol, Info, Source, Destination). */
  columns?: boolean;
}

export class Dissection {
  /** The bytes of the current data source (the frame, or a reassembled buffer). */
  data: Uint8Array = new Uint8Array(0);
  frame!: FrameMeta;
  state!: CaptureState;
  /** True when this frame was already decoded once in this capture (random-access revisit):
   * protocols read per-capture state instead of updating it. */
  visited = false;
  tree = false;
  columns = true;
  wanted: Uint8Array | null = null;

  /** Upper bound for reads in the current layer (Wireshark's reported length of the tvb). */
  end = 0;
  /** Data source index of `data` (0 = the frame). */
  ds = 0;
  /** Protocols with a wanted field, for `detailFor` (recomputed when `wanted` changes). */
  private readonly wantedLayers = new Set<string>();
  private wantedLayersFor: Uint8Array | null = null;
  /** Offsets of Ethernet addresses given by `setEtherAddresses` (-1: none). */
  private etherData: Uint8Array = EMPTY;
  private etherSrc = -1;
  private etherDst = -1;
  /** The end the current layer claims (see `setLayerEnd`). */
  private claimEnd = 0;

  readonly cols: Columns = {
    protocol: '',
    info: '',
    src: '',
    dst: '',
    dlSrc: '',
    dlDst: '',
    netSrc: '',
    netDst: '',
  };
  /** `frame.protocols`: the layer filter names in order, e.g. eth, ethertype, ip, tcp. */
  readonly protocols: string[] = [];
  readonly issues: Issue[] = [];
  /** Collected values of wanted fields, in decode order: parallel arrays. */
  readonly valueFields: Field[] = [];
  readonly values: FieldValue[] = [];
  /** Layer index (1-based count of that protocol so far) of each collected value, for `ip.src#2`. */
  readonly valueLayers: number[] = [];
  /** Top-level tree items (tree path only). */
  readonly roots: TreeNode[] = [];
  readonly sources: DataSource[] = [];
  /** Current protocol filter name, for issues. */
  protocol = '';
  /** Malformed/truncated mark for the packet list. */
  malformed = false;
  /** Addresses of the innermost network layer (views), for pseudo-header checksums and
   * conversation keys: family 4 (4-byte addresses), 6 (16-byte), or 0 when there is none. */
  netFamily: 0 | 4 | 6 = 0;
  netSrc: Uint8Array = EMPTY;
  netDst: Uint8Array = EMPTY;
  /** True while decoding the packet an ICMP error quotes (Wireshark's in_error_pkt):
   * transport layers must not update conversation state, columns stay the ICMP ones. */
  inError = false;
  /** The UDP or TCP conversation carrying the current payload (set before dispatching it). */
  transport: TransportInfo | undefined = undefined;

  private stack: TreeNode[] = [];

  reset(
    frame: FrameMeta,
    data: Uint8Array,
    state: CaptureState,
    opts: DissectOptions,
    visited = false,
  ): this {
    this.frame = frame;
    this.data = data;
    this.state = state;
    this.visited = visited;
    this.tree = opts.tree;
    this.wanted = opts.wanted ?? null;
    this.columns = opts.columns ?? true;
    this.end = data.length;
    this.ds = 0;
    const c = this.cols;
    c.protocol = c.info = c.src = c.dst = c.dlSrc = c.dlDst = c.netSrc = c.netDst = '';
    // (Setting an array's length is not free; most of these are already empty.)
    this.protocols.length = 0;
    if (this.issues.length) this.issues.length = 0;
    if (this.valueFields.length) {
      this.valueFields.length = 0;
      this.values.length = 0;
      this.valueLayers.length = 0;
    }
    if (this.roots.length) this.roots.length = 0;
    if (this.sources.length) this.sources.length = 0;
    if (this.stack.length) this.stack.length = 0;
    this.protocol = '';
    this.malformed = false;
    this.netFamily = 0;
    this.netSrc = this.netDst = EMPTY;
    this.etherSrc = this.etherDst = -1;
    this.etherData = EMPTY;
    this.inError = false;
    this.transport = undefined;
    if (opts.tree) this.sources.push({ name: `Frame (${data.length} bytes)`, bytes: data });
    return this;
  }

  // ---- readers: big-endian unless suffixed `le`; throw BoundsError past `end` ----

  check(offset: number, n: number): void {
    if (offset < 0 || offset + n > this.end || offset + n > this.data.length) {
      // Beyond the captured bytes of a frame whose wire length was larger: snaplen cut it.
      const snapped = offset + n > this.data.length && this.frame.origLen > this.frame.capLen;
      throw new BoundsError(offset, n, snapped);
    }
  }
  u8(o: number): number {
    this.check(o, 1);
    return this.data[o]!;
  }
  u16(o: number): number {
    this.check(o, 2);
    return (this.data[o]! << 8) | this.data[o + 1]!;
  }
  u16le(o: number): number {
    this.check(o, 2);
    return this.data[o]! | (this.data[o + 1]! << 8);
  }
  u24(o: number): number {
    this.check(o, 3);
    return (this.data[o]! << 16) | (this.data[o + 1]! << 8) | this.data[o + 2]!;
  }
  u32(o: number): number {
    this.check(o, 4);
    return (
      ((this.data[o]! << 24) >>> 0) +
      ((this.data[o + 1]! << 16) | (this.data[o + 2]! << 8) | this.data[o + 3]!)
    );
  }
  u32le(o: number): number {
    this.check(o, 4);
    return (
      ((this.data[o + 3]! << 24) >>> 0) +
      ((this.data[o + 2]! << 16) | (this.data[o + 1]! << 8) | this.data[o]!)
    );
  }
  /** A view (no copy) of `n` bytes. */
  bytes(o: number, n: number): Uint8Array {
    this.check(o, n);
    return this.data.subarray(o, o + n);
  }
  /** Bytes actually available from `o` to the layer end (never throws). */
  remaining(o: number): number {
    return Math.max(0, Math.min(this.end, this.data.length) - o);
  }

  // ---- fields and tree ----

  /** Whether a protocol's items can be recorded: the tree path, or one of its own fields was
   * asked for (e.g. colouring rules want `ip.ttl` but nothing of Ethernet). When false,
   * dissectors skip building items and labels and do only what columns and state need. */
  detailFor(protocol: string): boolean {
    if (this.tree) return true;
    if (this.wanted === null) return false;
    if (this.wantedLayersFor !== this.wanted) {
      this.wantedLayers.clear();
      for (let id = 0; id < this.wanted.length; id++) {
        // A wanted protocol (a filter's `eth[0]`) needs only its own item, not its fields.
        if (this.wanted[id] === 1 && fieldList[id] && fieldList[id]!.type !== 'protocol')
          this.wantedLayers.add(fieldList[id]!.abbrev.split('.')[0]!);
      }
      this.wantedLayersFor = this.wanted;
    }
    return this.wantedLayers.has(protocol);
  }

  /** Whether `add` for this field does any work (tree path, or the field was asked for). */
  wants(f: Field): boolean {
    return this.tree || (this.wanted !== null && this.wanted[f.id] === 1);
  }

  /**
   * Adds a field item over `[start, start + len)`. When `value` is omitted it is read from the
   * bytes according to the field type (big-endian unless `le`), with the mask applied.
   * Returns the tree node on the tree path (so a caller can add children or relabel it).
   */
  add(
    f: Field,
    start: number,
    len: number,
    value?: FieldValue,
    label?: string,
    le = false,
  ): TreeNode | undefined {
    if (!this.tree && (this.wanted === null || this.wanted[f.id] !== 1)) return undefined;
    let raw: number | undefined;
    if (value === undefined && f.type !== 'protocol' && f.type !== 'none') {
      const r = this.readValue(f, start, len, le);
      value = r.value;
      raw = r.raw;
    } else if (f.mask && typeof value === 'number') {
      raw = value * 2 ** f.shift;
    }
    if (this.wanted !== null && this.wanted[f.id] === 1) {
      // A display filter reads a protocol as the bytes its item spans (`eth[0]`, `len(tcp)`)
      // and a label-only item (FT_NONE) as present; other value-less items record nothing.
      const v =
        value ??
        (f.type === 'protocol' ? this.protocolBytes(start, len) : f.type === 'none' ? EMPTY : undefined);
      if (v !== undefined) {
        this.valueFields.push(f);
        this.values.push(v);
        this.valueLayers.push(Math.max(1, this.layerNumber(this.protocol)));
      }
    }
    if (!this.tree) return undefined;
    const node: TreeNode = {
      label: label ?? fieldLabel(f, value, raw),
      field: f.abbrev,
      start,
      end: start + len,
    };
    if (value !== undefined) node.value = value;
    if (this.ds) node.ds = this.ds;
    this.attach(node);
    return node;
  }

  /** A protocol's value for display filters: the bytes its item spans, plus (`tvb`) everything
   * from its start to its layer's end, which `contains` and `matches` search as Wireshark does. */
  private protocolBytes(start: number, len: number): Uint8Array {
    const stop = Math.min(this.end, this.data.length);
    const item: Uint8Array & { tvb?: Uint8Array } = this.data.subarray(start, Math.min(start + len, stop));
    item.tvb = this.data.subarray(start, Math.max(start, stop));
    return item;
  }

  /** Like `add` for values computed by the dissector (Wireshark's `[generated]` items). */
  addGenerated(f: Field, value: FieldValue, label?: string): TreeNode | undefined {
    if (!this.tree && (this.wanted === null || this.wanted[f.id] !== 1)) return undefined;
    const node = this.add(f, 0, 0, value, this.tree ? `[${label ?? fieldLabel(f, value)}]` : undefined);
    if (node) node.generated = true;
    return node;
  }

  /** A text-only item (no field), e.g. "Options: (12 bytes), Maximum segment size, …". */
  addText(label: string, start: number, len: number): TreeNode | undefined {
    if (!this.tree) return undefined;
    const node: TreeNode = { label, start, end: start + len };
    if (this.ds) node.ds = this.ds;
    this.attach(node);
    return node;
  }

  /** Makes `node` the parent of subsequent items until `close()`. No-op on the fast path. */
  open(node: TreeNode | undefined): void {
    if (node) this.stack.push(node);
  }
  close(node: TreeNode | undefined): void {
    if (node && this.stack[this.stack.length - 1] === node) this.stack.pop();
  }

  private attach(node: TreeNode): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent) (parent.children ??= []).push(node);
    else this.roots.push(node);
  }

  private readValue(f: Field, start: number, len: number, le: boolean): { value: FieldValue; raw?: number } {
    switch (f.type) {
      case 'bool':
      case 'uint8':
      case 'uint16':
      case 'uint24':
      case 'uint32':
      case 'int8':
      case 'int16':
      case 'int32':
      case 'framenum': {
        let raw = 0;
        for (let i = 0; i < len; i++) {
          const b = this.u8(le ? start + len - 1 - i : start + i);
          raw = raw * 256 + b;
        }
        let v = f.mask ? ((raw & f.mask) >>> 0) / 2 ** f.shift : raw;
        if (f.type.startsWith('int') && !f.mask) {
          const bits = len * 8;
          if (v >= 2 ** (bits - 1)) v -= 2 ** bits;
        }
        if (f.type === 'bool') return { value: v !== 0, raw };
        return { value: v, raw };
      }
      case 'uint48':
      case 'uint64': {
        let v = 0n;
        for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(this.u8(le ? start + len - 1 - i : start + i));
        return { value: v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v };
      }
      case 'ipv4':
        return { value: this.u32(start) };
      case 'ipv6':
      case 'ether':
      case 'bytes':
        return { value: this.bytes(start, len) };
      case 'string':
        return { value: latin1(this.bytes(start, len)) };
      default:
        return { value: 0 };
    }
  }

  // ---- layers and dispatch ----

  /**
   * Decodes one protocol layer over `[start, end)`: records it in `frame.protocols`, bounds its
   * reads to `end`, and contains any failure to this layer (the rest of the packet is kept).
   * Returns where the layer says it ended (`end` unless it called `setLayerEnd`).
   */
  call(d: Dissector, start: number, end: number): number {
    const savedEnd = this.end;
    const savedClaim = this.claimEnd;
    this.claimEnd = end;
    const savedProtocol = this.protocol;
    const savedDepth = this.stack.length;
    this.protocols.push(d.abbrev);
    this.end = end;
    this.protocol = d.abbrev;
    if (this.columns && d.short) this.cols.protocol = d.short;
    try {
      d.dissect(this, start, end);
    } catch (e) {
      this.stack.length = savedDepth;
      this.failLayer(d, e, start);
    } finally {
      this.end = savedEnd;
      this.protocol = savedProtocol;
    }
    const claimed = this.claimEnd;
    this.claimEnd = savedClaim;
    return claimed;
  }

  /** How many layers of `abbrev` have started so far (the current one included): `ip#2`. */
  layerNumber(abbrev: string): number {
    let n = 0;
    for (let i = 0; i < this.protocols.length; i++) if (this.protocols[i] === abbrev) n++;
    return n;
  }

  /**
   * Says this layer really ends at `end` (e.g. IPv4's total length, ARP's 28 bytes), so the
   * layer below can show what follows as padding or trailer (Wireshark's set_actual_length).
   */
  setLayerEnd(end: number): void {
    if (end < this.claimEnd) this.claimEnd = end;
    if (end < this.end) this.end = end;
  }

  private failLayer(d: Dissector, e: unknown, start: number): void {
    const snapped = e instanceof BoundsError && e.snapped;
    const where = e instanceof BoundsError ? e.offset : start;
    const message = snapped
      ? `Packet size limited during capture: ${d.short} truncated`
      : e instanceof BoundsError
        ? `Malformed Packet (Exception occurred): ${d.short} needs ${e.needed} bytes at offset ${e.offset}`
        : `Malformed Packet: ${d.short}: ${e instanceof Error ? e.message : String(e)}`;
    this.issue(snapped ? 'truncated' : 'malformed', 'error', message, where, Math.max(where, this.end));
    this.malformed = true;
    if (this.columns)
      this.cols.info += snapped ? '[Packet size limited during capture]' : '[Malformed Packet]';
    if (this.tree) this.addText(`[${message}]`, where, 0)!.severity = 'error';
  }

  /** Records an issue (expert info). On the tree path it is also shown under the current item. */
  issue(
    kind: IssueKind,
    severity: Severity,
    message: string,
    start: number,
    end: number,
    group?: ExpertGroup,
  ): void {
    const issue: Issue = { kind, severity, protocol: this.protocol, message, start, end };
    if (group) issue.group = group;
    this.issues.push(issue);
  }

  /** Decodes `bytes` (e.g. a reassembled datagram) as a new data source, then returns to the frame. */
  withSource(name: string, bytes: Uint8Array, fn: () => void): void {
    const saved = { data: this.data, end: this.end, ds: this.ds };
    this.data = bytes;
    this.end = bytes.length;
    if (this.tree) {
      this.sources.push({ name, bytes });
      this.ds = this.sources.length - 1;
    }
    try {
      fn();
    } finally {
      this.data = saved.data;
      this.end = saved.end;
      this.ds = saved.ds;
    }
  }

  /** Decodes the packet an ICMP/ICMPv6 error quotes, without touching columns or state. */
  quoted(fn: () => void): void {
    const saved = {
      columns: this.columns,
      inError: this.inError,
      fam: this.netFamily,
      src: this.netSrc,
      dst: this.netDst,
    };
    this.columns = false;
    this.inError = true;
    try {
      fn();
    } finally {
      this.columns = saved.columns;
      this.inError = saved.inError;
      this.netFamily = saved.fam;
      this.netSrc = saved.src;
      this.netDst = saved.dst;
    }
  }

  // ---- columns ----

  setInfo(text: string): void {
    if (this.columns) this.cols.info = text;
  }
  appendInfo(text: string): void {
    if (this.columns) this.cols.info = this.cols.info ? `${this.cols.info}${text}` : text.trimStart();
  }
  setNetAddresses(src: string, dst: string): void {
    this.cols.netSrc = this.cols.src = src;
    this.cols.netDst = this.cols.dst = dst;
  }
  /** Link-layer addresses: `shown` are the column texts (resolved names), `raw` the plain form. */
  setLinkAddresses(src: string, dst: string, shownSrc = src, shownDst = dst): void {
    this.etherSrc = this.etherDst = -1;
    this.cols.dlSrc = src;
    this.cols.dlDst = dst;
    if (!this.cols.netSrc) {
      this.cols.src = shownSrc;
      this.cols.dst = shownDst;
    }
  }

  /**
   * MAC addresses at offsets in the current data: their text is built only if a column needs it
   * (`finishColumns`), since a network layer usually replaces them — a hot-path saving.
   */
  setEtherAddresses(srcOff: number, dstOff: number): void {
    this.etherData = this.data;
    this.etherSrc = srcOff;
    this.etherDst = dstOff;
    this.cols.dlSrc = this.cols.dlDst = '';
  }

  /** Fills the Source/Destination columns from the link layer when no network layer did. */
  finishColumns(): void {
    // Wireshark's Info column holds at most COL_MAX_INFO_LEN - 1 = 4095 characters.
    if (this.cols.info.length > MAX_INFO) this.cols.info = this.cols.info.slice(0, MAX_INFO);
    if (this.etherSrc < 0 || this.cols.netSrc) return;
    this.cols.src = resolveEther(this.etherData, this.etherSrc);
    this.cols.dst = resolveEther(this.etherData, this.etherDst);
  }

  /** Fills `cols.dlSrc` / `cols.dlDst` (plain link-layer addresses) when a front end asks. */
  fillLinkColumns(): void {
    if (this.etherSrc < 0 || this.cols.dlSrc) return;
    this.cols.dlSrc = etherToString(this.etherData, this.etherSrc);
    this.cols.dlDst = etherToString(this.etherData, this.etherDst);
  }
}

export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
