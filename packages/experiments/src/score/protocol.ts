import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { batches, type ImageDataset } from '@dp/data';
import { createPruner } from '@dp/policies';
import {
  averageScores,
  DEFAULT_SCORE_DEFAULTS,
  datasetFingerprint,
  getScore,
  loadScorePlugin,
  pixelFingerprint,
  scoreNames,
  ScoreError,
  type Score,
  type ScoreTracker,
} from '@dp/scores';
import { writeScoreFile } from '@dp/scores/node';
import { inferenceForward, InputConverter, train, type EpochReport } from '@dp/trainer';
import type { BackendInfo } from '../backend.js';
import { resolveAugment, type RunConfig } from '../config/config.js';
import { fullDataMethod } from '../config/methods.js';
import { buildRunModel, trainingOptions } from '../config/recipe.js';
import { ExperimentError } from '../errors.js';
import { num } from '../num.js';

/**
 * The static-scoring protocol: R short runs of K epochs on full data (seeds seed, seed+1, ...), each built and trained
 * by the run recipe (config/recipe.ts) so a score file is made as the runs it is compared with; every training sample
 * scored, during training (scores whose inputs all come from the training steps) or by a scoring pass after it; the
 * runs averaged; the seconds spent recorded in the score file, charged to the methods that use it.
 */

/** Run flags that mean nothing to scoring (its runs train on all the data and do not evaluate or checkpoint). */
export const NOT_SCORING_FLAGS = [
  'policy',
  'prune-ratio',
  'policy-option',
  'score-file',
  'test-subset',
  'eval-every',
  'checkpoint-every',
] as const;

/**
 * Load scoring plug-ins by package name (`dp score --score PACKAGE`), in order, before the method is chosen. `importer`
 * imports a package from the application's place (its node_modules), as @dp/scores `loadScorePlugin` takes it; a
 * plug-in refused is an ExperimentError with @dp/scores' reason and fix.
 */
export async function loadScorePlugins(
  specs: readonly string[],
  importer: (specifier: string) => Promise<unknown>,
): Promise<void> {
  try {
    for (const spec of specs) await loadScorePlugin(spec, { importer });
  } catch (e) {
    if (e instanceof ScoreError) throw new ExperimentError(e.message);
    throw e;
  }
}

/** Scores whose inputs all come from the training steps are updated during training; the others need a scoring pass. */
export function trainingTime(score: Score): boolean {
  return score.inputs.every((i) => i === 'losses' || i === 'batchLoss' || i === 'correct' || i === 'labels');
}

/** The score `name`, refused with the known ones (and the plug-in hint when none was loaded). */
export function scoreMethod(name: unknown, pluginsLoaded: boolean): Score {
  if (typeof name !== 'string')
    throw new ExperimentError(
      `--method is required: one of ${scoreNames().join(', ')}; fix: e.g. dp score --method ${scoreNames()[0]}`,
    );
  try {
    return getScore(name);
  } catch {
    throw new ExperimentError(
      `unknown --method '${name}'; fix: use one of ${scoreNames().join(', ')}${pluginsLoaded ? '' : ' (or load a plug-in with --score PACKAGE)'}`,
    );
  }
}

/** Epochs and runs of a scoring: the flags, else the score's own defaults (Score.defaults). */
export function scoringProtocol(score: Score, values: Record<string, unknown>): { epochs: number; runs: number } {
  const defaults = score.defaults ?? DEFAULT_SCORE_DEFAULTS;
  const v = values as Record<string, string | undefined>;
  const epochs = num(v, 'epochs', defaults.epochs, { min: 0, integer: true });
  const runs = num(v, 'runs', defaults.runs, { min: 1, integer: true });
  if (trainingTime(score) && epochs === 0)
    throw new ExperimentError(
      `--epochs 0 is invalid for --method ${score.name}: it is computed from training steps; fix: --epochs 1 or more`,
    );
  return { epochs, runs };
}

/** The default score file: scores/<dataset>[-n<subset>][-v<split>-s<seed>]-<method>-<model>-e<K>-r<R>.dpscore. */
export function defaultScoreFile(base: RunConfig, score: Score, epochs: number, runs: number): string {
  return join(
    'scores',
    `${base.dataset}${base.trainSubset ? `-n${base.trainSubset}` : ''}${base.valSplit ? `-v${base.valSplit}-s${base.seed}` : ''}-${score.name}-${base.model}-e${epochs}-r${runs}.dpscore`,
  );
}

/** What a scoring reports as it goes (the library prints nothing). */
export interface ScoringCallbacks {
  onWarning?(message: string): void;
  /** A training batch of run `run` (0-based) finished. */
  onTrainBatch?(run: number, p: { epoch: number; step: number; steps: number }): void;
  /** A training epoch of run `run` finished. */
  onEpoch?(run: number, r: EpochReport): void;
  /** Batch `done` of `total` of run `run`'s scoring pass finished. */
  onPassBatch?(run: number, done: number, total: number): void;
  /** Run `run`'s scoring pass finished. */
  onPass?(run: number): void;
}

/** One scoring run: train `epochs` epochs of full data by the run recipe, then score every sample. */
async function scoreOneRun(
  score: Score,
  cfg: RunConfig,
  epochs: number,
  data: ImageDataset,
  backend: BackendInfo,
  run: number,
  cb: ScoringCallbacks,
): Promise<Float32Array> {
  const { tf } = backend;
  const tracker: ScoreTracker = score.create(data.size);
  const model = buildRunModel(cfg, data);
  try {
    if (epochs > 0) {
      const pruner = createPruner({
        policy: fullDataMethod(),
        datasetSize: data.size,
        pruneRatio: 0,
        totalEpochs: epochs,
        seed: cfg.seed,
      });
      await train({
        model,
        train: data,
        pruner,
        options: trainingOptions(cfg, epochs),
        augment: resolveAugment(cfg),
        seed: cfg.seed,
        hooks: {
          onStep: trainingTime(score)
            ? (s) =>
                tracker.update({
                  ids: s.ids,
                  labels: s.labels,
                  losses: s.losses,
                  correct: s.correct.map((c) => (c > 0.5 ? 1 : 0)),
                  numClasses: data.numClasses,
                  epoch: s.epoch,
                })
            : undefined,
          onBatch: (p) => cb.onTrainBatch?.(run, p),
          onEpoch: (r) => cb.onEpoch?.(run, r),
        },
      });
    }
    if (!trainingTime(score)) {
      // The scoring pass: the model after `epochs` epochs, in inference mode, over every training sample.
      const tfjsScores = await import('@dp/scores/tfjs');
      const converter = new InputConverter(data);
      const size = score.inputs.includes('gradNorms') ? 64 : 500;
      const total = Math.ceil(data.size / size);
      // Logits-only scores (EL2N, loss, ...) run the network as one compiled native graph (--inference).
      const logitsOnly = !score.inputs.includes('gradNorms') && !score.inputs.includes('featureSqNorms');
      const net = logitsOnly ? await inferenceForward(model, cfg.inference, (m) => cb.onWarning?.(m)) : null;
      let k = 0;
      try {
        for (const b of batches(data, { batchSize: size })) {
          const x = converter.toTensor(b.images, data.shape);
          try {
            if (score.inputs.includes('gradNorms')) {
              tracker.update({
                ids: b.ids,
                labels: b.labels,
                gradNorms: tfjsScores.perSampleGradNorms(model, x, b.labels),
              });
            } else if (score.inputs.includes('featureSqNorms')) {
              const l = tfjsScores.lastLayerInputs(model, x);
              tracker.update({
                ids: b.ids,
                labels: b.labels,
                logits: l.logits,
                numClasses: l.numClasses,
                featureSqNorms: l.featureSqNorms,
              });
            } else {
              const logits = tf.tidy(() => net!.forward(x));
              tracker.update({
                ids: b.ids,
                labels: b.labels,
                logits: logits.dataSync() as Float32Array,
                numClasses: data.numClasses,
              });
              logits.dispose();
            }
          } finally {
            x.dispose();
          }
          cb.onPassBatch?.(run, ++k, total);
        }
      } finally {
        net?.dispose();
      }
      cb.onPass?.(run);
    }
    return tracker.values();
  } finally {
    model.dispose();
  }
}

/**
 * Score `data` (a run's training set) by the protocol and write the score file `out`: the averaged scores, the
 * protocol (how the runs trained, as `dp train` with the same options would), the dataset's fingerprints of labels and
 * pixels and the seconds spent. Returns the seconds.
 */
export async function scoreDataset(
  score: Score,
  base: RunConfig,
  protocol: { epochs: number; runs: number },
  data: ImageDataset,
  out: string,
  backend: BackendInfo,
  callbacks: ScoringCallbacks = {},
): Promise<{ seconds: number; scores: Float32Array }> {
  const { epochs, runs } = protocol;
  const started = performance.now();
  const perRun: Float32Array[] = [];
  const seeds: number[] = [];
  for (let r = 0; r < runs; r++) {
    const seed = base.seed + r;
    seeds.push(seed);
    perRun.push(await scoreOneRun(score, { ...base, seed }, epochs, data, backend, r, callbacks));
  }
  const scores = averageScores(perRun);
  const seconds = (performance.now() - started) / 1000;
  mkdirSync(dirname(out) || '.', { recursive: true });
  const header = {
    method: score.name,
    protocol: {
      epochs,
      runs,
      model: base.model,
      seeds,
      batchSize: base.batchSize,
      lr: base.lr,
      schedule: base.schedule,
      warmup: base.warmup,
      weightDecay: base.weightDecay,
      labelSmoothing: base.labelSmoothing,
      augment: resolveAugment(base),
    },
    dataset: {
      name: base.dataset,
      size: data.size,
      fingerprint: datasetFingerprint(data.labels, data.size, base.dataset),
      pixels: pixelFingerprint(data.images, data.size),
    },
    seconds,
  };
  try {
    await writeScoreFile(out, header, scores);
  } catch (e) {
    if (e instanceof ScoreError) throw new ExperimentError(e.message);
    throw e;
  }
  return { seconds, scores };
}
