/**
 * The one error class @dp/distributed throws for problems a user can act on: a DpError (the error model of every dp
 * package). The message is always `<field> = <value> is invalid: expected <allowed>; fix: <fix>` for configuration,
 * or `<problem>; fix: <fix>` for runtime failures (a peer down, the native addon missing), where `field` names the
 * worker or the component.
 */
import { DpError, invalidProblem, isDpErrorNamed } from '@dp/internal/error';

export { DpError, isDpError, type DpErrorDetails } from '@dp/internal/error';

export class DistributedError extends DpError {
  override readonly name = 'DistributedError';
  /** TensorFlow's status code name when the failure came from TensorFlow ('TF_UNAVAILABLE', ...). */
  readonly code?: string;

  constructor(problem: string, fix: string, field?: string, value?: unknown, code?: string) {
    super(problem, fix, { ...(field !== undefined ? { field } : {}), ...(field !== undefined ? { value } : {}) });
    if (code !== undefined) this.code = code;
  }

  /** A configuration error: `field = value is invalid: expected allowed; fix: fix`. */
  static invalid(field: string, value: unknown, allowed: string, fix: string): DistributedError {
    const e = new DistributedError(invalidProblem(field, value, allowed), fix, field, value);
    (e as { allowed?: string }).allowed = allowed;
    return e;
  }

  /** Whether `e` is a DistributedError from any copy of @dp/distributed. */
  static override isInstance(e: unknown): e is DistributedError {
    return isDpErrorNamed(e, 'DistributedError');
  }
}
