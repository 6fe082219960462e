import { ScoreError, invalid } from './errors.js';

/** Check that `raw` is a plain object whose keys are all among `optionNames` of score `name`. */
export function readOptions(name: string, optionNames: readonly string[], raw: unknown): Record<string, unknown> {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalid('options', raw, 'an object of score options');
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined && !optionNames.includes(key)) {
      const known = optionNames.length ? optionNames.join(', ') : 'none';
      throw new ScoreError(
        `option '${key}' = ${JSON.stringify(value) ?? String(value)} is not an option of score '${name}'`,
        `remove it (options of '${name}': ${known})`,
        key,
      );
    }
  }
  return raw as Record<string, unknown>;
}
