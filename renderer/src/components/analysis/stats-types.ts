// The Statistics tables' layers and the filters their rows apply; the row shapes are the Engine
// API's (core/engine/api.ts).
import type { ConversationDTO, ConversationKind, EndpointDTO } from '../../../../core/engine/api';

export type LayerKind = ConversationKind;
export type ConversationRow = ConversationDTO;
export type EndpointRow = EndpointDTO;
export type { HierarchyNodeDTO as HierarchyNode } from '../../../../core/engine/api';

export const LAYERS: { kind: LayerKind; label: string }[] = [
  { kind: 'eth', label: 'Ethernet' },
  { kind: 'ip', label: 'IPv4' },
  { kind: 'ipv6', label: 'IPv6' },
  { kind: 'tcp', label: 'TCP' },
  { kind: 'udp', label: 'UDP' },
];

const addrField = (kind: LayerKind, address: string): string =>
  kind === 'eth' ? 'eth.addr' : kind === 'ipv6' || address.includes(':') ? 'ipv6.addr' : 'ip.addr';

/** The filter Wireshark's Conversations dialog applies for a row ("Apply as Filter → Selected"). */
export function conversationFilter(kind: LayerKind, c: ConversationRow): string {
  const a = addrField(kind, c.addressA);
  const b = addrField(kind, c.addressB);
  if (kind === 'tcp' || kind === 'udp')
    return `${a}==${c.addressA} && ${kind}.port==${c.portA} && ${b}==${c.addressB} && ${kind}.port==${c.portB}`;
  return `${a}==${c.addressA} && ${b}==${c.addressB}`;
}

/** The filter for an endpoint row. */
export function endpointFilter(kind: LayerKind, e: EndpointRow): string {
  const a = `${addrField(kind, e.address)}==${e.address}`;
  return kind === 'tcp' || kind === 'udp' ? `${a} && ${kind}.port==${e.port}` : a;
}
