// DHCPv6 (RFC 8415) on UDP ports 546 (client) and 547 (server): msg-type and a 24-bit
// transaction ID (§8), or a relay message (§9: hop count, link and peer addresses, options);
// options are code(2) length(2) value, nested in IA_NA/IA_TA/IA_PD and Relay Message, with the
// nesting depth bounded. Decoded in detail: client/server identifiers (DUIDs, §11), IA_NA and
// IA Address (§21.4, §21.6), Option Request (§21.7), Preference, Elapsed Time, Status Code
// (§21.13), DNS servers and Domain Search List (RFC 3646). Info as tshark 4.0.
import type { Dissection } from '../dissect/dissection';
import { latin1 } from '../dissect/dissection';
import { bytesToHex, etherToString, ipv6ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';

export const DHCPV6_CLIENT_PORT = 546;
export const DHCPV6_SERVER_PORT = 547;
const MAX_DEPTH = 8;
/** DUID-LLT time counts seconds from 2000-01-01 00:00:00 UTC (RFC 8415 §11.2). */
const DUID_EPOCH = 946684800n;

export const DHCPV6_MSG_TYPES: Readonly<Record<number, string>> = {
  1: 'Solicit',
  2: 'Advertise',
  3: 'Request',
  4: 'Confirm',
  5: 'Renew',
  6: 'Rebind',
  7: 'Reply',
  8: 'Release',
  9: 'Decline',
  10: 'Reconfigure',
  11: 'Information-request',
  12: 'Relay-forw',
  13: 'Relay-reply',
  14: 'Leasequery',
  15: 'Leasequery-reply',
  16: 'Leasequery-done',
  17: 'Leasequery-data',
  18: 'Reconfigure-request',
  19: 'Reconfigure-reply',
};

export const DHCPV6_OPTIONS: Readonly<Record<number, string>> = {
  1: 'Client Identifier',
  2: 'Server Identifier',
  3: 'Identity Association for Non-temporary Address',
  4: 'Identity Association for Temporary Address',
  5: 'IA Address',
  6: 'Option Request',
  7: 'Preference',
  8: 'Elapsed time',
  9: 'Relay Message',
  11: 'Authentication',
  12: 'Server unicast',
  13: 'Status code',
  14: 'Rapid Commit',
  15: 'User Class',
  16: 'Vendor Class',
  17: 'Vendor-specific Information',
  18: 'Interface-Id',
  19: 'Reconfigure Message',
  20: 'Reconfigure Accept',
  21: 'SIP Server Domain Name List',
  22: 'SIP Servers IPv6 Address List',
  23: 'DNS recursive name server',
  24: 'Domain Search List',
  25: 'Identity Association for Prefix Delegation',
  26: 'IA Prefix',
  27: 'Network Information Server',
  28: 'Network Information Server V2',
  29: 'Network Information Server Domain Name',
  30: 'Network Information Server V2 Domain Name',
  31: 'Simple Network Time Protocol Server',
  32: 'Lifetime',
  37: 'Remote Identifier',
  38: 'Subscriber Identifier',
  39: 'Client Fully Qualified Domain Name',
  56: 'NTP Server',
  59: 'Boot File URL',
  60: 'Boot File Parameters',
  61: 'Client System Architecture Type',
  62: 'Client Network Interface Identifier',
  64: 'Dual-Stack Lite AFTR Name',
  79: 'Client Link-Layer Address',
  82: 'SOL_MAX_RT',
  83: 'INF_MAX_RT',
  103: 'Captive Portal',
  112: 'Manufacturer Usage Description',
  135: 'Relay Source Port',
  136: 'SZTP Redirect',
};

const NTP_SUBOPTIONS: Readonly<Record<number, string>> = {
  1: 'NTP Server Address',
  2: 'NTP Multicast Address',
  3: 'NTP Server FQDN',
};

const DUID_TYPES: Readonly<Record<number, string>> = {
  1: 'link-layer address plus time',
  2: 'assigned by vendor based on Enterprise number',
  3: 'link-layer address',
  4: 'Universally Unique IDentifier (UUID)',
};

const STATUS_CODES: Readonly<Record<number, string>> = {
  0: 'Success',
  1: 'UnspecFail',
  2: 'NoAddrAvail',
  3: 'NoBinding',
  4: 'NotOnLink',
  5: 'UseMulticast',
  6: 'NoPrefixAvail',
  7: 'UnknownQueryType',
  8: 'MalformedQuery',
  9: 'NotConfigured',
  10: 'NotAllowed',
  11: 'QueryTerminated',
  12: 'DataMissing',
  13: 'CatchUpComplete',
  14: 'NotSupported',
  15: 'TLSConnectionRefused',
};

const HW_TYPES: Readonly<Record<number, string>> = { 1: 'Ethernet', 6: 'IEEE 802', 32: 'InfiniBand' };

export const dhcpv6 = defineProtocol({
  abbrev: 'dhcpv6',
  name: 'DHCPv6',
  short: 'DHCPv6',
  fields: {
    msgtype: { abbrev: 'dhcpv6.msgtype', name: 'Message type', type: 'uint8', vals: DHCPV6_MSG_TYPES },
    xid: { abbrev: 'dhcpv6.xid', name: 'Transaction ID', type: 'uint24', base: 'hex' },
    hopcount: { abbrev: 'dhcpv6.hopcount', name: 'Hopcount', type: 'uint8' },
    linkaddr: { abbrev: 'dhcpv6.linkaddr', name: 'Link address', type: 'ipv6' },
    peeraddr: { abbrev: 'dhcpv6.peeraddr', name: 'Peer address', type: 'ipv6' },
    optionType: { abbrev: 'dhcpv6.option.type', name: 'Option', type: 'uint16', vals: DHCPV6_OPTIONS },
    optionLength: { abbrev: 'dhcpv6.option.length', name: 'Length', type: 'uint16' },
    optionValue: { abbrev: 'dhcpv6.option.value', name: 'Value', type: 'bytes' },
    duidBytes: { abbrev: 'dhcpv6.duid.bytes', name: 'DUID', type: 'bytes' },
    duidType: { abbrev: 'dhcpv6.duid.type', name: 'DUID Type', type: 'uint16', vals: DUID_TYPES },
    duidlltHwtype: { abbrev: 'dhcpv6.duidllt.hwtype', name: 'Hardware type', type: 'uint16', vals: HW_TYPES },
    duidlltTime: { abbrev: 'dhcpv6.duidllt.time', name: 'DUID Time', type: 'abstime' },
    duidlltLinkLayer: {
      abbrev: 'dhcpv6.duidllt.link_layer_addr',
      name: 'Link-layer address',
      type: 'string',
    },
    duidllHwtype: { abbrev: 'dhcpv6.duidll.hwtype', name: 'Hardware type', type: 'uint16', vals: HW_TYPES },
    duidllLinkLayer: { abbrev: 'dhcpv6.duidll.link_layer_addr', name: 'Link-layer address', type: 'string' },
    duidenEnterprise: { abbrev: 'dhcpv6.duiden.enterprise', name: 'Enterprise ID', type: 'uint32' },
    duidenIdentifier: { abbrev: 'dhcpv6.duiden.identifier', name: 'Identifier', type: 'bytes' },
    duiduuid: { abbrev: 'dhcpv6.duiduuid.bytes', name: 'UUID', type: 'bytes' },
    iaid: { abbrev: 'dhcpv6.iaid', name: 'IAID', type: 'string' },
    t1: { abbrev: 'dhcpv6.iaid.t1', name: 'T1', type: 'uint32' },
    t2: { abbrev: 'dhcpv6.iaid.t2', name: 'T2', type: 'uint32' },
    iaaddr: { abbrev: 'dhcpv6.iaaddr.ip', name: 'IPv6 address', type: 'ipv6' },
    prefLifetime: { abbrev: 'dhcpv6.iaaddr.pref_lifetime', name: 'Preferred lifetime', type: 'uint32' },
    validLifetime: { abbrev: 'dhcpv6.iaaddr.valid_lifetime', name: 'Valid lifetime', type: 'uint32' },
    requestedOption: {
      abbrev: 'dhcpv6.requested_option_code',
      name: 'Requested Option code',
      type: 'uint16',
      vals: DHCPV6_OPTIONS,
    },
    preference: { abbrev: 'dhcpv6.option_preference', name: 'Pref-value', type: 'uint8' },
    elapsedTime: { abbrev: 'dhcpv6.elapsed_time', name: 'Elapsed time', type: 'uint16' },
    statusCode: { abbrev: 'dhcpv6.status_code', name: 'Status Code', type: 'uint16', vals: STATUS_CODES },
    statusMsg: { abbrev: 'dhcpv6.status_msg', name: 'Status Message', type: 'string' },
    dnsServer: { abbrev: 'dhcpv6.dns_server', name: 'DNS server address', type: 'ipv6' },
    searchListEntry: { abbrev: 'dhcpv6.search_list_entry', name: 'List entry', type: 'string' },
    sipDomain: {
      abbrev: 'dhcpv6.sip_server_domain_search_fqdn',
      name: 'SIP Server Domain Search FQDN',
      type: 'string',
    },
    sipAddress: { abbrev: 'dhcpv6.sip_server_a', name: 'SIP server address', type: 'ipv6' },
    aftrName: { abbrev: 'dhcpv6.aftr_name', name: 'DS-Lite AFTR Name', type: 'string' },
    prefixPref: { abbrev: 'dhcpv6.iaprefix.pref_lifetime', name: 'Preferred lifetime', type: 'uint32' },
    prefixValid: { abbrev: 'dhcpv6.iaprefix.valid_lifetime', name: 'Valid lifetime', type: 'uint32' },
    prefixLen: { abbrev: 'dhcpv6.iaprefix.pref_len', name: 'Prefix length', type: 'uint8' },
    prefixAddr: { abbrev: 'dhcpv6.iaprefix.pref_addr', name: 'Prefix address', type: 'ipv6' },
    ntpSuboption: {
      abbrev: 'dhcpv6.ntpserver.option.type',
      name: 'Suboption',
      type: 'uint16',
      vals: NTP_SUBOPTIONS,
    },
    ntpSuboptionLength: { abbrev: 'dhcpv6.ntpserver.option.length', name: 'Length', type: 'uint16' },
    ntpAddr: { abbrev: 'dhcpv6.ntpserver.addr', name: 'NTP Server Address', type: 'ipv6' },
    ntpMcAddr: { abbrev: 'dhcpv6.ntpserver.mc_addr', name: 'NTP Multicast Address', type: 'ipv6' },
    ntpFqdn: { abbrev: 'dhcpv6.ntpserver.fqdn', name: 'NTP Server FQDN', type: 'string' },
    vendorClassEnterprise: { abbrev: 'dhcpv6.vendorclass.enterprise', name: 'Enterprise ID', type: 'uint32' },
    vendorClassData: { abbrev: 'dhcpv6.vendorclass.data', name: 'vendor-class-data', type: 'string' },
    vendorOptsEnterprise: { abbrev: 'dhcpv6.vendoropts.enterprise', name: 'Enterprise ID', type: 'uint32' },
    vendorOptCode: {
      abbrev: 'dhcpv6.vendoropts.enterprise.option_code',
      name: 'Option code',
      type: 'uint16',
    },
    vendorOptLength: {
      abbrev: 'dhcpv6.vendoropts.enterprise.option_length',
      name: 'Option length',
      type: 'uint16',
    },
    vendorOptData: { abbrev: 'dhcpv6.vendoropts.enterprise.option_data', name: 'Option data', type: 'bytes' },
    interfaceId: { abbrev: 'dhcpv6.interface_id', name: 'Interface-ID', type: 'bytes' },
  },
  dissect: dissectDhcpv6,
});

/** Info parts in the order the options appear (tshark 4.0): the first client ID and IA address. */
interface InfoParts {
  cid?: string;
  iaa?: string;
  text: string;
}

function dissectDhcpv6(p: Dissection, start: number, end: number): void {
  const top = p.add(dhcpv6.field, start, end - start, undefined, p.tree ? 'DHCPv6' : undefined);
  p.open(top);
  const parts: InfoParts = { text: '' };
  try {
    message(p, start, end, parts, 0);
  } finally {
    p.close(top);
    // tshark 4.0 ends the Info text with a space after each part.
    p.setInfo(parts.text);
  }
}

function message(p: Dissection, start: number, end: number, parts: InfoParts, depth: number): void {
  const f = dhcpv6.f;
  const type = p.u8(start);
  p.add(f.msgtype, start, 1, type);
  const name = DHCPV6_MSG_TYPES[type] ?? `Unknown (${type})`;
  if (type === 12 || type === 13) {
    // RFC 8415 §9: relay agent/server messages; the relayed message's Info follows.
    p.add(f.hopcount, start + 1, 1);
    p.add(f.linkaddr, start + 2, 16);
    p.add(f.peeraddr, start + 18, 16);
    parts.text += `${name} L: ${ipv6ToString(p.bytes(start + 2, 16))} `;
    options(p, start + 34, end, parts, depth);
    return;
  }
  const xid = p.u24(start + 1);
  p.add(f.xid, start + 1, 3, xid);
  parts.text += `${name} XID: 0x${xid.toString(16).padStart(6, '0')} `;
  options(p, start + 4, end, parts, depth);
}

function options(p: Dissection, o: number, end: number, parts: InfoParts, depth: number): void {
  if (depth > MAX_DEPTH) throw new Error('DHCPv6 options nested too deeply');
  const f = dhcpv6.f;
  while (o + 4 <= end) {
    const code = p.u16(o);
    const len = p.u16(o + 2);
    const v = o + 4;
    p.check(v, len);
    const name = DHCPV6_OPTIONS[code] ?? `Unknown (${code})`;
    const item = p.addText(name, o, 4 + len);
    p.open(item);
    p.add(f.optionType, o, 2, code);
    p.add(f.optionLength, o + 2, 2, len);
    optionValue(p, code, v, len, parts, depth);
    p.close(item);
    o = v + len;
  }
}

function optionValue(
  p: Dissection,
  code: number,
  v: number,
  len: number,
  parts: InfoParts,
  depth: number,
): void {
  const f = dhcpv6.f;
  const end = v + len;
  switch (code) {
    case 1:
    case 2:
      if (code === 1 && parts.cid === undefined) {
        parts.cid = bytesToHex(p.bytes(v, len));
        parts.text += `CID: ${parts.cid} `;
      }
      duid(p, v, len);
      return;
    case 3:
    case 25:
      // IA_NA / IA_PD: IAID, T1, T2, then options.
      p.add(f.iaid, v, 4, bytesToHex(p.bytes(v, 4)));
      p.add(f.t1, v + 4, 4);
      p.add(f.t2, v + 8, 4);
      options(p, v + 12, end, parts, depth + 1);
      return;
    case 4:
      p.add(f.iaid, v, 4, bytesToHex(p.bytes(v, 4)));
      options(p, v + 4, end, parts, depth + 1);
      return;
    case 5:
      p.add(f.iaaddr, v, 16);
      if (parts.iaa === undefined) {
        parts.iaa = ipv6ToString(p.bytes(v, 16));
        parts.text += `IAA: ${parts.iaa} `;
      }
      p.add(f.prefLifetime, v + 16, 4);
      p.add(f.validLifetime, v + 20, 4);
      options(p, v + 24, end, parts, depth + 1);
      return;
    case 6:
      for (let i = v; i + 2 <= end; i += 2) p.add(f.requestedOption, i, 2);
      return;
    case 7:
      p.add(f.preference, v, 1);
      return;
    case 8: {
      const t = p.u16(v);
      // RFC 8415 §21.9: hundredths of a second.
      p.add(f.elapsedTime, v, 2, t, p.tree ? `Elapsed time: ${t * 10}ms` : undefined);
      return;
    }
    case 9: {
      // The relayed message, as its own DHCPv6 item; its own CID/IAA parts in Info.
      const inner: InfoParts = { text: '' };
      const item = p.addText('DHCPv6', v, len);
      p.open(item);
      try {
        message(p, v, end, inner, depth + 1);
      } finally {
        p.close(item);
        parts.text += inner.text;
      }
      return;
    }
    case 16:
      // RFC 8415 §21.16: enterprise number, then length-prefixed opaque class data.
      p.add(f.vendorClassEnterprise, v, 4);
      for (let i = v + 4; i + 2 <= end;) {
        const n = p.u16(i);
        p.add(f.vendorClassData, i + 2, n, latin1(p.bytes(i + 2, n)));
        i += 2 + n;
      }
      return;
    case 17: {
      // RFC 8415 §21.17: enterprise number, then code/length/data options.
      p.add(f.vendorOptsEnterprise, v, 4);
      for (let i = v + 4; i + 4 <= end;) {
        const n = p.u16(i + 2);
        const item = p.addText('option', i, 4 + n);
        p.open(item);
        p.add(f.vendorOptCode, i, 2);
        p.add(f.vendorOptLength, i + 2, 2, n);
        if (n > 0) p.add(f.vendorOptData, i + 4, n);
        p.close(item);
        i += 4 + n;
      }
      return;
    }
    case 18:
      if (len > 0) p.add(f.interfaceId, v, len);
      return;
    case 21: {
      const list = p.addText('SIP Servers Domain Search List', v, len);
      p.open(list);
      domainList(p, v, end, f.sipDomain);
      p.close(list);
      return;
    }
    case 22:
      for (let i = v; i + 16 <= end; i += 16) p.add(f.sipAddress, i, 16);
      return;
    case 26:
      // RFC 8415 §21.22: IA Prefix.
      p.add(f.prefixPref, v, 4);
      p.add(f.prefixValid, v + 4, 4);
      p.add(f.prefixLen, v + 8, 1);
      p.add(f.prefixAddr, v + 9, 16);
      options(p, v + 25, end, parts, depth + 1);
      return;
    case 56:
      ntpServer(p, v, end);
      return;
    case 64:
      domainList(p, v, end, f.aftrName);
      return;
    case 13:
      p.add(f.statusCode, v, 2);
      if (len > 2) p.add(f.statusMsg, v + 2, len - 2, latin1(p.bytes(v + 2, len - 2)));
      return;
    case 23:
      for (let i = v, n = 1; i + 16 <= end; i += 16, n++) {
        p.add(
          f.dnsServer,
          i,
          16,
          undefined,
          p.tree ? ` ${n} DNS server address: ${ipv6ToString(p.bytes(i, 16))}` : undefined,
        );
      }
      return;
    case 24: {
      const list = p.addText('Domain name suffix search list', v, len);
      p.open(list);
      domainList(p, v, end);
      p.close(list);
      return;
    }
    default:
      if (len > 0) p.add(f.optionValue, v, len);
  }
}

/** RFC 8415 §11: DUID-LLT, DUID-EN, DUID-LL, DUID-UUID. */
function duid(p: Dissection, v: number, len: number): void {
  const f = dhcpv6.f;
  p.add(f.duidBytes, v, len);
  if (len < 2) return;
  const type = p.u16(v);
  p.add(f.duidType, v, 2, type);
  const hwText = (at: number, n: number) =>
    n === 6 ? etherToString(p.data, at) : bytesToHex(p.bytes(at, n), ':');
  if (type === 1 && len >= 8) {
    p.add(f.duidlltHwtype, v + 2, 2);
    const secs = BigInt(p.u32(v + 4)) + DUID_EPOCH;
    p.add(f.duidlltTime, v + 4, 4, secs * 1_000_000_000n);
    if (len > 8) p.add(f.duidlltLinkLayer, v + 8, len - 8, hwText(v + 8, len - 8));
  } else if (type === 2 && len >= 6) {
    p.add(f.duidenEnterprise, v + 2, 4);
    if (len > 6) p.add(f.duidenIdentifier, v + 6, len - 6);
  } else if (type === 3 && len >= 4) {
    p.add(f.duidllHwtype, v + 2, 2);
    if (len > 4) p.add(f.duidllLinkLayer, v + 4, len - 4, hwText(v + 4, len - 4));
  } else if (type === 4 && len === 18) {
    p.add(f.duiduuid, v + 2, 16);
  }
}

/** RFC 5908: NTP server suboptions (address, multicast address, FQDN). */
function ntpServer(p: Dissection, o: number, end: number): void {
  const f = dhcpv6.f;
  while (o + 4 <= end) {
    const code = p.u16(o);
    const n = p.u16(o + 2);
    const v = o + 4;
    p.check(v, n);
    const item = p.addText(NTP_SUBOPTIONS[code] ?? `Unknown (${code})`, o, 4 + n);
    p.open(item);
    p.add(f.ntpSuboption, o, 2, code);
    p.add(f.ntpSuboptionLength, o + 2, 2, n);
    if (code === 1 && n === 16) p.add(f.ntpAddr, v, 16);
    else if (code === 2 && n === 16) p.add(f.ntpMcAddr, v, 16);
    else if (code === 3) domainList(p, v, v + n, f.ntpFqdn);
    p.close(item);
    o = v + n;
  }
}

/** RFC 1035 §3.1 names without compression (RFC 8415 §10), each shown with a trailing dot. */
function domainList(p: Dissection, o: number, end: number, field = dhcpv6.f.searchListEntry): void {
  while (o < end) {
    const startName = o;
    let name = '';
    for (;;) {
      const n = p.u8(o);
      o++;
      if (n === 0) break;
      if (n > 63) throw new Error('DHCPv6 domain label longer than 63 bytes');
      name += latin1(p.bytes(o, n)) + '.';
      o += n;
      if (o >= end) break;
    }
    p.add(field, startName, o - startName, name);
  }
}

tables.udpPort.register(DHCPV6_CLIENT_PORT, dhcpv6);
tables.udpPort.register(DHCPV6_SERVER_PORT, dhcpv6);
