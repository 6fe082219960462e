export { train } from './trainer.js';
export { checkCheckpointFits, checkResume } from './run-state.js';
export type { ResumeTarget } from './run-state.js';
export type {
  BatchProgress,
  StepSamples,
  CheckpointOptions,
  Costs,
  EpochInfo,
  EpochReport,
  TrainArgs,
  TrainHooks,
  TrainOptions,
  TrainResult,
} from './trainer.js';
export { evaluate, inferenceForward, resolveInference, INFERENCE_KINDS } from './evaluate.js';
export type { EvalResult, EvaluateOptions, InferenceForward, InferenceKind } from './evaluate.js';
export { InputConverter } from './input.js';
export { TRAIN_STEP_KINDS } from './train-step.js';
export type { TrainStepKind, TrainStepUsed } from './train-step.js';
export { checkSchedule, learningRate, SCHEDULES } from './schedule.js';
export type { ScheduleConfig, ScheduleName } from './schedule.js';
export { DpError, isDpError, TrainError } from './errors.js';
export { readCheckpoint, removeStaleCheckpoint, writeCheckpoint } from './checkpoint.js';
export type { CheckpointData, NamedArray, WriteHooks } from './checkpoint.js';
export { SelectionStats, selectionHash } from './selection-stats.js';
export { CPU_EXTENSIONS, describeCpu, formatCpu, oneDnnAdvice, oneDnnSafe, oneDnnState } from './cpu.js';
export {
  ONEDNN_SHAPE_TWINS,
  ONEDNN_TESTED_MODELS,
  oneDnnDecision,
  oneDnnModel,
  oneDnnDefault,
} from './onednn-default.js';
export type { OneDnnDecision } from './onednn-default.js';
export type { CpuInfo, OneDnnState } from './cpu.js';
export {
  appendFileDurable,
  FileWriteError,
  fsyncDir,
  nodeFileSystem,
  writeFileAtomic,
  writeFileDurable,
  writeFileSynced,
  writeFully,
} from './durable.js';
export type { FileContent, FileSystem, WriteFn, WriteOptions } from './durable.js';
export { evaluateSharded, shardByPosition, workerBatchSize } from './data-parallel.js';
export type { DataParallel } from './data-parallel.js';
