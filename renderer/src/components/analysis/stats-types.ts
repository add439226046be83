// The structured results of `stats(kind)` the views read (StatsDTO.result is `unknown` in the API
// so the renderer imports no analysis code): the shapes of core/analysis/stats.ts's StatsResult.

export type LayerKind = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';

export const LAYERS: { kind: LayerKind; label: string }[] = [
  { kind: 'eth', label: 'Ethernet' },
  { kind: 'ip', label: 'IPv4' },
  { kind: 'ipv6', label: 'IPv6' },
  { kind: 'tcp', label: 'TCP' },
  { kind: 'udp', label: 'UDP' },
];

export interface ConversationRow {
  addressA: string;
  addressB: string;
  portA?: number;
  portB?: number;
  stream?: number;
  framesAB: number;
  bytesAB: number;
  framesBA: number;
  bytesBA: number;
  relStart: number;
  duration: number;
}

export interface EndpointRow {
  address: string;
  port?: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

export interface HierarchyNode {
  protocol: string;
  frames: number;
  bytes: number;
  children: HierarchyNode[];
}

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
