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
import { seta } from './policies/seta.js';
import { staticPolicy } from './policies/static.js';
import { ucb } from './policies/ucb.js';

const registry = new Map<string, Policy<any>>();

/** Register a policy under its name (throws if the name is taken). */
export function registerPolicy(policy: Policy<any>): void {
  if (policy === null || typeof policy !== 'object' || typeof policy.name !== 'string' || policy.name === '' || typeof policy.create !== 'function') {
    throw new PrunerError('policy', policy, 'a Policy object with a non-empty name and create()');
  }
  if (registry.has(policy.name)) throw new PrunerError('policy', policy.name, 'a name not registered yet');
  registry.set(policy.name, policy);
}

/** The policy registered under `name`; throws a PrunerError listing the known names. */
export function getPolicy(name: unknown): Policy<any> {
  const p = typeof name === 'string' ? registry.get(name) : undefined;
  if (!p) throw new PrunerError('policy', name, `one of ${policyNames().join(', ')}`);
  return p;
}

/** Names of all registered policies, in registration order. */
export function policyNames(): string[] {
  return [...registry.keys()];
}

for (const p of [full, random, epsilonGreedy, ucb, importance, infobatch, staticPolicy, orderdp, repb, seta, ramp]) registerPolicy(p);
