import { describe, expect, it } from 'vitest';
import { getPolicy, policyNames, PrunerError, registerPolicy, unregisterPolicy } from './index.js';

describe('the policy registry (the rule every dp registry shares)', () => {
  it('re-registering the same policy is a no-op; a different one under a taken name is a PrunerError with a fix', () => {
    const ucb = getPolicy('ucb');
    registerPolicy(ucb);
    expect(policyNames().filter((n) => n === 'ucb')).toHaveLength(1);
    const impostor = { ...ucb };
    expect(() => registerPolicy(impostor)).toThrow(PrunerError);
    expect(() => registerPolicy(impostor)).toThrow(
      /^policy\.name = "ucb" is invalid: .*; fix: .*unregisterPolicy\("ucb"\) first/,
    );
    expect(getPolicy('ucb')).toBe(ucb);
  });

  it('unregisterPolicy frees the name, so a replacement can be registered on purpose', () => {
    const random = getPolicy('random');
    const replacement = { ...random, summary: 'a replacement' };
    try {
      expect(unregisterPolicy('random')).toBe(true);
      registerPolicy(replacement);
      expect(getPolicy('random')).toBe(replacement);
    } finally {
      unregisterPolicy('random');
      registerPolicy(random);
    }
    expect(getPolicy('random')).toBe(random);
  });
});
