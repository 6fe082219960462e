import { getPolicy } from '@dp/policies';
import { describeMethod } from './equal-steps.js';
import { recommendedMethod } from './methods.js';

/**
 * `--policy auto` (and `"policy": "auto"` in a config file): the recommended policy, the one built-in whose metadata
 * says it is `recommended` (methods.ts recommendedMethod). Resolved when the run config is validated, so config.json,
 * the run's key and its results name the policy really trained, never 'auto'.
 */
export const AUTO_POLICY = 'auto';

/**
 * The prune ratio of `--policy auto` without --prune-ratio, and of `dp compare` without --ratios: 50%, the ratio of
 * the project's first goal (within 0.3 points of full-data accuracy for at least 2× less training, issue 23) and the
 * ratio the recommendation was made at.
 */
export const RECOMMENDED_PRUNE_RATIO = 0.5;

/** The policy a method name stands for: the recommended policy for `auto`, the name itself otherwise. */
export function resolveAuto(name: string): string {
  return name === AUTO_POLICY ? recommendedMethod() : name;
}

/** What `dp train --policy auto` tells the user once: which policy it chose, and why. */
export function autoPolicyNote(cfg: { policy: string; pruneRatio: number; epochs: number }): string {
  return (
    `--policy ${AUTO_POLICY}: ${describeMethod(cfg)}, the recommended policy: ${getPolicy(cfg.policy).recommended ?? ''}` +
    ` (evidence and limits: packages/policies/docs/${cfg.policy}.md)`
  );
}
