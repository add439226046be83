// Border Gateway Protocol 4 (RFC 4271) on TCP 179: the 19-byte message header (§4.1); OPEN with
// optional parameters and capabilities (§4.2, RFC 5492); UPDATE with withdrawn routes, path
// attributes (§4.3, §5) and IPv4 NLRI; NOTIFICATION (§4.5); KEEPALIVE (§4.4); ROUTE-REFRESH
// (RFC 2918, RFC 7313). Messages are found in the TCP stream by their length field, so one
// segment may carry several and a message may span segments.
import type { Dissection } from '../dissect/dissection';
import { hex, ipv4ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { NEED_MORE_BYTES, NOT_THIS_PROTOCOL, type StreamDissector } from '../dissect/transport';

export const BGP_PORT = 179;

const HEADER = 19;
/** RFC 4271 §4.1 (RFC 8654 raises it to 65535 once negotiated). */
const MAX_MESSAGE = 65535;

const MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: 'OPEN Message',
  2: 'UPDATE Message',
  3: 'NOTIFICATION Message',
  4: 'KEEPALIVE Message',
  5: 'ROUTE-REFRESH Message',
  6: 'CAPABILITY Message',
  128: 'ROUTE-REFRESH Message',
};
const CAPABILITIES: Readonly<Record<number, string>> = {
  0: 'Reserved capability',
  1: 'Multiprotocol extensions capability',
  2: 'Route refresh capability',
  3: 'Cooperative route filtering capability',
  4: 'Multiple routes to a destination capability',
  5: 'Extended Next Hop Encoding',
  6: 'BGP-Extended Message',
  7: 'BGPsec capability',
  8: 'Multiple Labels capability',
  9: 'BGP Role',
  64: 'Graceful Restart capability',
  65: 'Support for 4-octet AS number capability',
  66: 'Deprecated Dynamic Capability (Cisco)',
  67: 'Support for Dynamic capability',
  68: 'Multisession BGP Capability',
  69: 'Support for Additional Paths',
  70: 'Enhanced route refresh capability',
  71: 'Long-Lived Graceful Restart (LLGR) Capability',
  72: 'CP-ORF Capability',
  73: 'FQDN Capability',
  128: 'Route refresh capability (Cisco)',
  130: 'Cooperative route filtering capability (Cisco)',
  131: 'Multisession BGP Capability (Cisco)',
};
const AFI: Readonly<Record<number, string>> = { 1: 'IPv4', 2: 'IPv6', 25: 'Layer-2 VPN', 16388: 'BGP-LS' };
const SAFI: Readonly<Record<number, string>> = {
  1: 'Unicast',
  2: 'Multicast',
  4: 'Labeled Unicast',
  5: 'MCAST-VPN',
  65: 'Virtual Private LAN Service (VPLS)',
  70: 'EVPN',
  71: 'BGP-LS',
  128: 'Labeled VPN Unicast',
  133: 'Flow Spec Filter',
};
const PATH_ATTRIBUTES: Readonly<Record<number, string>> = {
  1: 'ORIGIN',
  2: 'AS_PATH',
  3: 'NEXT_HOP',
  4: 'MULTI_EXIT_DISC',
  5: 'LOCAL_PREF',
  6: 'ATOMIC_AGGREGATE',
  7: 'AGGREGATOR',
  8: 'COMMUNITIES',
  9: 'ORIGINATOR_ID',
  10: 'CLUSTER_LIST',
  14: 'MP_REACH_NLRI',
  15: 'MP_UNREACH_NLRI',
  16: 'EXTENDED_COMMUNITIES',
  17: 'AS4_PATH',
  18: 'AS4_AGGREGATOR',
  22: 'PMSI_TUNNEL_ATTRIBUTE',
  23: 'TUNNEL_ENCAPSULATION_ATTRIBUTE',
  26: 'AIGP',
  29: 'BGP-LS Attribute',
  32: 'LARGE_COMMUNITY',
  40: 'BGP Prefix-SID',
  128: 'ATTR_SET',
};
const ORIGINS: Readonly<Record<number, string>> = { 0: 'IGP', 1: 'EGP', 2: 'INCOMPLETE' };
const SEGMENT_TYPES: Readonly<Record<number, string>> = {
  1: 'AS_SET',
  2: 'AS_SEQUENCE',
  3: 'AS_CONFED_SEQUENCE',
  4: 'AS_CONFED_SET',
};
const MAJOR_ERRORS: Readonly<Record<number, string>> = {
  1: 'Message Header Error',
  2: 'OPEN Message Error',
  3: 'UPDATE Message Error',
  4: 'Hold Timer Expired',
  5: 'Finite State Machine Error',
  6: 'Cease',
  7: 'CAPABILITY Message Error',
};
/** RFC 4271 §6 and RFC 4486: the minor codes of each major code, with tshark's field for them. */
const MINOR_ERRORS: Readonly<Record<number, { key: MinorKey; vals: Readonly<Record<number, string>> }>> = {
  1: {
    key: 'minorHeader',
    vals: { 1: 'Connection Not Synchronized', 2: 'Bad Message Length', 3: 'Bad Message Type' },
  },
  2: {
    key: 'minorOpen',
    vals: {
      1: 'Unsupported Version Number',
      2: 'Bad Peer AS',
      3: 'Bad BGP Identifier',
      4: 'Unsupported Optional Parameter',
      5: 'Authentication Failure',
      6: 'Unacceptable Hold Time',
      7: 'Unsupported Capability',
    },
  },
  3: {
    key: 'minorUpdate',
    vals: {
      1: 'Malformed Attribute List',
      2: 'Unrecognized Well-known Attribute',
      3: 'Missing Well-known Attribute',
      4: 'Attribute Flags Error',
      5: 'Attribute Length Error',
      6: 'Invalid ORIGIN Attribute',
      7: 'AS Routing Loop',
      8: 'Invalid NEXT_HOP Attribute',
      9: 'Optional Attribute Error',
      10: 'Invalid Network Field',
      11: 'Malformed AS_PATH',
    },
  },
  4: { key: 'minorExpired', vals: {} },
  5: {
    key: 'minorState',
    vals: {
      1: 'Receive Unexpected Message in OpenSent State',
      2: 'Receive Unexpected Message in OpenConfirm State',
      3: 'Receive Unexpected Message in Established State',
    },
  },
  6: {
    key: 'minorCease',
    vals: {
      1: 'Maximum Number of Prefixes Reached',
      2: 'Administratively Shutdown',
      3: 'Peer De-configured',
      4: 'Administratively Reset',
      5: 'Connection Rejected',
      6: 'Other Configuration Change',
      7: 'Connection Collision Resolution',
      8: 'Out of Resources',
      9: 'Hard Reset',
    },
  },
  7: {
    key: 'minorCapability',
    vals: { 1: 'Invalid Action Value', 2: 'Invalid Capability Length', 3: 'Malformed Capability Value' },
  },
};
type MinorKey =
  | 'minorHeader'
  | 'minorOpen'
  | 'minorUpdate'
  | 'minorExpired'
  | 'minorState'
  | 'minorCease'
  | 'minorCapability';

const FLAG_NAMES: readonly [number, string, string][] = [
  [0x80, 'Optional', 'Well-known'],
  [0x40, 'Transitive', 'Non-transitive'],
  [0x20, 'Partial', 'Complete'],
];

export const bgp = defineProtocol({
  abbrev: 'bgp',
  name: 'Border Gateway Protocol',
  short: 'BGP',
  fields: {
    marker: { abbrev: 'bgp.marker', name: 'Marker', type: 'bytes' },
    length: { abbrev: 'bgp.length', name: 'Length', type: 'uint16' },
    type: { abbrev: 'bgp.type', name: 'Type', type: 'uint8', vals: MESSAGE_TYPES },
    version: { abbrev: 'bgp.open.version', name: 'Version', type: 'uint8' },
    myAs: { abbrev: 'bgp.open.myas', name: 'My AS', type: 'uint16' },
    holdTime: { abbrev: 'bgp.open.holdtime', name: 'Hold Time', type: 'uint16' },
    identifier: { abbrev: 'bgp.open.identifier', name: 'BGP Identifier', type: 'ipv4' },
    optLen: { abbrev: 'bgp.open.opt.len', name: 'Optional Parameters Length', type: 'uint8' },
    opt: { abbrev: 'bgp.open.opt', name: 'Optional Parameters', type: 'none' },
    optParam: { abbrev: 'bgp.open.opt.param', name: 'Optional Parameter', type: 'none' },
    optParamType: {
      abbrev: 'bgp.open.opt.param.type',
      name: 'Parameter Type',
      type: 'uint8',
      vals: { 1: 'Authentication', 2: 'Capability' },
    },
    optParamLen: { abbrev: 'bgp.open.opt.param.len', name: 'Parameter Length', type: 'uint8' },
    optParamUnknown: { abbrev: 'bgp.open.opt.param.unknown', name: 'Unknown', type: 'bytes' },
    cap: { abbrev: 'bgp.cap', name: 'Capability', type: 'none' },
    capType: { abbrev: 'bgp.cap.type', name: 'Type', type: 'uint8', vals: CAPABILITIES },
    capLength: { abbrev: 'bgp.cap.length', name: 'Length', type: 'uint8' },
    capUnknown: { abbrev: 'bgp.cap.unknown', name: 'Unknown', type: 'bytes' },
    capReserved: { abbrev: 'bgp.cap.reserved', name: 'Reserved', type: 'bytes' },
    capMpAfi: { abbrev: 'bgp.cap.mp.afi', name: 'AFI', type: 'uint16', vals: AFI },
    capMpSafi: { abbrev: 'bgp.cap.mp.safi', name: 'SAFI', type: 'uint8', vals: SAFI },
    capGrTimers: { abbrev: 'bgp.cap.gr.timers', name: 'Restart Timers', type: 'uint16', base: 'hex' },
    capGrRestart: {
      abbrev: 'bgp.cap.gr.timers.restart_flag',
      name: 'Restart state',
      type: 'bool',
      mask: 0x8000,
      bits: 16,
      tfs: ['Yes', 'No'],
    },
    capGrNotification: {
      abbrev: 'bgp.cap.gr.timers.notification_flag',
      name: 'Graceful notification',
      type: 'bool',
      mask: 0x4000,
      bits: 16,
      tfs: ['Yes', 'No'],
    },
    capGrTime: { abbrev: 'bgp.cap.gr.timers.restart_time', name: 'Time', type: 'uint16', mask: 0x0fff },
    capGrAfi: { abbrev: 'bgp.cap.gr.afi', name: 'AFI', type: 'uint16', vals: AFI },
    capGrSafi: { abbrev: 'bgp.cap.gr.safi', name: 'SAFI', type: 'uint8', vals: SAFI },
    capGrFlag: { abbrev: 'bgp.cap.gr.flag', name: 'Flag', type: 'uint8', base: 'hex' },
    cap4as: { abbrev: 'bgp.cap.4as', name: 'AS Number', type: 'uint32' },
    capApAfi: { abbrev: 'bgp.cap.ap.afi', name: 'AFI', type: 'uint16', vals: AFI },
    capApSafi: { abbrev: 'bgp.cap.ap.safi', name: 'SAFI', type: 'uint8', vals: SAFI },
    capApSendReceive: {
      abbrev: 'bgp.cap.ap.sendreceive',
      name: 'Send/Receive',
      type: 'uint8',
      vals: { 1: 'Receive', 2: 'Send', 3: 'Receive and Send' },
    },
    withdrawnLength: {
      abbrev: 'bgp.update.withdrawn_routes.length',
      name: 'Withdrawn Routes Length',
      type: 'uint16',
    },
    withdrawnRoutes: { abbrev: 'bgp.update.withdrawn_routes', name: 'Withdrawn Routes', type: 'none' },
    withdrawnPrefix: { abbrev: 'bgp.withdrawn_prefix', name: 'Withdrawn prefix', type: 'ipv4' },
    pathAttributesLength: {
      abbrev: 'bgp.update.path_attributes.length',
      name: 'Total Path Attribute Length',
      type: 'uint16',
    },
    pathAttributes: { abbrev: 'bgp.update.path_attributes', name: 'Path attributes', type: 'none' },
    pathAttribute: { abbrev: 'bgp.update.path_attribute', name: 'Path Attribute', type: 'none' },
    attrFlags: { abbrev: 'bgp.update.path_attribute.flags', name: 'Flags', type: 'uint8', base: 'hex' },
    attrFlagOptional: {
      abbrev: 'bgp.update.path_attribute.flags.optional',
      name: 'Optional',
      type: 'bool',
      mask: 0x80,
    },
    attrFlagTransitive: {
      abbrev: 'bgp.update.path_attribute.flags.transitive',
      name: 'Transitive',
      type: 'bool',
      mask: 0x40,
    },
    attrFlagPartial: {
      abbrev: 'bgp.update.path_attribute.flags.partial',
      name: 'Partial',
      type: 'bool',
      mask: 0x20,
    },
    attrFlagExtended: {
      abbrev: 'bgp.update.path_attribute.flags.extended_length',
      name: 'Extended-Length',
      type: 'bool',
      mask: 0x10,
    },
    attrFlagUnused: {
      abbrev: 'bgp.update.path_attribute.flags.unused',
      name: 'Unused',
      type: 'uint8',
      base: 'hex',
      mask: 0x0f,
    },
    attrTypeCode: {
      abbrev: 'bgp.update.path_attribute.type_code',
      name: 'Type Code',
      type: 'uint8',
      vals: PATH_ATTRIBUTES,
    },
    attrLength: { abbrev: 'bgp.update.path_attribute.length', name: 'Length', type: 'uint16' },
    origin: { abbrev: 'bgp.update.path_attribute.origin', name: 'Origin', type: 'uint8', vals: ORIGINS },
    asPathSegment: {
      abbrev: 'bgp.update.path_attribute.as_path_segment',
      name: 'AS Path segment',
      type: 'none',
    },
    segmentType: {
      abbrev: 'bgp.update.path_attribute.as_path_segment.type',
      name: 'Segment type',
      type: 'uint8',
      vals: SEGMENT_TYPES,
    },
    segmentLength: {
      abbrev: 'bgp.update.path_attribute.as_path_segment.length',
      name: 'Segment length (number of ASN)',
      type: 'uint8',
    },
    as2: { abbrev: 'bgp.update.path_attribute.as_path_segment.as2', name: 'AS2', type: 'uint16' },
    as4: { abbrev: 'bgp.update.path_attribute.as_path_segment.as4', name: 'AS4', type: 'uint32' },
    nextHop: { abbrev: 'bgp.update.path_attribute.next_hop', name: 'Next hop', type: 'ipv4' },
    med: {
      abbrev: 'bgp.update.path_attribute.multi_exit_disc',
      name: 'Multiple exit discriminator',
      type: 'uint32',
    },
    localPref: { abbrev: 'bgp.update.path_attribute.local_pref', name: 'Local preference', type: 'uint32' },
    aggregatorAs: {
      abbrev: 'bgp.update.path_attribute.aggregator_as',
      name: 'Aggregator AS',
      type: 'uint32',
    },
    aggregatorOrigin: {
      abbrev: 'bgp.update.path_attribute.aggregator_origin',
      name: 'Aggregator origin',
      type: 'ipv4',
    },
    communities: { abbrev: 'bgp.update.path_attribute.communities', name: 'Communities', type: 'none' },
    communityAs: { abbrev: 'bgp.update.path_attribute.community_as', name: 'Community AS', type: 'uint16' },
    communityValue: {
      abbrev: 'bgp.update.path_attribute.community_value',
      name: 'Community value',
      type: 'uint16',
    },
    mpReachAfi: {
      abbrev: 'bgp.update.path_attribute.mp_reach_nlri.afi',
      name: 'Address family identifier (AFI)',
      type: 'uint16',
      vals: AFI,
    },
    mpReachSafi: {
      abbrev: 'bgp.update.path_attribute.mp_reach_nlri.safi',
      name: 'Subsequent address family identifier (SAFI)',
      type: 'uint8',
      vals: SAFI,
    },
    mpReachNextHop: {
      abbrev: 'bgp.update.path_attribute.mp_reach_nlri.next_hop',
      name: 'Next hop',
      type: 'bytes',
    },
    mpUnreachAfi: {
      abbrev: 'bgp.update.path_attribute.mp_unreach_nlri.afi',
      name: 'Address family identifier (AFI)',
      type: 'uint16',
      vals: AFI,
    },
    mpUnreachSafi: {
      abbrev: 'bgp.update.path_attribute.mp_unreach_nlri.safi',
      name: 'Subsequent address family identifier (SAFI)',
      type: 'uint8',
      vals: SAFI,
    },
    attrValue: { abbrev: 'bgp.update.path_attribute.value', name: 'Attribute value', type: 'bytes' },
    nlri: { abbrev: 'bgp.update.nlri', name: 'Network Layer Reachability Information (NLRI)', type: 'none' },
    prefixLength: { abbrev: 'bgp.prefix_length', name: 'Prefix Length', type: 'uint8' },
    nlriPrefix: { abbrev: 'bgp.nlri_prefix', name: 'NLRI prefix', type: 'ipv4' },
    majorError: {
      abbrev: 'bgp.notify.major_error',
      name: 'Major error Code',
      type: 'uint8',
      vals: MAJOR_ERRORS,
    },
    minorHeader: {
      abbrev: 'bgp.notify.minor_error',
      name: 'Minor error Code (Message Header)',
      type: 'uint8',
      vals: MINOR_ERRORS[1]!.vals,
    },
    minorOpen: {
      abbrev: 'bgp.notify.minor_error_open',
      name: 'Minor error Code (Open Message)',
      type: 'uint8',
      vals: MINOR_ERRORS[2]!.vals,
    },
    minorUpdate: {
      abbrev: 'bgp.notify.minor_error_update',
      name: 'Minor error Code (Update Message)',
      type: 'uint8',
      vals: MINOR_ERRORS[3]!.vals,
    },
    minorExpired: {
      abbrev: 'bgp.notify.minor_error_expired',
      name: 'Minor error Code (Hold Timer Expired)',
      type: 'uint8',
    },
    minorState: {
      abbrev: 'bgp.notify.minor_error_state',
      name: 'Minor error Code (State Machine)',
      type: 'uint8',
      vals: MINOR_ERRORS[5]!.vals,
    },
    minorCease: {
      abbrev: 'bgp.notify.minor_error_cease',
      name: 'Minor error Code (Cease)',
      type: 'uint8',
      vals: MINOR_ERRORS[6]!.vals,
    },
    minorCapability: {
      abbrev: 'bgp.notify.minor_error_capability',
      name: 'Minor error Code (Capability Message)',
      type: 'uint8',
      vals: MINOR_ERRORS[7]!.vals,
    },
    minorUnknown: {
      abbrev: 'bgp.notify.minor_error_unknown',
      name: 'Minor error Code (Unknown)',
      type: 'uint8',
    },
    minorData: { abbrev: 'bgp.notify.minor_data', name: 'Data', type: 'bytes' },
    communicationLength: {
      abbrev: 'bgp.notify.communication_length',
      name: 'BGP Shutdown Communication Length',
      type: 'uint8',
    },
    communication: { abbrev: 'bgp.notify.communication', name: 'Shutdown Communication', type: 'string' },
    rrAfi: {
      abbrev: 'bgp.route_refresh.afi',
      name: 'Address family identifier (AFI)',
      type: 'uint16',
      vals: AFI,
    },
    rrSubtype: {
      abbrev: 'bgp.route_refresh.subtype',
      name: 'Subtype',
      type: 'uint8',
      vals: {
        0: 'Normal route refresh request [RFC2918] with/without ORF [RFC5291]',
        1: 'Demarcation of the beginning of a route refresh (BoRR) operation',
        2: 'Demarcation of the ending of a route refresh (EoRR) operation',
      },
    },
    rrSafi: {
      abbrev: 'bgp.route_refresh.safi',
      name: 'Subsequent address family identifier (SAFI)',
      type: 'uint8',
      vals: SAFI,
    },
  },
  dissect: dissectBgp,
});

/** RFC 4271 §4.1: the marker is 16 bytes of ones; the length covers the header. */
function pduLength(_p: Dissection, data: Uint8Array, start: number, end: number): number {
  const avail = end - start;
  for (let i = 0; i < Math.min(16, avail); i++) if (data[start + i] !== 0xff) return NOT_THIS_PROTOCOL;
  if (avail < HEADER) return NEED_MORE_BYTES;
  const length = (data[start + 16]! << 8) | data[start + 17]!;
  return length < HEADER || length > MAX_MESSAGE ? NOT_THIS_PROTOCOL : length;
}

export const bgpStream: StreamDissector = Object.assign(bgp, { pduLength });

function dissectBgp(p: Dissection, start: number, end: number): void {
  const f = bgp.f;
  const length = p.u16(start + 16);
  const type = p.u8(start + 18);
  const name = MESSAGE_TYPES[type] ?? `Unknown Message (${type})`;
  // Several messages in one segment: tshark lists them all, comma-separated.
  if (p.layerNumber('bgp') > 1) p.appendInfo(`, ${name}`);
  else p.setInfo(name);
  const msgEnd = Math.min(start + Math.max(length, HEADER), end);
  const top = p.add(
    bgp.field,
    start,
    msgEnd - start,
    undefined,
    p.tree ? `Border Gateway Protocol - ${name}` : undefined,
  );
  p.open(top);
  p.add(f.marker, start, 16);
  p.add(f.length, start + 16, 2, length);
  p.add(f.type, start + 18, 1, type);
  if (length < HEADER) {
    p.issue('malformed', 'error', `Length is invalid ${length} < ${HEADER}`, start + 16, start + 18);
  } else {
    const body = start + HEADER;
    switch (type) {
      case 1:
        dissectOpen(p, body, msgEnd);
        break;
      case 2:
        dissectUpdate(p, body, msgEnd);
        break;
      case 3:
        dissectNotification(p, body, msgEnd);
        break;
      case 5:
      case 128:
        if (body + 4 <= msgEnd) {
          p.add(f.rrAfi, body, 2);
          p.add(f.rrSubtype, body + 2, 1);
          p.add(f.rrSafi, body + 3, 1);
        }
        break;
    }
  }
  p.close(top);
  p.setLayerEnd(msgEnd);
}

function dissectOpen(p: Dissection, at: number, end: number): void {
  const f = bgp.f;
  p.add(f.version, at, 1);
  p.add(f.myAs, at + 1, 2);
  p.add(f.holdTime, at + 3, 2);
  p.add(f.identifier, at + 5, 4);
  const optLen = p.u8(at + 9);
  p.add(f.optLen, at + 9, 1, optLen);
  if (optLen === 0) return;
  const optEnd = Math.min(at + 10 + optLen, end);
  const opts = p.add(f.opt, at + 10, optEnd - at - 10);
  p.open(opts);
  for (let o = at + 10; o + 2 <= optEnd;) {
    const type = p.u8(o);
    const len = p.u8(o + 1);
    const label =
      type === 2
        ? 'Optional Parameter: Capability'
        : `Optional Parameter: ${type === 1 ? 'Authentication' : 'Unknown'}`;
    const item = p.add(f.optParam, o, 2 + len, undefined, p.tree ? label : undefined);
    p.open(item);
    p.add(f.optParamType, o, 1, type);
    p.add(f.optParamLen, o + 1, 1, len);
    if (type === 2) dissectCapabilities(p, o + 2, Math.min(o + 2 + len, optEnd));
    else if (len) p.add(f.optParamUnknown, o + 2, len);
    p.close(item);
    o += 2 + len;
  }
  p.close(opts);
}

function dissectCapabilities(p: Dissection, at: number, end: number): void {
  const f = bgp.f;
  while (at + 2 <= end) {
    const type = p.u8(at);
    const len = p.u8(at + 1);
    const item = p.add(
      f.cap,
      at,
      2 + len,
      undefined,
      p.tree ? `Capability: ${CAPABILITIES[type] ?? 'Unknown capability'}` : undefined,
    );
    p.open(item);
    p.add(f.capType, at, 1, type);
    p.add(f.capLength, at + 1, 1, len);
    const v = at + 2;
    const vEnd = Math.min(v + len, end);
    switch (type) {
      case 1:
        if (len === 4) {
          p.add(f.capMpAfi, v, 2);
          p.add(f.capReserved, v + 2, 1);
          p.add(f.capMpSafi, v + 3, 1);
        } else if (len) p.add(f.capUnknown, v, len);
        break;
      case 64:
        if (len >= 2) {
          if (len === 2)
            p.issue(
              'malformed',
              'chat',
              'Graceful Restart Capability supported in Helper mode only',
              at,
              vEnd,
            );
          const timers = p.add(f.capGrTimers, v, 2);
          p.open(timers);
          p.add(f.capGrRestart, v, 2);
          p.add(f.capGrNotification, v, 2);
          p.add(f.capGrTime, v, 2);
          p.close(timers);
          for (let t = v + 2; t + 4 <= vEnd; t += 4) {
            p.add(f.capGrAfi, t, 2);
            p.add(f.capGrSafi, t + 2, 1);
            p.add(f.capGrFlag, t + 3, 1);
          }
        }
        break;
      case 65:
        if (len === 4) p.add(f.cap4as, v, 4);
        else if (len) p.add(f.capUnknown, v, len);
        break;
      case 69:
        for (let t = v; t + 4 <= vEnd; t += 4) {
          p.add(f.capApAfi, t, 2);
          p.add(f.capApSafi, t + 2, 1);
          p.add(f.capApSendReceive, t + 3, 1);
        }
        break;
      case 2:
      case 70:
      case 128:
        break; // no value (RFC 2918 §3, RFC 7313 §3.1)
      default:
        if (len) p.add(f.capUnknown, v, vEnd - v);
    }
    p.close(item);
    at += 2 + len;
  }
}

function dissectUpdate(p: Dissection, at: number, end: number): void {
  const f = bgp.f;
  const withdrawnLen = p.u16(at);
  p.add(f.withdrawnLength, at, 2, withdrawnLen);
  let o = at + 2;
  if (withdrawnLen) {
    const wEnd = Math.min(o + withdrawnLen, end);
    const item = p.add(f.withdrawnRoutes, o, wEnd - o);
    p.open(item);
    addPrefixes(p, o, wEnd, f.withdrawnPrefix);
    p.close(item);
    o = wEnd;
  }
  const attrLen = p.u16(o);
  p.add(f.pathAttributesLength, o, 2, attrLen);
  o += 2;
  if (attrLen) {
    const aEnd = Math.min(o + attrLen, end);
    const item = p.add(f.pathAttributes, o, aEnd - o);
    p.open(item);
    while (o + 3 <= aEnd) o = dissectPathAttribute(p, o, aEnd);
    p.close(item);
    o = aEnd;
  }
  if (o < end) {
    const item = p.add(f.nlri, o, end - o);
    p.open(item);
    addPrefixes(p, o, end, f.nlriPrefix);
    p.close(item);
  }
}

/** IPv4 prefixes as (length, the significant bytes) pairs (RFC 4271 §4.3). */
function addPrefixes(p: Dissection, at: number, end: number, prefixField: typeof bgp.f.nlriPrefix): void {
  const f = bgp.f;
  while (at < end) {
    const bits = p.u8(at);
    const bytes = (bits + 7) >> 3;
    if (bits > 32) {
      p.issue('malformed', 'error', `Invalid prefix length ${bits} (IPv4 allows at most 32)`, at, at + 1);
      return;
    }
    p.check(at + 1, bytes);
    let addr = 0;
    for (let i = 0; i < 4; i++) addr = addr * 256 + (i < bytes ? p.u8(at + 1 + i) : 0);
    const text = `${ipv4ToString(addr)}/${bits}`;
    const item = p.tree ? p.addText(text, at, 1 + bytes) : undefined;
    p.open(item);
    p.add(
      f.prefixLength,
      at,
      1,
      bits,
      p.tree
        ? `${prefixField === f.nlriPrefix ? 'NLRI prefix length' : 'Withdrawn prefix length'}: ${bits}`
        : undefined,
    );
    p.add(
      prefixField,
      at + 1,
      bytes,
      addr,
      p.tree ? `${prefixField.name}: ${ipv4ToString(addr)}` : undefined,
    );
    p.close(item);
    at += 1 + bytes;
  }
}

/** One path attribute (RFC 4271 §4.3); returns where the next one starts. */
function dissectPathAttribute(p: Dissection, at: number, end: number): number {
  const f = bgp.f;
  const flags = p.u8(at);
  const code = p.u8(at + 1);
  const extended = (flags & 0x10) !== 0;
  const len = extended ? p.u16(at + 2) : p.u8(at + 2);
  const hdr = extended ? 4 : 3;
  const v = at + hdr;
  const vEnd = Math.min(v + len, end);
  const name = PATH_ATTRIBUTES[code] ?? `Unknown (${code})`;
  const item = p.add(
    f.pathAttribute,
    at,
    vEnd - at,
    undefined,
    p.tree ? `Path Attribute - ${name}${attributeSummary(p, code, v, vEnd)}` : undefined,
  );
  p.open(item);
  const flagText = FLAG_NAMES.map(([bit, on, off]) => (flags & bit ? on : off));
  const flagsItem = p.add(
    f.attrFlags,
    at,
    1,
    flags,
    p.tree
      ? `Flags: 0x${hex(flags, 2)}, ${[flagText[1], flagText[0], flagText[2]].join(', ')}${extended ? ', Extended Length' : ''}`
      : undefined,
  );
  p.open(flagsItem);
  p.add(f.attrFlagOptional, at, 1);
  p.add(f.attrFlagTransitive, at, 1);
  p.add(f.attrFlagPartial, at, 1);
  p.add(f.attrFlagExtended, at, 1);
  p.add(f.attrFlagUnused, at, 1);
  p.close(flagsItem);
  p.add(f.attrTypeCode, at + 1, 1, code);
  p.add(f.attrLength, at + 2, hdr - 2, len);
  switch (code) {
    case 1:
      p.add(f.origin, v, 1);
      break;
    case 2:
    case 17:
      dissectAsPath(p, v, vEnd, code === 17 ? 4 : asLength(p, v, vEnd));
      break;
    case 3:
      p.add(f.nextHop, v, 4);
      break;
    case 4:
      p.add(f.med, v, 4);
      break;
    case 5:
      p.add(f.localPref, v, 4);
      break;
    case 6:
      break;
    case 7:
    case 18: {
      const asLen = len === 8 || code === 18 ? 4 : 2;
      p.add(f.aggregatorAs, v, asLen, asLen === 4 ? p.u32(v) : p.u16(v));
      p.add(f.aggregatorOrigin, v + asLen, 4);
      break;
    }
    case 8: {
      const c = p.add(f.communities, v, vEnd - v);
      p.open(c);
      for (let o = v; o + 4 <= vEnd; o += 4) {
        p.add(f.communityAs, o, 2);
        p.add(f.communityValue, o + 2, 2);
      }
      p.close(c);
      break;
    }
    case 14:
      p.add(f.mpReachAfi, v, 2);
      p.add(f.mpReachSafi, v + 2, 1);
      p.add(f.mpReachNextHop, v + 4, p.u8(v + 3));
      break;
    case 15:
      p.add(f.mpUnreachAfi, v, 2);
      p.add(f.mpUnreachSafi, v + 2, 1);
      break;
    default:
      if (vEnd > v) p.add(f.attrValue, v, vEnd - v);
  }
  p.close(item);
  return v + len;
}

/** The text after the attribute's name in its tree label, as Wireshark writes it. */
function attributeSummary(p: Dissection, code: number, v: number, end: number): string {
  if (!p.tree) return '';
  switch (code) {
    case 1:
      return v < end ? `: ${ORIGINS[p.u8(v)] ?? 'Unknown'}` : '';
    case 2:
    case 17: {
      const width = code === 17 ? 4 : asLength(p, v, end);
      return `: ${asPathText(p, v, end, width)} `;
    }
    case 3:
      return end - v >= 4 ? `: ${ipv4ToString(p.u32(v))} ` : '';
    case 4:
    case 5:
      return end - v >= 4 ? `: ${p.u32(v)}` : '';
    default:
      return '';
  }
}

/** 2- or 4-byte AS numbers: the width whose segments exactly fill the attribute (Wireshark's
 * auto-detection; RFC 6793 §4 sessions between 4-byte speakers use 4). */
function asLength(p: Dissection, at: number, end: number): 2 | 4 {
  const fits = (width: number): boolean => {
    let o = at;
    while (o + 2 <= end) o += 2 + p.u8(o + 1) * width;
    return o === end;
  };
  return fits(4) ? 4 : 2;
}

function asPathText(p: Dissection, at: number, end: number, width: number): string {
  const parts: string[] = [];
  for (let o = at; o + 2 <= end;) {
    const type = p.u8(o);
    const n = p.u8(o + 1);
    const list: number[] = [];
    for (let i = 0; i < n && o + 2 + (i + 1) * width <= end; i++) {
      const a = o + 2 + i * width;
      list.push(width === 4 ? p.u32(a) : p.u16(a));
    }
    parts.push(
      type === 1
        ? `{${list.join(',')}}`
        : type === 4
          ? `[${list.join(',')}]`
          : type === 3
            ? `(${list.join(' ')})`
            : list.join(' '),
    );
    o += 2 + n * width;
  }
  return parts.join(' ');
}

function dissectAsPath(p: Dissection, at: number, end: number, width: 2 | 4): void {
  const f = bgp.f;
  for (let o = at; o + 2 <= end;) {
    const type = p.u8(o);
    const n = p.u8(o + 1);
    const segEnd = Math.min(o + 2 + n * width, end);
    const item = p.add(
      f.asPathSegment,
      o,
      segEnd - o,
      undefined,
      p.tree ? `AS Path segment: ${asPathText(p, o, segEnd, width)}` : undefined,
    );
    p.open(item);
    p.add(f.segmentType, o, 1, type);
    p.add(f.segmentLength, o + 1, 1, n);
    for (let i = 0; i < n; i++) {
      const a = o + 2 + i * width;
      if (width === 4) p.add(f.as4, a, 4);
      else p.add(f.as2, a, 2);
    }
    p.close(item);
    o += 2 + n * width;
  }
}

function dissectNotification(p: Dissection, at: number, end: number): void {
  const f = bgp.f;
  const major = p.u8(at);
  p.add(f.majorError, at, 1, major);
  const minor = MINOR_ERRORS[major];
  p.add(f[minor?.key ?? 'minorUnknown'], at + 1, 1);
  const data = at + 2;
  if (data >= end) return;
  // RFC 9003: Cease / Administrative Shutdown or Reset may carry a UTF-8 message.
  if (major === 6 && (p.u8(at + 1) === 2 || p.u8(at + 1) === 4)) {
    const n = p.u8(data);
    p.add(f.communicationLength, data, 1, n);
    if (n)
      p.add(
        f.communication,
        data + 1,
        n,
        new TextDecoder().decode(p.bytes(data + 1, Math.min(n, end - data - 1))),
      );
    return;
  }
  p.add(f.minorData, data, end - data);
}

tables.tcpPort.register(BGP_PORT, bgpStream);
