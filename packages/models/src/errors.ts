import { DpError, isDpErrorNamed } from '@dp/internal/error';

export { DpError, isDpError, type DpErrorDetails } from '@dp/internal/error';

/**
 * A model problem the user can fix (unknown name, bad option, incompatible weights): `<problem>; fix: <fix>`. A
 * DpError: recognise it across copies of the package with `ModelError.isInstance(e)`.
 */
export class ModelError extends DpError {
  override readonly name = 'ModelError';

  /** Whether `e` is a ModelError from any copy of @dp/models. */
  static override isInstance(e: unknown): e is ModelError {
    return isDpErrorNamed(e, 'ModelError');
  }
}
