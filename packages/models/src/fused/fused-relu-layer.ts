/**
 * `FusedReLU`: a drop-in for tf.layers.reLU() (no maxValue) whose backward pass is TensorFlow's single ReluGrad
 * kernel (relu.ts) instead of tfjs' ~8-op step-based gradient. No weights; registered as 'FusedReLU'. Needs the
 * native `tensorflow` backend (tfjs-node).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fusedRelu } from './relu.js';

export interface FusedReLUArgs {
  name?: string;
  trainable?: boolean;
}

export class FusedReLU extends tfl.layers.Layer {
  static readonly className = 'FusedReLU';

  constructor(args: FusedReLUArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return fusedRelu(Array.isArray(inputs) ? inputs[0]! : inputs);
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }
}

tf.serialization.registerClass(FusedReLU);

/** Factory in the style of tf.layers.reLU. */
export function fusedReLU(args?: FusedReLUArgs): FusedReLU {
  return new FusedReLU(args);
}
