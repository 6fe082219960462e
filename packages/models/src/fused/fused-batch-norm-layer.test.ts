import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FusedBatchNormalization, fusedBatchNormalization } from './fused-batch-norm-layer.js';
import { FusedReLU, fusedReLU } from './fused-relu-layer.js';

type Kind = 'reference' | 'fused';

/** conv-BN-ReLU-pool x2 + dense, identical weights for both kinds given the seed. */
function smallNet(kind: Kind, seed: number, inputShape: [number, number, number]): tfl.LayersModel {
  let s = seed;
  const bn = (name: string) =>
    kind === 'fused'
      ? fusedBatchNormalization({ name, momentum: 0.9, epsilon: 1e-5 })
      : tfl.layers.batchNormalization({ name, momentum: 0.9, epsilon: 1e-5 });
  const relu = (name: string) => (kind === 'fused' ? fusedReLU({ name }) : tfl.layers.reLU({ name }));
  const conv = (name: string, filters: number) =>
    tfl.layers.conv2d({
      name,
      filters,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      kernelInitializer: tfl.initializers.heNormal({ seed: s++ }),
    });
  return tfl.sequential({
    layers: [
      tfl.layers.inputLayer({ inputShape }),
      conv('c1', 8),
      bn('bn1'),
      relu('r1'),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      conv('c2', 16),
      bn('bn2'),
      relu('r2'),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ name: 'fc', units: 10, kernelInitializer: tfl.initializers.glorotUniform({ seed: s++ }) }),
    ],
  });
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('FusedBatchNormalization layer', () => {
  it('has the weights and config of tf.layers.batchNormalization, and round-trips through JSON', () => {
    const ref = smallNet('reference', 1, [8, 8, 3]);
    const fused = smallNet('fused', 1, [8, 8, 3]);
    const names = (m: tfl.LayersModel) =>
      m.weights.map((w) => `${w.originalName} [${w.shape.join(',')}] ${w.trainable}`);
    expect(names(fused)).toEqual(names(ref));
    expect(names(fused).filter((n) => n.startsWith('bn1/'))).toEqual([
      'bn1/gamma [8] true',
      'bn1/beta [8] true',
      'bn1/moving_mean [8] false',
      'bn1/moving_variance [8] false',
    ]);
    const cfgRef = ref.getLayer('bn1').getConfig();
    const cfgFused = fused.getLayer('bn1').getConfig();
    expect(cfgFused).toEqual(cfgRef);
    expect(fused.getLayer('bn1').getClassName()).toBe('FusedBatchNormalization');
    expect(fused.getLayer('r1').getClassName()).toBe('FusedReLU');

    // JSON round trip keeps the fused classes (registered for deserialisation).
    const topology = fused.toJSON(null, false) as tf.io.ModelJSON['modelTopology'];
    const restored = tfl.models.modelFromJSON({ modelTopology: topology }) as Promise<tfl.LayersModel>;
    return restored.then((m) => {
      expect(m.getLayer('bn2')).toBeInstanceOf(FusedBatchNormalization);
      expect(m.getLayer('r2')).toBeInstanceOf(FusedReLU);
      expect(m.getLayer('bn2').getConfig()).toEqual(fused.getLayer('bn2').getConfig());
    });
  });

  it('matches the reference layers: outputs, gradients of every weight, moving statistics after training calls', () => {
    const ref = smallNet('reference', 7, [12, 12, 3]);
    const fused = smallNet('fused', 7, [12, 12, 3]);
    fused.setWeights(ref.getWeights()); // same start (they already agree by seed; this makes it explicit)
    const x = tf.randomNormal([16, 12, 12, 3], 0.3, 1.7, 'float32', 3);
    const y = tf.oneHot(
      tf.tensor1d(
        [...Array(16).keys()].map((i) => i % 10),
        'int32',
      ),
      10,
    );
    const lossOf = (m: tfl.LayersModel) => () =>
      tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;

    for (let call = 0; call < 3; call++) {
      const g1 = tf.variableGrads(
        lossOf(ref),
        ref.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      const g2 = tf.variableGrads(
        lossOf(fused),
        fused.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      expect(Math.abs(g1.value.dataSync()[0]! - g2.value.dataSync()[0]!)).toBeLessThan(1e-5);
      const k1 = Object.keys(g1.grads);
      expect(k1.length).toBe(ref.trainableWeights.length);
      ref.trainableWeights.forEach((w, i) => {
        const a = g1.grads[(w.read() as tf.Variable).name]!;
        const b = g2.grads[(fused.trainableWeights[i]!.read() as tf.Variable).name]!;
        const scale = Math.max(
          1e-3,
          tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0]!),
        );
        expect(maxAbsDiff(a, b) / scale, `gradient of ${w.originalName}`).toBeLessThan(1e-4);
      });
      tf.dispose([g1.value, g2.value, ...Object.values(g1.grads), ...Object.values(g2.grads)]);
    }
    // Three training calls each updated the moving statistics (momentum 0.9): they must agree.
    for (const name of ['bn1', 'bn2']) {
      const [, , mmR, mvR] = ref.getLayer(name).getWeights();
      const [, , mmF, mvF] = fused.getLayer(name).getWeights();
      expect(maxAbsDiff(mmF!, mmR!)).toBeLessThan(1e-5);
      expect(maxAbsDiff(mvF!, mvR!)).toBeLessThan(1e-5);
      expect(maxAbsDiff(mvR!, tf.onesLike(mvR!))).toBeGreaterThan(1e-2); // they really moved
    }
    // Inference mode uses the moving statistics in both.
    const inf1 = ref.predict(x) as tf.Tensor;
    const inf2 = fused.predict(x) as tf.Tensor;
    expect(maxAbsDiff(inf1, inf2)).toBeLessThan(1e-4);
    tf.dispose([x, y, inf1, inf2]);
  });

  it('loads weights saved from a reference model (and back)', () => {
    const ref = smallNet('reference', 2, [8, 8, 1]);
    const fused = smallNet('fused', 99, [8, 8, 1]);
    fused.setWeights(ref.getWeights());
    const x = tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 5);
    expect(maxAbsDiff(fused.predict(x) as tf.Tensor, ref.predict(x) as tf.Tensor)).toBeLessThan(1e-5);
    x.dispose();
  });
});

// ------------------------------------------------------------------------------------ short real training run
const FASHION = '/usr/share/datasets/fashion-mnist';
const haveFashion = existsSync(`${FASHION}/train-images-idx3-ubyte.gz`);

function readIdx(file: string, count: number, offset: number): Uint8Array {
  const buf = gunzipSync(readFileSync(file));
  const dims = buf[3]!;
  const itemSize = Array.from({ length: dims - 1 }, (_, i) => buf.readUInt32BE(8 + 4 * i)).reduce((a, b) => a * b, 1);
  const start = 4 + 4 * dims + offset * itemSize;
  return buf.subarray(start, start + count * itemSize);
}

describe.skipIf(!haveFashion)(`a short real training run on Fashion-MNIST (${FASHION})`, () => {
  it('reaches the same accuracy with the fused layers as with the reference layers', () => {
    const nTrain = 3072;
    const nTest = 1000;
    const images = readIdx(`${FASHION}/train-images-idx3-ubyte.gz`, nTrain + nTest, 0);
    const labels = readIdx(`${FASHION}/train-labels-idx1-ubyte.gz`, nTrain + nTest, 0);
    const xAll = tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(images), [nTrain + nTest, 28, 28, 1]), 255));
    const yAll = tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), 10);
    const xTest = xAll.slice([nTrain, 0, 0, 0], [nTest, 28, 28, 1]);
    const yTest = labels.subarray(nTrain);

    const accuracy: Record<Kind, number> = { reference: 0, fused: 0 };
    for (const kind of ['reference', 'fused'] as const) {
      const model = smallNet(kind, 42, [28, 28, 1]);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const opt = tf.train.momentum(0.05, 0.9, true);
      const batch = 64;
      for (let epoch = 0; epoch < 2; epoch++) {
        for (let b = 0; b < nTrain / batch; b++) {
          // A fixed, seed-free permutation (stride 37 is coprime with 48 batches): same order for both kinds.
          const i = (b * 37 + epoch * 11) % (nTrain / batch);
          const cost = opt.minimize(
            () => {
              const x = xAll.slice([i * batch, 0, 0, 0], [batch, 28, 28, 1]);
              const y = yAll.slice([i * batch, 0], [batch, 10]);
              return tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
            },
            true,
            vars,
          );
          cost!.dispose();
        }
      }
      const pred = tf.tidy(() => tf.argMax(model.predict(xTest) as tf.Tensor, 1).dataSync());
      let hits = 0;
      for (let k = 0; k < nTest; k++) hits += pred[k] === yTest[k] ? 1 : 0;
      accuracy[kind] = hits / nTest;
      opt.dispose();
      model.dispose();
    }
    tf.dispose([xAll, yAll, xTest]);
    // Both learn (10 classes: chance is 0.10) and land within noise of each other on 1,000 test images.
    expect(accuracy.reference).toBeGreaterThan(0.75);
    expect(accuracy.fused).toBeGreaterThan(0.75);
    expect(Math.abs(accuracy.fused - accuracy.reference), JSON.stringify(accuracy)).toBeLessThan(0.02);
  });
});
