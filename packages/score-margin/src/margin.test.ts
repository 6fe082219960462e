import { existsSync } from 'node:fs';
import { getScore, loadScorePlugin } from '@dp/scores';
import { runScoreSuite } from '@dp/scores/testing';
import { describe, expect, it } from 'vitest';
import margin from './index.js';

// The shared behaviour every score must have (finite values, determinism, state round trip, bad input, ...).
runScoreSuite(margin, { describe, it, expect });

describe('margin', () => {
  it('is the largest other logit minus the true-class logit (hand-checked)', () => {
    const t = margin.create(3);
    t.update({
      ids: Uint32Array.from([0, 1, 2]),
      numClasses: 3,
      logits: Float32Array.from([3, 1, 0.5, /* */ 3, 1, 0.5, /* */ 2, 2, -1]),
      labels: Int32Array.from([0, 2, 1]),
    });
    // row 0: right by 2 -> -2; row 1: wrong, 3 - 0.5 = 2.5; row 2: a tie at the boundary -> 0
    expect(Array.from(t.values())).toEqual([-2, 2.5, 0]);
  });

  it('ranks misclassified and uncertain samples above confident ones', () => {
    const t = margin.create(2);
    t.update({ ids: [0, 1], numClasses: 2, logits: [5, -5, 0.1, 0], labels: [0, 0] });
    expect(t.values()[1]!).toBeGreaterThan(t.values()[0]!);
  });

  // `dp score --score @dp/score-margin` loads by package name, which needs the workspace link made by `npm install`;
  // before that, the same loader is exercised on this package's entry file.
  const linked = existsSync(new URL('../../../node_modules/@dp/score-margin/package.json', import.meta.url));
  it(`loads through loadScorePlugin (${linked ? 'by package name' : 'by file URL: @dp/score-margin not linked yet'}) and registers as "margin"`, async () => {
    const loaded = await loadScorePlugin(linked ? '@dp/score-margin' : new URL('./index.ts', import.meta.url).href);
    expect(loaded.name).toBe('margin');
    expect(loaded.inputs).toEqual(['logits', 'labels']);
    expect(getScore('margin')).toBe(loaded);
    const t = loaded.create(1);
    t.update({ ids: [0], numClasses: 2, logits: [1, 4], labels: [0] });
    expect(t.values()[0]).toBe(3);
  });
});
