/** Validation of the model options at the boundary: every error names the field, the value and what is allowed. */
import { ModelError } from './errors.js';
import type { BatchNormKind, ModelOptions } from './types.js';

export const BATCH_NORM_KINDS: readonly BatchNormKind[] = ['reference', 'fused'];
export const STEMS = ['cifar', 'imagenet'] as const;
export const MAX_WIDTH = 16;
/** Images with both sides <= this many pixels get the CIFAR stem by default. */
export const CIFAR_STEM_MAX_SIZE = 64;

const bad = (field: string, value: unknown, allowed: string) =>
  new ModelError(
    `${field} = ${typeof value === 'string' ? `'${value}'` : String(value)} is invalid: expected ${allowed}`,
    `pass ${field} as ${allowed}`,
  );

/** Check the options every model shares (name-independent). */
export function checkOptions(opts: ModelOptions): void {
  if (!Number.isInteger(opts.numClasses) || opts.numClasses < 2)
    throw bad('numClasses', opts.numClasses, 'an integer >= 2');
  const shape = opts.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ModelError(
      `inputShape = [${Array.isArray(shape) ? shape.join(', ') : String(shape)}] is invalid: expected three positive integers [height, width, channels]`,
      `pass the images' [height, width, channels]`,
    );
  }
  // Initialisers draw 32-bit seeds: a larger model seed would wrap around onto a smaller one (2^32 + 1 -> 1).
  if (opts.seed !== undefined && !(Number.isInteger(opts.seed) && opts.seed >= 0 && opts.seed <= 0xffffffff)) {
    throw bad('seed', opts.seed, 'an integer in [0, 4294967295]');
  }
  if (opts.stem !== undefined && !STEMS.includes(opts.stem)) throw bad('stem', opts.stem, `one of ${STEMS.join(', ')}`);
  if (opts.width !== undefined && !(Number.isFinite(opts.width) && opts.width > 0 && opts.width <= MAX_WIDTH)) {
    throw bad('width', opts.width, `a number in (0, ${MAX_WIDTH}]`);
  }
  if (opts.zeroInitResidual !== undefined && typeof opts.zeroInitResidual !== 'boolean') {
    throw bad('zeroInitResidual', opts.zeroInitResidual, 'true or false');
  }
  if (opts.batchNorm !== undefined && !BATCH_NORM_KINDS.includes(opts.batchNorm)) {
    throw bad('batchNorm', opts.batchNorm, `one of ${BATCH_NORM_KINDS.join(', ')}`);
  }
}

/** The stem ResNet-18/34/50 get: the explicit choice, else by input size (both sides <= 64 px: cifar). */
export function defaultStem(opts: ModelOptions): 'cifar' | 'imagenet' {
  if (opts.stem) return opts.stem;
  const [h, w] = opts.inputShape;
  return Math.max(h, w) <= CIFAR_STEM_MAX_SIZE ? 'cifar' : 'imagenet';
}
