import { Registry } from '@dp/internal/registry';
import { PrunerError } from './errors.js';
import type { Policy } from './types.js';
import { epsilonGreedy } from './policies/epsilon-greedy.js';
import { full } from './policies/full.js';
import { importance } from './policies/importance.js';
import { infobatch } from './policies/infobatch.js';
import { orderdp } from './policies/orderdp.js';
import { ramp } from './policies/ramp.js';
import { random } from './policies/random.js';
import { repb } from './policies/repb.js';
import { reweightedPool } from './policies/reweighted-pool.js';
import { seta } from './policies/seta.js';
import { staticPolicy } from './policies/static.js';
import { ucb } from './policies/ucb.js';

const registry = new Registry<Policy<any>>(
  'policy',
  'unregisterPolicy',
  (r) => new PrunerError(r.field, r.value, r.allowed, r.fix),
);

/**
 * Register a policy under its name. Registering the very same object again is a no-op; a different policy under a
 * taken name is a PrunerError (unregisterPolicy(name) first to replace one on purpose).
 */
export function registerPolicy(policy: Policy<any>): void {
  checkPolicy(policy);
  registry.register(policy);
}

/** Remove the policy registered as `name` (a built-in too); whether there was one. */
export function unregisterPolicy(name: string): boolean {
  return registry.unregister(name);
}

/**
 * Every member the Pruner calls must be there, with the right type, when the policy is registered: a missing
 * parseOptions (or a misspelt optionNames) would otherwise surface as a raw TypeError at the first createPruner.
 */
function checkPolicy(policy: Policy<any>): void {
  if (policy === null || typeof policy !== 'object')
    throw new PrunerError(
      'policy',
      policy,
      'a Policy object { name, summary, optionNames, parseOptions, create }',
      'pass a Policy object (see the policies README, "Custom policies")',
    );
  const p = policy as unknown as Record<string, unknown>;
  if (typeof p.name !== 'string' || p.name.trim() === '')
    throw new PrunerError('policy.name', p.name, 'a non-empty string');
  const of = ` (policy '${p.name}')`;
  if (typeof p.summary !== 'string') throw new PrunerError('policy.summary', p.summary, `a one-line string${of}`);
  if (!Array.isArray(p.optionNames) || !p.optionNames.every((n) => typeof n === 'string' && n !== '')) {
    throw new PrunerError('policy.optionNames', p.optionNames, `an array of option names, [] for none${of}`);
  }
  for (const m of ['parseOptions', 'create'] as const) {
    if (typeof p[m] !== 'function')
      throw new PrunerError(
        `policy.${m}`,
        p[m],
        `a function${of}`,
        `define ${m} in the policy object (see the policies README, "Custom policies")`,
      );
  }
  for (const m of ['describeOptions', 'checkPruneRatio', 'isFullDataEpoch'] as const) {
    if (p[m] !== undefined && typeof p[m] !== 'function')
      throw new PrunerError(
        `policy.${m}`,
        p[m],
        `a function, or left out${of}`,
        `make ${m} a function, or leave it out`,
      );
  }
}

/** The policy registered under `name`; throws a PrunerError listing the known names. */
export function getPolicy(name: unknown): Policy<any> {
  const p = registry.get(name);
  if (!p)
    throw new PrunerError(
      'policy',
      name,
      `one of ${policyNames().join(', ')}`,
      'use one of those names, or registerPolicy() your own policy first',
    );
  return p;
}

/** Names of all registered policies, in registration order. */
export function policyNames(): string[] {
  return registry.names();
}

for (const p of [
  full,
  random,
  epsilonGreedy,
  ucb,
  importance,
  infobatch,
  staticPolicy,
  orderdp,
  repb,
  seta,
  ramp,
  reweightedPool,
])
  registerPolicy(p);
