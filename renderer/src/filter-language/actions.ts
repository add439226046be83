// Wireshark's filter actions (Apply as Filter / Prepare as Filter / Conversation Filter /
// Colorize with Filter): how a selected item's filter is combined with the text in the filter
// bar, and the conversation filters built from a packet's addresses and streams. Pure.
import type { TreeNodeDTO } from '../../../core/engine/api';

export type FilterCombination = 'selected' | 'not' | 'and' | 'or' | 'andNot' | 'orNot';

export const COMBINATIONS: { id: FilterCombination; label: string }[] = [
  { id: 'selected', label: 'Selected' },
  { id: 'not', label: 'Not Selected' },
  { id: 'and', label: '…and Selected' },
  { id: 'or', label: '…or Selected' },
  { id: 'andNot', label: '…and not Selected' },
  { id: 'orNot', label: '…or not Selected' },
];

/** The new filter text, spelled as Wireshark 4.0 spells it (`!(…)`, `(…) && (…)`, `(…) || !(…)`).
 * With an empty current filter the `and`/`or` forms are the selection (or its negation) alone. */
export function combineFilter(current: string, selected: string, how: FilterCombination): string {
  const cur = current.trim();
  const negated = `!(${selected})`;
  switch (how) {
    case 'selected':
      return selected;
    case 'not':
      return negated;
    case 'and':
      return cur ? `(${cur}) && (${selected})` : selected;
    case 'or':
      return cur ? `(${cur}) || (${selected})` : selected;
    case 'andNot':
      return cur ? `(${cur}) && ${negated}` : negated;
    case 'orNot':
      return cur ? `(${cur}) || ${negated}` : negated;
  }
}

/** Every field's value text in a details tree, from the items' `field == value` filters. */
export function fieldValues(tree: TreeNodeDTO[]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  const walk = (nodes: TreeNodeDTO[]) => {
    for (const node of nodes) {
      if (node.field && node.filter?.startsWith(`${node.field} == `)) {
        const list = values.get(node.field) ?? [];
        list.push(node.filter.slice(node.field.length + 4));
        values.set(node.field, list);
      }
      if (node.children) walk(node.children);
    }
  };
  walk(tree);
  return values;
}

export interface ConversationFilter {
  /** Menu label, as Wireshark's Conversation Filter submenu. */
  label: string;
  filter: string;
}

/** Wireshark's Conversation Filter entries for a packet: Ethernet, IPv4/IPv6 (both addresses) and
 * TCP/UDP (the stream index, as Wireshark 4.0 writes them). */
export function conversationFilters(tree: TreeNodeDTO[]): ConversationFilter[] {
  const values = fieldValues(tree);
  const first = (field: string) => values.get(field)?.[0];
  const pair = (label: string, addr: string, src: string, dst: string): ConversationFilter | null => {
    const a = first(src);
    const b = first(dst);
    return a && b ? { label, filter: `${addr} == ${a} && ${addr} == ${b}` } : null;
  };
  const stream = (label: string, field: string): ConversationFilter | null => {
    const n = first(field);
    return n !== undefined ? { label, filter: `${field} eq ${n}` } : null;
  };
  return [
    pair('Ethernet', 'eth.addr', 'eth.src', 'eth.dst'),
    pair('IPv4', 'ip.addr', 'ip.src', 'ip.dst'),
    pair('IPv6', 'ipv6.addr', 'ipv6.src', 'ipv6.dst'),
    stream('TCP', 'tcp.stream'),
    stream('UDP', 'udp.stream'),
  ].filter((f): f is ConversationFilter => f !== null);
}

/** The filter for a packet-list row's Protocol column: the top-level layer that names it
 * (`TCP` → `tcp`, `ICMPv6` → `icmpv6`), else the deepest top-level protocol that is not raw data. */
export function protocolFilter(tree: TreeNodeDTO[], protocolColumn: string): string | null {
  const layers = tree.filter((n) => n.field && n.filter === n.field);
  const column = protocolColumn.toLowerCase();
  const named = [...layers].reverse().find((n) => column.startsWith(n.field!.toLowerCase()));
  const fallback = [...layers].reverse().find((n) => n.field !== 'data' && n.field !== 'frame');
  return (named ?? fallback)?.filter ?? null;
}
