import { readFileSync } from 'node:fs';
import { getScore, scoreNames } from '@dp/scores';
import { ExperimentError } from '../errors.js';
import { resolveAuto } from './auto-policy.js';
import { EQUAL_STEPS, equalStepsEpochs, type EqualStepsOf } from './equal-steps.js';
import { checkValue, FIELD, FIELDS, showValue, type FieldSpec, type RunConfig } from './fields.js';
import { consumesScoreFile, fullDataMethod, methodNames, roleOf } from './methods.js';

/** The score a fix suggests for a score file: the first built-in one trained before scoring. */
function defaultScoreName(): string {
  return scoreNames().find((n) => (getScore(n).defaults?.epochs ?? 0) > 0) ?? scoreNames()[0]!;
}

export type { RunConfig } from './fields.js';
export { showValue } from './fields.js';

/** The datasets read from image files, the only ones `resize` / `crop` apply to. */
export const IMAGE_FOLDER_DATASETS: readonly string[] = ['imagefolder', 'cifar10-jpeg'];

/** Every field at its default (the field table's defaults). */
export const DEFAULTS: RunConfig = Object.freeze(
  Object.fromEntries(FIELDS.map((f) => [f.name, f.default])),
) as unknown as RunConfig;

/** Check one field's value against its entry in the field table; the error names field, value, range and fix. */
function checkField(spec: FieldSpec, field: string, v: unknown): void {
  if (spec.check) return spec.check(v, bad);
  if (spec.type === 'choice') {
    const list = spec.choices!();
    if (typeof v !== 'string' || !list.includes(v))
      throw new ExperimentError(`unknown ${field} ${JSON.stringify(v)}; fix: use one of ${list.join(', ')}`);
  } else if (spec.type === 'string') {
    if (typeof v !== 'string') throw bad(field, v, 'a string');
  } else checkValue(spec, field, v, bad);
}

/** The flag that sets a config field, for the fix of an error naming the field. */
export function flagOf(field: string): string {
  const spec = FIELD[field.split('.')[0]! as keyof RunConfig];
  if (spec?.setBy) return spec.setBy;
  if (spec?.flag) return `--${spec.flag.name}`;
  return `--${field.split('.')[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function bad(field: string, value: unknown, allowed: string): ExperimentError {
  return new ExperimentError(
    `${field} = ${showValue(value)} is invalid: expected ${allowed}; fix: set ${field} to ${allowed} (flag ${flagOf(field)}, or the field in the --config file)`,
  );
}

/** Merge `raw` over the defaults, rejecting unknown fields and invalid values (the error names field, value, range). */
export function validateRunConfig(raw: Record<string, unknown>, base: RunConfig = DEFAULTS): RunConfig {
  const out: Record<string, unknown> = { ...base, policyOptions: { ...base.policyOptions } };
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    // Own fields only: `key in CHECKS` would also take "constructor", "toString" or "__proto__" (an own key of
    // JSON.parse's objects) from Object.prototype.
    if (!Object.hasOwn(FIELD, key)) {
      throw new ExperimentError(
        `unknown config field ${JSON.stringify(key)}; fix: remove it (known fields: ${FIELDS.map((f) => f.name).join(', ')})`,
      );
    }
    checkField(FIELD[key as keyof RunConfig], key, value);
    out[key] = value;
  }
  const cfg = out as unknown as RunConfig;
  applyDependentDefaults(cfg, raw, base);
  cfg.policy = resolveAuto(cfg.policy);
  if (cfg.policy === EQUAL_STEPS) resolveEqualSteps(cfg);
  if (cfg.equalSteps) checkEqualSteps(cfg, cfg.equalSteps);
  const role = roleOf(cfg.policy);
  if (role === 'full-data' && cfg.pruneRatio > 0) {
    throw new ExperimentError(
      `pruneRatio = ${cfg.pruneRatio} conflicts with policy = "${cfg.policy}" (which never prunes); fix: choose another --policy or drop --prune-ratio`,
    );
  }
  if (consumesScoreFile(cfg.policy) && !cfg.scoreFile) {
    throw new ExperimentError(
      `policy = "${cfg.policy}" needs a score file; fix: write one with \`dp score --method ${defaultScoreName()}\` and pass --score-file FILE`,
    );
  }
  if (cfg.scoreFile && !consumesScoreFile(cfg.policy)) {
    const readers = methodNames().filter(consumesScoreFile);
    throw new ExperimentError(
      `scoreFile = ${JSON.stringify(cfg.scoreFile)} conflicts with policy = ${JSON.stringify(cfg.policy)}: only the ${readers.join(', ')} policy reads a score file; fix: add --policy ${readers[0]} or drop --score-file`,
    );
  }
  if ((cfg.resize || cfg.crop) && !IMAGE_FOLDER_DATASETS.includes(cfg.dataset)) {
    const field = cfg.resize ? 'resize' : 'crop';
    throw new ExperimentError(
      `${field} = ${cfg[field]} conflicts with dataset = ${JSON.stringify(cfg.dataset)}: only image folders (${IMAGE_FOLDER_DATASETS.join(', ')}) are resized or cropped; fix: drop --${field}`,
    );
  }
  if (cfg.resize && cfg.crop > cfg.resize) {
    throw new ExperimentError(
      `crop = ${cfg.crop} is invalid with resize = ${cfg.resize}: the crop must fit the resized shorter side; fix: --crop ${cfg.resize} or less, or a larger --resize`,
    );
  }
  return cfg;
}

/**
 * Fields whose default depends on other fields (the field table's `dependentDefault`) and that were not given: neither
 * in `raw` nor in `base` (a base value equal to the base's own dependent default counts as not given), so they follow
 * the config (warmup 0.3 for onecycle, 0.05 otherwise). A value given anywhere stays.
 */
function applyDependentDefaults(cfg: RunConfig, raw: Record<string, unknown>, base: RunConfig): void {
  const out = cfg as unknown as Record<string, unknown>;
  for (const f of FIELDS) {
    if (!f.dependentDefault || raw[f.name] !== undefined || base[f.name] !== f.dependentDefault(base)) continue;
    out[f.name] = f.dependentDefault(cfg);
  }
}

/**
 * `policy: 'equal-steps'` with epochs E and prune ratio r becomes what is trained: full data for ⌈(1 − r)·E⌉ epochs,
 * recorded as the equal-steps baseline of (E, r).
 */
function resolveEqualSteps(cfg: RunConfig): void {
  if (!(cfg.pruneRatio > 0)) {
    throw new ExperimentError(
      `policy = "${EQUAL_STEPS}" needs a prune ratio in (0, 1): it trains full data for the steps of a run pruned at that ratio; fix: add --prune-ratio (e.g. 0.5), or use --policy ${fullDataMethod()}`,
    );
  }
  if (Object.keys(cfg.policyOptions).length) {
    throw new ExperimentError(
      `policy = "${EQUAL_STEPS}" takes no policy options (it trains full data), got ${JSON.stringify(cfg.policyOptions)}; fix: drop --policy-option`,
    );
  }
  cfg.equalSteps = { epochs: cfg.epochs, pruneRatio: cfg.pruneRatio };
  cfg.epochs = equalStepsEpochs(cfg.epochs, cfg.pruneRatio);
  cfg.policy = fullDataMethod();
  cfg.pruneRatio = 0;
}

/** An equal-steps record must describe the run: full data, no pruning, ⌈(1 − r)·E⌉ epochs. */
function checkEqualSteps(cfg: RunConfig, of: EqualStepsOf): void {
  const epochs = equalStepsEpochs(of.epochs, of.pruneRatio);
  if (
    roleOf(cfg.policy) !== 'full-data' ||
    cfg.pruneRatio !== 0 ||
    cfg.epochs !== epochs ||
    Object.keys(cfg.policyOptions).length
  ) {
    throw new ExperimentError(
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
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw new ExperimentError(
      `cannot read config file ${path}: ${code ? `${code} (${why})` : why}; fix: give --config the path of a JSON file of run fields (a run directory's config.json is one)`,
    );
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('the top level must be an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new ExperimentError(
      `config file ${path} is not valid JSON: ${(e as Error).message}; fix: make it one JSON object of run fields, e.g. {"epochs": 3, "policy": "random"}`,
    );
  }
}

/** Fields that cannot change what is trained or measured beyond float32 round-off: left out of the fingerprint. */
export const NOT_FINGERPRINTED: ReadonlySet<string> = new Set<string>(
  FIELDS.filter((f) => f.fingerprint === 'never').map((f) => f.name),
);

/**
 * Fields added after results were published: fingerprinted only when set (non-zero), so every earlier run, whose
 * config does not have them, keeps its key (the results files and run directories are keyed by it).
 */
const FINGERPRINTED_WHEN_SET: ReadonlySet<string> = new Set<string>(
  FIELDS.filter((f) => f.fingerprint === 'when-set').map((f) => f.name),
);

/** Fields that change what is trained, in a stable order: equal fingerprints = the same run. */
export function fingerprint(cfg: RunConfig): string {
  const keys = FIELDS.map((f) => f.name as string)
    .filter((k) => !NOT_FINGERPRINTED.has(k) && !(FINGERPRINTED_WHEN_SET.has(k) && !cfg[k as keyof RunConfig]))
    .sort();
  return JSON.stringify(
    keys.map((k) => [
      k,
      k === 'policyOptions' || k === 'equalSteps'
        ? sortObj(cfg[k as 'policyOptions' | 'equalSteps'] as Record<string, unknown>)
        : cfg[k as keyof RunConfig],
    ]),
  );
}

/** Whether two runs share a setup (the field table's sameSetup fields; fields a run predates take their defaults). */
export function sameSetup(a: Partial<RunConfig>, b: Partial<RunConfig>): boolean {
  return FIELDS.filter((f) => f.sameSetup).every((f) => (a[f.name] ?? f.default) === (b[f.name] ?? f.default));
}

function sortObj(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
