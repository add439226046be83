// Encapsulated Remote Switch Port Analyzer (draft-foschiano-erspan-03) inside GRE: type I has
// no header (GRE without a sequence number), type II an 8-byte header, type III a 12-byte one
// (plus an 8-byte platform subheader when its O bit is set); then the mirrored Ethernet frame.
import type { Dissection } from '../dissect/dissection';
import { defineProtocol } from '../dissect/protocol';
import { data } from './data';
import { eth } from './eth';
import { GRE_ERSPAN_22EB, GRE_ERSPAN_88BE, GRE_SEQUENCE, greHeaderOf, greProto } from './gre';

const VERSIONS: Readonly<Record<number, string>> = { 0: 'Type I', 1: 'Type II', 2: 'Type III' };

export const erspan = defineProtocol({
  abbrev: 'erspan',
  name: 'Encapsulated Remote Switch Packet ANalysis',
  short: 'ERSPAN',
  fields: {
    version: { abbrev: 'erspan.version', name: 'Version', type: 'uint16', mask: 0xf000, vals: VERSIONS },
    vlan: { abbrev: 'erspan.vlan', name: 'Vlan', type: 'uint16', mask: 0x0fff },
    cos: { abbrev: 'erspan.cos', name: 'COS', type: 'uint16', mask: 0xe000 },
    encap: {
      abbrev: 'erspan.encap',
      name: 'Encap',
      type: 'uint16',
      mask: 0x1800,
      vals: {
        0: 'Originally without VLAN tag',
        1: 'Originally ISL encapsulated',
        2: 'Originally 802.1Q encapsulated',
        3: 'VLAN tag preserved in frame',
      },
    },
    bso: {
      abbrev: 'erspan.bso',
      name: 'Bad/Short/Oversized',
      type: 'uint16',
      mask: 0x1800,
      vals: {
        0: 'Good or unknown integrity',
        1: 'Payload is a Short Frame',
        2: 'Payload is an Oversized Frame',
        3: 'CRC or alignment error',
      },
    },
    truncated: {
      abbrev: 'erspan.truncated',
      name: 'Truncated',
      type: 'uint16',
      mask: 0x0400,
      vals: { 0: 'Not truncated', 1: 'Truncated' },
    },
    spanid: { abbrev: 'erspan.spanid', name: 'SpanID', type: 'uint16', mask: 0x03ff },
    reserved: { abbrev: 'erspan.reserved', name: 'Reserved', type: 'uint32', mask: 0xfff00000 },
    index: { abbrev: 'erspan.index', name: 'Index', type: 'uint32', mask: 0x000fffff },
    timestamp: { abbrev: 'erspan.timestamp', name: 'Timestamp', type: 'uint32', mask: 0xffffffff },
    sgt: { abbrev: 'erspan.sgt', name: 'Security Group Tag', type: 'uint16', mask: 0xffff },
    p: { abbrev: 'erspan.p', name: 'Has Ethernet PDU', type: 'uint16', mask: 0x8000 },
    ft: {
      abbrev: 'erspan.ft',
      name: 'Frame Type',
      type: 'uint16',
      mask: 0x7c00,
      vals: { 0: 'Ethernet', 2: 'IP' },
    },
    hw: { abbrev: 'erspan.hw', name: 'Hardware ID', type: 'uint16', mask: 0x03f0 },
    direction: {
      abbrev: 'erspan.direction',
      name: 'Direction',
      type: 'bool',
      bits: 16,
      mask: 0x0008,
      tfs: ['Egress', 'Ingress'],
    },
    gra: {
      abbrev: 'erspan.gra',
      name: 'Timestamp granularity',
      type: 'uint16',
      mask: 0x0006,
      vals: {
        0: '100 microseconds',
        1: '100 nanoseconds',
        2: 'IEEE 1588',
        3: 'Custom granularity',
      },
    },
    o: { abbrev: 'erspan.o', name: 'Optional Sub headers', type: 'uint16', mask: 0x0001 },
    platid: { abbrev: 'erspan.platid', name: 'Platform ID', type: 'uint32', mask: 0xfc000000 },
    platformReserved: { abbrev: 'erspan.pid.rsvd', name: 'Reserved', type: 'uint64' },
  },
  dissect: (p, start, end) => dissectErspan(p, start, end, false),
});

/** `typeOne`: type I has no header of its own (GRE says so by leaving out the sequence number). */
function dissectErspan(p: Dissection, start: number, end: number, typeOne: boolean): void {
  const f = erspan.f;
  p.setInfo('ERSPAN:');
  if (typeOne) {
    const item = p.add(
      erspan.field,
      start,
      0,
      undefined,
      'Encapsulated Remote Switch Packet ANalysis Type I',
    );
    p.close(item);
    p.call(eth, start, end);
    return;
  }
  const version = p.u16(start) >>> 12;
  const headerLen = version === 2 ? 12 : 8;
  p.check(start, headerLen);
  const item = p.add(
    erspan.field,
    start,
    headerLen,
    undefined,
    `Encapsulated Remote Switch Packet ANalysis ${VERSIONS[version] ?? 'Unknown version'}`,
  );
  p.open(item);
  p.add(f.version, start, 2);
  p.add(f.vlan, start, 2);
  p.add(f.cos, start + 2, 2);
  p.add(version === 2 ? f.bso : f.encap, start + 2, 2);
  p.add(f.truncated, start + 2, 2);
  p.add(f.spanid, start + 2, 2);
  let off = start + 8;
  let ethernet = true;
  if (version === 2) {
    p.add(f.timestamp, start + 4, 4);
    p.add(f.sgt, start + 8, 2);
    p.add(f.p, start + 10, 2);
    p.add(f.ft, start + 10, 2);
    p.add(f.hw, start + 10, 2);
    p.add(f.direction, start + 10, 2);
    p.add(f.gra, start + 10, 2);
    p.add(f.o, start + 10, 2);
    const word = p.u16(start + 10);
    ethernet = ((word >>> 10) & 0x1f) === 0;
    off = start + 12;
    if (word & 1) {
      // The platform-specific subheader: 6-bit platform ID, then platform data.
      p.add(f.platid, off, 4);
      p.add(f.platformReserved, off, 8);
      p.check(off, 8);
      off += 8;
    }
  } else {
    p.add(f.reserved, start + 4, 4);
    p.add(f.index, start + 4, 4);
  }
  if (item) item.end = off;
  p.close(item);
  if (off >= end) return;
  p.call(ethernet ? eth : data, off, end);
}

/** GRE's part: ERSPAN type I is recognised by GRE's flags (no sequence number), not by the
 * payload. */
const viaGre = {
  abbrev: erspan.abbrev,
  short: erspan.short,
  field: erspan.field,
  dissect(p: Dissection, start: number, end: number): void {
    const g = greHeaderOf(p);
    dissectErspan(p, start, end, g !== undefined && g.type === GRE_ERSPAN_88BE && !(g.flags & GRE_SEQUENCE));
  },
};

greProto.register(GRE_ERSPAN_88BE, viaGre);
greProto.register(GRE_ERSPAN_22EB, viaGre);
