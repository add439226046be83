// User Datagram Protocol (RFC 768): ports, length, checksum over the IPv4/IPv6 pseudo-header,
// the payload handed to the protocol registered for its ports. Like tshark 4.0 the checksum
// is not verified by default ("Unverified"), but a wrong one is recorded as an issue.
import { conversationDissector } from '../dissect/conversation';
import type { Dissection } from '../dissect/dissection';
import type { Field } from '../dissect/fields';
import { hex } from '../dissect/format';
import { EndpointPairMap, PerFrameTable } from '../dissect/per-frame';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { internetChecksum, pseudoHeaderSum, correctChecksum } from './checksum';
import { data } from './data';

export const IP_PROTO_UDP = 17;
const UDP_HEADER = 8;

/** Wireshark's checksum status values (`udp.checksum.status`, `tcp.checksum.status`). */
export const CHECKSUM_STATUS: Readonly<Record<number, string>> = {
  0: 'Bad',
  1: 'Good',
  2: 'Unverified',
  3: 'Not present',
  4: 'Illegal',
};

export const udp = defineProtocol({
  abbrev: 'udp',
  name: 'User Datagram Protocol',
  short: 'UDP',
  fields: {
    srcport: { abbrev: 'udp.srcport', name: 'Source Port', type: 'uint16' },
    dstport: { abbrev: 'udp.dstport', name: 'Destination Port', type: 'uint16' },
    port: { abbrev: 'udp.port', name: 'Source or Destination Port', type: 'uint16' },
    length: {
      abbrev: 'udp.length',
      name: 'Length',
      type: 'uint16',
      blurb: 'Length in octets including this header and the data',
    },
    lengthBad: { abbrev: 'udp.length.bad', name: 'Bad length value', type: 'none' },
    checksum: { abbrev: 'udp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
    checksumCalculated: {
      abbrev: 'udp.checksum_calculated',
      name: 'Calculated Checksum',
      type: 'uint16',
      base: 'hex',
    },
    checksumStatus: {
      abbrev: 'udp.checksum.status',
      name: 'Checksum Status',
      type: 'uint8',
      vals: CHECKSUM_STATUS,
    },
    checksumZero: { abbrev: 'udp.checksum.zero', name: 'Illegal checksum value (0)', type: 'none' },
    stream: { abbrev: 'udp.stream', name: 'Stream index', type: 'uint32' },
    payload: { abbrev: 'udp.payload', name: 'Payload', type: 'bytes' },
  },
  dissect: dissectUdp,
});

// ---- per-capture state: stream numbers ----

/** `udp.stream`: one index per conversation (address + port pair, either direction), numbered
 * in order of first appearance as tshark does. Frames remember theirs for revisits. */
interface UdpState {
  streams: EndpointPairMap<number>;
  byFrame: PerFrameTable;
}

function newUdpState(): UdpState {
  // udp.stream (uint32) and direction (0/1): 5 bytes per frame.
  return { streams: new EndpointPairMap(), byFrame: new PerFrameTable(['u32', 'u8']) };
}

/** Wireshark's hidden items (`udp.port`, `tcp.port`): filterable, never shown in the tree. */
export function addHidden(p: Dissection, f: Field, start: number, len: number): void {
  if (p.wanted !== null && p.wanted[f.id] === 1) p.add(f, start, len);
}

/** The datagram's `udp.stream` and orientation (see `TransportInfo.direction`). */
function streamOf(p: Dissection, srcPort: number, dstPort: number): { index: number; direction: 0 | 1 } {
  const st = p.state.slot('udp', newUdpState);
  const nth = p.layerNumber('udp') - 1;
  const frame = p.frame.number;
  if (st.byFrame.has(frame, nth))
    return { index: st.byFrame.get(frame, nth, 0), direction: st.byFrame.get(frame, nth, 1) ? 1 : 0 };
  let index = st.streams.find(p.netFamily, p.netSrc, p.netDst, srcPort, dstPort);
  const direction = st.streams.srcIsFirst ? 0 : 1;
  if (index === undefined) {
    index = st.streams.size;
    st.streams.add(index);
  }
  st.byFrame.set(frame, nth, 0, index);
  st.byFrame.set(frame, nth, 1, direction);
  return { index, direction };
}

// ---- decode ----

/** The sum a receiver computes over pseudo-header + datagram (0 when the checksum is right). */
function verifySum(p: Dissection, start: number, len: number): number | undefined {
  if (p.netFamily === 0 || start + len > p.data.length) return undefined;
  const pseudo = pseudoHeaderSum(p.netFamily, p.netSrc, p.netDst, IP_PROTO_UDP, len);
  return internetChecksum(p.data, start, start + len, pseudo);
}

function dissectUdp(p: Dissection, start: number, end: number): void {
  const f = udp.f;
  const srcPort = p.u16(start);
  const dstPort = p.u16(start + 2);
  if (p.inError) {
    // A datagram quoted by an ICMP error: often only 8 bytes survive, and it must not count as
    // traffic of the conversation (no stream index, no columns, no length or checksum checks).
    const item = p.add(
      udp.field,
      start,
      Math.min(UDP_HEADER, p.remaining(start)),
      undefined,
      headerLabel(srcPort, dstPort),
    );
    p.open(item);
    p.add(f.srcport, start, 2);
    p.add(f.dstport, start + 2, 2);
    if (p.remaining(start + 4) >= 2) p.add(f.length, start + 4, 2);
    if (p.remaining(start + 6) >= 2) p.add(f.checksum, start + 6, 2);
    p.close(item);
    return;
  }
  const available = end - start;
  const item = p.add(udp.field, start, UDP_HEADER, undefined, headerLabel(srcPort, dstPort));
  p.open(item);
  p.add(f.srcport, start, 2);
  p.add(f.dstport, start + 2, 2);
  addHidden(p, f.port, start, 2);
  addHidden(p, f.port, start + 2, 2);
  let length = p.u16(start + 4);
  const checksum = p.u16(start + 6);
  let info = `${srcPort} → ${dstPort}`;

  // RFC 768: the length covers header + data, so it is at least 8 and at most what IP carried.
  // RFC 2675 §4: over IPv6 a zero length means a jumbogram as long as the IP payload.
  if (length === 0 && p.netFamily === 6) length = available;
  if (length < UDP_HEADER) {
    const node = p.add(f.length, start + 4, 2, length, `Length: ${length} (bogus, must be >= ${UDP_HEADER})`);
    if (node) node.severity = 'error';
    p.issue('malformed', 'error', `Bad length value ${length} < ${UDP_HEADER}`, start + 4, start + 6);
    p.malformed = true;
    p.close(item);
    // tshark stops here: no checksum, no stream, no payload.
    p.setInfo(`${info} [BAD UDP LENGTH ${length} < ${UDP_HEADER}]`);
    return;
  }
  if (length > available) {
    const node = p.add(
      f.length,
      start + 4,
      2,
      length,
      `Length: ${length} (bogus, payload length ${available})`,
    );
    if (node) node.severity = 'error';
    p.issue('malformed', 'error', `Bad length value ${length} > IP payload length`, start + 4, start + 6);
    p.malformed = true;
    info += ` [BAD UDP LENGTH ${length} > IP PAYLOAD LENGTH]`;
  } else {
    p.add(f.length, start + 4, 2, length);
  }
  // tshark 4.0 hands the whole IP payload on even when the UDP length is shorter.
  const payloadEnd = end;

  const illegalZero = addChecksum(p, start, Math.min(length, available), checksum);
  const stream = streamOf(p, srcPort, dstPort);
  p.addGenerated(f.stream, stream.index, `Stream index: ${stream.index}`);

  const payloadLen = Math.max(0, payloadEnd - start - UDP_HEADER);
  // The label counts what the UDP length covers; the item spans the whole IP payload (tshark).
  const shownLen = Math.min(length, available) - UDP_HEADER;
  p.setInfo(`${info} Len=${length - UDP_HEADER}${illegalZero ? ' [ILLEGAL CHECKSUM (0)]' : ''}`);
  const payloadStart = start + UDP_HEADER;
  if (payloadLen > 0) {
    p.add(
      f.payload,
      payloadStart,
      Math.min(payloadLen, p.remaining(payloadStart)),
      undefined,
      `UDP payload (${shownLen} byte${shownLen === 1 ? '' : 's'})`,
    );
  }
  p.close(item);
  if (payloadLen > 0) {
    p.transport = { kind: 'udp', stream: stream.index, srcPort, dstPort, direction: stream.direction };
    dispatchPayload(p, srcPort, dstPort, payloadStart, payloadEnd);
  }
}

/** Adds the checksum items; returns true for the illegal zero checksum over IPv6. */
function addChecksum(p: Dissection, start: number, len: number, checksum: number): boolean {
  const f = udp.f;
  if (checksum === 0) {
    // RFC 768: zero means "no checksum" over IPv4; RFC 8200 §8.1 makes it mandatory over IPv6.
    // tshark nests the status under the checksum item in both cases.
    const illegal = p.netFamily === 6;
    const node = p.add(
      f.checksum,
      start + 6,
      2,
      undefined,
      `Checksum: 0x0000 [zero-value ${illegal ? 'illegal' : 'ignored'}]`,
    );
    p.open(node);
    if (illegal) {
      if (node) node.severity = 'error';
      p.addGenerated(f.checksumStatus, 4, 'Checksum Status: Illegal');
      p.issue('checksum-bad', 'error', 'Illegal checksum value (0) over IPv6', start + 6, start + 8);
    } else {
      p.addGenerated(f.checksumStatus, 3, 'Checksum Status: Not present');
    }
    p.close(node);
    return illegal;
  }
  p.add(f.checksum, start + 6, 2, undefined, `Checksum: 0x${hex(checksum, 4)} [unverified]`);
  p.addGenerated(f.checksumStatus, 2, 'Checksum Status: Unverified');
  // Verified on the tree path only (see tcp.ts verifyChecksum).
  const sum = p.tree ? verifySum(p, start, len) : undefined;
  if (sum !== undefined && sum !== 0) {
    const expected = correctChecksum(checksum, sum);
    p.issue(
      'checksum-bad',
      'warn',
      `Bad UDP checksum 0x${hex(checksum, 4)} (should be 0x${hex(expected === 0 ? 0xffff : expected, 4)}; may be caused by checksum offload)`,
      start + 6,
      start + 8,
    );
  }
  return false;
}

function headerLabel(srcPort: number, dstPort: number): string {
  return `User Datagram Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}`;
}

/** A conversation an earlier packet bound (TFTP), else the lower port first, then the higher
 * one, as Wireshark does; else plain data. */
function dispatchPayload(p: Dissection, srcPort: number, dstPort: number, start: number, end: number): void {
  const [low, high] = srcPort <= dstPort ? [srcPort, dstPort] : [dstPort, srcPort];
  const d =
    conversationDissector(p, 'udp', srcPort, dstPort) ?? tables.udpPort.get(low) ?? tables.udpPort.get(high);
  if (d) {
    p.call(d, start, end);
    return;
  }
  tables.udpPort.dispatchOrData(p, -1, start, end, data);
}

// ---- encoding ----

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  /** Defaults to 8 + payload length. */
  length?: number;
  /** Computed when omitted; 0 = "no checksum" (IPv4 only). */
  checksum?: number;
}

/** Network addresses as text; an address with ':' is IPv6. */
export interface NetAddresses {
  src: string;
  dst: string;
}

export function netFamilyOf(net: NetAddresses): 4 | 6 {
  return net.src.includes(':') ? 6 : 4;
}

export function encodeUdp(repr: UdpRepr, payload: Uint8Array, net: NetAddresses): Uint8Array {
  const out = new Uint8Array(UDP_HEADER + payload.length);
  const length = repr.length ?? out.length;
  put16(out, 0, repr.srcPort);
  put16(out, 2, repr.dstPort);
  put16(out, 4, length);
  out.set(payload, UDP_HEADER);
  let checksum = repr.checksum;
  if (checksum === undefined) {
    const fam = netFamilyOf(net);
    checksum = internetChecksum(
      out,
      0,
      out.length,
      pseudoHeaderSum(fam, net.src, net.dst, IP_PROTO_UDP, out.length),
    );
    // RFC 768: a computed zero is sent as all ones (zero means "none").
    if (checksum === 0) checksum = 0xffff;
  }
  put16(out, 6, checksum);
  return out;
}

export function parseUdp(bytes: Uint8Array): { repr: Required<UdpRepr>; payload: Uint8Array } | undefined {
  if (bytes.length < UDP_HEADER) return undefined;
  const length = get16(bytes, 4);
  const payloadEnd = length >= UDP_HEADER && length <= bytes.length ? length : bytes.length;
  return {
    repr: { srcPort: get16(bytes, 0), dstPort: get16(bytes, 2), length, checksum: get16(bytes, 6) },
    payload: bytes.subarray(UDP_HEADER, payloadEnd),
  };
}

function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

function get16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

tables.ipProto.register(IP_PROTO_UDP, udp);
