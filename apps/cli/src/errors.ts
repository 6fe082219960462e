/** A usage error: printed as one line `dp: error: ...` with exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
