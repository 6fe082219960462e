import { DpError, isDpErrorNamed } from '@dp/internal/error';

export { DpError, errorProblem, isDpError, type DpErrorDetails } from '@dp/internal/error';

/**
 * A data problem a user can fix: the message names the file or field, the problem, and the fix
 * (`<problem>; fix: <fix>`). A DpError: recognise it across copies of the package with `DataError.isInstance(e)`.
 */
export class DataError extends DpError {
  override readonly name = 'DataError';

  /** Whether `e` is a DataError from any copy of @dp/data. */
  static override isInstance(e: unknown): e is DataError {
    return isDpErrorNamed(e, 'DataError');
  }
}
