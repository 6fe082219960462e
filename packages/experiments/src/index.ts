// The experiment layer: run config (one field table), runs and their directories, sweeps and their pricing, static
// scoring, results files and their summaries and statistics. The library prints nothing: progress and warnings go to
// callbacks.
export { ExperimentError } from './errors.js';
export { loadBackend, setupCommand, type BackendInfo, type BackendOptions, type TfNodeApi } from './backend.js';
export { appendFileExplained, checkOutputPath, describeFsError, writeFileAtomic, writeJsonAtomic } from './fs.js';
export { fileStamp, formatDuration, runEta } from './format.js';
export { closest } from './command-line/closest.js';
export { flagString, parseFlags, type ParsedFlags } from './command-line/parse-flags.js';
export { errorLine, explainError, isUserError } from './command-line/user-error.js';
export { num } from './num.js';

export {
  FIELD,
  FIELDS,
  allowedText,
  ONECYCLE_WARMUP_DEFAULT,
  WARMUP_DEFAULT,
  type FieldSpec,
  type Range,
} from './config/fields.js';
export {
  DEFAULTS,
  IMAGE_FOLDER_DATASETS,
  NOT_FINGERPRINTED,
  fingerprint,
  flagOf,
  readConfigFile,
  resolveAugment,
  sameSetup,
  showValue,
  validateRunConfig,
  type RunConfig,
} from './config/config.js';
export {
  RUN_FLAGS,
  backendFlags,
  configFromFlags,
  defaultRunDir,
  rejectRunFlags,
  runFlagsHelp,
  type FlagSpec,
} from './config/flags.js';
export { EQUAL_STEPS, describeMethod, equalStepsEpochs, methodTag, type EqualStepsOf } from './config/equal-steps.js';
export { AUTO_POLICY, RECOMMENDED_PRUNE_RATIO, autoPolicyNote, resolveAuto } from './config/auto-policy.js';
export {
  consumesScoreFile,
  fullDataMethod,
  isBaseline,
  knownMethod,
  methodInfo,
  methodNames,
  recommendedMethod,
  roleOf,
  uniformMethod,
  type MethodInfo,
  type MethodRole,
} from './config/methods.js';
export { diagnose, type Diagnosis, type DiagnosisCheck } from './doctor/diagnose.js';
export { ScoreLog } from './score/score-log.js';
export { sweepStatusText } from './sweep/status-text.js';
export { exampleMethods, exampleScores, scoreDefaultsText } from './config/examples.js';
export { buildRunModel, trainingOptions } from './config/recipe.js';

export {
  checkSubsetSize,
  checkValSplit,
  loadData,
  runSplits,
  subset,
  type EvaluatedOn,
  type LoadCallbacks,
} from './run/data.js';
export { compactLog, writeEpochScalars, type LogRecord, type ScalarWriter } from './run/log.js';
export { checkMethod, checkSweepOptions, optionsFor, planRun, prunerError } from './run/plan.js';
export { parseResultsLine, validateRunSummary } from './run/results-line.js';
export {
  checkResumedData,
  checkSameConfig,
  guardRunDir,
  logSegments,
  resumeDataDir,
  runCpus,
  runTrainSteps,
  startRecord,
  startRecords,
  type LogSegment,
  type StartRecord,
} from './run/run-dir.js';
export { executeRun, type RunCallbacks, type RunOptions } from './run/run.js';
export { SignalWatch, type SignalWatchOptions, type WatchedCluster } from './run/signals.js';
export { resumeNote, trainTarget, type TrainTarget } from './run/train-target.js';
export { UNKNOWN_TRAIN_STEP, type RunSummary } from './run/summary.js';

export { list, ratioItem, seedItem } from './sweep/lists.js';
export { DEFAULT_SWEEP_METHODS, planComparison, planSweep, type SweepSpec } from './sweep/plan.js';
export {
  COMPARE_DEFAULTS,
  COMPARE_PROTOCOLS,
  compareConfig,
  compareDefaults,
  compareProtocolsText,
  DEFAULT_COMPARE_METHODS,
  DEFAULT_COMPARE_RATIOS,
  DEFAULT_COMPARE_SEEDS,
} from './sweep/main-job.js';
export { appendResult, endsMidLine, readResultsFile, runName } from './sweep/results-file.js';
export { runSweep, sweepStatus, type SweepCallbacks, type SweepOptions, type SweepStatus } from './sweep/run-sweep.js';
export { STRETCH_GAP_MINUTES, expectedWork, latestStretch, sweepEta } from './sweep/time-model.js';
export { fitsBefore, formatDeadline, parseUntil, sweepDeadline } from './sweep/until.js';
export { comparisonDir, comparisonRunName, runComparison, type ComparisonOptions } from './sweep/run-comparison.js';

export {
  NOT_SCORING_FLAGS,
  defaultScoreFile,
  loadScorePlugins,
  scoreDataset,
  scoreMethod,
  scoringProtocol,
  trainingTime,
  type ScoringCallbacks,
} from './score/protocol.js';

export { collectRuns, defaultReportDir, machineSpeedWarning } from './report/collect.js';
export { cpuCounts, cpuNote } from './report/cpus.js';
export { trainStepNote } from './report/train-steps.js';
export {
  MACHINE_KEY,
  MACHINE_TOLERANCE,
  evalSecondsPerPass,
  groupMachineSpeed,
  relativeMachineSpeed,
} from './report/machine.js';
export { effectiveOptions } from './report/options.js';
export { pairedDifference, seedsToResolve, type PairedDifference } from './report/paired.js';
export {
  PAIRED_KEY,
  TARGET_PP,
  formatDifference,
  type DifferenceStyle,
  pairedResolution,
  pairedRows,
  pairedSection,
  type PairedRow,
} from './report/paired-table.js';
export { ratioTableKey, ratioTables } from './report/pivot.js';
export { SPREAD_KEY, methodSpread, spreadTable } from './report/spread.js';
export {
  asMethodRun,
  comparisonTable,
  isFullData,
  machineSpeedRange,
  markdownTable,
  meanStd,
  methodLabel,
  methodName,
  prunes,
  settingName,
  summarize,
  summaryTable,
  type MethodSummary,
  type TableOptions,
} from './report/summarize.js';
export { Z975, tQuantile975 } from './report/t-quantile.js';
export { plots, writeReport } from './report/write.js';

export {
  checkCostModel,
  costModelKey,
  methodPrice,
  priceConstants,
  pricedRunCost,
  readCostModel,
  type CostModel,
  type CostProtocol,
  type Measured,
  type MethodCost,
} from './cost/cost-model.js';
export { FREE_METHOD, priceEpochs, type MethodPrice, type PriceConstants } from './cost/price.js';
export { methodSpecs, timePolicies, type MethodSpec, type PolicyProtocol } from './cost/policy-cost.js';
export { probeCost, probeEpochSizes, type ProbeOptions } from './cost/probe.js';
