import { getPolicy, policyNames } from '@dp/policies';
import { describe, expect, it } from 'vitest';
import { AUTO_POLICY, autoPolicyNote, RECOMMENDED_PRUNE_RATIO, resolveAuto } from './auto-policy.js';
import { validateRunConfig } from './config.js';
import { configFromFlags } from './flags.js';
import { fullDataMethod, recommendedMethod, roleOf, uniformMethod } from './methods.js';
import { checkMethod } from '../run/plan.js';

describe('--policy auto', () => {
  it('is the one policy whose metadata says it is recommended, a pruning policy', () => {
    const recommended = policyNames().filter((n) => getPolicy(n).recommended !== undefined);
    expect(recommended).toEqual([recommendedMethod()]);
    expect(roleOf(recommendedMethod())).toBe('pruning');
    expect(resolveAuto(AUTO_POLICY)).toBe(recommendedMethod());
    expect(resolveAuto(uniformMethod())).toBe(uniformMethod());
  });

  it('resolves in the run config, so config.json and the run key name the policy trained', () => {
    const cfg = validateRunConfig({ policy: AUTO_POLICY, pruneRatio: 0.7 });
    expect(cfg.policy).toBe(recommendedMethod());
    expect(cfg.pruneRatio).toBe(0.7);
    expect(validateRunConfig(JSON.parse(JSON.stringify(cfg)) as Record<string, unknown>)).toEqual(cfg);
  });

  it('trains at the recommended ratio unless --prune-ratio, and says once which policy it chose and why', () => {
    const notes: string[] = [];
    const cfg = configFromFlags({ policy: AUTO_POLICY, epochs: '4' }, undefined, (n) => notes.push(n));
    expect(cfg).toMatchObject({ policy: recommendedMethod(), pruneRatio: RECOMMENDED_PRUNE_RATIO, epochs: 4 });
    expect(notes).toEqual([autoPolicyNote(cfg)]);
    expect(notes[0]).toContain(
      `--policy ${AUTO_POLICY}: ${recommendedMethod()} @ ${RECOMMENDED_PRUNE_RATIO}, the recommended policy: `,
    );
    expect(notes[0]).toContain(getPolicy(recommendedMethod()).recommended);
    expect(notes[0]).toContain(`packages/policies/docs/${recommendedMethod()}.md`);
    expect(configFromFlags({ policy: AUTO_POLICY, 'prune-ratio': '0.7' }).pruneRatio).toBe(0.7);
    // Another policy says nothing.
    notes.length = 0;
    configFromFlags({ policy: uniformMethod() }, undefined, (n) => notes.push(n));
    configFromFlags({}, undefined, (n) => notes.push(n));
    expect(notes).toEqual([]);
  });

  it('is a --policies item too, and a near miss is refused with auto among the names', () => {
    expect(checkMethod(AUTO_POLICY)).toBe(recommendedMethod());
    expect(() => checkMethod('autoo')).toThrow(/policy = "autoo" is invalid: expected one of .*, auto; fix: /);
    expect(() => configFromFlags({ policy: 'autoo' })).toThrow(/^unknown policy "autoo"; fix: use one of .*, auto$/);
    expect(() => configFromFlags({ policy: AUTO_POLICY, 'prune-ratio': '1' })).toThrow(/prune-ratio/);
    expect(fullDataMethod()).not.toBe(recommendedMethod());
  });
});
