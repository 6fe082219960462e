import '@tensorflow/tfjs-node';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from '@dp/models';
import { ONEDNN_SHAPE_TWINS, ONEDNN_TESTED_MODELS } from '@dp/trainer';
import { describe, expect, it } from 'vitest';

// The guard behind @dp/trainer's ONEDNN_TESTED_MODELS: dp turns oneDNN on for these models even on hosts that hide
// their cache sizes (where oneDNN crashes some layer shapes with SIGFPE). The crash depends on layer shapes, so each
// distinct set of shapes trains (compiled training step) and evaluates with TF_ENABLE_ONEDNN_OPTS=1 in a process of
// its own (bench/speed/onednn-models.mjs: `dp train` on a tiny Fashion-MNIST subset), and every other tested model
// must have exactly the layer shapes of its twin. Valid on every host: elsewhere dp turns oneDNN on for every model.
const survey = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'speed', 'onednn-models.mjs');
const FMNIST = '/usr/share/datasets/fashion-mnist';
const trained = ONEDNN_TESTED_MODELS.filter((m) => ONEDNN_SHAPE_TWINS[m] === undefined);

/** The distinct layer shapes of a model on Fashion-MNIST input: class, input and output shapes, and its settings. */
function layerShapes(model: string): Set<string> {
  const built = buildModel(model, { inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
  const shapes = new Set<string>();
  for (const layer of built.layers) {
    const c = layer.getConfig();
    const settings = ['kernelSize', 'strides', 'filters', 'units', 'padding', 'poolSize', 'axis'].map((k) => c[k]);
    const shape = (t: { shape: unknown } | { shape: unknown }[]) => [t].flat().map((x) => x.shape);
    shapes.add(JSON.stringify([layer.getClassName(), shape(layer.input), shape(layer.output), settings]));
  }
  return shapes;
}

describe('models dp runs with oneDNN on where it may crash', () => {
  it.each(Object.entries(ONEDNN_SHAPE_TWINS))('%s has exactly the layer shapes of %s', (model, twin) => {
    expect(ONEDNN_TESTED_MODELS).toContain(model);
    expect(trained).toContain(twin);
    expect([...layerShapes(model)].sort()).toEqual([...layerShapes(twin)].sort());
  });

  it(`${trained.join(', ')} train and evaluate with TF_ENABLE_ONEDNN_OPTS=1`, () => {
    const r = spawnSync(
      process.execPath,
      [survey, '--models', trained.join(','), '--data-dir', FMNIST, '--onednn', '1'],
      { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
    );
    expect(r.status, r.stderr).toBe(0);
    const { results } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      results: { model: string; status: number | null; signal: string | null }[];
    };
    expect(results.map(({ model, status, signal }) => ({ model, status, signal }))).toEqual(
      trained.map((model) => ({ model, status: 0, signal: null })),
    );
  }, 900_000);
});
