import type { Measured } from './cost-model.js';

/** The median of repeated measurements with their lowest and highest values (a single one: itself). */
export function measured(xs: readonly number[]): Measured {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const value = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { value, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}
