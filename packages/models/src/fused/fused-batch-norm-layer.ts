/**
 * `FusedBatchNormalization`: a drop-in for tfjs-layers' BatchNormalization (same constructor arguments, config
 * and weights — gamma, beta, moving_mean, moving_variance in that order — so weights move between the two; a saved
 * topology records this class and runs only where tfjs-node is loaded: build with `batchNorm: 'reference'` for a
 * model meant for the browser or the pure-JS backend) whose `call` runs TensorFlow's fused kernels (batch-norm.ts): FusedBatchNormV3 +
 * FusedBatchNormGradV3 in training, FusedBatchNormV3 with the moving statistics in inference. The moving
 * statistics are updated exactly as tfjs-layers does: moving -= (moving - batch) * (1 - momentum), with the
 * biased batch variance. Needs the native `tensorflow` backend (tfjs-node) when called with channels-last axis;
 * a layer built for another axis runs the reference computation.
 *
 * It subclasses the registered BatchNormalization class (looked up in tfjs' serialization registry, as
 * tfjs-layers does not export the class itself), and registers itself as 'FusedBatchNormalization'.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fusedBatchNormInfer, fusedBatchNormTrain } from './batch-norm.js';

/** The constructor arguments of tf.layers.batchNormalization. */
export type FusedBatchNormalizationArgs = NonNullable<Parameters<typeof tfl.layers.batchNormalization>[0]>;

/** The state of tfjs-layers' BatchNormalization that `call` reads (private in its typings). */
interface BatchNormState {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: tfl.LayerVariable;
  beta?: tfl.LayerVariable;
  movingMean: tfl.LayerVariable;
  movingVariance: tfl.LayerVariable;
}

type LayerCtor = new (args?: FusedBatchNormalizationArgs) => tfl.layers.Layer;

function referenceBatchNormalizationClass(): LayerCtor {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap['BatchNormalization'];
  if (!entry)
    throw new Error('tfjs-layers has not registered BatchNormalization: import @tensorflow/tfjs-layers first');
  return entry[0] as unknown as LayerCtor;
}

const ReferenceBatchNormalization = referenceBatchNormalizationClass();

export class FusedBatchNormalization extends ReferenceBatchNormalization {
  static readonly className = 'FusedBatchNormalization';

  constructor(args: FusedBatchNormalizationArgs = {}) {
    super(args);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    const s = this as unknown as BatchNormState;
    const axis = s.axis >= 0 ? s.axis : s.axis + input.rank;
    if (axis !== input.rank - 1) return super.call(inputs, kwargs);
    const training = kwargs['training'] === true;
    return tf.tidy(() => {
      const c = input.shape[axis]!;
      const gamma = (s.gamma ? s.gamma.read() : tf.ones([c])) as tf.Tensor1D;
      const beta = (s.beta ? s.beta.read() : tf.zeros([c])) as tf.Tensor1D;
      if (!training) {
        return fusedBatchNormInfer(
          input,
          gamma,
          beta,
          s.movingMean.read() as tf.Tensor1D,
          s.movingVariance.read() as tf.Tensor1D,
          s.epsilon,
        );
      }
      const { y, mean, variance } = fusedBatchNormTrain(input, gamma, beta, s.epsilon);
      updateMovingAverage(s.movingMean, mean, s.momentum);
      updateMovingAverage(s.movingVariance, variance, s.momentum);
      mean.dispose();
      variance.dispose();
      return y;
    });
  }
}

/** tfjs-layers' update, op for op: moving - (moving - value) * (1 - momentum). */
function updateMovingAverage(variable: tfl.LayerVariable, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const orig = variable.read();
    variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), 1 - momentum)));
  });
}

// The inherited static fromConfig (tfjs-layers' Layer.fromConfig) is there at run time; the cast only restores
// the typing that the untyped registry lookup lost.
tf.serialization.registerClass(
  FusedBatchNormalization as unknown as tf.serialization.SerializableConstructor<tfl.layers.Layer>,
);

/** Factory in the style of tf.layers.batchNormalization. */
export function fusedBatchNormalization(args?: FusedBatchNormalizationArgs): FusedBatchNormalization {
  return new FusedBatchNormalization(args);
}
