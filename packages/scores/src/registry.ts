import { ScoreError } from './errors.js';
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

const registry = new Map<string, Score>();

/**
 * Register a score under its name. Registering the very same object again is a no-op; a different score
 * with a taken name is an error.
 */
export function registerScore(score: Score): Score {
  const s = validateScore(score);
  const existing = registry.get(s.name);
  if (existing === s) return s;
  if (existing) {
    throw new ScoreError(`a different score named '${s.name}' is already registered`, 'give the new score a name of its own', 'score.name');
  }
  registry.set(s.name, s);
  return s;
}

/** The score registered as `name`; a ScoreError listing the known names otherwise. */
export function getScore(name: unknown): Score {
  const s = typeof name === 'string' ? registry.get(name) : undefined;
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
  return [...registry.keys()];
}

/** Shortcut: `getScore(name).create(datasetSize, options)`. */
export function createScoreTracker(name: string, datasetSize: number, options?: Record<string, unknown>) {
  return getScore(name).create(datasetSize, options);
}

for (const s of BUILTIN_SCORES) registerScore(s);
