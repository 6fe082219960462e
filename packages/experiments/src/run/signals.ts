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

/** What the watch needs of a data-parallel run: its size, and a way to abort its pending collectives. */
export interface WatchedCluster {
  readonly rank: number;
  readonly worldSize: number;
  abort?(reason: string): void;
}

export interface SignalWatchOptions {
  /** The run directory, named in the messages. */
  runDir: string;
  /** Where the watch's messages go (default: standard error, one line each). */
  say?: (line: string) => void;
  /** How the process ends after a signal that stops it at once (default process.exit). */
  exit?: (code: number) => void;
  /**
   * Called before such an exit, e.g. @dp/distributed's abortCollectives (a cluster join still pending, which
   * `joined` cannot reach yet: a pending collective would keep the process from exiting).
   */
  abort?: (reason: string) => void;
}

/**
 * Ctrl-C / SIGTERM over a run's whole life, as a user expects it:
 * - before training (loading data, joining the cluster, building the model; the run directory not yet changed): the
 *   process stops at once, exit 130, saying that nothing was written. Nothing is lost, so nothing waits;
 * - during training, the first signal is recorded (`signal()` names it): the run stops after the current step (in a
 *   data-parallel run, every worker after the same step: the trainer's StopAgreement), keeping the last checkpoint;
 * - a second signal during training stops at once (exit 130): a data-parallel worker aborts its pending collectives
 *   rather than wait for the others to agree (its peers stop on the same forwarded signal, or find it down within
 *   their health-check bound). Checkpoints are written synchronously and renamed into place whole, so a signal,
 *   handled between two JavaScript tasks, never leaves one half-written: the last checkpoint stays intact.
 * `listen: false` installs nothing (a library caller that handles signals itself).
 */
export class SignalWatch {
  private received: string | undefined;
  private stage = 'starting';
  private training = false;
  private cluster: WatchedCluster | undefined;
  private readonly say: (line: string) => void;
  private readonly exit: (code: number) => void;
  private readonly onSignal = (signal: NodeJS.Signals) => this.handle(signal);

  constructor(
    private readonly listen: boolean,
    private readonly options: SignalWatchOptions,
  ) {
    this.say = options.say ?? ((line) => process.stderr.write(`${line}\n`));
    this.exit = options.exit ?? ((code) => process.exit(code));
    if (listen) {
      process.on('SIGINT', this.onSignal);
      process.on('SIGTERM', this.onSignal);
    }
  }

  /** What the process is doing before training (named if a signal stops it there), e.g. 'loading the data'. */
  during(stage: string): void {
    this.stage = stage;
  }

  /** The run's cluster, once joined: a signal that stops at once aborts its pending collectives first. */
  joined(cluster: WatchedCluster | undefined): void {
    this.cluster = cluster && cluster.worldSize > 1 ? cluster : undefined;
  }

  /** Training starts (call right before the run directory changes): from now on a first signal stops gracefully. */
  startTraining(): void {
    this.training = true;
  }

  /** A signal (the process's handler; exposed for tests). */
  handle(signal: string): void {
    const { runDir } = this.options;
    const who = this.cluster ? ` (worker ${this.cluster.rank} of ${this.cluster.worldSize})` : '';
    if (!this.training) {
      this.stopAtOnce(
        `interrupted (${signal}) before training started${who}, while ${this.stage}: ${runDir} was not changed; ` +
          'fix: run the same command again',
      );
      return;
    }
    if (this.received === undefined) {
      this.received = signal;
      this.say(
        `dp: ${signal}: stopping after the current step${this.cluster ? ', with every worker' : ''}, keeping the last checkpoint; ` +
          'press Ctrl-C again to stop at once',
      );
      return;
    }
    const kept = lastCheckpointEpoch(runDir);
    const parallel = this.cluster ? { worldSize: this.cluster.worldSize } : undefined;
    this.stopAtOnce(
      `interrupted again (${signal})${who}: stopped at once${this.cluster ? ', without waiting for the other workers to agree' : ''}; ` +
        (kept !== undefined
          ? `the last checkpoint (epoch ${kept + 1}) in ${runDir} is intact; fix: continue with ${resumeCommand(runDir, parallel)}`
          : 'no checkpoint was written yet; fix: run the same command again to start the run over'),
    );
  }

  private stopAtOnce(message: string): void {
    for (const abort of [this.options.abort, this.cluster?.abort?.bind(this.cluster)]) {
      try {
        abort?.(message);
      } catch {
        // already aborted
      }
    }
    this.say(`dp: error: ${message}`);
    this.exit(130);
  }

  /** The signal received during training, if any. */
  signal(): string | undefined {
    return this.received;
  }

  stop(): void {
    if (!this.listen) return;
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/** The epoch of the run directory's last checkpoint, or undefined (none, or unreadable: said as none). */
function lastCheckpointEpoch(runDir: string): number | undefined {
  try {
    return readCheckpoint(runDir)?.epoch;
  } catch {
    return undefined;
  }
}

/** How to continue a stopped run: the same command with --resume (data-parallel: with the same workers). */
export function resumeCommand(runDir: string, parallel: { worldSize: number } | undefined): string {
  return parallel
    ? `\`dp launch --workers ${parallel.worldSize} -- dp train --resume ${runDir}\` (on several machines: \`dp train --resume ${runDir}\` on every worker, with the same TF_CONFIG)`
    : `\`dp train --resume ${runDir}\` (dp bench / dp compare --resume: rerun the same command)`;
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
  const resume = resumeCommand(runDir, reason.parallel);
  return new ExperimentError(
    `interrupted (${describeStop(reason)}) ${where}; ` +
      (kept
        ? `the last checkpoint (epoch ${kept.epoch + 1}) is in ${runDir}; fix: continue with ${resume}`
        : 'no checkpoint was written yet; fix: run the same command again to start the run over'),
    130,
  );
}
