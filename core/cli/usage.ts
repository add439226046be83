// Bad command-line usage: reported as one line `wirelens: reason`, exit status 2.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
