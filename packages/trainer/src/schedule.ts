/**
 * Learning-rate schedules defined on training progress p in [0, 1], not on step counts, so they stay correct when
 * pruning changes the number of steps per epoch. The trainer measures progress in epochs before each step:
 * p = (epoch + step / steps) / epochs, so the first step of a run with warm-up has p = 0 (learning rate 0: its
 * gradient only fills the momentum buffer) and the last has p just below 1.
 */
import { TrainError } from './errors.js';

export type ScheduleName = 'constant' | 'cosine' | 'step' | 'linear' | 'onecycle';

export interface ScheduleConfig {
  name: ScheduleName;
  /** Peak learning rate. */
  lr: number;
  /** Fraction of progress spent in linear warm-up from 0 (default 0). */
  warmup?: number;
  /** For 'step': progress points where the rate is multiplied by `gamma` (default [0.5, 0.75]). */
  milestones?: number[];
  gamma?: number;
}

export const SCHEDULES: readonly ScheduleName[] = ['constant', 'cosine', 'step', 'linear', 'onecycle'];

/** Throw a TrainError naming the field unless `s` is a schedule learningRate() can follow. */
export function checkSchedule(s: ScheduleConfig): void {
  const bad = (field: string, value: unknown, allowed: string) =>
    new TrainError(
      `schedule.${field} = ${JSON.stringify(value) ?? String(value)} is invalid: expected ${allowed}`,
      `pass schedule.${field} as ${allowed}`,
    );
  if (!SCHEDULES.includes(s.name)) throw bad('name', s.name, `one of ${SCHEDULES.join(', ')}`);
  if (!(s.lr > 0) || !Number.isFinite(s.lr)) throw bad('lr', s.lr, 'a finite number > 0');
  if (s.warmup !== undefined && !(s.warmup >= 0 && s.warmup < 1))
    throw bad('warmup', s.warmup, 'a fraction of training in [0, 1)');
  if (s.gamma !== undefined && !(s.gamma > 0 && s.gamma <= 1)) throw bad('gamma', s.gamma, 'a number in (0, 1]');
  if (s.milestones !== undefined) {
    const ok =
      Array.isArray(s.milestones) &&
      s.milestones.every((m, i) => m > 0 && m < 1 && (i === 0 || m > s.milestones![i - 1]!));
    if (!ok)
      throw bad('milestones', s.milestones, 'ascending fractions of training in (0, 1), e.g. [0.5, 0.75] (not epochs)');
  }
}

/** Learning rate at progress p in [0, 1]. */
export function learningRate(s: ScheduleConfig, p: number): number {
  const progress = Math.min(Math.max(p, 0), 1);
  if (s.name === 'onecycle') {
    // Smith & Topin 2019 (PyTorch OneCycleLR defaults): cosine from lr/25 up to lr over the first 30% (or `warmup`),
    // then cosine down to lr/(25 * 1e4).
    const peak = s.warmup ?? 0.3;
    const start = s.lr / 25;
    const end = start / 1e4;
    if (progress < peak) return start + ((s.lr - start) * (1 - Math.cos((Math.PI * progress) / peak))) / 2;
    return end + ((s.lr - end) * (1 + Math.cos((Math.PI * (progress - peak)) / (1 - peak)))) / 2;
  }
  const warmup = s.warmup ?? 0;
  if (warmup > 0 && progress < warmup) return (s.lr * progress) / warmup;
  const q = warmup >= 1 ? 1 : (progress - warmup) / (1 - warmup);
  switch (s.name) {
    case 'constant':
      return s.lr;
    case 'cosine':
      return 0.5 * s.lr * (1 + Math.cos(Math.PI * q));
    case 'linear':
      return s.lr * (1 - q);
    case 'step': {
      const gamma = s.gamma ?? 0.1;
      const passed = (s.milestones ?? [0.5, 0.75]).filter((m) => progress >= m).length;
      return s.lr * gamma ** passed;
    }
  }
}
