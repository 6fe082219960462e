import type { ImageDataset } from '@dp/data';
import { buildModel } from '@dp/models';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainOptions } from '@dp/trainer';
import type { RunConfig } from './config.js';

/**
 * How a run config builds its model and trains it: shared by `dp train` / `bench` / `compare` (run.ts) and the
 * scoring runs of `dp score`, so a score file is made by the same recipe as the runs it is compared with.
 */
export function buildRunModel(cfg: RunConfig, data: ImageDataset): LayersModel {
  return buildModel(cfg.model, {
    inputShape: data.shape,
    numClasses: data.numClasses,
    seed: cfg.seed,
    ...(cfg.batchNorm === 'auto' ? {} : { batchNorm: cfg.batchNorm }),
  });
}

/** The optimisation part of the trainer's options (`epochs` overrides the config's, for short scoring runs). */
export function trainingOptions(cfg: RunConfig, epochs = cfg.epochs): TrainOptions {
  return {
    epochs,
    batchSize: cfg.batchSize,
    schedule: { name: cfg.schedule, lr: cfg.lr, warmup: cfg.warmup },
    momentum: cfg.momentum,
    nesterov: cfg.nesterov,
    weightDecay: cfg.weightDecay,
    labelSmoothing: cfg.labelSmoothing,
    trainStep: cfg.trainStep,
  };
}
