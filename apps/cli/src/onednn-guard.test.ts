import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ONEDNN_TESTED_MODELS } from '@dp/trainer';
import { describe, expect, it } from 'vitest';

// The guard behind @dp/trainer's ONEDNN_TESTED_MODELS: dp turns oneDNN on for these models even on hosts that hide
// their cache sizes (where oneDNN crashes some layer shapes with SIGFPE), so each must train (compiled training
// step) and evaluate with TF_ENABLE_ONEDNN_OPTS=1 in a process of its own: bench/speed/onednn-models.mjs runs
// `dp train` on a tiny Fashion-MNIST subset. Valid on every host: elsewhere dp turns oneDNN on for every model.
const survey = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'speed', 'onednn-models.mjs');
const FMNIST = '/usr/share/datasets/fashion-mnist';

describe('models dp runs with oneDNN on where it may crash', () => {
  it.each(ONEDNN_TESTED_MODELS)(
    '%s trains and evaluates with TF_ENABLE_ONEDNN_OPTS=1',
    (model) => {
      const r = spawnSync(process.execPath, [survey, '--models', model, '--data-dir', FMNIST, '--onednn', '1'], {
        encoding: 'utf8',
        env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
      });
      expect(r.status, r.stderr).toBe(0);
      const { results } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
        results: { model: string; status: number | null; signal: string | null }[];
      };
      expect(results.map(({ model, status, signal }) => ({ model, status, signal }))).toEqual([
        { model, status: 0, signal: null },
      ]);
    },
    600_000,
  );
});
