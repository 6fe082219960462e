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

/** Why a run stopped: this process's signal, and in a data-parallel run the workers that asked (agreed by all). */
export interface StopReason {
  signal: string | undefined;
  /** Data-parallel: the ranks that asked to stop (the trainer's `stopping`) and the number of workers. */
  parallel?: { askedBy: readonly number[]; worldSize: number };
}

/** The reason as the error says it: `SIGINT`, or `SIGINT; stop asked by worker 1 of 2, agreed by every worker`. */
export function describeStop({ signal, parallel }: StopReason): string {
  if (!parallel) return String(signal);
  const { askedBy, worldSize } = parallel;
  const who = `worker${askedBy.length > 1 ? 's' : ''} ${askedBy.join(', ')} of ${worldSize}`;
  return `${signal ? `${signal}; ` : ''}stop asked by ${who}, agreed by every worker: all stop at this same point`;
}

/** The error of a run stopped by a signal: where it stopped and how to continue (exit code 130). */
export function interruptedError(e: Interrupted, reason: StopReason, runDir: string, epochs: number): ExperimentError {
  const kept = readCheckpoint(runDir);
  const where = {
    training: `in epoch ${e.epoch + 1}/${epochs}, step ${e.step}/${e.steps}`,
    evaluation: `in epoch ${e.epoch + 1}/${epochs}, during its test evaluation`,
    'end of epoch': `at the end of epoch ${e.epoch + 1}/${epochs}${kept?.epoch === e.epoch ? ' (its test evaluation was left to finish so the epoch could be checkpointed)' : ''}`,
  }[e.where];
  const resume = reason.parallel
    ? `\`dp launch --workers ${reason.parallel.worldSize} -- dp train --resume ${runDir}\` (on several machines: \`dp train --resume ${runDir}\` on every worker, with the same TF_CONFIG)`
    : `\`dp train --resume ${runDir}\` (dp bench / dp compare --resume: rerun the same command)`;
  return new ExperimentError(
    `interrupted (${describeStop(reason)}) ${where}; ` +
      (kept
        ? `the last checkpoint (epoch ${kept.epoch + 1}) is in ${runDir}; fix: continue with ${resume}`
        : 'no checkpoint was written yet; fix: run the same command again to start the run over'),
    130,
  );
}
