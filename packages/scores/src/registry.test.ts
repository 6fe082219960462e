import { describe, expect, it } from 'vitest';
import { ScoreError } from './errors.js';
import { createScoreTracker, getScore, registerScore, scoreNames, unregisterScore } from './registry.js';
import { loss } from './scores/loss.js';

describe('score registry', () => {
  it('lists the built-in scores', () => {
    expect(scoreNames()).toEqual(
      expect.arrayContaining(['loss', 'loss-ema', 'el2n', 'grand', 'grand-last-layer', 'forgetting', 'batch-loss']),
    );
    expect(getScore('el2n').name).toBe('el2n');
    expect(createScoreTracker('loss', 5).datasetSize).toBe(5);
  });

  it('names the known scores when a name is unknown', () => {
    expect(() => getScore('elnn')).toThrow(ScoreError);
    expect(() => getScore('elnn')).toThrow(/unknown score "elnn"; fix: use one of loss, loss-ema, el2n/);
  });

  it('registers once; a different score under a taken name is refused', () => {
    expect(registerScore(loss)).toBe(loss);
    expect(() => registerScore({ ...loss })).toThrow(
      /score.name = "loss" is invalid: expected a name no other score is registered under \(a different score named "loss" is\); fix: .*unregisterScore\("loss"\)/,
    );
    expect(() => registerScore({ ...loss, name: 'Bad Name' })).toThrow(
      /name = "Bad Name": expected lower-case kebab-case/,
    );
  });

  it('unregisterScore frees the name, so a replacement can be registered on purpose', () => {
    const replacement = { ...loss, summary: 'a replacement' };
    try {
      expect(unregisterScore('loss')).toBe(true);
      expect(registerScore(replacement)).toBe(replacement);
      expect(getScore('loss')).toBe(replacement);
    } finally {
      unregisterScore('loss');
      registerScore(loss);
    }
  });
});
