/** A set-up problem the user can fix: names the field or step, the value, and the fix. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
  constructor(
    message: string,
    /** What to do about it. */
    readonly fix: string,
    /** The option or step at fault. */
    readonly field: string,
  ) {
    super(`${message}; fix: ${fix}`);
  }
}
