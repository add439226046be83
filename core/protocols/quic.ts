// QUIC version 1 (RFC 9000) over UDP, as tshark 4.0 shows it: long headers (Initial, 0-RTT,
// Handshake, Retry; Version Negotiation) and short headers, several packets coalesced in one
// datagram (RFC 9000 §12.2). Initial packets are protected with keys anyone can derive from the
// client's Destination Connection ID (RFC 9001 §5.2), so — like tshark — we remove their header
// protection (§5.4), decrypt them (AES-128-GCM, §5.3) and decode their frames, CRYPTO data going
// to the TLS handshake decoder. Other packets stay encrypted ("Protected Payload"). A Retry's
// integrity tag is verified (§5.8).
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { Dissection, Dissector } from '../dissect/dissection';
import { bytesToHex, hex } from '../dissect/format';
import { defineProtocol, protocols } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { varint, varintAt } from './quic-varint';
import { dissectHandshake, handshakeName, type HandshakeContext } from './tls-handshake';

export const UDP_PORT_QUIC = 443;
const QUIC_V1 = 0x00000001;
const QUIC_V2 = 0x6b3343cf;

const LONG_TYPES: Readonly<Record<number, string>> = { 0: 'Initial', 1: '0-RTT', 2: 'Handshake', 3: 'Retry' };

/** RFC 9000 §19 / §22.4 frame types, as tshark names them. */
const FRAME_TYPES: Readonly<Record<number, string>> = {
  0x00: 'PADDING',
  0x01: 'PING',
  0x02: 'ACK',
  0x03: 'ACK',
  0x04: 'RESET_STREAM',
  0x05: 'STOP_SENDING',
  0x06: 'CRYPTO',
  0x07: 'NEW_TOKEN',
  0x08: 'STREAM',
  0x10: 'MAX_DATA',
  0x11: 'MAX_STREAM_DATA',
  0x12: 'MAX_STREAMS (BIDI)',
  0x13: 'MAX_STREAMS (UNI)',
  0x14: 'DATA_BLOCKED',
  0x15: 'STREAM_DATA_BLOCKED',
  0x16: 'STREAMS_BLOCKED (BIDI)',
  0x17: 'STREAMS_BLOCKED (UNI)',
  0x18: 'NEW_CONNECTION_ID',
  0x19: 'RETIRE_CONNECTION_ID',
  0x1a: 'PATH_CHALLENGE',
  0x1b: 'PATH_RESPONSE',
  0x1c: 'CONNECTION_CLOSE',
  0x1d: 'CONNECTION_CLOSE',
  0x1e: 'HANDSHAKE_DONE',
};

const VERSIONS: Readonly<Record<number, string>> = {
  0x00000000: 'Version Negotiation',
  0x00000001: '1',
  0x6b3343cf: '2',
};

export const quic = defineProtocol({
  abbrev: 'quic',
  name: 'QUIC IETF',
  short: 'QUIC',
  fields: {
    connectionNumber: { abbrev: 'quic.connection.number', name: 'Connection Number', type: 'uint32' },
    packetLength: { abbrev: 'quic.packet_length', name: 'Packet Length', type: 'uint32' },
    headerForm: {
      abbrev: 'quic.header_form',
      name: 'Header Form',
      type: 'uint8',
      mask: 0x80,
      vals: { 0: 'Short Header', 1: 'Long Header' },
    },
    fixedBit: {
      abbrev: 'quic.fixed_bit',
      name: 'Fixed Bit',
      type: 'bool',
      mask: 0x40,
      tfs: ['True', 'False'],
    },
    longPacketType: {
      abbrev: 'quic.long.packet_type',
      name: 'Packet Type',
      type: 'uint8',
      mask: 0x30,
      vals: LONG_TYPES,
    },
    longReserved: { abbrev: 'quic.long.reserved', name: 'Reserved', type: 'uint8', mask: 0x0c },
    packetNumberLength: {
      abbrev: 'quic.packet_number_length',
      name: 'Packet Number Length',
      type: 'uint8',
      mask: 0x03,
      vals: { 0: '1 bytes', 1: '2 bytes', 2: '3 bytes', 3: '4 bytes' },
    },
    vnUnused: { abbrev: 'quic.vn.unused', name: 'Unused', type: 'uint8', base: 'hex', mask: 0x7f },
    version: { abbrev: 'quic.version', name: 'Version', type: 'uint32', base: 'hex' },
    dcil: { abbrev: 'quic.dcil', name: 'Destination Connection ID Length', type: 'uint8' },
    dcid: { abbrev: 'quic.dcid', name: 'Destination Connection ID', type: 'bytes' },
    scil: { abbrev: 'quic.scil', name: 'Source Connection ID Length', type: 'uint8' },
    scid: { abbrev: 'quic.scid', name: 'Source Connection ID', type: 'bytes' },
    supportedVersion: {
      abbrev: 'quic.supported_version',
      name: 'Supported Version',
      type: 'uint32',
      base: 'hex',
    },
    tokenLength: { abbrev: 'quic.token_length', name: 'Token Length', type: 'uint64' },
    token: { abbrev: 'quic.token', name: 'Token', type: 'bytes' },
    length: { abbrev: 'quic.length', name: 'Length', type: 'uint64' },
    packetNumber: { abbrev: 'quic.packet_number', name: 'Packet Number', type: 'uint64' },
    payload: { abbrev: 'quic.payload', name: 'Payload', type: 'bytes' },
    short: { abbrev: 'quic.short', name: 'QUIC Short Header', type: 'none' },
    spinBit: { abbrev: 'quic.spin_bit', name: 'Spin Bit', type: 'bool', mask: 0x20, tfs: ['True', 'False'] },
    remainingPayload: { abbrev: 'quic.remaining_payload', name: 'Remaining Payload', type: 'bytes' },
    retryToken: { abbrev: 'quic.retry_token', name: 'Retry Token', type: 'bytes' },
    retryIntegrityTag: { abbrev: 'quic.retry_integrity_tag', name: 'Retry Integrity Tag', type: 'bytes' },
    frame: { abbrev: 'quic.frame', name: 'Frame', type: 'none' },
    frameType: { abbrev: 'quic.frame_type', name: 'Frame Type', type: 'uint64' },
    paddingLength: { abbrev: 'quic.padding_length', name: 'Padding Length', type: 'uint32' },
    ackLargest: { abbrev: 'quic.ack.largest_acknowledged', name: 'Largest Acknowledged', type: 'uint64' },
    ackDelay: { abbrev: 'quic.ack.ack_delay', name: 'ACK Delay', type: 'uint64' },
    ackRangeCount: { abbrev: 'quic.ack.ack_range_count', name: 'ACK Range Count', type: 'uint64' },
    ackFirstRange: { abbrev: 'quic.ack.first_ack_range', name: 'First ACK Range', type: 'uint64' },
    ackGap: { abbrev: 'quic.ack.gap', name: 'Gap', type: 'uint64' },
    ackRange: { abbrev: 'quic.ack.ack_range', name: 'ACK Range', type: 'uint64' },
    cryptoOffset: { abbrev: 'quic.crypto.offset', name: 'Offset', type: 'uint64' },
    cryptoLength: { abbrev: 'quic.crypto.length', name: 'Length', type: 'uint64' },
    cryptoData: { abbrev: 'quic.crypto.crypto_data', name: 'Crypto Data', type: 'none' },
    ccErrorCode: { abbrev: 'quic.cc.error_code', name: 'Error code', type: 'uint64' },
    ccFrameType: { abbrev: 'quic.cc.frame_type', name: 'Frame Type', type: 'uint64' },
    ccReason: { abbrev: 'quic.cc.reason_phrase', name: 'Reason phrase', type: 'string' },
    decryptionFailed: { abbrev: 'quic.decryption_failed', name: 'Failed to decrypt handshake', type: 'none' },
  },
  dissect: dissectQuic,
});

// ---- RFC 9001 §5: Initial keys ----

/** RFC 9001 §5.2 (version 1) and RFC 9369 §3.3.1 (version 2) initial salts. */
const INITIAL_SALT_V1 = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex');
const INITIAL_SALT_V2 = Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex');

function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Buffer {
  return createHmac('sha256', salt).update(ikm).digest();
}

/** RFC 8446 §7.1 HKDF-Expand-Label with an empty context (one or two SHA-256 blocks). */
export function hkdfExpandLabel(secret: Uint8Array, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, full.length]),
    full,
    Buffer.from([0]),
  ]);
  const blocks: Buffer[] = [];
  let prev = Buffer.alloc(0);
  for (let i = 1; blocks.length * 32 < length; i++) {
    prev = createHmac('sha256', secret)
      .update(Buffer.concat([prev, info, Buffer.from([i])]))
      .digest();
    blocks.push(prev);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

export interface InitialKeys {
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
}

/** The client's or server's Initial packet protection keys for a client DCID (RFC 9001 §5.2). */
export function initialKeys(dcid: Uint8Array, fromServer: boolean, version = QUIC_V1): InitialKeys {
  const v2 = version === QUIC_V2;
  const initial = hkdfExtract(v2 ? INITIAL_SALT_V2 : INITIAL_SALT_V1, dcid);
  const secret = hkdfExpandLabel(initial, fromServer ? 'server in' : 'client in', 32);
  return {
    key: hkdfExpandLabel(secret, v2 ? 'quicv2 key' : 'quic key', 16),
    iv: hkdfExpandLabel(secret, v2 ? 'quicv2 iv' : 'quic iv', 12),
    hp: hkdfExpandLabel(secret, v2 ? 'quicv2 hp' : 'quic hp', 16),
  };
}

export interface Unprotected {
  firstByte: number;
  pnLength: number;
  packetNumber: number;
  /** The decrypted frames. */
  plaintext: Uint8Array;
}

/**
 * Removes header protection and decrypts one long-header packet whose packet number starts at
 * `pnOffset` (relative to `packet`, which ends where its Length says). Returns undefined when
 * the AEAD tag does not verify.
 */
export function unprotectLong(
  packet: Uint8Array,
  pnOffset: number,
  keys: InitialKeys,
): Unprotected | undefined {
  if (pnOffset + 4 + 16 > packet.length) return undefined;
  const sample = packet.subarray(pnOffset + 4, pnOffset + 20);
  const ecb = createCipheriv('aes-128-ecb', keys.hp, null);
  ecb.setAutoPadding(false);
  const mask = ecb.update(sample);
  const firstByte = packet[0]! ^ (mask[0]! & 0x0f);
  const pnLength = (firstByte & 0x03) + 1;
  const header = Buffer.from(packet.subarray(0, pnOffset + pnLength));
  header[0] = firstByte;
  let pn = 0;
  for (let i = 0; i < pnLength; i++) {
    header[pnOffset + i] = packet[pnOffset + i]! ^ mask[1 + i]!;
    pn = pn * 256 + header[pnOffset + i]!;
  }
  const body = packet.subarray(pnOffset + pnLength);
  if (body.length < 16) return undefined;
  const nonce = Buffer.from(keys.iv);
  for (let i = 0; i < 6; i++) nonce[11 - i]! ^= Math.floor(pn / 2 ** (8 * i)) & 0xff;
  try {
    const gcm = createDecipheriv('aes-128-gcm', keys.key, nonce);
    gcm.setAAD(header);
    gcm.setAuthTag(body.subarray(body.length - 16));
    const plaintext = Buffer.concat([gcm.update(body.subarray(0, body.length - 16)), gcm.final()]);
    return { firstByte, pnLength, packetNumber: pn, plaintext: new Uint8Array(plaintext) };
  } catch {
    return undefined;
  }
}

/** RFC 9001 §5.8: the Retry integrity tag over the pseudo-packet (original DCID + Retry). */
export function retryTagValid(retry: Uint8Array, originalDcid: Uint8Array, version = QUIC_V1): boolean {
  const v2 = version === QUIC_V2;
  const key = Buffer.from(
    v2 ? '8fb4b01b56ac48e260fbcbcead7ccc92' : 'be0c690b9f66575a1d766b54e368c84e',
    'hex',
  );
  const nonce = Buffer.from(v2 ? 'd86969bc2d7c6d9990efb04a' : '461599d35d632bf2239825bb', 'hex');
  if (retry.length < 16) return false;
  const gcm = createCipheriv('aes-128-gcm', key, nonce);
  gcm.setAAD(
    Buffer.concat([Buffer.from([originalDcid.length]), originalDcid, retry.subarray(0, retry.length - 16)]),
  );
  gcm.final();
  return Buffer.from(retry.subarray(retry.length - 16)).equals(gcm.getAuthTag());
}

// ---- per-connection state ----

interface Connection {
  number: number;
  /** The client's port, from its first Initial. */
  clientPort: number;
  /** DCID of the client's latest Initial: the Initial keys' input (RFC 9001 §5.2). */
  clientDcid: Uint8Array | null;
  /** The first such DCID (a Retry's integrity tag covers it, RFC 9001 §5.8). */
  originalDcid: Uint8Array | null;
  /** Initial keys by direction and DCID (derived once: HKDF per packet is the costly part). */
  keys: Map<string, InitialKeys>;
  /** Lengths of the connection IDs each side chose, for short headers (which carry no length). */
  clientScidLength: number;
  serverScidLength: number;
}

interface QuicState {
  connections: Map<number, Connection>;
  next: number;
}

function connectionFor(p: Dissection): Connection {
  const st = p.state.slot<QuicState>('quic', () => ({ connections: new Map(), next: 0 }));
  const stream = p.transport?.stream ?? -1;
  let c = st.connections.get(stream);
  if (!c) {
    c = {
      number: st.next++,
      clientPort: 0,
      clientDcid: null,
      originalDcid: null,
      clientScidLength: 0,
      serverScidLength: 0,
      keys: new Map(),
    };
    st.connections.set(stream, c);
  }
  return c;
}

// ---- decode ----

/** Coalesced packets per datagram: bounded by the datagram (each packet is at least 1 byte). */
const MAX_PACKETS = 64;

function dissectQuic(p: Dissection, start: number, end: number): void {
  const conn = connectionFor(p);
  let off = start;
  let info = '';
  for (let n = 0; n < MAX_PACKETS && off < end; n++) {
    const first = p.u8(off);
    const used =
      first & 0x80
        ? longPacket(p, conn, off, end, (s) => (info = s))
        : shortPacket(p, conn, off, end, (s) => (info = s));
    if (used <= 0) break;
    off += used;
  }
  // tshark leaves the last packet's summary in the Info column.
  p.setInfo(info);
}

function cachedKeys(conn: Connection, dcid: Uint8Array, fromServer: boolean, version: number): InitialKeys {
  const id = `${fromServer ? 's' : 'c'}${version}:${bytesToHex(dcid)}`;
  let k = conn.keys.get(id);
  if (!k) {
    // A handful per connection (the DCID changes only after a Retry); bounded all the same.
    if (conn.keys.size >= 16) conn.keys.clear();
    conn.keys.set(id, (k = initialKeys(dcid, fromServer, version)));
  }
  return k;
}

function addConnectionInfo(p: Dissection, conn: Connection): void {
  if (!p.tree && !p.wants(quic.f.connectionNumber)) return;
  const info = p.addText('QUIC Connection information', p.data.length, 0);
  p.open(info);
  p.addGenerated(quic.f.connectionNumber, conn.number);
  p.close(info);
}

function longPacket(
  p: Dissection,
  conn: Connection,
  start: number,
  end: number,
  setInfo: (s: string) => void,
): number {
  const f = quic.f;
  const first = p.u8(start);
  const version = p.u32(start + 1);
  const dcil = p.u8(start + 5);
  const dcid = p.bytes(start + 6, dcil);
  const scil = p.u8(start + 6 + dcil);
  const scid = p.bytes(start + 7 + dcil, scil);
  let off = start + 7 + dcil + scil;
  const ids = `${dcil ? `DCID=${bytesToHex(dcid)}` : ''}${dcil && scil ? ', ' : ''}${scil ? `SCID=${bytesToHex(scid)}` : ''}`;
  const item = p.add(quic.field, start, end - start);
  p.open(item);
  addConnectionInfo(p, conn);
  const fromClient = p.transport ? conn.clientPort === 0 || p.transport.srcPort === conn.clientPort : true;

  if (version === 0) {
    // RFC 9000 §17.2.1: Version Negotiation lists versions until the datagram ends.
    p.addGenerated(f.packetLength, end - start);
    p.add(f.headerForm, start, 1);
    p.add(f.vnUnused, start, 1);
    p.add(f.version, start + 1, 4, undefined, 'Version: Version Negotiation (0x00000000)');
    addIds(p, start, dcil, scil);
    for (; off + 4 <= end; off += 4) {
      const v = p.u32(off);
      const grease = (v & 0x0f0f0f0f) === 0x0a0a0a0a;
      p.add(
        f.supportedVersion,
        off,
        4,
        undefined,
        `Supported Version: ${VERSIONS[v] ?? 'Unknown'} (0x${hex(v, 8)})${grease ? ' (GREASE)' : ''}`,
      );
    }
    p.close(item);
    setInfo(`Version Negotiation, ${ids}`);
    return end - start;
  }

  const type = (first & 0x30) >> 4;
  const typeName = LONG_TYPES[type] ?? 'Unknown';
  if (type === 3) {
    // Retry (RFC 9000 §17.2.5): the token runs to the 16-byte integrity tag at the end.
    p.addGenerated(f.packetLength, end - start);
    p.add(f.headerForm, start, 1);
    p.add(f.longPacketType, start, 1);
    p.add(f.version, start + 1, 4, undefined, versionLabel(version));
    addIds(p, start, dcil, scil);
    const tagAt = end - 16;
    if (tagAt > off) p.add(f.retryToken, off, tagAt - off);
    // The tag check is for the tree's "[verified]" only (AES-GCM setup is the costly part).
    const valid =
      p.tree && conn.originalDcid
        ? retryTagValid(p.data.subarray(start, end), conn.originalDcid, version)
        : undefined;
    p.add(
      f.retryIntegrityTag,
      tagAt,
      16,
      undefined,
      `Retry Integrity Tag: ${bytesToHex(p.bytes(tagAt, 16))}${valid === undefined ? '' : valid ? ' [verified]' : ' [incorrect]'}`,
    );
    p.close(item);
    setInfo(`Retry, ${ids}`);
    return end - start;
  }

  let token: Uint8Array | undefined;
  let tokenLen = 0;
  let tokenLenSize = 0;
  if (type === 0) {
    const tl = varint(p, off);
    tokenLen = tl.value;
    tokenLenSize = tl.size;
    token = p.bytes(off + tl.size, tokenLen);
    off += tl.size + tokenLen;
  }
  const len = varint(p, off);
  const pnOffset = off + len.size;
  const packetEnd = Math.min(end, pnOffset + len.value);
  p.addGenerated(f.packetLength, packetEnd - start);
  if (item) item.end = packetEnd;

  // Initial packets: keys from the client's DCID (RFC 9001 §5.2).
  let unprotected: Unprotected | undefined;
  if (type === 0 && (version === QUIC_V1 || version === QUIC_V2)) {
    if (fromClient) {
      if (conn.clientPort === 0 && p.transport) conn.clientPort = p.transport.srcPort;
      if (!p.visited) {
        conn.clientDcid = dcid.slice();
        conn.originalDcid ??= dcid.slice();
        conn.clientScidLength = scil;
      }
    } else if (!p.visited) {
      conn.serverScidLength = scil;
    }
    const keyDcid = fromClient ? dcid : conn.clientDcid;
    if (keyDcid && pnOffset + len.value <= p.data.length)
      unprotected = unprotectLong(
        p.data.subarray(start, pnOffset + len.value),
        pnOffset - start,
        cachedKeys(conn, keyDcid, !fromClient, version),
      );
  }
  const firstShown = unprotected ? unprotected.firstByte : first;
  p.add(f.headerForm, start, 1, undefined);
  p.add(f.fixedBit, start, 1);
  p.add(f.longPacketType, start, 1);
  if (unprotected) {
    p.add(f.longReserved, start, 1, (firstShown & 0x0c) >> 2);
    p.add(
      f.packetNumberLength,
      start,
      1,
      firstShown & 0x03,
      `${bitsLabel(firstShown, 0x03)} = Packet Number Length: ${(firstShown & 3) + 1} bytes (${firstShown & 3})`,
    );
  }
  p.add(f.version, start + 1, 4, undefined, versionLabel(version));
  addIds(p, start, dcil, scil);
  if (type === 0) {
    p.add(f.tokenLength, pnOffset - len.size - tokenLen - tokenLenSize, tokenLenSize, tokenLen);
    if (tokenLen && token) p.add(f.token, pnOffset - len.size - tokenLen, tokenLen);
  }
  p.add(f.length, pnOffset - len.size, len.size, len.value);
  let summary = `${typeName}, ${ids}`;
  if (unprotected) {
    p.add(f.packetNumber, pnOffset, unprotected.pnLength, unprotected.packetNumber);
    const payloadAt = pnOffset + unprotected.pnLength;
    p.add(f.payload, payloadAt, packetEnd - payloadAt);
    summary += `, PKN: ${unprotected.packetNumber}`;
    const names = decodeFrames(p, unprotected.plaintext);
    if (names.length) summary += `, ${names.join(', ')}`;
  } else {
    if (pnOffset < packetEnd) p.add(f.remainingPayload, pnOffset, packetEnd - pnOffset);
  }
  p.close(item);
  setInfo(summary);
  return packetEnd - start;
}

function versionLabel(v: number): string {
  return `Version: ${VERSIONS[v] ?? 'Unknown'} (0x${hex(v, 8)})`;
}

function bitsLabel(value: number, mask: number): string {
  let s = '';
  for (let bit = 7; bit >= 0; bit--) {
    s += mask & (1 << bit) ? (value & (1 << bit) ? '1' : '0') : '.';
    if (bit === 4) s += ' ';
  }
  return s;
}

function addIds(p: Dissection, start: number, dcil: number, scil: number): void {
  const f = quic.f;
  p.add(f.dcil, start + 5, 1);
  if (dcil) p.add(f.dcid, start + 6, dcil);
  p.add(f.scil, start + 6 + dcil, 1);
  if (scil) p.add(f.scid, start + 7 + dcil, scil);
}

function shortPacket(
  p: Dissection,
  conn: Connection,
  start: number,
  end: number,
  setInfo: (s: string) => void,
): number {
  const f = quic.f;
  p.u8(start);
  // The DCID length is not on the wire: it is the length the receiver chose (its SCID).
  const fromClient = p.transport ? p.transport.srcPort === conn.clientPort : true;
  const dcil = fromClient ? conn.serverScidLength : conn.clientScidLength;
  const item = p.add(quic.field, start, end - start);
  p.open(item);
  p.addGenerated(f.packetLength, end - start);
  const sh = p.add(f.short, start, 1 + dcil);
  p.open(sh);
  p.add(f.headerForm, start, 1);
  p.add(f.fixedBit, start, 1);
  p.add(f.spinBit, start, 1);
  if (dcil) p.add(f.dcid, start + 1, dcil);
  p.close(sh);
  // 1-RTT keys come from the TLS handshake: without them the rest stays protected.
  const rest = start + 1 + dcil;
  if (rest < end) p.add(f.remainingPayload, rest, end - rest);
  p.issue(
    'unsupported',
    'warn',
    'Failed to create decryption context: Secrets are not available',
    start,
    end,
  );
  p.close(item);
  // The key phase bit is under header protection (RFC 9001 §5.4.1): without the keys tshark
  // reports phase 0.
  setInfo('Protected Payload (KP0)');
  return end - start;
}

// ---- frames of a decrypted packet (RFC 9000 §19) ----

/** Bound on frames per packet (each is at least one byte; the packet bounds them too). */
const MAX_FRAMES = 4096;

/** TLS inside QUIC: the same layer name as TLS over TCP, but QUIC keeps the Protocol column. */
const tlsInQuic = (): Dissector => {
  const tls = protocols.get('tls')!;
  return { abbrev: 'tls', short: '', field: tls.field, dissect: () => undefined };
};

function decodeFrames(p: Dissection, plain: Uint8Array): string[] {
  const names: string[] = [];
  p.withSource(`Decrypted QUIC (${plain.length} bytes)`, plain, () => {
    const f = quic.f;
    let off = 0;
    for (let n = 0; n < MAX_FRAMES && off < plain.length; n++) {
      const t = varintAt(plain, off);
      if (!t) break;
      const type = t.value;
      const name =
        FRAME_TYPES[type] ?? (type >= 0x08 && type <= 0x0f ? 'STREAM' : `Unknown (0x${type.toString(16)})`);
      if (type === 0x00) {
        // PADDING: a run of zero bytes, shown as one item.
        let e = off;
        while (e < plain.length && plain[e] === 0) e++;
        const item = p.add(f.frame, off, e - off, undefined, `PADDING Length: ${e - off}`);
        p.open(item);
        p.add(f.frameType, off, 1, 0, 'Frame Type: PADDING (0x0000000000000000)');
        p.addGenerated(f.paddingLength, e - off, `Padding Length: ${e - off}`);
        p.close(item);
        names.push('PADDING');
        off = e;
        continue;
      }
      const item = p.add(f.frame, off, 0, undefined, name);
      p.open(item);
      p.add(f.frameType, off, t.size, type, `Frame Type: ${name} (0x${hex(type, 16)})`);
      let at = off + t.size;
      const v = (fld: (typeof f)[keyof typeof f]): number => {
        const x = varint(p, at);
        p.add(fld, at, x.size, x.exact);
        at += x.size;
        return x.value;
      };
      let known = true;
      switch (type) {
        case 0x01:
        case 0x1e:
          break;
        case 0x02:
        case 0x03: {
          v(f.ackLargest);
          v(f.ackDelay);
          const count = v(f.ackRangeCount);
          v(f.ackFirstRange);
          for (let i = 0; i < count && i < 1024; i++) {
            v(f.ackGap);
            v(f.ackRange);
          }
          if (type === 0x03) for (let i = 0; i < 3; i++) at += varint(p, at).size;
          break;
        }
        case 0x06: {
          const offset = v(f.cryptoOffset);
          const length = v(f.cryptoLength);
          const dataItem = p.add(f.cryptoData, at, length);
          p.close(dataItem);
          p.check(at, length);
          if (offset === 0) cryptoHandshake(p, at, at + length);
          at += length;
          break;
        }
        case 0x1c:
        case 0x1d: {
          v(f.ccErrorCode);
          if (type === 0x1c) v(f.ccFrameType);
          const rl = varint(p, at);
          at += rl.size;
          const reason = p.bytes(at, rl.value);
          let text = '';
          for (let i = 0; i < reason.length; i++) text += String.fromCharCode(reason[i]!);
          p.add(f.ccReason, at, rl.value, text);
          at += rl.value;
          break;
        }
        default:
          known = false;
      }
      if (item) item.end = known ? at : plain.length;
      p.close(item);
      names.push(name);
      if (!known) break;
      off = at;
    }
  });
  return names;
}

/** CRYPTO data at offset 0: TLS handshake messages (RFC 9001 §4), without TLS records. */
function cryptoHandshake(p: Dissection, start: number, end: number): void {
  const ctx: HandshakeContext = {
    onServerVersion: () => undefined,
    onClientHello: () => undefined,
    sessionVersion: 0x0304,
    isQuic: true,
  };
  p.call(
    {
      ...tlsInQuic(),
      dissect(q: Dissection, s: number, e: number) {
        let off = s;
        for (let n = 0; n < 64 && off + 4 <= e; n++) {
          const len = (q.u8(off + 1) << 16) | q.u16(off + 2);
          const last = off + 4 + len > e;
          const msgEnd = last ? e : off + 4 + len;
          const name = handshakeName(q.u8(off));
          const rec = q.addText(`TLSv1.3 Record Layer: Handshake Protocol: ${name}`, off, msgEnd - off);
          q.open(rec);
          dissectHandshake(q, off, msgEnd, ctx, last);
          q.close(rec);
          off = msgEnd;
        }
      },
    },
    start,
    end,
  );
}

// ---- heuristic (tshark's enabled "quic" UDP heuristic) ----

function looksLikeQuic(p: Dissection, start: number, end: number): boolean {
  if (end - start < 7) return false;
  const first = p.data[start]!;
  if (!(first & 0x80)) return false;
  const version =
    ((p.data[start + 1]! << 24) >>> 0) +
    ((p.data[start + 2]! << 16) | (p.data[start + 3]! << 8) | p.data[start + 4]!);
  // Long header with a known version, or Version Negotiation; a DCID of at most 20 bytes.
  if (version !== QUIC_V1 && version !== QUIC_V2 && version !== 0) return false;
  if (version !== 0 && !(first & 0x40)) return false;
  return p.data[start + 5]! <= 20;
}

tables.udpPort.register(UDP_PORT_QUIC, quic);
tables.udpPort.addHeuristic('quic', (p, start, end) => {
  if (!looksLikeQuic(p, start, end)) return false;
  p.call(quic, start, end);
  return true;
});
