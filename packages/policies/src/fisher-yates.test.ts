import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bounded } from './bounded.js';
import { FY_BLOCK, partialFisherYates, swapTargets } from './fisher-yates.js';
import { Rng } from './rng.js';

/**
 * The reference: the textbook partial Fisher-Yates, one step at a time, on the same draws (each block of up to
 * FY_BLOCK steps starts with one fill(); a step's rejection redraws come from the generator after it).
 */
function naive(
  rng: Rng,
  a: { [i: number]: number },
  b: { [i: number]: number } | null,
  start: number,
  end: number,
  count: number,
): void {
  const block = new Uint32Array(Math.min(FY_BLOCK, Math.max(count, 1)));
  for (let i0 = start; i0 < start + count; i0 += block.length) {
    rng.fill(block);
    for (let q = 0; q < Math.min(block.length, start + count - i0); q++) {
      const i = i0 + q;
      const j = i + bounded(block[q]!, end - i, rng);
      [a[i], a[j]] = [a[j]!, a[i]!];
      if (b !== null) [b[i], b[j]] = [b[j]!, b[i]!];
    }
  }
}

const range = fc.record({ n: fc.integer({ min: 1, max: 9000 }), s: fc.nat(), c: fc.nat() }).map(({ n, s, c }) => {
  const start = s % n;
  return { n, start, count: c % (n - start) };
});

describe('partialFisherYates', () => {
  it('makes the textbook swaps on the same draws: ids, ids with weights, plain arrays', () => {
    fc.assert(
      fc.property(
        range,
        fc.integer(),
        fc.constantFrom('ids', 'weights', 'array'),
        ({ n, start, count }, seed, kind) => {
          const ids = Uint32Array.from({ length: n }, (_, i) => i * 7 + 1);
          const weights = kind === 'weights' ? Float32Array.from({ length: n }, (_, i) => i / 3) : null;
          const a = kind === 'array' ? Array.from(ids) : ids.slice();
          const b = weights?.slice() ?? null;
          const ra = new Rng(seed);
          partialFisherYates(ra, a, b, start, n, count);
          const expected = kind === 'array' ? Array.from(ids) : ids.slice();
          const expectedW = weights?.slice() ?? null;
          const rb = new Rng(seed);
          naive(rb, expected, expectedW, start, n, count);
          expect(Array.from(a)).toEqual(Array.from(expected));
          if (b !== null) expect(Array.from(b)).toEqual(Array.from(expectedW!));
          expect(ra.state()).toEqual(rb.state()); // the same draws consumed
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('swapTargets', () => {
  it('equals i + bounded(draw, end - i) for ranges up to 2^32, rejections and the modulo path included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 2 }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 64, maxLength: 64 }),
        fc.integer(),
        (i0, m, draws, seed) => {
          const end = Math.min(2 ** 32, i0 + m + Math.floor((2 ** 32 - i0 - m) * (draws[0]! / 2 ** 32)));
          const steps = Math.max(1, Math.min(m, end - i0));
          const block = Uint32Array.from(draws);
          const ra = new Rng(seed);
          swapTargets(ra, block, i0, steps, end);
          const rb = new Rng(seed);
          for (let q = 0; q < steps; q++) expect(block[q]).toBe(i0 + q + bounded(draws[q]!, end - i0 - q, rb));
          expect(ra.state()).toEqual(rb.state());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes the rejection path of a small range like bounded (draws whose low product word falls below n)', () => {
    // n = 3: x * 3 mod 2^32 < 3 for x in {0, 1431655766, 2863311531}; (2^32 - 3) mod 3 = 1 rejects only x = 0.
    const block = Uint32Array.of(0, 1431655766, 2863311531, 5);
    const ra = new Rng(4);
    swapTargets(ra, block, 0, 1, 3);
    const rb = new Rng(4);
    expect(block[0]).toBe(bounded(0, 3, rb));
    expect(ra.state()).toEqual(rb.state());
  });
});
