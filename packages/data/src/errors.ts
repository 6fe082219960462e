/** A data problem a user can fix: the message names the file or field, the problem, and the fix. */
export class DataError extends Error {
  override readonly name = 'DataError';
  /** The message without its fix. */
  readonly problem: string;
  constructor(message: string, readonly fix?: string) {
    super(fix ? `${message}; fix: ${fix}` : message);
    this.problem = message;
  }
}

/**
 * What went wrong in `e`, on one line, for a DataError that wraps it with a fix of its own: a DataError's problem
 * without its fix, any other error's message with line breaks collapsed.
 */
export function errorProblem(e: unknown): string {
  const text = e instanceof DataError ? e.problem : e instanceof Error ? e.message : String(e);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
