import { describe, expect, it } from 'vitest';
import { resolveBatch } from './batch.js';
import { ScoreError } from './errors.js';

// Two rows, 2 classes. Row 0: logits [0, ln 3] -> p = [1/4, 3/4]; row 1: logits [2, 0] -> argmax 0.
const logits = Float32Array.from([0, Math.log(3), 2, 0]);
const labels = Int32Array.from([1, 1]);
const ids = Uint32Array.from([3, 0]);

describe('resolveBatch', () => {
  it('derives losses, batchLoss and correctness from logits + labels (hand-checked)', () => {
    const b = resolveBatch({ ids, logits, labels, numClasses: 2 }, ['losses', 'batchLoss', 'correct'], 4, 't');
    const ce0 = -Math.log(3 / 4); // 0.2877
    const ce1 = Math.log(Math.exp(2) + 1); // 2.1269
    expect(b.losses![0]).toBeCloseTo(ce0, 6);
    expect(b.losses![1]).toBeCloseTo(ce1, 6);
    expect(b.batchLoss).toBeCloseTo((ce0 + ce1) / 2, 6);
    expect(Array.from(b.correct!)).toEqual([1, 0]);
  });

  it('uses given inputs as they are (no re-derivation)', () => {
    const b = resolveBatch({ ids, losses: [5, 7], correct: [0, 1] }, ['losses', 'batchLoss', 'correct'], 4, 't');
    expect(Array.from(b.losses!)).toEqual([5, 7]);
    expect(b.batchLoss).toBe(6);
    expect(Array.from(b.correct!)).toEqual([0, 1]);
  });

  it('breaks argmax ties towards the first class, like tf.argMax', () => {
    const b = resolveBatch({ ids: [0], logits: [1, 1], labels: [1], numClasses: 2 }, ['correct'], 1, 't');
    expect(b.correct![0]).toBe(0);
  });

  it('gives a logits-only score its logits without asking for labels', () => {
    const b = resolveBatch({ ids, logits, numClasses: 2 }, ['logits'], 4, 't');
    expect(Array.from(b.logits!)).toEqual(Array.from(logits));
    expect(b.labels).toBeUndefined();
    // Labels passed anyway are neither required nor checked for a score that does not declare them.
    expect(resolveBatch({ ids, logits, labels: [1, 7], numClasses: 2 }, ['logits'], 4, 't').labels).toBeUndefined();
  });

  it('still needs labels when an input is derived from logits + labels', () => {
    expect(resolveBatch({ ids, logits, labels, numClasses: 2 }, ['logits', 'losses'], 4, 't').labels).toBeDefined();
    expect(() => resolveBatch({ ids, logits, numClasses: 2 }, ['labels'], 4, 't')).toThrow(/needs batch\.labels/);
  });

  const cases: [string, object, string[], RegExp][] = [
    [
      'shape mismatch',
      { ids, logits: logits.subarray(1), labels, numClasses: 2 },
      ['logits'],
      /batch\.logits has length 3 but ids\.length x numClasses = 2 x 2 = 4; fix: /,
    ],
    [
      'label out of range',
      { ids, logits, labels: [1, 2], numClasses: 2 },
      ['logits', 'labels'],
      /batch\.labels\[1\] = 2 is invalid: expected an integer in \[0, 1\]; fix: /,
    ],
    [
      'NaN logit',
      { ids, logits: [0, NaN, 1, 1], labels, numClasses: 2 },
      ['logits'],
      /batch\.logits\[1\] = NaN is invalid.*fix: the training step diverged/,
    ],
    ['infinite loss', { ids, losses: [1, Infinity] }, ['losses'], /batch\.losses\[1\] = Infinity is invalid/],
    [
      'id out of range',
      { ids: [4, 0], losses: [1, 1] },
      ['losses'],
      /batch\.ids\[0\] = 4 is invalid: expected an integer in \[0, 3\]/,
    ],
    [
      'missing input',
      { ids, labels },
      ['losses'],
      /score 't' needs batch\.losses, which is missing; fix: pass the per-sample losses/,
    ],
    ['missing numClasses', { ids, logits, labels }, ['logits'], /needs batch\.numClasses/],
    ['wrong losses length', { ids, losses: [1] }, ['losses'], /batch\.losses has length 1 but the batch has 2 rows/],
    ['bad epoch', { ids, losses: [1, 1], epoch: -1 }, ['losses'], /batch\.epoch = -1 is invalid/],
  ];
  for (const [name, batch, inputs, message] of cases) {
    it(`refuses ${name} with one clear ScoreError`, () => {
      expect(() => resolveBatch(batch as never, inputs as never, 4, 't')).toThrow(ScoreError);
      expect(() => resolveBatch(batch as never, inputs as never, 4, 't')).toThrow(message);
    });
  }
});
