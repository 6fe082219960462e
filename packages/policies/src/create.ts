import type { BuiltinPolicyName, CustomPrunerConfig, PrunerConfig, PrunerFor } from './config.js';
import { createPruner as construct, type Pruner, type PrunerState } from './pruner.js';

/**
 * Create a pruner; pass a saved `state()` to continue a run with exactly the same future selections.
 *
 * A built-in policy's config is checked at compile time: `policy` must be a built-in name, and only the common options
 * and that policy's own options, with their types, compile. The pruner's `options` then have the policy's types.
 */
export function createPruner<P extends BuiltinPolicyName>(
  config: PrunerConfig & { policy: P },
  saved?: PrunerState,
): PrunerFor<P>;
/**
 * Create a pruner for a registered policy, or from a name only known at run time: `config` is a `CustomPrunerConfig`
 * whose `policy` is typed `string` (not a literal), checked at run time only.
 */
export function createPruner<P extends string>(
  config: CustomPrunerConfig & { policy: P } & (string extends P ? unknown : { policy: never }),
  saved?: PrunerState,
): Pruner;
export function createPruner(config: PrunerConfig | CustomPrunerConfig, saved?: PrunerState): Pruner {
  // Validated at run time (unknown policies and options, types and ranges) whichever overload matched.
  return construct(config as PrunerConfig, saved);
}
