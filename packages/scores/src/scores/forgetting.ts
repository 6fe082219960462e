import { checkInt } from '../errors.js';
import { readOptions } from '../options.js';
import { ArrayTracker } from '../tracker.js';
import type { ResolvedBatch, Score } from '../types.js';

/** Per-sample `last` codes: 0 = never seen, WRONG / RIGHT = outcome of the latest presentation. */
const WRONG = 1;
const RIGHT = 2;

/**
 * Counts forgetting events (Toneva et al. 2019): a sample classified correctly at one presentation and
 * incorrectly at its next. values(): the count for samples learned at least once; samples never learned (never
 * classified correctly, including never seen) get (largest count in the dataset) + 1, so they rank highest.
 */
export class ForgettingTracker extends ArrayTracker {
  private readonly last: Uint8Array;
  private readonly learned: Uint8Array;
  private readonly events: Uint32Array;

  constructor(datasetSize: number) {
    const size = checkInt('datasetSize', datasetSize, 1, 2 ** 32 - 1);
    const last = new Uint8Array(size);
    const learned = new Uint8Array(size);
    const events = new Uint32Array(size);
    super('forgetting', ['correct'], datasetSize, {}, { last, learned, events });
    this.last = last;
    this.learned = learned;
    this.events = events;
  }

  protected apply(b: ResolvedBatch): void {
    const { ids, n } = b;
    const correct = b.correct!;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const now = correct[i] ? RIGHT : WRONG;
      if (this.last[id] === RIGHT && now === WRONG && this.events[id]! < 0xffffffff) this.events[id]!++;
      if (now === RIGHT) this.learned[id] = 1;
      this.last[id] = now;
    }
  }

  values(): Float32Array {
    let max = 0;
    for (let i = 0; i < this.events.length; i++) if (this.events[i]! > max) max = this.events[i]!;
    const out = new Float32Array(this.events.length);
    for (let i = 0; i < out.length; i++) out[i] = this.learned[i] ? this.events[i]! : max + 1;
    return out;
  }

  /** Forgetting events per sample (a fresh array), without the never-learned rule. */
  forgettingEvents(): Uint32Array {
    return this.events.slice();
  }

  /** 1 for samples classified correctly at least once. */
  everLearned(): Uint8Array {
    return this.learned.slice();
  }
}

/** `forgetting` (Toneva et al. 2019): number of correct → incorrect transitions; never-learned samples rank highest. */
export const forgetting: Score = {
  name: 'forgetting',
  summary: 'forgetting events: correct -> incorrect transitions across presentations (Toneva et al. 2019)',
  inputs: ['correct'],
  optionNames: [],
  defaults: { epochs: 3, runs: 1 },
  create(datasetSize, options) {
    readOptions('forgetting', [], options);
    return new ForgettingTracker(datasetSize);
  },
};
