/**
 * Build a tfjs-layers ResNet from a plan: stem, residual stages, global average pooling and a linear
 * classifier producing logits. Names follow torchvision (`conv1`, `bn1`, `layer1.0.conv1`, ..., `fc`).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { residualBlock, convBn, type BlockContext } from './blocks.js';
import { ModelError } from './errors.js';
import { defaultBatchNorm, linear } from './layers.js';
import { checkOptions, defaultStem } from './options.js';
import {
  cifarResNetPlan,
  featureChannels,
  resNetPlan,
  stageChannels,
  totalStride,
  type ResNetDepth,
  type ResNetPlan,
} from './plan.js';
import { SeedStream } from './seeds.js';
import type { ModelOptions } from './types.js';

type Sym = tfl.SymbolicTensor;

/** Reject inputs smaller than the total stride (the last feature map would come from padding alone). */
export function checkInputSize(plan: ResNetPlan, opts: ModelOptions, model: string): void {
  const [h, w] = opts.inputShape;
  const need = totalStride(plan);
  if (h < need || w < need) {
    const hint = plan.stem === 'imagenet' ? ` (use stem: 'cifar' for small images)` : '';
    throw new ModelError(
      `inputShape = [${opts.inputShape.join(', ')}] is too small for ${model} with the ${plan.stem} stem: it downsamples by ${need}, ` +
        `so height and width must be >= ${need}${hint}`,
      `resize the images to at least ${need}x${need}, or choose a model for small images`,
    );
  }
}

export function buildResNet(plan: ResNetPlan, opts: ModelOptions, name: string): tfl.LayersModel {
  checkInputSize(plan, opts, name);
  const ctx: BlockContext = {
    seeds: new SeedStream(opts.seed ?? 0),
    batchNorm: opts.batchNorm ?? defaultBatchNorm(),
    zeroInitResidual: opts.zeroInitResidual ?? false,
  };
  const input = tfl.input({ shape: [...opts.inputShape], name: 'input' });
  let x: Sym;
  if (plan.stem === 'imagenet') {
    x = convBn(input, ctx, {
      conv: 'conv1',
      bn: 'bn1',
      filters: plan.stemChannels,
      kernelSize: 7,
      stride: 2,
      reluName: 'relu',
    });
    // PyTorch's MaxPool2d(3, 2, padding=1) pads with -inf; after a ReLU, zero padding selects the same maxima.
    x = tfl.layers.zeroPadding2d({ name: 'maxpool.pad', padding: 1 }).apply(x) as Sym;
    x = tfl.layers.maxPooling2d({ name: 'maxpool', poolSize: 3, strides: 2, padding: 'valid' }).apply(x) as Sym;
  } else {
    x = convBn(input, ctx, { conv: 'conv1', bn: 'bn1', filters: plan.stemChannels, kernelSize: 3, reluName: 'relu' });
  }
  let inChannels = plan.stemChannels;
  plan.stages.forEach((stage, i) => {
    for (let b = 0; b < stage.blocks; b++) {
      x = residualBlock(x, ctx, {
        prefix: `layer${i + 1}.${b}`,
        kind: plan.block,
        shortcut: plan.shortcut,
        inChannels,
        planes: stage.planes,
        stride: b === 0 ? stage.stride : 1,
      });
      inChannels = stageChannels(plan, stage);
    }
  });
  x = tfl.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as Sym;
  const fanIn = featureChannels(plan);
  const logits = linear(x, { name: 'fc', units: opts.numClasses, fanIn, seeds: [ctx.seeds.next(), ctx.seeds.next()] });
  return tfl.model({ name, inputs: input, outputs: logits });
}

/** A CIFAR ResNet of depth 6n + 2 (He et al. 2016): 16/32/64 channels, basic blocks, option-A shortcuts. */
export function cifarResNet(depth: number, opts: ModelOptions): tfl.LayersModel {
  checkOptions(opts);
  if (opts.stem === 'imagenet') {
    throw new ModelError(
      `stem = 'imagenet' is invalid for resnet${depth}: the CIFAR ResNets only have the cifar stem (use resnet18/34/50)`,
      "use stem 'cifar' (the default), or resnet18/34/50 for the imagenet stem",
    );
  }
  return buildResNet(cifarResNetPlan(depth, opts.width ?? 1), opts, `resnet${depth}`);
}

/** ResNet-18/34/50 as in torchvision (projection shortcuts; ResNet-50 strides in its 3x3 convs, "v1.5"). */
export function resNet(depth: ResNetDepth, opts: ModelOptions): tfl.LayersModel {
  checkOptions(opts);
  return buildResNet(resNetPlan(depth, defaultStem(opts), opts.width ?? 1), opts, `resnet${depth}`);
}
