// Internet Protocol version 6 (RFC 8200): the fixed header, then the extension headers
// (hop-by-hop options §4.3, routing §4.4 with types 0, 2 (RFC 6275) and 4 (SRH, RFC 8754),
// fragment §4.5 with reassembly, destination options §4.6) decoded as Wireshark does — each as its
// own layer (`ipv6.hopopts`, `ipv6.routing`, `ipv6.fraghdr`, `ipv6.dstopts`) nested in the IPv6
// item — and the upper layer dispatched through the IP protocol table.
import { parseIpv6 as parseIpv6Text } from '../dissect/address';
import type { Dissection, TreeNode } from '../dissect/dissection';
import { bitPattern, etherToString, hex, ipv6ToString } from '../dissect/format';
import { resolveEther } from '../dissect/resolve';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { data } from './data';
import {
  addFragmentItems,
  isSnapped,
  DSCP_NAMES,
  dscpShortName,
  ECN_NAMES,
  ECN_SHORT,
  IP_PROTOCOLS,
  ip,
} from './ip';
import { Reassembler, type ReassemblyResult } from './reassembly';

const OPTION_TYPES: Readonly<Record<number, string>> = {
  0x00: 'Pad1',
  0x01: 'PadN',
  0x04: 'Tunnel Encapsulation Limit',
  0x05: 'Router Alert',
  0x07: 'CALIPSO',
  0x08: 'SMF_DPD',
  0x0f: 'Performance and Diagnostic Metrics',
  0x26: 'Quick-Start',
  0x31: 'IOAM',
  0x63: 'RPL Option',
  0x6d: 'MPL Option',
  0x8b: 'ILNP Nonce',
  0x8c: 'Line-Identification Option',
  0xc2: 'Jumbo Payload',
  0xc9: 'Home Address',
  0xee: 'IP_DFF',
};
const OPTION_ACTIONS = {
  0: 'Skip and continue',
  1: 'Discard packet',
  2: 'Discard packet and send ICMP Parameter Problem',
  3: 'Discard packet and send ICMP Parameter Problem unless destination is multicast',
};
const ROUTER_ALERT_VALUES = { 0: 'MLD', 1: 'RSVP', 2: 'Active Networks' };
const ROUTING_TYPES: Readonly<Record<number, string>> = {
  0: 'Source Route',
  1: 'Nimrod',
  2: 'Type 2 Routing',
  3: 'RPL Source Route Header',
  4: 'Segment Routing',
  5: 'CRH-16',
  6: 'CRH-32',
};

/** Next Header names: extension headers are spelled out in full, as Wireshark does. */
const NEXT_HEADER_NAMES: Readonly<Record<number, string>> = {
  ...IP_PROTOCOLS,
  43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6',
  60: 'Destination Options for IPv6',
};

export const ipv6 = defineProtocol({
  abbrev: 'ipv6',
  name: 'Internet Protocol Version 6',
  short: 'IPv6',
  fields: {
    version: { abbrev: 'ipv6.version', name: 'Version', type: 'uint8' },
    tclass: { abbrev: 'ipv6.tclass', name: 'Traffic Class', type: 'uint32', base: 'hex', mask: 0x0ff00000 },
    dscp: {
      abbrev: 'ipv6.tclass.dscp',
      name: 'Differentiated Services Codepoint',
      type: 'uint32',
      mask: 0x0fc00000,
      vals: DSCP_NAMES,
    },
    ecn: {
      abbrev: 'ipv6.tclass.ecn',
      name: 'Explicit Congestion Notification',
      type: 'uint32',
      mask: 0x00300000,
      vals: ECN_NAMES,
    },
    flow: { abbrev: 'ipv6.flow', name: 'Flow Label', type: 'uint24', base: 'hex', mask: 0x0fffff },
    plen: { abbrev: 'ipv6.plen', name: 'Payload Length', type: 'uint16' },
    nxt: { abbrev: 'ipv6.nxt', name: 'Next Header', type: 'uint8', vals: NEXT_HEADER_NAMES },
    hlim: { abbrev: 'ipv6.hlim', name: 'Hop Limit', type: 'uint8' },
    src: { abbrev: 'ipv6.src', name: 'Source Address', type: 'ipv6' },
    srcHost: { abbrev: 'ipv6.src_host', name: 'Source Host', type: 'string' },
    dst: { abbrev: 'ipv6.dst', name: 'Destination Address', type: 'ipv6' },
    dstHost: { abbrev: 'ipv6.dst_host', name: 'Destination Host', type: 'string' },
    srcSlaacMac: { abbrev: 'ipv6.src_slaac_mac', name: 'Source SLAAC MAC', type: 'ether' },
    dstSlaacMac: { abbrev: 'ipv6.dst_slaac_mac', name: 'Destination SLAAC MAC', type: 'ether' },
    slaacMac: { abbrev: 'ipv6.slaac_mac', name: 'SLAAC MAC', type: 'ether' },
    addr: { abbrev: 'ipv6.addr', name: 'Source or Destination Address', type: 'ipv6' },
    host: { abbrev: 'ipv6.host', name: 'Source or Destination Host', type: 'string' },
    // options (hop-by-hop and destination)
    opt: { abbrev: 'ipv6.opt', name: 'IPv6 Option', type: 'none' },
    optType: { abbrev: 'ipv6.opt.type', name: 'Type', type: 'uint8', base: 'hex', vals: OPTION_TYPES },
    optAction: {
      abbrev: 'ipv6.opt.type.action',
      name: 'Action',
      type: 'uint8',
      mask: 0xc0,
      vals: OPTION_ACTIONS,
    },
    optChange: {
      abbrev: 'ipv6.opt.type.change',
      name: 'May Change',
      type: 'bool',
      mask: 0x20,
      tfs: ['Yes', 'No'],
    },
    optRest: { abbrev: 'ipv6.opt.type.rest', name: 'Low-Order Bits', type: 'uint8', base: 'hex', mask: 0x1f },
    optLength: { abbrev: 'ipv6.opt.length', name: 'Length', type: 'uint8' },
    optPad1: { abbrev: 'ipv6.opt.pad1', name: 'Pad1', type: 'none' },
    optPadn: { abbrev: 'ipv6.opt.padn', name: 'PadN', type: 'bytes' },
    optRouterAlert: {
      abbrev: 'ipv6.opt.router_alert',
      name: 'Router Alert',
      type: 'uint16',
      vals: ROUTER_ALERT_VALUES,
    },
    optTel: { abbrev: 'ipv6.opt.tel', name: 'Tunnel Encapsulation Limit', type: 'uint8' },
    optJumbo: { abbrev: 'ipv6.opt.jumbo', name: 'Payload Length', type: 'uint32' },
    optHomeAddress: { abbrev: 'ipv6.opt.mipv6.home_address', name: 'Home Address', type: 'ipv6' },
    optUnknown: { abbrev: 'ipv6.opt.unknown', name: 'Unknown Option Payload', type: 'bytes' },
    // reassembly
    fragment: { abbrev: 'ipv6.fragment', name: 'IPv6 Fragment', type: 'framenum' },
    fragments: { abbrev: 'ipv6.fragments', name: 'IPv6 Fragments', type: 'none' },
    fragmentCount: { abbrev: 'ipv6.fragment.count', name: 'Fragment count', type: 'uint32' },
    fragmentOverlap: { abbrev: 'ipv6.fragment.overlap', name: 'Fragment overlap', type: 'bool' },
    reassembledIn: { abbrev: 'ipv6.reassembled.in', name: 'Reassembled IPv6 in frame', type: 'framenum' },
    reassembledLength: { abbrev: 'ipv6.reassembled.length', name: 'Reassembled IPv6 length', type: 'uint32' },
    reassembledData: { abbrev: 'ipv6.reassembled.data', name: 'Reassembled IPv6 data', type: 'bytes' },
  },
  dissect: dissectIpv6,
});

/** Hop-by-hop and destination options share one layout (RFC 8200 §4.3, §4.6). */
const optionsHeaderFields = (abbrev: string) => ({
  nxt: { abbrev: `${abbrev}.nxt`, name: 'Next Header', type: 'uint8' as const, vals: NEXT_HEADER_NAMES },
  len: { abbrev: `${abbrev}.len`, name: 'Length', type: 'uint8' as const },
  lenOct: { abbrev: `${abbrev}.len_oct`, name: 'Length', type: 'uint16' as const },
});

export const hopopts = defineProtocol({
  abbrev: 'ipv6.hopopts',
  name: 'IPv6 Hop-by-Hop Option',
  short: '',
  fields: optionsHeaderFields('ipv6.hopopts'),
  dissect: (p, start, end) => dissectOptionsHeader(p, start, end, hopopts),
});

export const dstopts = defineProtocol({
  abbrev: 'ipv6.dstopts',
  name: 'Destination Options for IPv6',
  short: '',
  fields: optionsHeaderFields('ipv6.dstopts'),
  dissect: (p, start, end) => dissectOptionsHeader(p, start, end, dstopts),
});

export const routing = defineProtocol({
  abbrev: 'ipv6.routing',
  name: 'Routing Header for IPv6',
  short: '',
  fields: {
    nxt: { abbrev: 'ipv6.routing.nxt', name: 'Next Header', type: 'uint8', vals: NEXT_HEADER_NAMES },
    len: { abbrev: 'ipv6.routing.len', name: 'Length', type: 'uint8' },
    lenOct: { abbrev: 'ipv6.routing.len_oct', name: 'Length', type: 'uint16' },
    type: { abbrev: 'ipv6.routing.type', name: 'Type', type: 'uint8', vals: ROUTING_TYPES },
    segleft: { abbrev: 'ipv6.routing.segleft', name: 'Segments Left', type: 'uint8' },
    unknownData: { abbrev: 'ipv6.routing.unknown_data', name: 'Type-Specific Data', type: 'bytes' },
    srcReserved: { abbrev: 'ipv6.routing.src.reserved', name: 'Reserved', type: 'bytes' },
    srcAddr: { abbrev: 'ipv6.routing.src.addr', name: 'Address', type: 'ipv6' },
    mipv6Reserved: { abbrev: 'ipv6.routing.mipv6.reserved', name: 'Reserved', type: 'bytes' },
    mipv6HomeAddress: { abbrev: 'ipv6.routing.mipv6.home_address', name: 'Home Address', type: 'ipv6' },
    srhLastEntry: { abbrev: 'ipv6.routing.srh.last_entry', name: 'Last Entry', type: 'uint8' },
    srhFlags: { abbrev: 'ipv6.routing.srh.flags', name: 'Flags', type: 'uint8', base: 'hex' },
    srhTag: { abbrev: 'ipv6.routing.srh.tag', name: 'Tag', type: 'bytes' },
    srhAddr: { abbrev: 'ipv6.routing.srh.addr', name: 'Address', type: 'ipv6' },
  },
  dissect: dissectRouting,
});

export const fraghdr = defineProtocol({
  abbrev: 'ipv6.fraghdr',
  name: 'Fragment Header for IPv6',
  short: '',
  fields: {
    nxt: { abbrev: 'ipv6.fraghdr.nxt', name: 'Next header', type: 'uint8', vals: NEXT_HEADER_NAMES },
    reservedOctet: {
      abbrev: 'ipv6.fraghdr.reserved_octet',
      name: 'Reserved octet',
      type: 'uint8',
      base: 'hex',
    },
    offset: { abbrev: 'ipv6.fraghdr.offset', name: 'Offset', type: 'uint16', mask: 0xfff8 },
    reservedBits: {
      abbrev: 'ipv6.fraghdr.reserved_bits',
      name: 'Reserved bits',
      type: 'uint16',
      mask: 0x0006,
    },
    more: {
      abbrev: 'ipv6.fraghdr.more',
      name: 'More Fragments',
      type: 'bool',
      bits: 16,
      mask: 0x0001,
      tfs: ['Yes', 'No'],
    },
    ident: { abbrev: 'ipv6.fraghdr.ident', name: 'Identification', type: 'uint32', base: 'hex' },
  },
  dissect: dissectFragmentHeader,
});

/** Where an extension header hands over: the next header and where it starts. */
interface Chain {
  next: number;
  offset: number;
  end: number;
  /** Set by the fragment header: stop here (partial) or continue in a reassembled source. */
  fragment?: { result: ReassemblyResult; nxt: number };
  /** Hop limit of the innermost IPv6 header (ICMPv6's echo Info shows it). */
  hopLimit: number;
}
const chains = new WeakMap<Dissection, Chain>();

/** Hop limit of the innermost IPv6 header being decoded. */
export function ipv6HopLimit(p: Dissection): number | undefined {
  return chains.get(p)?.hopLimit;
}

const EXTENSION_HEADERS: Readonly<Record<number, typeof hopopts | typeof routing | typeof fraghdr>> = {
  0: hopopts,
  43: routing,
  44: fraghdr,
  60: dstopts,
};

const reassembler = (p: Dissection): Reassembler =>
  p.state.slot('ipv6.reassembly', () => new Reassembler('IPv6'));

function addHidden(
  p: Dissection,
  f: { id: number },
  start: number,
  len: number,
  value: string | number | Uint8Array,
): void {
  if (p.wanted !== null && p.wanted[f.id] === 1) p.add(f as (typeof ipv6.f)['addr'], start, len, value);
}

/** The MAC address in a modified EUI-64 interface identifier (RFC 4291 App. A) with the
 * universal bit set, as Wireshark shows it for stateless autoconfigured addresses. */
function slaacMac(b: Uint8Array, off: number): Uint8Array | undefined {
  if (b[off + 11] !== 0xff || b[off + 12] !== 0xfe || (b[off + 8]! & 0x02) === 0) return undefined;
  return new Uint8Array([
    b[off + 8]! ^ 0x02,
    b[off + 9]!,
    b[off + 10]!,
    b[off + 13]!,
    b[off + 14]!,
    b[off + 15]!,
  ]);
}

function dissectIpv6(p: Dissection, start: number, end: number): void {
  const f = ipv6.f;
  const version = p.u8(start) >> 4;
  if (version !== 6) {
    // Wireshark shows just the version, then the rest as data.
    const top = p.add(ipv6.field, start, 1);
    p.open(top);
    p.add(
      f.version,
      start,
      1,
      version,
      p.tree ? `${bitPattern(0xf0, 8, version << 4)} = Version: ${version}` : undefined,
    );
    addHidden(p, ip.f.version, start, 1, version);
    p.close(top);
    p.issue('malformed', 'error', `Bogus IPv6 version (${version}, must be 6)`, start, start + 1);
    p.setInfo('IPv6');
    if (end > start) p.call(data, start, end);
    return;
  }
  if (end - start < 40) {
    p.setInfo(`Invalid IPv6 header (${end - start} bytes, need exactly 40)`);
    p.check(start, 40); // throws: truncated or malformed, contained by the framework
  }
  const word = p.u32(start);
  p.check(start, 40);
  const srcText = ipv6ToString(p.data, start + 8);
  const dstText = ipv6ToString(p.data, start + 24);
  const top = p.add(
    ipv6.field,
    start,
    40,
    undefined,
    p.tree ? `Internet Protocol Version 6, Src: ${srcText}, Dst: ${dstText}` : undefined,
  );
  p.open(top);
  p.add(
    f.version,
    start,
    1,
    version,
    p.tree ? `${bitPattern(0xf0, 8, version << 4)} = Version: ${version}` : undefined,
  );
  addHidden(p, ip.f.version, start, 1, version);
  const tclass = (word >>> 20) & 0xff;
  const tc = p.add(
    f.tclass,
    start,
    4,
    tclass,
    p.tree
      ? `${bitPattern(0x0ff00000, 32, word)} = Traffic Class: 0x${hex(tclass, 2)} (DSCP: ${dscpShortName(tclass >> 2)}, ECN: ${ECN_SHORT[tclass & 3]})`
      : undefined,
  );
  p.open(tc);
  p.add(
    f.dscp,
    start,
    4,
    tclass >> 2,
    p.tree
      ? `${bitPattern(0x0fc00000, 32, word)} = Differentiated Services Codepoint: ${DSCP_NAMES[tclass >> 2] ?? 'Unknown'} (${tclass >> 2})`
      : undefined,
  );
  p.add(
    f.ecn,
    start,
    4,
    tclass & 3,
    p.tree
      ? `${bitPattern(0x00300000, 32, word)} = Explicit Congestion Notification: ${ECN_NAMES[tclass & 3]} (${tclass & 3})`
      : undefined,
  );
  p.close(tc);
  const flow = word & 0xfffff;
  p.add(
    f.flow,
    start + 1,
    3,
    flow,
    p.tree ? `${bitPattern(0xfffff, 32, word).slice(10)} = Flow Label: 0x${hex(flow, 5)}` : undefined,
  );
  const plen = p.u16(start + 4);
  const plenItem = p.add(f.plen, start + 4, 2);
  const nxt = p.u8(start + 6);
  p.add(
    f.nxt,
    start + 6,
    1,
    nxt,
    p.tree ? `Next Header: ${NEXT_HEADER_NAMES[nxt] ?? 'Unknown'} (${nxt})` : undefined,
  );
  const hlim = p.u8(start + 7);
  p.add(f.hlim, start + 7, 1);
  for (const [field, hostField, off, text] of [
    [f.src, f.srcHost, start + 8, srcText],
    [f.dst, f.dstHost, start + 24, dstText],
  ] as const) {
    p.add(field, off, 16);
    if (p.wanted !== null) addHidden(p, f.addr, off, 16, p.data.subarray(off, off + 16));
    addHidden(p, hostField, off, 16, text);
    addHidden(p, f.host, off, 16, text);
  }
  // Wireshark lists the SLAAC MACs after both addresses.
  for (const [macField, off] of [
    [f.srcSlaacMac, start + 8],
    [f.dstSlaacMac, start + 24],
  ] as const) {
    const mac = slaacMac(p.data, off);
    if (mac) {
      const item = p.add(
        macField,
        off + 8,
        8,
        mac,
        `[${macField.name}: ${resolveEther(mac)} (${etherToString(mac)})]`,
      );
      if (item) item.generated = true;
      addHidden(p, f.slaacMac, off + 8, 8, mac);
    }
  }

  // RFC 8200 §3: the payload length counts the extension headers; 0 means a jumbogram (with a
  // hop-by-hop Jumbo Payload option) or, in captures, segmentation offload.
  let payloadEnd = start + 40 + plen;
  if (plen === 0) {
    payloadEnd = end;
  } else if (payloadEnd > end && isSnapped(p, end)) {
    // Cut by the snaplen: keep the reported length so upper layers say so (and skip checksums).
  } else if (payloadEnd > end && !p.inError) {
    p.issue(
      'malformed',
      'error',
      `IPv6 payload length ${plen} exceeds the ${end - start - 40} bytes available`,
      start + 4,
      start + 6,
    );
    if (plenItem) plenItem.label += ' [bad length]';
    payloadEnd = end;
  } else if (payloadEnd <= end) {
    p.setLayerEnd(payloadEnd);
  } else {
    payloadEnd = end;
  }

  if (p.columns) p.setNetAddresses(srcText, dstText);
  p.netFamily = 6;
  p.netSrc = p.data.subarray(start + 8, start + 24);
  p.netDst = p.data.subarray(start + 24, start + 40);

  const chain: Chain = { next: nxt, offset: start + 40, end: payloadEnd, hopLimit: hlim };
  const saved = chains.get(p);
  chains.set(p, chain);
  try {
    // Extension headers, nested in the IPv6 item like Wireshark's.
    let count = 0;
    while (EXTENSION_HEADERS[chain.next] && chain.offset < chain.end && !chain.fragment) {
      const ext = EXTENSION_HEADERS[chain.next]!;
      if (ext === hopopts && count > 0) {
        p.issue(
          'malformed',
          'warn',
          'IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header',
          chain.offset,
          chain.offset + 1,
        );
      }
      const before = chain.offset;
      p.call(ext, chain.offset, chain.end);
      if (chain.offset === before) break; // the header failed to decode: stop
      count++;
    }
    p.close(top);
    if (chain.fragment) {
      showReassembly(p, chain, top);
      return;
    }
    if (chain.offset > chain.end) return;
    if (chain.next === 59) {
      p.setInfo('IPv6 no next header');
      // RFC 8200 §4.7: No Next Header.
      if (chain.offset < chain.end) p.call(data, chain.offset, chain.end);
      return;
    }
    tables.ipProto.dispatchOrData(p, chain.next, chain.offset, chain.end, data);
  } finally {
    // Back to the outer header's chain (IPv6 in IPv6).
    if (saved) chains.set(p, saved);
  }
}

function showReassembly(p: Dissection, chain: Chain, top: TreeNode | undefined): void {
  const { result, nxt } = chain.fragment!;
  const f = ipv6.f;
  if (result.kind === 'complete') {
    p.open(top);
    addFragmentItems(p, result, 'IPv6', f);
    p.close(top);
    p.withSource(`Reassembled IPv6 (${result.bytes.length} bytes)`, result.bytes, () => {
      tables.ipProto.dispatchOrData(p, nxt, 0, result.bytes.length, data);
    });
    return;
  }
  if (result.reassembledIn !== undefined) {
    p.open(top);
    p.addGenerated(
      f.reassembledIn,
      result.reassembledIn,
      `Reassembled IPv6 in frame: ${result.reassembledIn}`,
    );
    p.close(top);
    p.appendInfo(` [Reassembled in #${result.reassembledIn}]`);
  }
  p.call(data, result.start, result.end);
}

// ---- extension headers ----

type OptionsHeader = typeof hopopts;

function dissectOptionsHeader(p: Dissection, start: number, end: number, proto: OptionsHeader): void {
  const chain = chains.get(p)!;
  const nxt = p.u8(start);
  const lenField = p.u8(start + 1);
  const len = (lenField + 1) * 8; // RFC 8200 §4.3: in 8-octet units, not counting the first 8
  p.setInfo(proto === hopopts ? 'IPv6 hop-by-hop options' : 'IPv6 destination options');
  const top = p.add(proto.field, start, Math.min(len, end - start));
  p.open(top);
  p.add(proto.f.nxt, start, 1, nxt, `Next Header: ${NEXT_HEADER_NAMES[nxt] ?? 'Unknown'} (${nxt})`);
  p.add(proto.f.len, start + 1, 1);
  p.addGenerated(proto.f.lenOct, len, `Length: ${len} bytes`);
  // Options are decoded as far as they go; a length past the payload then fails the bounds
  // check like Wireshark's (truncated when the snaplen cut it, malformed otherwise).
  dissectOptions(p, start + 2, Math.min(start + len, end));
  p.check(start, len);
  p.close(top);
  chain.next = nxt;
  chain.offset = start + len;
}

/** TLV-encoded options (RFC 8200 §4.2). */
function dissectOptions(p: Dissection, start: number, end: number): void {
  const f = ipv6.f;
  let off = start;
  while (off < end) {
    const type = p.u8(off);
    const name = OPTION_TYPES[type] ?? 'Unknown IPv6 Option';
    if (type === 0) {
      const item = p.add(f.opt, off, 1, undefined, 'Pad1');
      p.open(item);
      addOptionType(p, off, type, name);
      p.add(f.optPad1, off, 1);
      p.close(item);
      off++;
      continue;
    }
    if (p.remaining(off) < 2) {
      // Show the type before the bounds check reports the cut (as Wireshark does).
      const cut = p.add(f.opt, off, 1, undefined, name);
      p.open(cut);
      addOptionType(p, off, type, name);
      p.close(cut);
    }
    const len = p.u8(off + 1);
    if (off + 2 + len > end) {
      // Show what is there, then let the bounds check report it (truncated or malformed).
      const bad = p.add(f.opt, off, end - off, undefined, name);
      p.open(bad);
      addOptionType(p, off, type, name);
      p.add(f.optLength, off + 1, 1);
      p.close(bad);
      p.issue(
        'malformed',
        'error',
        `IPv6 option ${name}: length ${len} goes past the end of the header`,
        off,
        end,
      );
      p.check(off, 2 + len);
      return;
    }
    const item = p.add(f.opt, off, 2 + len, undefined, name);
    p.open(item);
    addOptionType(p, off, type, name);
    p.add(f.optLength, off + 1, 1);
    const body = off + 2;
    switch (type) {
      case 0x01:
        p.add(f.optPadn, body, len, p.data.subarray(body, body + len), len ? undefined : 'PadN: <none>');
        break;
      case 0x05:
        if (len !== 2)
          p.issue('malformed', 'error', `Router Alert option length ${len}, must be 2`, off + 1, off + 2);
        else p.add(f.optRouterAlert, body, 2);
        break;
      case 0x04:
        p.add(f.optTel, body, 1);
        break;
      case 0xc2:
        if (len !== 4)
          p.issue('malformed', 'error', `Jumbo Payload option length ${len}, must be 4`, off + 1, off + 2);
        else p.add(f.optJumbo, body, 4);
        break;
      case 0xc9:
        if (len === 16) p.add(f.optHomeAddress, body, 16);
        break;
      default:
        if (len) p.add(f.optUnknown, body, len);
    }
    p.close(item);
    off = body + len;
  }
}

function addOptionType(p: Dissection, off: number, type: number, name: string): void {
  const f = ipv6.f;
  const t = p.add(f.optType, off, 1, type, `Type: ${name} (0x${hex(type, 2)})`);
  p.open(t);
  p.add(f.optAction, off, 1);
  p.add(f.optChange, off, 1);
  p.add(f.optRest, off, 1);
  p.close(t);
}

function dissectRouting(p: Dissection, start: number, end: number): void {
  const f = routing.f;
  const chain = chains.get(p)!;
  const nxt = p.u8(start);
  const lenField = p.u8(start + 1);
  const len = (lenField + 1) * 8;
  const type = p.u8(start + 2);
  const segleft = p.u8(start + 3);
  p.setInfo('IPv6 routing');
  const top = p.add(routing.field, start, Math.min(len, end - start));
  p.open(top);
  p.add(f.nxt, start, 1, nxt, `Next Header: ${NEXT_HEADER_NAMES[nxt] ?? 'Unknown'} (${nxt})`);
  p.add(f.len, start + 1, 1);
  p.addGenerated(f.lenOct, len, `Length: ${len} bytes`);
  p.add(f.type, start + 2, 1, type, `Type: ${ROUTING_TYPES[type] ?? 'Unknown'} (${type})`);
  p.add(f.segleft, start + 3, 1);
  p.check(start, len); // a length past the payload: truncated or malformed
  const body = start + 4;
  const stop = start + len;
  // RFC 8200 §8.1: with segments left, upper-layer checksums use the final destination (the
  // last address of the route; for type 2 the home address; for an SRH segment list [0]), and
  // Wireshark shows it as the destination.
  const finalAt = segleft > 0 ? routeFinalDestination(type, body, stop) : undefined;
  if (finalAt !== undefined && p.remaining(finalAt) >= 16) {
    p.netDst = p.data.subarray(finalAt, finalAt + 16);
    if (p.columns) p.setNetAddresses(p.cols.netSrc, ipv6ToString(p.data, finalAt));
  }
  if (type === 0) {
    // RFC 2460 type 0 (deprecated by RFC 5095): reserved, then addresses.
    p.issue('malformed', 'warn', 'Routing header type 0 is deprecated (RFC 5095)', start + 2, start + 3);
    p.add(f.srcReserved, body, 4);
    for (let a = body + 4; a + 16 <= stop; a += 16) p.add(f.srcAddr, a, 16);
  } else if (type === 2) {
    p.add(f.mipv6Reserved, body, 4);
    p.add(f.mipv6HomeAddress, body + 4, 16);
  } else if (type === 4) {
    // RFC 8754 §2: last entry, flags, tag, then the segment list (in reverse order).
    const last = p.u8(body);
    p.add(f.srhLastEntry, body, 1);
    p.add(f.srhFlags, body + 1, 1);
    p.add(f.srhTag, body + 2, 2);
    for (let i = 0, a = body + 4; i <= last && a + 16 <= stop; i++, a += 16) {
      p.add(
        f.srhAddr,
        a,
        16,
        undefined,
        `Address[${i}]: ${ipv6ToString(p.data, a)}${i === segleft ? ' [next]' : ''}`,
      );
    }
  } else if (stop > body) {
    p.add(f.unknownData, body, stop - body);
  }
  p.close(top);
  chain.next = nxt;
  chain.offset = stop;
}

/** Offset of the final destination in a routing header's addresses, if the type has one. */
function routeFinalDestination(type: number, body: number, stop: number): number | undefined {
  if (type === 0) return stop - 16 >= body + 4 ? stop - 16 : undefined;
  if (type === 2) return body + 4 + 16 <= stop ? body + 4 : undefined;
  if (type === 4) return body + 4 + 16 <= stop ? body + 4 : undefined;
  return undefined;
}

function dissectFragmentHeader(p: Dissection, start: number, end: number): void {
  const f = fraghdr.f;
  const chain = chains.get(p)!;
  const nxt = p.u8(start);
  const offWord = p.u16(start + 2);
  const ident = p.u32(start + 4);
  const offset = offWord & 0xfff8; // RFC 8200 §4.5: 13 bits in 8-octet units = a byte offset
  const more = (offWord & 1) !== 0;
  const top = p.add(fraghdr.field, start, 8);
  p.open(top);
  p.add(f.nxt, start, 1, nxt, `Next header: ${NEXT_HEADER_NAMES[nxt] ?? 'Unknown'} (${nxt})`);
  p.add(f.reservedOctet, start + 1, 1);
  p.add(
    f.offset,
    start + 2,
    2,
    offset / 8,
    `${bitPattern(0xfff8, 16, offWord)} = Offset: ${offset / 8} (${offset} bytes)`,
  );
  p.add(f.reservedBits, start + 2, 2);
  p.add(f.more, start + 2, 2);
  p.add(f.ident, start + 4, 4);
  p.close(top);
  const payloadStart = start + 8;
  chain.offset = payloadStart;
  chain.next = nxt;
  if (offset === 0 && !more) return; // an atomic fragment (RFC 6946): nothing to reassemble
  if (p.inError) {
    // A quoted datagram: show its first fragment's upper layer only if it starts the datagram.
    if (offset !== 0) chain.fragment = { result: { kind: 'partial', start: payloadStart, end }, nxt };
    return;
  }
  if (p.columns)
    p.setInfo(`IPv6 fragment (off=${offset} more=${more ? 'y' : 'n'} ident=0x${hex(ident, 8)} nxt=${nxt})`);
  const key = `${bytesKey(p.netSrc)}>${bytesKey(p.netDst)}#${ident}`;
  const result = reassembler(p).add(p, { key, offset, more, start: payloadStart, end });
  chain.fragment = { result, nxt };
}

function bytesKey(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += hex(b[i]!, 2);
  return s;
}

// ---- encoding ----

export interface Ipv6Repr {
  src: string;
  dst: string;
  nextHeader: number;
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  payloadLength?: number;
}

function addr16(text: string): Uint8Array {
  const b = parseIpv6Text(text);
  if (!b) throw new Error(`bad IPv6 address: ${text}`);
  return b;
}

/** Builds the 40-byte fixed header + payload (which may start with extension headers). */
export function encodeIpv6(repr: Ipv6Repr, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(40 + payload.length);
  const tc = repr.trafficClass ?? 0;
  const flow = repr.flowLabel ?? 0;
  const word = ((6 << 28) | ((tc & 0xff) << 20) | (flow & 0xfffff)) >>> 0;
  out[0] = word >>> 24;
  out[1] = (word >>> 16) & 0xff;
  out[2] = (word >>> 8) & 0xff;
  out[3] = word & 0xff;
  const plen = repr.payloadLength ?? payload.length;
  out[4] = (plen >> 8) & 0xff;
  out[5] = plen & 0xff;
  out[6] = repr.nextHeader & 0xff;
  out[7] = (repr.hopLimit ?? 64) & 0xff;
  out.set(addr16(repr.src), 8);
  out.set(addr16(repr.dst), 24);
  out.set(payload, 40);
  return out;
}

export function parseIpv6(bytes: Uint8Array): { repr: Ipv6Repr; payload: Uint8Array } | undefined {
  if (bytes.length < 40 || bytes[0]! >> 4 !== 6) return undefined;
  const plen = (bytes[4]! << 8) | bytes[5]!;
  return {
    repr: {
      src: ipv6ToString(bytes, 8),
      dst: ipv6ToString(bytes, 24),
      nextHeader: bytes[6]!,
      hopLimit: bytes[7]!,
      trafficClass: ((bytes[0]! & 0x0f) << 4) | (bytes[1]! >> 4),
      flowLabel: ((bytes[1]! & 0x0f) << 16) | (bytes[2]! << 8) | bytes[3]!,
      payloadLength: plen,
    },
    payload: bytes.subarray(40, Math.min(bytes.length, 40 + (plen || bytes.length))),
  };
}

tables.ethertype.register(0x86dd, ipv6);
// IPv6 in IP (RFC 4213 §3.5 6in4, and IPv6-in-IPv6, RFC 2473).
tables.ipProto.register(41, ipv6);
