#!/usr/bin/env node
// Checks the evaluation-pass probe behind `dp report --adjust-machine-speed`: for every run in the given results
// files (dp bench .jsonl) or run logs (runs/<run>/log.jsonl, also of unfinished runs), prints its training seconds
// per trained sample, its evaluation seconds per pass and their ratio. If the probe tracks the machine, the ratio
// stays put across sessions while the two times move together.
//   node results/machine-probe.mjs results/cifar10-resnet20.jsonl runs/bench-cifar10/<run>/log.jsonl
import { readFileSync } from 'node:fs';

const rows = [];
for (const file of process.argv.slice(2)) {
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
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
console.log('run | train µs/sample | eval s/pass | train s / eval s');
for (const r of rows) {
  const perPass = r.passes ? r.evalSeconds / r.passes : NaN;
  console.log(`${r.run} | ${((1e6 * r.train) / r.samples).toFixed(0)} | ${perPass.toFixed(2)} | ${(r.train / r.evalSeconds).toFixed(1)}`);
}
