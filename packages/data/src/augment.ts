import { DataError } from './errors.js';
import type { BatchRng } from './rng.js';
import { resampleInto } from './resample.js';

/**
 * Training-time augmentation of uint8 NHWC batches, deterministic given the batch's generator:
 * - 'crop-flip' (CIFAR): zero-pad by `pad` pixels, take a random crop of the original size, flip half the images;
 * - 'resized-crop-flip' (ImageNet folders): a random crop covering `scale` of the area with aspect ratio in
 *   `ratio` (log-uniform), resized back to the stored size, flipped half the time;
 * - 'none' (evaluation).
 */
export type AugmentKind = 'none' | 'crop-flip' | 'resized-crop-flip';

export interface AugmentConfig {
  kind: AugmentKind;
  /** crop-flip: zero padding on each side in pixels (default 4). */
  pad?: number;
  /** Horizontal flip with probability 1/2 (default true; ignored for 'none'). */
  flip?: boolean;
  /** resized-crop-flip: range of the crop's share of the image area (default [0.08, 1]). */
  scale?: readonly [number, number];
  /** resized-crop-flip: range of the crop's width/height ratio (default [3/4, 4/3]). */
  ratio?: readonly [number, number];
}

export type AugmentSpec = AugmentKind | AugmentConfig;

/** A validated augmentation with every default filled in (plain data: it crosses to the worker thread). */
export interface Augmentation {
  kind: AugmentKind;
  pad: number;
  flip: boolean;
  scale: [number, number];
  ratio: [number, number];
}

const KINDS: readonly AugmentKind[] = ['none', 'crop-flip', 'resized-crop-flip'];

/** Validate an augmentation spec; errors name the field, its value and the allowed range. */
export function parseAugment(spec: AugmentSpec = 'none'): Augmentation {
  const cfg: AugmentConfig = typeof spec === 'string' ? { kind: spec } : spec;
  if (!KINDS.includes(cfg.kind))
    throw new DataError(`augment = '${String(cfg.kind)}' is invalid`, `use one of ${KINDS.join(', ')}`);
  const pad = cfg.pad ?? 4;
  if (!Number.isInteger(pad) || pad < 0 || pad > 64)
    throw new DataError(`augment.pad = ${pad} is invalid`, 'use an integer in [0, 64]');
  const scale: [number, number] = [cfg.scale?.[0] ?? 0.08, cfg.scale?.[1] ?? 1];
  if (!(scale[0] > 0 && scale[0] <= scale[1] && scale[1] <= 1))
    throw new DataError(`augment.scale = [${scale.join(', ')}] is invalid`, 'use 0 < min <= max <= 1');
  const ratio: [number, number] = [cfg.ratio?.[0] ?? 3 / 4, cfg.ratio?.[1] ?? 4 / 3];
  if (!(ratio[0] > 0 && ratio[0] <= ratio[1] && Number.isFinite(ratio[1])))
    throw new DataError(`augment.ratio = [${ratio.join(', ')}] is invalid`, 'use 0 < min <= max');
  return { kind: cfg.kind, pad, flip: cfg.flip ?? true, scale, ratio };
}

/**
 * Augment the `n` images of `src` (NHWC uint8, shape h x w x c) into `dst` (same size). Draws from `rng` in a
 * fixed order per image, so the same generator state gives the same batch.
 */
export function augmentBatch(
  src: Uint8Array,
  dst: Uint8Array,
  n: number,
  shape: readonly [number, number, number],
  aug: Augmentation,
  rng: BatchRng,
): void {
  const [h, w, c] = shape;
  const bytes = h * w * c;
  if (aug.kind === 'none') {
    dst.set(src.subarray(0, n * bytes));
    return;
  }
  for (let i = 0; i < n; i++) {
    const off = i * bytes;
    if (aug.kind === 'crop-flip') {
      const dy = rng.int(2 * aug.pad + 1) - aug.pad;
      const dx = rng.int(2 * aug.pad + 1) - aug.pad;
      const flip = aug.flip && rng.float() < 0.5;
      cropShift(src, dst, off, h, w, c, dy, dx, flip);
    } else {
      const box = resizedCropBox(h, w, aug, rng);
      const flip = aug.flip && rng.float() < 0.5;
      resampleInto(src, off, h, w, c, box, h, w, dst, off, flip);
    }
  }
}

/** out(y, x) = padded input at (y + dy, x + dx) (zero outside), mirrored horizontally when `flip`. */
function cropShift(
  src: Uint8Array,
  dst: Uint8Array,
  off: number,
  h: number,
  w: number,
  c: number,
  dy: number,
  dx: number,
  flip: boolean,
): void {
  const row = w * c;
  for (let y = 0; y < h; y++) {
    const sy = y + dy;
    const out = off + y * row;
    if (sy < 0 || sy >= h) {
      dst.fill(0, out, out + row);
      continue;
    }
    const inRow = off + sy * row;
    for (let x = 0; x < w; x++) {
      const sx = x + dx;
      const o = out + (flip ? w - 1 - x : x) * c;
      if (sx < 0 || sx >= w) {
        for (let ch = 0; ch < c; ch++) dst[o + ch] = 0;
      } else {
        const s = inRow + sx * c;
        for (let ch = 0; ch < c; ch++) dst[o + ch] = src[s + ch]!;
      }
    }
  }
}

/** torchvision's RandomResizedCrop box: 10 tries at a random area and log-uniform ratio, else a centre crop. */
function resizedCropBox(
  h: number,
  w: number,
  aug: Augmentation,
  rng: BatchRng,
): { x: number; y: number; width: number; height: number } {
  const area = h * w;
  const logLo = Math.log(aug.ratio[0]);
  const logHi = Math.log(aug.ratio[1]);
  for (let t = 0; t < 10; t++) {
    const target = area * rng.uniform(aug.scale[0], aug.scale[1]);
    const ar = Math.exp(rng.uniform(logLo, logHi));
    const cw = Math.round(Math.sqrt(target * ar));
    const ch = Math.round(Math.sqrt(target / ar));
    if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
      return { x: rng.int(w - cw + 1), y: rng.int(h - ch + 1), width: cw, height: ch };
    }
  }
  const ratio = w / h;
  let cw = w;
  let ch = h;
  if (ratio < aug.ratio[0]) ch = Math.round(w / aug.ratio[0]);
  else if (ratio > aug.ratio[1]) cw = Math.round(h * aug.ratio[1]);
  return { x: Math.floor((w - cw) / 2), y: Math.floor((h - ch) / 2), width: cw, height: ch };
}
