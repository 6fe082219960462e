#!/usr/bin/env node
// Checks the evaluation-pass probe behind `dp report --adjust-machine-speed`: for every run in the given results
// files (dp bench .jsonl) or run logs (runs/<run>/log.jsonl, also of unfinished runs), prints its training seconds
// per trained sample, its evaluation seconds per pass and their ratio (µs per trained sample / s per pass: both
// normalised, so runs of any prune ratio or evaluation interval compare). If the probe tracks the machine, the ratio
// stays put across sessions while the two times move together.
//   node results/machine-probe.mjs results/cifar10-resnet20.jsonl runs/bench-cifar10/<run>/log.jsonl
import { readFileSync } from 'node:fs';

const rows = [];
for (const file of process.argv.slice(2)) {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((l, i) => {
      if (!l.trim()) return [];
      try {
        return [JSON.parse(l)];
      } catch {
        console.error(`${file}:${i + 1} is not valid JSON (a line being written?); skipped`);
        return [];
      }
    });
  if (lines[0]?.type === 'start') {
    // A run log: one line per epoch with its cost breakdown and its evaluation.
    const epochs = lines.filter((l) => l.type === 'epoch');
    const train = epochs.reduce((s, e) => s + e.trainingSeconds, 0);
    const samples = epochs.reduce((s, e) => s + e.samples, 0);
    const evals = epochs.filter((e) => e.test);
    const evalSeconds = evals.reduce((s, e) => s + e.test.seconds, 0);
    rows.push({ run: `${file} (${epochs.length} epochs so far)`, train, samples, evalSeconds, passes: evals.length });
  } else {
    for (const r of lines) {
      const passes = r.epochs.filter((e) => e.testAccuracy !== undefined).length;
      rows.push({ run: `${file}: ${r.runDir.replace(/^.*\//, '')}`, train: r.trainingSeconds, samples: r.samplesTrained, evalSeconds: r.evalSeconds, passes });
    }
  }
}
console.log('run | train µs/sample | eval s/pass | ratio (µs/sample per s/pass)');
for (const r of rows) {
  const perSample = (1e6 * r.train) / r.samples;
  const perPass = r.passes ? r.evalSeconds / r.passes : NaN;
  console.log(`${r.run} | ${perSample.toFixed(0)} | ${perPass.toFixed(2)} | ${(perSample / perPass).toFixed(0)}`);
}
