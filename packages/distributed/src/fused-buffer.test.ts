import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DistributedError } from './errors.js';
import { fusedLayout, packArrays, unpackArrays, type NamedArray } from './fused-buffer.js';

const namedArrays = (maxLength = 50): fc.Arbitrary<NamedArray[]> =>
  fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 8 })
    .chain((names) =>
      fc.tuple(...names.map((name) => fc.float32Array({ maxLength, noNaN: true }).map((values) => ({ name, values })))),
    );

describe('fused buffer', () => {
  it('pack then unpack gives back every array, in order, as views into one buffer', () => {
    fc.assert(
      fc.property(namedArrays(), (arrays) => {
        const layout = fusedLayout(arrays);
        const buffer = packArrays(arrays, layout);
        expect(buffer.length).toBe(arrays.reduce((n, a) => n + a.values.length, 0));
        const back = unpackArrays(buffer, layout);
        expect(back.map((a) => a.name)).toEqual(arrays.map((a) => a.name));
        back.forEach((a, i) => {
          expect(Array.from(a.values)).toEqual(Array.from(arrays[i]!.values));
          expect(a.values.buffer).toBe(buffer.buffer);
        });
      }),
    );
  });

  it('the fingerprint depends on names and lengths, not values', () => {
    fc.assert(
      fc.property(namedArrays(), (arrays) => {
        const zeros = arrays.map((a) => ({ name: a.name, values: new Float32Array(a.values.length) }));
        expect(fusedLayout(zeros).fingerprint).toBe(fusedLayout(arrays).fingerprint);
        if (arrays.length > 0) {
          const longer = arrays.map((a, i) =>
            i === 0 ? { name: a.name, values: new Float32Array(a.values.length + 1) } : a,
          );
          expect(fusedLayout(longer).fingerprint).not.toBe(fusedLayout(arrays).fingerprint);
        }
      }),
    );
  });

  it.each([
    [
      'a duplicate name',
      [
        { name: 'w', values: new Float32Array(1) },
        { name: 'w', values: new Float32Array(1) },
      ],
      'gradients[1].name',
    ],
    ['an empty name', [{ name: '', values: new Float32Array(1) }], 'gradients[0].name'],
    ['float64 values', [{ name: 'w', values: new Float64Array(1) }], 'gradients[0].values'],
    ['not an array', { w: new Float32Array(1) }, 'gradients'],
  ])('refuses %s, naming the field', (_, arrays, field) => {
    expect(() => fusedLayout(arrays as never)).toThrow(DistributedError);
    try {
      fusedLayout(arrays as never);
    } catch (e) {
      expect((e as DistributedError).field).toBe(field);
    }
  });

  it('refuses to unpack a buffer of another length', () => {
    const layout = fusedLayout([{ name: 'w', values: new Float32Array(3) }]);
    expect(() => unpackArrays(new Float32Array(2), layout)).toThrow(/buffer.length = 2 is invalid: expected 3/);
  });
});
