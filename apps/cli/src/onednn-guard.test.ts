import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ONEDNN_TESTED_MODELS } from '@dp/trainer';
import { describe, expect, it } from 'vitest';

// The guard behind @dp/trainer's ONEDNN_TESTED_MODELS: dp turns oneDNN on for these models even on hosts that hide
// their cache sizes (where oneDNN crashes some layer shapes with SIGFPE), so each must train (compiled training
// step) and evaluate with TF_ENABLE_ONEDNN_OPTS=1 in a process of its own. Valid on every host: elsewhere dp turns
// oneDNN on for every model. Survey of all models: bench/speed/onednn-models.mjs.
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dp.mjs');
const FMNIST = '/usr/share/datasets/fashion-mnist';

describe('models dp runs with oneDNN on where it may crash', () => {
  it.each(ONEDNN_TESTED_MODELS)(
    '%s trains and evaluates with TF_ENABLE_ONEDNN_OPTS=1',
    (model) => {
      const out = mkdtempSync(join(tmpdir(), 'dp-onednn-'));
      try {
        const r = spawnSync(
          process.execPath,
          [
            bin,
            'train',
            '--data-dir',
            FMNIST,
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
          ],
          { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '1' } },
        );
        expect({ signal: r.signal, status: r.status }, r.stderr).toEqual({ signal: null, status: 0 });
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    600_000,
  );
});
