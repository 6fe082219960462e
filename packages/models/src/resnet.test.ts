import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError, buildModel, modelEntries, modelNames } from './index.js';
import { cifarResNetPlan, featureSizes, paramCounts, resNetPlan, type ResNetPlan } from './plan.js';
import { cifarResNet } from './resnet.js';
import { paramTotals } from './summary.js';
import type { ModelOptions } from './types.js';

/** Build, check, dispose: the models are big, so none outlives its test. */
function withModel<T>(name: string, opts: ModelOptions, f: (m: tfl.LayersModel) => T): T {
  const model = buildModel(name, opts);
  try {
    return f(model);
  } finally {
    model.dispose();
  }
}

function forward(model: tfl.LayersModel, shape: number[]): { shape: number[]; finite: boolean } {
  const y = tf.tidy(() => model.predict(tf.randomNormal(shape, 0, 1, 'float32', 1)) as tf.Tensor);
  const values = y.dataSync();
  const out = { shape: y.shape, finite: values.every(Number.isFinite) };
  y.dispose();
  return out;
}

const layerShape = (m: tfl.LayersModel, name: string) => m.getLayer(name).outputShape;

describe('ResNets: parameter counts, shapes and a native forward pass for every model', () => {
  const cifar: [string, number, number][] = [
    ['resnet20', 269_722, 1_376],
    ['resnet32', 464_154, 2_272],
    ['resnet44', 658_586, 3_168],
    ['resnet56', 853_018, 4_064],
    ['resnet110', 1_727_962, 8_096],
  ];
  it.each(cifar)(
    '%s (option A) has the Table-6 count and maps 32x32 to 8x8 features and 10 logits',
    (name, trainable, nonTrainable) => {
      expect(tf.getBackend()).toBe('tensorflow');
      withModel(name, { inputShape: [32, 32, 3], numClasses: 10, seed: 1 }, (m) => {
        expect(paramTotals(m)).toEqual({ trainable, nonTrainable });
        const depth = Number(name.slice(6));
        expect(paramTotals(m)).toEqual(paramCounts(cifarResNetPlan(depth), 3, 10));
        const last = `layer3.${(depth - 2) / 6 - 1}.relu`;
        expect(layerShape(m, last)).toEqual([null, 8, 8, 64]);
        expect(forward(m, [2, 32, 32, 3])).toEqual({ shape: [2, 10], finite: true });
      });
    },
  );

  it('resnet18, CIFAR stem (default at 32 px), 10 classes: 11,173,962 trainable; 4x4x512 features', () => {
    withModel('resnet18', { inputShape: [32, 32, 3], numClasses: 10, seed: 1 }, (m) => {
      expect(paramTotals(m).trainable).toBe(11_173_962);
      expect(layerShape(m, 'layer4.1.relu')).toEqual([null, 4, 4, 512]);
      expect(m.layers.some((l) => l.name === 'maxpool')).toBe(false);
      expect(forward(m, [2, 32, 32, 3])).toEqual({ shape: [2, 10], finite: true });
    });
  });

  const imagenet: [string, number][] = [
    ['resnet18', 11_689_512],
    ['resnet34', 21_797_672],
    ['resnet50', 25_557_032],
  ];
  it.each(imagenet)(
    "%s, ImageNet stem (default at 224 px), 1000 classes: torchvision's %d trainable; 7x7 features",
    (name, trainable) => {
      withModel(name, { inputShape: [224, 224, 3], numClasses: 1000, seed: 2 }, (m) => {
        expect(paramTotals(m).trainable).toBe(trainable);
        expect(layerShape(m, 'maxpool')).toEqual([null, 56, 56, 64]);
        expect(layerShape(m, 'layer4.0.relu')).toEqual([null, 7, 7, name === 'resnet50' ? 2048 : 512]);
        expect(forward(m, [1, 224, 224, 3])).toEqual({ shape: [1, 1000], finite: true });
      });
    },
  );

  it.each(['resnet34', 'resnet50'])('%s with the CIFAR stem runs at 32x32', (name) => {
    withModel(name, { inputShape: [32, 32, 3], numClasses: 100, seed: 1 }, (m) => {
      const depth = Number(name.slice(6)) as 34 | 50;
      expect(paramTotals(m)).toEqual(paramCounts(resNetPlan(depth, 'cifar'), 3, 100));
      expect(forward(m, [1, 32, 32, 3])).toEqual({ shape: [1, 100], finite: true });
    });
  });

  it("property: built models have exactly the plan's parameter counts and feature sizes (any depth, width, classes, input)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(8, 14),
        fc.double({ min: 0.1, max: 0.6, noNaN: true }),
        fc.integer({ min: 2, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 4, max: 19 }),
        (depth, width, numClasses, channels, size) => {
          const m = cifarResNet(depth, { inputShape: [size, size + 1, channels], numClasses, width, seed: 3 });
          try {
            const plan: ResNetPlan = cifarResNetPlan(depth, width);
            expect(paramTotals(m)).toEqual(paramCounts(plan, channels, numClasses));
            const sizes = featureSizes(plan, size);
            const last = m.getLayer(`layer3.${(depth - 2) / 6 - 1}.relu`).outputShape as number[];
            expect(last[1]).toBe(sizes[3]);
            expect(last[2]).toBe(featureSizes(plan, size + 1)[3]);
            expect(forward(m, [2, size, size + 1, channels])).toEqual({ shape: [2, numClasses], finite: true });
          } finally {
            m.dispose();
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe('initialisation', () => {
  it('is deterministic by seed (all weights), and the seed matters', () => {
    const opts = { inputShape: [32, 32, 3] as const, numClasses: 10 };
    const values = (seed: number) =>
      withModel('resnet20', { ...opts, seed }, (m) => m.getWeights().map((w) => Array.from(w.dataSync())));
    const fcWeights = (seed: number) =>
      withModel('resnet20', { ...opts, seed }, (m) =>
        m
          .getLayer('fc')
          .getWeights()
          .map((w) => Array.from(w.dataSync())),
      );
    const a = values(5);
    expect(values(5)).toEqual(a);
    expect(values(6)[0]).not.toEqual(a[0]);
    const [kernel, bias] = fcWeights(5);
    const [kernel6, bias6] = fcWeights(6);
    expect(kernel6).not.toEqual(kernel);
    expect(bias6).not.toEqual(bias);
    expect(bias).not.toEqual(kernel!.slice(0, 10)); // weights and bias have their own random streams
  });

  it('uses He-normal fan_out for convs, PyTorch Linear bounds for the classifier, gamma 1 / beta 0', () => {
    withModel('resnet20', { inputShape: [32, 32, 3], numClasses: 10, seed: 9 }, (m) => {
      const kernel = Array.from(m.getLayer('layer3.1.conv2').getWeights()[0]!.dataSync() as Float32Array);
      const mean = kernel.reduce((s, v) => s + v, 0) / kernel.length;
      const std = Math.sqrt(kernel.reduce((s, v) => s + (v - mean) ** 2, 0) / kernel.length);
      expect(std / Math.sqrt(2 / (3 * 3 * 64))).toBeCloseTo(1, 1); // 36,864 samples: within a few percent
      expect(Math.max(...kernel.map(Math.abs)) / std).toBeGreaterThan(3); // untruncated normal has tails past 2 sigma
      const [w, b] = m
        .getLayer('fc')
        .getWeights()
        .map((t) => t.dataSync());
      const bound = 1 / Math.sqrt(64);
      for (const v of [...w!, ...b!]) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
      const [gamma, beta] = m
        .getLayer('layer1.0.bn2')
        .getWeights()
        .map((t) => Array.from(t.dataSync()));
      expect(gamma).toEqual(new Array(16).fill(1));
      expect(beta).toEqual(new Array(16).fill(0));
    });
  });

  it('zeroInitResidual zeroes the last BN scale of every branch, so each block starts as relu(shortcut)', () => {
    withModel('resnet20', { inputShape: [16, 16, 3], numClasses: 10, seed: 2, zeroInitResidual: true }, (m) => {
      const gammas = m.layers
        .filter((l) => /BatchNormalization$/.test(l.getClassName()))
        .map((l) => [l.name, Math.max(...l.getWeights()[0]!.dataSync().map(Math.abs))] as const);
      for (const [name, g] of gammas) expect(g === 0).toBe(/\.bn2$/.test(name));
      // Block layer2.0: output = relu(pad-shortcut(input)), input = layer1.2.relu.
      const probe = tfl.model({
        inputs: m.inputs,
        outputs: [
          m.getLayer('layer1.2.relu').output as tfl.SymbolicTensor,
          m.getLayer('layer2.0.relu').output as tfl.SymbolicTensor,
        ],
      });
      const [inp, out] = probe.predict(tf.randomNormal([2, 16, 16, 3], 0, 1, 'float32', 4)) as tf.Tensor[];
      const expected = tf.pad(tf.maxPool(inp as tf.Tensor4D, 1, 2, 'valid'), [
        [0, 0],
        [0, 0],
        [0, 0],
        [8, 8],
      ]);
      expect(out!.shape).toEqual([2, 8, 8, 32]);
      expect(Array.from(out!.dataSync())).toEqual(Array.from(expected.dataSync()));
      tf.dispose([inp!, out!, expected]);
    });
    withModel('resnet50', { inputShape: [32, 32, 3], numClasses: 10, width: 0.25, zeroInitResidual: true }, (m) => {
      const zero = m.layers.filter(
        (l) =>
          /BatchNormalization$/.test(l.getClassName()) &&
          l
            .getWeights()[0]!
            .dataSync()
            .every((v) => v === 0),
      );
      expect(zero.map((l) => l.name)).toEqual(m.layers.filter((l) => /\.bn3$/.test(l.name)).map((l) => l.name));
      expect(zero).toHaveLength(16);
    });
  });
});

describe('bad input: one clear ModelError each', () => {
  const opts: ModelOptions = { inputShape: [32, 32, 3], numClasses: 10 };
  it('unknown model names list the known ones', () => {
    expect(() => buildModel('resnet19', opts)).toThrow(ModelError);
    expect(() => buildModel('resnet19', opts)).toThrow(
      `unknown model 'resnet19': known models are ${modelNames().join(', ')}`,
    );
    expect(modelNames()).toEqual([
      'cnn-small',
      'mlp',
      'resnet20',
      'resnet32',
      'resnet44',
      'resnet56',
      'resnet110',
      'resnet18',
      'resnet34',
      'resnet50',
    ]);
    const summaries = Object.fromEntries(modelEntries().map((e) => [e.name, e.summary]));
    expect(summaries.resnet20).toMatch(/0\.27M params/);
    expect(summaries.resnet110).toMatch(/1\.7M params/);
    expect(summaries.resnet50).toMatch(/23\.5M params with CIFAR stem, 25\.6M ImageNet/);
  });

  it('inputs too small for the downsampling', () => {
    expect(() => buildModel('resnet18', { ...opts, inputShape: [16, 16, 3], stem: 'imagenet' })).toThrow(
      "inputShape = [16, 16, 3] is too small for resnet18 with the imagenet stem: it downsamples by 32, so height and width must be >= 32 (use stem: 'cifar' for small images)",
    );
    expect(() => buildModel('resnet50', { ...opts, inputShape: [32, 6, 3] })).toThrow(
      /too small for resnet50 with the cifar stem: it downsamples by 8/,
    );
    expect(() => buildModel('resnet110', { ...opts, inputShape: [3, 3, 1] })).toThrow(
      /too small for resnet110 .* must be >= 4/,
    );
    expect(() => buildModel('resnet20', { ...opts, stem: 'imagenet' })).toThrow(
      /stem = 'imagenet' is invalid for resnet20/,
    );
  });

  it('fewer than 2 classes, bad width, and an unknown batch-norm kind', () => {
    expect(() => buildModel('resnet20', { ...opts, numClasses: 1 })).toThrow(
      /numClasses = 1 is invalid: expected an integer >= 2/,
    );
    expect(() => buildModel('resnet18', { ...opts, width: -1 })).toThrow(/width = -1 is invalid/);
    expect(() => buildModel('resnet20', { ...opts, batchNorm: 'turbo' as never })).toThrow(
      /batchNorm = "turbo" is invalid|batchNorm = 'turbo' is invalid/,
    );
  });
});
