// IP Encapsulating Security Payload (RFC 4303), IP protocol 50: the SPI and sequence number
// are in the clear; everything after them is encrypted (and the ICV's length depends on the
// SA), so like tshark 4.0 without keys we show only the two header fields. Also ESP in UDP
// port 4500 for NAT traversal (RFC 3948): keepalives, IKE behind a non-ESP marker, or ESP.
import type { Dissection } from '../dissect/dissection';
import { hex } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { data } from './data';

export const IP_PROTO_ESP = 50;
const ESP_HEADER = 8;

export const esp = defineProtocol({
  abbrev: 'esp',
  name: 'Encapsulating Security Payload',
  short: 'ESP',
  fields: {
    spi: { abbrev: 'esp.spi', name: 'ESP SPI', type: 'uint32', base: 'hex_dec' },
    sequence: { abbrev: 'esp.sequence', name: 'ESP Sequence', type: 'uint32' },
  },
  dissect(p: Dissection, start: number) {
    const spi = p.u32(start);
    p.u32(start + 4);
    p.setInfo(`ESP (SPI=0x${hex(spi, 8)})`);
    const item = p.add(esp.field, start, ESP_HEADER);
    p.open(item);
    p.add(esp.f.spi, start, 4);
    p.add(esp.f.sequence, start + 4, 4);
    p.close(item);
  },
});

// ---- encoding ----

export interface EspRepr {
  spi: number;
  sequence: number;
}

/** The cleartext header followed by the (already encrypted) rest of the packet. */
export function encodeEsp(repr: EspRepr, encrypted: Uint8Array): Uint8Array {
  const out = new Uint8Array(ESP_HEADER + encrypted.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, repr.spi >>> 0);
  dv.setUint32(4, repr.sequence >>> 0);
  out.set(encrypted, ESP_HEADER);
  return out;
}

export function parseEsp(bytes: Uint8Array): { repr: EspRepr; encrypted: Uint8Array } | undefined {
  if (bytes.length < ESP_HEADER) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { repr: { spi: dv.getUint32(0), sequence: dv.getUint32(4) }, encrypted: bytes.subarray(ESP_HEADER) };
}

// ---- RFC 3948: UDP encapsulation (NAT traversal) ----

export const UDP_PORT_NAT_T = 4500;

export const udpencap = defineProtocol({
  abbrev: 'udpencap',
  name: 'UDP Encapsulation of IPsec Packets',
  short: 'UDPENCAP',
  fields: {
    natKeepalive: { abbrev: 'udpencap.nat_keepalive', name: 'NAT-keepalive packet', type: 'none' },
    nonEspMarker: { abbrev: 'udpencap.non_esp_marker', name: 'Non-ESP Marker', type: 'none' },
  },
  dissect(p: Dissection, start: number, end: number) {
    const f = udpencap.f;
    const item = p.add(udpencap.field, start, 0);
    p.open(item);
    // §2.3: a single 0xff byte keeps the NAT binding alive.
    if (end - start === 1 && p.u8(start) === 0xff) {
      p.add(f.natKeepalive, start, 1);
      p.close(item);
      p.setInfo('NAT-keepalive');
      return;
    }
    // §2.2: four zero bytes (where an ESP SPI cannot be zero) mark IKE; otherwise ESP (§2.1).
    if (end - start >= 4 && p.u32(start) === 0) {
      p.add(f.nonEspMarker, start, 4);
      p.close(item);
      if (p.columns) p.cols.protocol = 'ISAKMP';
      p.setInfo('');
      p.call(tables.udpPort.get(500) ?? data, start + 4, end);
      return;
    }
    p.close(item);
    p.call(esp, start, end);
  },
});

tables.ipProto.register(IP_PROTO_ESP, esp);
tables.udpPort.register(UDP_PORT_NAT_T, udpencap);
