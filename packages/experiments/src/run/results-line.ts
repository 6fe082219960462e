import { ExperimentError } from '../errors.js';
import { fingerprint, showValue, validateRunConfig, type RunConfig } from '../config/config.js';
import { roleOf } from '../config/methods.js';
import type { RunSummary } from './summary.js';

/**
 * The one validation of a run summary read back from disk: a line of a `dp bench` results file or a run directory's
 * result.json. `dp report` and `dp bench` both read summaries through it, so a line one of them accepts the other
 * accepts too, and a damaged but parseable line (a field edited by hand, a merge gone wrong, `"epochs": null`,
 * `"trainingSeconds": -5`) is refused with one line naming the file and line, the field, its value and the fix,
 * instead of a stack trace, a negative cost or a run counted as done that never ran.
 *
 * Checked: every field's type and range (seconds finite and >= 0, accuracies and shares in [0, 1], counts integers
 * >= 0), the per-epoch records (one per epoch of the config, in order), the selection histogram (one bin per number
 * of epochs a sample can be selected in), the config through the run config's own validation (validateRunConfig),
 * and the key (the config's fingerprint, which dp bench matches runs by).
 */

/** A damaged summary: `where` (file:line or a result.json path), the field, its value, what was expected. */
function damaged(where: string, field: string, value: unknown, allowed: string, fix: string): ExperimentError {
  const problem = value === undefined ? `${field} is missing` : `${field} = ${showValue(value)} is invalid`;
  return new ExperimentError(`${where}: ${problem}: expected ${allowed}; fix: ${fix}`);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Validate one parsed summary. `where` names it in errors ('results/x.jsonl:12', 'runs/a/result.json'); `fix` says
 * what to do with a damaged one (default: restore it from its run directory's result.json, or delete it). Returns it
 * typed; throws a ExperimentError (exit code 2) on the first problem.
 */
export function validateRunSummary(raw: unknown, where: string, fix?: string): RunSummary {
  const runDir = isObj(raw) && typeof raw.runDir === 'string' && raw.runDir ? raw.runDir : undefined;
  const howToFix =
    fix ??
    `the line is damaged: replace it with the run's own result.json${runDir ? ` (${runDir}/result.json)` : ''} on one line, or delete it (dp bench then trains that run again)`;
  const bad = (field: string, value: unknown, allowed: string) => damaged(where, field, value, allowed, howToFix);
  if (!isObj(raw))
    throw new ExperimentError(
      `${where}: ${showValue(raw)} is not a run summary: expected a JSON object written by dp bench (is this a dp bench results file?); fix: ${howToFix}`,
    );
  const r = raw;
  // The config first: the other checks need its epochs.
  if (!isObj(r.config)) throw bad('config', r.config, 'the run config object');
  if (typeof r.config.policy === 'string' && roleOf(r.config.policy) === 'matched-steps')
    throw bad(
      'config.policy',
      r.config.policy,
      'a trained policy (an equal-steps run is recorded as policy "full" with equalSteps set)',
    );
  let cfg: RunConfig;
  try {
    cfg = validateRunConfig(r.config);
  } catch (e) {
    if (!(e instanceof ExperimentError)) throw e;
    throw new ExperimentError(`${where}: config: ${e.message.replace(/; fix: .*$/s, '')}; fix: ${howToFix}`);
  }
  const key = fingerprint(cfg);
  if (typeof r.key !== 'string' || r.key !== key)
    throw bad(
      'key',
      r.key,
      `the fingerprint of the line's config (${key.length > 60 ? `${key.slice(0, 57)}...` : key})`,
    );
  if (typeof r.runDir !== 'string') throw bad('runDir', r.runDir, 'the run directory (a string)');
  const fraction = (field: string, v: unknown, optional = false) => {
    if (optional && v === undefined) return;
    if (!isNum(v) || v < 0 || v > 1) throw bad(field, v, 'a number in [0, 1]');
  };
  const seconds = (field: string, v: unknown, optional = false) => {
    if (optional && v === undefined) return;
    if (!isNum(v) || v < 0) throw bad(field, v, 'a finite number of seconds >= 0');
  };
  const count = (field: string, v: unknown, min = 0) => {
    if (!Number.isSafeInteger(v) || (v as number) < min) throw bad(field, v, `an integer >= ${min}`);
  };
  fraction('finalAccuracy', r.finalAccuracy);
  fraction('finalTop5', r.finalTop5, true);
  if (r.evaluatedOn !== undefined && r.evaluatedOn !== 'test' && r.evaluatedOn !== 'validation')
    throw bad('evaluatedOn', r.evaluatedOn, '"test" or "validation"');
  if (r.evaluationSamples !== undefined) count('evaluationSamples', r.evaluationSamples, 1);
  seconds('trainingSeconds', r.trainingSeconds);
  seconds('scoringSeconds', r.scoringSeconds);
  seconds('evalSeconds', r.evalSeconds, true);
  count('samplesTrained', r.samplesTrained);
  fraction('trainedFraction', r.trainedFraction);
  // One record per epoch of the run, in order.
  if (!Array.isArray(r.epochs) || r.epochs.length !== cfg.epochs)
    throw bad('epochs', r.epochs, `a list of ${cfg.epochs} epoch records (config.epochs = ${cfg.epochs})`);
  let samples = 0;
  r.epochs.forEach((e: unknown, i) => {
    const f = `epochs[${i}]`;
    if (!isObj(e))
      throw bad(f, e, 'an epoch record { epoch, samples, trainLoss, trainAccuracy, trainingSeconds, selectionHash }');
    if (e.epoch !== i) throw bad(`${f}.epoch`, e.epoch, `${i} (the records are one per epoch, in order)`);
    count(`${f}.samples`, e.samples);
    samples += e.samples as number;
    if (!isNum(e.trainLoss) || e.trainLoss < 0) throw bad(`${f}.trainLoss`, e.trainLoss, 'a finite number >= 0');
    fraction(`${f}.trainAccuracy`, e.trainAccuracy);
    fraction(`${f}.testAccuracy`, e.testAccuracy, true);
    seconds(`${f}.trainingSeconds`, e.trainingSeconds);
    if (typeof e.selectionHash !== 'string')
      throw bad(`${f}.selectionHash`, e.selectionHash, 'the selection hash (a string)');
  });
  if (samples !== r.samplesTrained)
    throw bad('samplesTrained', r.samplesTrained, `the sum of the epochs' samples (${samples})`);
  if (!isObj(r.selection)) throw bad('selection', r.selection, 'an object { flippedShare, histogram }');
  fraction('selection.flippedShare', r.selection.flippedShare);
  const hist = r.selection.histogram;
  if (!Array.isArray(hist) || hist.length !== cfg.epochs + 1)
    throw bad(
      'selection.histogram',
      hist,
      `a list of ${cfg.epochs + 1} counts (samples selected in 0..${cfg.epochs} epochs)`,
    );
  hist.forEach((v: unknown, i) => count(`selection.histogram[${i}]`, v));
  if (typeof r.backend !== 'string') throw bad('backend', r.backend, 'the backend name (a string)');
  if (r.cpus !== undefined && !(Array.isArray(r.cpus) && r.cpus.every((c) => typeof c === 'string')))
    throw bad('cpus', r.cpus, 'a list of CPU descriptions (strings)');
  if (r.trainSteps !== undefined && !(Array.isArray(r.trainSteps) && r.trainSteps.every((c) => typeof c === 'string')))
    throw bad('trainSteps', r.trainSteps, "a list of training steps ('compiled', 'eager', 'unknown')");
  if (typeof r.finishedAt !== 'string' || !Number.isFinite(Date.parse(r.finishedAt)))
    throw bad('finishedAt', r.finishedAt, 'an ISO date-time');
  return r as unknown as RunSummary;
}

/**
 * One line of a results file: undefined for a blank line, 'partial' for a line that is not JSON (an append cut short
 * by a kill: dp bench redoes that run, dp report skips it, both with a warning), else the validated summary.
 */
export function parseResultsLine(line: string, where: string): RunSummary | 'partial' | undefined {
  if (!line.trim()) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return 'partial';
  }
  return validateRunSummary(raw, where);
}
