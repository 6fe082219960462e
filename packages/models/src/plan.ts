/**
 * Pure description of the ResNet family (no tfjs): the stages a model has, and the arithmetic that follows
 * from them (channel widths, spatial sizes, parameter counts). The tfjs builder (`resnet.ts`) consumes a plan;
 * tests check the built models against the counts computed here and against the published references.
 */
import { ModelError } from './errors.js';

/** `basic`: two 3x3 convs (expansion 1). `bottleneck`: 1x1, 3x3 (strided, as torchvision's "v1.5"), 1x1 (expansion 4). */
export type BlockKind = 'basic' | 'bottleneck';
/**
 * `pad`: He et al.'s option A, a parameter-free identity that subsamples spatially and zero-pads the new
 * channels. `projection`: option B as in torchvision, 1x1 conv + batch norm where the shape changes.
 */
export type ShortcutKind = 'pad' | 'projection';
/** `cifar`: 3x3 conv, stride 1, no max-pool. `imagenet`: 7x7 conv stride 2 + 3x3 max-pool stride 2. */
export type StemKind = 'cifar' | 'imagenet';

export interface StagePlan {
  readonly blocks: number;
  /** Inner width of the blocks; their output has planes * expansion channels. */
  readonly planes: number;
  /** Stride of the first block of the stage. */
  readonly stride: number;
}

export interface ResNetPlan {
  readonly stem: StemKind;
  readonly stemChannels: number;
  readonly block: BlockKind;
  readonly shortcut: ShortcutKind;
  readonly stages: readonly StagePlan[];
}

export const EXPANSION: Readonly<Record<BlockKind, number>> = { basic: 1, bottleneck: 4 };

/** Channels after a width multiplier: round(channels * width), at least 1. */
export function scaleChannels(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width));
}

/** Depths of the CIFAR ResNets of He et al. (2016), section 4.2: depth = 6n + 2. */
export function cifarResNetPlan(depth: number, width = 1): ResNetPlan {
  if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
    throw new ModelError(
      `depth = ${depth} is invalid: CIFAR ResNets have depth 6n + 2 with n >= 1 (20, 32, 44, 56, 110, ...)`,
      'use a depth of the form 6n + 2, e.g. 20, 32, 44, 56 or 110',
    );
  }
  const n = (depth - 2) / 6;
  return {
    stem: 'cifar',
    stemChannels: scaleChannels(16, width),
    block: 'basic',
    shortcut: 'pad',
    stages: [16, 32, 64].map((c, i) => ({ blocks: n, planes: scaleChannels(c, width), stride: i === 0 ? 1 : 2 })),
  };
}

/** Blocks per stage of the torchvision ResNets. */
export const RESNET_LAYOUTS = {
  18: { block: 'basic', blocks: [2, 2, 2, 2] },
  34: { block: 'basic', blocks: [3, 4, 6, 3] },
  50: { block: 'bottleneck', blocks: [3, 4, 6, 3] },
} as const satisfies Record<number, { block: BlockKind; blocks: readonly number[] }>;
export type ResNetDepth = keyof typeof RESNET_LAYOUTS;

/** ResNet-18/34/50 as in torchvision (projection shortcuts), with the chosen stem and width multiplier. */
export function resNetPlan(depth: ResNetDepth, stem: StemKind, width = 1): ResNetPlan {
  const layout = RESNET_LAYOUTS[depth];
  return {
    stem,
    stemChannels: scaleChannels(64, width),
    block: layout.block,
    shortcut: 'projection',
    stages: layout.blocks.map((blocks, i) => ({
      blocks,
      planes: scaleChannels(64 << i, width),
      stride: i === 0 ? 1 : 2,
    })),
  };
}

/** Output channels of a stage's blocks. */
export function stageChannels(plan: ResNetPlan, stage: StagePlan): number {
  return stage.planes * EXPANSION[plan.block];
}

/** Channels entering the classifier. */
export function featureChannels(plan: ResNetPlan): number {
  const last = plan.stages[plan.stages.length - 1];
  return last ? stageChannels(plan, last) : plan.stemChannels;
}

/** Total downsampling factor from input to the last feature map. */
export function totalStride(plan: ResNetPlan): number {
  return plan.stages.reduce((s, st) => s * st.stride, plan.stem === 'imagenet' ? 4 : 1);
}

/**
 * Spatial size after the stem and after each stage, for an input of `size` pixels. Every stride-2 step (conv
 * with padding k/2, 1x1 strided conv, 3x3 max-pool with padding 1, option-A subsampling) maps s to ceil(s / 2).
 */
export function featureSizes(plan: ResNetPlan, size: number): number[] {
  let s = plan.stem === 'imagenet' ? Math.ceil(Math.ceil(size / 2) / 2) : size;
  const out = [s];
  for (const st of plan.stages) {
    s = Math.ceil(s / st.stride);
    out.push(s);
  }
  return out;
}

export interface ParamCounts {
  /** Conv kernels, batch-norm gamma and beta, classifier weights and bias. */
  trainable: number;
  /** Batch-norm moving means and variances. */
  nonTrainable: number;
}

/** Parameter counts of the model a plan describes, for `inChannels` input channels and `numClasses` logits. */
export function paramCounts(plan: ResNetPlan, inChannels: number, numClasses: number): ParamCounts {
  let convs = 0;
  let bnChannels = 0;
  const conv = (k: number, cin: number, cout: number) => {
    convs += k * k * cin * cout;
    bnChannels += cout; // every conv is followed by a batch norm
  };
  conv(plan.stem === 'imagenet' ? 7 : 3, inChannels, plan.stemChannels);
  let cin = plan.stemChannels;
  for (const stage of plan.stages) {
    const cout = stageChannels(plan, stage);
    for (let b = 0; b < stage.blocks; b++) {
      const stride = b === 0 ? stage.stride : 1;
      if (plan.block === 'basic') {
        conv(3, cin, stage.planes);
        conv(3, stage.planes, stage.planes);
      } else {
        conv(1, cin, stage.planes);
        conv(3, stage.planes, stage.planes);
        conv(1, stage.planes, cout);
      }
      if ((stride !== 1 || cin !== cout) && plan.shortcut === 'projection') conv(1, cin, cout);
      cin = cout;
    }
  }
  const head = cin * numClasses + numClasses;
  return { trainable: convs + 2 * bnChannels + head, nonTrainable: 2 * bnChannels };
}
