// The syntax tree of a display filter, before names are resolved: `word` nodes are either field
// or protocol names or literals, decided by the checker (compile.ts) as Wireshark does.

export interface Span {
  start: number;
  end: number;
}

/** One slice range: `[i:j]` (start, length), `[i-j]` (start, inclusive end), `[i]`, `[:j]`, `[i:]`. */
export interface SliceRange {
  start: number;
  /** Length; undefined = to the end. */
  length?: number;
  /** Inclusive end offset (the `i-j` form). */
  endInclusive?: number;
}

export type CmpOp =
  'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains' | 'matches';

export type ValueNode =
  | (Span & { k: 'word'; text: string; layer?: LayerSpec })
  | (Span & { k: 'string'; value: string; raw: boolean })
  | (Span & { k: 'char'; value: number; text: string })
  | (Span & { k: 'ref'; name: string })
  | (Span & { k: 'slice'; of: ValueNode; ranges: SliceRange[] })
  | (Span & { k: 'call'; name: string; nameEnd: number; args: ValueNode[] })
  | (Span & {
      k: 'arith';
      op: '+' | '-' | '*' | '/' | '%' | '&';
      a: ValueNode;
      b: ValueNode;
      opStart: number;
    })
  | (Span & { k: 'neg'; a: ValueNode });

/** `#2` → {from: 2, to: 2}; `#[2-4]` → {from: 2, to: 4}. */
export interface LayerSpec {
  ranges: { from: number; to: number }[];
}

export interface SetItem {
  lo: ValueNode;
  hi?: ValueNode;
}

export type TestNode =
  | (Span & { k: 'and' | 'or' | 'xor'; a: TestNode; b: TestNode })
  | (Span & { k: 'not'; a: TestNode })
  | (Span & { k: 'exists'; v: ValueNode })
  | (Span & {
      k: 'cmp';
      op: CmpOp;
      quant?: 'any' | 'all';
      a: ValueNode;
      b: ValueNode;
      opStart: number;
      opEnd: number;
      opText: string;
      deprecated?: boolean;
    })
  | (Span & { k: 'in'; a: ValueNode; items: SetItem[]; negated: boolean; quant?: 'any' | 'all' });
