// What a filter needs in a packet to match, for a cheap prefilter: the colouring rules are about
// twenty filters tried on every packet, and most name protocols the packet does not have.
import type { TestNode, ValueNode } from './ast';
import { parseFilter } from './parser';

/**
 * Names (fields or protocols, as the filter spells them) at least one of which is present in
 * every packet the filter matches; undefined when no such set is known (a `not`, a function
 * such as `count(x) == 0`, an `all` quantifier that holds on no occurrences). A relation on a
 * field that is absent never holds, and an `and` needs what either side needs.
 */
export function requiredAnyOf(expr: string): ReadonlySet<string> | undefined {
  let ast: TestNode | null;
  try {
    ast = parseFilter(expr);
  } catch {
    return undefined;
  }
  return ast ? needs(ast) : undefined;
}

function needs(n: TestNode): Set<string> | undefined {
  switch (n.k) {
    case 'and': {
      const a = needs(n.a);
      const b = needs(n.b);
      if (!a) return b;
      if (!b) return a;
      return a.size <= b.size ? a : b;
    }
    case 'or': {
      const a = needs(n.a);
      const b = needs(n.b);
      return a && b ? new Set([...a, ...b]) : undefined;
    }
    case 'exists':
      return operand(n.v);
    case 'cmp':
      // `all`, `===` and the like hold vacuously on no occurrences: no requirement.
      if (n.quant === 'all' || n.op === 'all_eq') return undefined;
      return operand(n.a);
    case 'in':
      return n.negated || n.quant === 'all' ? undefined : operand(n.a);
    case 'not':
    case 'xor':
      return undefined;
  }
}

/** The field an operand reads, when it has values only if that field is present. */
function operand(v: ValueNode): Set<string> | undefined {
  if (v.k === 'word') return new Set([v.text]);
  if (v.k === 'slice') return operand(v.of);
  // `tcp.flags & 0x02` is non-zero only if tcp.flags is there.
  if (v.k === 'arith' && v.op === '&') return operand(v.a);
  return undefined;
}
