/**
 * Residual blocks (He et al. 2016), torchvision layer names: `<prefix>.conv1`, `<prefix>.bn1`, ...,
 * `<prefix>.downsample.0/1` (projection) or `<prefix>.shortcut` (option A), `<prefix>.add`, `<prefix>.relu`.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNorm, conv, relu } from './layers.js';
import type { BlockKind, ShortcutKind } from './plan.js';
import { EXPANSION } from './plan.js';
import type { SeedStream } from './seeds.js';
import { PadShortcut } from './shortcut-a.js';
import type { BatchNormKind } from './types.js';

type Sym = tfl.SymbolicTensor;

export interface BlockContext {
  seeds: SeedStream;
  batchNorm: BatchNormKind;
  zeroInitResidual: boolean;
}

export interface BlockSpec {
  prefix: string;
  kind: BlockKind;
  shortcut: ShortcutKind;
  inChannels: number;
  planes: number;
  stride: number;
}

/** conv -> batch norm (-> ReLU when `reluName` is given). */
export function convBn(
  x: Sym,
  ctx: BlockContext,
  o: {
    conv: string;
    bn: string;
    filters: number;
    kernelSize: number;
    stride?: number;
    zeroGamma?: boolean;
    reluName?: string;
  },
): Sym {
  const c = conv(x, {
    name: o.conv,
    filters: o.filters,
    kernelSize: o.kernelSize,
    stride: o.stride ?? 1,
    seed: ctx.seeds.next(),
  });
  const y = batchNorm({ name: o.bn, kind: ctx.batchNorm, zeroGamma: o.zeroGamma ?? false }).apply(c) as Sym;
  return o.reluName ? relu(y, o.reluName, ctx.batchNorm) : y;
}

/** One residual block: relu(branch(x) + shortcut(x)). */
export function residualBlock(x: Sym, ctx: BlockContext, b: BlockSpec): Sym {
  const p = b.prefix;
  const out = b.planes * EXPANSION[b.kind];
  const z = ctx.zeroInitResidual;
  let y: Sym;
  if (b.kind === 'basic') {
    y = convBn(x, ctx, {
      conv: `${p}.conv1`,
      bn: `${p}.bn1`,
      filters: b.planes,
      kernelSize: 3,
      stride: b.stride,
      reluName: `${p}.relu1`,
    });
    y = convBn(y, ctx, { conv: `${p}.conv2`, bn: `${p}.bn2`, filters: b.planes, kernelSize: 3, zeroGamma: z });
  } else {
    y = convBn(x, ctx, {
      conv: `${p}.conv1`,
      bn: `${p}.bn1`,
      filters: b.planes,
      kernelSize: 1,
      reluName: `${p}.relu1`,
    });
    y = convBn(y, ctx, {
      conv: `${p}.conv2`,
      bn: `${p}.bn2`,
      filters: b.planes,
      kernelSize: 3,
      stride: b.stride,
      reluName: `${p}.relu2`,
    });
    y = convBn(y, ctx, { conv: `${p}.conv3`, bn: `${p}.bn3`, filters: out, kernelSize: 1, zeroGamma: z });
  }
  let shortcut = x;
  if (b.stride !== 1 || b.inChannels !== out) {
    shortcut =
      b.shortcut === 'projection'
        ? convBn(x, ctx, {
            conv: `${p}.downsample.0`,
            bn: `${p}.downsample.1`,
            filters: out,
            kernelSize: 1,
            stride: b.stride,
          })
        : (new PadShortcut({ name: `${p}.shortcut`, stride: b.stride, outChannels: out }).apply(x) as Sym);
  }
  const sum = tfl.layers.add({ name: `${p}.add` }).apply([y, shortcut]) as Sym;
  return relu(sum, `${p}.relu`, ctx.batchNorm);
}
