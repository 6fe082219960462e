// Warm-up measurement for `dp train`'s default (issue 27, group 9): does a short linear LR warm-up stop the loss
// spike of the first steps, and what does it do to the final accuracy?
//
//   node bench/warmup/run.mjs                                   # the default grid below (~20-25 min on 2 loaded cores)
//   node bench/warmup/run.mjs --warmups 0,0.05 --seeds 0 --train-subset 2000 --out /tmp/w.json
//
// Every run is the CLI a new user runs, `node apps/cli/bin/dp.mjs train`, with its defaults (fashion-mnist, cnn-small,
// 3 epochs, batch 128, lr 0.05, cosine schedule, policy full) except --warmup, --seed and the subsets that keep the
// whole grid within the time budget. The CLI logs no per-step loss (log.jsonl has one record per epoch), but its
// progress bar shows the running mean loss of the epoch after every step when stderr is a terminal. So each run
// gets a pseudo-terminal (util-linux `script`), and the per-step batch loss is recovered from consecutive running
// means: loss_s = s · mean_s − (s − 1) · mean_{s−1} (equal batches of 128; the bar prints 4 decimals, so a
// recovered step loss is exact to about ±0.0001 · 2s). The bar redraws at most every 100 ms; a step it skipped is
// reported as missing (counted in `stepsSeen`), never interpolated. Recorded per run: the max batch loss over the
// first 50 steps, the step where it happened, the max running mean, epoch 1's mean training loss (log.jsonl) and
// the final test accuracy (result.json).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const warmups = arg('warmups', '0,0.02,0.05,0.1').split(',').map(Number);
const seeds = arg('seeds', '0,1,2').split(',').map(Number);
const trainSubset = Number(arg('train-subset', '6000'));
const testSubset = Number(arg('test-subset', '2000'));
const firstSteps = Number(arg('first-steps', '50'));
const date = new Date().toISOString().slice(0, 10);
const outFile = resolve(arg('out', join(root, 'bench', 'warmup', `results-${date}.json`)));

/** Per-step batch losses from the progress bar's running means ("epoch 1/3 ███ 12/47 loss 2.3456 acc ..."). */
export function stepLosses(tty, epoch = 1) {
  const means = new Map();
  const re = new RegExp(`epoch ${epoch}/\\d+ \\S* (\\d+)/(\\d+) loss (\\d+\\.\\d+|NaN|Infinity) `, 'g');
  for (const m of tty.matchAll(re)) means.set(Number(m[1]), Number(m[3]));
  const losses = [];
  for (const [s, mean] of means) {
    if (s === 1) losses.push({ step: 1, loss: mean, mean });
    else if (means.has(s - 1)) losses.push({ step: s, loss: s * mean - (s - 1) * means.get(s - 1), mean });
    else losses.push({ step: s, loss: null, mean });
  }
  return losses.sort((a, b) => a.step - b.step);
}

function runOne(warmup, seed) {
  const dir = mkdtempSync(join(tmpdir(), 'dp-warmup-'));
  const out = join(dir, 'run');
  const cli = ['node', join(root, 'apps/cli/bin/dp.mjs'), 'train', '--warmup', String(warmup), '--seed', String(seed)];
  cli.push('--train-subset', String(trainSubset), '--test-subset', String(testSubset), '--out', out);
  const started = performance.now();
  // `script -q -e -c CMD /dev/null`: CMD on a pseudo-terminal, its output (the redrawn bar included) on our stdout.
  const r = spawnSync('script', ['-q', '-e', '-c', cli.map((a) => `'${a}'`).join(' '), '/dev/null'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, CI: '', COLUMNS: '200' },
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0)
    throw new Error(`dp train --warmup ${warmup} --seed ${seed} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
  const epochs = readFileSync(join(out, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === 'epoch');
  // Steps of epoch 1 first, then epoch 2's, numbered on: the first `firstSteps` steps of the run.
  const steps = [];
  for (let e = 1; e <= epochs.length && steps.length < firstSteps; e++) {
    const offset = epochs.slice(0, e - 1).reduce((s, x) => s + x.steps, 0);
    for (const s of stepLosses(r.stdout, e))
      if (s.step + offset <= firstSteps) steps.push({ ...s, step: s.step + offset });
  }
  const seen = steps.filter((s) => s.loss !== null);
  const peak = seen.reduce((best, s) => (s.loss > best.loss ? s : best), { loss: -Infinity, step: null });
  rmSync(dir, { recursive: true, force: true });
  return {
    warmup,
    seed,
    stepsSeen: `${seen.length}/${Math.min(
      firstSteps,
      epochs.reduce((s, x) => s + x.steps, 0),
    )}`,
    maxStepLoss: peak.loss,
    maxStepLossAt: peak.step,
    firstStepLoss: seen[0]?.loss ?? null,
    maxRunningMean: Math.max(...steps.map((s) => s.mean)),
    epoch1TrainLoss: epochs[0].trainLoss,
    finalTrainLoss: epochs.at(-1).trainLoss,
    finalAccuracy: result.finalAccuracy,
    wallSeconds: Number(seconds.toFixed(1)),
  };
}

const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;
const std = (a) => (a.length > 1 ? Math.sqrt(a.reduce((s, x) => s + (x - mean(a)) ** 2, 0) / (a.length - 1)) : 0);
const fmt = (a, d) => `${mean(a).toFixed(d)} ± ${std(a).toFixed(d)}`;

function table(runs) {
  const lines = [
    `| warm-up | max batch loss, first ${firstSteps} steps | step of the max | epoch-1 train loss | final test accuracy (%) | seeds |`,
    '|---|---|---|---|---|---|',
  ];
  for (const w of warmups) {
    const rs = runs.filter((r) => r.warmup === w);
    if (rs.length === 0) continue;
    lines.push(
      `| ${w} | ${fmt(
        rs.map((r) => r.maxStepLoss),
        2,
      )} | ${rs.map((r) => r.maxStepLossAt).join(', ')} | ${fmt(
        rs.map((r) => r.epoch1TrainLoss),
        3,
      )} | ` +
        `${fmt(
          rs.map((r) => 100 * r.finalAccuracy),
          2,
        )} | ${rs.length} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const protocol = {
    dataset: 'fashion-mnist (CLI default)',
    model: 'cnn-small (default)',
    epochs: '3 (default)',
    lr: '0.05 (default)',
    trainSubset,
    testSubset,
    firstSteps,
    warmups,
    seeds,
  };
  const runs = [];
  mkdirSync(dirname(outFile), { recursive: true });
  for (const seed of seeds) {
    for (const warmup of warmups) {
      const r = runOne(warmup, seed);
      runs.push(r);
      console.log(JSON.stringify(r));
      // Written after every run, so an interrupted grid keeps what it measured.
      writeFileSync(outFile, `${JSON.stringify({ date, protocol, runs, table: table(runs) }, null, 2)}\n`);
    }
  }
  console.log(table(runs));
}
