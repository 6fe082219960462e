import { ExperimentError } from './errors.js';

/** A numeric option: checks it parses and lies in [min, max] (integer if asked). */
export function num(
  values: Record<string, string | boolean | undefined>,
  name: string,
  fallback: number,
  {
    min = -Infinity,
    max = Infinity,
    integer = false,
    minOpen = false,
    maxOpen = false,
  }: { min?: number; max?: number; integer?: boolean; minOpen?: boolean; maxOpen?: boolean } = {},
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  // Decimal notation only: Number() would also take '0x10' (16) and '' (0).
  const v =
    typeof raw === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim()) ? Number(raw) : Number.NaN;
  const ok =
    typeof raw === 'string' &&
    raw.trim() !== '' &&
    Number.isFinite(v) &&
    (minOpen ? v > min : v >= min) &&
    (maxOpen ? v < max : v <= max) &&
    (!integer || Number.isInteger(v));
  if (!ok) {
    const kind = integer ? 'an integer' : 'a number';
    const hi = max === Infinity ? '' : maxOpen ? ` and < ${max}` : ` and <= ${max}`;
    throw new ExperimentError(
      `--${name} ${String(raw)} is invalid: expected ${kind} ${minOpen ? '>' : '>='} ${min}${hi}; fix: give --${name} a value in that range`,
    );
  }
  return v;
}
