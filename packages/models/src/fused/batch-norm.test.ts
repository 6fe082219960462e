import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { fusedBatchNormInfer, fusedBatchNormTrain } from './batch-norm.js';
import { fusedRelu } from './relu.js';

/** Max |a - b| / (1 + |b|) over all elements: float32 agreement up to round-off of differently ordered sums. */
function maxRelErr(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!) / (1 + Math.abs(y[i]!)));
  return m;
}

/** The reference computation of tfjs-layers' training-mode BatchNormalization. */
function referenceTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number) {
  const axes = [...Array(x.rank - 1).keys()];
  const { mean, variance } = tf.moments(x, axes);
  return { y: tf.batchNorm(x, mean, variance, beta, gamma, eps), mean, variance };
}

function inputs(shape: number[], seed: number) {
  const c = shape[shape.length - 1]!;
  return {
    x: tf.randomNormal(shape, 0.7, 2.3, 'float32', seed),
    gamma: tf.randomUniform([c], 0.5, 1.5, 'float32', seed + 1) as tf.Tensor1D,
    beta: tf.randomNormal([c], 0, 0.5, 'float32', seed + 2) as tf.Tensor1D,
    dy: tf.randomNormal(shape, 0, 1, 'float32', seed + 3),
  };
}

const TOL = 2e-5;

describe('fusedBatchNormTrain (FusedBatchNormV3 / FusedBatchNormGradV3)', () => {
  afterEach(() => tf.disposeVariables());

  it('matches the reference forward, batch statistics (biased variance) and gradients (x, gamma, beta)', () => {
    tf.tidy(() => {
      const { x, gamma, beta, dy } = inputs([16, 6, 5, 7], 11);
      const fused = fusedBatchNormTrain(x, gamma, beta, 1e-5);
      const ref = referenceTrain(x, gamma, beta, 1e-5);
      expect(maxRelErr(fused.y, ref.y)).toBeLessThan(TOL);
      expect(maxRelErr(fused.mean, ref.mean)).toBeLessThan(TOL);
      expect(maxRelErr(fused.variance, ref.variance)).toBeLessThan(TOL);
      tf.dispose([fused.mean, fused.variance]);

      const gradsFused = tf.grads((a, g, b) => {
        const r = fusedBatchNormTrain(a!, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
        tf.dispose([r.mean, r.variance]);
        return r.y;
      })([x, gamma, beta], dy);
      const gradsRef = tf.grads((a, g, b) => referenceTrain(a!, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5).y)(
        [x, gamma, beta],
        dy,
      );
      for (let i = 0; i < 3; i++) expect(maxRelErr(gradsFused[i]!, gradsRef[i]!)).toBeLessThan(1e-4);
    });
  });

  it('leaks no tensor across a forward + backward pass', () => {
    const { x, gamma, beta, dy } = inputs([4, 3, 3, 5], 3);
    const before = tf.memory().numTensors;
    const g = tf.grads((a, gg, b) => {
      const r = fusedBatchNormTrain(a!, gg as tf.Tensor1D, b as tf.Tensor1D, 1e-3);
      tf.dispose([r.mean, r.variance]);
      return r.y;
    })([x, gamma, beta], dy);
    tf.dispose(g);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gamma, beta, dy]);
  });

  it('property: agrees with the reference for any shape of rank 2-4 and any epsilon', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(1e-5, 1e-3, 0.1),
        (lead, c, seed, eps) => {
          const shape = [lead[0]! + 1, ...lead.slice(1), c]; // batch >= 2
          tf.tidy(() => {
            const { x, gamma, beta, dy } = inputs(shape, seed);
            const f = fusedBatchNormTrain(x, gamma, beta, eps);
            const r = referenceTrain(x, gamma, beta, eps);
            expect(maxRelErr(f.y, r.y)).toBeLessThan(1e-4);
            expect(maxRelErr(f.variance, r.variance)).toBeLessThan(1e-4);
            tf.dispose([f.mean, f.variance]);
            const gf = tf.grad((a) => {
              const o = fusedBatchNormTrain(a, gamma, beta, eps);
              tf.dispose([o.mean, o.variance]);
              return o.y;
            })(x, dy);
            const gr = tf.grad((a) => referenceTrain(a, gamma, beta, eps).y)(x, dy);
            // Gradients w.r.t. x of a batch norm are differences of comparable terms: compare on their own scale.
            const scale = Math.max(1, tf.max(tf.abs(gr)).dataSync()[0]!);
            expect(maxRelErr(gf, gr) / scale).toBeLessThan(2e-4);
          });
        },
      ),
      { numRuns: 12, seed: 20240601 },
    );
  });
});

describe('fusedBatchNormInfer', () => {
  it('matches tf.batchNorm with given statistics, and its gradients', () => {
    tf.tidy(() => {
      const { x, gamma, beta, dy } = inputs([8, 4, 4, 6], 5);
      const mean = tf.randomNormal([6], 0, 1, 'float32', 9) as tf.Tensor1D;
      const variance = tf.randomUniform([6], 0.2, 3, 'float32', 10) as tf.Tensor1D;
      const ref = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.batchNorm(a, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-5);
      const fused = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        fusedBatchNormInfer(a, g as tf.Tensor1D, b as tf.Tensor1D, mean, variance, 1e-5);
      expect(maxRelErr(fused(x, gamma, beta), ref(x, gamma, beta))).toBeLessThan(TOL);
      const gf = tf.grads((a, g, b) => fused(a!, g!, b!))([x, gamma, beta], dy);
      const gr = tf.grads((a, g, b) => ref(a!, g!, b!))([x, gamma, beta], dy);
      for (let i = 0; i < 3; i++) expect(maxRelErr(gf[i]!, gr[i]!)).toBeLessThan(1e-4);
    });
  });
});

describe('fusedRelu (Relu / ReluGrad)', () => {
  it('is relu, with the same gradient as tfjs (0 at x <= 0)', () => {
    tf.tidy(() => {
      const x = tf.tensor([-2, -0, 0, 1e-30, 3, -1e-30, 5], [7]);
      const dy = tf.tensor([1, 2, 3, 4, 5, 6, 7], [7]);
      expect(Array.from(fusedRelu(x).dataSync())).toEqual(Array.from(tf.relu(x).dataSync()));
      expect(
        Array.from(
          tf
            .grad((a) => fusedRelu(a))(x, dy)
            .dataSync(),
        ),
      ).toEqual(
        Array.from(
          tf
            .grad((a) => tf.relu(a))(x, dy)
            .dataSync(),
        ),
      );
      const big = tf.randomNormal([8, 5, 5, 4], 0, 1, 'float32', 1);
      const dBig = tf.randomNormal([8, 5, 5, 4], 0, 1, 'float32', 2);
      expect(maxRelErr(tf.grad((a) => fusedRelu(a))(big, dBig), tf.grad((a) => tf.relu(a))(big, dBig))).toBe(0);
    });
  });
});

describe('boundary errors', () => {
  it('names the field, the value and the allowed range', () => {
    tf.tidy(() => {
      const { x, gamma, beta } = inputs([4, 2, 2, 3], 1);
      expect(() => fusedBatchNormTrain(x, gamma, beta, 0)).toThrow(
        /epsilon = 0 is invalid: expected a finite number > 0/,
      );
      expect(() => fusedBatchNormTrain(x, tf.ones([4]) as tf.Tensor1D, beta, 1e-3)).toThrow(
        /gamma.shape = \[4\] is invalid: expected \[3\]/,
      );
      expect(() => fusedBatchNormTrain(tf.zeros([2, 2, 2, 2, 3]), gamma, beta, 1e-3)).toThrow(/x.rank = 5 is invalid/);
      expect(() => fusedBatchNormTrain(tf.zeros([4, 3], 'int32'), gamma, beta, 1e-3)).toThrow(
        /x.dtype = 'int32' is invalid: expected 'float32'/,
      );
    });
  });

  it('refuses to run on a backend other than tfjs-node, with a way out', async () => {
    const x = tf.zeros([2, 3]);
    await tf.setBackend('cpu');
    try {
      expect(() => fusedRelu(tf.zeros([2]))).toThrow(ModelError);
      expect(() => fusedRelu(tf.zeros([2]))).toThrow(/active backend is 'cpu'.*batchNorm = 'reference'/);
    } finally {
      await tf.setBackend('tensorflow');
    }
    expect(tf.getBackend()).toBe('tensorflow');
    x.dispose();
  });
});
