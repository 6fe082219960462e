// Core entry: pure TypeScript over typed arrays; no tfjs, no Node built-ins at import time.
export type { Json, ResolvedBatch, Score, ScoreBatch, ScoreDefaults, ScoreInput, ScoreTracker } from './types.js';
export { DEFAULT_SCORE_DEFAULTS, SCORE_INPUTS } from './types.js';
export { DpError, isDpError, ScoreError } from './errors.js';
export { MAX_CLASSES, MAX_MAGNITUDE, resolveBatch } from './batch.js';
export { ArrayTracker, LastValueTracker } from './tracker.js';
export type { TrackerState } from './tracker.js';
export { readOptions } from './options.js';
export { validateScore } from './validate.js';
export {
  BUILTIN_SCORES,
  createScoreTracker,
  getScore,
  registerScore,
  scoreNames,
  unregisterScore,
} from './registry.js';
export { loadScorePlugin } from './plugin.js';
export type { LoadPluginOptions } from './plugin.js';
export { argMax, crossEntropy, logSumExp, softmaxErrorSq } from './softmax.js';
// The loss EMA maths lives in @dp/policies (one implementation for scores and policies); re-exported here.
export { createLossEma, emaMeans, emaVariances, isObserved, updateLossEma } from '@dp/policies';
export type { LossEma } from '@dp/policies';
export { EmaTracker } from './scores/loss-ema.js';
export type { EmaOptions } from './scores/ema-options.js';
export { ForgettingTracker } from './scores/forgetting.js';
export { batchLoss, el2n, forgetting, grand, grandLastLayer, loss, lossEma } from './builtins.js';
export { averageScores } from './average.js';
export { datasetFingerprint, pixelFingerprint } from './fingerprint.js';
export { sha256Hex } from './sha256.js';
export { SCORE_FILE_MAGIC, SCORE_FILE_VERSION, decodeScoreFile, encodeScoreFile } from './score-file.js';
export type { ScoreFile, ScoreFileExpect, ScoreFileHeader, ScoreFileHeaderInput, ScoreProtocol } from './score-file.js';
export type { FileSystem, WriteOptions } from '@dp/internal/atomic-write';
