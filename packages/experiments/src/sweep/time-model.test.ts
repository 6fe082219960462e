import { describe, expect, it } from 'vitest';
import { expectedWork, latestStretch, STRETCH_GAP_MINUTES, sweepEta } from './time-model.js';
import { DEFAULTS, type RunConfig } from '../config/config.js';
import type { RunSummary } from '../run/summary.js';

describe('the sweep ETA', () => {
  const cfg = (policy: string, pruneRatio: number, policyOptions = {}): RunConfig => ({
    ...DEFAULTS,
    epochs: 10,
    policy,
    pruneRatio,
    policyOptions,
  });
  const done = (c: RunConfig, trainedFraction: number) => ({ config: c, trainedFraction }) as unknown as RunSummary;

  it('weights a run by epochs × the share of the data it will train', () => {
    expect(expectedWork(cfg('full', 0), [])).toBeCloseTo(10);
    expect(expectedWork(cfg('ucb', 0.7), [])).toBeCloseTo(3);
    // InfoBatch chooses its own share: 1 - ratio until a finished run of the same setting measured it.
    expect(expectedWork(cfg('infobatch', 0.7), [])).toBeCloseTo(3);
    const measured = [
      done(cfg('infobatch', 0.7), 0.6),
      done(cfg('infobatch', 0.7), 0.7),
      done(cfg('infobatch', 0.5), 0.75),
    ];
    expect(expectedWork(cfg('infobatch', 0.7), measured)).toBeCloseTo(6.5);
    // Options that change the share (annealing) are another setting.
    expect(expectedWork(cfg('infobatch', 0.7, { annealEpochs: 2 }), measured)).toBeCloseTo(3);
    // A ratio not run yet: the part of their ratios the finished runs really pruned, (1 − 0.6) / 0.7, (1 − 0.7) / 0.7
    // and (1 − 0.75) / 0.5 (mean 0.5), applied to 0.6: 1 − 0.6 × 0.5 = 0.7 of the data.
    expect(expectedWork(cfg('infobatch', 0.6), measured)).toBeCloseTo(7);
    // For a fixed-size policy that is 1 − r again.
    expect(expectedWork(cfg('ucb', 0.5), [done(cfg('ucb', 0.7), 0.3)])).toBeCloseTo(5);
    // The equal-steps baseline of 10 epochs at 0.7 is full data for 3 epochs: 3 epochs of work.
    expect(
      expectedWork({ ...cfg('full', 0), epochs: 3, equalSteps: { epochs: 10, pruneRatio: 0.7 } }, [
        done(cfg('full', 0), 1),
      ]),
    ).toBeCloseTo(3);
  });

  it("prices the runs left at the finished runs' own recorded seconds (training per unit of work, evaluation per pass)", () => {
    const run = (
      c: RunConfig,
      trainedFraction: number,
      trainingSeconds: number,
      evalSeconds: number,
      scoringSeconds = 0,
    ) =>
      ({
        config: c,
        trainedFraction,
        trainingSeconds,
        evalSeconds,
        scoringSeconds,
        epochs: Array.from({ length: c.epochs }, (_, e) => ({ epoch: e, testAccuracy: 0.5 })),
      }) as unknown as RunSummary;
    // A full-data run (10 units of work in 90 s, 10 evaluations in 10 s) that this process may only have resumed
    // for its last epoch, and a static run whose 500 s of charged scoring were spent elsewhere (3 units in 30 s,
    // 10 evaluations in 10 s): 120 s / 13 units of training, 1 s per evaluation.
    const finished = [run(cfg('full', 0), 1, 90, 10), run(cfg('static', 0.7), 0.3, 30, 10, 500)];
    const perUnit = 120 / 13;
    expect(sweepEta([cfg('ucb', 0.7)], finished)).toBeCloseTo(3 * perUnit + 10);
    expect(sweepEta([cfg('ucb', 0.7), cfg('full', 0)], finished)).toBeCloseTo(13 * perUnit + 20);
    // Evaluating every 4th epoch of 10: epochs 4, 8 and the last, 3 passes.
    expect(sweepEta([{ ...cfg('ucb', 0.7), evalEvery: 4 }], finished)).toBeCloseTo(3 * perUnit + 3);
    // Another setup (dataset, subset, batch size...) goes by its own finished runs; one without any by every finished run.
    const cifar = { ...cfg('full', 0), dataset: 'cifar10' };
    expect(sweepEta([{ ...cfg('ucb', 0.7), dataset: 'cifar10' }], [...finished, run(cifar, 1, 400, 20)])).toBeCloseTo(
      120 + 20,
    );
    expect(
      sweepEta(
        [{ ...cfg('ucb', 0.7), batchSize: 256 }],
        [...finished, run({ ...cfg('full', 0), batchSize: 256 }, 1, 50, 10)],
      ),
    ).toBeCloseTo(15 + 10);
    expect(sweepEta([{ ...cfg('ucb', 0.7), dataset: 'cifar10' }], finished)).toBeCloseTo(3 * perUnit + 10);
    expect(sweepEta([cfg('ucb', 0.7)], [])).toBe(0);
    expect(sweepEta([], finished)).toBe(0);
    // A run left with 6 of its 10 epochs in its checkpoint: 4 epochs of work and 4 evaluations remain; with
    // evaluation every 4th epoch, only epoch 8 and the last remain to evaluate.
    expect(sweepEta([cfg('ucb', 0.7)], finished, () => 6)).toBeCloseTo(0.4 * 3 * perUnit + 4);
    expect(sweepEta([{ ...cfg('ucb', 0.7), evalEvery: 4 }], finished, () => 6)).toBeCloseTo(0.4 * 3 * perUnit + 2);
    expect(sweepEta([cfg('ucb', 0.7)], finished, () => 10)).toBe(0);
  });

  it('goes by the latest stretch of runs: a sweep resumed on a faster machine is priced at its speed', () => {
    // Runs of 10 epochs of full data, `seconds` of training (and 10 s of evaluation), finished at `end` minutes.
    const at = (end: number, seconds: number, c = cfg('full', 0)) =>
      ({
        config: c,
        trainedFraction: 1,
        trainingSeconds: seconds,
        evalSeconds: 10,
        scoringSeconds: 0,
        finishedAt: new Date(Date.UTC(2026, 10, 1) + end * 60_000).toISOString(),
        epochs: Array.from({ length: c.epochs }, (_, e) => ({ epoch: e, testAccuracy: 0.5 })),
      }) as unknown as RunSummary;
    // Two runs back to back on a slow machine (1,190 s each: 20 min), a day's stop, then two twice as fast (10 min).
    const slow = [at(20, 1190), at(40, 1190)];
    const fast = [at(24 * 60 + 10, 590), at(24 * 60 + 20, 590)];
    expect(latestStretch([...slow, ...fast])).toEqual(fast);
    // Order in the file does not matter; a gap of up to STRETCH_GAP_MINUTES between one run's end and the next one's
    // start does not break the stretch, a longer one does.
    expect(latestStretch([fast[1]!, ...slow, fast[0]!])).toEqual(fast);
    const gap = STRETCH_GAP_MINUTES;
    expect(latestStretch([at(10, 590), at(20 + gap - 1, 590)])).toHaveLength(2);
    expect(latestStretch([at(10, 590), at(20 + gap + 1, 590)])).toHaveLength(1);
    // Results without finishing times (older files) all count; so does a single run.
    expect(latestStretch([{ ...slow[0]!, finishedAt: undefined } as unknown as RunSummary, ...fast])).toHaveLength(3);
    expect(latestStretch(slow.slice(0, 1))).toEqual(slow.slice(0, 1));
    // The price of a full run: the fast machine's 59 s per epoch of training and 1 s per evaluation, not the mean
    // of both machines (89 s per epoch).
    expect(sweepEta([cfg('full', 0)], [...slow, ...fast])).toBeCloseTo(590 + 10);
    // Runs of another setup in the latest stretch tell nothing about this one's speed: a setup with no run there
    // goes by its own latest stretch.
    const cifar = { ...cfg('full', 0), dataset: 'cifar10' };
    expect(sweepEta([cfg('full', 0)], [...slow, at(24 * 60 + 60, 5990, cifar)])).toBeCloseTo(1190 + 10);
    // Interleaved setups in one stretch (a sweep over two datasets) keep that stretch for both.
    const d = 2 * 24 * 60;
    const mixed = [at(d + 10, 590), at(d + 30, 590, cifar), at(d + 40, 590), at(d + 60, 590, cifar)];
    expect(latestStretch(mixed.filter((r) => r.config.dataset !== 'cifar10'))).toHaveLength(1);
    expect(sweepEta([cfg('full', 0)], [...slow, ...mixed])).toBeCloseTo(590 + 10);
  });
});
