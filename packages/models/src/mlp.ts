import * as tfl from '@tensorflow/tfjs-layers';
import { SeedStream, tfjsSeed } from './seeds.js';
import type { ModelEntry, ModelOptions } from './types.js';

/**
 * `mlp`: flatten, dense 128 + ReLU, linear classifier (logits); He-normal / Glorot initialisation from the seed.
 * About 0.1M parameters at 28x28. No batch norm, so every sample's gradient depends on that sample alone: a
 * data-parallel run (W workers, batch B / W each) reproduces a one-process run with batch B to float32 rounding,
 * which is what the data-parallel tests check. Also the fastest model for trying things out.
 */
export function mlp({ inputShape, numClasses, seed = 0 }: ModelOptions): tfl.LayersModel {
  const seeds = new SeedStream(seed);
  return tfl.sequential({
    name: 'mlp',
    layers: [
      tfl.layers.inputLayer({ name: 'input', inputShape: [...inputShape] }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({
        name: 'fc1',
        units: 128,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed: tfjsSeed(seeds.next()) }),
      }),
      tfl.layers.dense({
        name: 'fc2',
        units: numClasses,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: tfjsSeed(seeds.next()) }),
      }),
    ],
  });
}

export const mlpEntry: ModelEntry = {
  name: 'mlp',
  summary: 'multilayer perceptron (dense 128 + ReLU + dense, ~0.1M params at 28x28, no batch norm): the fastest',
  build: mlp,
};
