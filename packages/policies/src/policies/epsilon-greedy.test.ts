import { describe, expect, it } from 'vitest';
import { hashFloat32 } from '../codec.js';
import { createPruner, PrunerError, type PrunerConfig } from '../index.js';
import { createPrunerWithSampler, fakeLoss, trainEpoch } from '../testing/helpers.js';
import { scheduledEpsilon } from './epsilon-greedy.js';

/** Hash of every epoch's ids and of the final JSON state (fingerprint included) of a run trained on `loss`. */
function runDigest(config: PrunerConfig, loss: (id: number, epoch: number) => number): string {
  // Digests recorded before selection-algorithm versions existed: version 1 (whose state has no `sampler` field).
  const p = createPrunerWithSampler(config, 1);
  const words: number[] = [];
  for (let e = 0; e < config.totalEpochs; e++) words.push(...trainEpoch(p, e, loss).indices);
  for (const ch of JSON.stringify(p.state())) words.push(ch.charCodeAt(0));
  return hashFloat32(new Float32Array(Uint32Array.from(words).buffer));
}

const N = 200;
const topIds = (scores: Float32Array, g: number) =>
  [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, g);

describe('epsilon-greedy', () => {
  it('chooses at least ceil((1-ε)k) of the top scores, k in all', () => {
    for (const epsilon of [0, 0.1, 0.37, 0.5, 1]) {
      for (const seed of [1, 2, 3]) {
        const p = createPruner({
          policy: 'epsilon-greedy',
          datasetSize: N,
          pruneRatio: 0.6,
          totalEpochs: 3,
          seed,
          warmupEpochs: 1,
          epsilon,
        });
        trainEpoch(p, 0, (id) => fakeLoss(seed, id, 0)); // full-data warm-up: every sample observed, distinct scores
        const chosen = new Set(p.select(1).indices);
        const k = 80;
        const g = Math.ceil((1 - epsilon) * k);
        expect(chosen.size).toBe(k);
        for (const id of topIds(p.scores()!, g)) expect(chosen.has(id)).toBe(true);
        if (epsilon === 0) expect([...chosen].sort()).toEqual(topIds(p.scores()!, k).sort());
      }
    }
  });

  it('explores uniformly: each non-greedy sample is drawn with probability (k-g)/(N-g)', () => {
    const counts = new Array(N).fill(0);
    const runs = 300;
    const k = 100;
    const g = 75;
    let greedy: Set<number> | undefined;
    for (let seed = 0; seed < runs; seed++) {
      const p = createPruner({
        policy: 'epsilon-greedy',
        datasetSize: N,
        pruneRatio: 0.5,
        totalEpochs: 2,
        seed,
        warmupEpochs: 1,
        epsilon: 0.25,
      });
      trainEpoch(p, 0, (id) => id); // score = id: the greedy set is ids 125..199
      greedy ??= new Set(topIds(p.scores()!, g));
      for (const id of p.select(1).indices) counts[id]++;
    }
    const p = (k - g) / (N - g);
    for (let id = 0; id < N; id++) {
      if (greedy!.has(id)) expect(counts[id]).toBe(runs);
      else expect(Math.abs(counts[id] / runs - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / runs));
    }
  });

  it('scores are the EMA of the observed losses; never-observed samples are chosen first', () => {
    const p = createPruner({
      policy: 'epsilon-greedy',
      datasetSize: N,
      pruneRatio: 0.5,
      totalEpochs: 3,
      seed: 5,
      decay: 0.5,
      epsilon: 0,
    });
    const first = trainEpoch(p, 0, () => 100); // huge losses on the first half...
    const second = new Set(p.select(1).indices); // ...still lose to the never-observed half
    for (const id of first.indices) expect(second.has(id)).toBe(false);
    p.observe([first.indices[0]!], [0]);
    expect(p.scores()![first.indices[0]!]).toBe(50);
    expect(Number.isNaN(p.scores()![[...second][0]!])).toBe(true);
  });

  it("the default schedule 'constant' is bit for bit the policy before schedules: selections, state and fingerprint", () => {
    // Digests recorded with the code before `epsilonSchedule` existed (session 9).
    expect(
      runDigest(
        { policy: 'epsilon-greedy', datasetSize: 500, pruneRatio: 0.7, totalEpochs: 6, seed: 11, warmupEpochs: 1 },
        (id, e) => fakeLoss(5, id, e),
      ),
    ).toBe('f32:5044:84181e3274a4304f');
    expect(
      runDigest(
        {
          policy: 'epsilon-greedy',
          datasetSize: 333,
          pruneRatio: 0.4,
          totalEpochs: 5,
          seed: -2,
          epsilon: 0.37,
          decay: 0.5,
          interval: 2,
          epsilonSchedule: 'constant',
        },
        (id, e) => fakeLoss(6, id, e) ** 2,
      ),
    ).toBe('f32:4171:def68a21721e07ba');
    const p = createPruner({ policy: 'epsilon-greedy', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1 });
    expect(p.options).toEqual({ epsilon: 0.1, decay: 0.9, epsilonSchedule: 'constant' });
    expect(JSON.parse(p.state().fingerprint).options).toEqual({ epsilon: 0.1, decay: 0.9 });
  });

  describe('ε schedules', () => {
    const opts = (epsilonSchedule: 'linear' | 'exponential', epsilonFinal = 0.01) => ({
      epsilon: 0.1,
      epsilonSchedule,
      epsilonFinal,
    });

    it('decay from ε at epoch 0 to ε_final at the last epoch: linear halfway at the middle, exponential at the geometric mean', () => {
      // 11 epochs: 0 .. 10, the middle is epoch 5.
      expect([0, 5, 10].map((e) => scheduledEpsilon(opts('linear'), e, 11))).toEqual([
        0.1,
        expect.closeTo(0.055, 15),
        0.01,
      ]);
      expect([0, 5, 10].map((e) => scheduledEpsilon(opts('exponential'), e, 11))).toEqual([
        0.1,
        expect.closeTo(Math.sqrt(0.1 * 0.01), 15),
        0.01,
      ]);
      expect(scheduledEpsilon(opts('exponential'), 1, 11)).toBeCloseTo((0.1 * 0.01 ** 0.1) / 0.1 ** 0.1, 15); // ratio 10^-0.1 per epoch
      for (let e = 1; e <= 10; e++) {
        for (const kind of ['linear', 'exponential'] as const)
          expect(scheduledEpsilon(opts(kind), e, 11)).toBeLessThan(scheduledEpsilon(opts(kind), e - 1, 11));
      }
      expect(scheduledEpsilon({ epsilon: 0.3, epsilonSchedule: 'constant' }, 7, 11)).toBe(0.3);
      expect(scheduledEpsilon(opts('linear'), 0, 1)).toBe(0.1); // a one-epoch run: epoch 0 is the start
    });

    it('each re-selection uses the ε of its epoch: the same choice as a constant ε of that value', () => {
      // N = 200, k = 100: ε = 0.1, 0.091, 0.055, 0.01 at epochs 0, 1, 5, 10 give 10, 9, 5 and 1 random places.
      for (const [epoch, epsilon, random] of [
        [0, 0.1, 10],
        [1, 0.091, 9],
        [5, 0.055, 5],
        [10, 0.01, 1],
      ] as const) {
        const config = {
          policy: 'epsilon-greedy',
          datasetSize: N,
          pruneRatio: 0.5,
          totalEpochs: 11,
          seed: 3,
          warmupEpochs: epoch,
        };
        const scheduled = createPruner({ ...config, epsilonSchedule: 'linear', epsilonFinal: 0.01 });
        const constant = createPruner({ ...config, epsilon });
        for (let e = 0; e < epoch; e++)
          for (const p of [scheduled, constant]) trainEpoch(p, e, (id, ep) => fakeLoss(8, id, ep));
        const chosen = scheduled.select(epoch).indices;
        expect(chosen).toEqual(constant.select(epoch).indices);
        if (epoch > 0) {
          // Every sample observed (full-data warm-up): the top 100 - random scores are all in.
          const top = new Set(topIds(scheduled.scores()!, 100 - random));
          expect([...chosen].filter((id) => top.has(id)).length).toBe(100 - random);
        }
      }
    });

    it('ends at ε / 10 unless set; the state keeps the same shape, the fingerprint names the schedule', () => {
      const base = {
        policy: 'epsilon-greedy',
        datasetSize: 50,
        pruneRatio: 0.5,
        totalEpochs: 4,
        seed: 2,
        epsilon: 0.2,
      };
      const p = createPruner({ ...base, epsilonSchedule: 'exponential' });
      expect(p.options).toEqual({ epsilon: 0.2, decay: 0.9, epsilonSchedule: 'exponential', epsilonFinal: 0.02 });
      expect(JSON.parse(p.state().fingerprint).options).toEqual({
        epsilon: 0.2,
        decay: 0.9,
        epsilonSchedule: 'exponential',
        epsilonFinal: 0.02,
      });
      for (let e = 0; e < 2; e++) trainEpoch(p, e, (id, ep) => fakeLoss(1, id, ep));
      const state = JSON.parse(JSON.stringify(p.state()));
      expect(Object.keys(state.policy)).toEqual(['mean']);
      const q = createPruner({ ...base, epsilonSchedule: 'exponential' }, state);
      for (let e = 2; e < 4; e++)
        expect(trainEpoch(q, e, (id, ep) => fakeLoss(1, id, ep))).toEqual(
          trainEpoch(p, e, (id, ep) => fakeLoss(1, id, ep)),
        );
      expect(() => createPruner(base, state)).toThrow(/state.fingerprint/); // another schedule: refused
      // The parsed options configure the same pruner again (what a resumed trainer does).
      expect(createPruner({ ...base, ...p.options }).options).toEqual(p.options);
    });

    it('rejects bad schedules and final values, naming field, value and range', () => {
      const base = { policy: 'epsilon-greedy', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1 };
      const bad = (extra: Record<string, unknown>, message: string | RegExp) => {
        expect(() => createPruner({ ...base, ...extra })).toThrow(PrunerError);
        expect(() => createPruner({ ...base, ...extra })).toThrow(message);
      };
      bad(
        { epsilonSchedule: 'cosine' },
        `epsilonSchedule = "cosine" is invalid: expected one of 'constant', 'linear', 'exponential'`,
      );
      bad(
        { epsilonSchedule: 'linear', epsilonFinal: 0.2 },
        'epsilonFinal = 0.2 is invalid: expected a number in [0, 0.1]',
      );
      bad({ epsilonSchedule: 'linear', epsilonFinal: -0.01 }, /epsilonFinal = -0.01/);
      bad(
        { epsilonSchedule: 'exponential', epsilonFinal: 0 },
        'epsilonFinal = 0 is invalid: expected a number in (0, 0.1]',
      );
      bad({ epsilonFinal: 0.01 }, /epsilonFinal = 0.01 is invalid: expected no value with epsilonSchedule 'constant'/);
      bad({ epsilonSchedule: 'linear', epsilonFinal: '0.01' }, /epsilonFinal = "0.01"/);
      // Allowed edge cases: linear to 0, and ε = 0 (nothing to decay) with either schedule.
      expect(createPruner({ ...base, epsilonSchedule: 'linear', epsilonFinal: 0 }).options.epsilonFinal).toBe(0);
      expect(createPruner({ ...base, epsilon: 0, epsilonSchedule: 'exponential' }).options.epsilonFinal).toBe(0);
    });
  });

  it('rejects ε outside [0, 1] and decay outside [0, 1)', () => {
    const base = { policy: 'epsilon-greedy', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1 };
    expect(() => createPruner({ ...base, epsilon: 1.5 })).toThrow(
      'epsilon = 1.5 is invalid: expected a number in [0, 1]',
    );
    expect(() => createPruner({ ...base, epsilon: -0.1 })).toThrow(/epsilon = -0.1/);
    expect(() => createPruner({ ...base, decay: 1 })).toThrow('decay = 1 is invalid: expected a number in [0, 1)');
  });
});
