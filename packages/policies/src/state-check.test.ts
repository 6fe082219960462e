import { describe, expect, it } from 'vitest';
import { createPruner, Pruner, type PrunerState } from './pruner.js';
import { PrunerError } from './errors.js';
import { policyNames, registerPolicy } from './registry.js';
import type { Policy } from './types.js';

const N = 40;
const base = { datasetSize: N, totalEpochs: 6, seed: 3 };
const configOf = (policy: string) => ({
  ...base,
  policy,
  pruneRatio: policy === 'full' ? 0 : 0.5,
  ...(policy === 'static' ? { scores: Float32Array.from({ length: N }, (_, i) => i) } : {}),
});

/** A pruner of `policy` after two epochs of observed losses and the third epoch's selection, and its state. */
function trained(
  policy: string,
  config: Record<string, unknown> = configOf(policy),
): { pruner: Pruner; state: PrunerState } {
  const pruner = createPruner(config as never);
  for (let e = 0; e < 2; e++) {
    const { indices } = pruner.select(e);
    pruner.observe(
      indices,
      Array.from(indices, (i) => 0.1 + ((i + e) % 7) / 3),
    );
  }
  pruner.select(2);
  return { pruner, state: JSON.parse(JSON.stringify(pruner.state())) as PrunerState };
}

/** The PrunerError createPruner throws for `state` (fails the test if it accepts it). */
function refusal(config: Record<string, unknown>, state: unknown): PrunerError {
  try {
    createPruner(config as never, state as PrunerState);
  } catch (e) {
    expect(e).toBeInstanceOf(PrunerError);
    return e as PrunerError;
  }
  throw new Error(`state accepted: ${JSON.stringify(state).slice(0, 200)}`);
}

/** A base64 float32 array with entry `i` replaced by `v`. */
function withFloat(b64: string, i: number, v: number): string {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const f = new Float32Array(bytes.buffer);
  f[i] = v;
  return btoa(String.fromCharCode(...new Uint8Array(f.buffer)));
}

describe('saved states are refused, naming the field, when edited', () => {
  it.each(policyNames())(
    '%s: unknown fields at the top, in current and in the policy state [27:6.pruner-state-unknown-fields]',
    (policy) => {
      const config = configOf(policy);
      const { state } = trained(policy);
      expect(refusal(config, { ...state, extra: 1 }).field).toBe('state.extra');
      if (state.current)
        expect(refusal(config, { ...state, current: { ...state.current, bogus: true } }).field).toBe(
          'state.current.bogus',
        );
      if (state.policy !== null && typeof state.policy === 'object' && !Array.isArray(state.policy)) {
        expect(refusal(config, { ...state, policy: { ...state.policy, bogus: 1 } }).field).toBe('state.policy.bogus');
        const [first] = Object.keys(state.policy);
        const { [first!]: _dropped, ...fewer } = state.policy;
        expect(refusal(config, { ...state, policy: fewer }).field).toBe(`state.policy.${first}`);
      }
      // The untouched state still loads and continues identically.
      const again = createPruner(config as never, state);
      expect(Array.from(again.select(3).indices)).toEqual(Array.from(trained(policy).pruner.select(3).indices));
    },
  );

  it.each(['ucb', 'importance', 'epsilon-greedy', 'infobatch', 'orderdp', 'seta'])(
    '%s: statistics for more samples than the losses observed [27:6.pruner-state-changed-values]',
    (policy) => {
      const config = configOf(policy);
      const { state } = trained(policy);
      const e = refusal(config, { ...state, observed: 0 });
      expect(e.field).toBe('state.observed');
      expect(e.message).toMatch(
        /state\.observed = 0 is invalid: expected at least \d+: the policy's statistics hold losses of \d+ samples/,
      );
    },
  );

  it("ucb: a NaN injected into an observed sample's mean (its variance says it was observed) [27:6.pruner-state-nan]", () => {
    // Two full-data epochs: every sample observed twice, with different losses, so its variance is > 0.
    const config = { ...configOf('ucb'), warmupEpochs: 2 };
    const { state } = trained('ucb', config);
    const policyState = state.policy as { mean: string; variance: string };
    const variance = new Float32Array(Uint8Array.from(atob(policyState.variance), (c) => c.charCodeAt(0)).buffer);
    const i = variance.findIndex((v) => v > 0);
    expect(i).toBeGreaterThanOrEqual(0);
    const e = refusal(config, {
      ...state,
      policy: { ...policyState, mean: withFloat(policyState.mean, i, Number.NaN) },
    });
    expect(e.field).toBe(`state.policy.mean[${i}]`);
    // NaN where NaN is never allowed (a variance) names its entry too.
    expect(
      refusal(config, {
        ...state,
        policy: { ...policyState, variance: withFloat(policyState.variance, 0, Number.NaN) },
      }).field,
    ).toBe('state.policy.variance[0]');
  });

  it('a selection saved at an epoch that is not a re-selection epoch [27:6.pruner-state-changed-values]', () => {
    const config = { ...configOf('random'), interval: 2 };
    const { state } = trained('random', config);
    expect(state.current?.epoch).toBe(2);
    const e = refusal(config, { ...state, current: { ...state.current!, epoch: 1 } });
    expect(e.field).toBe('state.current.epoch');
    expect(e.message).toMatch(/expected a re-selection epoch \(0, then every 2\)/);
  });
});

describe('select() and registerPolicy() refuse what they would silently ignore or crash on later', () => {
  it('select refuses an unknown shard option (a misspelt dropLast would be ignored) [27:6.select-unknown-options]', () => {
    const p = createPruner({ policy: 'random', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 0 });
    expect(() => p.select(0, { rank: 0, worldSize: 2, droplast: true } as never)).toThrow(
      /^shard\.droplast = true is invalid: expected no such field \(shard has rank, worldSize, dropLast\); fix: .+$/,
    );
    expect(p.select(0, { rank: 1, worldSize: 2, dropLast: true }).indices.length).toBe(2);
  });

  const valid: Policy = {
    name: 'test-valid',
    summary: 'for the test',
    optionNames: [],
    parseOptions: () => ({}),
    create: () => ({
      bytesPerSample: 0,
      choose: () => ({ indices: new Uint32Array(0) }),
      observe: () => {},
      state: () => null,
      load: () => {},
    }),
  };
  it.each([
    [
      'parseOptions',
      { parseOptions: undefined },
      /^policy\.parseOptions = undefined is invalid: expected a function \(policy 'x'\); fix: define parseOptions in the policy object .+$/,
    ],
    ['create', { create: 'no' }, /^policy\.create = "no" is invalid: expected a function/],
    ['summary', { summary: undefined }, /^policy\.summary = undefined is invalid: expected a one-line string/],
    ['optionNames', { optionNames: 'c' }, /^policy\.optionNames = "c" is invalid: expected an array of option names/],
    [
      'describeOptions',
      { describeOptions: 1 },
      /^policy\.describeOptions = 1 is invalid: expected a function, or left out/,
    ],
    ['name', { name: '' }, /^policy\.name = "" is invalid: expected a non-empty string; fix: .+$/],
  ])(
    'registerPolicy refuses a policy with a bad %s [27:6.register-policy-no-parse-options]',
    (_member, change, message) => {
      expect(() => registerPolicy({ ...valid, name: 'x', ...change } as never)).toThrow(message);
      expect(policyNames()).not.toContain('x');
    },
  );
});
