/** JSON-serialisable value (what `state()` returns). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The per-batch quantities a score may read. All come from the training step itself (no extra forward pass):
 * - `logits`: row-major [n, numClasses] pre-softmax outputs; needs `numClasses`.
 * - `labels`: integer class per row, in [0, numClasses).
 * - `losses`: per-sample training loss (derived from logits + labels as softmax cross-entropy when absent).
 * - `batchLoss`: the batch's mean loss, the only number `model.fit` users see (derived from `losses` when absent).
 * - `correct`: 1 when the row was classified correctly (derived from logits + labels when absent: argmax, first max wins).
 * - `gradNorms`: per-sample ‖∇θ loss‖₂ (from `perSampleGradNorms` in `@dp/scores/tfjs`).
 * - `featureSqNorms`: per-sample ‖h‖² of the input h of the final dense layer (from `@dp/scores/tfjs`).
 */
export type ScoreInput = 'logits' | 'labels' | 'losses' | 'batchLoss' | 'correct' | 'gradNorms' | 'featureSqNorms';

export const SCORE_INPUTS: readonly ScoreInput[] = [
  'logits',
  'labels',
  'losses',
  'batchLoss',
  'correct',
  'gradNorms',
  'featureSqNorms',
];

/** One training batch, as the training step computed it. Rows are aligned with `ids`. */
export interface ScoreBatch {
  /** Sample ids in [0, datasetSize), one per row. */
  ids: Uint32Array | ArrayLike<number>;
  logits?: Float32Array | ArrayLike<number>;
  numClasses?: number;
  labels?: Int32Array | Uint8Array | Uint16Array | ArrayLike<number>;
  losses?: Float32Array | ArrayLike<number>;
  batchLoss?: number;
  correct?: Uint8Array | ArrayLike<number>;
  gradNorms?: Float32Array | ArrayLike<number>;
  featureSqNorms?: Float32Array | ArrayLike<number>;
  /** Epoch the batch belongs to (0-based); informational, validated when given. */
  epoch?: number;
}

/**
 * A validated batch: every input the score declared is present, finite and of the right length
 * (derived ones computed once). Fields the score did not declare may be absent.
 */
export interface ResolvedBatch {
  readonly n: number;
  readonly ids: ArrayLike<number>;
  readonly numClasses: number;
  readonly logits?: ArrayLike<number>;
  readonly labels?: ArrayLike<number>;
  readonly losses?: ArrayLike<number>;
  readonly batchLoss?: number;
  readonly correct?: ArrayLike<number>;
  readonly gradNorms?: ArrayLike<number>;
  readonly featureSqNorms?: ArrayLike<number>;
  readonly epoch?: number;
}

/** The running per-sample statistics of one score over one dataset. */
export interface ScoreTracker {
  /** Name of the score that created it. */
  readonly score: string;
  readonly datasetSize: number;
  /** Bytes of per-sample state kept. */
  readonly bytesPerSample: number;
  /** Fold one batch in. Validates everything before changing any state: a bad batch changes nothing. */
  update(batch: ScoreBatch): void;
  /** One finite score per sample (a fresh array); higher = more important. */
  values(): Float32Array;
  /** How many times each sample was updated (a fresh array). */
  counts(): Uint32Array;
  /** JSON-serialisable state; `load` on a tracker of the same score, size and options restores it exactly. */
  state(): Json;
  load(state: unknown): void;
}

/** A per-sample importance score: one per file, registered by name. Implement this to write a plug-in. */
/** How a static score is made by default: training epochs before scoring and independent runs averaged. */
export interface ScoreDefaults {
  epochs: number;
  runs: number;
}

/** The defaults of a score that declares none. */
export const DEFAULT_SCORE_DEFAULTS: Readonly<ScoreDefaults> = Object.freeze({ epochs: 2, runs: 1 });

export interface Score {
  /** Registry name, lower-case kebab (`[a-z][a-z0-9-]*`). */
  readonly name: string;
  /** One-line summary for listings. */
  readonly summary: string;
  /** What `update` needs (see ScoreInput; derivable inputs may be given by their sources). */
  readonly inputs: readonly ScoreInput[];
  /** Names of the options `create` accepts. */
  readonly optionNames: readonly string[];
  /**
   * The scoring protocol an application uses by default, as data: training epochs before scoring (0 = at
   * initialisation) and independent runs averaged (default DEFAULT_SCORE_DEFAULTS: 2 epochs, 1 run).
   */
  readonly defaults?: Readonly<ScoreDefaults>;
  /** Validates `datasetSize` and `options` (ScoreError naming the field) and returns a fresh tracker. */
  create(datasetSize: number, options?: Record<string, unknown>): ScoreTracker;
}
