// The benchmark's architectures, built with tfjs-layers exactly as packages/models builds them (torchvision layer
// layout, PyTorch padding, He-normal fan_out conv init, nn.Linear default classifier init), with the batch-norm /
// ReLU implementation as a switch:
//   resnet20  CIFAR ResNet-20 (He et al. 2016): 3x3 conv 16, 3 stages x 3 basic blocks (16/32/64), option-A
//             shortcuts (strided subsample + zero channel padding), global average pool, linear.
//   resnet18  ResNet-18 with the CIFAR stem (3x3 conv 64, stride 1, no max-pool), 4 stages x 2 basic blocks
//             (64/128/256/512), 1x1 conv + BN projection shortcuts, global average pool, linear.
// torch_bench.py builds the same two networks in PyTorch.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Option-A shortcut, the same computation as packages/models' PadShortcut. */
class PadShortcutBench extends tfl.layers.Layer {
  // Serialised under the package's class name, so compileInference translates it like the package's layer.
  static className = 'PadShortcut';
  constructor({ stride, outChannels, ...rest }) {
    super({ ...rest, trainable: false });
    this.stride = stride;
    this.outChannels = outChannels;
  }
  computeOutputShape(s) {
    return [s[0], Math.ceil(s[1] / this.stride), Math.ceil(s[2] / this.stride), this.outChannels];
  }
  call(inputs) {
    return tf.tidy(() => {
      let x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (this.stride > 1) x = tf.maxPool(x, 1, this.stride, 'valid');
      const extra = this.outChannels - x.shape[3];
      const before = extra >> 1;
      return extra > 0
        ? tf.pad(x, [
            [0, 0],
            [0, 0],
            [0, 0],
            [before, extra - before],
          ])
        : x;
    });
  }
  getConfig() {
    return { ...super.getConfig(), stride: this.stride, outChannels: this.outChannels };
  }
}
tf.serialization.registerClass(PadShortcutBench);

/**
 * @param {'resnet20'|'resnet18'} name
 * @param {{ kind: 'reference'|'fused', fused?: typeof import('../../packages/models/src/fused/index.ts'), seed?: number, numClasses?: number }} o
 */
export function buildBenchModel(name, { kind, fused, seed = 1, numClasses = 10 }) {
  if (kind === 'fused' && !fused) throw new Error('kind fused needs the fused module');
  let s = seed;
  const heFanOut = (k, filters) =>
    tfl.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: s++ });
  const bn = (name) =>
    kind === 'fused'
      ? fused.fusedBatchNormalization({ name, momentum: 0.9, epsilon: 1e-5 })
      : tfl.layers.batchNormalization({ name, momentum: 0.9, epsilon: 1e-5 });
  const relu = (x, name) => (kind === 'fused' ? fused.fusedReLU({ name }) : tfl.layers.reLU({ name })).apply(x);
  const conv = (x, name, filters, k, stride = 1) => {
    const base = {
      name,
      filters,
      kernelSize: k,
      strides: stride,
      useBias: false,
      kernelInitializer: heFanOut(k, filters),
    };
    if (stride === 1) return tfl.layers.conv2d({ ...base, padding: 'same' }).apply(x);
    const pad = k >> 1;
    const padded = pad > 0 ? tfl.layers.zeroPadding2d({ name: `${name}.pad`, padding: pad }).apply(x) : x;
    return tfl.layers.conv2d({ ...base, padding: 'valid' }).apply(padded);
  };
  const convBn = (x, p, filters, k, stride, withRelu) => {
    const y = bn(`${p}.bn`).apply(conv(x, `${p}.conv`, filters, k, stride));
    return withRelu ? relu(y, `${p}.relu`) : y;
  };
  const block = (x, p, inC, planes, stride, shortcut) => {
    let y = convBn(x, `${p}.1`, planes, 3, stride, true);
    y = convBn(y, `${p}.2`, planes, 3, 1, false);
    let sc = x;
    if (stride !== 1 || inC !== planes) {
      sc =
        shortcut === 'A'
          ? new PadShortcutBench({ name: `${p}.shortcut`, stride, outChannels: planes }).apply(x)
          : convBn(x, `${p}.down`, planes, 1, stride, false);
    }
    return relu(tfl.layers.add({ name: `${p}.add` }).apply([y, sc]), `${p}.relu`);
  };
  const input = tfl.input({ shape: [32, 32, 3], name: 'input' });
  const [stem, widths, blocks, shortcut] =
    name === 'resnet20' ? [16, [16, 32, 64], 3, 'A'] : name === 'resnet18' ? [64, [64, 128, 256, 512], 2, 'B'] : [];
  if (!stem) throw new Error(`unknown model ${name}: expected resnet20 or resnet18`);
  let x = convBn(input, 'stem', stem, 3, 1, true);
  let inC = stem;
  widths.forEach((w, i) => {
    for (let b = 0; b < blocks; b++) {
      x = block(x, `layer${i + 1}.${b}`, inC, w, b === 0 && i > 0 ? 2 : 1, shortcut);
      inC = w;
    }
  });
  x = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x);
  const bound = 1 / Math.sqrt(inC);
  x = tfl.layers
    .dense({
      name: 'fc',
      units: numClasses,
      kernelInitializer: tfl.initializers.randomUniform({ minval: -bound, maxval: bound, seed: s++ }),
      biasInitializer: tfl.initializers.randomUniform({ minval: -bound, maxval: bound, seed: s++ }),
    })
    .apply(x);
  return tfl.model({ inputs: input, outputs: x, name: `${name}-${kind}` });
}
