import { DpError, isDpErrorNamed } from '@dp/internal/error';

export { DpError, isDpError, type DpErrorDetails } from '@dp/internal/error';

/**
 * A training problem the user can act on (invalid option, diverged loss, damaged checkpoint, ...):
 * `<problem>; fix: <fix>`. A DpError: recognise it across copies of the package with `TrainError.isInstance(e)`.
 */
export class TrainError extends DpError {
  override readonly name = 'TrainError';

  /** Whether `e` is a TrainError from any copy of @dp/trainer. */
  static override isInstance(e: unknown): e is TrainError {
    return isDpErrorNamed(e, 'TrainError');
  }
}
