// pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks, each `type, length, body, length`.
// Sections start with an SHB that sets the byte order; interfaces (IDB) are numbered per section
// and packets (EPB/SPB/OPB) refer to them. Here interface ids are global across sections.
import { linkTypeName } from './linktypes';
import { BaseReader, present } from './reader';
import type { ByteWindow } from './source';
import { convertTimestamp, converted, MICROSECONDS, tsResolution, type TsResolution } from './timestamps';
import {
  CaptureError,
  MAX_CAPLEN,
  type CaptureDamage,
  type CaptureFileInfo,
  type CaptureInterface,
} from './types';

export const BLOCK = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  OPB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  DSB: 0x0000000a,
} as const;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Larger blocks are treated as corruption (Wireshark uses the same bound for its reads). */
const MAX_BLOCK = 16 * 1024 * 1024;
const OPT_COMMENT = 1;

const utf8 = new TextDecoder('utf-8');

const BLOCK_NAMES: Record<number, string> = {
  [BLOCK.SHB]: 'section header block',
  [BLOCK.IDB]: 'interface description block',
  [BLOCK.OPB]: 'packet block',
  [BLOCK.SPB]: 'simple packet block',
  [BLOCK.NRB]: 'name resolution block',
  [BLOCK.ISB]: 'interface statistics block',
  [BLOCK.EPB]: 'enhanced packet block',
  [BLOCK.DSB]: 'decryption secrets block',
};

interface Section {
  start: number;
  le: boolean;
  /** Global id of the section's first interface. */
  firstInterface: number;
}

export class PcapngReader extends BaseReader {
  private le = true;
  private sections: Section[] = [];
  private resolutions: TsResolution[] = [];
  private offsets: number[] = [];

  constructor(
    window: ByteWindow,
    fileSize: number,
    compressed: boolean,
    gzDamage: CaptureDamage | undefined,
  ) {
    if (!window.ensure(0, 28)) {
      throw new CaptureError(
        'unreadable',
        `the file ends inside the pcapng section header (${window.size} of at least 28 bytes present)`,
      );
    }
    const bom = window.view.getUint32(8, true);
    if (bom !== BYTE_ORDER_MAGIC && bom !== 0x4d3c2b1a) {
      throw new CaptureError(
        'not-a-capture',
        `not a pcap or pcapng file (it starts like a pcapng section header, but its byte-order magic is 0x${bom.toString(16).padStart(8, '0')})`,
      );
    }
    const le = bom === BYTE_ORDER_MAGIC;
    const major = window.view.getUint16(12, le);
    const minor = window.view.getUint16(14, le);
    const info: CaptureFileInfo = {
      format: 'pcapng',
      formatDescription: 'pcapng',
      compressed,
      fileSize,
      byteOrder: le ? 'little' : 'big',
      version: `${major}.${minor}`,
      interfaces: [],
      sections: [],
      comments: [],
      nameResolution: [],
      interfaceStatistics: [],
      decryptionSecrets: [],
    };
    super(info, window, gzDamage);
    if (major !== 1) {
      throw new CaptureError('unsupported', `pcapng version ${major}.${minor} is not supported (only 1.x)`);
    }
  }

  protected restart(): void {
    const info = this.info;
    this.position = 0;
    // `sections` stays: offsets do not change, and readPacketAt may need it during a re-read.
    this.resolutions.length = 0;
    this.offsets.length = 0;
    info.interfaces.length = 0;
    info.sections.length = 0;
    info.comments.length = 0;
    info.nameResolution.length = 0;
    info.interfaceStatistics.length = 0;
    info.decryptionSecrets.length = 0;
  }

  protected advance(): boolean {
    const w = this.window;
    for (;;) {
      const off = this.position;
      if (off >= w.size) return false;
      if (!w.ensure(off, 12)) {
        return this.fail(
          off,
          `the file ends in the middle of a block header at offset ${off} (${present(w, off)} of at least 12 bytes present)`,
        );
      }
      let b = off - w.start;
      let type = w.view.getUint32(b, this.le);
      if (type === BLOCK.SHB) {
        // A new section may switch the byte order (pcapng §4.1).
        const bom = w.view.getUint32(b + 8, true);
        if (bom === BYTE_ORDER_MAGIC) this.le = true;
        else if (bom === 0x4d3c2b1a) this.le = false;
        else
          return this.fail(off, `the section header block at offset ${off} has an invalid byte-order magic`);
      }
      const le = this.le;
      const length = w.view.getUint32(b + 4, le);
      // The checks every block passes; messages are built only on failure (this loop is hot).
      if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK || !w.ensure(off, length)) {
        return this.failBlock(off, type, length);
      }
      b = off - w.start;
      const dv = w.view;
      const trailer = dv.getUint32(b + length - 4, le);
      if (trailer !== length) {
        return this.fail(
          off,
          `the ${blockName(type)} at offset ${off} has length ${length} at its start but ${trailer} at its end`,
        );
      }
      type = dv.getUint32(b, le);
      this.position = off + length;
      switch (type) {
        case BLOCK.EPB:
        case BLOCK.OPB:
          if (this.readPacketBlock(off, b, length, type === BLOCK.OPB)) return true;
          if (this.damage) return false;
          break;
        case BLOCK.SPB:
          if (this.readSimplePacket(off, b, length)) return true;
          if (this.damage) return false;
          break;
        case BLOCK.SHB:
          if (!this.readSectionHeader(off, b, length)) return false;
          break;
        case BLOCK.IDB:
          if (!this.readInterface(off, b, length)) return false;
          break;
        case BLOCK.NRB:
          this.readNameResolution(b, length);
          break;
        case BLOCK.ISB:
          if (!this.readStatistics(off, b, length)) return false;
          break;
        case BLOCK.DSB:
          if (!this.readSecrets(off, b, length)) return false;
          break;
        default:
          // Unknown, custom (0x00000BAD/0x40000BAD) and reserved blocks: skipped whole (§3.1).
          break;
      }
    }
  }

  private failBlock(off: number, type: number, length: number): false {
    const what = blockName(type);
    if (length < 12)
      return this.fail(
        off,
        `the ${what} at offset ${off} has length ${length}, less than the 12-byte minimum`,
      );
    if (length % 4 !== 0) {
      return this.fail(
        off,
        `the ${what} at offset ${off} has length ${length}, which is not a multiple of 4`,
      );
    }
    if (length > MAX_BLOCK) {
      return this.fail(
        off,
        `the ${what} at offset ${off} says it is ${length} bytes long, more than the ${MAX_BLOCK}-byte maximum: the file is corrupt from here`,
      );
    }
    return this.fail(
      off,
      `the file ends in the middle of a ${what} at offset ${off} (block says ${length} bytes, ${present(this.window, off)} present)`,
    );
  }

  /** The section being read (set by the first block, always an SHB). */
  private section!: Section;
  private sectionIndex = 0;

  /** EPB (§4.3) or the obsolete Packet Block (§4.7, 16-bit interface id then drops count). */
  private readPacketBlock(off: number, b: number, length: number, obsolete: boolean): boolean {
    const w = this.window;
    const dv = w.view;
    const le = this.le;
    const what = obsolete ? 'packet block' : 'enhanced packet block';
    if (length < 32) {
      return this.fail(
        off,
        `the ${what} at offset ${off} has length ${length}, less than the 32-byte minimum`,
      );
    }
    const localId = obsolete ? dv.getUint16(b + 8, le) : dv.getUint32(b + 8, le);
    const capLen = dv.getUint32(b + 20, le);
    const origLen = dv.getUint32(b + 24, le);
    const section = this.section;
    const id = section.firstInterface + localId;
    const count = this.info.interfaces.length - section.firstInterface;
    if (localId >= count) {
      return this.fail(
        off,
        `the ${what} at offset ${off} refers to interface ${localId}, but its section has ${count} interface${count === 1 ? '' : 's'}`,
      );
    }
    if (capLen > length - 32) {
      return this.fail(
        off,
        `the ${what} at offset ${off} says it captured ${capLen} bytes, more than the block holds (${length - 32})`,
      );
    }
    if (capLen > MAX_CAPLEN) {
      return this.fail(
        off,
        `the ${what} at offset ${off} says it captured ${capLen} bytes, more than the ${MAX_CAPLEN}-byte maximum`,
      );
    }
    convertTimestamp(
      dv.getUint32(b + 12, le),
      dv.getUint32(b + 16, le),
      this.resolutions[id]!,
      this.offsets[id]!,
    );
    const r = this.record;
    r.offset = off;
    r.interfaceId = id;
    r.tsSec = converted.sec;
    r.tsNsec = converted.nsec;
    r.capLen = capLen;
    r.origLen = origLen;
    r.data = w.buf.subarray(b + 28, b + 28 + capLen);
    r.comments = undefined;
    r.flags = undefined;
    const optStart = b + 28 + ((capLen + 3) & ~3);
    const optEnd = b + length - 4;
    if (optStart < optEnd) {
      forEachOption(dv, optStart, optEnd, le, (code, at, len) => {
        if (code === OPT_COMMENT) (r.comments ??= []).push(text(w.buf, at, len));
        else if (code === 2 && len >= 4) r.flags = dv.getUint32(at, le); // epb_flags / pack_flags
      });
    }
    this.info.interfaces[id]!.packets++;
    return true;
  }

  /** SPB (§4.4): no interface id (always 0), no timestamp; captured length = min(orig, snaplen). */
  private readSimplePacket(off: number, b: number, length: number): boolean {
    const w = this.window;
    const section = this.section;
    if (this.info.interfaces.length <= section.firstInterface) {
      return this.fail(
        off,
        `the simple packet block at offset ${off} comes before any interface description block`,
      );
    }
    if (length < 16) {
      return this.fail(
        off,
        `the simple packet block at offset ${off} has length ${length}, less than the 16-byte minimum`,
      );
    }
    const id = section.firstInterface;
    const iface = this.info.interfaces[id]!;
    const origLen = w.view.getUint32(b + 8, this.le);
    let capLen = Math.min(origLen, length - 16);
    if (iface.snapLen > 0) capLen = Math.min(capLen, iface.snapLen);
    if (capLen > MAX_CAPLEN) {
      return this.fail(
        off,
        `the simple packet block at offset ${off} holds ${capLen} bytes, more than the ${MAX_CAPLEN}-byte maximum`,
      );
    }
    const r = this.record;
    r.offset = off;
    r.interfaceId = id;
    r.tsSec = 0;
    r.tsNsec = 0;
    r.capLen = capLen;
    r.origLen = origLen;
    r.data = w.buf.subarray(b + 12, b + 12 + capLen);
    r.comments = undefined;
    r.flags = undefined;
    iface.packets++;
    return true;
  }

  /** SHB (§4.1): starts a new section; its interfaces are numbered from 0 again. */
  private readSectionHeader(off: number, b: number, length: number): boolean {
    const w = this.window;
    const dv = w.view;
    const le = this.le;
    if (length < 28) {
      return this.fail(
        off,
        `the section header block at offset ${off} has length ${length}, less than the 28-byte minimum`,
      );
    }
    const major = dv.getUint16(b + 12, le);
    if (major !== 1) {
      return this.fail(
        off,
        `the section at offset ${off} has pcapng version ${major}.${dv.getUint16(b + 14, le)}, which is not supported`,
      );
    }
    this.sectionIndex = this.info.sections.length;
    this.section = this.sections[this.sectionIndex] ??= {
      start: off,
      le,
      firstInterface: this.info.interfaces.length,
    };
    const section: CaptureFileInfo['sections'][number] = { comments: [] };
    forEachOption(dv, b + 24, b + length - 4, le, (code, at, len) => {
      const value = text(w.buf, at, len);
      if (code === OPT_COMMENT) {
        section.comments.push(value);
        this.info.comments.push(value);
      } else if (code === 2) section.hardware = value;
      else if (code === 3) section.os = value;
      else if (code === 4) section.userAppl = value;
    });
    this.info.sections.push(section);
    return true;
  }

  /** IDB (§4.2). */
  private readInterface(off: number, b: number, length: number): boolean {
    const w = this.window;
    const dv = w.view;
    const le = this.le;
    if (length < 20) {
      return this.fail(
        off,
        `the interface description block at offset ${off} has length ${length}, less than the 20-byte minimum`,
      );
    }
    const linkType = dv.getUint16(b + 8, le);
    const id = this.info.interfaces.length;
    const iface: CaptureInterface = {
      id,
      section: this.sectionIndex,
      linkType,
      linkTypeName: linkTypeName(linkType),
      snapLen: dv.getUint32(b + 12, le),
      tsResolution: MICROSECONDS.label,
      tsOffset: 0,
      packets: 0,
    };
    let resolution = MICROSECONDS;
    forEachOption(dv, b + 16, b + length - 4, le, (code, at, len) => {
      switch (code) {
        case 2:
          iface.name = text(w.buf, at, len);
          break;
        case 3:
          iface.description = text(w.buf, at, len);
          break;
        case 9:
          if (len >= 1) resolution = tsResolution(w.buf[at]!);
          break;
        case 11:
          // if_filter: the first byte says the kind (0 = libpcap filter string).
          if (len >= 1) iface.filter = text(w.buf, at + 1, len - 1);
          break;
        case 12:
          iface.os = text(w.buf, at, len);
          break;
        case 13:
          // if_fcslen is in bits (§4.2); we report bytes like the classic pcap header.
          if (len >= 1) iface.fcsLen = w.buf[at]! / 8;
          break;
        case 14:
          if (len >= 8) {
            const lo = dv.getUint32(at + (le ? 0 : 4), le);
            const hi = dv.getInt32(at + (le ? 4 : 0), le);
            iface.tsOffset = hi * 4294967296 + lo;
          }
          break;
      }
    });
    iface.tsResolution = resolution.label;
    this.resolutions.push(resolution);
    this.offsets.push(iface.tsOffset);
    this.info.interfaces.push(iface);
    return true;
  }

  /** NRB (§4.5): records of (type, length, value) up to nrb_record_end. */
  private readNameResolution(b: number, length: number): void {
    const w = this.window;
    const dv = w.view;
    const le = this.le;
    const end = b + length - 4;
    let p = b + 8;
    while (p + 4 <= end) {
      const type = dv.getUint16(p, le);
      const len = dv.getUint16(p + 2, le);
      if (type === 0 || p + 4 + len > end) break;
      const at = p + 4;
      const addrLen = type === 1 ? 4 : type === 2 ? 16 : 0;
      if (addrLen && len > addrLen) {
        const address = addrLen === 4 ? formatIPv4(w.buf, at) : formatIPv6(w.buf, at);
        const names = text(w.buf, at + addrLen, len - addrLen)
          .split('\0')
          .filter((n) => n.length > 0);
        this.info.nameResolution.push({ address, names });
      }
      p = at + ((len + 3) & ~3);
    }
  }

  /** ISB (§4.6). */
  private readStatistics(off: number, b: number, length: number): boolean {
    const w = this.window;
    const dv = w.view;
    const le = this.le;
    if (length < 24) {
      return this.fail(
        off,
        `the interface statistics block at offset ${off} has length ${length}, less than the 24-byte minimum`,
      );
    }
    const localId = dv.getUint32(b + 8, le);
    const id = this.section.firstInterface + localId;
    if (id >= this.info.interfaces.length) return true; // statistics for an interface we never saw: ignored
    convertTimestamp(
      dv.getUint32(b + 12, le),
      dv.getUint32(b + 16, le),
      this.resolutions[id]!,
      this.offsets[id]!,
    );
    const stats: CaptureFileInfo['interfaceStatistics'][number] = {
      interfaceId: id,
      tsSec: converted.sec,
      tsNsec: converted.nsec,
      comments: [],
    };
    forEachOption(dv, b + 20, b + length - 4, le, (code, at, len) => {
      if (code === OPT_COMMENT) stats.comments.push(text(w.buf, at, len));
      else if (code === 4 && len >= 8) stats.received = readU64(dv, at, le);
      else if (code === 5 && len >= 8) stats.dropped = readU64(dv, at, le);
    });
    this.info.interfaceStatistics.push(stats);
    return true;
  }

  /** DSB (§4.8): keep the secrets (e.g. a TLS key log) for the dissectors. */
  private readSecrets(off: number, b: number, length: number): boolean {
    const w = this.window;
    const dv = w.view;
    if (length < 20) {
      return this.fail(
        off,
        `the decryption secrets block at offset ${off} has length ${length}, less than the 20-byte minimum`,
      );
    }
    const type = dv.getUint32(b + 8, this.le);
    const len = dv.getUint32(b + 12, this.le);
    if (len > length - 20) {
      return this.fail(
        off,
        `the decryption secrets block at offset ${off} says it holds ${len} bytes, more than the block holds (${length - 20})`,
      );
    }
    this.info.decryptionSecrets.push({ type, data: w.buf.slice(b + 16, b + 16 + len) });
    return true;
  }

  readPacketAt(offset: number): Uint8Array {
    let section: Section | undefined;
    for (const s of this.sections) if (s.start <= offset) section = s;
    if (!section) throw new RangeError(`no packet block at offset ${offset}`);
    const le = section.le;
    const head = this.window.copyAt(offset, 28);
    if (!head) throw new RangeError(`no packet block at offset ${offset}`);
    const dv = new DataView(head.buffer);
    const type = dv.getUint32(0, le);
    const length = dv.getUint32(4, le);
    let start: number;
    let capLen: number;
    if (type === BLOCK.EPB || type === BLOCK.OPB) {
      start = offset + 28;
      capLen = Math.min(dv.getUint32(20, le), Math.max(0, length - 32));
    } else if (type === BLOCK.SPB) {
      start = offset + 12;
      const origLen = dv.getUint32(8, le);
      const snapLen = this.info.interfaces[section.firstInterface]?.snapLen ?? 0;
      capLen = Math.min(origLen, Math.max(0, length - 16), snapLen > 0 ? snapLen : Infinity);
    } else {
      throw new RangeError(`no packet block at offset ${offset}`);
    }
    const data = capLen <= MAX_CAPLEN ? this.window.copyAt(start, capLen) : undefined;
    if (!data) throw new RangeError(`the packet block at offset ${offset} is incomplete`);
    return data;
  }
}

function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `block of type 0x${type.toString(16).padStart(8, '0')}`;
}

/** Walks options (§3.5) within [start, end); a length running past the end stops the walk. */
function forEachOption(
  dv: DataView,
  start: number,
  end: number,
  le: boolean,
  visit: (code: number, at: number, length: number) => void,
): void {
  let p = start;
  while (p + 4 <= end) {
    const code = dv.getUint16(p, le);
    const len = dv.getUint16(p + 2, le);
    if (code === 0) return; // opt_endofopt
    if (p + 4 + len > end) return;
    visit(code, p + 4, len);
    p += 4 + ((len + 3) & ~3);
  }
}

function text(buf: Uint8Array, at: number, len: number): string {
  let end = at + len;
  while (end > at && buf[end - 1] === 0) end--;
  return utf8.decode(buf.subarray(at, end));
}

function readU64(dv: DataView, at: number, le: boolean): number {
  const lo = dv.getUint32(at + (le ? 0 : 4), le);
  const hi = dv.getUint32(at + (le ? 4 : 0), le);
  return hi * 4294967296 + lo;
}

function formatIPv4(buf: Uint8Array, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}

/** RFC 5952 text form: lowercase, longest run of zero groups (≥ 2) as '::'. */
function formatIPv6(buf: Uint8Array, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((buf[at + 2 * i]! << 8) | buf[at + 2 * i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
