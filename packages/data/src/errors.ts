/** A data problem a user can fix: the message names the file or field, the problem, and the fix. */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(message: string, readonly fix?: string) {
    super(fix ? `${message}; fix: ${fix}` : message);
  }
}
