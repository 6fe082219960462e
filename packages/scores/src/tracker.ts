import { resolveBatch } from './batch.js';
import { ScoreError, checkInt } from './errors.js';
import { decodeTyped, dtypeOf, encodeTyped, type TypedArray } from './encode.js';
import type { Json, ResolvedBatch, ScoreBatch, ScoreInput, ScoreTracker } from './types.js';

/** Saved form of every tracker built on ArrayTracker. */
export type TrackerState = {
  score: string;
  version: 1;
  datasetSize: number;
  options: { [key: string]: Json };
  /** Base64 little-endian bytes of each per-sample array (and `seen`). */
  arrays: { [name: string]: string };
};

/**
 * Base of the built-in trackers (and a convenient one for plug-ins): per-sample typed arrays, validation of every
 * batch before any state changes, per-sample update counts, and JSON state over all the arrays.
 * Subclasses implement `apply` (fold a validated batch in) and `values`.
 */
export abstract class ArrayTracker implements ScoreTracker {
  readonly datasetSize: number;
  /** Updates received per sample. */
  protected readonly seen: Uint32Array;

  /**
   * @param arrays the per-sample state arrays, each of length datasetSize × (values per sample), e.g. interleaved
   *   fields; `load` restores them in place.
   * @param options the validated options, stored in the state and checked on `load`.
   */
  constructor(
    readonly score: string,
    private readonly inputs: readonly ScoreInput[],
    datasetSize: number,
    private readonly options: { [key: string]: Json },
    protected readonly arrays: Record<string, TypedArray>,
  ) {
    this.datasetSize = checkInt('datasetSize', datasetSize, 1, 2 ** 32 - 1);
    this.seen = new Uint32Array(this.datasetSize);
    for (const [key, a] of Object.entries(arrays)) {
      if (a.length === 0 || a.length % this.datasetSize !== 0) {
        throw new Error(
          `internal: array '${key}' of score '${score}' has length ${a.length}, not a multiple of ${this.datasetSize}`,
        );
      }
    }
  }

  get bytesPerSample(): number {
    return Object.values(this.arrays).reduce(
      (s, a) => s + a.byteLength / this.datasetSize,
      Uint32Array.BYTES_PER_ELEMENT,
    );
  }

  update(batch: ScoreBatch): void {
    const b = resolveBatch(batch, this.inputs, this.datasetSize, this.score);
    this.apply(b);
    const { ids, n } = b;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (this.seen[id]! < 0xffffffff) this.seen[id]!++;
    }
  }

  /** Fold a validated batch in. Called before `seen` is incremented for the batch's ids. Must not throw. */
  protected abstract apply(batch: ResolvedBatch): void;

  abstract values(): Float32Array;

  counts(): Uint32Array {
    return this.seen.slice();
  }

  state(): TrackerState {
    const arrays: { [name: string]: string } = { seen: encodeTyped(this.seen) };
    for (const [key, a] of Object.entries(this.arrays)) arrays[key] = encodeTyped(a);
    return { score: this.score, version: 1, datasetSize: this.datasetSize, options: this.options, arrays };
  }

  load(state: unknown): void {
    const bad = (problem: string) =>
      new ScoreError(
        `cannot load ${this.score} state: ${problem}`,
        `pass a state() saved by a '${this.score}' tracker with the same dataset size and options`,
        'state',
      );
    if (state === null || typeof state !== 'object')
      throw bad(`expected an object, got ${state === null ? 'null' : typeof state}`);
    const s = state as Partial<TrackerState>;
    if (s.score !== this.score) throw bad(`it was saved by score ${JSON.stringify(s.score)}`);
    if (s.version !== 1) throw bad(`unsupported version ${JSON.stringify(s.version)} (expected 1)`);
    if (s.datasetSize !== this.datasetSize)
      throw bad(`it is for ${String(s.datasetSize)} samples, this tracker has ${this.datasetSize}`);
    if (JSON.stringify(s.options) !== JSON.stringify(this.options)) {
      throw bad(`its options ${JSON.stringify(s.options)} differ from this tracker's ${JSON.stringify(this.options)}`);
    }
    if (s.arrays === null || typeof s.arrays !== 'object') throw bad('arrays are missing');
    const targets: Record<string, TypedArray> = { seen: this.seen, ...this.arrays };
    const decoded: [TypedArray, TypedArray][] = [];
    for (const [key, target] of Object.entries(targets)) {
      const text = (s.arrays as Record<string, unknown>)[key];
      const a = typeof text === 'string' ? decodeTyped(text, dtypeOf(target)) : null;
      if (!a || a.length !== target.length)
        throw bad(`array '${key}' is missing or not ${target.length} ${dtypeOf(target)} values`);
      decoded.push([target, a]);
      const problem = this.checkLoaded(key, a);
      if (problem) throw bad(problem);
    }
    // Everything decoded: only now overwrite (a bad state changes nothing).
    for (const [target, a] of decoded) target.set(a);
  }

  /**
   * A problem with a decoded state array, or undefined if it is fine. Default: float arrays hold finite values only
   * (what `values()` promises); a tracker that stores a marker such as NaN overrides this.
   */
  protected checkLoaded(key: string, a: TypedArray): string | undefined {
    if (!(a instanceof Float32Array || a instanceof Float64Array)) return undefined;
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i]!))
        return `array '${key}' holds ${a[i]} at index ${i}: expected finite values (a damaged state?)`;
    return undefined;
  }
}

/**
 * A tracker keeping the latest value of a per-row quantity for each sample (loss, EL2N, GraNd, margin, ...).
 * `compute(batch, row)` returns the row's score from the validated batch; samples never updated score 0.
 */
export class LastValueTracker extends ArrayTracker {
  private readonly last: Float32Array;

  constructor(
    score: string,
    inputs: readonly ScoreInput[],
    datasetSize: number,
    options: { [key: string]: Json },
    private readonly compute: (batch: ResolvedBatch, row: number) => number,
  ) {
    const size = checkInt('datasetSize', datasetSize, 1, 2 ** 32 - 1);
    const last = new Float32Array(size);
    super(score, inputs, size, options, { last });
    this.last = last;
  }

  protected apply(b: ResolvedBatch): void {
    for (let i = 0; i < b.n; i++) this.last[b.ids[i]!] = this.compute(b, i);
  }

  values(): Float32Array {
    return this.last.slice();
  }
}
