import type { RunConfig } from '../config/config.js';
import type { EvaluatedOn } from './data.js';

/** What `trainSteps` says for epochs trained before log.jsonl recorded the step (2026-12-07). */
export const UNKNOWN_TRAIN_STEP = 'unknown';

/** What a finished run reports (result.json, one line of a bench results file). */
export interface RunSummary {
  key: string;
  config: RunConfig;
  runDir: string;
  finalAccuracy: number;
  finalTop5?: number;
  /**
   * What finalAccuracy and the epochs' testAccuracy were measured on: the test set, or the validation split carved from
   * the training set (config.valSplit > 0); absent in results recorded before 2026-12-06 (the test set).
   */
  evaluatedOn?: EvaluatedOn;
  /** Samples in the evaluation set (test subset or validation split). */
  evaluationSamples?: number;
  /** Seconds of training cost: training + data + selection + scoring (everything but evaluation). */
  trainingSeconds: number;
  /** Extra scoring cost charged to the method (e.g. a static score file's scoring time). */
  scoringSeconds: number;
  evalSeconds: number;
  samplesTrained: number;
  /** Samples trained / (epochs * N): the fraction of full-data work actually done. */
  trainedFraction: number;
  epochs: {
    epoch: number;
    samples: number;
    trainLoss: number;
    trainAccuracy: number;
    testAccuracy?: number;
    trainingSeconds: number;
    selectionHash: string;
  }[];
  selection: { flippedShare: number; histogram: number[] };
  backend: string;
  /**
   * The CPUs the run trained on (formatCpu: model, cores, extensions, oneDNN state), one per distinct host of its start
   * and resume records; absent in results recorded before 2026-12-06.
   */
  cpus?: string[];
  /**
   * The training steps the run trained with ('compiled', 'eager'; two when resumed across them), from its start and
   * resume records; 'unknown' for epochs trained before the records named the step (2026-12-07), and absent in
   * results recorded before that day. A performance setting: not part of the run's key.
   */
  trainSteps?: string[];
  finishedAt: string;
}
