import { ExperimentError } from '../errors.js';

/**
 * A comma-separated list option, each item parsed by `parseItem`. An item given twice (`--ratios 0.5,0.5`, also
 * `0.5,.50` or `--seeds 1,01`: equal once parsed) is refused: the sweep would plan the same run twice, train it once
 * and could record it twice.
 */
export function list<T>(raw: unknown, flag: string, fallback: T[], parseItem: (s: string) => T): T[] {
  if (raw === undefined) return fallback;
  const items = String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length)
    throw new ExperimentError(
      `--${flag} ${JSON.stringify(String(raw))} is invalid: expected a comma-separated list; fix: e.g. --${flag} ${fallback.join(',')}`,
    );
  const values = items.map(parseItem);
  const seen = new Map<string, string>();
  values.forEach((v, i) => {
    const k = JSON.stringify(v);
    const first = seen.get(k);
    if (first !== undefined) {
      const same = first === items[i] ? `${items[i]} is given twice` : `${first} and ${items[i]} are the same value`;
      throw new ExperimentError(
        `--${flag} ${String(raw)}: ${same}, which would plan the same runs twice; fix: give each ${flag.replace(/ies$/, 'y').replace(/s$/, '')} once`,
      );
    }
    seen.set(k, items[i]!);
  });
  return values;
}

/** Decimal notation only (as the numeric flags): Number() would also take '0x1', '1e-0' is fine. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function ratioItem(flag: string) {
  return (s: string): number => {
    const v = DECIMAL.test(s) ? Number(s) : Number.NaN;
    if (!(Number.isFinite(v) && v >= 0 && v < 1))
      throw new ExperimentError(
        `--${flag}: ${s} is invalid: expected numbers in [0, 1); fix: e.g. --${flag} 0.3,0.5,0.7`,
      );
    return v;
  };
}

export function seedItem(s: string): number {
  const v = /^\d+$/.test(s) ? Number(s) : Number.NaN;
  if (!Number.isSafeInteger(v) || v > 4294967295)
    throw new ExperimentError(
      `--seeds: ${s} is invalid: expected integers in [0, 4294967295]; fix: e.g. --seeds 0,1,2`,
    );
  return v;
}
