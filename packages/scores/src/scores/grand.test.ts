import { describe, expect, it } from 'vitest';
import { grand } from './grand.js';

describe('grand', () => {
  it('stores the per-sample gradient norms it is given (computed by @dp/scores/tfjs)', () => {
    const t = grand.create(3);
    t.update({ ids: [2, 0], gradNorms: Float32Array.from([0.5, 3]) });
    expect(Array.from(t.values())).toEqual([3, 0, 0.5]);
    expect(() => t.update({ ids: [1], gradNorms: [-1] })).toThrow(
      /batch\.gradNorms\[0\] = -1 is invalid: expected a finite number in \[0, 1e15\]/,
    );
    expect(() => t.update({ ids: [1], losses: [1] })).toThrow(
      /needs batch\.gradNorms, which is missing; fix: compute them with perSampleGradNorms/,
    );
  });
});
