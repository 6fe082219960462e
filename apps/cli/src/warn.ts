/**
 * Print a warning the run survives, as one line `dp: warning: ...` on stderr (the counterpart of the one-line
 * `dp: error: ...`). `before` runs first, e.g. to finish a progress bar so the warning gets its own line.
 */
export function warn(message: string, before?: () => void): void {
  before?.();
  process.stderr.write(`dp: warning: ${message}\n`);
}
