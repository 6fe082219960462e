import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetPair, ImageDataset } from '@dp/data';
import { createPruner, PrunerError, type Pruner, type SamplerVersion } from '@dp/policies';
import { datasetFingerprint, pixelFingerprint, ScoreError } from '@dp/scores';
import { readScoreFile } from '@dp/scores/node';
import {
  checkResume,
  readCheckpoint,
  train,
  TrainError,
  type DataParallel,
  type EpochReport,
  type TrainResult,
  type TrainStepUsed,
} from '@dp/trainer';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendInfo } from '../backend.js';
import { fingerprint, resolveAugment, type RunConfig } from '../config/config.js';
import { buildRunModel, trainingOptions } from '../config/recipe.js';
import { ExperimentError } from '../errors.js';
import { runEta } from '../format.js';
import { appendFileExplained, writeFileAtomic, writeJsonAtomic } from '../fs.js';
import { loadData, runSplits, type EvaluatedOn } from './data.js';
import { environmentRecord, gitRevision } from './environment.js';
import { compactLog, writeEpochScalars, type ScalarWriter } from './log.js';
import { prunerError } from './plan.js';
import { checkResumedData, guardRunDir, runCpus, runTrainSteps } from './run-dir.js';
import { describeStop, Interrupted, interruptedError, SignalWatch, type StopReason } from './signals.js';
import { tensorboardWriter } from './tensorboard.js';
import type { RunSummary } from './summary.js';

export type { RunSummary } from './summary.js';

/**
 * What a run reports while it trains, for the caller to show: the library prints nothing. Every callback is optional.
 */
export interface RunCallbacks {
  /** A problem the run survives (a score file's note, a trainer warning, a resume on a moved dataset). */
  onWarning?(message: string): void;
  /** A training batch finished. */
  onBatch?(p: { epoch: number; step: number; steps: number; loss: number; accuracy: number }): void;
  /** An evaluation batch finished (`evaluatedOn`: 'test' or 'validation'). */
  onEvalBatch?(p: { epoch: number; done: number; total: number }, evaluatedOn: EvaluatedOn): void;
  /** An epoch finished, logged and (when due) checkpointed; `etaSeconds`: the run's time left, once measurable. */
  onEpoch?(r: EpochReport, info: { evaluatedOn: EvaluatedOn; etaSeconds: number | undefined }): void;
  /** The run finished (`alreadyFinished`: a resumed directory that held its result; nothing was trained). */
  onFinish?(summary: RunSummary, info: { alreadyFinished: boolean }): void;
}

export interface RunOptions {
  runDir: string;
  /** Continue the run in runDir from its checkpoint (a finished run returns its result). */
  resume: boolean;
  backend: BackendInfo;
  dataDir?: string | undefined;
  /** Dataset already loaded (a sweep reuses it across runs). */
  data?: DatasetPair;
  /**
   * Stop at the next batch on SIGINT / SIGTERM, keeping the last checkpoint; before training, or at a second signal,
   * stop at once (signals.ts). Default false: the caller's business. A SignalWatch: the caller's, installed before
   * the run's data loaded or its cluster joined (the caller stops it).
   */
  signals?: boolean | SignalWatch;
  callbacks?: RunCallbacks;
  /**
   * Data-parallel training over a joined cluster (@dp/distributed `joinCluster`): every worker runs executeRun with
   * the same config and run directory; rank 0 alone writes it (config, log, TensorBoard, checkpoints, result.json),
   * the others read it on resume. `cfg.batchSize` is the global batch.
   */
  parallel?: DataParallel;
}

/** Whether this process writes the run directory: a one-process run, or rank 0 of a data-parallel one. */
const isLeader = (opts: RunOptions): boolean => !opts.parallel || opts.parallel.rank === 0;

/** What a run trains with, checked whole before its directory changes. */
interface Prepared {
  trainSet: ImageDataset;
  testSet: ImageDataset;
  evaluatedOn: EvaluatedOn;
  source: string;
  pruner: Pruner;
  model: LayersModel;
  scoringSeconds: number;
  dataId: { labels: string; pixels: string };
  resumed: ReturnType<typeof readCheckpoint>;
  /** The selection-algorithm version the run selects with: the checkpoint's on resume, else the latest. */
  sampler: SamplerVersion;
}

/**
 * Train one run into `runDir`: config.json, log.jsonl (config, environment, git revision, per-epoch metrics and costs),
 * tensorboard/ (scalars), checkpoint/ (every `checkpointEvery` epochs), result.json at the end.
 * With `resume`, continues from the checkpoint and refuses a directory made with another config. The steps:
 * the directory guard, the run's inputs (data, score file, pruner, model) and the resume checks, the run directory
 * (config, log compaction, TensorBoard), training under a signal watch, the summary.
 */
export async function executeRun(cfg: RunConfig, opts: RunOptions): Promise<RunSummary> {
  const cb = opts.callbacks ?? {};
  const done = guardRunDir(opts.runDir, cfg, opts.resume);
  if (done) {
    cb.onFinish?.(done, { alreadyFinished: true });
    return done;
  }
  const owned =
    opts.signals instanceof SignalWatch ? undefined : new SignalWatch(opts.signals ?? false, { runDir: opts.runDir });
  const watch = owned ?? (opts.signals as SignalWatch);
  let trained: { result: TrainResult; signal: string | undefined; prepared: Prepared };
  try {
    watch.during('preparing the run (data splits, policy, model, checkpoint checks)');
    watch.joined(opts.parallel);
    const prepared = await prepareRun(cfg, opts);
    // Training starts here: a signal from now on stops gracefully, after the run directory is opened (in one
    // synchronous block: no signal handler runs between the two).
    watch.startTraining();
    const opened = isLeader(opts) ? openRunDir(cfg, opts, prepared) : undefined;
    trained = { ...(await trainRun(cfg, opts, prepared, opened, watch)), prepared };
  } finally {
    owned?.stop();
  }
  const { result, signal, prepared } = trained;
  const summary = runSummary(cfg, opts, prepared, result);
  if (isLeader(opts)) {
    writeJsonAtomic(join(opts.runDir, 'result.json'), summary);
    runLog(opts.runDir)({
      type: 'end',
      finalAccuracy: summary.finalAccuracy,
      trainingSeconds: summary.trainingSeconds,
      samplesTrained: summary.samplesTrained,
    });
  }
  cb.onFinish?.(summary, { alreadyFinished: false });
  // Ctrl-C during the last epoch's evaluation: the run was let finish; stop here rather than go on to the next run.
  if (signal)
    throw new ExperimentError(
      `interrupted (${signal}) as the run finished: its result is in ${join(opts.runDir, 'result.json')}; fix: dp bench / dp compare: rerun the same command to go on`,
      130,
    );
  return summary;
}

/** Appends one timed record to the run's log.jsonl. */
function runLog(runDir: string): (record: Record<string, unknown>) => void {
  return (record) =>
    appendFileExplained(
      join(runDir, 'log.jsonl'),
      `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`,
    );
}

/** A static method's score file, checked against the training set; its scoring seconds are charged to the run. */
async function readStaticScores(
  cfg: RunConfig,
  trainSet: ImageDataset,
  onWarning: (m: string) => void,
): Promise<{ scores?: Float32Array; seconds: number }> {
  if (!cfg.scoreFile) return { seconds: 0 };
  try {
    // Labels and pixels: two image folders with the same class counts share name, size and labels.
    const file = await readScoreFile(cfg.scoreFile, {
      expectSize: trainSet.size,
      expectFingerprint: datasetFingerprint(trainSet.labels, trainSet.size, cfg.dataset),
      expectPixels: pixelFingerprint(trainSet.images, trainSet.size),
      onWarning,
    });
    return { scores: file.scores, seconds: file.header.seconds };
  } catch (e) {
    if (e instanceof ScoreError) throw new ExperimentError(e.message);
    throw e;
  }
}

/**
 * The run's inputs, each checked before the run directory changes: the data and its splits, the score file, the
 * pruner (policy options), the model (e.g. an input too small for it) and, on resume, the checkpoint (as the trainer
 * will restore it) and the data against the run's fingerprints. A refused resume leaves the directory byte for byte.
 */
async function prepareRun(cfg: RunConfig, opts: RunOptions): Promise<Prepared> {
  const onWarning = opts.callbacks?.onWarning ?? (() => {});
  const pair = opts.data ?? (await loadData(cfg.dataset, opts.dataDir, cfg, { onWarning }));
  // With --val-split, testSet is the validation split carved from the training set (and trainSet the rest).
  const { train: trainSet, evaluation: testSet, evaluatedOn } = runSplits(pair, cfg);
  const staticScores = await readStaticScores(cfg, trainSet, onWarning);
  let pruner: Pruner;
  try {
    pruner = createPruner({
      ...cfg.policyOptions,
      ...(staticScores.scores ? { scores: staticScores.scores } : {}),
      policy: cfg.policy,
      datasetSize: trainSet.size,
      pruneRatio: cfg.pruneRatio,
      totalEpochs: cfg.epochs,
      seed: cfg.seed,
    });
  } catch (e) {
    if (e instanceof PrunerError) throw prunerError(cfg.policy, e);
    throw e;
  }
  const model = buildRunModel(cfg, trainSet);
  // The training data's identity, recorded at the start and checked on resume: a resume must not silently continue
  // on another copy of the dataset (another --data-dir, a changed folder).
  const dataId = {
    labels: datasetFingerprint(trainSet.labels, trainSet.size, cfg.dataset),
    pixels: pixelFingerprint(trainSet.images, trainSet.size),
  };
  let resumed: ReturnType<typeof readCheckpoint>;
  let sampler = pruner.sampler;
  try {
    resumed = opts.resume ? readCheckpoint(opts.runDir) : undefined;
    if (resumed) {
      checkResumedData(opts.runDir, pair.source, dataId, onWarning);
      const worldSize = opts.parallel?.worldSize ?? 1;
      sampler = checkResume(
        { model, pruner, epochs: cfg.epochs, dir: opts.runDir, fingerprint: fingerprint(cfg), worldSize },
        resumed,
      ).sampler;
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return {
    trainSet,
    testSet,
    evaluatedOn,
    source: pair.source,
    pruner,
    model,
    scoringSeconds: staticScores.seconds,
    dataId,
    resumed,
    sampler,
  };
}

/**
 * The run directory, now that every input is accepted: config.json; log.jsonl compacted to the checkpoint's epochs
 * (each epoch once; a run started again without a checkpoint keeps its other records but none of its epochs);
 * TensorBoard written again from the checkpoint's epochs. Returns the scalar writer and the start or resume record,
 * which trainRun logs once the trainer has chosen its training step (the record names it).
 */
function openRunDir(
  cfg: RunConfig,
  opts: RunOptions,
  p: Prepared,
): { writer: ScalarWriter | undefined; start: Record<string, unknown> } {
  const { runDir, backend } = opts;
  mkdirSync(runDir, { recursive: true });
  // A crash between a checkpoint write's final renames leaves the last good checkpoint as checkpoint.previous (the
  // trainer reads it from there): the resume puts it back, so no run directory keeps it forever (issue 27, group 8).
  const previous = join(runDir, 'checkpoint.previous');
  if (p.resumed && existsSync(previous) && !existsSync(join(runDir, 'checkpoint')))
    renameSync(previous, join(runDir, 'checkpoint'));
  const configPath = join(runDir, 'config.json');
  const configText = `${JSON.stringify(cfg, null, 2)}\n`;
  if (!existsSync(configPath) || readFileSync(configPath, 'utf8') !== configText)
    writeFileAtomic(configPath, configText);
  const keptEpochs = p.resumed ? ((p.resumed.extra as { reports?: EpochReport[] } | null)?.reports ?? []) : undefined;
  const logPath = join(runDir, 'log.jsonl');
  // (A log.jsonl that is not a regular file, such as a link to a device, is appended to but never read back.)
  if (existsSync(logPath) && statSync(logPath).isFile()) {
    writeFileAtomic(
      logPath,
      compactLog(readFileSync(logPath, 'utf8'), p.resumed ? p.resumed.epoch : -1, keptEpochs ?? []),
    );
    // Event files are append-only: they are written again from the checkpoint's epochs instead.
    rmSync(join(runDir, 'tensorboard'), { recursive: true, force: true });
  }
  const { trainSet, testSet, evaluatedOn } = p;
  const start = {
    type: p.resumed ? 'resume' : 'start',
    ...(p.resumed ? { fromEpoch: p.resumed.epoch + 1 } : {}),
    config: cfg,
    // The pruner's selection-algorithm version (@dp/policies sampler.ts): a resumed old run keeps its version 1.
    sampler: p.sampler,
    ...(opts.parallel && opts.parallel.worldSize > 1 ? { workers: opts.parallel.worldSize } : {}),
    environment: environmentRecord(backend),
    git: gitRevision(),
    data: {
      source: p.source,
      train: trainSet.size,
      [evaluatedOn]: testSet.size,
      evaluatedOn,
      shape: trainSet.shape,
      classes: trainSet.numClasses,
      ...p.dataId,
    },
  };
  const node = backend.node;
  const writer = node ? tensorboardWriter((d) => node.summaryFileWriter(d), join(runDir, 'tensorboard')) : undefined;
  if (writer && keptEpochs) {
    for (const r of keptEpochs) writeEpochScalars(writer, r, evaluatedOn);
    writer.flush();
  }
  return { writer, start };
}

/**
 * Training, with the progress callbacks and the signal watch: after Ctrl-C / SIGTERM the run stops at the next batch
 * (an epoch about to be checkpointed finishes its evaluation first) and says where it can continue (exit code 130);
 * a trainer error names the last good checkpoint.
 */
async function trainRun(
  cfg: RunConfig,
  opts: RunOptions,
  p: Prepared,
  opened: ReturnType<typeof openRunDir> | undefined,
  watch: SignalWatch,
): Promise<{ result: TrainResult; signal: string | undefined }> {
  const { runDir } = opts;
  const cb = opts.callbacks ?? {};
  const log = isLeader(opts) ? runLog(runDir) : () => {};
  const writer = opened?.writer;
  // The start / resume record, with the training step the trainer chose (or without, if it stopped before choosing).
  let startLogged = false;
  const logStart = (trainStep?: TrainStepUsed) => {
    if (startLogged || !opened) return;
    startLogged = true;
    log({ ...opened.start, ...(trainStep ? { trainStep } : {}) });
  };
  // Data-parallel, a stop is decided together (the trainer's StopAgreement): each worker only reports its signal,
  // and every worker stops where the agreement says, after the same step, never on its own signal alone.
  const parallel = opts.parallel && opts.parallel.worldSize > 1 ? opts.parallel : undefined;
  let askedBy: readonly number[] | undefined;
  const stopNow = (agreed: readonly number[] | undefined): boolean => {
    if (!parallel) return watch.signal() !== undefined;
    askedBy ??= agreed;
    return agreed !== undefined;
  };
  const reason = (): StopReason => ({
    signal: watch.signal(),
    ...(parallel && askedBy ? { parallel: { askedBy, worldSize: parallel.worldSize } } : {}),
  });
  const started = performance.now();
  let firstEpoch: number | undefined;
  let epochSteps = 0;
  try {
    const result = await train({
      model: p.model,
      train: p.trainSet,
      test: p.testSet,
      pruner: p.pruner,
      options: { ...trainingOptions(cfg), evalEvery: cfg.evalEvery, inference: cfg.inference },
      checkpoint: { dir: runDir, every: cfg.checkpointEvery, fingerprint: fingerprint(cfg), resume: opts.resume },
      augment: resolveAugment(cfg),
      seed: cfg.seed,
      ...(opts.parallel ? { parallel: opts.parallel } : {}),
      hooks: {
        ...(parallel ? { stopRequested: () => watch.signal() !== undefined } : {}),
        onWarning: (m) => cb.onWarning?.(m),
        onStart: (info) => logStart(info.trainStep),
        onBatch: (b) => {
          epochSteps = b.steps;
          if (stopNow(b.stopping)) throw new Interrupted(b.epoch, b.step, b.steps);
          cb.onBatch?.(b);
        },
        onEvalBatch: (b) => {
          // An epoch about to be checkpointed finishes its evaluation (seconds) rather than lose its training
          // (minutes); onEpoch stops right after the checkpoint. Data-parallel workers always finish their shard
          // of the evaluation (they meet in its all-reduce) and stop at the epoch's end, together.
          const checkpointed = (b.epoch + 1) % cfg.checkpointEvery === 0 || b.epoch === cfg.epochs - 1;
          if (!parallel && watch.signal() && !checkpointed)
            throw new Interrupted(b.epoch, epochSteps, epochSteps, 'evaluation');
          cb.onEvalBatch?.(b, p.evaluatedOn);
        },
        onEpoch: (r: EpochReport, info) => {
          log({ type: 'epoch', ...r });
          if (writer) {
            writeEpochScalars(writer, r, p.evaluatedOn);
            writer.flush();
          }
          firstEpoch ??= r.epoch;
          const etaSeconds = runEta(
            (performance.now() - started) / 1000,
            r.epoch + 1 - firstEpoch,
            r.epoch + 1,
            cfg.epochs,
          );
          cb.onEpoch?.(r, { evaluatedOn: p.evaluatedOn, etaSeconds });
          // Interrupted during this epoch's evaluation, which was left to finish: stop now that it is checkpointed
          // (the last epoch instead finishes the run, below).
          if (stopNow(info.stopping) && r.epoch < cfg.epochs - 1)
            throw new Interrupted(r.epoch, r.steps, r.steps, 'end of epoch');
        },
      },
    });
    const stopped = parallel ? askedBy !== undefined : watch.signal() !== undefined;
    return { result, signal: stopped ? describeStop(reason()) : undefined };
  } catch (e) {
    logStart();
    if (e instanceof Interrupted) {
      log({
        type: 'interrupted',
        signal: watch.signal(),
        epoch: e.epoch,
        step: e.step,
        steps: e.steps,
        during: e.where,
        ...(parallel ? { workers: parallel.worldSize, askedBy } : {}),
      });
      throw interruptedError(e, reason(), runDir, cfg.epochs);
    }
    // A data-parallel worker down (@dp/distributed's DistributedError, recognised by name): logged, then reported as is.
    if ((e as Error | undefined)?.name === 'DistributedError') log({ type: 'error', message: (e as Error).message });
    if (e instanceof TrainError) {
      const kept = readCheckpoint(runDir);
      log({ type: 'error', message: e.message });
      // The last good checkpoint goes with the problem, before the trainer's fix.
      const [problem, fix] = e.message.split(/; fix: (.*)$/s);
      const where = kept ? ` (last good checkpoint: epoch ${kept.epoch + 1} in ${runDir})` : '';
      throw new ExperimentError(
        `${problem}${where}; fix: ${fix ?? (kept ? `resume with \`dp train --resume ${runDir}\` once the cause is fixed` : 'run the same command again once the cause is fixed')}`,
      );
    }
    throw e;
  } finally {
    p.model.dispose();
  }
}

/** The run's summary (result.json, a results-file line) from the trainer's result. */
function runSummary(cfg: RunConfig, opts: RunOptions, p: Prepared, result: TrainResult): RunSummary {
  const final = result.final;
  const samples = result.epochs.reduce((s, r) => s + r.samples, 0);
  return {
    key: fingerprint(cfg),
    config: cfg,
    runDir: opts.runDir,
    finalAccuracy: final?.accuracy ?? Number.NaN,
    ...(final?.top5 !== undefined ? { finalTop5: final.top5 } : {}),
    trainingSeconds: result.epochs.reduce((s, r) => s + r.trainingSeconds, 0),
    scoringSeconds: p.scoringSeconds,
    evalSeconds: result.epochs.reduce((s, r) => s + r.costs.eval, 0),
    samplesTrained: samples,
    trainedFraction: samples / (cfg.epochs * p.trainSet.size),
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
    evaluatedOn: p.evaluatedOn,
    evaluationSamples: p.testSet.size,
    backend: opts.backend.backend,
    cpus: runCpus(opts.runDir),
    trainSteps: runTrainSteps(opts.runDir),
    finishedAt: new Date().toISOString(),
  };
}
