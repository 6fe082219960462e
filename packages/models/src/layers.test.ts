import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { batchNorm, BN_EPSILON, BN_MOMENTUM, conv, defaultBatchNorm } from './layers.js';

describe('batchNorm factory', () => {
  it("builds the reference or fused BatchNormalization with PyTorch's momentum/epsilon, gamma 1 or 0", () => {
    for (const [kind, zeroGamma] of [
      ['reference', false],
      ['reference', true],
      ['fused', false],
      ['fused', true],
    ] as const) {
      const input = tfl.input({ shape: [2, 2, 3] });
      const layer = batchNorm({ name: `bn_${zeroGamma}`, zeroGamma, kind });
      const model = tfl.model({ inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor });
      const cfg = layer.getConfig();
      expect([layer.getClassName(), cfg.momentum, cfg.epsilon]).toEqual([
        kind === 'fused' ? 'FusedBatchNormalization' : 'BatchNormalization',
        BN_MOMENTUM,
        BN_EPSILON,
      ]);
      expect(Array.from(layer.getWeights()[0]!.dataSync())).toEqual([0, 0, 0].map(() => (zeroGamma ? 0 : 1)));
      expect(layer.trainableWeights.map((w) => w.originalName)).toEqual([
        `bn_${zeroGamma}/gamma`,
        `bn_${zeroGamma}/beta`,
      ]);
      model.dispose();
    }
  });

  it('defaults to the fused kernels on the native backend and rejects unknown kinds', () => {
    expect(tf.getBackend()).toBe('tensorflow');
    expect(defaultBatchNorm()).toBe('fused');
    expect(batchNorm({ name: 'bn_default' }).getClassName()).toBe('FusedBatchNormalization');
    expect(() => batchNorm({ name: 'bn', kind: 'turbo' as never })).toThrow(ModelError);
    expect(() => batchNorm({ name: 'bn', kind: 'turbo' as never })).toThrow(
      /batchNorm = 'turbo' is invalid: expected one of reference, fused/,
    );
  });
});

describe('conv', () => {
  /** A 1-channel conv of all-ones kernel on the 4x4 image 1..16: each output is the sum of its window. */
  function windowSums(stride: number): number[] {
    const input = tfl.input({ shape: [4, 4, 1] });
    const out = conv(input, { name: `c${stride}`, filters: 1, kernelSize: 3, stride, seed: 1 });
    const model = tfl.model({ inputs: input, outputs: out });
    const layer = model.getLayer(`c${stride}`);
    expect(layer.getWeights()).toHaveLength(1); // no bias before batch norm
    layer.setWeights([tf.ones([3, 3, 1, 1])]);
    const y = model.predict(
      tf.tensor4d(
        Array.from({ length: 16 }, (_, i) => i + 1),
        [1, 4, 4, 1],
      ),
    ) as tf.Tensor;
    const values = Array.from(y.dataSync());
    tf.dispose(y);
    model.dispose();
    return values;
  }

  it("pads strided convs symmetrically like PyTorch (padding=k//2), not TF 'same'", () => {
    // rows/cols -1..1 -> 1+2+5+6; -1..1 x 1..3 -> 2+3+4+6+7+8; 1..3 x -1..1 -> 5+6+9+10+13+14; 1..3 x 1..3.
    // TF 'same' would take rows/cols 0..2 for the first output (54).
    expect(windowSums(2)).toEqual([14, 30, 57, 99]);
  });

  it('keeps the size at stride 1 with zero padding 1', () => {
    const sums = windowSums(1);
    expect(sums).toHaveLength(16);
    expect(sums[0]).toBe(1 + 2 + 5 + 6);
    expect(sums[5]).toBe(1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11);
  });
});
