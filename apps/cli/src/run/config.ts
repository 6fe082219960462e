import { readFileSync } from 'node:fs';
import { datasetNames } from '@dp/data';
import { modelNames } from '@dp/models';
import { policyNames } from '@dp/policies';
import { SCHEDULES, type ScheduleName } from '@dp/trainer';
import { CliError } from '../errors.js';

/** Everything that defines a training run. Validated at the boundary; fingerprinted for resume and bench. */
export interface RunConfig {
  dataset: string;
  model: string;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  schedule: ScheduleName;
  warmup: number;
  labelSmoothing: number;
  policy: string;
  pruneRatio: number;
  /** Policy-specific options (e.g. epsilon, c, decay), passed to createPruner. */
  policyOptions: Record<string, number | string | boolean>;
  seed: number;
  /** Train on a class-balanced subset of n training samples (0 = all; run/data.ts subset). */
  trainSubset: number;
  /** Evaluate on a class-balanced subset of n test samples (0 = all). */
  testSubset: number;
  evalEvery: number;
  checkpointEvery: number;
  /** Training augmentation: 'auto' = crop-flip for CIFAR, resized-crop-flip for image folders, none otherwise. */
  augment: 'auto' | 'none' | 'crop-flip' | 'resized-crop-flip';
  /** Batch norm / ReLU kernels: 'auto' = fused TensorFlow kernels on the native backend, 'reference' = tfjs-layers. */
  batchNorm: 'auto' | 'fused' | 'reference';
  /** Evaluation forward pass: 'auto' = one compiled native TensorFlow graph on tfjs-node, 'reference' = tfjs-layers. */
  inference: 'auto' | 'compiled' | 'reference';
  /** Score file (from `dp score`) the `static` policy keeps the top-scored subset of; its scoring time is charged. */
  scoreFile: string;
  /** Image folders: scale every image so its shorter side has this many pixels, before caching (0 = as stored). */
  resize: number;
  /** Image folders: then keep the centred crop x crop square (0 = no crop). Mixed-size folders need one of the two. */
  crop: number;
}

/** The datasets read from image files, the only ones `resize` / `crop` apply to. */
export const IMAGE_FOLDER_DATASETS: readonly string[] = ['imagefolder', 'cifar10-jpeg'];

export const DEFAULTS: RunConfig = {
  dataset: 'fashion-mnist',
  model: 'cnn-small',
  epochs: 3,
  batchSize: 128,
  lr: 0.05,
  momentum: 0.9,
  nesterov: true,
  weightDecay: 5e-4,
  schedule: 'cosine',
  warmup: 0,
  labelSmoothing: 0,
  policy: 'full',
  pruneRatio: 0,
  policyOptions: {},
  seed: 0,
  trainSubset: 0,
  testSubset: 0,
  evalEvery: 1,
  checkpointEvery: 1,
  augment: 'auto',
  batchNorm: 'auto',
  inference: 'auto',
  scoreFile: '',
  resize: 0,
  crop: 0,
};

type Check = (field: string, v: unknown) => void;
const int = (min: number, max = Number.MAX_SAFE_INTEGER): Check => (f, v) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw bad(f, v, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`);
};
const real = (min: number, max: number, { minOpen = false, maxOpen = false } = {}): Check => (f, v) => {
  const ok = typeof v === 'number' && Number.isFinite(v) && (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
  if (!ok) throw bad(f, v, `a number in ${minOpen ? '(' : '['}${min}, ${max === Infinity ? 'inf)' : `${max}${maxOpen ? ')' : ']'}`}`);
};
const oneOf = (list: () => readonly string[]): Check => (f, v) => {
  if (typeof v !== 'string' || !list().includes(v)) throw new CliError(`unknown ${f} ${JSON.stringify(v)}; fix: use one of ${list().join(', ')}`);
};
const bool: Check = (f, v) => {
  if (typeof v !== 'boolean') throw bad(f, v, 'true or false');
};

const CHECKS: Record<keyof RunConfig, Check> = {
  dataset: oneOf(datasetNames),
  model: oneOf(modelNames),
  epochs: int(1, 100000),
  batchSize: int(1, 65536),
  lr: real(0, Infinity, { minOpen: true }),
  momentum: real(0, 1, { maxOpen: true }),
  nesterov: bool,
  weightDecay: real(0, Infinity),
  schedule: oneOf(() => SCHEDULES),
  warmup: real(0, 1, { maxOpen: true }),
  labelSmoothing: real(0, 1, { maxOpen: true }),
  policy: oneOf(policyNames),
  pruneRatio: real(0, 1, { maxOpen: true }),
  policyOptions: (f, v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad(f, v, 'an object of policy options');
  },
  seed: int(0, 4294967295), // the models draw 32-bit initialiser seeds
  trainSubset: int(0),
  testSubset: int(0),
  evalEvery: int(1),
  checkpointEvery: int(1),
  augment: oneOf(() => ['auto', 'none', 'crop-flip', 'resized-crop-flip']),
  batchNorm: oneOf(() => ['auto', 'fused', 'reference']),
  inference: oneOf(() => ['auto', 'compiled', 'reference']),
  scoreFile: (f, v) => {
    if (typeof v !== 'string') throw bad(f, v, 'a path to a score file written by dp score');
  },
  resize: int(0, 4096),
  crop: int(0, 4096),
};

function bad(field: string, value: unknown, allowed: string): CliError {
  return new CliError(`${field} = ${JSON.stringify(value)} is invalid: expected ${allowed}`);
}

/** Merge `raw` over the defaults, rejecting unknown fields and invalid values (the error names field, value, range). */
export function validateRunConfig(raw: Record<string, unknown>, base: RunConfig = DEFAULTS): RunConfig {
  const out: Record<string, unknown> = { ...base, policyOptions: { ...base.policyOptions } };
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (!(key in CHECKS)) throw new CliError(`unknown config field '${key}': known fields are ${Object.keys(CHECKS).join(', ')}`);
    CHECKS[key as keyof RunConfig](key, value);
    out[key] = value;
  }
  const cfg = out as unknown as RunConfig;
  if (cfg.policy === 'full' && cfg.pruneRatio > 0) {
    throw new CliError(`pruneRatio = ${cfg.pruneRatio} conflicts with policy = "full" (which never prunes); fix: choose another --policy or drop --prune-ratio`);
  }
  if (cfg.policy === 'static' && !cfg.scoreFile) {
    throw new CliError(`policy = "static" needs a score file; fix: write one with \`dp score --method el2n\` and pass --score-file FILE`);
  }
  if (cfg.scoreFile && cfg.policy !== 'static') {
    throw new CliError(`scoreFile = ${JSON.stringify(cfg.scoreFile)} conflicts with policy = ${JSON.stringify(cfg.policy)}: only the static policy reads a score file; fix: add --policy static or drop --score-file`);
  }
  if ((cfg.resize || cfg.crop) && !IMAGE_FOLDER_DATASETS.includes(cfg.dataset)) {
    const field = cfg.resize ? 'resize' : 'crop';
    throw new CliError(`${field} = ${cfg[field]} conflicts with dataset = ${JSON.stringify(cfg.dataset)}: only image folders (${IMAGE_FOLDER_DATASETS.join(', ')}) are resized or cropped; fix: drop --${field}`);
  }
  if (cfg.resize && cfg.crop > cfg.resize) {
    throw new CliError(`crop = ${cfg.crop} is invalid with resize = ${cfg.resize}: the crop must fit the resized shorter side; fix: --crop ${cfg.resize} or less, or a larger --resize`);
  }
  return cfg;
}

/** The augmentation a config asks for, with 'auto' resolved from the dataset. */
export function resolveAugment(cfg: RunConfig): 'none' | 'crop-flip' | 'resized-crop-flip' {
  if (cfg.augment !== 'auto') return cfg.augment;
  if (cfg.dataset.startsWith('cifar')) return 'crop-flip';
  if (cfg.dataset === 'imagefolder') return 'resized-crop-flip';
  return 'none';
}

/** Read a JSON config file (the CLI's --config). */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('the top level must be an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Fields that cannot change what is trained or measured beyond float32 round-off: left out of the fingerprint. */
export const NOT_FINGERPRINTED: ReadonlySet<string> = new Set<string>(['inference']);

/**
 * Fields added after results were published: fingerprinted only when set (non-zero), so every earlier run, whose
 * config does not have them, keeps its key (the results files and run directories are keyed by it).
 */
const FINGERPRINTED_WHEN_SET: ReadonlySet<string> = new Set<string>(['resize', 'crop']);

/** Fields that change what is trained, in a stable order: equal fingerprints = the same run. */
export function fingerprint(cfg: RunConfig): string {
  const keys = Object.keys(CHECKS)
    .filter((k) => !NOT_FINGERPRINTED.has(k) && !(FINGERPRINTED_WHEN_SET.has(k) && !cfg[k as keyof RunConfig]))
    .sort();
  return JSON.stringify(keys.map((k) => [k, k === 'policyOptions' ? sortObj(cfg.policyOptions) : cfg[k as keyof RunConfig]]));
}

function sortObj(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
