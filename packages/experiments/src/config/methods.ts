import {
  COMMON_OPTION_DEFAULTS,
  getPolicy,
  policyNames,
  PrunerError,
  type Json,
  type Policy,
  type PolicyInput,
} from '@dp/policies';
import { EQUAL_STEPS } from './equal-steps.js';

/**
 * What the experiment layer needs to know about a method, from the policy's metadata (or, for equal-steps, the
 * experiment layer's own method), so no code branches on a policy's name:
 * - 'full-data': the reference run of a setting (speed-ups and accuracy changes are measured against it; ratio 0);
 * - 'matched-steps': full data for the optimizer steps of a run pruned at r (equal-steps.ts), a baseline per ratio;
 * - 'uniform': the uniform-random reference a pruning method is compared with at its ratio;
 * - 'pruning': every other policy.
 */
export type MethodRole = 'full-data' | 'matched-steps' | 'uniform' | 'pruning';

export interface MethodInfo {
  name: string;
  role: MethodRole;
  /** What its selection reads (a 'score-file' method needs --score-file). */
  consumes: PolicyInput;
  /** The options it takes: the common schedule options and its own (none for the baselines). */
  optionNames: readonly string[];
  /** Its options' defaults, the common ones included. */
  defaults: Readonly<Record<string, Json>>;
}

/** equal-steps as a method: full data (no options), trained for the steps of a pruned run. */
const EQUAL_STEPS_INFO: MethodInfo = {
  name: EQUAL_STEPS,
  role: 'matched-steps',
  consumes: 'nothing',
  optionNames: [],
  defaults: {},
};

function fromPolicy(p: Policy): MethodInfo {
  const role: MethodRole = p.baseline ? 'full-data' : p.reference ? 'uniform' : 'pruning';
  return {
    name: p.name,
    role,
    consumes: p.consumes ?? 'losses',
    optionNames: [...Object.keys(COMMON_OPTION_DEFAULTS), ...p.optionNames],
    defaults: { ...COMMON_OPTION_DEFAULTS, ...(p.defaults ?? {}) },
  };
}

/** The method `name` (a registered policy or equal-steps); throws PrunerError for an unknown name. */
export function methodInfo(name: string): MethodInfo {
  return name === EQUAL_STEPS ? EQUAL_STEPS_INFO : fromPolicy(getPolicy(name));
}

/** The method's info, or undefined for a name this process does not know (a plug-in that is not loaded). */
export function knownMethod(name: string): MethodInfo | undefined {
  try {
    return methodInfo(name);
  } catch (e) {
    if (e instanceof PrunerError) return undefined;
    throw e;
  }
}

/** Every method a run can name: the registered policies, then equal-steps. */
export function methodNames(): string[] {
  return [...policyNames(), EQUAL_STEPS];
}

/** The role of a method by name ('pruning' for one this process does not know). */
export function roleOf(name: string): MethodRole {
  return knownMethod(name)?.role ?? 'pruning';
}

/** Whether a method trains all the data (the full-data and equal-steps baselines) rather than selecting a subset. */
export function isBaseline(name: string): boolean {
  const role = roleOf(name);
  return role === 'full-data' || role === 'matched-steps';
}

/** The registered full-data policy (the one that declares `baseline: true`): the default policy of a run. */
export function fullDataMethod(): string {
  const name = policyNames().find((n) => getPolicy(n).baseline);
  if (!name) throw new Error('no registered policy declares baseline: true (the full-data reference)');
  return name;
}

/** The registered policy whose metadata sets `flag` (the first in registration order), or undefined. */
function policyWith(flag: 'reference' | 'recommended'): string | undefined {
  return policyNames().find((n) => {
    const v = getPolicy(n)[flag];
    return v !== undefined && v !== false;
  });
}

/** The registered uniform-random reference (the one that declares `reference: true`). */
export function uniformMethod(): string {
  const name = policyWith('reference');
  if (!name) throw new Error('no registered policy declares reference: true (the uniform-random reference)');
  return name;
}

/**
 * The recommended policy: the one built-in whose metadata says why it is `recommended` (`dp train --policy auto`, the
 * default of `dp compare`; its method card holds the evidence). The lead moves the recommendation by moving that one
 * metadata line from one policy to another.
 */
export function recommendedMethod(): string {
  const name = policyWith('recommended');
  if (!name) throw new Error('no registered policy declares `recommended` (the policy users get by default)');
  return name;
}

/** Whether the method reads a score file (--score-file). */
export function consumesScoreFile(name: string): boolean {
  return knownMethod(name)?.consumes === 'score-file';
}
