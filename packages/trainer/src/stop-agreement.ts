/**
 * Stopping a data-parallel run together. A stop request (Ctrl-C / SIGTERM) reaches each worker at its own moment; if
 * each acted on its own, they would leave at different steps and the ones left waiting in a collective would fail
 * with "worker r is down". Instead each worker's local request travels as one flag with a collective every worker
 * makes anyway: the step's all-gather of samples (one more float64 per worker) and, at the end of every epoch, one
 * all-gather of a single int32. Every worker receives the same gathered flags, so all learn of a request after the
 * same step (or at the same epoch end) and can all stop there: rank 0's last checkpoint is then the state every
 * worker had, and a resume with the same world size makes the uninterrupted run's selections.
 */
import type { DataParallel } from './data-parallel.js';

export class StopAgreement {
  private ranks: number[] | undefined;

  /** `local`: whether this worker has been asked to stop (read before each collective that carries it). */
  constructor(private readonly local: (() => boolean) | undefined) {}

  /** This worker's request now, as the flag a collective carries (1 = stop). */
  flag(): number {
    return this.local?.() ? 1 : 0;
  }

  /**
   * Records the ranks whose flag is set in a gathered payload: `worldSize` blocks of `block` values, each block's
   * flag at offset `at`.
   */
  observe(gathered: Float64Array | Int32Array, block: number, at: number, worldSize: number): void {
    for (let r = 0; r < worldSize; r++) {
      if (gathered[r * block + at] !== 1) continue;
      this.ranks ??= [];
      if (!this.ranks.includes(r)) this.ranks.push(r);
    }
    this.ranks?.sort((a, b) => a - b);
  }

  /** The epoch-end agreement: one all-gather of every worker's flag (a request that came during evaluation). */
  async atEpochEnd(parallel: DataParallel): Promise<void> {
    const all = await parallel.allGather(Int32Array.of(this.flag()));
    this.observe(all, 1, 0, parallel.worldSize);
  }

  /** The ranks of the workers that asked to stop, once any has (then the same on every worker); else undefined. */
  get stopping(): readonly number[] | undefined {
    return this.ranks;
  }
}
