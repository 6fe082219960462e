import { Registry } from '@dp/internal/registry';
import { invalid, ScoreError } from './errors.js';
import { batchLoss } from './scores/batch-loss.js';
import { el2n } from './scores/el2n.js';
import { forgetting } from './scores/forgetting.js';
import { grandLastLayer } from './scores/grand-last-layer.js';
import { grand } from './scores/grand.js';
import { lossEma } from './scores/loss-ema.js';
import { loss } from './scores/loss.js';
import type { Score } from './types.js';
import { validateScore } from './validate.js';

/** The built-in scores, in listing order. */
export const BUILTIN_SCORES: readonly Score[] = [loss, lossEma, el2n, grand, grandLastLayer, forgetting, batchLoss];

const registry = new Registry<Score>('score', 'unregisterScore', (r) => invalid(r.field, r.value, r.allowed, r.fix));

/**
 * Register a score under its name. Registering the very same object again is a no-op; a different score
 * with a taken name is an error (unregisterScore(name) first to replace one on purpose).
 */
export function registerScore(score: Score): Score {
  return registry.register(validateScore(score));
}

/** Remove the score registered as `name` (a built-in too); whether there was one. */
export function unregisterScore(name: string): boolean {
  return registry.unregister(name);
}

/** The score registered as `name`; a ScoreError listing the known names otherwise. */
export function getScore(name: unknown): Score {
  const s = registry.get(name);
  if (!s) {
    throw new ScoreError(
      `unknown score ${JSON.stringify(name) ?? String(name)}`,
      `use one of ${scoreNames().join(', ')}, or load a plug-in package with loadScorePlugin('<package>')`,
      'score',
    );
  }
  return s;
}

/** Names of all registered scores (built-ins first, then plug-ins in load order). */
export function scoreNames(): string[] {
  return registry.names();
}

/** Shortcut: `getScore(name).create(datasetSize, options)`. */
export function createScoreTracker(name: string, datasetSize: number, options?: Record<string, unknown>) {
  return getScore(name).create(datasetSize, options);
}

for (const s of BUILTIN_SCORES) registerScore(s);
