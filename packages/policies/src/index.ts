export { Pruner } from './pruner.js';
export { createPruner } from './create.js';
export type { PrunerState, ResolvedConfig } from './pruner.js';
export type {
  BuiltinPolicyName,
  BuiltinPolicyOptions,
  CommonPrunerConfig,
  CustomPrunerConfig,
  PolicyConfig,
  PolicyConfigOptions,
  PrunerConfig,
  PrunerFor,
  StaticScores,
} from './config.js';
export type {
  Choice,
  Json,
  Policy,
  PolicyContext,
  PolicyInput,
  PolicyInstance,
  Selection,
  ShardOptions,
} from './types.js';
export { LATEST_SAMPLER, SAMPLER_VERSIONS } from './sampler.js';
export type { SamplerVersion } from './sampler.js';
export { COMMON_OPTION_DEFAULTS } from './common-options.js';
export { DpError, isDpError, PrunerError } from './errors.js';
export { getPolicy, policyNames, registerPolicy, unregisterPolicy } from './registry.js';
export { Rng, streamRng } from './rng.js';
export type { RngState } from './rng.js';
export { createLossEma, emaMeans, emaVariances, isObserved, updateLossEma } from './ema.js';
export type { LossEma } from './ema.js';
export { shardOf, shardSlack } from './shard.js';
export { floatsToKeys, partitionTop, UNSEEN_KEY } from './top-k.js';
export { hashFloat32 } from './codec.js';
export { keepCount } from './count.js';
export { MAX_LOSS } from './validate.js';
export type { FullOptions } from './policies/full.js';
export type { RandomOptions } from './policies/random.js';
export type { EpsilonGreedyOptions } from './policies/epsilon-greedy.js';
export type { UcbOptions } from './policies/ucb.js';
export type { InfoBatchOptions } from './policies/infobatch.js';
export type { OrderDpOptions } from './policies/orderdp.js';
export type { StaticOptions } from './policies/static.js';
export type { ImportanceOptions } from './policies/importance.js';
export type { RepbOptions } from './policies/repb.js';
export type { SetaOptions } from './policies/seta.js';
export type { RampOptions } from './policies/ramp.js';
export { rampKeep } from './policies/ramp.js';
export type { ReweightedPoolOptions } from './policies/reweighted-pool.js';
export { reweightedPoolKeep, reweightedPoolTail } from './policies/reweighted-pool.js';
export { inclusionProbabilities, systematicSample } from './pps.js';
