import * as tfl from '@tensorflow/tfjs-layers';
import { batchNorm, defaultBatchNorm, reluLayer } from './layers.js';
import { tfjsSeed } from './seeds.js';
import type { ModelEntry, ModelOptions } from './types.js';

/**
 * `cnn-small`: the quick default model. Two stages of conv3x3-BN-ReLU + 2x2 max-pool (16 and 32 channels),
 * then dense 128 + ReLU and a linear classifier producing logits. He-normal initialisation, no conv bias
 * before batch norm. About 0.2M parameters at 28x28. Batch norm and ReLU come from the shared factories, so they use
 * the fused TensorFlow kernels on the native backend (`batchNorm: 'reference'` for the tfjs-layers ones).
 */
export function cnnSmall({ inputShape, numClasses, seed = 0, batchNorm: kind = defaultBatchNorm() }: ModelOptions): tfl.LayersModel {
  let s = seed;
  const init = () => tfl.initializers.heNormal({ seed: tfjsSeed(s++) });
  const convBnRelu = (filters: number) => [
    tfl.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init() }),
    batchNorm({ kind }),
    reluLayer(undefined, kind),
  ];
  return tfl.sequential({
    name: 'cnn-small',
    layers: [
      tfl.layers.inputLayer({ inputShape: [...inputShape] }),
      ...convBnRelu(16),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      ...convBnRelu(32),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init() }),
      tfl.layers.dense({ units: numClasses, kernelInitializer: tfl.initializers.glorotUniform({ seed: tfjsSeed(s++) }) }),
    ],
  });
}

export const cnnSmallEntry: ModelEntry = {
  name: 'cnn-small',
  summary: 'small CNN (2 conv-BN + 2 dense, ~0.2M params at 28x28): the quick default',
  build: cnnSmall,
};
