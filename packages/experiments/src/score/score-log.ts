import { formatDuration } from '../format.js';

/**
 * One line on stdout per finished training epoch and scoring pass, with the time it took and an ETA for the whole
 * scoring, so a log that is not a terminal (nohup, CI) shows progress too: scoring CIFAR-10 for a static run takes
 * tens of minutes. Epochs and passes are priced apart (an EL2N pass is a cheap forward pass, a GraNd pass computes
 * per-sample gradients), so the ETA waits until both kinds it still needs have been timed once. Off a terminal a
 * pass also reports every tenth of its batches, since GraNd at initialisation is one long pass.
 */
export class ScoreLog {
  private readonly left = { epoch: 0, pass: 0 };
  private readonly seconds = { epoch: 0, pass: 0 };
  private readonly count = { epoch: 0, pass: 0 };
  private last: number;

  constructor(
    runs: number,
    epochs: number,
    pass: boolean,
    started: number,
    /** Where each line goes (the library prints nothing itself). */
    private readonly out: (line: string) => void,
    /** Whether a progress bar shows each pass's batches (then passProgress is silent). */
    private readonly tty = false,
  ) {
    this.left = { epoch: runs * epochs, pass: pass ? runs : 0 };
    this.last = started;
  }

  /** A training epoch or scoring pass finished; `what` names it ("run 1/2 · epoch 1/3"). */
  step(kind: 'epoch' | 'pass', what: string, now = performance.now()): void {
    const took = (now - this.last) / 1000;
    this.last = now;
    this.left[kind]--;
    this.seconds[kind] += took;
    this.count[kind]++;
    const done = this.count.epoch + this.count.pass;
    const total = done + this.left.epoch + this.left.pass;
    let eta = 0;
    let known = true;
    for (const k of ['epoch', 'pass'] as const) {
      if (this.left[k] === 0) continue;
      if (this.count[k] === 0) known = false;
      else eta += (this.seconds[k] / this.count[k]) * this.left[k];
    }
    const tail = done < total && known ? ` · ETA ${formatDuration(eta)}` : '';
    this.out(`${what} · ${formatDuration(took)} · ${done}/${total} done${tail}\n`);
  }

  /** Batch `k` of a pass's `n` finished: off a terminal, a line at each tenth (on one, the progress bar shows it). */
  passProgress(what: string, k: number, n: number): void {
    if (this.tty || n < 10 || Math.floor((10 * k) / n) === Math.floor((10 * (k - 1)) / n) || k === n) return;
    this.out(`${what} · ${Math.floor((10 * k) / n) * 10}%\n`);
  }
}
