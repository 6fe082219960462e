import { isDpError } from '@dp/trainer';
import { describeFsError } from '../fs.js';

/** JavaScript's own error classes: a bug, to be shown with its stack. */
const BUILTIN = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'AggregateError',
]);

/**
 * An error a package raises about its input (ExperimentError, DataError, ModelError, PrunerError, ScoreError,
 * TrainError, ...): every dp package's errors carry the DpError brand; others are recognised by shape (an Error of a
 * named class of its own, without a system error's string `code`), so a second copy of a package (or a new error
 * class) needs no change here.
 */
export function isUserError(e: unknown): e is Error & { exitCode?: number } {
  if (isDpError(e)) return true;
  return (
    e instanceof Error &&
    !BUILTIN.has(e.name) &&
    /Error$/.test(e.name) &&
    typeof (e as { code?: unknown }).code !== 'string'
  );
}

/**
 * The message as the one line every `dp: error:` is: line breaks collapsed, and a fix. The errors dp and its packages
 * raise name their own fix; one that does not (a library error reached in a way nobody foresaw) still points at the
 * command's help rather than leaving the user with the problem alone.
 */
export function errorLine(message: string, command: string): string {
  const line = message.replace(/\s*\n\s*/g, ' ').trim();
  return /(^|; |\. )fix: /.test(line) ? line : `${line}; fix: see \`dp ${command} --help\``;
}

/**
 * How a command shows an error it stopped on: a user error (its own exit code, else 2) or a file-system error (1) as
 * one line with a fix; undefined for anything else, a bug the caller rethrows (its stack is what helps then).
 */
export function explainError(e: unknown, command: string): { line: string; exitCode: number } | undefined {
  if (isUserError(e))
    return { line: errorLine(e.message, command), exitCode: typeof e.exitCode === 'number' ? e.exitCode : 2 };
  const fsError = describeFsError(e);
  return fsError ? { line: errorLine(fsError, command), exitCode: 1 } : undefined;
}
