/**
 * The building layers every ResNet block uses. All batch norms of the ResNets come from `batchNorm` below, the
 * one place that picks the implementation (`ModelOptions.batchNorm`, defaulting to `defaultBatchNorm()`).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';
import { FusedBatchNormalization, FusedReLU } from './fused/index.js';
import { heNormalFanOut, linearDefault } from './init.js';
import type { BatchNormKind } from './types.js';

type Sym = tfl.SymbolicTensor;

/**
 * The batch-norm / ReLU implementation used when a model does not ask for one: the fused TensorFlow kernels
 * (FusedBatchNormV3 / FusedBatchNormGradV3, ReluGrad; src/fused) on the native `tensorflow` backend, the tfjs-layers
 * reference layers on any other backend. Pass `batchNorm: 'reference'` to get the reference path anywhere.
 */
export function defaultBatchNorm(): BatchNormKind {
  return tf.getBackend() === 'tensorflow' ? 'fused' : 'reference';
}
/** PyTorch's defaults: running statistics updated with momentum 0.1 (Keras momentum 0.9), epsilon 1e-5. */
export const BN_MOMENTUM = 0.9;
export const BN_EPSILON = 1e-5;

export interface BatchNormOptions {
  /** Layer name (auto-generated when omitted). */
  name?: string;
  kind?: BatchNormKind;
  /** Initialise the scale gamma to 0 instead of 1 (last batch norm of a residual branch, `zeroInitResidual`). */
  zeroGamma?: boolean;
}

/** The single batch-norm factory (over the channel axis of NHWC tensors). */
export function batchNorm({ name, kind = defaultBatchNorm(), zeroGamma = false }: BatchNormOptions): tfl.layers.Layer {
  const args = {
    ...(name ? { name } : {}),
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
      return new FusedBatchNormalization(args);
    default:
      throw new ModelError(
        `batchNorm = '${String(kind)}' is invalid: expected one of reference, fused`,
        "use batchNorm 'reference' or 'fused'",
      );
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
  const base = {
    name,
    filters,
    kernelSize,
    strides: stride,
    useBias: false,
    kernelInitializer: heNormalFanOut(kernelSize, filters, seed),
  };
  if (stride === 1) return tfl.layers.conv2d({ ...base, padding: 'same' }).apply(x) as Sym;
  const pad = kernelSize >> 1;
  const padded = pad > 0 ? (tfl.layers.zeroPadding2d({ name: `${name}.pad`, padding: pad }).apply(x) as Sym) : x;
  return tfl.layers.conv2d({ ...base, padding: 'valid' }).apply(padded) as Sym;
}

/** The single ReLU factory: TensorFlow's Relu with a one-op ReluGrad gradient when `kind` is 'fused'. */
export function reluLayer(name: string | undefined, kind: BatchNormKind = defaultBatchNorm()): tfl.layers.Layer {
  const args = name ? { name } : {};
  return kind === 'fused' ? new FusedReLU(args) : tfl.layers.reLU(args);
}

export function relu(x: Sym, name: string, kind?: BatchNormKind): Sym {
  return reluLayer(name, kind).apply(x) as Sym;
}

/** The classifier: a dense layer producing logits, PyTorch `nn.Linear` default initialisation. */
export function linear(
  x: Sym,
  { name, units, fanIn, seeds }: { name: string; units: number; fanIn: number; seeds: [number, number] },
): Sym {
  return tfl.layers
    .dense({
      name,
      units,
      kernelInitializer: linearDefault(fanIn, seeds[0]),
      biasInitializer: linearDefault(fanIn, seeds[1]),
    })
    .apply(x) as Sym;
}
