import { readFileSync } from 'node:fs';
import { datasetNames } from '@dp/data';
import { modelNames } from '@dp/models';
import { policyNames } from '@dp/policies';
import { SCHEDULES, type ScheduleName } from '@dp/trainer';
import { CliError } from '../errors.js';
import { EQUAL_STEPS, equalStepsEpochs, type EqualStepsOf } from './equal-steps.js';

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
  /**
   * Hold out n samples of the training set (after trainSubset) as a seeded, stratified validation split: train on the
   * rest and evaluate on it instead of the test set (0 = off; run/data.ts runSplits, @dp/data splitValidation).
   */
  valSplit: number;
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
  /**
   * Set on an equal-steps baseline run (policy 'full' for ⌈(1 − r)·E⌉ epochs, see equal-steps.ts): the epochs E and
   * prune ratio r of the pruned runs it matches in optimizer steps; null otherwise.
   */
  equalSteps: EqualStepsOf | null;
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
  valSplit: 0,
  evalEvery: 1,
  checkpointEvery: 1,
  augment: 'auto',
  batchNorm: 'auto',
  inference: 'auto',
  scoreFile: '',
  resize: 0,
  crop: 0,
  equalSteps: null,
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
  policy: oneOf(() => [...policyNames(), EQUAL_STEPS]),
  pruneRatio: real(0, 1, { maxOpen: true }),
  policyOptions: (f, v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad(f, v, 'an object of policy options');
    // Own keys only (JSON.parse makes "__proto__" an own key), named as --policy-option names them, with plain values.
    for (const [k, x] of Object.entries(v)) {
      if (!/^[A-Za-z][\w-]*$/.test(k)) throw bad(`${f}.${k}`, x, 'an option named by letters, digits, - and _ (starting with a letter)');
      if (!(typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x)))) throw bad(`${f}.${k}`, x, 'a finite number, a string or true / false');
    }
  },
  seed: int(0, 4294967295), // the models draw 32-bit initialiser seeds
  trainSubset: int(0),
  testSubset: int(0),
  valSplit: (f, v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new CliError(`${f} = ${showValue(v)} is invalid: expected an integer >= 0 (training samples held out for validation, 0 = none); fix: e.g. --val-split 5000, or 0 to evaluate on the test set`);
    }
  },
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
  equalSteps: (f, v) => {
    if (v === null) return;
    const o = v as Record<string, unknown>;
    const ok = typeof o === 'object' && !Array.isArray(o) && Object.keys(o).sort().join() === 'epochs,pruneRatio';
    if (!ok) throw bad(f, v, 'null or { "epochs": E, "pruneRatio": r }');
    int(1, 100000)(`${f}.epochs`, o.epochs);
    real(0, 1, { minOpen: true, maxOpen: true })(`${f}.pruneRatio`, o.pruneRatio);
  },
};

/**
 * A value as the user wrote it, as far as JSON can tell: JSON.stringify, except numbers JSON cannot write (1e400 in a
 * config file parses to Infinity, which JSON.stringify would show as null) and values it drops.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return `${String(value)}${Number.isNaN(value) ? '' : ' (a number too large for a double)'}`;
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

/** The flag that sets a config field, for the fix of an error naming the field. */
export function flagOf(field: string): string {
  const top = field.split('.')[0]!;
  if (top === 'nesterov') return '--no-nesterov';
  if (top === 'policyOptions') return '--policy-option';
  if (top === 'equalSteps') return '--policy equal-steps --prune-ratio R';
  return `--${top.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function bad(field: string, value: unknown, allowed: string): CliError {
  return new CliError(`${field} = ${showValue(value)} is invalid: expected ${allowed}; fix: set ${field} to ${allowed} (flag ${flagOf(field)}, or the field in the --config file)`);
}

/** Merge `raw` over the defaults, rejecting unknown fields and invalid values (the error names field, value, range). */
export function validateRunConfig(raw: Record<string, unknown>, base: RunConfig = DEFAULTS): RunConfig {
  const out: Record<string, unknown> = { ...base, policyOptions: { ...base.policyOptions } };
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    // Own fields only: `key in CHECKS` would also take "constructor", "toString" or "__proto__" (an own key of
    // JSON.parse's objects) from Object.prototype.
    if (!Object.hasOwn(CHECKS, key)) {
      throw new CliError(`unknown config field ${JSON.stringify(key)}; fix: remove it (known fields: ${Object.keys(CHECKS).join(', ')})`);
    }
    CHECKS[key as keyof RunConfig](key, value);
    out[key] = value;
  }
  const cfg = out as unknown as RunConfig;
  if (cfg.policy === EQUAL_STEPS) resolveEqualSteps(cfg);
  if (cfg.equalSteps) checkEqualSteps(cfg, cfg.equalSteps);
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

/**
 * `policy: 'equal-steps'` with epochs E and prune ratio r becomes what is trained: full data for ⌈(1 − r)·E⌉ epochs,
 * recorded as the equal-steps baseline of (E, r).
 */
function resolveEqualSteps(cfg: RunConfig): void {
  if (!(cfg.pruneRatio > 0)) {
    throw new CliError(`policy = "${EQUAL_STEPS}" needs a prune ratio in (0, 1): it trains full data for the steps of a run pruned at that ratio; fix: add --prune-ratio (e.g. 0.5), or use --policy full`);
  }
  if (Object.keys(cfg.policyOptions).length) {
    throw new CliError(`policy = "${EQUAL_STEPS}" takes no policy options (it trains full data), got ${JSON.stringify(cfg.policyOptions)}; fix: drop --policy-option`);
  }
  cfg.equalSteps = { epochs: cfg.epochs, pruneRatio: cfg.pruneRatio };
  cfg.epochs = equalStepsEpochs(cfg.epochs, cfg.pruneRatio);
  cfg.policy = 'full';
  cfg.pruneRatio = 0;
}

/** An equal-steps record must describe the run: full data, no pruning, ⌈(1 − r)·E⌉ epochs. */
function checkEqualSteps(cfg: RunConfig, of: EqualStepsOf): void {
  const epochs = equalStepsEpochs(of.epochs, of.pruneRatio);
  if (cfg.policy !== 'full' || cfg.pruneRatio !== 0 || cfg.epochs !== epochs || Object.keys(cfg.policyOptions).length) {
    throw new CliError(
      `equalSteps = ${JSON.stringify(of)} conflicts with policy = ${JSON.stringify(cfg.policy)}, pruneRatio = ${cfg.pruneRatio}, epochs = ${cfg.epochs}: ` +
        `the equal-steps baseline of ${of.epochs} epochs at ${of.pruneRatio} trains full data for ${epochs} epochs; ` +
        `fix: give --policy ${EQUAL_STEPS} --prune-ratio ${of.pruneRatio} --epochs ${of.epochs} (and no other epochs, policy or options) instead`,
    );
  }
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
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new CliError(`cannot read config file ${path}: ${code ? `${code} (${why})` : why}; fix: give --config the path of a JSON file of run fields (a run directory's config.json is one)`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('the top level must be an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`config file ${path} is not valid JSON: ${(e as Error).message}; fix: make it one JSON object of run fields, e.g. {"epochs": 3, "policy": "random"}`);
  }
}

/** Fields that cannot change what is trained or measured beyond float32 round-off: left out of the fingerprint. */
export const NOT_FINGERPRINTED: ReadonlySet<string> = new Set<string>(['inference']);

/**
 * Fields added after results were published: fingerprinted only when set (non-zero), so every earlier run, whose
 * config does not have them, keeps its key (the results files and run directories are keyed by it).
 */
const FINGERPRINTED_WHEN_SET: ReadonlySet<string> = new Set<string>(['resize', 'crop', 'equalSteps', 'valSplit']);

/** Fields that change what is trained, in a stable order: equal fingerprints = the same run. */
export function fingerprint(cfg: RunConfig): string {
  const keys = Object.keys(CHECKS)
    .filter((k) => !NOT_FINGERPRINTED.has(k) && !(FINGERPRINTED_WHEN_SET.has(k) && !cfg[k as keyof RunConfig]))
    .sort();
  return JSON.stringify(keys.map((k) => [k, k === 'policyOptions' || k === 'equalSteps' ? sortObj(cfg[k as 'policyOptions' | 'equalSteps'] as Record<string, unknown>) : cfg[k as keyof RunConfig]]));
}

function sortObj(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
