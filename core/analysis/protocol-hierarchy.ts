// Protocol Hierarchy (Statistics → Protocol Hierarchy, `tshark -z io,phs`): a tree of the
// protocols packets carry, each node counting the frames and bytes that reached it.
//
// Wireshark builds it from the top-level items of each packet's tree (ui/cli/tap-protohierstat.c),
// in order: `frame` is the root; `ethertype` is no tree item of its own; the packet an ICMP
// error quotes lies inside the ICMP item, except its payload, which Wireshark's ICMP shows as
// a top-level `data` item. Echo payloads stay inside ICMP. Malformed packets end with
// `_ws.malformed`.
import type { Dissection } from '../dissect/dissection';
import { fieldsByAbbrev } from '../dissect/fields';
import type { HierarchyNode } from './stats-types';

export type { HierarchyNode };

/** Layers that are not top-level tree items in Wireshark. */
const NOT_TOP_LEVEL = new Set(['frame', 'ethertype']);

/** The top-level protocol items of the packet `p` as Wireshark's tree would hold them. */
export function topLevelProtocols(p: Dissection, out: string[] = []): string[] {
  out.length = 0;
  const list = p.protocols;
  for (let i = 0; i < list.length; i++) {
    const name = list[i]!;
    // IPv6 extension headers (ipv6.hopopts, ipv6.fraghdr…) are subtrees of the IPv6 item.
    if (NOT_TOP_LEVEL.has(name) || name.startsWith('ipv6.')) continue;
    // A protocol called twice in a row (IGMP's version dispatch) is one tree item.
    if (out[out.length - 1] === name) continue;
    out.push(name);
    if (name === 'icmp' || name === 'icmpv6') {
      // The quoted datagram's UDP/TCP payload surfaces as a top-level `data` item in tshark 4.0.
      let quotedTransport = false;
      for (let k = i + 1; k < list.length; k++)
        if (list[k] === 'udp' || list[k] === 'tcp') quotedTransport = true;
      if (quotedTransport) out.push('data');
      break;
    }
  }
  // A reassembled PDU completed in this frame: Wireshark's top-level "[N Reassembled TCP
  // Segments]" item (only seen when the reassembly records `tcp.segments` on the fast path).
  const segmentsField = fieldsByAbbrev.get('tcp.segments');
  if (segmentsField) {
    for (let i = 0; i < p.valueFields.length; i++)
      if (p.valueFields[i] === segmentsField) {
        out.push('tcp.segments');
        break;
      }
  }
  // Exceptions end the tree: `_ws.short` for a packet cut by the snaplen, else `_ws.malformed`.
  if (p.issues.some((x) => x.kind === 'truncated')) out.push('_ws.short');
  else if (p.malformed && p.issues.some((x) => x.kind === 'malformed')) out.push('_ws.malformed');
  return out;
}

/** Marks the fields the hierarchy reads on the fast path. */
export function markHierarchyWanted(wanted: Uint8Array): void {
  const segmentsField = fieldsByAbbrev.get('tcp.segments');
  if (segmentsField) wanted[segmentsField.id] = 1;
}

export class ProtocolHierarchy {
  readonly root: HierarchyNode = { protocol: 'frame', frames: 0, bytes: 0, children: [] };
  private readonly scratch: string[] = [];

  add(p: Dissection, length: number): void {
    const names = topLevelProtocols(p, this.scratch);
    let node = this.root;
    node.frames++;
    node.bytes += length;
    for (const name of names) {
      let child = node.children.find((c) => c.protocol === name);
      if (!child) {
        child = { protocol: name, frames: 0, bytes: 0, children: [] };
        node.children.push(child);
      }
      child.frames++;
      child.bytes += length;
      node = child;
    }
  }
}

/** What `tshark -q -z io,phs` prints. */
export function formatHierarchyText(root: HierarchyNode, filter = ''): string {
  let s = `\n${'='.repeat(67)}\nProtocol Hierarchy Statistics\nFilter: ${filter}\n\n`;
  const walk = (nodes: HierarchyNode[], depth: number): void => {
    for (const n of nodes) {
      // Indentation stops growing after 16 levels, as in tap-protohierstat.c.
      const indent = depth > 16 ? '  '.repeat(16) + '...' : '  '.repeat(depth);
      const name = (indent + n.protocol).slice(0, 79);
      s += `${name.padEnd(40)} frames:${n.frames} bytes:${n.bytes}\n`;
      walk(n.children, depth + 1);
    }
  };
  walk(root.children, 0);
  return s + `${'='.repeat(67)}\n`;
}
