// A display filter that cannot be compiled: the message (worded as tshark 4.0 words it where
// tshark has an equivalent) and where in the expression the problem is.

export class FilterError extends Error {
  constructor(
    message: string,
    /** 0-based `[start, end)` in the expression, in UTF-16 units. */
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
    this.name = 'FilterError';
  }
}

/** tshark's two-line pointer under the expression: the text, then `^~~~` under the span. */
export function caretLines(expr: string, start: number, end: number, indent = '    '): string {
  const s = Math.max(0, Math.min(start, expr.length));
  const len = Math.max(1, Math.min(end, expr.length + 1) - s);
  return `${indent}${expr}\n${indent}${' '.repeat(s)}^${'~'.repeat(len - 1)}`;
}
