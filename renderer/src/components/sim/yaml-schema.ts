// Key completion for the topology and scenario editors from the simulator's JSON Schemas: the
// path of mapping keys above the cursor (from indentation, and the keys of enclosing `{ … }`
// flow maps on the line) is followed through `properties`, `additionalProperties`, `items`
// and `oneOf`, and the properties found there are offered.
export type Schema = Record<string, unknown>;

export interface KeySuggestion {
  key: string;
  description?: string;
  /** For enum-valued keys, the values. */
  values?: string[];
}

function branches(s: Schema | undefined): Schema[] {
  if (!s) return [];
  const out = [s];
  for (const b of (s.oneOf as Schema[] | undefined) ?? []) out.push(...branches(b));
  return out;
}

/** Steps one path segment: a key (string) or a list item (`-`). */
function stepInto(schemas: Schema[], seg: string): Schema[] {
  const out: Schema[] = [];
  for (const s of schemas.flatMap(branches)) {
    if (seg === '-') {
      if (s.items) out.push(...branches(s.items as Schema));
      continue;
    }
    const props = s.properties as Record<string, Schema> | undefined;
    if (props?.[seg]) out.push(...branches(props[seg]));
    else if (s.additionalProperties && typeof s.additionalProperties === 'object')
      out.push(...branches(s.additionalProperties as Schema));
  }
  return out;
}

/** Property names (with descriptions and enum values) at `path` in `schema`. */
export function keysAt(schema: Schema, path: string[]): KeySuggestion[] {
  let here = branches(schema);
  for (const seg of path) here = stepInto(here, seg);
  const seen = new Map<string, KeySuggestion>();
  for (const s of here) {
    const props = s.properties as Record<string, Schema> | undefined;
    for (const [key, v] of Object.entries(props ?? {})) {
      if (seen.has(key)) continue;
      const k: KeySuggestion = { key };
      if (typeof v.description === 'string') k.description = v.description;
      if (Array.isArray(v.enum)) k.values = v.enum.map(String);
      seen.set(key, k);
    }
  }
  return [...seen.values()];
}

/**
 * The key path at the end of `before` (the text up to the cursor): block-style keys of lines
 * with less indentation above, `- ` list items, then the keys of `{` flow maps still open on
 * the cursor's line.
 */
export function pathAt(before: string): string[] {
  const lines = before.split('\n');
  const current = lines.pop() ?? '';
  let indent = current.search(/\S|$/);
  const path: string[] = [];
  // The cursor's own line: a list item dash opens an item.
  const ownDash = /^\s*- /.test(current);
  for (let i = lines.length - 1; i >= 0 && indent > 0; i--) {
    const line = lines[i]!;
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const lead = line.search(/\S/);
    if (lead >= indent) continue;
    const m = /^(\s*)(- )?([\w./-]+):/.exec(line);
    const dash = /^\s*- /.test(line);
    // `- key: …`: the key sits at the dash's indent + 2; it encloses the cursor only when less
    // indented than the cursor's line, else the cursor is another key of the same item.
    const keyIndent = dash ? line.indexOf('-') + 2 : lead;
    if (m && keyIndent < indent) path.unshift(m[3]!);
    if (dash) path.unshift('-');
    indent = lead;
  }
  if (ownDash) path.push('-');
  // Flow maps on this line: `A: { kind: host, interfaces: { eth0: {` → A, interfaces, eth0.
  // Each open bracket holds the segments it adds (its key, and `-` for a list).
  const stack: string[][] = [];
  let lastKey = '';
  for (const m of current.matchAll(/([\w./-]+)\s*:|[{}[\]]/g)) {
    const t = m[0];
    if (m[1]) lastKey = m[1];
    else if (t === '{' || t === '[') {
      const segs = lastKey ? [lastKey] : [];
      if (t === '[') segs.push('-');
      stack.push(segs);
      lastKey = '';
    } else stack.pop();
  }
  return [...path, ...stack.flat()];
}
