import { datasetNames } from '@dp/data';
import { modelEntries, modelNames } from '@dp/models';
import { SCHEDULES, TRAIN_STEP_KINDS, type ScheduleName, type TrainStepKind } from '@dp/trainer';
import { ExperimentError } from '../errors.js';
import { EQUAL_STEPS, type EqualStepsOf } from './equal-steps.js';
import { AUTO_POLICY, RECOMMENDED_PRUNE_RATIO } from './auto-policy.js';
import { exampleMethods } from './examples.js';
import { fullDataMethod, methodNames, recommendedMethod } from './methods.js';

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
  /** Training step: 'auto' = one compiled native TensorFlow graph when possible (not data-parallel), 'eager' = tfjs ops. */
  trainStep: TrainStepKind;
  /** Score file (from `dp score`) a policy that consumes one keeps the top-scored subset of; its scoring time is charged. */
  scoreFile: string;
  /** Image folders: scale every image so its shorter side has this many pixels, before caching (0 = as stored). */
  resize: number;
  /** Image folders: then keep the centred crop x crop square (0 = no crop). Mixed-size folders need one of the two. */
  crop: number;
  /**
   * Set on an equal-steps baseline run (full data for ⌈(1 − r)·E⌉ epochs, see equal-steps.ts): the epochs E and prune
   * ratio r of the pruned runs it matches in optimizer steps; null otherwise.
   */
  equalSteps: EqualStepsOf | null;
}

/** A numeric field's allowed range (both ends inclusive unless open). */
export interface Range {
  min: number;
  max: number;
  minOpen?: boolean;
  maxOpen?: boolean;
}

/**
 * One run option: everything the config, its validation, the CLI flags, the help text, the fingerprint and the sweep's
 * time model know about it. Adding a run option = one entry here (plus its use).
 */
export interface FieldSpec<K extends keyof RunConfig = keyof RunConfig> {
  name: K;
  /** 'int' / 'number' with `range`; 'choice' of `choices()`; 'custom' checked by `check`. */
  type: 'int' | 'number' | 'string' | 'choice' | 'boolean' | 'custom';
  default: RunConfig[K];
  /**
   * A default that depends on the other fields (e.g. warmup on the schedule): the value a config gets when the field
   * is not given and the base config's value is not one given either (it equals the base's own dependent default).
   * An explicit value always wins. `default` is its value for the table's other defaults.
   */
  dependentDefault?: (cfg: RunConfig) => RunConfig[K];
  range?: Range;
  choices?: () => readonly string[];
  /** A check of its own ('custom', or a message of its own): throws through `bad(field, value, allowed)`. */
  check?: (value: unknown, bad: (field: string, value: unknown, allowed: string) => Error) => void;
  /** The flag that sets it (without --), with the argument's name in the help (NAME, N, X); null: no flag of its own. */
  flag: { name: string; arg: string } | null;
  /** How an error names the way to set it (default: the flag). */
  setBy?: string;
  /** A flag value's error: what the value means and the fix (default: a value in the range). */
  flagFix?: { means: string; fix: string };
  /** The help text after the flag's column (continuation lines are indented to it); '' for none. */
  help: () => string;
  /** 'always'; 'when-set' (fields added after results were published: only non-zero values, so old keys stay); 'never' (cannot change a trained number beyond float32 round-off). */
  fingerprint: 'always' | 'when-set' | 'never';
  /** Runs of the same setup (all these fields equal) train at the same seconds per epoch of data (the sweep's time model). */
  sameSetup: boolean;
}

const INT_MAX = Number.MAX_SAFE_INTEGER;
/** The warm-up of every schedule but onecycle, and onecycle's rising phase (the warmup field's dependent default). */
export const WARMUP_DEFAULT = 0.05;
export const ONECYCLE_WARMUP_DEFAULT = 0.3;
/** Continuation lines of a help text, indented to the help column. */
const more = (...lines: string[]) => lines.map((l) => `\n${' '.repeat(26)}${l}`).join('');

/** The run options, in the order of a config file (config.json). */
export const FIELDS: readonly FieldSpec[] = [
  {
    name: 'dataset',
    type: 'choice',
    default: 'fashion-mnist',
    choices: datasetNames,
    flag: { name: 'dataset', arg: 'NAME' },
    help: () => `${datasetNames().join(' | ')} (default {default})`,
    fingerprint: 'always',
    sameSetup: true,
  },
  {
    name: 'model',
    type: 'choice',
    default: 'cnn-small',
    choices: modelNames,
    flag: { name: 'model', arg: 'NAME' },
    help: () =>
      `(default {default})${modelEntries()
        .map((m) => `\n${' '.repeat(28)}${m.name.padEnd(12)} ${m.summary}`)
        .join('')}`,
    fingerprint: 'always',
    sameSetup: true,
  },
  {
    name: 'epochs',
    type: 'int',
    default: 3,
    range: { min: 1, max: 100000 },
    flag: { name: 'epochs', arg: 'N' },
    help: () => '(default {default})',
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'batchSize',
    type: 'int',
    default: 128,
    range: { min: 1, max: 65536 },
    flag: { name: 'batch-size', arg: 'N' },
    help: () => '(default {default})',
    fingerprint: 'always',
    sameSetup: true,
  },
  {
    name: 'lr',
    type: 'number',
    default: 0.05,
    range: { min: 0, max: Infinity, minOpen: true },
    flag: { name: 'lr', arg: 'X' },
    help: () => 'peak learning rate (default {default})',
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'momentum',
    type: 'number',
    default: 0.9,
    range: { min: 0, max: 1, maxOpen: true },
    flag: { name: 'momentum', arg: 'X' },
    help: () => 'SGD momentum (default {default}); Nesterov on unless --no-nesterov',
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'nesterov',
    type: 'boolean',
    default: true,
    flag: null,
    setBy: '--no-nesterov',
    help: () => '',
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'weightDecay',
    type: 'number',
    default: 5e-4,
    range: { min: 0, max: Infinity },
    flag: { name: 'weight-decay', arg: 'X' },
    help: () => 'L2 weight decay on kernels (default {default})',
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'schedule',
    type: 'choice',
    default: 'cosine',
    choices: () => SCHEDULES,
    flag: { name: 'schedule', arg: 'NAME' },
    help: () => `${SCHEDULES.join(' | ')} (default {default}), defined on training progress`,
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'warmup',
    type: 'number',
    // 0.05 removes the loss spike of the first steps at lr 0.05 and gained +1.95 ± 0.75 points over 0 on Fashion-MNIST
    // (bench/warmup/results-2026-12-06.md); runs made before it was the default pass --warmup 0 (results/*.sh).
    default: WARMUP_DEFAULT,
    // onecycle's rising phase is the warm-up: 30% of training, as PyTorch's OneCycleLR (pct_start 0.3, Smith & Topin
    // 2019), not the 5% linear warm-up of the other schedules.
    dependentDefault: (cfg) => (cfg.schedule === 'onecycle' ? ONECYCLE_WARMUP_DEFAULT : WARMUP_DEFAULT),
    range: { min: 0, max: 1, maxOpen: true },
    flag: { name: 'warmup', arg: 'X' },
    help: () =>
      'fraction of training in linear LR warm-up from 0 (default {default}; 0 = none); with' +
      more(
        `--schedule onecycle the rising phase to the peak (default ${ONECYCLE_WARMUP_DEFAULT}, as PyTorch's OneCycleLR)`,
      ),
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'labelSmoothing',
    type: 'number',
    default: 0,
    range: { min: 0, max: 1, maxOpen: true },
    flag: { name: 'label-smoothing', arg: 'X' },
    help: () => 'in [0, 1) (default 0)',
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'policy',
    type: 'choice',
    default: fullDataMethod(),
    choices: () => [...methodNames(), AUTO_POLICY],
    flag: { name: 'policy', arg: 'NAME' },
    help: () =>
      `${methodNames().join(' | ')} | ${AUTO_POLICY} (default {default});` +
      more(
        `${AUTO_POLICY} is the recommended policy, now ${recommendedMethod()} (at ${RECOMMENDED_PRUNE_RATIO} unless --prune-ratio);`,
        `${EQUAL_STEPS} is the baseline of budgeted training: full data for ⌈(1 − r)·E⌉ epochs, the`,
        'optimizer steps of a run pruned at r, with the LR schedule laid on that shorter run',
        `(--policy ${EQUAL_STEPS} --prune-ratio 0.5 --epochs 80 trains 40 epochs of all the data)`,
      ),
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'pruneRatio',
    type: 'number',
    default: 0,
    range: { min: 0, max: 1, maxOpen: true },
    flag: { name: 'prune-ratio', arg: 'R' },
    help: () => `share pruned per epoch, in [0, 1) (default 0.5 unless --policy ${fullDataMethod()})`,
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'policyOptions',
    type: 'custom',
    default: {},
    check: (v, bad) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v))
        throw bad('policyOptions', v, 'an object of policy options');
      // Own keys only (JSON.parse makes "__proto__" an own key), named as --policy-option names them, with plain values.
      for (const [k, x] of Object.entries(v)) {
        if (!/^[A-Za-z][\w-]*$/.test(k))
          throw bad(`policyOptions.${k}`, x, 'an option named by letters, digits, - and _ (starting with a letter)');
        if (!(typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x))))
          throw bad(`policyOptions.${k}`, x, 'a finite number, a string or true / false');
      }
    },
    flag: { name: 'policy-option', arg: 'K=V' },
    help: () =>
      `a policy option, repeatable (e.g. --policy-option ${exampleMethods().option.name}=${exampleMethods().option.value}); in a sweep (compare,` +
      more('bench) each policy takes the ones it knows and full data none'),
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'seed',
    type: 'int',
    default: 0,
    range: { min: 0, max: 4294967295 }, // the models draw 32-bit initialiser seeds
    flag: { name: 'seed', arg: 'N' },
    help: () => 'seed of every random choice (default 0)',
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'trainSubset',
    type: 'int',
    default: 0,
    range: { min: 0, max: INT_MAX },
    flag: { name: 'train-subset', arg: 'N' },
    help: () => 'train on a class-balanced subset of N training samples (default {default}; 0 = all)',
    fingerprint: 'always',
    sameSetup: true,
  },
  {
    name: 'testSubset',
    type: 'int',
    default: 0,
    range: { min: 0, max: INT_MAX },
    flag: { name: 'test-subset', arg: 'N' },
    help: () => 'evaluate on a class-balanced subset of N test samples',
    fingerprint: 'always',
    sameSetup: true,
  },
  {
    name: 'valSplit',
    type: 'int',
    default: 0,
    range: { min: 0, max: INT_MAX },
    check: (v) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw new ExperimentError(
          `valSplit = ${showValue(v)} is invalid: expected an integer >= 0 (training samples held out for validation, 0 = none); fix: e.g. --val-split 5000, or 0 to evaluate on the test set`,
        );
      }
    },
    flag: { name: 'val-split', arg: 'N' },
    flagFix: {
      means: 'training samples held out for validation',
      fix: 'e.g. --val-split 5000, or 0 to evaluate on the test set',
    },
    help: () =>
      'hold out N training samples (after --train-subset; seeded by --seed, stratified by class,' +
      more(
        'at least one per class on each side) and evaluate on them instead of the test set: choose',
        'options on it, never on the test set (e.g. --val-split 5000; default 0 = off)',
      ),
    fingerprint: 'when-set',
    sameSetup: true,
  },
  {
    name: 'evalEvery',
    type: 'int',
    default: 1,
    range: { min: 1, max: INT_MAX },
    flag: { name: 'eval-every', arg: 'N' },
    help: () => 'evaluate every N epochs and after the last (default 1)',
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'checkpointEvery',
    type: 'int',
    default: 1,
    range: { min: 1, max: INT_MAX },
    flag: { name: 'checkpoint-every', arg: 'N' },
    help: () => 'checkpoint every N epochs and after the last (default 1)',
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'augment',
    type: 'choice',
    default: 'auto',
    choices: () => ['auto', 'none', 'crop-flip', 'resized-crop-flip'],
    flag: { name: 'augment', arg: 'NAME' },
    help: () =>
      'auto | none | crop-flip | resized-crop-flip (default auto: crop-flip for CIFAR,' +
      more('resized-crop-flip for image folders, none for (Fashion-)MNIST); seeded by (seed, epoch, batch)'),
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'batchNorm',
    type: 'choice',
    default: 'auto',
    choices: () => ['auto', 'fused', 'reference'],
    flag: { name: 'batch-norm', arg: 'KIND' },
    help: () =>
      "auto | fused | reference (default auto: TensorFlow's fused batch-norm and ReLU kernels on" +
      more("the native backend, about 2.5x faster training; reference = tfjs-layers' own layers)"),
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'inference',
    type: 'choice',
    default: 'auto',
    choices: () => ['auto', 'compiled', 'reference'],
    flag: { name: 'inference', arg: 'KIND' },
    help: () =>
      'auto | compiled | reference (default auto: evaluation and scoring run the network as one' +
      more('compiled TensorFlow graph on the native backend, 1.5-4x faster; reference = tfjs-layers)'),
    fingerprint: 'never',
    sameSetup: false,
  },
  {
    name: 'trainStep',
    type: 'choice',
    default: 'auto',
    choices: () => TRAIN_STEP_KINDS,
    flag: { name: 'train-step', arg: 'KIND' },
    help: () =>
      'auto | compiled | eager (default auto: each SGD step runs as one compiled TensorFlow graph on' +
      more('the native backend, ~1.4x faster; eager = tfjs ops, and always in data-parallel runs)'),
    fingerprint: 'never',
    sameSetup: false,
  },
  {
    name: 'scoreFile',
    type: 'string',
    default: '',
    check: (v, bad) => {
      if (typeof v !== 'string') throw bad('scoreFile', v, 'a path to a score file written by dp score');
    },
    flag: { name: 'score-file', arg: 'FILE' },
    help: () => 'for static runs: the dp score file to keep the top-scored subset of',
    fingerprint: 'always',
    sameSetup: false,
  },
  {
    name: 'resize',
    type: 'int',
    default: 0,
    range: { min: 0, max: 4096 },
    flag: { name: 'resize', arg: 'PX' },
    help: () => "image folders: scale each image's shorter side to PX pixels when first decoded (cached)",
    fingerprint: 'when-set',
    sameSetup: true,
  },
  {
    name: 'crop',
    type: 'int',
    default: 0,
    range: { min: 0, max: 4096 },
    flag: { name: 'crop', arg: 'PX' },
    help: () =>
      'image folders: then keep the centred PX x PX square; a folder of mixed sizes needs it,' +
      more('with --resize if some images are smaller (e.g. ImageNet at 64 px: --resize 72 --crop 64)'),
    fingerprint: 'when-set',
    sameSetup: true,
  },
  {
    name: 'equalSteps',
    type: 'custom',
    default: null,
    check: (v, bad) => {
      if (v === null) return;
      const o = v as Record<string, unknown>;
      const ok = typeof o === 'object' && !Array.isArray(o) && Object.keys(o).sort().join() === 'epochs,pruneRatio';
      if (!ok) throw bad('equalSteps', v, 'null or { "epochs": E, "pruneRatio": r }');
      checkValue({ type: 'int', range: { min: 1, max: 100000 } }, 'equalSteps.epochs', o.epochs, bad);
      checkValue(
        { type: 'number', range: { min: 0, max: 1, minOpen: true, maxOpen: true } },
        'equalSteps.pruneRatio',
        o.pruneRatio,
        bad,
      );
    },
    flag: null,
    setBy: `--policy ${EQUAL_STEPS} --prune-ratio R`,
    help: () => '',
    fingerprint: 'when-set',
    sameSetup: false,
  },
];

/** The field table by name. */
export const FIELD: Readonly<Record<keyof RunConfig, FieldSpec>> = Object.fromEntries(
  FIELDS.map((f) => [f.name, f]),
) as Record<keyof RunConfig, FieldSpec>;

/** The allowed values of a numeric field, in words: 'an integer in [1, 100000]', 'a number in (0, inf)'. */
export function allowedText(spec: Pick<FieldSpec, 'type' | 'range'>): string {
  const { min, max, minOpen = false, maxOpen = false } = spec.range ?? { min: -Infinity, max: Infinity };
  if (spec.type === 'int') return max >= INT_MAX ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
  return `a number in ${minOpen ? '(' : '['}${min}, ${max === Infinity ? 'inf)' : `${max}${maxOpen ? ')' : ']'}`}`;
}

/** Whether `v` is an allowed value of an 'int' / 'number' field. */
export function inRange(spec: Pick<FieldSpec, 'type' | 'range'>, v: unknown): v is number {
  const { min, max, minOpen = false, maxOpen = false } = spec.range ?? { min: -Infinity, max: Infinity };
  if (typeof v !== 'number' || !Number.isFinite(v) || (spec.type === 'int' && !Number.isInteger(v))) return false;
  return (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
}

/** Check one value of a typed field (int, number, boolean) against its spec. */
export function checkValue(
  spec: Pick<FieldSpec, 'type' | 'range'>,
  field: string,
  v: unknown,
  bad: (field: string, value: unknown, allowed: string) => Error,
): void {
  if (spec.type === 'boolean') {
    if (typeof v !== 'boolean') throw bad(field, v, 'true or false');
  } else if (!inRange(spec, v)) throw bad(field, v, allowedText(spec));
}

/**
 * A value as the user wrote it, as far as JSON can tell: JSON.stringify, except numbers JSON cannot write (1e400 in a
 * config file parses to Infinity, which JSON.stringify would show as null) and values it drops.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value))
    return `${String(value)}${Number.isNaN(value) ? '' : ' (a number too large for a double)'}`;
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}
