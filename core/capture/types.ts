// The capture-reader contract shared with the engine and the CLI (see ARCHITECTURE.md).

/** A user-facing failure to open a capture: the message is complete and needs no stack. */
export class CaptureError extends Error {
  readonly code: 'not-a-capture' | 'unreadable' | 'unsupported';
  constructor(code: CaptureError['code'], message: string) {
    super(message);
    this.name = 'CaptureError';
    this.code = code;
  }
}

export interface CaptureRecord {
  /** File offset (in the decompressed stream) where the record/block starts. */
  offset: number;
  /** Index into info.interfaces (global across pcapng sections). */
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  capLen: number;
  origLen: number;
  /** The captured bytes: a view, valid until the next record. */
  data: Uint8Array;
  /** opt_comment (EPB/SPB/OPB). */
  comments?: string[];
  /** epb_flags / pack_flags. */
  flags?: number;
}

export interface CaptureInterface {
  id: number;
  section: number;
  linkType: number;
  linkTypeName: string;
  snapLen: number;
  name?: string;
  description?: string;
  os?: string;
  filter?: string;
  fcsLen?: number;
  /** '1e-6', '1e-9', '2^-20' … */
  tsResolution: string;
  /** if_tsoffset seconds. */
  tsOffset: number;
  /** Counted while reading. */
  packets: number;
}

export interface CaptureSection {
  comments: string[];
  hardware?: string;
  os?: string;
  userAppl?: string;
}

export interface InterfaceStatistics {
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  received?: number;
  dropped?: number;
  comments: string[];
}

export interface CaptureFileInfo {
  format: 'pcap' | 'pcapng';
  /** e.g. 'pcap (microsecond)', 'pcap (nanosecond)', 'pcapng'. */
  formatDescription: string;
  /** gzip, recognised by content. */
  compressed: boolean;
  /** On disk (the compressed size for gzip). */
  fileSize: number;
  byteOrder: 'little' | 'big';
  /** '2.4', '1.0'. */
  version: string;
  /** Grows as pcapng IDBs are read. */
  interfaces: CaptureInterface[];
  sections: CaptureSection[];
  /** All SHB comments. */
  comments: string[];
  nameResolution: { address: string; names: string[] }[];
  interfaceStatistics: InterfaceStatistics[];
  /** DSB contents, e.g. TLS key logs (type 0x544c534b). */
  decryptionSecrets: { type: number; data: Uint8Array }[];
}

export interface CaptureDamage {
  offset: number;
  reason: string;
}

export interface CaptureReader {
  readonly info: CaptureFileInfo;
  /** Streams records in file order. The record object and its `data` view are reused:
   * copy what you keep. Stops at the first damage, then `damage` is set. */
  records(): IterableIterator<CaptureRecord>;
  readonly damage: CaptureDamage | undefined;
  /** Bytes consumed so far (progress). */
  readonly position: number;
  /** Total bytes (the decompressed size for gzip). */
  readonly size: number;
  /** A fresh copy of the packet bytes of the record that started at `offset`. */
  readPacketAt(offset: number): Uint8Array;
  close(): void;
}

export interface CaptureWriter {
  addInterface(iface: { linkType: number; snapLen?: number; name?: string; description?: string }): number;
  writePacket(p: {
    interfaceId: number;
    tsSec: number;
    tsNsec: number;
    data: Uint8Array;
    origLen?: number;
    comments?: string[];
  }): void;
  close(): void;
}

/** The largest packet we accept (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD): more is damage. */
export const MAX_CAPLEN = 262144;
