/**
 * The building layers every ResNet block uses. All batch norms of the ResNets come from `batchNorm` below, the
 * one place that picks the implementation (`ModelOptions.batchNorm`): switching the default to the fused kernel
 * is a change of `DEFAULT_BATCH_NORM`, and plugging it in is the `fused` case of `batchNorm`.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';
import { heNormalFanOut, linearDefault } from './init.js';
import type { BatchNormKind } from './types.js';

type Sym = tfl.SymbolicTensor;

export const DEFAULT_BATCH_NORM: BatchNormKind = 'reference';
/** PyTorch's defaults: running statistics updated with momentum 0.1 (Keras momentum 0.9), epsilon 1e-5. */
export const BN_MOMENTUM = 0.9;
export const BN_EPSILON = 1e-5;

export interface BatchNormOptions {
  name: string;
  kind?: BatchNormKind;
  /** Initialise the scale gamma to 0 instead of 1 (last batch norm of a residual branch, `zeroInitResidual`). */
  zeroGamma?: boolean;
}

/** The single batch-norm factory (over the channel axis of NHWC tensors). */
export function batchNorm({ name, kind = DEFAULT_BATCH_NORM, zeroGamma = false }: BatchNormOptions): tfl.layers.Layer {
  const args = {
    name,
    axis: -1,
    momentum: BN_MOMENTUM,
    epsilon: BN_EPSILON,
    gammaInitializer: zeroGamma ? 'zeros' : 'ones',
    betaInitializer: 'zeros',
  } satisfies Parameters<typeof tfl.layers.batchNormalization>[0];
  switch (kind) {
    case 'reference':
      return tfl.layers.batchNormalization(args);
    case 'fused':
      // Plug-in point of the fused kernel (src/fused): `return fusedBatchNormalization(args);`
      throw new ModelError(`batchNorm = 'fused' is not available yet: use batchNorm = 'reference'`);
    default:
      throw new ModelError(`batchNorm = '${String(kind)}' is invalid: expected one of reference, fused`);
  }
}

export interface ConvOptions {
  name: string;
  filters: number;
  kernelSize: number;
  stride?: number;
  /** Seed of the kernel initialiser. */
  seed: number;
}

/**
 * A square conv without bias (a batch norm follows), He-normal fan_out initialised. Padding is PyTorch's
 * symmetric k/2: 'same' at stride 1, and an explicit zero-padding layer + 'valid' for strided convs (TF's
 * 'same' would pad only bottom/right there), so the windows are exactly torchvision's.
 */
export function conv(x: Sym, { name, filters, kernelSize, stride = 1, seed }: ConvOptions): Sym {
  const base = { name, filters, kernelSize, strides: stride, useBias: false, kernelInitializer: heNormalFanOut(kernelSize, filters, seed) };
  if (stride === 1) return tfl.layers.conv2d({ ...base, padding: 'same' }).apply(x) as Sym;
  const pad = kernelSize >> 1;
  const padded = pad > 0 ? (tfl.layers.zeroPadding2d({ name: `${name}.pad`, padding: pad }).apply(x) as Sym) : x;
  return tfl.layers.conv2d({ ...base, padding: 'valid' }).apply(padded) as Sym;
}

export function relu(x: Sym, name: string): Sym {
  return tfl.layers.reLU({ name }).apply(x) as Sym;
}

/** The classifier: a dense layer producing logits, PyTorch `nn.Linear` default initialisation. */
export function linear(x: Sym, { name, units, fanIn, seeds }: { name: string; units: number; fanIn: number; seeds: [number, number] }): Sym {
  return tfl.layers
    .dense({ name, units, kernelInitializer: linearDefault(fanIn, seeds[0]), biasInitializer: linearDefault(fanIn, seeds[1]) })
    .apply(x) as Sym;
}
