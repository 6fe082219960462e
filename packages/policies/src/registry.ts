import { PrunerError } from './errors.js';
import type { Policy } from './types.js';
import { full } from './policies/full.js';
import { random } from './policies/random.js';

const registry = new Map<string, Policy<any>>();

/** Register a policy under its name (throws if the name is taken). */
export function registerPolicy(policy: Policy<any>): void {
  if (registry.has(policy.name)) throw new PrunerError('policy', policy.name, 'a name not registered yet');
  registry.set(policy.name, policy);
}

/** The policy registered under `name`; throws a PrunerError listing the known names. */
export function getPolicy(name: unknown): Policy<any> {
  const p = typeof name === 'string' ? registry.get(name) : undefined;
  if (!p) throw new PrunerError('policy', name, `one of ${policyNames().join(', ')}`);
  return p;
}

/** Names of all registered policies. */
export function policyNames(): string[] {
  return [...registry.keys()];
}

for (const p of [full, random]) registerPolicy(p);
