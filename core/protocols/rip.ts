// Routing Information Protocol: RIPv1 (RFC 1058) and RIPv2 (RFC 2453) on UDP 520, with plain
// password (RFC 2453 §4.1) and keyed-MD5 (RFC 2082) authentication entries.
import type { Dissection } from '../dissect/dissection';
import { ipv4ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';

export const RIP_PORT = 520;

const COMMANDS: Readonly<Record<number, string>> = {
  1: 'Request',
  2: 'Response',
  3: 'Traceon',
  4: 'Traceoff',
  5: 'Vendor specific',
};
const VERSIONS: Readonly<Record<number, string>> = { 1: 'RIPv1', 2: 'RIPv2' };
const FAMILIES: Readonly<Record<number, string>> = { 2: 'IP', 0xffff: 'Authentication' };
const AUTH_TYPES: Readonly<Record<number, string>> = {
  1: 'Authentication trailer',
  2: 'Simple Password',
  3: 'Keyed Message Digest',
};

/** RFC 2453 §3.6: a 4-byte header, then 20-byte entries. */
const HEADER = 4;
const ENTRY = 20;
const AF_AUTH = 0xffff;
const AF_INET = 2;

export const rip = defineProtocol({
  abbrev: 'rip',
  name: 'Routing Information Protocol',
  short: 'RIP',
  fields: {
    command: { abbrev: 'rip.command', name: 'Command', type: 'uint8', vals: COMMANDS },
    version: { abbrev: 'rip.version', name: 'Version', type: 'uint8', vals: VERSIONS },
    routingDomain: { abbrev: 'rip.routing_domain', name: 'Routing Domain', type: 'uint16' },
    family: { abbrev: 'rip.family', name: 'Address Family', type: 'uint16', vals: FAMILIES },
    routeTag: { abbrev: 'rip.route_tag', name: 'Route Tag', type: 'uint16' },
    ip: { abbrev: 'rip.ip', name: 'IP Address', type: 'ipv4' },
    netmask: { abbrev: 'rip.netmask', name: 'Netmask', type: 'ipv4' },
    nextHop: { abbrev: 'rip.next_hop', name: 'Next Hop', type: 'ipv4' },
    metric: { abbrev: 'rip.metric', name: 'Metric', type: 'uint16' },
    authType: { abbrev: 'rip.auth.type', name: 'Authentication type', type: 'uint16', vals: AUTH_TYPES },
    authPasswd: { abbrev: 'rip.auth.passwd', name: 'Password', type: 'string' },
    digestOffset: { abbrev: 'rip.digest_offset', name: 'Digest Offset', type: 'uint16' },
    keyId: { abbrev: 'rip.key_id', name: 'Key ID', type: 'uint8' },
    authDataLen: { abbrev: 'rip.auth_data_len', name: 'Auth Data Len', type: 'uint8' },
    seqNum: { abbrev: 'rip.seq_num', name: 'Seq num', type: 'uint32' },
    zeroPadding: { abbrev: 'rip.zero_padding', name: 'Zero adding', type: 'string' },
    authenticationData: { abbrev: 'rip.authentication_data', name: 'Authentication Data', type: 'bytes' },
    unknownFamily: { abbrev: 'rip.unknown_address_family', name: 'Unknown address family', type: 'none' },
  },
  dissect: dissectRip,
});

function dissectRip(p: Dissection, start: number, end: number): void {
  const f = rip.f;
  const command = p.u8(start);
  const version = p.u8(start + 1);
  if (p.columns) {
    p.cols.protocol = VERSIONS[version] ?? 'RIP';
    p.setInfo(COMMANDS[command] ?? `Unknown command (${command})`);
  }
  const top = p.add(rip.field, start, end - start);
  p.open(top);
  p.add(f.command, start, 1, command);
  p.add(f.version, start + 1, 1, version);
  // RFC 1388's routing domain became "must be zero" in RFC 2453; shown only when used.
  const domain = p.u16(start + 2);
  if (version === 2 && domain !== 0) p.add(f.routingDomain, start + 2, 2, domain);
  for (let at = start + HEADER; at + ENTRY <= end; at += ENTRY) {
    const family = p.u16(at);
    if (family === AF_AUTH) {
      // An authentication entry may be followed by its trailer (RFC 2082 §3.2.2): stop there.
      if (dissectAuthentication(p, at, end)) break;
      continue;
    }
    if (family !== AF_INET && family !== 0) {
      p.add(f.unknownFamily, at, ENTRY, undefined, `Unknown address family: ${family}`);
      continue;
    }
    const ip = ipv4ToString(p.u32(at + 4));
    const metric = p.u32(at + 16);
    const entry = p.tree ? p.addText(`IP Address: ${ip}, Metric: ${metric}`, at, ENTRY) : undefined;
    p.open(entry);
    p.add(f.family, at, 2, family);
    if (version === 2) p.add(f.routeTag, at + 2, 2);
    p.add(f.ip, at + 4, 4);
    if (version === 2) {
      p.add(f.netmask, at + 8, 4);
      p.add(f.nextHop, at + 12, 4);
    }
    // Wireshark's field is 16 bits wide, read from the metric's low half.
    p.add(f.metric, at + 18, 2);
    p.close(entry);
  }
  p.close(top);
}

/** One authentication entry; returns true when it was the trailer (nothing follows). */
function dissectAuthentication(p: Dissection, at: number, end: number): boolean {
  const f = rip.f;
  const type = p.u16(at + 2);
  const label = `Authentication: ${AUTH_TYPES[type] ?? `Unknown (${type})`}`;
  if (type === 1) {
    // The trailer: the digest over the packet (RFC 2082 §3.2.2), to the end of the datagram.
    const item = p.tree ? p.addText(label, at, end - at) : undefined;
    p.open(item);
    p.add(f.authType, at + 2, 2, type);
    p.add(f.authenticationData, at + 4, end - at - 4);
    p.close(item);
    return true;
  }
  const item = p.tree ? p.addText(label, at, ENTRY) : undefined;
  p.open(item);
  p.add(f.authType, at + 2, 2, type);
  if (type === 2) {
    p.add(f.authPasswd, at + 4, 16, passwordText(p.bytes(at + 4, 16)));
  } else if (type === 3) {
    p.add(f.digestOffset, at + 4, 2);
    p.add(f.keyId, at + 6, 1);
    p.add(f.authDataLen, at + 7, 1);
    p.add(f.seqNum, at + 8, 4);
    p.add(f.zeroPadding, at + 12, 8, '');
  }
  p.close(item);
  return false;
}

/** The password up to its first NUL (RFC 2453 §4.1: left-justified, padded with zeros). */
function passwordText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length && b[i] !== 0; i++) s += String.fromCharCode(b[i]!);
  return s;
}

tables.udpPort.register(RIP_PORT, rip);
