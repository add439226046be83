// Classic libpcap files (draft-ietf-opsawg-pcap): a 24-byte file header, then records of a
// 16-byte header (seconds, µs or ns, captured length, original length) and the packet bytes.
import { linkTypeName } from './linktypes';
import { BaseReader, present } from './reader';
import type { ByteWindow } from './source';
import { CaptureError, MAX_CAPLEN, type CaptureDamage, type CaptureFileInfo } from './types';

export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: 8 more bytes per record header (ifindex, protocol, type). */
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;
const FILE_HEADER = 24;

/** The magic read little-endian, or undefined when the bytes are not a classic pcap header. */
export function pcapByteOrder(magicLe: number): { le: boolean; magic: number } | undefined {
  for (const magic of [PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO, PCAP_MAGIC_MODIFIED]) {
    if (magicLe === magic) return { le: true, magic };
    if (swap32(magicLe) === magic) return { le: false, magic };
  }
  return undefined;
}

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

export class PcapReader extends BaseReader {
  private readonly le: boolean;
  private readonly nanosecond: boolean;
  private readonly recordHeader: number;

  constructor(
    window: ByteWindow,
    fileSize: number,
    compressed: boolean,
    gzDamage: CaptureDamage | undefined,
  ) {
    if (!window.ensure(0, FILE_HEADER)) {
      throw new CaptureError(
        'unreadable',
        `the file ends inside the pcap file header (${window.size} of ${FILE_HEADER} bytes present)`,
      );
    }
    const dv = window.view;
    const order = pcapByteOrder(dv.getUint32(0, true))!;
    const le = order.le;
    const major = dv.getUint16(4, le);
    const minor = dv.getUint16(6, le);
    if (major !== 2) {
      throw new CaptureError('unsupported', `pcap version ${major}.${minor} is not supported (only 2.x)`);
    }
    const snapLen = dv.getUint32(16, le);
    // The link-type field: low 16 bits the link type; bit 26 says bits 28–31 hold the FCS
    // length in 16-bit words (draft-ietf-opsawg-pcap §4).
    const linkField = dv.getUint32(20, le);
    const linkType = linkField & 0xffff;
    const fcsLen = linkField & 0x04000000 ? (linkField >>> 28) * 2 : undefined;
    const nano = order.magic === PCAP_MAGIC_NANO;
    const info: CaptureFileInfo = {
      format: 'pcap',
      formatDescription:
        order.magic === PCAP_MAGIC_MODIFIED
          ? 'pcap (modified, Kuznetzov)'
          : nano
            ? 'pcap (nanosecond)'
            : 'pcap (microsecond)',
      compressed,
      fileSize,
      byteOrder: le ? 'little' : 'big',
      version: `${major}.${minor}`,
      interfaces: [
        {
          id: 0,
          section: 0,
          linkType,
          linkTypeName: linkTypeName(linkType),
          snapLen,
          ...(fcsLen !== undefined ? { fcsLen } : {}),
          tsResolution: nano ? '1e-9' : '1e-6',
          tsOffset: 0,
          packets: 0,
        },
      ],
      sections: [{ comments: [] }],
      comments: [],
      nameResolution: [],
      interfaceStatistics: [],
      decryptionSecrets: [],
    };
    super(info, window, gzDamage);
    this.le = le;
    this.nanosecond = nano;
    this.recordHeader = order.magic === PCAP_MAGIC_MODIFIED ? 24 : 16;
    this.position = FILE_HEADER;
  }

  protected restart(): void {
    this.position = FILE_HEADER;
    this.info.interfaces[0]!.packets = 0;
  }

  protected advance(): boolean {
    const w = this.window;
    const off = this.position;
    const hdr = this.recordHeader;
    if (off >= w.size) return false;
    if (!w.ensure(off, hdr)) {
      return this.fail(
        off,
        `the file ends in the middle of a packet record header at offset ${off} (${present(w, off)} of ${hdr} bytes present)`,
      );
    }
    const dv = w.view;
    const b = off - w.start;
    const le = this.le;
    const sec = dv.getUint32(b, le);
    const frac = dv.getUint32(b + 4, le);
    const capLen = dv.getUint32(b + 8, le);
    const origLen = dv.getUint32(b + 12, le);
    if (capLen > MAX_CAPLEN) {
      return this.fail(
        off,
        `the packet record at offset ${off} says it holds ${capLen} captured bytes, more than the ${MAX_CAPLEN}-byte maximum: the file is corrupt from here`,
      );
    }
    const dataStart = off + hdr;
    if (!w.ensure(dataStart, capLen)) {
      return this.fail(
        off,
        `the file ends in the middle of a packet record at offset ${off} (record says ${capLen} bytes, ${present(w, dataStart)} present)`,
      );
    }
    const r = this.record;
    r.offset = off;
    r.tsSec = sec;
    r.tsNsec = this.nanosecond ? frac : frac * 1000;
    r.capLen = capLen;
    r.origLen = origLen;
    const s = dataStart - w.start;
    r.data = w.buf.subarray(s, s + capLen);
    this.position = dataStart + capLen;
    this.info.interfaces[0]!.packets++;
    return true;
  }

  readPacketAt(offset: number): Uint8Array {
    const header = this.window.copyAt(offset, this.recordHeader);
    if (!header) throw new RangeError(`no packet record at offset ${offset}`);
    const capLen = new DataView(header.buffer).getUint32(8, this.le);
    const data = capLen <= MAX_CAPLEN ? this.window.copyAt(offset + this.recordHeader, capLen) : undefined;
    if (!data) throw new RangeError(`the packet record at offset ${offset} is incomplete`);
    return data;
  }
}
