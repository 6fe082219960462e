/**
 * He et al.'s option-A shortcut (2016, section 4.2): a parameter-free identity that, where a stage changes the
 * shape, subsamples spatially with the block's stride (x[:, ::s, ::s, :]) and zero-pads the extra channels,
 * half before and half after the input channels (as the usual PyTorch CIFAR implementation pads planes/4 on
 * each side). A custom layer, registered for (de)serialisation as `PadShortcut`.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export interface PadShortcutArgs {
  name?: string;
  stride: number;
  outChannels: number;
}

type Shape = (number | null)[];

export class PadShortcut extends tfl.layers.Layer {
  static readonly className = 'PadShortcut';
  readonly stride: number;
  readonly outChannels: number;

  constructor({ stride, outChannels, ...rest }: PadShortcutArgs) {
    super({ ...rest, trainable: false });
    this.stride = stride;
    this.outChannels = outChannels;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const sub = (d: number | null) => (d === null ? null : Math.ceil(d / this.stride));
    return [s[0] ?? null, sub(s[1] ?? null), sub(s[2] ?? null), this.outChannels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      let x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      // A 1x1 max-pool with stride s is exactly the strided subsampling x[:, ::s, ::s, :], with a gradient.
      if (this.stride > 1) x = tf.maxPool(x, 1, this.stride, 'valid');
      const extra = this.outChannels - x.shape[3];
      if (extra > 0) {
        const before = extra >> 1;
        x = tf.pad(x, [
          [0, 0],
          [0, 0],
          [0, 0],
          [before, extra - before],
        ]);
      }
      return x;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), stride: this.stride, outChannels: this.outChannels };
  }
}

tf.serialization.registerClass(PadShortcut);
