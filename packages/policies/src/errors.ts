import { checkIntWith, checkNumberWith, type NumberRange } from '@dp/internal/checks';
import { DpError, invalidProblem, isDpErrorNamed } from '@dp/internal/error';

export { DpError, isDpError } from '@dp/internal/error';

/**
 * The one error class every @dp/policies validation failure throws (a DpError: recognise it across copies of the
 * package with `PrunerError.isInstance(e)`). `field` names the offending option or argument, `value` is what was
 * given, `allowed` says what would have been accepted, `fix` what to do.
 */
export class PrunerError extends DpError {
  override readonly name = 'PrunerError';
  declare readonly field: string;
  declare readonly value: unknown;
  declare readonly allowed: string;

  constructor(field: string, value: unknown, allowed: string, fix = defaultFix(field, allowed)) {
    super(invalidProblem(field, value, allowed), fix, { field, value, allowed });
  }

  /** Whether `e` is a PrunerError from any copy of @dp/policies. */
  static override isInstance(e: unknown): e is PrunerError {
    return isDpErrorNamed(e, 'PrunerError');
  }
}

/**
 * The fix of a throw site that names none, by the kind of field: a saved state can only be fixed by passing the state
 * `Pruner.state()` returned, an argument or option by giving a value in its range.
 */
function defaultFix(field: string, allowed: string): string {
  if (field === 'state' || field.startsWith('state.')) {
    return 'pass the state Pruner.state() returned, unchanged, to a pruner created with the same config (or start without a state)';
  }
  return `give ${field} ${allowed}`;
}

/**
 * An option's value, or `fallback` when it was left out. Only `undefined` means "left out": `null` (or any other
 * value) goes on to validation and is rejected there, never silently replaced by the default.
 */
export function orDefault<T>(value: unknown, fallback: T): unknown {
  return value === undefined ? fallback : value;
}

const refuse = (field: string, value: unknown, allowed: string) => new PrunerError(field, value, allowed);

/** Throws a PrunerError unless `value` is an integer in [min, max]. */
export function checkInt(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return checkIntWith(refuse, field, value, min, max);
}

/** Throws a PrunerError unless `value` is a finite number in the given range. */
export function checkNumber(field: string, value: unknown, min: number, max: number, range: NumberRange = {}): number {
  return checkNumberWith(refuse, field, value, min, max, range);
}
