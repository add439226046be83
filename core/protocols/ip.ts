// Internet Protocol version 4 (RFC 791): header, options (RFC 791 §3.1, RFC 2113 router alert,
// RFC 1108 security), the header checksum (RFC 1071) and fragment reassembly (RFC 791 §3.2).
// Like Wireshark 4.0, the checksum is not validated by default (status "Unverified"), but a wrong
// one is still recorded as a `checksum-bad` issue; fragments are reassembled (ip.defragment=TRUE)
// and the datagram is decoded, as a new data source, in the frame that completes it.
import { parseIpv4 as parseIpv4Text } from '../dissect/address';
import type { Dissection, TreeNode } from '../dissect/dissection';
import { bitPattern, hex, ipv4ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { internetChecksum, correctChecksum } from './checksum';
import { data } from './data';
import { Reassembler, type ReassemblyResult } from './reassembly';

/** IP protocol numbers (IANA), as Wireshark names them in `ip.proto` / `ipv6.nxt`. */
export const IP_PROTOCOLS: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option',
  1: 'ICMP',
  2: 'IGMP',
  3: 'GGP',
  4: 'IPIP',
  5: 'Stream',
  6: 'TCP',
  8: 'EGP',
  9: 'IGRP',
  17: 'UDP',
  27: 'RDP',
  29: 'ISO-TP4',
  33: 'DCCP',
  41: 'IPv6',
  43: 'IPv6 Routing',
  44: 'IPv6 Fragment',
  46: 'RSVP',
  47: 'Generic Routing Encapsulation',
  50: 'Encap Security Payload',
  51: 'Authentication Header',
  58: 'ICMPv6',
  59: 'IPv6 No Next Header',
  60: 'IPv6 Destination Options',
  88: 'EIGRP',
  89: 'OSPF IGP',
  94: 'IPIP',
  97: 'Ether-IP',
  98: 'ENCAP',
  103: 'PIM',
  108: 'IPComp',
  112: 'VRRP',
  115: 'L2TP',
  132: 'SCTP',
  135: 'Mobile IPv6',
  136: 'UDPLite',
  137: 'MPLS in IP',
  139: 'HIP',
  140: 'Shim6',
  143: 'Ethernet',
};

/** DSCP names (RFC 2474, 2597, 3246, 5865, 8622), long and short (for the summary). */
export const DSCP_NAMES: Readonly<Record<number, string>> = {
  0: 'Default',
  1: 'Lower Effort',
  8: 'Class Selector 1',
  10: 'Assured Forwarding 11',
  12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13',
  16: 'Class Selector 2',
  18: 'Assured Forwarding 21',
  20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23',
  24: 'Class Selector 3',
  26: 'Assured Forwarding 31',
  28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33',
  32: 'Class Selector 4',
  34: 'Assured Forwarding 41',
  36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43',
  40: 'Class Selector 5',
  44: 'Voice Admit',
  46: 'Expedited Forwarding',
  48: 'Class Selector 6',
  56: 'Class Selector 7',
};
export function dscpShortName(dscp: number): string {
  const name = DSCP_NAMES[dscp];
  if (dscp === 0) return 'CS0';
  if (!name) return `Unknown (${dscp})`;
  if (name.startsWith('Class Selector ')) return `CS${name.slice(15)}`;
  if (name.startsWith('Assured Forwarding ')) return `AF${name.slice(19)}`;
  return { 1: 'LE', 44: 'VA', 46: 'EF' }[dscp as 1 | 44 | 46] ?? name;
}
export const ECN_NAMES: Readonly<Record<number, string>> = {
  0: 'Not ECN-Capable Transport',
  1: "ECN-Capable Transport codepoint '01'",
  2: "ECN-Capable Transport codepoint '10'",
  3: 'Congestion Experienced',
};
export const ECN_SHORT = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'] as const;

export const CHECKSUM_STATUS: Readonly<Record<number, string>> = { 0: 'Bad', 1: 'Good', 2: 'Unverified' };

/** Option names as Wireshark's ipopts table (item labels and the Options summary). */
const OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'End of Options List (EOL)',
  1: 'No-Operation (NOP)',
  7: 'Record Route',
  11: 'MTU Probe',
  12: 'MTU Reply',
  25: 'Quick-Start',
  68: 'Time Stamp',
  82: 'Traceroute',
  130: 'Security',
  131: 'Loose Source Route',
  133: 'Extended Security',
  134: 'Commercial Security',
  136: 'Stream ID',
  137: 'Strict Source Route',
  145: 'Extended Internet Protocol',
  148: 'Router Alert',
  149: 'Selective Directed Broadcast',
  151: 'Dynamic Packet State',
  152: 'Upstream Multicast Packet',
};
const OPTION_NUMBERS: Readonly<Record<number, string>> = {
  0: 'End of Option List (EOL)',
  1: 'No-Operation (NOP)',
  2: 'Security',
  3: 'Loose source route',
  4: 'Time stamp',
  5: 'Extended security',
  6: 'Commercial security',
  7: 'Record route',
  8: 'Stream identifier',
  9: 'Strict source route',
  10: 'Experimental Measurement',
  11: 'MTU probe',
  12: 'MTU reply',
  13: 'Experimental Flow Control',
  14: 'Experimental Access Control',
  15: 'ENCODE',
  16: 'IMI Traffic Descriptor',
  17: 'Extended Internet Protocol',
  18: 'Traceroute',
  19: 'Address Extension',
  20: 'Router Alert',
  21: 'Selective Directed Broadcast',
  23: 'Dynamic Packet State',
  24: 'Upstream Multicast Packet',
  25: 'Quick-Start',
  30: 'RFC3692-style Experiment',
};
const OPTION_CLASSES = {
  0: 'Control',
  1: 'Reserved for future use',
  2: 'Debugging and measurement',
  3: 'Reserved for future use',
};
const TIMESTAMP_FLAGS = {
  0: 'Time stamps only',
  1: 'Time stamp and address',
  3: 'Time stamps for prespecified addresses',
};
const SECURITY_LEVELS: Readonly<Record<number, string>> = {
  0x0000: 'Unclassified',
  0xf135: 'Confidential',
  0x789a: 'EFTO',
  0xbc4d: 'MMMM',
  0x5e26: 'PROG',
  0xaf13: 'Restricted',
  0xd788: 'Secret',
  0x6bc5: 'Top secret',
};

export const ip = defineProtocol({
  abbrev: 'ip',
  name: 'Internet Protocol Version 4',
  short: 'IPv4',
  fields: {
    version: { abbrev: 'ip.version', name: 'Version', type: 'uint8', mask: 0xf0 },
    hdrLen: { abbrev: 'ip.hdr_len', name: 'Header Length', type: 'uint8' },
    dsfield: { abbrev: 'ip.dsfield', name: 'Differentiated Services Field', type: 'uint8', base: 'hex' },
    dscp: {
      abbrev: 'ip.dsfield.dscp',
      name: 'Differentiated Services Codepoint',
      type: 'uint8',
      mask: 0xfc,
      vals: DSCP_NAMES,
    },
    ecn: {
      abbrev: 'ip.dsfield.ecn',
      name: 'Explicit Congestion Notification',
      type: 'uint8',
      mask: 0x03,
      vals: ECN_NAMES,
    },
    len: { abbrev: 'ip.len', name: 'Total Length', type: 'uint16' },
    id: { abbrev: 'ip.id', name: 'Identification', type: 'uint16', base: 'hex_dec' },
    flags: { abbrev: 'ip.flags', name: 'Flags', type: 'uint8', base: 'hex', mask: 0xe0 },
    rb: { abbrev: 'ip.flags.rb', name: 'Reserved bit', type: 'bool', mask: 0x80 },
    df: { abbrev: 'ip.flags.df', name: "Don't fragment", type: 'bool', mask: 0x40 },
    mf: { abbrev: 'ip.flags.mf', name: 'More fragments', type: 'bool', mask: 0x20 },
    fragOffset: { abbrev: 'ip.frag_offset', name: 'Fragment Offset', type: 'uint16', mask: 0x1fff },
    ttl: { abbrev: 'ip.ttl', name: 'Time to Live', type: 'uint8' },
    proto: { abbrev: 'ip.proto', name: 'Protocol', type: 'uint8', vals: IP_PROTOCOLS },
    checksum: { abbrev: 'ip.checksum', name: 'Header Checksum', type: 'uint16', base: 'hex' },
    checksumCalculated: {
      abbrev: 'ip.checksum_calculated',
      name: 'Calculated Checksum',
      type: 'uint16',
      base: 'hex',
    },
    checksumStatus: {
      abbrev: 'ip.checksum.status',
      name: 'Header checksum status',
      type: 'uint8',
      vals: CHECKSUM_STATUS,
    },
    src: { abbrev: 'ip.src', name: 'Source Address', type: 'ipv4' },
    addr: { abbrev: 'ip.addr', name: 'Source or Destination Address', type: 'ipv4' },
    srcHost: { abbrev: 'ip.src_host', name: 'Source Host', type: 'string' },
    host: { abbrev: 'ip.host', name: 'Source or Destination Host', type: 'string' },
    dst: { abbrev: 'ip.dst', name: 'Destination Address', type: 'ipv4' },
    dstHost: { abbrev: 'ip.dst_host', name: 'Destination Host', type: 'string' },
    // options
    optType: { abbrev: 'ip.opt.type', name: 'Type', type: 'uint8' },
    optCopy: {
      abbrev: 'ip.opt.type.copy',
      name: 'Copy on fragmentation',
      type: 'bool',
      mask: 0x80,
      tfs: ['Yes', 'No'],
    },
    optClass: { abbrev: 'ip.opt.type.class', name: 'Class', type: 'uint8', mask: 0x60, vals: OPTION_CLASSES },
    optNumber: {
      abbrev: 'ip.opt.type.number',
      name: 'Number',
      type: 'uint8',
      mask: 0x1f,
      vals: OPTION_NUMBERS,
    },
    optLen: { abbrev: 'ip.opt.len', name: 'Length', type: 'uint8' },
    optPtr: { abbrev: 'ip.opt.ptr', name: 'Pointer', type: 'uint8' },
    optSid: { abbrev: 'ip.opt.sid', name: 'Stream Identifier', type: 'uint16' },
    optMtu: { abbrev: 'ip.opt.mtu', name: 'MTU', type: 'uint16' },
    optIdNumber: { abbrev: 'ip.opt.id_number', name: 'ID Number', type: 'uint16' },
    optOhc: { abbrev: 'ip.opt.ohc', name: 'Outbound Hop Count', type: 'uint16' },
    optRhc: { abbrev: 'ip.opt.rhc', name: 'Return Hop Count', type: 'uint16' },
    optOriginator: { abbrev: 'ip.opt.originator', name: 'Originator IP Address', type: 'ipv4' },
    optRa: {
      abbrev: 'ip.opt.ra',
      name: 'Router Alert',
      type: 'uint16',
      vals: { 0: 'Router shall examine packet' },
    },
    optAddr: { abbrev: 'ip.opt.addr', name: 'IP Address', type: 'ipv4' },
    optPadding: { abbrev: 'ip.opt.padding', name: 'Padding', type: 'bytes' },
    optSecLevel: {
      abbrev: 'ip.opt.sec_rfc791_sec',
      name: 'Security',
      type: 'uint16',
      base: 'hex',
      vals: SECURITY_LEVELS,
    },
    optSecComp: { abbrev: 'ip.opt.sec_rfc791_comp', name: 'Compartments', type: 'uint16' },
    optSecHr: { abbrev: 'ip.opt.sec_rfc791_hr', name: 'Handling Restrictions', type: 'string' },
    optSecTcc: { abbrev: 'ip.opt.sec_rfc791_tcc', name: 'Transmission Control Code', type: 'string' },
    optOverflow: { abbrev: 'ip.opt.overflow', name: 'Overflow', type: 'uint8', mask: 0xf0 },
    optFlag: {
      abbrev: 'ip.opt.flag',
      name: 'Flag',
      type: 'uint8',
      base: 'hex',
      mask: 0x0f,
      vals: TIMESTAMP_FLAGS,
    },
    optTimestamp: { abbrev: 'ip.opt.time_stamp', name: 'Time stamp', type: 'uint32' },
    optTimestampAddr: { abbrev: 'ip.opt.time_stamp_addr', name: 'Address', type: 'ipv4' },
    recRt: { abbrev: 'ip.rec_rt', name: 'Recorded Route', type: 'ipv4' },
    curRt: { abbrev: 'ip.cur_rt', name: 'Current Route', type: 'ipv4' },
    srcRt: { abbrev: 'ip.src_rt', name: 'Source Route', type: 'ipv4' },
    emptyRt: { abbrev: 'ip.empty_rt', name: 'Empty Route', type: 'ipv4' },
    // reassembly
    fragment: { abbrev: 'ip.fragment', name: 'IPv4 Fragment', type: 'framenum' },
    fragments: { abbrev: 'ip.fragments', name: 'IPv4 Fragments', type: 'bytes' },
    fragmentCount: { abbrev: 'ip.fragment.count', name: 'Fragment count', type: 'uint32' },
    fragmentOverlap: { abbrev: 'ip.fragment.overlap', name: 'Fragment overlap', type: 'bool' },
    fragmentConflict: {
      abbrev: 'ip.fragment.overlap.conflict',
      name: 'Conflicting data in fragment overlap',
      type: 'bool',
    },
    fragmentMultipleTails: {
      abbrev: 'ip.fragment.multipletails',
      name: 'Multiple tail fragments found',
      type: 'bool',
    },
    fragmentTooLong: { abbrev: 'ip.fragment.toolongfragment', name: 'Fragment too long', type: 'bool' },
    reassembledIn: { abbrev: 'ip.reassembled_in', name: 'Reassembled IPv4 in frame', type: 'framenum' },
    reassembledLength: { abbrev: 'ip.reassembled.length', name: 'Reassembled IPv4 length', type: 'uint32' },
    reassembledData: { abbrev: 'ip.reassembled.data', name: 'Reassembled IPv4 data', type: 'bytes' },
  },
  dissect: dissectIpv4,
});

/** Adds a field Wireshark registers hidden: only when a filter or `-T fields` asks for it. */
export function addHidden(
  p: Dissection,
  f: (typeof ip.f)[keyof typeof ip.f],
  start: number,
  len: number,
  value?: string | number | Uint8Array,
): void {
  if (p.wanted !== null && p.wanted[f.id] === 1) p.add(f, start, len, value);
}

/** TTL of the innermost IPv4 header being decoded (ICMP's echo Info shows it). */
const ttlOf = new WeakMap<Dissection, number>();
export function ipHeaderTtl(p: Dissection): number | undefined {
  return ttlOf.get(p);
}

const reassembler = (p: Dissection): Reassembler =>
  p.state.slot('ip.reassembly', () => new Reassembler('IPv4'));

function dissectIpv4(p: Dissection, start: number, end: number): void {
  const f = ip.f;
  const b0 = p.u8(start);
  const version = b0 >> 4;
  const hdrLen = (b0 & 0x0f) * 4;
  const totalLen = p.u16(start + 2);
  const src = p.u32(start + 12);
  const dst = p.u32(start + 16);
  // Address text is needed for the columns, the tree and the `*_host` fields only.
  const needText = p.columns || p.detailFor('ip');
  const srcText = needText ? ipv4ToString(src) : '';
  const dstText = needText ? ipv4ToString(dst) : '';
  const top = p.add(
    ip.field,
    start,
    Math.max(20, Math.min(hdrLen, end - start)),
    undefined,
    p.tree ? `Internet Protocol Version 4, Src: ${srcText}, Dst: ${dstText}` : undefined,
  );
  p.open(top);
  p.add(f.version, start, 1);
  if (version !== 4) {
    p.issue('malformed', 'error', `Bogus IP version (${version}, must be 4)`, start, start + 1);
    p.close(top);
    if (p.columns) p.setInfo(`Bogus IPv4 version (${version}, must be 4)`);
    return;
  }
  p.add(
    f.hdrLen,
    start,
    1,
    hdrLen,
    p.tree ? `.... ${bin4(hdrLen / 4)} = Header Length: ${hdrLen} bytes (${hdrLen / 4})` : undefined,
  );
  if (hdrLen < 20) {
    p.issue(
      'malformed',
      'error',
      `Bogus IP header length (${hdrLen}, must be at least 20)`,
      start,
      start + 1,
    );
    p.close(top);
    if (p.columns) p.setInfo(`Bogus IP header length (${hdrLen}, must be at least 20)`);
    return;
  }
  const tos = p.u8(start + 1);
  const ds = p.add(
    f.dsfield,
    start + 1,
    1,
    tos,
    p.tree
      ? `Differentiated Services Field: 0x${hex(tos, 2)} (DSCP: ${dscpShortName(tos >> 2)}, ECN: ${ECN_SHORT[tos & 3]})`
      : undefined,
  );
  p.open(ds);
  p.add(
    f.dscp,
    start + 1,
    1,
    undefined,
    p.tree
      ? `${bitPattern(0xfc, 8, tos)} = Differentiated Services Codepoint: ${DSCP_NAMES[tos >> 2] ?? 'Unknown'} (${tos >> 2})`
      : undefined,
  );
  p.add(f.ecn, start + 1, 1);
  p.close(ds);

  // A zero total length (TCP segmentation offload) is shown as the length actually present.
  const lenItem = p.add(f.len, start + 2, 2, totalLen === 0 ? end - start : totalLen);
  if (totalLen < hdrLen) {
    // RFC 791: the total length includes the header. (TSO/GSO captures carry 0 here; Wireshark
    // then uses the captured length, and so do we, with a note.)
    if (totalLen !== 0) {
      p.issue(
        'malformed',
        'error',
        `Bogus IP length (${totalLen}, less than header length ${hdrLen})`,
        start + 2,
        start + 4,
      );
      if (lenItem) lenItem.label += ` (bogus, less than header length ${hdrLen})`;
      p.close(top);
      if (p.columns) p.setInfo(`Bogus IP length (${totalLen}, less than header length ${hdrLen})`);
      return;
    }
    p.issue(
      'malformed',
      'note',
      'IPv4 total length 0: assuming TCP segmentation offload',
      start + 2,
      start + 4,
    );
  }
  const datagramEnd = totalLen === 0 ? end : start + totalLen;
  // Cut by the capture's snaplen rather than malformed: the datagram goes on past the captured
  // bytes, and the layers above report "packet size limited during capture" themselves.
  const snappedBeyond = datagramEnd > end && isSnapped(p, end);
  if (datagramEnd > end && totalLen !== 0 && !p.inError && !snappedBeyond) {
    p.issue(
      'malformed',
      'error',
      `IPv4 total length ${totalLen} exceeds the ${end - start} bytes available`,
      start + 2,
      start + 4,
    );
  } else if (datagramEnd <= end) {
    // Bytes after the datagram belong to the layer below (Ethernet padding/trailer).
    p.setLayerEnd(datagramEnd);
  }
  const id = p.u16(start + 4);
  p.add(f.id, start + 4, 2, id, p.tree ? `Identification: 0x${hex(id, 4)} (${id})` : undefined);
  const flagsWord = p.u16(start + 6);
  const flags = flagsWord >> 13;
  const flagNames = p.tree
    ? [
        flags & 4 ? 'Reserved bit' : '',
        flags & 2 ? "Don't fragment" : '',
        flags & 1 ? 'More fragments' : '',
      ].filter(Boolean)
    : [];
  const fl = p.add(
    f.flags,
    start + 6,
    1,
    flags,
    p.tree
      ? `${bitPattern(0xe0, 8, flags << 5)} = Flags: 0x${flags.toString(16)}${flagNames.length ? ', ' + flagNames.join(', ') : ''}`
      : undefined,
  );
  p.open(fl);
  p.add(f.rb, start + 6, 1);
  p.add(f.df, start + 6, 1);
  p.add(f.mf, start + 6, 1);
  p.close(fl);
  const fragOffset = (flagsWord & 0x1fff) * 8;
  p.add(
    f.fragOffset,
    start + 6,
    2,
    fragOffset / 8,
    p.tree ? `${bitPattern(0x1fff, 16, flagsWord)} = Fragment Offset: ${fragOffset}` : undefined,
  );
  const ttl = p.u8(start + 8);
  p.add(f.ttl, start + 8, 1);
  const proto = p.u8(start + 9);
  p.add(f.proto, start + 9, 1);

  // Header checksum (RFC 791 §3.1): validated like Wireshark with ip.check_checksum off, i.e.
  // shown unverified, but a wrong value is still an issue.
  const checksum = p.u16(start + 10);
  const headerAvailable = p.remaining(start) >= hdrLen;
  const computed = headerAvailable ? internetChecksum(p.data, start, start + hdrLen) : -1;
  const ck = p.add(
    f.checksum,
    start + 10,
    2,
    checksum,
    p.tree ? `Header Checksum: 0x${hex(checksum, 4)} [validation disabled]` : undefined,
  );
  if (computed > 0) {
    const expected = correctChecksum(checksum, computed);
    p.issue(
      'checksum-bad',
      'warn',
      `Bad IPv4 header checksum 0x${hex(checksum, 4)}, should be 0x${hex(expected, 4)}`,
      start + 10,
      start + 12,
    );
    if (ck) ck.severity = 'warn';
  }
  p.addGenerated(f.checksumStatus, 2, 'Header checksum status: Unverified');

  p.add(f.src, start + 12, 4);
  addHidden(p, f.addr, start + 12, 4);
  addHidden(p, f.srcHost, start + 12, 4, srcText);
  addHidden(p, f.host, start + 12, 4, srcText);
  // With an unfinished source route (RFC 791 §3.1, LSRR/SSRR) the header's destination is only
  // the next hop: Wireshark shows it as the current route and the route's last address as the
  // destination (in the option).
  const finalDst =
    hdrLen > 20 && p.remaining(start) >= hdrLen
      ? sourceRouteDestination(p, start + 20, start + hdrLen)
      : undefined;
  if (finalDst) {
    p.add(f.curRt, start + 16, 4, undefined, `Current Route: ${dstText}`);
    if (top)
      top.label = `Internet Protocol Version 4, Src: ${srcText}, Dst: ${ipv4ToString(finalDst.addr)}, Via: ${dstText}`;
  } else {
    addDestination(p, start + 16, dstText);
  }

  if (hdrLen > 20) {
    p.check(start, hdrLen); // the whole header must be there before its options are read
    dissectOptions(p, start + 20, start + hdrLen, top);
  }
  p.close(top);

  if (p.columns) p.setNetAddresses(srcText, finalDst ? ipv4ToString(finalDst.addr) : dstText);
  p.netFamily = 4;
  p.netSrc = p.data.subarray(start + 12, start + 16);
  // Upper-layer pseudo-headers use the final destination (RFC 791 §3.1, RFC 793 §3.1).
  p.netDst = finalDst
    ? p.data.subarray(finalDst.at, finalDst.at + 4)
    : p.data.subarray(start + 16, start + 20);

  const payloadStart = start + hdrLen;
  const payloadEnd = snappedBeyond ? datagramEnd : Math.min(datagramEnd, end);
  if (payloadStart > payloadEnd) {
    p.issue('malformed', 'error', `IPv4 header length ${hdrLen} exceeds the datagram`, start, start + 1);
    return;
  }
  const mf = (flags & 1) !== 0;
  // An ICMP error quotes only the start of a datagram: never reassemble inside one. Like
  // Wireshark, only a fragment captured whole is collected; one cut short is shown as it is,
  // and if it is the first fragment its payload is still decoded as far as it goes.
  const fragmentCaptured = datagramEnd <= Math.min(end, p.data.length);
  if ((mf || fragOffset > 0) && !p.inError && !fragmentCaptured && fragOffset > 0) {
    showReassembly(
      p,
      { kind: 'partial', start: payloadStart, end: payloadEnd },
      top,
      proto,
      fragOffset,
      id,
      ttl,
    );
    return;
  }
  if ((mf || fragOffset > 0) && !p.inError && fragmentCaptured) {
    const result = reassembler(p).add(p, {
      key: `${src}>${dst}#${id}/${proto}`,
      offset: fragOffset,
      more: mf,
      start: payloadStart,
      end: payloadEnd,
    });
    showReassembly(p, result, top, proto, fragOffset, id, ttl);
    return;
  }
  dispatchPayload(p, proto, payloadStart, payloadEnd, ttl);
}

/** `ip.dst` and its hidden companions. */
function addDestination(p: Dissection, at: number, text: string): void {
  const f = ip.f;
  p.add(f.dst, at, 4, undefined, p.tree ? `Destination Address: ${text}` : undefined);
  addHidden(p, f.addr, at, 4);
  addHidden(p, f.dstHost, at, 4, text);
  addHidden(p, f.host, at, 4, text);
}

/** The last address of an unfinished loose/strict source route in the options, if any. */
function sourceRouteDestination(
  p: Dissection,
  start: number,
  end: number,
): { addr: number; at: number } | undefined {
  for (let off = start; off < end;) {
    const type = p.data[off]!;
    if (type === 0) return undefined;
    if (type === 1) {
      off++;
      continue;
    }
    const len = p.data[off + 1] ?? 0;
    if (len < 2 || off + len > end) return undefined;
    if ((type === 131 || type === 137) && len >= 7) {
      const ptr = p.data[off + 2]!;
      const last = off + 3 + Math.floor((len - 3) / 4) * 4 - 4;
      if (ptr <= len) return { addr: p.u32(last), at: last };
    }
    off += len;
  }
  return undefined;
}

/** True when the frame was cut by the snaplen and this layer reaches the end of the captured bytes. */
export function isSnapped(p: Dissection, end: number): boolean {
  return p.frame.origLen > p.frame.capLen && end >= p.data.length && p.ds === 0;
}

function dispatchPayload(p: Dissection, proto: number, start: number, end: number, ttl: number): void {
  ttlOf.set(p, ttl);
  tables.ipProto.dispatchOrData(p, proto, start, end, data);
}

/** Fragment items, Info for non-final fragments, and the reassembled datagram's decode. */
function showReassembly(
  p: Dissection,
  r: ReassemblyResult,
  top: TreeNode | undefined,
  proto: number,
  offset: number,
  id: number,
  ttl: number,
): void {
  const f = ip.f;
  if (r.kind === 'complete') {
    p.open(top);
    addFragmentItems(p, r, 'IPv4', f);
    p.close(top);
    p.withSource(`Reassembled IPv4 (${r.bytes.length} bytes)`, r.bytes, () => {
      dispatchPayload(p, proto, 0, r.bytes.length, ttl);
    });
    return;
  }
  if (r.reassembledIn !== undefined) {
    p.open(top);
    p.addGenerated(f.reassembledIn, r.reassembledIn, `Reassembled IPv4 in frame: ${r.reassembledIn}`);
    p.close(top);
  }
  if (p.columns) {
    p.setInfo(
      `Fragmented IP protocol (proto=${IP_PROTOCOLS[proto] ?? 'Unknown'} ${proto}, off=${offset}, ID=${hex(id, 4)})`,
    );
    if (r.reassembledIn !== undefined) p.appendInfo(` [Reassembled in #${r.reassembledIn}]`);
  }
  p.call(data, r.start, r.end);
}

type FragmentFields = {
  fragment: (typeof ip.f)['fragment'];
  fragments: (typeof ip.f)['fragments'];
  fragmentCount: (typeof ip.f)['fragmentCount'];
  fragmentOverlap: (typeof ip.f)['fragmentOverlap'];
  reassembledLength: (typeof ip.f)['reassembledLength'];
  reassembledData: (typeof ip.f)['reassembledData'];
};

/** The "[3 IPv4 Fragments (3008 bytes): #15(1480), …]" subtree, shared with IPv6. */
export function addFragmentItems(
  p: Dissection,
  r: Extract<ReassemblyResult, { kind: 'complete' }>,
  label: string,
  f: FragmentFields,
): void {
  const n = r.fragments.length;
  const summary = r.fragments.map((x) => `#${x.frame}(${x.length})`).join(', ');
  const item = p.add(
    f.fragments,
    0,
    0,
    r.bytes,
    `[${n} ${label} Fragments (${r.bytes.length} bytes): ${summary}]`,
  );
  if (item) item.generated = true;
  p.open(item);
  for (const x of r.fragments) {
    const last = x.offset + x.length - 1;
    const node = p.add(
      f.fragment,
      0,
      0,
      x.frame,
      `[Frame: ${x.frame}, payload: ${x.offset}-${last} (${x.length} bytes)]`,
    );
    if (node) node.generated = true;
  }
  if (r.overlap) p.addGenerated(f.fragmentOverlap, true, 'Fragment overlap: True');
  p.addGenerated(f.fragmentCount, n, `Fragment count: ${n}`);
  p.addGenerated(f.reassembledLength, r.bytes.length, `Reassembled ${label} length: ${r.bytes.length}`);
  if (p.wants(f.reassembledData)) {
    const shown = Array.from(r.bytes.subarray(0, 36), (b) => hex(b, 2)).join('');
    p.addGenerated(
      f.reassembledData,
      r.bytes,
      `Reassembled ${label} data: ${shown}${r.bytes.length > 36 ? '…' : ''}`,
    );
  }
  p.close(item);
}

// ---- options (RFC 791 §3.1) ----

function dissectOptions(p: Dissection, start: number, end: number, parent: TreeNode | undefined): void {
  const f = ip.f;
  const names: string[] = [];
  const opts = p.addText(`Options: (${end - start} bytes)`, start, end - start);
  p.open(opts);
  let off = start;
  while (off < end) {
    const type = p.u8(off);
    const name = OPTION_NAMES[type] ?? `Unknown (0x${hex(type, 2)})`;
    if (type === 0 || type === 1) {
      // Single-octet options.
      const item = p.addText(`IP Option - ${name}`, off, 1);
      p.open(item);
      addOptionType(p, off);
      p.close(item);
      off++;
      if (type === 0) {
        // Everything after EOL is padding.
        if (off < end && p.remaining(off) >= end - off) {
          const anyNonZero = p.bytes(off, end - off).some((b) => b !== 0);
          if (anyNonZero) p.add(f.optPadding, off, end - off);
        }
        break;
      }
      continue;
    }
    const len = p.u8(off + 1);
    // Wireshark labels unknown options "Unknown (0xNN)" and gives them no type/length items.
    const known = OPTION_NAMES[type] !== undefined;
    const prefix = known ? `IP Option - ${name}` : name;
    if (len < 2 || off + len > end) {
      const why =
        len < 2
          ? `option length = ${len} bytes is less than 2`
          : `option length = ${len} bytes says option goes past end of options`;
      const item = p.addText(`${prefix} (${why})`, off, Math.min(2, end - off));
      if (item) item.severity = 'warn';
      p.issue('malformed', 'warn', `${name} (${why})`, off, Math.min(end, off + 2));
      break;
    }
    if (known) names.push(name);
    const item = p.addText(`${prefix} (${len} bytes)`, off, len);
    if (known) {
      p.open(item);
      addOptionType(p, off);
      p.add(f.optLen, off + 1, 1);
      dissectOptionBody(p, type, off, len, item);
      p.close(item);
    }
    off += len;
  }
  p.close(opts);
  if (opts && names.length) opts.label += ', ' + names.join(', ');
  void parent;
}

function addOptionType(p: Dissection, off: number): void {
  const f = ip.f;
  const t = p.add(f.optType, off, 1);
  p.open(t);
  p.add(f.optCopy, off, 1);
  p.add(f.optClass, off, 1);
  p.add(f.optNumber, off, 1);
  p.close(t);
}

function optionTooShort(p: Dissection, name: string, off: number, len: number, min: number): boolean {
  if (len >= min) return false;
  p.issue('malformed', 'error', `IPv4 option ${name}: length ${len} is less than ${min}`, off, off + len);
  return true;
}

function dissectOptionBody(
  p: Dissection,
  type: number,
  off: number,
  len: number,
  item: TreeNode | undefined,
): void {
  const f = ip.f;
  const name = OPTION_NAMES[type] ?? 'Unknown';
  switch (type) {
    case 7: // Record Route
    case 131: // Loose Source Route
    case 137: {
      // Strict Source Route. RFC 791: pointer (1-based, ≥ 4) to the next slot.
      if (optionTooShort(p, name, off, len, 3)) return;
      const ptr = p.u8(off + 2);
      p.add(f.optPtr, off + 2, 1);
      if (ptr < 4)
        p.issue(
          'malformed',
          'warn',
          `${name}: pointer ${ptr} points before the first address`,
          off + 2,
          off + 3,
        );
      else if ((ptr - 4) % 4)
        p.issue(
          'malformed',
          'warn',
          `${name}: pointer ${ptr} points to the middle of an address`,
          off + 2,
          off + 3,
        );
      const lastAt = off + 3 + Math.floor((len - 3) / 4) * 4 - 4;
      for (let a = off + 3; a + 4 <= off + len; a += 4) {
        const addr = p.u32(a);
        const isNext = a - off + 1 === ptr;
        const passed = a - off + 1 < ptr;
        if (type !== 7 && a === lastAt && ptr <= len) {
          // An unfinished source route ends at the datagram's real destination.
          addDestination(p, a, ipv4ToString(addr));
          continue;
        }
        const field = type === 7 ? (passed ? f.recRt : f.emptyRt) : passed ? f.recRt : f.srcRt;
        const label = `${field.name}: ${ipv4ToString(addr)}${isNext ? ' <- (next)' : ''}`;
        p.add(field, a, 4, undefined, label);
      }
      return;
    }
    case 68: {
      // Time Stamp (RFC 791): pointer, overflow/flag, then stamps (with addresses for flag 1/3).
      if (optionTooShort(p, name, off, len, 4)) return;
      p.add(f.optPtr, off + 2, 1);
      const ofl = p.u8(off + 3);
      p.add(f.optOverflow, off + 3, 1);
      p.add(f.optFlag, off + 3, 1);
      const withAddr = (ofl & 0x0f) !== 0;
      for (let a = off + 4; a < off + len;) {
        if (withAddr) {
          if (a + 8 > off + len) break;
          const tsAddr = p.u32(a);
          p.add(f.optTimestampAddr, a, 4, undefined, `Address: ${tsAddr ? ipv4ToString(tsAddr) : '-'}`);
          p.add(f.optTimestamp, a + 4, 4);
          a += 8;
        } else {
          if (a + 4 > off + len) break;
          p.add(f.optTimestamp, a, 4);
          a += 4;
        }
      }
      return;
    }
    case 148: {
      // Router Alert (RFC 2113)
      if (optionTooShort(p, name, off, len, 4)) return;
      const ra = p.u16(off + 2);
      p.add(f.optRa, off + 2, 2);
      if (item) item.label += `: ${ra === 0 ? 'Router shall examine packet' : 'Reserved'} (${ra})`;
      return;
    }
    case 136: // Stream ID
      if (optionTooShort(p, name, off, len, 4)) return;
      p.add(f.optSid, off + 2, 2);
      return;
    case 11: // MTU Probe / Reply (RFC 1063)
    case 12:
      if (optionTooShort(p, name, off, len, 4)) return;
      p.add(f.optMtu, off + 2, 2);
      return;
    case 82: // Traceroute (RFC 1393)
      if (optionTooShort(p, name, off, len, 12)) return;
      p.add(f.optIdNumber, off + 2, 2);
      p.add(f.optOhc, off + 4, 2);
      p.add(f.optRhc, off + 6, 2);
      p.add(f.optOriginator, off + 8, 4);
      return;
    case 130: // Security (RFC 791): S, C, H, TCC
      if (len === 11) {
        p.add(f.optSecLevel, off + 2, 2);
        p.add(f.optSecComp, off + 4, 2);
        p.add(f.optSecHr, off + 6, 2);
        p.add(f.optSecTcc, off + 8, 3);
      } else if (item) {
        item.label += ' (RFC 1108 basic security)';
      }
      return;
    default:
      return;
  }
}

// ---- small helpers ----

function bin4(n: number): string {
  return (n & 0xf).toString(2).padStart(4, '0');
}

// ---- encoding ----

/** Plain representation of an IPv4 header (the encoder contract). */
export interface Ipv4Repr {
  src: string;
  dst: string;
  protocol: number;
  ttl?: number;
  id?: number;
  dscp?: number;
  ecn?: number;
  df?: boolean;
  mf?: boolean;
  /** In bytes (a multiple of 8). */
  fragmentOffset?: number;
  options?: Uint8Array;
  totalLength?: number;
  checksum?: number;
  /** In bytes; the IHL field is this / 4. */
  headerLength?: number;
}

function addrBytes(text: string): Uint8Array {
  const v = parseIpv4Text(text);
  if (v === undefined) throw new Error(`bad IPv4 address: ${text}`);
  return new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}

/** Builds header + payload; lengths and the checksum are computed unless given. Options are
 * padded with zeros (EOL) to a multiple of 4 bytes (RFC 791 §3.1). */
export function encodeIpv4(repr: Ipv4Repr, payload: Uint8Array): Uint8Array {
  const opts = repr.options ?? new Uint8Array(0);
  const optLen = Math.ceil(opts.length / 4) * 4;
  const hdrLen = 20 + optLen;
  const out = new Uint8Array(hdrLen + payload.length);
  const ihl = (repr.headerLength ?? hdrLen) / 4;
  out[0] = 0x40 | (ihl & 0x0f);
  out[1] = (((repr.dscp ?? 0) & 0x3f) << 2) | ((repr.ecn ?? 0) & 3);
  const total = repr.totalLength ?? out.length;
  out[2] = (total >> 8) & 0xff;
  out[3] = total & 0xff;
  const id = repr.id ?? 0;
  out[4] = (id >> 8) & 0xff;
  out[5] = id & 0xff;
  const frag = ((repr.fragmentOffset ?? 0) / 8) & 0x1fff;
  const flagsWord = (repr.df ? 0x4000 : 0) | (repr.mf ? 0x2000 : 0) | frag;
  out[6] = flagsWord >> 8;
  out[7] = flagsWord & 0xff;
  out[8] = (repr.ttl ?? 64) & 0xff;
  out[9] = repr.protocol & 0xff;
  out.set(addrBytes(repr.src), 12);
  out.set(addrBytes(repr.dst), 16);
  out.set(opts, 20);
  const ck = repr.checksum ?? internetChecksum(out, 0, hdrLen);
  out[10] = ck >> 8;
  out[11] = ck & 0xff;
  out.set(payload, hdrLen);
  return out;
}

/** Reads a header back into its representation; the payload is bounded by the total length. */
export function parseIpv4(bytes: Uint8Array): { repr: Ipv4Repr; payload: Uint8Array } | undefined {
  if (bytes.length < 20 || bytes[0]! >> 4 !== 4) return undefined;
  const hdrLen = (bytes[0]! & 0x0f) * 4;
  if (hdrLen < 20 || bytes.length < hdrLen) return undefined;
  const total = (bytes[2]! << 8) | bytes[3]!;
  const flagsWord = (bytes[6]! << 8) | bytes[7]!;
  const repr: Ipv4Repr = {
    src: ipv4ToString(((bytes[12]! << 24) >>> 0) + (bytes[13]! << 16) + (bytes[14]! << 8) + bytes[15]!),
    dst: ipv4ToString(((bytes[16]! << 24) >>> 0) + (bytes[17]! << 16) + (bytes[18]! << 8) + bytes[19]!),
    protocol: bytes[9]!,
    ttl: bytes[8]!,
    id: (bytes[4]! << 8) | bytes[5]!,
    dscp: bytes[1]! >> 2,
    ecn: bytes[1]! & 3,
    df: (flagsWord & 0x4000) !== 0,
    mf: (flagsWord & 0x2000) !== 0,
    fragmentOffset: (flagsWord & 0x1fff) * 8,
    totalLength: total,
    checksum: (bytes[10]! << 8) | bytes[11]!,
    headerLength: hdrLen,
  };
  if (hdrLen > 20) repr.options = bytes.slice(20, hdrLen);
  return { repr, payload: bytes.subarray(hdrLen, Math.max(hdrLen, Math.min(bytes.length, total))) };
}

tables.ethertype.register(0x0800, ip);
// IP in IP (RFC 2003).
tables.ipProto.register(4, ip);
