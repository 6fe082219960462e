import { describe, expect, it } from 'vitest';
import { ScoreError } from '../errors.js';
import { readOptions } from '../options.js';
import { ArrayTracker, LastValueTracker } from '../tracker.js';
import type { ResolvedBatch, Score, ScoreBatch } from '../types.js';
import { runScoreSuite } from './suite.js';

/** Run the shared suite over `score` with a collecting test API; returns the names of the checks that failed. */
function failures(score: Score): string[] {
  const tests: [string, () => void | Promise<void>][] = [];
  runScoreSuite(
    score,
    { describe: (_n, fn) => fn(), it: (n, fn) => void tests.push([n, fn]), expect },
    { numRuns: 30 },
  );
  const failed: string[] = [];
  for (const [name, fn] of tests) {
    try {
      fn();
    } catch {
      failed.push(name);
    }
  }
  return failed;
}

const base = { summary: 'broken on purpose', inputs: ['losses'] as const, optionNames: [] as string[] };

class RowIndexTracker extends ArrayTracker {
  private readonly v: Float32Array;
  constructor(n: number) {
    const v = new Float32Array(Math.max(1, n | 0));
    super('row-index', ['losses'], n, {}, { v });
    this.v = v;
  }
  protected apply(b: ResolvedBatch): void {
    for (let i = 0; i < b.n; i++) this.v[b.ids[i]!] = i; // depends on the row position
  }
  values(): Float32Array {
    return this.v.slice();
  }
}

class HalfWayTracker extends LastValueTracker {
  override update(batch: ScoreBatch): void {
    // Writes rows before validating the whole batch: a bad last row leaves earlier rows changed.
    const ids = batch.ids;
    for (let i = 0; i < ids.length; i++) super.update({ ids: [ids[i]!], losses: [batch.losses?.[i] as number] });
  }
}

describe('runScoreSuite catches broken scores', () => {
  it('non-finite values', () => {
    const s: Score = {
      ...base,
      name: 'nan-values',
      create: (n, o) => (
        readOptions('nan-values', [], o),
        new LastValueTracker('nan-values', ['losses'], n, {}, () => NaN)
      ),
    };
    expect(failures(s)).toContain('gives one finite value per sample and counts every update');
  });

  it('dependence on the order of rows', () => {
    const s: Score = {
      ...base,
      name: 'row-index',
      create: (n, o) => (readOptions('row-index', [], o), new RowIndexTracker(n)),
    };
    expect(failures(s)).toContain('does not depend on the order of rows within a batch');
  });

  it('state changed by a refused batch', () => {
    const s: Score = {
      ...base,
      name: 'half-way',
      create: (n, o) => (
        readOptions('half-way', [], o),
        new HalfWayTracker('half-way', ['losses'], n, {}, (b, i) => b.losses![i]!)
      ),
    };
    expect(failures(s)).toContain('refuses bad input with one ScoreError and changes nothing');
  });

  it('a state that does not round-trip, and unknown options accepted', () => {
    const s: Score = {
      ...base,
      name: 'amnesiac',
      create: (n) => {
        const t = new LastValueTracker('amnesiac', ['losses'], n, {}, (b, i) => b.losses![i]!);
        t.load = () => undefined;
        return t;
      },
    };
    const failed = failures(s);
    expect(failed).toContain('round-trips its state through JSON exactly');
    expect(failed).toContain('rejects a bad dataset size and unknown options');
    expect(failed).toContain('refuses a foreign or damaged state and keeps its own');
  });

  it('passes a correct score', () => {
    const s: Score = {
      ...base,
      name: 'fine',
      create: (n, o) => (
        readOptions('fine', [], o),
        new LastValueTracker('fine', ['losses'], n, {}, (b, i) => b.losses![i]!)
      ),
    };
    expect(failures(s)).toEqual([]);
    expect(new ScoreError('p', 'f').message).toBe('p; fix: f');
  });

  it('passes a correct logits-only score, fed no labels', () => {
    const seen: boolean[] = [];
    const maxLogit = (b: ResolvedBatch, i: number) => {
      seen.push(b.labels !== undefined);
      let m = -Infinity;
      for (let j = 0; j < b.numClasses; j++) m = Math.max(m, b.logits![i * b.numClasses + j]!);
      return m;
    };
    const s: Score = {
      ...base,
      name: 'max-logit',
      inputs: ['logits'],
      create: (n, o) => (
        readOptions('max-logit', [], o),
        new LastValueTracker('max-logit', ['logits'], n, {}, maxLogit)
      ),
    };
    expect(failures(s)).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((x) => !x)).toBe(true);
  });
});
