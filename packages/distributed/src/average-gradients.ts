/**
 * A data-parallel step's gradient averaging: every worker's named gradients, packed into one buffer, averaged by ONE
 * all-reduce (not one per tensor), and unpacked. The first call with a layout also checks, with one all-gather, that
 * every worker packs the same names and lengths in the same order.
 */
import type { ReduceOp } from './collective.js';
import { DistributedError } from './errors.js';
import { fusedLayout, packArrays, unpackArrays, type FusedLayout, type NamedArray } from './fused-buffer.js';

/** What averaging needs of a cluster membership (Collective implements it). */
export interface Reducer {
  readonly rank: number;
  readonly worldSize: number;
  allReduce(data: Float32Array, op?: ReduceOp): Promise<Float32Array>;
  allGather(data: Int32Array): Promise<Int32Array>;
}

export class GradientAverager {
  private verified: number | null = null;

  constructor(private readonly reducer: Reducer) {}

  /** The mean over all workers of each named gradient, as views into one buffer. Every worker must call it. */
  async average(gradients: readonly NamedArray[]): Promise<NamedArray[]> {
    const layout = fusedLayout(gradients);
    if (this.verified !== layout.fingerprint) await this.verify(layout);
    const mean = await this.reducer.allReduce(packArrays(gradients, layout), 'mean');
    return unpackArrays(mean, layout);
  }

  private async verify(layout: FusedLayout): Promise<void> {
    const all = await this.reducer.allGather(Int32Array.of(layout.offsets.at(-1)!, layout.fingerprint));
    for (let r = 0; r < this.reducer.worldSize; r++) {
      if (all[2 * r] !== all[0] || all[2 * r + 1] !== all[1]) {
        throw new DistributedError(
          `worker ${r} packs different gradients (${all[2 * r]} floats, layout ${all[2 * r + 1]}) than worker 0 (${all[0]} floats, layout ${all[1]})`,
          'build the same model on every worker and pass its gradients in the same order, with the same names',
          'gradients',
          r,
        );
      }
    }
    this.verified = layout.fingerprint;
  }
}
