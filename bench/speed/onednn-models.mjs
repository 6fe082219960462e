#!/usr/bin/env node
// Which registered models crash with TensorFlow's oneDNN optimisations on, on this host: for each model, one
// `dp train` epoch of a tiny subset (a few training steps through the real compiled training step, then one
// evaluation) in a child process with TF_ENABLE_ONEDNN_OPTS=1, recording the exit code / signal. Hosts that hide
// their CPU cache sizes crash some layer shapes with SIGFPE (issue 28); this is the survey behind the allowlist.
//
//   node bench/speed/onednn-models.mjs [--dataset fashion-mnist] [--data-dir DIR] [--models resnet20,resnet50] [--onednn 1]
// The last line is JSON ({ onednn, dataset, cachesVisible, results: [{ model, status, signal, seconds }] }).
// Default input size: the dataset's (Fashion-MNIST 28x28x1; the ResNet-18/34/50 then take their CIFAR stem, the
// only stem `dp train` picks below 65 px).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const dp = fileURLToPath(new URL('../../apps/cli/bin/dp.mjs', import.meta.url));
const dataset = opt('dataset', 'fashion-mnist');
const onednn = opt('onednn', '1');
const dataDir = opt('data-dir', undefined);
const models = opt(
  'models',
  'cnn-small,mlp,resnet20,resnet32,resnet44,resnet56,resnet110,resnet18,resnet34,resnet50',
).split(',');
const cachesVisible = existsSync('/sys/devices/system/cpu/cpu0/cache');
console.log(`TF_ENABLE_ONEDNN_OPTS=${onednn} · dataset ${dataset} · CPU caches visible: ${cachesVisible}`);
const results = [];
for (const model of models) {
  const out = mkdtempSync(join(tmpdir(), 'dp-onednn-'));
  const t0 = Date.now();
  const r = spawnSync(
    process.execPath,
    [
      dp,
      'train',
      '--dataset',
      dataset,
      '--model',
      model,
      '--epochs',
      '1',
      '--train-subset',
      '20',
      '--test-subset',
      '10',
      '--batch-size',
      '10',
      '--out',
      join(out, 'run'),
      ...(dataDir === undefined ? [] : ['--data-dir', dataDir]),
    ],
    { env: { ...process.env, TF_ENABLE_ONEDNN_OPTS: onednn }, encoding: 'utf8' },
  );
  rmSync(out, { recursive: true, force: true });
  const ok = r.status === 0;
  const tail = ok ? '' : ` · ${(r.stderr || r.stdout || '').trim().split('\n').slice(-1)[0]}`;
  const row = { model, status: r.status, signal: r.signal, seconds: (Date.now() - t0) / 1000 };
  results.push(row);
  console.log(
    `${model.padEnd(10)} ${ok ? 'ok     ' : 'CRASH  '} exit ${r.status} signal ${r.signal ?? '-'} · ${row.seconds.toFixed(1)} s${tail}`,
  );
}
console.log(JSON.stringify({ onednn, dataset, cachesVisible, results }));
