// Completions for the filter bar: protocol and field names (with their display names, types and
// descriptions) for the word being typed, function names, and the value-string names of a field
// after a comparison operator (`dns.qry.type == ` → A, AAAA, …).
import { fieldList, fieldsByAbbrev, type Field } from '../dissect/fields';
import { FUNCTIONS } from './functions';

export interface Completion {
  label: string;
  kind: 'protocol' | 'field' | 'function' | 'value';
  detail?: string;
  description?: string;
}

/** Most suggestions one call returns. */
export const MAX_COMPLETIONS = 500;

const OPERATOR =
  /([A-Za-z0-9_.-]+)\s*(==|!=|===|!==|>=|<=|>|<|\beq\b|\bne\b|\bgt\b|\bge\b|\blt\b|\ble\b|\bany_eq\b|\ball_ne\b|\ball_eq\b|\bany_ne\b)\s*([A-Za-z0-9_-]*)$/;
const IN_SET = /([A-Za-z0-9_.-]+)\s+in\s*\{[^}]*?([A-Za-z0-9_-]*)$/;

export function filterCompletions(prefix: string): Completion[] {
  const text = prefix.slice(-4096);
  const cmp = OPERATOR.exec(text) ?? IN_SET.exec(text);
  if (cmp) {
    const f = fieldsByAbbrev.get(cmp[1]!);
    const partial = (cmp[3] ?? cmp[2] ?? '').toLowerCase();
    if (f) return valueCompletions(f, partial);
  }
  const m = /([A-Za-z0-9_.-]*)$/.exec(text);
  const word = m ? m[1]! : '';
  const out: Completion[] = [];
  const lower = word.toLowerCase();
  for (const f of fieldList) {
    if (!f.abbrev.toLowerCase().startsWith(lower)) continue;
    // After `ip.` offer ip's fields; at the top level offer protocols first.
    out.push(fieldCompletion(f));
  }
  out.sort((a, b) => rank(a, word) - rank(b, word) || a.label.localeCompare(b.label));
  if (!word.includes('.'))
    for (const fn of FUNCTIONS)
      if (fn.name.startsWith(lower))
        out.push({
          label: `${fn.name}(`,
          kind: 'function',
          detail: fn.signature,
          description: fn.description,
        });
  return out.slice(0, MAX_COMPLETIONS);
}

function rank(c: Completion, word: string): number {
  // Shallower names first: `tcp` before `tcp.port` before `tcp.options.mss_val`.
  const depth = c.label.split('.').length - word.split('.').length;
  return (c.kind === 'protocol' ? 0 : 1) + Math.max(0, depth) * 2;
}

function fieldCompletion(f: Field): Completion {
  const c: Completion = {
    label: f.abbrev,
    kind: f.type === 'protocol' ? 'protocol' : 'field',
    detail: f.type,
    description: f.blurb ? `${f.name} — ${f.blurb}` : f.name,
  };
  return c;
}

function valueCompletions(f: Field, partial: string): Completion[] {
  const out: Completion[] = [];
  if (f.vals) {
    for (const [k, v] of Object.entries(f.vals)) {
      // Names with spaces cannot be written unquoted; offer the number then.
      const label = /^[A-Za-z0-9_-]+$/.test(v) ? v : k;
      if (!v.toLowerCase().startsWith(partial) && !k.startsWith(partial)) continue;
      out.push({ label, kind: 'value', detail: k, description: v });
    }
  } else if (f.type === 'bool') {
    for (const [label, v] of [
      ['1', 'True'],
      ['0', 'False'],
    ] as const)
      out.push({ label, kind: 'value', detail: label, description: v });
  }
  return out.slice(0, MAX_COMPLETIONS);
}
