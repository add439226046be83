// Bad command-line usage: reported as one line `wirelens: reason`, exit status 2.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Each command-line argument with a function that takes the next argument as its value
 * (`--out DIR`); a missing value is a UsageError naming the option.
 */
export function* withValues(args: string[]): Generator<[arg: string, value: () => string]> {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    yield [
      a,
      () => {
        const v = args[++i];
        if (v === undefined) throw new UsageError(`option ${a} needs a value`);
        return v;
      },
    ];
  }
}
