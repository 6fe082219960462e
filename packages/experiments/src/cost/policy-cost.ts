import { BatchRng } from '@dp/data';
import { createPruner, PrunerError } from '@dp/policies';
import { consumesScoreFile, roleOf } from '../config/methods.js';
import type { MethodCost } from './cost-model.js';
import { measured } from './measured.js';

/** A method whose own costs the probe measures: a policy at a ratio, options at their defaults unless given. */
export interface MethodSpec {
  policy: string;
  pruneRatio: number;
  options?: Record<string, unknown>;
}

/** The protocol a policy is timed in: its training-set size, epochs, batch size and seed. */
export interface PolicyProtocol {
  datasetSize: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

/** Seeded pseudo-random floats in [0, 1) (stand-in losses and static scores). */
function randomFloats(n: number, seed: number): Float32Array {
  const rng = new BatchRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.float();
  return out;
}

/**
 * One run of a method's policy alone, as the trainer drives it: every epoch of the protocol selects, then observes
 * its selection batch by batch, with seeded stand-in losses (a static method: seeded stand-in scores). Returns its
 * select seconds per epoch and observe seconds per observed sample.
 */
function timePolicy(spec: MethodSpec, p: PolicyProtocol, losses: Float32Array): { select: number; observe: number } {
  const pruner = createPruner({
    ...(spec.options ?? {}),
    ...(consumesScoreFile(spec.policy) ? { scores: randomFloats(p.datasetSize, p.seed + 1) } : {}),
    policy: spec.policy,
    datasetSize: p.datasetSize,
    pruneRatio: spec.pruneRatio,
    totalEpochs: p.epochs,
    seed: p.seed,
  });
  let select = 0;
  let observe = 0;
  let observed = 0;
  for (let epoch = 0; epoch < p.epochs; epoch++) {
    let t = performance.now();
    const { indices } = pruner.select(epoch);
    select += performance.now() - t;
    for (let k = 0; k < indices.length; k += p.batchSize) {
      const ids = indices.subarray(k, k + p.batchSize);
      const at = (epoch * 7919 + k) % (losses.length - ids.length + 1);
      t = performance.now();
      pruner.observe(ids, losses.subarray(at, at + ids.length));
      observe += performance.now() - t;
      observed += ids.length;
    }
  }
  return { select: select / 1000 / p.epochs, observe: observed ? observe / 1000 / observed : 0 };
}

/**
 * Each method's own costs (selection per epoch, scoring per sample) at the protocol's N and epochs: `repeats` runs of
 * every policy alone, interleaved (method 1, 2, ..., 1, 2, ...) so that a change in machine speed touches them all
 * alike; the median and range over the repeats. A policy this process cannot build with these options is skipped
 * and named in `onSkip`.
 */
export function timePolicies(
  methods: readonly MethodSpec[],
  p: PolicyProtocol,
  repeats: number,
  onSkip: (spec: MethodSpec, why: string) => void = () => {},
): MethodCost[] {
  const losses = randomFloats(Math.max(p.batchSize, 4096), p.seed);
  const samples = methods.map(() => ({ select: [] as number[], observe: [] as number[] }));
  const live = methods.map(() => true);
  for (let r = 0; r < repeats; r++) {
    methods.forEach((spec, i) => {
      if (!live[i]) return;
      try {
        const t = timePolicy(spec, p, losses);
        samples[i]!.select.push(t.select);
        samples[i]!.observe.push(t.observe);
      } catch (e) {
        if (!(e instanceof PrunerError)) throw e;
        live[i] = false;
        onSkip(spec, e.message);
      }
    });
  }
  return methods.flatMap((spec, i): MethodCost[] =>
    live[i]
      ? [
          {
            policy: spec.policy,
            pruneRatio: spec.pruneRatio,
            options: spec.options ?? {},
            selectPerEpoch: measured(samples[i]!.select),
            observePerSample: measured(samples[i]!.observe),
          },
        ]
      : [],
  );
}

/**
 * The methods of `policies` × `ratios` to time: the full-data policy once (ratio 0), equal steps not at all (it is
 * full data for fewer epochs: priced as such), every other policy at every ratio with its default options.
 */
export function methodSpecs(policies: readonly string[], ratios: readonly number[]): MethodSpec[] {
  return policies.flatMap((policy): MethodSpec[] => {
    if (roleOf(policy) === 'matched-steps') return [];
    if (roleOf(policy) === 'full-data') return [{ policy, pruneRatio: 0 }];
    return ratios.map((pruneRatio) => ({ policy, pruneRatio }));
  });
}
