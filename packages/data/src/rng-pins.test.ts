// Pins of today's random streams (2026-12-06): committed results (selection hashes, runs) depend on the exact
// shuffles, augmentation draws and validation splits, so any change to the generators behind them must reproduce
// these hashes (SHA-256 of the first 1,000 values, or of the output, for a few seeds).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  augmentBatch,
  BatchRng,
  createBatchLoader,
  deriveSeed,
  parseAugment,
  splitValidation,
  type ImageDataset,
} from './index.js';

const SEEDS = [0, 1, 42, -7, 2 ** 40 + 3];
const hash = (values: ArrayLike<number>) =>
  createHash('sha256')
    .update(new Uint8Array(Float64Array.from(values).buffer))
    .digest('hex')
    .slice(0, 16);
const draws = (n: number, next: () => number) => Array.from({ length: n }, next);

/** One hash per seed of `f(seed)`. */
const perSeed = (f: (seed: number) => ArrayLike<number>) => SEEDS.map((s) => hash(f(s)));

describe('pinned streams of @dp/data', () => {
  it('BatchRng: raw uint32s, int(n), float() and uniform()', () => {
    expect({
      uint32: perSeed((s) =>
        draws(
          1000,
          (
            (r) => () =>
              r.nextUint32()
          )(new BatchRng(s)),
        ),
      ),
      int: perSeed((s) =>
        draws(
          1000,
          (
            (r) => () =>
              r.int(33)
          )(new BatchRng(s)),
        ),
      ),
      intLarge: perSeed((s) =>
        draws(
          1000,
          (
            (r) => () =>
              r.int(3_000_000_019)
          )(new BatchRng(s)),
        ),
      ),
      float: perSeed((s) =>
        draws(
          1000,
          (
            (r) => () =>
              r.float()
          )(new BatchRng(s)),
        ),
      ),
      uniform: perSeed((s) =>
        draws(
          1000,
          (
            (r) => () =>
              r.uniform(-2, 5)
          )(new BatchRng(s)),
        ),
      ),
    }).toMatchInlineSnapshot(`
      {
        "float": [
          "35099d8ed9f55d78",
          "fd7bec27ffadf1e2",
          "6a0975ec37bb277c",
          "7d1319b078c22b96",
          "a3ff688c37d64590",
        ],
        "int": [
          "0d27aceb7cdf2fa5",
          "ef7f7f8b1f584209",
          "2d520044d617ef23",
          "ee098f6eade1ffec",
          "4d50594e26d82c6b",
        ],
        "intLarge": [
          "50a671aec374247b",
          "95ff2ab50fe94c65",
          "f9d1c0f38e06627b",
          "f1d0efd7104ac8c1",
          "4334659ad99dac5d",
        ],
        "uint32": [
          "3205ec6695e947de",
          "1f7ed29915791b73",
          "400a6c3a8da79ec5",
          "17372fad998c1229",
          "a83f2a213e0ed8de",
        ],
        "uniform": [
          "3657c1c97b55f534",
          "4b448631c7a3da72",
          "116efb0b5111d2a8",
          "f7ba5bceff653d4b",
          "9ca83324a8379813",
        ],
      }
    `);
  });

  it('deriveSeed and BatchRng.forBatch (every stream id)', () => {
    expect({
      derived: perSeed((s) =>
        draws(
          1000,
          (
            (i) => () =>
              deriveSeed(s, i % 7, i++ >> 3, 2 ** 33 - i)
          )(0),
        ),
      ),
      forBatch: perSeed((s) =>
        [1, 2, 3].flatMap((stream) =>
          draws(
            333,
            (
              (b) => () =>
                BatchRng.forBatch(s, 5, b++, stream).nextUint32()
            )(0),
          ),
        ),
      ),
    }).toMatchInlineSnapshot(`
      {
        "derived": [
          "bdf9a608897cb227",
          "e4c85641848e7fcd",
          "fdd6b1fb8eb9837b",
          "159191105dbf17b7",
          "f091cab66323856e",
        ],
        "forBatch": [
          "4a751da5420e426d",
          "de417d3846ceb01f",
          "69eac6ceb056ee1a",
          "7d5cb84c49f6d9d4",
          "d9c5569696440be0",
        ],
      }
    `);
  });

  it('augmentation draws: crop-flip and resized-crop-flip of a batch', () => {
    const shape = [8, 8, 3] as const;
    const n = 40;
    const src = Uint8Array.from({ length: n * 8 * 8 * 3 }, (_, i) => (i * 31) % 251);
    const run = (spec: 'crop-flip' | 'resized-crop-flip', seed: number) => {
      const dst = new Uint8Array(src.length);
      augmentBatch(src, dst, n, shape, parseAugment(spec), BatchRng.forBatch(seed, 3, 7));
      return dst;
    };
    expect({
      cropFlip: perSeed((s) => run('crop-flip', s)),
      resizedCropFlip: perSeed((s) => run('resized-crop-flip', s)),
    }).toMatchInlineSnapshot(`
      {
        "cropFlip": [
          "2f27eaa4535fa4da",
          "6095d16452ac668a",
          "feef9019d98f49c4",
          "76c8bbca0696bc87",
          "f8ac7da2587ee17c",
        ],
        "resizedCropFlip": [
          "c0147f65dacca13a",
          "10cc196030aee217",
          "37ec5ee6fab818ad",
          "b48f1f246ff2e1d3",
          "9bba204c623af583",
        ],
      }
    `);
  });

  it("the loader's epoch shuffle", async () => {
    const size = 1000;
    const data: ImageDataset = {
      name: 'pins',
      split: 'train',
      size,
      shape: [2, 2, 1],
      images: Uint8Array.from({ length: size * 4 }, (_, i) => i % 256),
      labels: Uint8Array.from({ length: size }, (_, i) => i % 10),
      numClasses: 10,
      classNames: Array.from({ length: 10 }, (_, i) => String(i)),
      mean: [0.5],
      std: [0.25],
    };
    const order = async (seed: number) => {
      const loader = await createBatchLoader(data, { batchSize: 250, seed, prefetch: 0 });
      try {
        return [...loader.epoch(undefined, undefined, 4)].flatMap((b) => [...b.ids]);
      } finally {
        await loader.close();
      }
    };
    const hashes: string[] = [];
    for (const s of SEEDS) hashes.push(hash(await order(s)));
    expect(hashes).toMatchInlineSnapshot(`
      [
        "9157058038a1c22b",
        "9157058038a1c22b",
        "9157058038a1c22b",
        "9157058038a1c22b",
        "9157058038a1c22b",
      ]
    `);
  });

  it('the validation split', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 10);
    expect(perSeed((s) => splitValidation(labels, 10, 137, s).validation)).toMatchInlineSnapshot(`
      [
        "943e8a7bdf04b387",
        "8f22fe0493b95163",
        "cdead5107866541f",
        "01593973d8d4290e",
        "cfcf250488c28131",
      ]
    `);
  });
});
