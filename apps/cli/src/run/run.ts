import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetPair } from '@dp/data';
import { createPruner, PrunerError } from '@dp/policies';
import { datasetFingerprint, pixelFingerprint, ScoreError } from '@dp/scores';
import { readScoreFile } from '@dp/scores/node';
import { checkResume, describeCpu, formatCpu, oneDnnState, readCheckpoint, train, TrainError, type EpochReport, type TrainResult } from '@dp/trainer';
import type { BackendInfo } from '../backend.js';
import { CliError } from '../errors.js';
import { appendFileExplained, writeFileAtomic, writeJsonAtomic } from '../fs.js';
import { formatDuration, ProgressBar, runEta } from '../progress.js';
import { warn } from '../warn.js';
import { fingerprint, readConfigFile, resolveAugment, type RunConfig } from './config.js';
import { loadData, runSplits, type EvaluatedOn } from './data.js';
import { compactLog, writeEpochScalars } from './log.js';
import { buildRunModel, trainingOptions } from './recipe.js';
import { validateRunSummary } from './results-line.js';
import { prunerCliError } from './plan.js';

/** What a finished run reports (result.json, one line of a bench results file). */
export interface RunSummary {
  key: string;
  config: RunConfig;
  runDir: string;
  finalAccuracy: number;
  finalTop5?: number;
  /**
   * What finalAccuracy and the epochs' testAccuracy were measured on: the test set, or the validation split carved from
   * the training set (config.valSplit > 0); absent in results recorded before 2026-12-06 (the test set).
   */
  evaluatedOn?: EvaluatedOn;
  /** Samples in the evaluation set (test subset or validation split). */
  evaluationSamples?: number;
  /** Seconds of training cost: training + data + selection + scoring (everything but evaluation). */
  trainingSeconds: number;
  /** Extra scoring cost charged to the method (e.g. a static score file's scoring time). */
  scoringSeconds: number;
  evalSeconds: number;
  samplesTrained: number;
  /** Samples trained / (epochs * N): the fraction of full-data work actually done. */
  trainedFraction: number;
  epochs: { epoch: number; samples: number; trainLoss: number; trainAccuracy: number; testAccuracy?: number; trainingSeconds: number; selectionHash: string }[];
  selection: { flippedShare: number; histogram: number[] };
  backend: string;
  /**
   * The CPUs the run trained on (formatCpu: model, cores, extensions, oneDNN state), one per distinct host of its start
   * and resume records; absent in results recorded before 2026-12-06.
   */
  cpus?: string[];
  finishedAt: string;
}

export interface RunOptions {
  runDir: string;
  resume: boolean;
  backend: BackendInfo;
  dataDir?: string | undefined;
  /** Print per-epoch lines and draw a progress bar (default true). */
  verbose?: boolean;
  /** A label printed before each epoch line (e.g. the method name in `dp compare`). */
  label?: string;
  /** Dataset already loaded (dp compare / bench reuse it across runs). */
  data?: DatasetPair;
}


/**
 * Thrown from the hooks after Ctrl-C / SIGTERM: training stops at the next batch; during an epoch's evaluation, inside
 * it when the epoch would not be checkpointed anyway, else after its checkpoint (so the trained epoch is kept).
 */
class Interrupted extends Error {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly steps: number,
    readonly where: 'training' | 'evaluation' | 'end of epoch' = 'training',
  ) {
    super('interrupted');
  }
}

interface StartRecord {
  type?: string;
  data?: { source?: string; labels?: string; pixels?: string };
  environment?: { cpu?: string };
}

/** The start and resume records of log.jsonl, in order (a partial last line is skipped). */
function startRecords(runDir: string): StartRecord[] {
  const path = join(runDir, 'log.jsonl');
  if (!existsSync(path)) return [];
  const out: StartRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      const r = JSON.parse(line) as StartRecord;
      if (r.type === 'start' || r.type === 'resume') out.push(r);
    } catch {
      // a partial last line
    }
  }
  return out;
}

/** The run's first 'start' record in log.jsonl (what it was started on), or undefined. */
export function startRecord(runDir: string): StartRecord | undefined {
  return startRecords(runDir).find((r) => r.type === 'start');
}

/** Refuse a run directory made with another config (its config.json), naming the fields that differ. */
export function checkSameConfig(runDir: string, cfg: RunConfig): void {
  const configPath = join(runDir, 'config.json');
  if (!existsSync(configPath)) return;
  const previous = readConfigFile(configPath) as unknown as RunConfig;
  if (fingerprint(previous) !== fingerprint(cfg)) {
    const diff = (Object.keys(cfg) as (keyof RunConfig)[]).filter((k) => JSON.stringify(previous[k]) !== JSON.stringify(cfg[k]));
    throw new CliError(
      `run directory ${runDir} was created with another config (${diff.map((k) => `${k}: ${JSON.stringify(previous[k])} there vs ${JSON.stringify(cfg[k])} now`).join(', ')}); ` +
        'fix: resume with the same options, or choose a new --out directory',
    );
  }
}

/**
 * Refuse a resume on other data than the run started on (its start record's fingerprints of labels and pixels): data
 * from another folder, or the same folder's files changed since. A run that predates fingerprints gets a warning
 * when the folder differs.
 */
function checkResumedData(runDir: string, source: string, dataId: { labels: string; pixels: string }): void {
  const first = startRecord(runDir);
  const was = first?.data?.source;
  if (first?.data?.pixels !== undefined && (first.data.pixels !== dataId.pixels || first.data.labels !== dataId.labels)) {
    const what = [first.data.labels !== dataId.labels ? 'labels' : '', first.data.pixels !== dataId.pixels ? 'pixels' : ''].filter(Boolean).join(' and ');
    if (was && resolve(was) === resolve(source)) {
      throw new CliError(
        `run directory ${runDir} started on the data in ${was}, and the files there have changed since (their ${what} differ from the run's record); ` +
          `fix: restore the files the run started on in ${was} (or give --data-dir a copy of them), or train on the new data in a new run (--out DIR)`,
      );
    }
    throw new CliError(
      `run directory ${runDir} was trained on other data (${was ?? '?'}) than this resume loaded (${source}: its ${what} differ); ` +
        `fix: resume with --data-dir pointing at the run's data${was ? ` (${was})` : ''}, or train on this data in a new run (--out DIR)`,
    );
  }
  if (first?.data?.pixels === undefined && was && resolve(was) !== resolve(source)) {
    warn(`run directory ${runDir} started on data from ${was}; this resume loaded ${source} (the run predates data fingerprints, so they cannot be compared)`);
  }
}

/** The distinct CPUs of the run's start and resume records, in order of first use. */
function runCpus(runDir: string): string[] {
  return [...new Set(startRecords(runDir).flatMap((r) => (typeof r.environment?.cpu === 'string' ? [r.environment.cpu] : [])))];
}

function gitRevision(): string | null {
  try {
    // dp's own checkout (not the caller's working directory, which may be another repository or none).
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dirname(fileURLToPath(import.meta.url)), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}


/**
 * Train one run into `runDir`: config.json, log.jsonl (config, environment, git revision, per-epoch metrics and costs),
 * tensorboard/ (scalars), checkpoint/ (every `checkpointEvery` epochs), result.json at the end.
 * With `resume`, continues from the checkpoint and refuses a directory made with another config.
 */
export async function executeRun(cfg: RunConfig, opts: RunOptions): Promise<RunSummary> {
  const { runDir, backend } = opts;
  const verbose = opts.verbose ?? true;
  const key = fingerprint(cfg);
  const configPath = join(runDir, 'config.json');
  if (existsSync(configPath)) {
    checkSameConfig(runDir, cfg);
    if (!opts.resume && readCheckpoint(runDir)) {
      throw new CliError(`run directory ${runDir} already holds a run; fix: pass --resume to continue it, or choose a new --out directory`);
    }
    // A finished run resumed (dp train --resume, dp compare --resume): nothing to train, and nothing is rewritten.
    const resultPath = join(runDir, 'result.json');
    if (opts.resume && existsSync(resultPath)) {
      let done: RunSummary | undefined;
      try {
        done = validateRunSummary(JSON.parse(readFileSync(resultPath, 'utf8')), resultPath);
      } catch (e) {
        if (!(e instanceof SyntaxError || e instanceof CliError)) throw e;
        done = undefined; // damaged: the run is resumed from its checkpoint and result.json written again
      }
      if (done?.key === key) {
        if (verbose) process.stdout.write(`${opts.label ? `${opts.label} · ` : ''}already finished: final ${cfg.valSplit ? 'validation' : 'test'} accuracy ${(100 * done.finalAccuracy).toFixed(2)}% (${runDir}; nothing to do)\n`);
        return done;
      }
    }
  }
  const log = (record: Record<string, unknown>) => appendFileExplained(join(runDir, 'log.jsonl'), `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);

  const pair = opts.data ?? (await loadData(cfg.dataset, opts.dataDir, cfg));
  // With --val-split, testSet is the validation split carved from the training set (and trainSet the rest).
  const { train: trainSet, evaluation: testSet, evaluatedOn } = runSplits(pair, cfg);
  // A static method pays for its scores: the score file's scoring seconds are charged to this run.
  let staticScores: { scores: Float32Array } | Record<string, never> = {};
  let scoringSeconds = 0;
  if (cfg.scoreFile) {
    try {
      // Labels and pixels: two image folders with the same class counts share name, size and labels.
      const file = await readScoreFile(cfg.scoreFile, {
        expectSize: trainSet.size,
        expectFingerprint: datasetFingerprint(trainSet.labels, trainSet.size, cfg.dataset),
        expectPixels: pixelFingerprint(trainSet.images, trainSet.size),
        onWarning: (m) => warn(m),
      });
      staticScores = { scores: file.scores };
      scoringSeconds = file.header.seconds;
    } catch (e) {
      if (e instanceof ScoreError) throw new CliError(e.message);
      throw e;
    }
  }
  let pruner;
  try {
    pruner = createPruner({
      ...cfg.policyOptions,
      ...staticScores,
      policy: cfg.policy,
      datasetSize: trainSet.size,
      pruneRatio: cfg.pruneRatio,
      totalEpochs: cfg.epochs,
      seed: cfg.seed,
    });
  } catch (e) {
    if (e instanceof PrunerError) throw prunerCliError(cfg.policy, e);
    throw e;
  }
  // The model's options are checked when it is built (e.g. an input too small for it).
  const model = buildRunModel(cfg, trainSet);
  // A resume is checked whole before the run directory changes, so a refused one (a damaged checkpoint, other data,
  // a checkpoint of another config, pruner state or architecture) leaves it byte for byte as it was: the checkpoint
  // is read and checked as the trainer will restore it (checkResume), and the data against the run's fingerprints.
  let resumed: ReturnType<typeof readCheckpoint>;
  // The training data's identity, recorded at the start and checked on resume: a resume must not silently continue
  // on another copy of the dataset (another --data-dir, a changed folder).
  const dataId = { labels: datasetFingerprint(trainSet.labels, trainSet.size, cfg.dataset), pixels: pixelFingerprint(trainSet.images, trainSet.size) };
  try {
    resumed = opts.resume ? readCheckpoint(runDir) : undefined;
    if (resumed) {
      checkResumedData(runDir, pair.source, dataId);
      checkResume({ model, pruner, epochs: cfg.epochs, dir: runDir, fingerprint: key }, resumed);
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  // Only now, with the data, the score file, the policy options, the model and any checkpoint accepted, does the run
  // directory appear or change: bad input leaves nothing behind, and a refused resume changes nothing.
  mkdirSync(runDir, { recursive: true });
  const configText = `${JSON.stringify(cfg, null, 2)}\n`;
  if (!existsSync(configPath) || readFileSync(configPath, 'utf8') !== configText) writeFileAtomic(configPath, configText);
  // The epochs the checkpoint holds, for log.jsonl and TensorBoard: each epoch appears once. A run started again
  // without a checkpoint (resumed before its first one, or the same command run again after a kill) keeps its log's
  // other records but none of its epochs, which are trained again.
  const keptEpochs = resumed ? ((resumed.extra as { reports?: EpochReport[] } | null)?.reports ?? []) : undefined;
  const logPath = join(runDir, 'log.jsonl');
  // (A log.jsonl that is not a regular file, such as a link to a device, is appended to but never read back.)
  if (existsSync(logPath) && statSync(logPath).isFile()) {
    writeFileAtomic(logPath, compactLog(readFileSync(logPath, 'utf8'), resumed ? resumed.epoch : -1, keptEpochs ?? []));
    // Event files are append-only: they are written again from the checkpoint's epochs instead.
    rmSync(join(runDir, 'tensorboard'), { recursive: true, force: true });
  }
  const cpu = describeCpu();
  log({
    type: resumed ? 'resume' : 'start',
    ...(resumed ? { fromEpoch: resumed.epoch + 1 } : {}),
    config: cfg,
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      cpu: formatCpu(cpu, oneDnnState(cpu)),
      cpuModel: cpu.model,
      cpuExtensions: cpu.extensions,
      onednn: oneDnnState(cpu),
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      backend: backend.backend,
      tensorflow: backend.tensorflowVersion ?? null,
      tfjs: backend.tfjsVersion,
    },
    git: gitRevision(),
    data: { source: pair.source, train: trainSet.size, [evaluatedOn]: testSet.size, evaluatedOn, shape: trainSet.shape, classes: trainSet.numClasses, ...dataId },
  });
  const writer = backend.node?.summaryFileWriter(join(runDir, 'tensorboard'));
  if (writer && keptEpochs) {
    for (const r of keptEpochs) writeEpochScalars(writer, r, evaluatedOn);
    writer.flush();
  }
  const out = process.stdout;
  const prefix = opts.label ? `${opts.label} · ` : '';
  let bar: ProgressBar | undefined;
  let result: TrainResult;
  const trainStarted = performance.now();
  let firstEpoch: number | undefined;
  // Ctrl-C / SIGTERM: stop at the next batch (never inside a checkpoint write), say where the run can continue, exit
  // 130. A second signal exits at once.
  let interrupted: string | undefined;
  let epochSteps = 0;
  let evalEpoch: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    result = await train({
      model,
      train: trainSet,
      test: testSet,
      pruner,
      options: { ...trainingOptions(cfg), evalEvery: cfg.evalEvery, inference: cfg.inference },
      checkpoint: { dir: runDir, every: cfg.checkpointEvery, fingerprint: key, resume: opts.resume },
      augment: resolveAugment(cfg),
      seed: cfg.seed,
      hooks: {
        onWarning: (m) => warn(m, () => bar?.done()),
        onBatch: (p) => {
          epochSteps = p.steps;
          if (interrupted) throw new Interrupted(p.epoch, p.step, p.steps);
          if (!verbose) return;
          if (p.step === 1) bar = new ProgressBar(`${prefix}epoch ${p.epoch + 1}/${cfg.epochs}`, p.steps);
          bar?.update(p.step, `loss ${p.loss.toFixed(4)} acc ${(100 * p.accuracy).toFixed(1)}%`);
        },
        onEvalBatch: (p) => {
          // An epoch about to be checkpointed finishes its evaluation (seconds) rather than lose its training
          // (minutes); onEpoch stops right after the checkpoint.
          const checkpointed = (p.epoch + 1) % cfg.checkpointEvery === 0 || p.epoch === cfg.epochs - 1;
          if (interrupted && !checkpointed) throw new Interrupted(p.epoch, epochSteps, epochSteps, 'evaluation');
          if (!verbose) return;
          if (evalEpoch !== p.epoch) {
            bar?.done();
            bar = new ProgressBar(`${prefix}epoch ${p.epoch + 1}/${cfg.epochs} · ${evaluatedOn}`, p.total);
            evalEpoch = p.epoch;
          }
          bar?.update(p.done);
        },
        onEpoch: (r: EpochReport) => {
          bar?.done();
          log({ type: 'epoch', ...r });
          if (writer) {
            writeEpochScalars(writer, r, evaluatedOn);
            writer.flush();
          }
          firstEpoch ??= r.epoch;
          if (verbose) {
            const test = r.test ? ` · ${evaluatedOn} acc ${(100 * r.test.accuracy).toFixed(2)}%` : '';
            const left = runEta((performance.now() - trainStarted) / 1000, r.epoch + 1 - firstEpoch, r.epoch + 1, cfg.epochs);
            out.write(
              `${prefix}epoch ${r.epoch + 1}/${cfg.epochs} · ${r.samples} samples · loss ${r.trainLoss.toFixed(4)} acc ${(100 * r.trainAccuracy).toFixed(2)}%${test}` +
                ` · train ${r.trainingSeconds.toFixed(1)}s (${Math.round(r.samples / r.trainingSeconds)} img/s) · eval ${r.costs.eval.toFixed(1)}s` +
                (left ? ` · run ETA ${formatDuration(left)}` : '') +
                '\n',
            );
          }
          // Interrupted during this epoch's evaluation, which was left to finish: stop now that it is checkpointed
          // (the last epoch instead finishes the run, below).
          if (interrupted && r.epoch < cfg.epochs - 1) throw new Interrupted(r.epoch, r.steps, r.steps, 'end of epoch');
        },
      },
    });
  } catch (e) {
    bar?.done();
    if (e instanceof Interrupted) {
      const kept = readCheckpoint(runDir);
      log({ type: 'interrupted', signal: interrupted, epoch: e.epoch, step: e.step, steps: e.steps, during: e.where });
      const where = {
        training: `in epoch ${e.epoch + 1}/${cfg.epochs}, step ${e.step}/${e.steps}`,
        evaluation: `in epoch ${e.epoch + 1}/${cfg.epochs}, during its test evaluation`,
        'end of epoch': `at the end of epoch ${e.epoch + 1}/${cfg.epochs} (its test evaluation was left to finish so the epoch could be checkpointed)`,
      }[e.where];
      throw new CliError(
        `interrupted (${interrupted}) ${where}; ` +
          (kept
            ? `the last checkpoint (epoch ${kept.epoch + 1}) is in ${runDir}; fix: continue with \`dp train --resume ${runDir}\` (dp bench / dp compare --resume: rerun the same command)`
            : 'no checkpoint was written yet; fix: run the same command again to start the run over'),
        130,
      );
    }
    if (e instanceof TrainError) {
      const kept = readCheckpoint(runDir);
      log({ type: 'error', message: e.message });
      // The last good checkpoint goes with the problem, before the trainer's fix.
      const [problem, fix] = e.message.split(/; fix: (.*)$/s);
      const where = kept ? ` (last good checkpoint: epoch ${kept.epoch + 1} in ${runDir})` : '';
      throw new CliError(`${problem}${where}; fix: ${fix ?? (kept ? `resume with \`dp train --resume ${runDir}\` once the cause is fixed` : 'run the same command again once the cause is fixed')}`);
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    model.dispose();
  }
  const final = result.final;
  const summary: RunSummary = {
    key,
    config: cfg,
    runDir,
    finalAccuracy: final?.accuracy ?? Number.NaN,
    ...(final?.top5 !== undefined ? { finalTop5: final.top5 } : {}),
    trainingSeconds: result.epochs.reduce((s, r) => s + r.trainingSeconds, 0),
    scoringSeconds,
    evalSeconds: result.epochs.reduce((s, r) => s + r.costs.eval, 0),
    samplesTrained: result.epochs.reduce((s, r) => s + r.samples, 0),
    trainedFraction: result.epochs.reduce((s, r) => s + r.samples, 0) / (cfg.epochs * trainSet.size),
    epochs: result.epochs.map((r) => ({
      epoch: r.epoch,
      samples: r.samples,
      trainLoss: r.trainLoss,
      trainAccuracy: r.trainAccuracy,
      ...(r.test ? { testAccuracy: r.test.accuracy } : {}),
      trainingSeconds: r.trainingSeconds,
      selectionHash: r.selectionHash,
    })),
    selection: { flippedShare: result.selection.flippedShare(), histogram: result.selection.histogram() },
    evaluatedOn,
    evaluationSamples: testSet.size,
    backend: backend.backend,
    cpus: runCpus(runDir),
    finishedAt: new Date().toISOString(),
  };
  writeJsonAtomic(join(runDir, 'result.json'), summary);
  log({ type: 'end', finalAccuracy: summary.finalAccuracy, trainingSeconds: summary.trainingSeconds, samplesTrained: summary.samplesTrained });
  if (verbose) {
    const scoring = scoringSeconds > 0 ? ` + ${scoringSeconds.toFixed(1)}s of static scoring (${cfg.scoreFile})` : '';
    out.write(`${prefix}final ${evaluatedOn} accuracy: ${(100 * summary.finalAccuracy).toFixed(2)}% · training cost ${summary.trainingSeconds.toFixed(1)}s${scoring} for ${summary.samplesTrained} samples\n`);
  }
  // Ctrl-C during the last epoch's evaluation: the run was let finish; stop here rather than go on to the next run.
  if (interrupted) throw new CliError(`interrupted (${interrupted}) as the run finished: its result is in ${join(runDir, 'result.json')}; fix: dp bench / dp compare: rerun the same command to go on`, 130);
  return summary;
}
