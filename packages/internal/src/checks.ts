/**
 * Range checks of numeric options and arguments, shared by the packages: each package passes the function that
 * builds its own error (PrunerError, ScoreError, ...) from (field, value, allowed).
 */
export type Refuse = (field: string, value: unknown, allowed: string) => Error;

/** `value` if it is an integer in [min, max], else throws `refuse(field, value, <the range in words>)`. */
export function checkIntWith(
  refuse: Refuse,
  field: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    // With no maximum of its own the range reads "an integer >= min", unless the value is too large for float64.
    const open = max === Number.MAX_SAFE_INTEGER && !(typeof value === 'number' && value > max);
    throw refuse(field, value, open ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`);
  }
  return value;
}

export interface NumberRange {
  minOpen?: boolean;
  maxOpen?: boolean;
}

/** `value` if it is a finite number in the range (bounds open when asked), else throws `refuse(...)`. */
export function checkNumberWith(
  refuse: Refuse,
  field: string,
  value: unknown,
  min: number,
  max: number,
  { minOpen = false, maxOpen = false }: NumberRange = {},
  noun = 'a number',
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minOpen ? value > min : value >= min) &&
    (maxOpen ? value < max : value <= max);
  if (!ok) {
    const lo = `${minOpen ? '(' : '['}${min}`;
    const hi = `${max === Infinity ? 'inf' : max}${maxOpen || max === Infinity ? ')' : ']'}`;
    throw refuse(field, value, `${noun} in ${lo}, ${hi}`);
  }
  return value;
}
