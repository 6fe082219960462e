/**
 * ReLU whose gradient is TensorFlow's single `ReluGrad` kernel. tfjs differentiates relu as
 * dy * cast(step(x)), and tfjs-node builds step from isNaN, greater, ones, fill, where and select: about eight
 * full passes over the activations per ReLU in every backward pass, against one here. Forward is the same `Relu`
 * kernel tfjs-node runs. Requires the native `tensorflow` backend (see native.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { attrs, nativeBackend, requireFloat32 } from './native.js';

export function fusedRelu<T extends tf.Tensor>(x: T): T {
  const backend = nativeBackend();
  requireFloat32('fusedRelu', { x });
  const typeAttr = [attrs(backend).float32Type('T')];
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [y] = backend.executeMultipleOutputs('Relu', typeAttr, [xs], 1);
    // ReluGrad(dy, features) passes dy where features > 0; relu(x) > 0 exactly where x > 0, so the output serves.
    save([y!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        backend.executeMultipleOutputs('ReluGrad', typeAttr, [dy as tf.Tensor, saved[0]!], 1)[0]!,
    };
  });
  return f(x) as T;
}
