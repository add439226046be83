// The details tree as the Engine API sends it (packet(), the simulator's event packets).
import type { TreeNode } from '../dissect/dissection';
import { fieldsByAbbrev } from '../dissect/fields';
import type { TreeNodeDTO } from './api';
import { fieldFilter } from './field-filter';

/** A details-tree node as the Engine API sends it, with its Apply-as-Filter text. */
export function treeNodeDTO(n: TreeNode): TreeNodeDTO {
  const d: TreeNodeDTO = { label: n.label, start: n.start, end: n.end };
  if (n.field !== undefined) d.field = n.field;
  if (n.ds) d.ds = n.ds;
  if (n.severity) d.severity = n.severity;
  if (n.generated) d.generated = true;
  const field = n.field !== undefined ? fieldsByAbbrev.get(n.field) : undefined;
  if (field) d.filter = fieldFilter(field, n.value);
  if (n.children?.length) d.children = n.children.map(treeNodeDTO);
  return d;
}
