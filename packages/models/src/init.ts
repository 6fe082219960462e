/**
 * Initialisers matching torchvision's ResNets, seeded:
 * - conv kernels: He normal, fan_out mode, i.e. `kaiming_normal_(mode='fan_out', nonlinearity='relu')`:
 *   N(0, 2 / (k * k * out_channels)), untruncated (tfjs' own `heNormal` is fan_in and truncated);
 * - classifier weights and bias: PyTorch's `nn.Linear` default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 * Batch norm: gamma 1 (or 0 with zeroInitResidual), beta 0.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { tfjsSeed } from './seeds.js';

export function heNormalFanOut(kernelSize: number, filters: number, seed: number) {
  return tfl.initializers.randomNormal({
    mean: 0,
    stddev: Math.sqrt(2 / (kernelSize * kernelSize * filters)),
    seed: tfjsSeed(seed),
  });
}

export function linearDefault(fanIn: number, seed: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return tfl.initializers.randomUniform({ minval: -bound, maxval: bound, seed: tfjsSeed(seed) });
}
