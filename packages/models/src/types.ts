import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Which batch-norm implementation the ResNets use (see `layers.ts`). */
export type BatchNormKind = 'reference' | 'fused';

export interface ModelOptions {
  /** [height, width, channels] of the input images. */
  inputShape: readonly [number, number, number];
  /** Number of classes (>= 2); the model outputs this many logits. */
  numClasses: number;
  /** Seed for weight initialisation: the same seed gives the same weights (default 0). */
  seed?: number;
  /**
   * ResNet-18/34/50 only: `cifar` (3x3 conv, stride 1, no max-pool) or `imagenet` (7x7 stride-2 conv + max-pool).
   * Default: `cifar` when height and width are both <= 64 px, else `imagenet`. The CIFAR ResNets (resnet20...)
   * always have their own 3x3 stem and accept only `cifar`.
   */
  stem?: 'cifar' | 'imagenet';
  /** ResNets: multiplies every channel count (rounded, at least 1); in (0, 16], default 1. */
  width?: number;
  /** ResNets: initialise the last batch-norm scale (gamma) of every residual branch to zero (default false). */
  zeroInitResidual?: boolean;
  /**
   * ResNets: batch-norm implementation, `fused` (TensorFlow's fused kernels; the default on the native `tensorflow`
   * backend) or `reference` (tfjs-layers' BatchNormalization; the default on any other backend).
   */
  batchNorm?: BatchNormKind;
}

export interface ModelEntry {
  name: string;
  summary: string;
  build(opts: ModelOptions): LayersModel;
}
