import type { LayersModel } from '@tensorflow/tfjs-layers';

export interface ModelOptions {
  /** [height, width, channels] of the input images. */
  inputShape: readonly [number, number, number];
  /** Number of classes (>= 2); the model outputs this many logits. */
  numClasses: number;
  /** Seed for weight initialisation. */
  seed?: number;
}

export interface ModelEntry {
  name: string;
  summary: string;
  build(opts: ModelOptions): LayersModel;
}
