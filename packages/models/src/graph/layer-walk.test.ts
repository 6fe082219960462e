import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { PadShortcut } from '../shortcut-a.js';
import { inferenceGraph } from './from-layers.js';
import * as walk from './layer-walk.js';
import { trainingGraph } from './train-graph.js';

const FIX = 'the way out';
const sym = (shape: number[]) => tfl.input({ shape });
const cfgOf = (layer: tfl.layers.Layer) => layer.getConfig() as Record<string, unknown>;

/** The ModelError `f` throws (fails the test when it throws nothing or something else). */
function modelError(f: () => unknown): ModelError {
  try {
    f();
  } catch (e) {
    expect(ModelError.isInstance(e)).toBe(true);
    return e as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe('layer-walk: the checks both graph translations share', () => {
  it('batchNormShape: [h, w, c] of a channels-last rank-4 input (axis -1 or 3); any other axis or rank refused', () => {
    const x = sym([5, 6, 7]);
    for (const axis of [-1, 3]) {
      const layer = tfl.layers.batchNormalization({ axis });
      layer.apply(x);
      expect(walk.batchNormShape(cfgOf(layer), x, 'bn', FIX)).toEqual([5, 6, 7]);
    }
    const e = modelError(() => walk.batchNormShape({ axis: 1 }, x, 'bn', FIX));
    expect(e.problem).toContain("layer 'bn': batch norm over axis 1 of a rank-4 input");
    expect(e.fix).toBe(FIX);
    expect(() => walk.batchNormShape({ axis: -1 }, sym([8]), 'bn', FIX)).toThrow(/rank-2 input is not supported/);
  });

  it('zeroPaddings: the Pad paddings of a ZeroPadding2D give the layer output', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3), { minLength: 4, maxLength: 4 }), ([t, b, l, r]) => {
        const layer = tfl.layers.zeroPadding2d({
          padding: [
            [t!, b!],
            [l!, r!],
          ],
        });
        const x = tf.randomNormal([1, 3, 4, 2], 0, 1, 'float32', 1);
        const want = layer.apply(x) as tf.Tensor;
        const p = walk.zeroPaddings(cfgOf(layer));
        const got = tf.pad(
          x,
          [0, 1, 2, 3].map((i) => [p[2 * i]!, p[2 * i + 1]!] as [number, number]),
        );
        expect(got.shape).toEqual(want.shape);
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
        tf.dispose([x, want, got]);
      }),
      { numRuns: 20 },
    );
  });

  it('padShortcut: stride and channel paddings reproduce the PadShortcut layer (smaller half first; none when no extra channels)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.nat(5), (stride, inC, more) => {
        const outChannels = inC + more;
        const layer = new PadShortcut({ stride, outChannels });
        const x = sym([6, 6, inC]);
        layer.apply(x);
        const { stride: s, paddings } = walk.padShortcut(cfgOf(layer), x);
        expect(s).toBe(stride);
        if (more === 0) expect(paddings).toBeNull();
        else expect(paddings).toEqual([0, 0, 0, 0, 0, 0, more >> 1, more - (more >> 1)]);
        const input = tf.randomNormal([2, 6, 6, inC], 0, 1, 'float32', 3);
        const want = layer.apply(input) as tf.Tensor;
        let got: tf.Tensor = s > 1 ? tf.maxPool(input as tf.Tensor4D, 1, s, 'valid') : input;
        if (paddings)
          got = tf.pad(
            got,
            [0, 1, 2, 3].map((i) => [paddings[2 * i]!, paddings[2 * i + 1]!] as [number, number]),
          );
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
        tf.dispose([input, want, got]);
      }),
      { numRuns: 20 },
    );
  });

  it('maxPoolingAttrs: kernel, strides (default: the pool size) and padding of a MaxPooling2D', () => {
    const layer = tfl.layers.maxPooling2d({ poolSize: [3, 2], padding: 'same' });
    expect(walk.maxPoolingAttrs(cfgOf(layer), 'pool', FIX)).toEqual(walk.poolAttrs([3, 2], [3, 2], 'SAME'));
    const strided = tfl.layers.maxPooling2d({ poolSize: 2, strides: 1 });
    expect(walk.maxPoolingAttrs(cfgOf(strided), 'pool', FIX)).toMatchObject({
      ksize: { ints: [1, 2, 2, 1] },
      strides: { ints: [1, 1, 1, 1] },
      padding: { s: 'VALID' },
      data_format: { s: 'NHWC' },
    });
    expect(() => walk.maxPoolingAttrs({ poolSize: [1, 2, 3] }, 'pool', FIX)).toThrow(
      /poolSize .* expected an integer or a pair/,
    );
  });

  it('checkDenseInput and checkPlainRelu refuse what the graphs cannot express, naming the layer', () => {
    expect(() => walk.checkDenseInput(sym([4]), 'fc', FIX)).not.toThrow();
    expect(modelError(() => walk.checkDenseInput(sym([3, 4]), 'fc', FIX)).problem).toBe(
      "layer 'fc': Dense on a rank-3 input is not supported: rank 2 only",
    );
    expect(() => walk.checkPlainRelu(cfgOf(tfl.layers.reLU({})), 'r', 'inference graph', FIX)).not.toThrow();
    expect(modelError(() => walk.checkPlainRelu({ maxValue: 6 }, 'r', 'training graph', FIX)).problem).toBe(
      "layer 'r': ReLU with maxValue is not supported by the training graph",
    );
  });

  it('both translations refuse an unsupported model with the same problem and their own fix', () => {
    const input = tfl.input({ shape: [4, 4, 3] });
    const clipped = tfl.layers.reLU({ maxValue: 6, name: 'clipped' }).apply(input) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 2, name: 'fc' }).apply(tfl.layers.flatten().apply(clipped));
    const model = tfl.model({ inputs: input, outputs: out as tfl.SymbolicTensor });
    const inference = modelError(() => inferenceGraph(model));
    const training = modelError(() =>
      trainingGraph(model, { labelSmoothing: 0, weightDecay: 0, decayed: new Set(), momentum: 0.9, nesterov: false }),
    );
    expect(inference.problem).toBe("layer 'clipped': ReLU with maxValue is not supported by the inference graph");
    expect(training.problem).toBe("layer 'clipped': ReLU with maxValue is not supported by the training graph");
    expect(inference.fix).not.toBe(training.fix);
    model.dispose();
  });
});
