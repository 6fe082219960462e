import type { LoadCallbacks, RunCallbacks, RunConfig } from '@dp/experiments';
import { formatDuration } from '@dp/experiments';
import { ProgressBar } from './progress.js';
import { warn } from './warn.js';

/** Progress bars for a dataset's long load steps (downloads, the first decode of an image folder) and its warnings. */
export function loadPrinter(name: string): LoadCallbacks {
  let bar: ProgressBar | undefined;
  let key = '';
  return {
    onProgress: (p) => {
      const k = `${p.phase}:${p.split ?? ''}:${p.file ?? ''}`;
      if (k !== key) {
        bar?.done();
        key = k;
        bar = p.total > 1 ? new ProgressBar(`${name}: ${p.phase}${p.split ? ` ${p.split}` : ''}`, p.total) : undefined;
      }
      bar?.update(p.done);
      if (p.done >= p.total) bar?.done();
    },
    onWarning: (m) => warn(m, () => bar?.done()),
  };
}

/**
 * How `dp` shows a run: a progress bar per epoch and evaluation, one line per epoch (with the run's ETA) and one at
 * the end; `label` goes before each (e.g. the run's place in a sweep). `close()` clears a bar left by an error.
 */
export function runPrinter(cfg: RunConfig, label?: string): RunCallbacks & { close(): void } {
  const prefix = label ? `${label} · ` : '';
  const out = process.stdout;
  let bar: ProgressBar | undefined;
  let evalEpoch: number | undefined;
  return {
    close: () => bar?.done(),
    onWarning: (m) => warn(m, () => bar?.done()),
    onBatch: (p) => {
      if (p.step === 1) bar = new ProgressBar(`${prefix}epoch ${p.epoch + 1}/${cfg.epochs}`, p.steps);
      bar?.update(p.step, `loss ${p.loss.toFixed(4)} acc ${(100 * p.accuracy).toFixed(1)}%`);
    },
    onEvalBatch: (p, evaluatedOn) => {
      if (evalEpoch !== p.epoch) {
        bar?.done();
        bar = new ProgressBar(`${prefix}epoch ${p.epoch + 1}/${cfg.epochs} · ${evaluatedOn}`, p.total);
        evalEpoch = p.epoch;
      }
      bar?.update(p.done);
    },
    onEpoch: (r, { evaluatedOn, etaSeconds }) => {
      bar?.done();
      const test = r.test ? ` · ${evaluatedOn} acc ${(100 * r.test.accuracy).toFixed(2)}%` : '';
      out.write(
        `${prefix}epoch ${r.epoch + 1}/${cfg.epochs} · ${r.samples} samples · loss ${r.trainLoss.toFixed(4)} acc ${(100 * r.trainAccuracy).toFixed(2)}%${test}` +
          ` · train ${r.trainingSeconds.toFixed(1)}s (${Math.round(r.samples / r.trainingSeconds)} img/s) · eval ${r.costs.eval.toFixed(1)}s` +
          (etaSeconds ? ` · run ETA ${formatDuration(etaSeconds)}` : '') +
          '\n',
      );
    },
    onFinish: (s, { alreadyFinished }) => {
      if (alreadyFinished) {
        out.write(
          `${prefix}already finished: final ${cfg.valSplit ? 'validation' : 'test'} accuracy ${(100 * s.finalAccuracy).toFixed(2)}% (${s.runDir}; nothing to do)\n`,
        );
        return;
      }
      const scoring =
        s.scoringSeconds > 0 ? ` + ${s.scoringSeconds.toFixed(1)}s of static scoring (${cfg.scoreFile})` : '';
      out.write(
        `${prefix}final ${s.evaluatedOn} accuracy: ${(100 * s.finalAccuracy).toFixed(2)}% · training cost ${s.trainingSeconds.toFixed(1)}s${scoring} for ${s.samplesTrained} samples\n`,
      );
    },
  };
}
