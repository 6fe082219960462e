import { readFileSync } from 'node:fs';
import { DEFAULTS, resolveAugment, type RunConfig } from '../config/config.js';
import { EQUAL_STEPS } from '../config/equal-steps.js';
import { fullDataMethod } from '../config/methods.js';
import { ExperimentError } from '../errors.js';
import type { RunSummary } from '../run/summary.js';
import { FREE_METHOD, priceEpochs, type MethodPrice, type PriceConstants } from './price.js';

/**
 * A measured constant: the median over the probe's repetitions (priced; at least 0), and their lowest and highest
 * values as measured.
 */
export interface Measured {
  value: number;
  min: number;
  max: number;
  /** Repetitions. */
  n: number;
}

/** The protocol a cost model was probed for: runs of another protocol cannot be priced with it. */
export interface CostProtocol {
  dataset: string;
  model: string;
  batchSize: number;
  /** The augmentation, resolved ('crop-flip', not 'auto'). */
  augment: string;
  trainSubset: number;
  valSplit: number;
  /** Epochs of the protocol (the policies' selection was timed over all of them). */
  epochs: number;
  /** Training samples N. */
  datasetSize: number;
}

/** One method's own costs as the probe measured them (policy options at their defaults unless given). */
export interface MethodCost {
  policy: string;
  pruneRatio: number;
  options: Record<string, unknown>;
  selectPerEpoch: Measured;
  observePerSample: Measured;
}

/** What `dp probe-cost` writes (JSON): the constants of one protocol on one machine, measured in one process. */
export interface CostModel {
  format: 'dp-cost-model';
  version: 1;
  protocol: CostProtocol;
  machine: {
    cpu: string;
    cpuModel: string;
    onednn: string;
    cpus: number;
    backend: string;
    /** The training step the probe trained with ('compiled' or 'eager'): every run is priced with it. */
    trainStep: string;
  };
  measuredAt: string;
  /** Wall-clock seconds the probe took. */
  probeSeconds: number;
  /** How the constants were measured (epoch sizes, repetitions), in words and numbers. */
  design: { smallSamples: number; largeSamples: number; pairs: number; methodRepeats: number; note: string };
  constants: { sample: Measured; epoch: Measured; first: Measured };
  methods: MethodCost[];
  /** Where it was read from (set by readCostModel; not part of the file). */
  source?: string;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
/** A measured value: its median (what is priced) >= 0; its range as measured (a noisy small constant may dip below 0). */
const isMeasured = (x: unknown): x is Measured => {
  const m = x as Measured | null;
  return !!m && typeof m === 'object' && isNum(m.value) && m.value >= 0 && isNum(m.min) && isNum(m.max) && isNum(m.n);
};

/** Read and check a cost model file; bad input is an ExperimentError naming the file and what is wrong. */
export function readCostModel(path: string): CostModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ExperimentError(
      `cannot read the cost model ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}); fix: pass the JSON that \`dp probe-cost --out FILE\` wrote`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ExperimentError(
      `the cost model ${path} is not JSON; fix: pass the JSON that \`dp probe-cost --out FILE\` wrote`,
    );
  }
  const problem = costModelProblem(json);
  if (problem)
    throw new ExperimentError(
      `the cost model ${path} is not a dp cost model: ${problem}; fix: write it again with dp probe-cost`,
    );
  return { ...(json as CostModel), source: path };
}

/** What is wrong with a parsed cost model, or undefined. */
function costModelProblem(json: unknown): string | undefined {
  const m = json as Partial<CostModel> | null;
  if (!m || typeof m !== 'object' || m.format !== 'dp-cost-model') return 'format is not "dp-cost-model"';
  if (m.version !== 1) return `version ${String(m.version)} is not 1`;
  const p = m.protocol;
  if (!p || typeof p.dataset !== 'string' || typeof p.model !== 'string' || !isNum(p.batchSize))
    return 'protocol (dataset, model, batchSize) missing';
  const c = m.constants;
  for (const k of ['sample', 'epoch', 'first'] as const)
    if (!c || !isMeasured(c[k])) return `constants.${k} is not a measured value >= 0`;
  if (!Array.isArray(m.methods)) return 'methods is not a list';
  for (const x of m.methods)
    if (typeof x?.policy !== 'string' || !isMeasured(x.selectPerEpoch) || !isMeasured(x.observePerSample))
      return `method ${JSON.stringify(x?.policy)} has no measured selectPerEpoch / observePerSample`;
  return undefined;
}

/** The protocol fields a run shares with the cost model it is priced with. */
function protocolOf(cfg: RunConfig): Omit<CostProtocol, 'epochs' | 'datasetSize'> {
  const c = { ...DEFAULTS, ...cfg };
  return {
    dataset: c.dataset,
    model: c.model,
    batchSize: c.batchSize,
    augment: resolveAugment(c),
    trainSubset: c.trainSubset ?? 0,
    valSplit: c.valSplit ?? 0,
  };
}

/** 'cifar10-jpeg / resnet20 (batch 128, augment crop-flip)' plus the training subset / validation split if any. */
function describeProtocol(p: Omit<CostProtocol, 'epochs' | 'datasetSize'>): string {
  const extra = [
    `batch ${p.batchSize}`,
    `augment ${p.augment}`,
    ...(p.trainSubset ? [`train subset ${p.trainSubset}`] : []),
    ...(p.valSplit ? [`val split ${p.valSplit}`] : []),
  ];
  return `${p.dataset} / ${p.model} (${extra.join(', ')})`;
}

/**
 * Refuse runs of another protocol than the cost model's (one error naming both): their samples cost something
 * else. The epochs may differ (the price is per epoch and per sample).
 */
export function checkCostModel(model: CostModel, runs: readonly RunSummary[]): void {
  const want = describeProtocol({
    ...model.protocol,
    trainSubset: model.protocol.trainSubset ?? 0,
    valSplit: model.protocol.valSplit ?? 0,
  });
  const from = model.source ? ` ${model.source}` : '';
  for (const r of runs) {
    const got = describeProtocol(protocolOf(r.config));
    if (got !== want)
      throw new ExperimentError(
        `the cost model${from} was probed for ${want}, but run ${r.runDir || r.key} is ${got}: it cannot be priced with it; fix: probe that protocol (dp probe-cost --dataset ${r.config.dataset} --model ${r.config.model} --batch-size ${r.config.batchSize} --out FILE) and report its runs with that file`,
      );
  }
}

/**
 * A method's own costs from the cost model: the entry of the same policy, ratio and options, else of the same policy
 * and ratio, else of the same policy at any ratio; undefined if the probe did not measure the policy. Full data and
 * equal steps (full data for fewer epochs) are the full-data policy's.
 */
export function methodPrice(
  model: CostModel,
  policy: string,
  pruneRatio: number,
  options: Record<string, unknown> = {},
): MethodPrice | undefined {
  const name = policy === EQUAL_STEPS ? fullDataMethod() : policy;
  const key = (o: Record<string, unknown>) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  const same = model.methods.filter((m) => m.policy === name);
  const atRatio = same.filter((m) => name === fullDataMethod() || m.pruneRatio === pruneRatio);
  const hit = atRatio.find((m) => key(m.options) === key(options)) ?? atRatio[0] ?? same[0];
  if (!hit) return name === fullDataMethod() ? FREE_METHOD : undefined;
  return { selectPerEpoch: hit.selectPerEpoch.value, observePerSample: hit.observePerSample.value };
}

/** The cost model's protocol constants (their medians). */
export function priceConstants(model: CostModel): PriceConstants {
  const c = model.constants;
  return { sample: c.sample.value, epoch: c.epoch.value, first: c.first.value };
}

/**
 * A run's training cost at the cost model's machine speed: its epochs priced (price.ts) with its method's own costs
 * (none, with `missing` called, when the probe did not measure its policy), plus its scoring seconds as measured
 * (a static method's score file: spent apart from the run, not priced).
 */
export function pricedRunCost(
  model: CostModel,
  run: RunSummary,
  policy: string,
  options: Record<string, unknown>,
  missing: (policy: string) => void = () => {},
): number {
  const own = methodPrice(model, policy, run.config.pruneRatio, options);
  if (!own) missing(policy);
  const samples = run.epochs.map((e) => e.samples);
  return priceEpochs(samples, priceConstants(model), own ?? FREE_METHOD) + run.scoringSeconds;
}

/** What the priced speed-up column means, for a note under a table. */
export function costModelKey(model: CostModel): string {
  const c = model.constants;
  const us = (x: number) => `${(1e6 * x).toFixed(1)} µs`;
  return `speed-up (1 machine) = full-data cost / method cost, both priced at one machine speed: every run's epochs are priced from the samples it really trained in each (equal steps: the epochs it trained) with constants measured quietly in one process by \`dp probe-cost\` (${model.source ?? 'cost model'}: ${model.machine.cpu}, ${model.machine.trainStep} step, ${model.measuredAt.slice(0, 10)}): ${us(c.sample.value)} per trained sample (step + data loading; ${us(c.sample.min)}–${us(c.sample.max)} over ${c.sample.n} repetitions), ${c.epoch.value.toFixed(3)} s per epoch, ${c.first.value.toFixed(2)} s once per run, plus each policy's own selection and scoring time measured at this N; a static method's scoring seconds are added as measured. This is the speed-up a user gets on one machine that is not shared; the measured speed-up beside it includes whatever else ran on the machine.`;
}
