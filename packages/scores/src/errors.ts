/**
 * The one error class @dp/scores throws. The message is always `<problem>; fix: <fix>`.
 * `field` names the offending argument or option when there is one.
 */
export class ScoreError extends Error {
  override readonly name = 'ScoreError';
  constructor(
    readonly problem: string,
    readonly fix: string,
    readonly field?: string,
  ) {
    super(`${problem}; fix: ${fix}`);
  }
}

/** Short, bounded rendering of a value for error messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'function') return 'a function';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A ScoreError for a bad argument/option: `<field> = <value> is invalid: expected <allowed>; fix: <fix>`. */
export function invalid(field: string, value: unknown, allowed: string, fix = `pass ${allowed}`): ScoreError {
  return new ScoreError(`${field} = ${show(value)} is invalid: expected ${allowed}`, fix, field);
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInt(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, value, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`);
  }
  return value;
}

/** Throws unless `value` is a finite number in [min, max] (bounds open when asked). */
export function checkNumber(
  field: string,
  value: unknown,
  min: number,
  max: number,
  { minOpen = false, maxOpen = false }: { minOpen?: boolean; maxOpen?: boolean } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minOpen ? value > min : value >= min) &&
    (maxOpen ? value < max : value <= max);
  if (!ok) {
    const lo = `${minOpen ? '(' : '['}${min}`;
    const hi = `${max === Infinity ? 'inf' : max}${maxOpen || max === Infinity ? ')' : ']'}`;
    throw invalid(field, value, `a finite number in ${lo}, ${hi}`);
  }
  return value;
}
