import { scoreNames } from '@dp/scores';
import {
  backendFlags,
  checkOutputPath,
  checkValSplit,
  configFromFlags,
  defaultScoreFile,
  exampleMethods,
  exampleScores,
  flagString,
  formatDuration,
  loadBackend,
  loadData,
  loadScorePlugins,
  NOT_SCORING_FLAGS,
  rejectRunFlags,
  RUN_FLAGS,
  runFlagsHelp,
  runSplits,
  scoreDataset,
  scoreDefaultsText,
  scoreMethod,
  ScoreLog,
  scoringProtocol,
  trainingTime,
  validateRunConfig,
} from '@dp/experiments';
import type { Command } from '../command.js';
import { loadPrinter } from '../printers.js';
import { ProgressBar } from '../progress.js';
import { warn } from '../warn.js';

export const score: Command = {
  name: 'score',
  summary: 'static per-sample scores, with their cost',
  help: () => `Usage: dp score --method NAME [--epochs K] [--runs R] [--out FILE] [run options]

Static scoring, with its cost counted: trains R short runs of K epochs on full data (seeds seed, seed+1, ...),
scores every training sample, averages the runs and writes a score file (float32 scores + a JSON header with the
method, protocol, dataset fingerprints of labels and pixels, and the wall-clock seconds spent). \`dp train --policy
${exampleMethods().scoreFile} --score-file FILE\` trains on the top-scored subset and charges those seconds to the method's training cost.
With --val-split N it scores the training part of the split \`dp train --val-split N\` with the same --seed trains on.

  --method NAME           ${scoreNames().join(' | ')}, or a score registered by --score
  --score PACKAGE         load a scoring plug-in package first (e.g. --score @dp/score-margin, then --method margin)
  --epochs K              training epochs before scoring (0 = at initialisation)
  --runs R                independent runs averaged
  --out FILE              score file (default scores/<dataset>-<method>-<model>-e<K>-r<R>.dpscore)

Protocols: the papers train longer before scoring (e.g. 20 epochs) and average more runs (e.g. 10). The defaults
here (epochs x runs; 0 epochs = at initialisation) are smaller so that scoring stays cheap on a laptop:
${scoreDefaultsText()}. Set --epochs/--runs for the published protocol.

${runFlagsHelp(['epochs', ...NOT_SCORING_FLAGS])}`,
  examples: [
    `dp score --method ${exampleScores()[0]}`,
    `dp score --method ${exampleScores()[1]} --epochs 3 --out scores/fmnist-${exampleScores()[1]}.dpscore`,
    'dp score --score @dp/score-margin --method margin --epochs 2',
  ],
  flags: {
    ...RUN_FLAGS,
    method: { type: 'string' },
    score: { type: 'string', multiple: true },
    runs: { type: 'string' },
    out: { type: 'string' },
  },
  async run(values) {
    rejectRunFlags(
      values,
      NOT_SCORING_FLAGS,
      'score',
      'scoring runs train on all the data and do not evaluate or checkpoint',
    );
    const plugins = values.score as unknown as string[] | undefined;
    await loadScorePlugins(plugins ?? [], (s) => import(s));
    const method = scoreMethod(values.method, Boolean(plugins));
    const { epochs, runs } = scoringProtocol(method, values);
    const { epochs: _e, ...rest } = values;
    const base = configFromFlags(rest, validateRunConfig({ epochs: Math.max(epochs, 1) }));
    const pair = await loadData(base.dataset, flagString(values, 'data-dir'), base, loadPrinter(base.dataset));
    // With --val-split: the training part of the run's split (seeded by --seed), as `dp train --val-split` trains on.
    checkValSplit(pair.train, base);
    const { train: data } = runSplits(pair, base);
    const out = typeof values.out === 'string' ? values.out : defaultScoreFile(base, method, epochs, runs);
    checkOutputPath(out, 'file', '--out'); // before the scoring runs, not after them
    const backend = await loadBackend({ ...backendFlags(values), onWarning: warn });
    process.stdout.write(
      `dp score: ${method.name} on ${base.dataset} (${data.size} samples) · ${base.model} · ${epochs} epochs x ${runs} runs · backend ${backend.backend}\n`,
    );
    const log = new ScoreLog(
      runs,
      epochs,
      !trainingTime(method),
      performance.now(),
      (l) => process.stdout.write(l),
      Boolean(process.stdout.isTTY) && !process.env.CI,
    );
    const label = (run: number) => `run ${run + 1}/${runs}`;
    let bar: ProgressBar | undefined;
    try {
      const { seconds } = await scoreDataset(method, base, { epochs, runs }, data, out, backend, {
        onWarning: (m) => warn(m, () => bar?.done()),
        onTrainBatch: (run, p) => {
          if (p.step === 1) bar = new ProgressBar(`${label(run)} training epoch ${p.epoch + 1}/${epochs}`, p.steps);
          bar?.update(p.step);
        },
        onEpoch: (run, r) => {
          bar?.done();
          log.step(
            'epoch',
            `${label(run)} · epoch ${r.epoch + 1}/${epochs} · loss ${r.trainLoss.toFixed(4)} acc ${(100 * r.trainAccuracy).toFixed(2)}%`,
          );
        },
        onPassBatch: (run, k, n) => {
          if (k === 1) bar = new ProgressBar(`${label(run)} scoring`, n);
          bar?.update(k);
          log.passProgress(`${label(run)} · scoring pass`, k, n);
        },
        onPass: (run) => {
          bar?.done();
          log.step('pass', `${label(run)} · scoring pass (${data.size} samples)`);
        },
      });
      process.stdout.write(
        `score file: ${out} (${data.size} scores, ${formatDuration(seconds)} of scoring charged to methods that use it)\n`,
      );
    } finally {
      bar?.done();
    }
    return 0;
  },
};
