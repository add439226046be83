// As-you-type validation for the filter bar: valid (green), invalid with the error's position
// (red), or suspicious (yellow: valid but with warnings such as `!=` on a field that occurs
// several times, or deprecated syntax).
import { fieldsByAbbrev } from '../dissect/fields';
import { compileFilter, type FilterProblemInfo } from './compile';
import { FilterError } from './errors';
import { tokenize } from './lexer';

export interface FilterCheckResult {
  status: 'valid' | 'suspicious' | 'invalid';
  error?: FilterProblemInfo;
  warnings: FilterProblemInfo[];
}

export function checkFilter(expr: string): FilterCheckResult {
  try {
    const c = compileFilter(expr);
    const warnings = [...c.warnings];
    return { status: warnings.length ? 'suspicious' : 'valid', warnings };
  } catch (e) {
    if (e instanceof FilterError)
      return { status: 'invalid', error: { message: e.message, start: e.start, end: e.end }, warnings: [] };
    return {
      status: 'invalid',
      error: {
        message: `Internal error: ${e instanceof Error ? e.message : String(e)}`,
        start: 0,
        end: expr.length,
      },
      warnings: [],
    };
  }
}

/** Field names the expression reads through `${…}` (to decode the selected packet for them). */
export function filterReferences(expr: string): string[] {
  try {
    return tokenize(expr)
      .filter((t) => t.kind === 'ref' && fieldsByAbbrev.has(t.text))
      .map((t) => t.text);
  } catch {
    return [];
  }
}
