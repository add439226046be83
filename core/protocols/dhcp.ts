// BOOTP (RFC 951) and DHCP (RFC 2131) on UDP ports 67/68: the fixed 236-byte header, the magic
// cookie and the options (RFC 2132, RFC 3046 relay agent information, RFC 4578 PXE options
// 93/94/97, PXE vendor options in 43 when the class identifier says PXEClient). Without a DHCP
// message type option the packet is plain BOOTP, as tshark shows it ("BOOTP", "Boot Request").
import type { Dissection } from '../dissect/dissection';
import { registerField, type Field } from '../dissect/fields';
import { etherToString, hex, ipv4ToString } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { resolveEther } from '../dissect/resolve';
import { tables } from '../dissect/tables';
import { latin1 } from '../dissect/dissection';
import { timeSecsText } from './dns-rr';
import {
  AGENT_SUBOPTIONS,
  ARCHITECTURES,
  DHCP_MESSAGE_TYPES,
  HW_TYPES,
  OPS,
  OPTIONS,
  PXE_SUBOPTIONS,
  type Kind,
  type OptionDef,
} from './dhcp-options';

export { DHCP_MESSAGE_TYPES } from './dhcp-options';

export { encodeDhcp, parseDhcp, type DhcpRepr, type DhcpOptionRepr } from './dhcp-encode';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
const MAGIC_COOKIE = 0x63825363;
const FIXED = 236;

export const dhcp = defineProtocol({
  abbrev: 'dhcp',
  name: 'Dynamic Host Configuration Protocol',
  short: 'DHCP',
  fields: {
    type: { abbrev: 'dhcp.type', name: 'Message type', type: 'uint8', vals: OPS },
    hwType: { abbrev: 'dhcp.hw.type', name: 'Hardware type', type: 'uint8', base: 'hex', vals: HW_TYPES },
    hwLen: { abbrev: 'dhcp.hw.len', name: 'Hardware address length', type: 'uint8' },
    hops: { abbrev: 'dhcp.hops', name: 'Hops', type: 'uint8' },
    id: { abbrev: 'dhcp.id', name: 'Transaction ID', type: 'uint32', base: 'hex' },
    secs: { abbrev: 'dhcp.secs', name: 'Seconds elapsed', type: 'uint16' },
    flags: { abbrev: 'dhcp.flags', name: 'Bootp flags', type: 'uint16', base: 'hex' },
    flagsBc: {
      abbrev: 'dhcp.flags.bc',
      name: 'Broadcast flag',
      type: 'bool',
      bits: 16,
      mask: 0x8000,
      tfs: ['Broadcast', 'Unicast'],
    },
    flagsReserved: {
      abbrev: 'dhcp.flags.reserved',
      name: 'Reserved flags',
      type: 'uint16',
      base: 'hex',
      mask: 0x7fff,
    },
    ipClient: { abbrev: 'dhcp.ip.client', name: 'Client IP address', type: 'ipv4' },
    ipYour: { abbrev: 'dhcp.ip.your', name: 'Your (client) IP address', type: 'ipv4' },
    ipServer: { abbrev: 'dhcp.ip.server', name: 'Next server IP address', type: 'ipv4' },
    ipRelay: { abbrev: 'dhcp.ip.relay', name: 'Relay agent IP address', type: 'ipv4' },
    hwAddr: { abbrev: 'dhcp.hw.addr', name: 'Client hardware address', type: 'bytes' },
    hwAddrPadding: { abbrev: 'dhcp.hw.addr_padding', name: 'Client hardware address padding', type: 'bytes' },
    hwMacAddr: { abbrev: 'dhcp.hw.mac_addr', name: 'Client MAC address', type: 'ether' },
    server: { abbrev: 'dhcp.server', name: 'Server host name', type: 'string' },
    file: { abbrev: 'dhcp.file', name: 'Boot file name', type: 'string' },
    cookie: { abbrev: 'dhcp.cookie', name: 'Magic cookie', type: 'ipv4' },
    vendorSpecific: {
      abbrev: 'dhcp.vendor_specific_options',
      name: 'Bootp vendor specific options',
      type: 'bytes',
    },
    optionType: { abbrev: 'dhcp.option.type', name: 'Option', type: 'uint8' },
    optionLength: { abbrev: 'dhcp.option.length', name: 'Length', type: 'uint8' },
    optionValue: { abbrev: 'dhcp.option.value', name: 'Value', type: 'bytes' },
    optionPadding: { abbrev: 'dhcp.option.padding', name: 'Padding', type: 'bytes' },
    optionEnd: { abbrev: 'dhcp.option.end', name: 'Option End', type: 'uint8' },
    staticRouteIp: { abbrev: 'dhcp.option.static_route.ip', name: 'Destination IP Address', type: 'ipv4' },
    staticRouteRouter: {
      abbrev: 'dhcp.option.static_route.router',
      name: 'Destination Router',
      type: 'ipv4',
    },
    optionDhcp: { abbrev: 'dhcp.option.dhcp', name: 'DHCP', type: 'uint8', vals: DHCP_MESSAGE_TYPES },
    requestListItem: {
      abbrev: 'dhcp.option.request_list_item',
      name: 'Parameter Request List Item',
      type: 'uint8',
    },
    clientIdType: { abbrev: 'dhcp.client_id.type', name: 'Type', type: 'uint8' },
    clientId: { abbrev: 'dhcp.client_id', name: 'Identifier', type: 'bytes' },
    clientIdUndef: { abbrev: 'dhcp.client_id.undef', name: 'Client Identifier', type: 'string' },
    clientIdUuid: { abbrev: 'dhcp.client_id.uuid', name: 'Client Identifier (UUID)', type: 'string' },
    clientArch: {
      abbrev: 'dhcp.option.client_system_architecture',
      name: 'Client System Architecture',
      type: 'uint16',
      vals: ARCHITECTURES,
    },
    nicMajor: { abbrev: 'dhcp.option.client_network_id_major', name: 'Major Version', type: 'uint8' },
    nicMinor: { abbrev: 'dhcp.option.client_network_id_minor', name: 'Minor Version', type: 'uint8' },
    agentSuboption: {
      abbrev: 'dhcp.option.agent_information_option.suboption',
      name: 'Option 82 Suboption',
      type: 'uint8',
      vals: AGENT_SUBOPTIONS,
    },
    suboptionLength: { abbrev: 'dhcp.option.suboption_length', name: 'Length', type: 'uint8' },
    agentCircuitId: {
      abbrev: 'dhcp.option.agent_information_option.agent_circuit_id',
      name: 'Agent Circuit ID',
      type: 'bytes',
    },
    agentRemoteId: {
      abbrev: 'dhcp.option.agent_information_option.agent_remote_id',
      name: 'Agent Remote ID',
      type: 'bytes',
    },
    agentLinkSelection: {
      abbrev: 'dhcp.option.agent_information_option.link_selection',
      name: 'Link selection',
      type: 'ipv4',
    },
    agentSubscriberId: {
      abbrev: 'dhcp.option.agent_information_option.subscriber_id',
      name: 'Subscriber ID',
      type: 'string',
    },
    agentServerIdOverride: {
      abbrev: 'dhcp.option.agent_information_option.server_id_override',
      name: 'Server ID Override',
      type: 'ipv4',
    },
    agentValue: { abbrev: 'dhcp.option.agent_information_option.value', name: 'Value', type: 'bytes' },
    pxeSuboption: {
      abbrev: 'dhcp.option.vendor.pxeclient.suboption',
      name: 'Option 43 Suboption',
      type: 'uint8',
      vals: PXE_SUBOPTIONS,
    },
    pxeMtftpIp: { abbrev: 'dhcp.option.vendor.pxeclient.mtftp_ip', name: 'mtftp IP', type: 'ipv4' },
    pxeDiscoveryControl: {
      abbrev: 'dhcp.option.vendor.pxeclient.discovery_control',
      name: 'discovery control',
      type: 'uint8',
      base: 'hex',
    },
    pxeDcBroadcast: {
      abbrev: 'dhcp.option.vendor.pxeclient.discovery_control.broadcast',
      name: 'Disable Broadcast',
      type: 'bool',
      bits: 8,
      mask: 0x1,
    },
    pxeDcMulticast: {
      abbrev: 'dhcp.option.vendor.pxeclient.discovery_control.multicast',
      name: 'Disable Multicast',
      type: 'bool',
      bits: 8,
      mask: 0x2,
    },
    pxeDcServerlist: {
      abbrev: 'dhcp.option.vendor.pxeclient.discovery_control.serverlist',
      name: 'Serverlist only',
      type: 'bool',
      bits: 8,
      mask: 0x4,
    },
    pxeDcBstrap: {
      abbrev: 'dhcp.option.vendor.pxeclient.discovery_control.bstrap',
      name: 'Bootstrap override',
      type: 'bool',
      bits: 8,
      mask: 0x8,
    },
    pxeMulticastAddress: {
      abbrev: 'dhcp.option.vendor.pxeclient.multicast_address',
      name: 'multicast address',
      type: 'ipv4',
    },
    pxeBootServers: {
      abbrev: 'dhcp.option.vendor.pxeclient.boot_servers',
      name: 'boot servers',
      type: 'bytes',
    },
    pxeBootServersType: {
      abbrev: 'dhcp.option.vendor.pxeclient.boot_servers.type',
      name: 'Type',
      type: 'uint16',
    },
    pxeBootServersCount: {
      abbrev: 'dhcp.option.vendor.pxeclient.boot_servers.count',
      name: 'IP count',
      type: 'uint8',
    },
    pxeBootServersIp: { abbrev: 'dhcp.option.vendor.pxeclient.boot_servers.ip', name: 'IP', type: 'ipv4' },
    pxeBootMenu: { abbrev: 'dhcp.option.vendor.pxeclient.boot_menu', name: 'boot menu', type: 'bytes' },
    pxeBootMenuType: { abbrev: 'dhcp.option.vendor.pxeclient.boot_menu.type', name: 'Type', type: 'uint16' },
    pxeBootMenuLength: {
      abbrev: 'dhcp.option.vendor.pxeclient.boot_menu.length',
      name: 'Length',
      type: 'uint8',
    },
    pxeBootMenuDesc: {
      abbrev: 'dhcp.option.vendor.pxeclient.boot_menu.desc',
      name: 'Description',
      type: 'string',
    },
    pxeMenuPrompt: { abbrev: 'dhcp.option.vendor.pxeclient.menu_prompt', name: 'menu prompt', type: 'bytes' },
    pxeMenuPromptTimeout: {
      abbrev: 'dhcp.option.vendor.pxeclient.menu_prompt.timeout',
      name: 'Timeout',
      type: 'uint8',
    },
    pxeMenuPromptPrompt: {
      abbrev: 'dhcp.option.vendor.pxeclient.menu_prompt.prompt',
      name: 'Prompt',
      type: 'string',
    },
    pxeEnd: { abbrev: 'dhcp.option.vendor.pxeclient.end', name: 'PXE Client End', type: 'uint8' },
    pxeValue: { abbrev: 'dhcp.option.vendor.value', name: 'Value', type: 'bytes' },
  },
  dissect: dissectDhcp,
});

/** Fields of the plain typed options, registered from the option table. */
const OPTION_FIELDS = new Map<number, Field>();
{
  const typeOf: Partial<Record<Kind, 'ipv4' | 'string' | 'uint8' | 'uint16' | 'uint32' | 'int32' | 'bool'>> =
    {
      ip: 'ipv4',
      ips: 'ipv4',
      str: 'string',
      u8: 'uint8',
      u16: 'uint16',
      u32: 'uint32',
      i32: 'int32',
      time: 'uint32',
      bool: 'bool',
    };
  for (const [code, def] of Object.entries(OPTIONS)) {
    const type = typeOf[def.kind];
    if (def.abbrev && type) {
      OPTION_FIELDS.set(
        Number(code),
        registerField({ abbrev: def.abbrev, name: def.fieldName ?? def.name, type }),
      );
    }
  }
}

function optionName(code: number): string {
  return OPTIONS[code]?.name ?? (code >= 224 && code <= 254 ? 'Private' : 'Unknown');
}

function dissectDhcp(p: Dissection, start: number, end: number): void {
  const f = dhcp.f;
  const op = p.u8(start);
  const xid = p.u32(start + 4);
  // Find the message type first: it names the layer item and decides DHCP vs BOOTP.
  const hasCookie = p.remaining(start + FIXED) >= 4 && p.u32(start + FIXED) === MAGIC_COOKIE;
  const msgType = hasCookie ? findMessageType(p, start + FIXED + 4, end) : undefined;
  const typeName =
    msgType === undefined
      ? undefined
      : (DHCP_MESSAGE_TYPES[msgType] ?? `Unknown Message Type (0x${hex(msgType, 2)})`);
  const top = p.add(
    dhcp.field,
    start,
    end - start,
    undefined,
    p.tree ? `Dynamic Host Configuration Protocol${typeName ? ` (${typeName})` : ''}` : undefined,
  );
  p.open(top);
  if (p.columns) {
    if (typeName !== undefined) {
      p.setInfo(`DHCP ${typeName.padEnd(8)} - Transaction ID 0x${xid.toString(16)}`);
    } else {
      p.cols.protocol = 'BOOTP';
      const opName = OPS[op] ?? `Unknown BOOTP message type (${op})`;
      // A request names the client: "Boot Request from 00:11:22:33:44:55 (Vendor_33:44:55)".
      if (op === 1 && p.u8(start + 1) === 1 && p.u8(start + 2) === 6 && p.remaining(start + 28) >= 6)
        p.setInfo(
          `${opName} from ${etherToString(p.data, start + 28)} (${resolveEther(p.data, start + 28)})`,
        );
      else p.setInfo(opName);
    }
  }
  try {
    // Wireshark reads the cookie before adding the header items: a packet that ends inside
    // the fixed header shows the bare layer, truncated.
    p.check(start + FIXED, 4);
    header(p, start, op, xid);
    if (!hasCookie) {
      // RFC 951: a 64-byte vendor area (Wireshark reads exactly that; shorter is malformed).
      p.check(start + FIXED, 64);
      p.add(f.vendorSpecific, start + FIXED, 64);
      return;
    }
    p.add(f.cookie, start + FIXED, 4, MAGIC_COOKIE, p.tree ? 'Magic cookie: DHCP' : undefined);
    options(p, start + FIXED + 4, end);
  } finally {
    p.close(top);
  }
}

function findMessageType(p: Dissection, o: number, end: number): number | undefined {
  const lim = Math.min(end, p.data.length);
  while (o < lim) {
    const code = p.data[o]!;
    if (code === 255) return undefined;
    if (code === 0) {
      o++;
      continue;
    }
    if (o + 1 >= lim) return undefined;
    const len = p.data[o + 1]!;
    if (code === 53 && len >= 1 && o + 2 < lim) return p.data[o + 2]!;
    o += 2 + len;
  }
  return undefined;
}

function header(p: Dissection, start: number, op: number, xid: number): void {
  const f = dhcp.f;
  p.add(f.type, start, 1, op);
  const hwType = p.u8(start + 1);
  const hwLen = p.u8(start + 2);
  p.add(f.hwType, start + 1, 1, hwType);
  p.add(f.hwLen, start + 2, 1, hwLen);
  p.add(f.hops, start + 3, 1);
  p.add(f.id, start + 4, 4, xid);
  p.add(f.secs, start + 8, 2);
  const flags = p.u16(start + 10);
  const flagsItem = p.add(
    f.flags,
    start + 10,
    2,
    flags,
    p.tree
      ? `Bootp flags: 0x${hex(flags, 4)}${flags & 0x8000 ? ', Broadcast flag (Broadcast)' : ' (Unicast)'}`
      : undefined,
  );
  p.open(flagsItem);
  p.add(f.flagsBc, start + 10, 2);
  p.add(f.flagsReserved, start + 10, 2);
  p.close(flagsItem);
  p.add(f.ipClient, start + 12, 4);
  p.add(f.ipYour, start + 16, 4);
  p.add(f.ipServer, start + 20, 4);
  p.add(f.ipRelay, start + 24, 4);
  // chaddr is 16 bytes: an Ethernet address is shown as one, the rest as padding.
  const chaddr = start + 28;
  p.check(chaddr, 16);
  if (hwType === 1 && hwLen === 6) {
    if (p.wants(f.hwMacAddr)) {
      const label = p.tree
        ? `Client MAC address: ${resolveEther(p.data, chaddr)} (${etherToString(p.data, chaddr)})`
        : undefined;
      p.add(f.hwMacAddr, chaddr, 6, undefined, label);
    }
    p.add(f.hwAddrPadding, chaddr + 6, 10);
  } else if (hwLen > 0 && hwLen <= 16) {
    p.add(f.hwAddr, chaddr, hwLen);
    if (hwLen < 16) p.add(f.hwAddrPadding, chaddr + hwLen, 16 - hwLen);
  } else {
    p.add(f.hwAddr, chaddr, 16);
  }
  stringField(p, f.server, start + 44, 64, 'Server host name not given');
  stringField(p, f.file, start + 108, 128, 'Boot file name not given');
}

function stringField(p: Dissection, field: Field, at: number, len: number, empty: string): void {
  const bytes = p.bytes(at, len);
  if (bytes[0] === 0) {
    p.addText(empty, at, len);
    return;
  }
  p.add(field, at, len, zstring(bytes));
}

function zstring(b: Uint8Array): string {
  const nul = b.indexOf(0);
  return latin1(nul < 0 ? b : b.subarray(0, nul));
}

function options(p: Dissection, o: number, end: number): void {
  const f = dhcp.f;
  let vendorClass = '';
  while (o < end) {
    const code = p.u8(o);
    if (code === 0) {
      // RFC 2132 §3.1: pad bytes; Wireshark shows the run as one Padding item.
      let q = o;
      while (q < end && p.data[q] === 0) q++;
      p.add(f.optionPadding, o, q - o);
      o = q;
      continue;
    }
    if (code === 255) {
      // tshark 4.0 gives the End item's dhcp.option.type the value 0.
      const item = p.add(f.optionType, o, 1, 0, p.tree ? 'Option: (255) End' : undefined);
      p.open(item);
      p.add(f.optionEnd, o, 1, code);
      p.close(item);
      o++;
      // What follows the End option is padding.
      if (o < end) p.add(f.optionPadding, o, end - o);
      return;
    }
    const len = p.u8(o + 1);
    const v = o + 2;
    p.check(v, len);
    if (code === 60) vendorClass = zstring(p.bytes(v, len));
    const def = OPTIONS[code];
    let suffix = '';
    if (code === 53 && len >= 1) suffix = ` (${DHCP_MESSAGE_TYPES[p.u8(v)] ?? 'Unknown'})`;
    else if (def?.showValue && len === 4) suffix = ` (${ipv4ToString(p.u32(v))})`;
    else if (code === 43 && vendorClass.startsWith('PXEClient')) suffix = ' (PXEClient)';
    const item = p.add(
      f.optionType,
      o,
      2 + len,
      code,
      p.tree ? `Option: (${code}) ${optionName(code)}${suffix}` : undefined,
    );
    p.open(item);
    p.add(f.optionLength, o + 1, 1, len);
    optionValue(p, code, def, v, len, vendorClass);
    p.close(item);
    o = v + len;
  }
}

function optionValue(
  p: Dissection,
  code: number,
  def: OptionDef | undefined,
  v: number,
  len: number,
  vendorClass: string,
): void {
  const f = dhcp.f;
  const field = OPTION_FIELDS.get(code);
  if (field && def) {
    switch (def.kind) {
      case 'ip':
      case 'ips':
        for (let i = v; i + 4 <= v + len; i += 4) p.add(field, i, 4);
        return;
      case 'str':
        p.add(field, v, len, zstring(p.bytes(v, len)));
        return;
      case 'time': {
        const s = p.u32(v);
        p.add(
          field,
          v,
          4,
          s,
          p.tree ? `${def.name}: (${s}s) ${s === 0xffffffff ? 'infinity' : timeSecsText(s)}` : undefined,
        );
        return;
      }
      case 'bool':
        p.add(
          field,
          v,
          1,
          p.u8(v) !== 0,
          p.tree ? `${def.name}: ${p.u8(v) ? 'Enabled' : 'Disabled'}` : undefined,
        );
        return;
      case 'u8':
        p.add(field, v, 1);
        return;
      case 'u16':
        p.add(field, v, 2);
        return;
      case 'u32':
      case 'i32':
        p.add(field, v, 4);
        return;
    }
  }
  switch (code) {
    case 53:
      p.add(f.optionDhcp, v, 1);
      return;
    case 33:
      // RFC 2132 §5.8: (destination, router) pairs.
      for (let i = v; i + 8 <= v + len; i += 8) {
        p.add(f.staticRouteIp, i, 4);
        p.add(f.staticRouteRouter, i + 4, 4);
      }
      return;
    case 55:
      for (let i = v; i < v + len; i++) {
        const c = p.u8(i);
        p.add(
          f.requestListItem,
          i,
          1,
          c,
          p.tree ? `Parameter Request List Item: (${c}) ${optionName(c)}` : undefined,
        );
      }
      return;
    case 61:
      clientId(p, v, len);
      return;
    case 82:
      agentInformation(p, v, len);
      return;
    case 43:
      if (vendorClass.startsWith('PXEClient')) pxeOptions(p, v, len);
      else p.add(f.optionValue, v, len);
      return;
    case 93:
      for (let i = v; i + 2 <= v + len; i += 2) p.add(f.clientArch, i, 2);
      return;
    case 94:
      // RFC 4578 §2.2: type (1 = UNDI), major, minor.
      if (len === 3) {
        p.add(f.nicMajor, v + 1, 1);
        p.add(f.nicMinor, v + 2, 1);
      } else p.add(f.optionValue, v, len);
      return;
    case 97:
      // RFC 4578 §2.3: type 0, then a 16-byte GUID (shown as Wireshark shows GUIDs: little-endian).
      if (len === 17 && p.u8(v) === 0) p.add(f.clientIdUuid, v + 1, 16, guidText(p.bytes(v + 1, 16)));
      else p.add(f.optionValue, v, len);
      return;
    default:
      if (len > 0) p.add(f.optionValue, v, len);
  }
}

function guidText(b: Uint8Array): string {
  const h = (i: number) => b[i]!.toString(16).padStart(2, '0');
  const r = (idx: number[]) => idx.map(h).join('');
  return `${r([3, 2, 1, 0])}-${r([5, 4])}-${r([7, 6])}-${r([8, 9])}-${r([10, 11, 12, 13, 14, 15])}`;
}

/** RFC 2132 §9.14: a type byte (1 = Ethernet) and the identifier. */
function clientId(p: Dissection, v: number, len: number): void {
  const f = dhcp.f;
  if (len === 0) return;
  const type = p.u8(v);
  if (type === 1 && len === 7) {
    p.add(f.hwType, v, 1, type);
    const label = p.tree
      ? `Client MAC address: ${resolveEther(p.data, v + 1)} (${etherToString(p.data, v + 1)})`
      : undefined;
    p.add(f.hwMacAddr, v + 1, 6, undefined, label);
    return;
  }
  p.add(f.clientIdType, v, 1, type);
  if (type === 0) p.add(f.clientIdUndef, v + 1, len - 1, latin1(p.bytes(v + 1, len - 1)));
  else if (len > 1) p.add(f.clientId, v + 1, len - 1);
}

/** RFC 3046: sub-options code/length/value. */
function agentInformation(p: Dissection, v: number, len: number): void {
  const f = dhcp.f;
  for (let o = v; o + 2 <= v + len;) {
    const code = p.u8(o);
    const n = p.u8(o + 1);
    const d = o + 2;
    p.check(d, n);
    const name = AGENT_SUBOPTIONS[code] ?? 'Unknown';
    const ipSuffix = (code === 5 || code === 11) && n === 4 ? ` (${ipv4ToString(p.u32(d))})` : '';
    const item = p.add(
      f.agentSuboption,
      o,
      2 + n,
      code,
      p.tree ? `Option 82 Suboption: (${code}) ${name}${ipSuffix}` : undefined,
    );
    p.open(item);
    p.add(f.suboptionLength, o + 1, 1, n);
    if (code === 1) p.add(f.agentCircuitId, d, n);
    else if (code === 2) p.add(f.agentRemoteId, d, n);
    else if (code === 5 && n === 4) p.add(f.agentLinkSelection, d, 4);
    else if (code === 11 && n === 4) p.add(f.agentServerIdOverride, d, 4);
    else if (code === 6) p.add(f.agentSubscriberId, d, n, latin1(p.bytes(d, n)));
    else if (n > 0) p.add(f.agentValue, d, n);
    p.close(item);
    o = d + n;
  }
}

/** PXE 2.1 specification, vendor options in option 43. */
function pxeOptions(p: Dissection, v: number, len: number): void {
  const f = dhcp.f;
  for (let o = v; o < v + len;) {
    const code = p.u8(o);
    if (code === 255) {
      p.add(f.pxeEnd, o, 1, code);
      return;
    }
    if (code === 0) {
      o++;
      continue;
    }
    const n = p.u8(o + 1);
    const d = o + 2;
    p.check(d, n);
    const name = PXE_SUBOPTIONS[code] ?? 'Unknown';
    const item = p.add(
      f.pxeSuboption,
      o,
      2 + n,
      code,
      p.tree ? `Option 43 Suboption: (${code}) ${name}` : undefined,
    );
    p.open(item);
    p.add(f.suboptionLength, o + 1, 1, n);
    if (code === 1 && n === 4) p.add(f.pxeMtftpIp, d, 4);
    else if (code === 6 && n === 1) {
      const dc = p.u8(d);
      const names = [
        'Disable Broadcast',
        'Disable Multicast',
        'Serverlist only',
        'Bootstrap override',
      ].filter((_, i) => dc & (1 << i));
      const di = p.add(
        f.pxeDiscoveryControl,
        d,
        1,
        dc,
        p.tree ? `discovery control: 0x${hex(dc, 2)}${names.map((s) => ', ' + s).join('')}` : undefined,
      );
      p.open(di);
      p.add(f.pxeDcBroadcast, d, 1);
      p.add(f.pxeDcMulticast, d, 1);
      p.add(f.pxeDcServerlist, d, 1);
      p.add(f.pxeDcBstrap, d, 1);
      p.close(di);
    } else if (code === 7 && n === 4) p.add(f.pxeMulticastAddress, d, 4);
    else if (code === 8) {
      const bi = p.add(f.pxeBootServers, d, n);
      p.open(bi);
      for (let q = d; q + 3 <= d + n;) {
        const type = p.u16(q);
        const count = p.u8(q + 2);
        p.add(f.pxeBootServersType, q, 2, type, p.tree ? `Type: ${pxeServerType(type)}` : undefined);
        p.add(f.pxeBootServersCount, q + 2, 1, count);
        for (let i = 0; i < count; i++) p.add(f.pxeBootServersIp, q + 3 + 4 * i, 4);
        q += 3 + 4 * count;
      }
      p.close(bi);
    } else if (code === 9) {
      const mi = p.add(f.pxeBootMenu, d, n);
      p.open(mi);
      for (let q = d; q + 3 <= d + n;) {
        const type = p.u16(q);
        const dl = p.u8(q + 2);
        p.add(f.pxeBootMenuType, q, 2, type, p.tree ? `Type: ${pxeServerType(type)}` : undefined);
        p.add(f.pxeBootMenuLength, q + 2, 1, dl);
        p.add(f.pxeBootMenuDesc, q + 3, dl, latin1(p.bytes(q + 3, dl)));
        q += 3 + dl;
      }
      p.close(mi);
    } else if (code === 10 && n >= 1) {
      const pi = p.add(f.pxeMenuPrompt, d, n);
      p.open(pi);
      p.add(f.pxeMenuPromptTimeout, d, 1);
      p.add(f.pxeMenuPromptPrompt, d + 1, n - 1, latin1(p.bytes(d + 1, n - 1)));
      p.close(pi);
    } else if (n > 0) p.add(f.pxeValue, d, n);
    p.close(item);
    o = d + n;
  }
}

function pxeServerType(t: number): string {
  const known: Record<number, string> = { 0: 'PXE bootstrap server' };
  return `${known[t] ?? 'Unknown'} (${t})`;
}

tables.udpPort.register(DHCP_SERVER_PORT, dhcp);
tables.udpPort.register(DHCP_CLIENT_PORT, dhcp);
