// Pure helpers over a packet's details tree: stable keys for expansion state, the flattened list
// of visible items the tree pane renders, and the deepest item covering a byte.
import type { TreeNodeDTO } from '../../../core/engine/api';

export interface TreeItem {
  /** Unique within the packet: the child indexes from the root, e.g. `2.0.3`. */
  id: string;
  /** Stable across packets (field names, else labels, from the root) so expansion carries over. */
  key: string;
  node: TreeNodeDTO;
  depth: number;
  parentId: string | null;
  hasChildren: boolean;
}

function nodeKey(node: TreeNodeDTO): string {
  // Labels carry values ("Time to Live: 64"); keep the part before the value so keys repeat.
  return node.field ?? node.label.split(':')[0]!;
}

/** Every item in document order, each with its key; children of collapsed items included. */
export function indexTree(tree: TreeNodeDTO[]): TreeItem[] {
  const items: TreeItem[] = [];
  const walk = (nodes: TreeNodeDTO[], depth: number, parent: TreeItem | null) => {
    nodes.forEach((node, index) => {
      const item: TreeItem = {
        id: parent ? `${parent.id}.${index}` : String(index),
        key: parent ? `${parent.key}/${nodeKey(node)}` : nodeKey(node),
        node,
        depth,
        parentId: parent?.id ?? null,
        hasChildren: (node.children?.length ?? 0) > 0,
      };
      items.push(item);
      if (node.children) walk(node.children, depth + 1, item);
    });
  };
  walk(tree, 0, null);
  return items;
}

/** The items a reader sees: those whose ancestors are all expanded. */
export function visibleItems(items: TreeItem[], expanded: ReadonlySet<string>): TreeItem[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const shown = new Set<string>();
  const result: TreeItem[] = [];
  for (const item of items) {
    const parent = item.parentId === null ? null : byId.get(item.parentId)!;
    if (parent === null || (shown.has(parent.id) && expanded.has(parent.key))) {
      shown.add(item.id);
      result.push(item);
    }
  }
  return result;
}

/** The deepest item whose byte range in data source `ds` covers `offset` (Wireshark's byte click). */
export function deepestItemAt(items: TreeItem[], ds: number, offset: number): TreeItem | null {
  let best: TreeItem | null = null;
  for (const item of items) {
    const { start, end } = item.node;
    if ((item.node.ds ?? 0) !== ds || !(start <= offset && offset < end)) continue;
    // Document order visits a parent before its children: a deeper match refines the choice, and
    // among overlapping siblings (bit fields sharing a byte) the first wins, as in Wireshark.
    if (!best || item.depth > best.depth) best = item;
  }
  return best;
}

/** The ancestors of `item`, root first. */
export function ancestorsOf(items: TreeItem[], item: TreeItem): TreeItem[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const chain: TreeItem[] = [];
  for (let id = item.parentId; id !== null; id = byId.get(id)!.parentId) chain.unshift(byId.get(id)!);
  return chain;
}
