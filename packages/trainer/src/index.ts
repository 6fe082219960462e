export { train } from './trainer.js';
export type { BatchProgress, Costs, EpochReport, TrainArgs, TrainHooks, TrainOptions, TrainResult } from './trainer.js';
export { evaluate } from './evaluate.js';
export type { EvalResult } from './evaluate.js';
export { InputConverter } from './input.js';
export { learningRate, SCHEDULES } from './schedule.js';
export type { ScheduleConfig, ScheduleName } from './schedule.js';
export { TrainError } from './errors.js';
