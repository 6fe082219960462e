import { describeCpu, oneDnnSafe, type CpuInfo } from './cpu.js';

/**
 * Models whose training step and evaluation ran with TensorFlow 2.21's oneDNN on, on a Linux x86 host that hides
 * its CPU cache sizes (bench/speed/onednn-models.mjs, 2026-12-07, AMD EPYC VM, Fashion-MNIST 28x28: one epoch of a
 * 20-sample subset, compiled training step, then evaluation, so the CIFAR stem for ResNet-18/34). ResNet-50 is not
 * here: it dies with SIGFPE (its 1x1 convolution 512 -> 1024 channels on a 4x4 input). Nor is any ResNet-18/34 on an
 * image folder, whose images may take the ImageNet stem (not surveyed). The crash depends on layer shapes only, so
 * the guard test (apps/cli/src/onednn-guard.test.ts) trains the models of ONEDNN_SHAPE_TWINS' right-hand side and
 * checks that each left-hand model has exactly its twin's layer shapes.
 */
export const ONEDNN_TESTED_MODELS: readonly string[] = [
  'cnn-small',
  'mlp',
  'resnet20',
  'resnet32',
  'resnet44',
  'resnet56',
  'resnet110',
  'resnet18',
  'resnet34',
];

/**
 * Tested models whose distinct layer shapes are exactly another tested model's (more blocks of the same widths and
 * strides): the deeper CIFAR ResNets repeat resnet20's, ResNet-34 repeats ResNet-18's (both basic blocks).
 */
export const ONEDNN_SHAPE_TWINS: Readonly<Record<string, string>> = {
  resnet32: 'resnet20',
  resnet44: 'resnet20',
  resnet56: 'resnet20',
  resnet110: 'resnet20',
  resnet34: 'resnet18',
};

/** dp's TF_ENABLE_ONEDNN_OPTS when the environment has none, and why (one line, for `dp doctor`). */
export interface OneDnnDecision {
  value: '0' | '1';
  reason: string;
}

/**
 * Decide oneDNN for a process that will train `models` (undefined: not known before TensorFlow loads). On hosts where
 * oneDNN is safe (oneDnnSafe): on. On hosts that hide their cache sizes: on only when every model is known and in
 * ONEDNN_TESTED_MODELS, else off (an untested shape may crash the process with SIGFPE).
 */
export function oneDnnDecision(cpu: CpuInfo, models?: readonly string[]): OneDnnDecision {
  if (oneDnnSafe(cpu)) return { value: '1', reason: 'oneDNN is safe on this CPU (its cache sizes are visible)' };
  const hides = 'this CPU hides its cache sizes, where oneDNN crashes some layer shapes with SIGFPE';
  if (!models) return { value: '0', reason: `${hides}, and the model is not known before TensorFlow loads` };
  if (models.length === 0) return { value: '0', reason: `${hides}, and this command trains no model` };
  const untested = [...new Set(models)].filter((m) => !ONEDNN_TESTED_MODELS.includes(m));
  if (untested.length > 0)
    return {
      value: '0',
      reason: `${hides}; not tested there with oneDNN: ${untested.join(', ')} (tested: ${ONEDNN_TESTED_MODELS.join(', ')})`,
    };
  return { value: '1', reason: `${hides}, but ${[...new Set(models)].join(', ')} ran there with oneDNN on` };
}

/**
 * The TF_ENABLE_ONEDNN_OPTS value `dp` uses when the environment has none: '1' (oneDNN on: up to 1.9x faster training
 * where TensorFlow would leave it off), or '0' where it is not safe for `models` (oneDnnDecision).
 */
export function oneDnnDefault(cpu: CpuInfo = describeCpu(), models?: readonly string[]): '0' | '1' {
  return oneDnnDecision(cpu, models).value;
}

/** The ResNets whose stem follows the input size; their ImageNet stem (a 3x3 max-pool named 'maxpool') is untested. */
const STEMMED = ['resnet18', 'resnet34', 'resnet50'];

/**
 * The name oneDNN's allowlist knows a built model by, and whether it is in ONEDNN_TESTED_MODELS: @dp/models names
 * its models by their registry name; a ResNet-18/34/50 with the ImageNet stem (a layer named 'maxpool') is
 * `resnet18 (ImageNet stem)`, untested.
 */
export function oneDnnModel(model: { name: string; layers: readonly { name: string }[] }): {
  name: string;
  tested: boolean;
} {
  const imagenet = STEMMED.includes(model.name) && model.layers.some((l) => l.name === 'maxpool');
  const name = imagenet ? `${model.name} (ImageNet stem)` : model.name;
  return { name, tested: ONEDNN_TESTED_MODELS.includes(name) };
}
