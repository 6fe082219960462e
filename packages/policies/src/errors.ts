/**
 * The one error class every @dp/policies validation failure throws.
 * `field` names the offending option or argument, `value` is what was given,
 * `allowed` says what would have been accepted.
 */
export class PrunerError extends Error {
  override readonly name = 'PrunerError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${field} = ${show(value)} is invalid: expected ${allowed}`);
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * An option's value, or `fallback` when it was left out. Only `undefined` means "left out": `null` (or any other
 * value) goes on to validation and is rejected there, never silently replaced by the default.
 */
export function orDefault<T>(value: unknown, fallback: T): unknown {
  return value === undefined ? fallback : value;
}

/** Throws a PrunerError unless `value` is an integer in [min, max]. */
export function checkInt(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    // With no maximum of its own the range reads "an integer >= min", unless the value is too large for float64.
    const range = max === Number.MAX_SAFE_INTEGER && !(typeof value === 'number' && value > max) ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new PrunerError(field, value, range);
  }
  return value;
}

/** Throws a PrunerError unless `value` is a finite number in the given range. */
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
    throw new PrunerError(field, value, `a number in ${lo}, ${hi}`);
  }
  return value;
}
