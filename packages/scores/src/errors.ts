import { checkIntWith, checkNumberWith, type NumberRange } from '@dp/internal/checks';
import { DpError, invalidProblem, isDpErrorNamed } from '@dp/internal/error';

export { DpError, isDpError, show } from '@dp/internal/error';

/**
 * The one error class @dp/scores throws (a DpError: recognise it across copies of the package with
 * `ScoreError.isInstance(e)`). The message is always `<problem>; fix: <fix>`. `field` names the offending argument or
 * option when there is one, with the `value` given and what was `allowed` for a bad value.
 */
export class ScoreError extends DpError {
  override readonly name = 'ScoreError';

  constructor(problem: string, fix: string, field?: string, bad?: { value: unknown; allowed: string }) {
    super(problem, fix, { ...(field === undefined ? {} : { field }), ...bad });
  }

  /** Whether `e` is a ScoreError from any copy of @dp/scores. */
  static override isInstance(e: unknown): e is ScoreError {
    return isDpErrorNamed(e, 'ScoreError');
  }
}

/** A ScoreError for a bad argument/option: `<field> = <value> is invalid: expected <allowed>; fix: <fix>`. */
export function invalid(field: string, value: unknown, allowed: string, fix = `pass ${allowed}`): ScoreError {
  return new ScoreError(invalidProblem(field, value, allowed), fix, field, { value, allowed });
}

const refuse = (field: string, value: unknown, allowed: string) => invalid(field, value, allowed);

/** Throws unless `value` is an integer in [min, max]. */
export function checkInt(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return checkIntWith(refuse, field, value, min, max);
}

/** Throws unless `value` is a finite number in [min, max] (bounds open when asked). */
export function checkNumber(field: string, value: unknown, min: number, max: number, range: NumberRange = {}): number {
  return checkNumberWith(refuse, field, value, min, max, range, 'a finite number');
}
