import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetNames } from '@dp/data';
import { modelEntries } from '@dp/models';
import { policyNames } from '@dp/policies';
import { SCHEDULES } from '@dp/trainer';
import type { OptionSpec } from '../args.js';
import { num } from '../args.js';
import { CliError } from '../errors.js';
import { DEFAULTS, readConfigFile, validateRunConfig, type RunConfig } from './config.js';
import { EQUAL_STEPS, methodTag } from './equal-steps.js';

/** Flags that set RunConfig fields (shared by train, compare, bench, score). */
export const RUN_FLAGS: OptionSpec = {
  config: { type: 'string' },
  dataset: { type: 'string' },
  'data-dir': { type: 'string' },
  model: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  momentum: { type: 'string' },
  'no-nesterov': { type: 'boolean' },
  'weight-decay': { type: 'string' },
  schedule: { type: 'string' },
  warmup: { type: 'string' },
  'label-smoothing': { type: 'string' },
  policy: { type: 'string' },
  'prune-ratio': { type: 'string' },
  'policy-option': { type: 'string', multiple: true },
  seed: { type: 'string' },
  'train-subset': { type: 'string' },
  'test-subset': { type: 'string' },
  'val-split': { type: 'string' },
  'eval-every': { type: 'string' },
  'checkpoint-every': { type: 'string' },
  'score-file': { type: 'string' },
  resize: { type: 'string' },
  crop: { type: 'string' },
  augment: { type: 'string' },
  'batch-norm': { type: 'string' },
  inference: { type: 'string' },
  gpu: { type: 'boolean' },
  'allow-cpu': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/**
 * The run options' help text. `omit` drops flags a command does not take (it rejects them with `rejectRunFlags`)
 * or documents itself; a flag's continuation lines go with it.
 */
export function runFlagsHelp(omit: readonly string[] = []): string {
  if (!omit.length) return runFlagsText();
  const drop = new Set(omit.map((f) => `--${f}`));
  let keep = true;
  return runFlagsText()
    .split('\n')
    .filter((line) => {
      const flag = /^ {2}(--[\w-]+)/.exec(line)?.[1];
      if (flag) keep = !drop.has(flag);
      return keep;
    })
    .join('\n');
}

/** Refuse run flags a command does not use, rather than ignoring them: `why` says what to use instead. */
export function rejectRunFlags(values: Record<string, unknown>, flags: readonly string[], command: string, why: string): void {
  const given = flags.filter((f) => values[f] !== undefined);
  if (given.length) throw new CliError(`dp ${command} does not take ${given.map((f) => `--${f}`).join(', ')}: ${why}; fix: see \`dp ${command} --help\``);
}

function runFlagsText(): string {
  return `Run options (or put the same fields, camelCased, in a JSON file given with --config; flags win):
  --dataset NAME          ${datasetNames().join(' | ')} (default ${DEFAULTS.dataset})
  --data-dir DIR          look for dataset files only here (else $DP_DATA_DIR, the cache, system paths)
  --model NAME            (default ${DEFAULTS.model})
${modelEntries().map((m) => `                            ${m.name.padEnd(12)} ${m.summary}`).join('\n')}
  --epochs N              (default ${DEFAULTS.epochs})
  --batch-size N          (default ${DEFAULTS.batchSize})
  --lr X                  peak learning rate (default ${DEFAULTS.lr})
  --momentum X            SGD momentum (default ${DEFAULTS.momentum}); Nesterov on unless --no-nesterov
  --weight-decay X        L2 weight decay on kernels (default ${DEFAULTS.weightDecay})
  --schedule NAME         ${SCHEDULES.join(' | ')} (default ${DEFAULTS.schedule}), defined on training progress
  --warmup X              fraction of training in linear LR warm-up (default 0)
  --label-smoothing X     in [0, 1) (default 0)
  --policy NAME           ${policyNames().join(' | ')} | ${EQUAL_STEPS} (default ${DEFAULTS.policy});
                          ${EQUAL_STEPS} is the baseline of budgeted training: full data for ⌈(1 − r)·E⌉ epochs, the
                          optimizer steps of a run pruned at r, with the LR schedule laid on that shorter run
                          (--policy ${EQUAL_STEPS} --prune-ratio 0.5 --epochs 80 trains 40 epochs of all the data)
  --prune-ratio R         share pruned per epoch, in [0, 1) (default 0.5 unless --policy full)
  --policy-option K=V     a policy option, repeatable (e.g. --policy-option epsilon=0.2); in a sweep (compare,
                          bench) each policy takes the ones it knows and full data none
  --seed N                seed of every random choice (default 0)
  --train-subset N        train on a class-balanced subset of N training samples (quick experiments)
  --test-subset N         evaluate on a class-balanced subset of N test samples
  --val-split N           hold out N training samples (after --train-subset; seeded by --seed, stratified by class,
                          at least one per class on each side) and evaluate on them instead of the test set: choose
                          options on it, never on the test set (e.g. --val-split 5000; default 0 = off)
  --eval-every N          evaluate every N epochs and after the last (default 1)
  --checkpoint-every N    checkpoint every N epochs and after the last (default 1)
  --score-file FILE       for static runs: the dp score file to keep the top-scored subset of
  --resize PX             image folders: scale each image's shorter side to PX pixels when first decoded (cached)
  --crop PX               image folders: then keep the centred PX x PX square; a folder of mixed sizes needs it,
                          with --resize if some images are smaller (e.g. ImageNet at 64 px: --resize 72 --crop 64)
  --augment NAME          auto | none | crop-flip | resized-crop-flip (default auto: crop-flip for CIFAR,
                          resized-crop-flip for image folders, none for (Fashion-)MNIST); seeded by (seed, epoch, batch)
  --batch-norm KIND       auto | fused | reference (default auto: TensorFlow's fused batch-norm and ReLU kernels on
                          the native backend, about 2.5x faster training; reference = tfjs-layers' own layers)
  --inference KIND        auto | compiled | reference (default auto: evaluation and scoring run the network as one
                          compiled TensorFlow graph on the native backend, 1.5-4x faster; reference = tfjs-layers)
  --gpu                   use @tensorflow/tfjs-node-gpu (README: GPU)
  --allow-cpu             run on the pure-JS backend if the native one cannot load (300-700x slower)
`;
}

function parseValue(v: string): number | string | boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

/** Build a validated RunConfig from --config, then flags (flags win), over `base`. */
export function configFromFlags(values: Record<string, unknown>, base: RunConfig = DEFAULTS): RunConfig {
  const fromFile = typeof values.config === 'string' ? readConfigFile(values.config) : {};
  const v = values as Record<string, string | boolean | string[] | undefined>;
  const flags: Record<string, unknown> = {};
  const set = (field: keyof RunConfig, flag: string, kind: 'int' | 'num' | 'str', opts: Parameters<typeof num>[3] = {}) => {
    if (v[flag] === undefined) return;
    flags[field] = kind === 'str' ? v[flag] : num(v as Record<string, string | undefined>, flag, 0, { ...opts, integer: kind === 'int' });
  };
  set('dataset', 'dataset', 'str');
  set('model', 'model', 'str');
  set('epochs', 'epochs', 'int', { min: 1, max: 100000 });
  set('batchSize', 'batch-size', 'int', { min: 1, max: 65536 });
  set('lr', 'lr', 'num', { min: 0, minOpen: true });
  set('momentum', 'momentum', 'num', { min: 0, max: 1, maxOpen: true });
  set('weightDecay', 'weight-decay', 'num', { min: 0 });
  set('schedule', 'schedule', 'str');
  set('warmup', 'warmup', 'num', { min: 0, max: 1, maxOpen: true });
  set('labelSmoothing', 'label-smoothing', 'num', { min: 0, max: 1, maxOpen: true });
  set('policy', 'policy', 'str');
  set('pruneRatio', 'prune-ratio', 'num', { min: 0, max: 1, maxOpen: true });
  set('seed', 'seed', 'int', { min: 0, max: 4294967295 });
  set('trainSubset', 'train-subset', 'int', { min: 0 });
  set('testSubset', 'test-subset', 'int', { min: 0 });
  try {
    set('valSplit', 'val-split', 'int', { min: 0 });
  } catch (e) {
    throw new CliError(`${(e as Error).message.replace(/; fix: .*$/, '')} (training samples held out for validation); fix: e.g. --val-split 5000, or 0 to evaluate on the test set`);
  }
  set('evalEvery', 'eval-every', 'int', { min: 1 });
  set('checkpointEvery', 'checkpoint-every', 'int', { min: 1 });
  set('scoreFile', 'score-file', 'str');
  set('resize', 'resize', 'int', { min: 0 });
  set('crop', 'crop', 'int', { min: 0 });
  set('augment', 'augment', 'str');
  set('batchNorm', 'batch-norm', 'str');
  set('inference', 'inference', 'str');
  if (v['no-nesterov']) flags.nesterov = false;
  const options = v['policy-option'];
  if (Array.isArray(options)) {
    // The file's options are checked before the flags add to them (a non-object would otherwise vanish in the copy).
    if (fromFile.policyOptions !== undefined) validateRunConfig({ policyOptions: fromFile.policyOptions });
    const po: Record<string, number | string | boolean> = { ...((fromFile.policyOptions as Record<string, number | string | boolean>) ?? {}) };
    for (const o of options) {
      const m = /^([A-Za-z][\w-]*)=(.*)$/.exec(o);
      if (!m) throw new CliError(`--policy-option ${o} is invalid: expected KEY=VALUE; fix: write it as KEY=VALUE, e.g. --policy-option epsilon=0.2`);
      po[m[1]!] = parseValue(m[2]!);
    }
    flags.policyOptions = po;
  }
  const merged = { ...fromFile, ...flags };
  // A pruning policy without an explicit ratio prunes half the data.
  if (merged.policy !== undefined && merged.policy !== 'full' && merged.pruneRatio === undefined && base.pruneRatio === 0) merged.pruneRatio = 0.5;
  return validateRunConfig(merged, base);
}

/** Default run directory: runs/<dataset>-<model>-<policy>[-r<ratio>]-s<seed>-<timestamp>. */
export function defaultRunDir(cfg: RunConfig, root = 'runs'): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const base = join(root, `${cfg.dataset}-${cfg.model}-${methodTag(cfg)}-s${cfg.seed}-${stamp}`);
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}
