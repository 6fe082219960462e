/** Registry entries of the ResNets; the one-line summaries quote parameter counts computed from the plans. */
import { cifarResNet, resNet } from './resnet.js';
import { cifarResNetPlan, paramCounts, resNetPlan, type ResNetDepth } from './plan.js';
import type { ModelEntry } from './types.js';

const millions = (n: number) => `${(n / 1e6).toFixed(n < 1e6 ? 2 : 1)}M`;

export const CIFAR_RESNET_DEPTHS = [20, 32, 44, 56, 110] as const;
export const RESNET_DEPTHS: readonly ResNetDepth[] = [18, 34, 50];

export const cifarResNetEntries: ModelEntry[] = CIFAR_RESNET_DEPTHS.map((depth) => ({
  name: `resnet${depth}`,
  summary: `CIFAR ResNet-${depth} (He et al. 2016, option-A shortcuts, ${millions(paramCounts(cifarResNetPlan(depth), 3, 10).trainable)} params)`,
  build: (opts) => cifarResNet(depth, opts),
}));

export const resNetEntries: ModelEntry[] = RESNET_DEPTHS.map((depth) => ({
  name: `resnet${depth}`,
  summary:
    `ResNet-${depth} (torchvision, ${depth === 50 ? 'bottleneck' : 'basic'} blocks; ${millions(paramCounts(resNetPlan(depth, 'cifar'), 3, 10).trainable)} params ` +
    `with CIFAR stem, ${millions(paramCounts(resNetPlan(depth, 'imagenet'), 3, 1000).trainable)} ImageNet)`,
  build: (opts) => resNet(depth, opts),
}));
