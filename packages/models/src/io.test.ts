import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { loadModel, loadWeights, saveModel } from './io.js';
import { buildModel } from './registry.js';
import { PadShortcut } from './shortcut-a.js';

const dir = mkdtempSync(join(tmpdir(), 'dp-models-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opts = { inputShape: [16, 16, 3] as const, numClasses: 10 };
const predict = (m: { predict(x: tf.Tensor): tf.Tensor | tf.Tensor[] }, x: tf.Tensor) => {
  const y = m.predict(x) as tf.Tensor;
  const v = Array.from(y.dataSync());
  y.dispose();
  return v;
};

describe('save and load through file:// handlers', () => {
  const x = tf.randomNormal([2, 16, 16, 3], 0, 1, 'float32', 7);
  const original = buildModel('resnet20', { ...opts, seed: 1, zeroInitResidual: false });
  const url = `file://${dir}/resnet20`;

  it('round-trips topology (custom option-A layer included) and weights', async () => {
    const saved = await saveModel(original, url);
    expect(saved.modelArtifactsInfo.weightDataBytes).toBe(4 * (269_722 + 1_376));
    const loaded = await loadModel(`${url}/model.json`);
    expect(loaded.name).toBe('resnet20');
    expect(loaded.getLayer('layer2.0.shortcut')).toBeInstanceOf(PadShortcut);
    expect(predict(loaded, x)).toEqual(predict(original, x));
    loaded.dispose();
  });

  it('loads weights into a freshly built model of the same architecture', async () => {
    const other = buildModel('resnet20', { ...opts, seed: 99 });
    expect(predict(other, x)).not.toEqual(predict(original, x));
    await loadWeights(other, `${url}/model.json`);
    expect(predict(other, x)).toEqual(predict(original, x));
    other.dispose();
  });

  it('loads cnn-small weights into a cnn-small built later in the same process (layers are named)', async () => {
    const small = { inputShape: [28, 28, 1] as const, numClasses: 10 };
    const xs = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 3);
    const a = buildModel('cnn-small', { ...small, seed: 1 });
    await saveModel(a, `file://${dir}/cnn-small`);
    const b = buildModel('cnn-small', { ...small, seed: 2 });
    await loadWeights(b, `file://${dir}/cnn-small/model.json`);
    expect(predict(b, xs)).toEqual(predict(a, xs));
    xs.dispose();
    a.dispose();
    b.dispose();
  });

  it('rejects weights from another architecture, naming both', async () => {
    const other = buildModel('resnet32', opts);
    await expect(loadWeights(other, `${url}/model.json`)).rejects.toThrow(ModelError);
    await expect(loadWeights(other, `${url}/model.json`)).rejects.toThrow(
      /weights in 'file:\/\/.*' do not fit: they are from 'resnet20' and the model is 'resnet32' \(different architecture or options\): the model's weight 'layer1.3.conv1\/kernel' is not in the file/,
    );
    other.dispose();
    const resnet18 = buildModel('resnet18', opts);
    await expect(loadWeights(resnet18, `${url}/model.json`)).rejects.toThrow(
      /from 'resnet20' and the model is 'resnet18'.*'conv1\/kernel' is \[3, 3, 3, 16\] in the file but \[3, 3, 3, 64\]/,
    );
    resnet18.dispose();
    const moreClasses = buildModel('resnet20', { ...opts, numClasses: 100 });
    await expect(loadWeights(moreClasses, `${url}/model.json`)).rejects.toThrow(
      /'fc\/kernel' is \[64, 10\] in the file but \[64, 100\] in the model/,
    );
    moreClasses.dispose();
  });

  it('reports missing files and URLs without a handler as ModelErrors', async () => {
    await expect(loadModel(`file://${dir}/nothing/model.json`)).rejects.toThrow(
      /cannot load a model from 'file:\/\/.*nothing\/model.json'/,
    );
    await expect(loadWeights(original, `file://${dir}/nothing/model.json`)).rejects.toThrow(/cannot read weights from/);
    await expect(saveModel(original, 'nowhere://x')).rejects.toThrow(/no save handler for 'nowhere:\/\/x'.*tfjs-node/);
    original.dispose();
    x.dispose();
  });
});
