/** A usage error: printed as one line `dp: error: ...` with exit code 2 (or `exitCode`, e.g. 130 after Ctrl-C). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
