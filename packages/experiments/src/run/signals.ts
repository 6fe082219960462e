import { readCheckpoint } from '@dp/trainer';
import { ExperimentError } from '../errors.js';

/**
 * Thrown from the trainer's hooks after Ctrl-C / SIGTERM: training stops at the next batch; during an epoch's
 * evaluation, inside it when the epoch would not be checkpointed anyway, else after its checkpoint (so the trained
 * epoch is kept).
 */
export class Interrupted extends Error {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly steps: number,
    readonly where: 'training' | 'evaluation' | 'end of epoch' = 'training',
  ) {
    super('interrupted');
  }
}

/**
 * Ctrl-C / SIGTERM while a run trains: the first signal is recorded (`signal()` names it; the hooks stop at the next
 * batch, never inside a checkpoint write), a second exits at once with 130. `listen: false` installs nothing (a
 * library caller that handles signals itself).
 */
export class SignalWatch {
  private received: string | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.received) process.exit(130);
    this.received = signal;
  };

  constructor(private readonly listen: boolean) {
    if (listen) {
      process.on('SIGINT', this.onSignal);
      process.on('SIGTERM', this.onSignal);
    }
  }

  /** The signal received, if any. */
  signal(): string | undefined {
    return this.received;
  }

  stop(): void {
    if (!this.listen) return;
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/** The error of a run stopped by a signal: where it stopped and how to continue (exit code 130). */
export function interruptedError(
  e: Interrupted,
  signal: string | undefined,
  runDir: string,
  epochs: number,
): ExperimentError {
  const kept = readCheckpoint(runDir);
  const where = {
    training: `in epoch ${e.epoch + 1}/${epochs}, step ${e.step}/${e.steps}`,
    evaluation: `in epoch ${e.epoch + 1}/${epochs}, during its test evaluation`,
    'end of epoch': `at the end of epoch ${e.epoch + 1}/${epochs} (its test evaluation was left to finish so the epoch could be checkpointed)`,
  }[e.where];
  return new ExperimentError(
    `interrupted (${signal}) ${where}; ` +
      (kept
        ? `the last checkpoint (epoch ${kept.epoch + 1}) is in ${runDir}; fix: continue with \`dp train --resume ${runDir}\` (dp bench / dp compare --resume: rerun the same command)`
        : 'no checkpoint was written yet; fix: run the same command again to start the run over'),
    130,
  );
}
