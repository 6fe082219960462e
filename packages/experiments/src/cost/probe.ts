import { cpus } from 'node:os';
import { BatchRng, type DatasetPair } from '@dp/data';
import type { Pruner, Selection } from '@dp/policies';
import { describeCpu, formatCpu, oneDnnState, train, type EpochReport } from '@dp/trainer';
import type { BackendInfo } from '../backend.js';
import { resolveAugment, type RunConfig } from '../config/config.js';
import { buildRunModel, trainingOptions } from '../config/recipe.js';
import { ExperimentError } from '../errors.js';
import { runSplits } from '../run/data.js';
import type { CostModel } from './cost-model.js';
import { measured } from './measured.js';
import { timePolicies, type MethodSpec } from './policy-cost.js';

export interface ProbeOptions {
  backend: BackendInfo;
  /** Batches in the small and the large probe epochs (default 2 and 16). */
  smallBatches?: number;
  largeBatches?: number;
  /** Pairs of one small and one large epoch (default 6), after one warm-up epoch. */
  pairs?: number;
  /** The methods whose own selection and scoring costs are timed (each policy alone, at the protocol's N). */
  methods?: readonly MethodSpec[];
  /** Interleaved runs of each method's policy (default 3). */
  methodRepeats?: number;
  /** One line per finished step of the probe. */
  onProgress?: (message: string) => void;
  onWarning?: (message: string) => void;
}

/** A stand-in pruner: `sizes[epoch]` samples drawn uniformly without replacement from all N, seeded; observes nothing. */
function probePruner(datasetSize: number, sizes: readonly number[], seed: number): Pruner {
  const all = new Uint32Array(datasetSize);
  const select = (epoch: number): Selection => {
    const k = sizes[epoch]!;
    for (let i = 0; i < datasetSize; i++) all[i] = i;
    const rng = BatchRng.forBatch(seed, epoch, 0);
    // A partial Fisher-Yates shuffle: the first k entries are a uniform sample of k distinct ids, in random order.
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(datasetSize - i);
      const x = all[i]!;
      all[i] = all[j]!;
      all[j] = x;
    }
    return { indices: all.slice(0, k), weights: new Float32Array(k).fill(1), kept: k };
  };
  // train() reads the config's size and epochs, selects and observes: nothing else of a Pruner.
  return { config: { datasetSize, totalEpochs: sizes.length }, select, observe: () => {} } as unknown as Pruner;
}

/** Seconds an epoch spent in training steps, data loading and scoring (its selection is the stand-in's: left out). */
const stepSeconds = (r: EpochReport) => r.costs.train + r.costs.data + r.costs.score;

/**
 * Epoch sizes: a warm-up epoch (small), then `pairs` pairs of a small and a large epoch in ABBA order (small-large,
 * large-small, ...), so that a drift of the machine's speed over the probe weighs on both sizes alike.
 */
export function probeEpochSizes(small: number, large: number, pairs: number): number[] {
  const sizes = [small];
  for (let k = 0; k < pairs; k++) sizes.push(...(k % 2 ? [large, small] : [small, large]));
  return sizes;
}

/**
 * Measure a protocol's training cost constants in this process (price.ts): the config's dataset, model, batch size,
 * augmentation and training step, trained on real data for short epochs of two sizes, interleaved.
 *
 * Each probe epoch trains a seeded uniform sample of the whole training set, through the same loader, augmentation,
 * batch size and training step as a run, so a trained sample costs what it costs in a full epoch: only the number
 * of samples differs, and the per-epoch constant is what the two sizes separate (pair k: sample = (large epoch's
 * seconds − small's) / (large − small samples); epoch = small's seconds − sample × small). The epochs are whole
 * batches; the first (compiling the step) gives the one-off `first`. The counted seconds are the run's own cost
 * buckets (training step, data loading, scoring; selection is timed per method instead); evaluation and checkpoint
 * writes are not in a run's training cost and the probe does neither. Then each method's policy is timed alone over
 * the protocol's epochs at its N (policy-cost.ts).
 */
export async function probeCost(cfg: RunConfig, pair: DatasetPair, opts: ProbeOptions): Promise<CostModel> {
  const started = performance.now();
  const say = opts.onProgress ?? (() => {});
  const { train: trainSet } = runSplits(pair, cfg);
  const n = trainSet.size;
  const b = cfg.batchSize;
  const pairs = opts.pairs ?? 6;
  const largeBatches = Math.min(opts.largeBatches ?? 16, Math.floor(n / b));
  const smallBatches = Math.min(opts.smallBatches ?? 2, largeBatches - 1);
  if (!(smallBatches >= 1) || !(pairs >= 1))
    throw new ExperimentError(
      `the probe needs epochs of at least 1 and 2 batches and 1 pair (given: ${n} samples, batch ${b}, ${pairs} pairs); fix: a larger training set, a smaller --batch-size or more pairs`,
    );
  const [small, large] = [smallBatches * b, largeBatches * b];
  const sizes = probeEpochSizes(small, large, pairs);
  say(
    `training ${sizes.length} probe epochs of ${small} and ${large} samples (${cfg.dataset}, ${cfg.model}, batch ${b})`,
  );
  const model = buildRunModel(cfg, trainSet);
  let result;
  try {
    result = await train({
      model,
      train: trainSet,
      pruner: probePruner(n, sizes, cfg.seed),
      options: trainingOptions(cfg, sizes.length),
      augment: resolveAugment(cfg),
      seed: cfg.seed,
      hooks: {
        ...(opts.onWarning ? { onWarning: opts.onWarning } : {}),
        onEpoch: (r) =>
          say(`epoch ${r.epoch + 1}/${sizes.length}: ${r.samples} samples, ${stepSeconds(r).toFixed(2)} s`),
      },
    });
  } finally {
    model.dispose();
  }
  const secs = result.epochs.map(stepSeconds);
  const perSample: number[] = [];
  const perEpoch: number[] = [];
  for (let k = 0; k < pairs; k++) {
    const [x, y] = [secs[1 + 2 * k]!, secs[2 + 2 * k]!];
    const [s, l] = k % 2 ? [y, x] : [x, y];
    const sample = (l - s) / (large - small);
    perSample.push(sample);
    perEpoch.push(s - sample * small);
  }
  const sample = measured(perSample);
  // Timing noise can make a small constant come out below 0: it is priced as 0 (the range keeps what was measured).
  const epoch = measured(perEpoch);
  const firstRaw = secs[0]! - (Math.max(0, epoch.value) + sample.value * small);
  const clamp = (m: typeof sample) => ({ ...m, value: Math.max(0, m.value) });
  const methods = opts.methods ?? [];
  say(`timing ${methods.length} methods' selection and scoring at N = ${n}, ${cfg.epochs} epochs`);
  const costs = timePolicies(
    methods,
    { datasetSize: n, epochs: cfg.epochs, batchSize: b, seed: cfg.seed },
    opts.methodRepeats ?? 3,
    (spec, why) => opts.onWarning?.(`${spec.policy} @ ${spec.pruneRatio} not timed: ${why}`),
  );
  const cpu = describeCpu();
  const onednn = oneDnnState(cpu);
  return {
    format: 'dp-cost-model',
    version: 1,
    protocol: {
      dataset: cfg.dataset,
      model: cfg.model,
      batchSize: b,
      augment: resolveAugment(cfg),
      trainSubset: cfg.trainSubset,
      valSplit: cfg.valSplit ?? 0,
      epochs: cfg.epochs,
      datasetSize: n,
    },
    machine: {
      cpu: formatCpu(cpu, onednn),
      cpuModel: cpu.model,
      onednn: `${onednn.enabled ? 'on' : 'off'} (${onednn.source})`,
      cpus: cpus().length,
      backend: opts.backend.backend,
      trainStep: result.trainStep.kind,
    },
    measuredAt: new Date().toISOString(),
    probeSeconds: (performance.now() - started) / 1000,
    design: {
      smallSamples: small,
      largeSamples: large,
      pairs,
      methodRepeats: opts.methodRepeats ?? 3,
      note: 'sample and epoch: median (min-max) over pairs of a small and a large epoch of seeded uniform samples of the whole training set, ABBA order, after one warm-up epoch; first: the warm-up epoch minus its price; methods: each policy alone over the protocol epochs at N with stand-in losses, interleaved, median (min-max) over repeats',
    },
    constants: {
      sample: clamp(sample),
      epoch: clamp(epoch),
      first: clamp({ value: firstRaw, min: firstRaw, max: firstRaw, n: 1 }),
    },
    methods: costs,
  };
}
