import { dirname, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { batches, type ImageDataset } from '@dp/data';
import { createPruner } from '@dp/policies';
import { averageScores, datasetFingerprint, getScore, loadScorePlugin, pixelFingerprint, scoreNames, ScoreError, type Score, type ScoreTracker } from '@dp/scores';
import { writeScoreFile } from '@dp/scores/node';
import { train, inferenceForward, InputConverter } from '@dp/trainer';
import { num, parse } from '../args.js';
import { loadBackend, type BackendInfo } from '../backend.js';
import { CliError } from '../errors.js';
import { formatDuration, ProgressBar } from '../progress.js';
import { warn } from '../warn.js';
import { resolveAugment, validateRunConfig, type RunConfig } from '../run/config.js';
import { configFromFlags, rejectRunFlags, RUN_FLAGS, runFlagsHelp } from '../run/flags.js';
import { checkValSplit, loadData, runSplits } from '../run/data.js';
import { buildRunModel, trainingOptions } from '../run/recipe.js';
import { checkOutputPath } from '../fs.js';

/** Published protocols: EL2N at epoch 20 and GraNd at initialisation, each averaged over 10 runs (Paul et al. 2021). */
const PROTOCOL_DEFAULTS: Record<string, { epochs: number; runs: number }> = {
  el2n: { epochs: 2, runs: 2 },
  grand: { epochs: 0, runs: 1 },
  'grand-last-layer': { epochs: 0, runs: 2 },
  forgetting: { epochs: 3, runs: 1 },
};

/** Run flags that mean nothing to scoring (its runs train on all the data and do not evaluate or checkpoint). */
const NOT_SCORING_FLAGS = ['policy', 'prune-ratio', 'policy-option', 'score-file', 'test-subset', 'eval-every', 'checkpoint-every'] as const;

export function scoreHelp(): string {
  return `Usage: dp score --method NAME [--epochs K] [--runs R] [--out FILE] [run options]

Static scoring, with its cost counted: trains R short runs of K epochs on full data (seeds seed, seed+1, ...),
scores every training sample, averages the runs and writes a score file (float32 scores + a JSON header with the
method, protocol, dataset fingerprints of labels and pixels, and the wall-clock seconds spent). \`dp train --policy
static --score-file FILE\` trains on the top-scored subset and charges those seconds to the method's training cost.
With --val-split N it scores the training part of the split \`dp train --val-split N\` with the same --seed trains on.

  --method NAME           ${scoreNames().join(' | ')}, or a score registered by --score
  --score PACKAGE         load a scoring plug-in package first (e.g. --score @dp/score-margin, then --method margin)
  --epochs K              training epochs before scoring (0 = at initialisation)
  --runs R                independent runs averaged
  --out FILE              score file (default scores/<dataset>-<method>-<model>-e<K>-r<R>.dpscore)

Protocols: the papers score EL2N at epoch 20 and GraNd at initialisation, averaged over 10 runs. The defaults here
are smaller so that scoring stays cheap on a laptop: el2n 2 epochs x 2 runs, grand (exact per-sample gradients,
slow) 0 x 1, grand-last-layer 0 x 2, forgetting 3 x 1 (counted from the training steps themselves). Set
--epochs/--runs for the published protocol.

${runFlagsHelp(['epochs', ...NOT_SCORING_FLAGS])}
Examples:
  dp score --method el2n
  dp score --method forgetting --epochs 3 --out scores/fmnist-forgetting.dpscore
  dp score --score @dp/score-margin --method margin --epochs 2
`;
}

/** Scores whose inputs all come from the training steps are updated during training; the others need a scoring pass. */
function trainingTime(score: Score): boolean {
  return score.inputs.every((i) => i === 'losses' || i === 'batchLoss' || i === 'correct' || i === 'labels');
}


export async function scoreCommand(argv: string[]): Promise<number> {
  const flags = { ...RUN_FLAGS, method: { type: 'string' }, score: { type: 'string', multiple: true }, runs: { type: 'string' }, out: { type: 'string' } } as const;
  const { values, positionals } = parse(argv, flags, 'score');
  if (values.help) {
    process.stdout.write(scoreHelp());
    return 0;
  }
  if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}'; fix: see \`dp score --help\``);
  rejectRunFlags(values, NOT_SCORING_FLAGS, 'score', 'scoring runs train on all the data and do not evaluate or checkpoint');
  const plugins = values.score as unknown as string[] | undefined;
  try {
    for (const spec of plugins ?? []) await loadScorePlugin(spec, { importer: (s: string) => import(s) });
  } catch (e) {
    if (e instanceof ScoreError) throw new CliError(e.message);
    throw e;
  }
  if (typeof values.method !== 'string') throw new CliError(`--method is required: one of ${scoreNames().join(', ')}; fix: e.g. dp score --method el2n`);
  let score: Score;
  try {
    score = getScore(values.method);
  } catch {
    throw new CliError(`unknown --method '${values.method}'; fix: use one of ${scoreNames().join(', ')}${plugins ? '' : ' (or load a plug-in with --score PACKAGE)'}`);
  }
  const defaults = PROTOCOL_DEFAULTS[score.name] ?? { epochs: 2, runs: 1 };
  const epochs = num(values as Record<string, string | undefined>, 'epochs', defaults.epochs, { min: 0, integer: true });
  const runs = num(values as Record<string, string | undefined>, 'runs', defaults.runs, { min: 1, integer: true });
  const live = trainingTime(score);
  if (live && epochs === 0) throw new CliError(`--epochs 0 is invalid for --method ${score.name}: it is computed from training steps; fix: --epochs 1 or more`);
  const { epochs: _e, ...rest } = values;
  const base = configFromFlags(rest, validateRunConfig({ epochs: Math.max(epochs, 1) }));
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  const pair = await loadData(base.dataset, dataDir, base);
  // With --val-split: the training part of the run's split (seeded by --seed), as `dp train --val-split` trains on.
  checkValSplit(pair.train, base);
  const { train: data } = runSplits(pair, base);
  const out = typeof values.out === 'string' ? values.out : join('scores', `${base.dataset}${base.trainSubset ? `-n${base.trainSubset}` : ''}${base.valSplit ? `-v${base.valSplit}-s${base.seed}` : ''}-${score.name}-${base.model}-e${epochs}-r${runs}.dpscore`);
  checkOutputPath(out, 'file', '--out'); // before the scoring runs, not after them
  const backend = await loadBackend({ gpu: Boolean(values.gpu), allowCpu: Boolean(values['allow-cpu']) });
  process.stdout.write(`dp score: ${score.name} on ${base.dataset} (${data.size} samples) · ${base.model} · ${epochs} epochs x ${runs} runs · backend ${backend.backend}\n`);
  const started = performance.now();
  const perRun: Float32Array[] = [];
  const seeds: number[] = [];
  const log = new ScoreLog(runs, epochs, !live, started);
  for (let r = 0; r < runs; r++) {
    const seed = base.seed + r;
    seeds.push(seed);
    perRun.push(await scoreOneRun(score, { ...base, seed }, epochs, data, backend, `run ${r + 1}/${runs}`, log));
  }
  const scores = averageScores(perRun);
  const seconds = (performance.now() - started) / 1000;
  mkdirSync(dirname(out) || '.', { recursive: true });
  try {
    await writeScoreFile(out, {
      method: score.name,
      protocol: {
        epochs,
        runs,
        model: base.model,
        seeds,
        // How the scoring runs trained (as `dp train` with the same flags would).
        batchSize: base.batchSize,
        lr: base.lr,
        schedule: base.schedule,
        warmup: base.warmup,
        weightDecay: base.weightDecay,
        labelSmoothing: base.labelSmoothing,
        augment: resolveAugment(base),
      },
      dataset: { name: base.dataset, size: data.size, fingerprint: datasetFingerprint(data.labels, data.size, base.dataset), pixels: pixelFingerprint(data.images, data.size) },
      seconds,
    }, scores);
  } catch (e) {
    if (e instanceof ScoreError) throw new CliError(e.message);
    throw e;
  }
  process.stdout.write(`score file: ${out} (${data.size} scores, ${formatDuration(seconds)} of scoring charged to methods that use it)\n`);
  return 0;
}

/**
 * One line on stdout per finished training epoch and scoring pass, with the time it took and an ETA for the whole
 * scoring, so a log that is not a terminal (nohup, CI) shows progress too: scoring CIFAR-10 for a static run takes
 * tens of minutes. Epochs and passes are priced apart (an EL2N pass is a cheap forward pass, a GraNd pass computes
 * per-sample gradients), so the ETA waits until both kinds it still needs have been timed once. Off a terminal a
 * pass also reports every tenth of its batches, since GraNd at initialisation is one long pass.
 */
export class ScoreLog {
  private readonly left = { epoch: 0, pass: 0 };
  private readonly seconds = { epoch: 0, pass: 0 };
  private readonly count = { epoch: 0, pass: 0 };
  private last: number;

  constructor(
    runs: number,
    epochs: number,
    pass: boolean,
    started: number,
    private readonly out: (line: string) => void = (l) => process.stdout.write(l),
    private readonly tty = Boolean(process.stdout.isTTY) && !process.env.CI,
  ) {
    this.left = { epoch: runs * epochs, pass: pass ? runs : 0 };
    this.last = started;
  }

  /** A training epoch or scoring pass finished; `what` names it ("run 1/2 · epoch 1/3"). */
  step(kind: 'epoch' | 'pass', what: string, now = performance.now()): void {
    const took = (now - this.last) / 1000;
    this.last = now;
    this.left[kind]--;
    this.seconds[kind] += took;
    this.count[kind]++;
    const done = this.count.epoch + this.count.pass;
    const total = done + this.left.epoch + this.left.pass;
    let eta = 0;
    let known = true;
    for (const k of ['epoch', 'pass'] as const) {
      if (this.left[k] === 0) continue;
      if (this.count[k] === 0) known = false;
      else eta += (this.seconds[k] / this.count[k]) * this.left[k];
    }
    const tail = done < total && known ? ` · ETA ${formatDuration(eta)}` : '';
    this.out(`${what} · ${formatDuration(took)} · ${done}/${total} done${tail}\n`);
  }

  /** Batch `k` of a pass's `n` finished: off a terminal, a line at each tenth (on one, the progress bar shows it). */
  passProgress(what: string, k: number, n: number): void {
    if (this.tty || n < 10 || Math.floor((10 * k) / n) === Math.floor((10 * (k - 1)) / n) || k === n) return;
    this.out(`${what} · ${Math.floor((10 * k) / n) * 10}%\n`);
  }
}

async function scoreOneRun(score: Score, cfg: RunConfig, epochs: number, data: ImageDataset, backend: BackendInfo, label: string, log: ScoreLog): Promise<Float32Array> {
  const { tf } = backend;
  const tracker: ScoreTracker = score.create(data.size);
  // Built and trained by the recipe of `dp train` (run/recipe.ts), with full data and its augmentation.
  const model = buildRunModel(cfg, data);
  try {
    if (epochs > 0) {
      let bar: ProgressBar | undefined;
      const pruner = createPruner({ policy: 'full', datasetSize: data.size, pruneRatio: 0, totalEpochs: epochs, seed: cfg.seed });
      await train({
        model,
        train: data,
        pruner,
        options: trainingOptions(cfg, epochs),
        augment: resolveAugment(cfg),
        seed: cfg.seed,
        hooks: {
          onStep: trainingTime(score) ? (s) => tracker.update({ ids: s.ids, labels: s.labels, losses: s.losses, correct: s.correct.map((c) => (c > 0.5 ? 1 : 0)), numClasses: data.numClasses, epoch: s.epoch }) : undefined,
          onBatch: (p) => {
            if (p.step === 1) bar = new ProgressBar(`${label} training epoch ${p.epoch + 1}/${epochs}`, p.steps);
            bar?.update(p.step);
          },
          onEpoch: (r) => {
            bar?.done();
            log.step('epoch', `${label} · epoch ${r.epoch + 1}/${epochs} · loss ${r.trainLoss.toFixed(4)} acc ${(100 * r.trainAccuracy).toFixed(2)}%`);
          },
        },
      });
    }
    if (!trainingTime(score)) {
      // The scoring pass: the model after `epochs` epochs, in inference mode, over every training sample.
      const tfjsScores = await import('@dp/scores/tfjs');
      const converter = new InputConverter(data);
      const size = score.inputs.includes('gradNorms') ? 64 : 500;
      const bar = new ProgressBar(`${label} scoring`, Math.ceil(data.size / size));
      // Logits-only scores (EL2N, loss, ...) run the network as one compiled native graph (--inference).
      const logitsOnly = !score.inputs.includes('gradNorms') && !score.inputs.includes('featureSqNorms');
      const net = logitsOnly ? await inferenceForward(model, cfg.inference, warn) : null;
      let k = 0;
      try {
        for (const b of batches(data, { batchSize: size })) {
          const x = converter.toTensor(b.images, data.shape);
          try {
            if (score.inputs.includes('gradNorms')) {
              tracker.update({ ids: b.ids, labels: b.labels, gradNorms: tfjsScores.perSampleGradNorms(model, x, b.labels) });
            } else if (score.inputs.includes('featureSqNorms')) {
              const l = tfjsScores.lastLayerInputs(model, x);
              tracker.update({ ids: b.ids, labels: b.labels, logits: l.logits, numClasses: l.numClasses, featureSqNorms: l.featureSqNorms });
            } else {
              const logits = tf.tidy(() => net!.forward(x));
              tracker.update({ ids: b.ids, labels: b.labels, logits: logits.dataSync() as Float32Array, numClasses: data.numClasses });
              logits.dispose();
            }
          } finally {
            x.dispose();
          }
          bar.update(++k);
          log.passProgress(`${label} · scoring pass`, k, Math.ceil(data.size / size));
        }
      } finally {
        net?.dispose();
      }
      bar.done();
      log.step('pass', `${label} · scoring pass (${data.size} samples)`);
    }
    return tracker.values();
  } finally {
    model.dispose();
  }
}
