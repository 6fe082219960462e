import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';
import { batchNorm, defaultBatchNorm, reluLayer } from './layers.js';
import { SeedStream, tfjsSeed } from './seeds.js';
import type { ModelEntry, ModelOptions } from './types.js';

/** Smallest height and width cnn-small takes: its two 2x2 max-pools ('valid') need 4 px to leave one feature. */
const CNN_SMALL_MIN_SIZE = 4;

/** Reject inputs its pooling would shrink to nothing (flatten of 0 features at 2-3 px, a tfjs error at 1 px). */
function checkCnnSmallInput(inputShape: readonly number[]): void {
  const [h, w] = inputShape;
  if (h! < CNN_SMALL_MIN_SIZE || w! < CNN_SMALL_MIN_SIZE) {
    throw new ModelError(
      `inputShape = [${inputShape.join(', ')}] is too small for cnn-small: its two 2x2 max-pools downsample by ${CNN_SMALL_MIN_SIZE}, ` +
        `so height and width must be >= ${CNN_SMALL_MIN_SIZE}`,
      `resize the images to at least ${CNN_SMALL_MIN_SIZE}x${CNN_SMALL_MIN_SIZE}`,
    );
  }
}

/**
 * `cnn-small`: the quick default model. Two stages of conv3x3-BN-ReLU + 2x2 max-pool (16 and 32 channels),
 * then dense 128 + ReLU and a linear classifier producing logits. He-normal initialisation, no conv bias
 * before batch norm. About 0.2M parameters at 28x28. Batch norm and ReLU come from the shared factories, so they use
 * the fused TensorFlow kernels on the native backend (`batchNorm: 'reference'` for the tfjs-layers ones).
 */
export function cnnSmall({
  inputShape,
  numClasses,
  seed = 0,
  batchNorm: kind = defaultBatchNorm(),
}: ModelOptions): tfl.LayersModel {
  checkCnnSmallInput(inputShape);
  // One splitmix32 stream per model seed (as the ResNets): layer k of seed s never shares a random stream with
  // another layer of seed s + 1 (the earlier seed, seed + 1, ... numbering made them overlap).
  const seeds = new SeedStream(seed);
  const init = () => tfl.initializers.heNormal({ seed: tfjsSeed(seeds.next()) });
  // Named layers: weights are saved and loaded by name, and tfjs' automatic names depend on how many models the
  // process built before.
  const convBnRelu = (filters: number, i: number) => [
    tfl.layers.conv2d({
      name: `conv${i}`,
      filters,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(),
    }),
    batchNorm({ name: `bn${i}`, kind }),
    reluLayer(`relu${i}`, kind),
  ];
  return tfl.sequential({
    name: 'cnn-small',
    layers: [
      tfl.layers.inputLayer({ name: 'input', inputShape: [...inputShape] }),
      ...convBnRelu(16, 1),
      tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }),
      ...convBnRelu(32, 2),
      tfl.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ name: 'fc1', units: 128, activation: 'relu', kernelInitializer: init() }),
      tfl.layers.dense({
        name: 'fc2',
        units: numClasses,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: tfjsSeed(seeds.next()) }),
      }),
    ],
  });
}

export const cnnSmallEntry: ModelEntry = {
  name: 'cnn-small',
  summary: 'small CNN (2 conv-BN + 2 dense, ~0.2M params at 28x28): the quick default',
  build: cnnSmall,
};
