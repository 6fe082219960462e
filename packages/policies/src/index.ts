export { createPruner, Pruner } from './pruner.js';
export type { PrunerConfig, PrunerState, Selection, ShardOptions } from './pruner.js';
export { PrunerError } from './errors.js';
export { getPolicy, policyNames, registerPolicy } from './registry.js';
export { Rng } from './rng.js';
export type { RngState } from './rng.js';
export type { Choice, Json, Policy, PolicyContext, PolicyInstance } from './types.js';
