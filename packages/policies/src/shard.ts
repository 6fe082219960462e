import { checkInt, PrunerError } from './errors.js';
import type { Selection, ShardOptions } from './types.js';

/**
 * One data-parallel worker's share of an epoch's list, by the rule of PyTorch's DistributedSampler.
 * Let n be the epoch's list length (`kept`) and W = worldSize.
 *
 * - dropLast = false (default): per = ceil(n / W). The list is extended to length per * W by appending its own
 *   first entries again (cyclically: position j >= n repeats position j mod n), and rank r takes positions
 *   r, r + W, r + 2W, ... The shards are equally long and their union is exactly the list. When n >= W the
 *   padding = per * W - n entries at positions 0 .. padding-1 (< W; 0 when W divides n) are trained twice in
 *   that epoch, with their own weights, and only these repeat. When n < W every shard holds one entry and
 *   entry i is trained by ceil((W - i) / n) workers.
 * - dropLast = true: per = floor(n / W). Positions >= per * W (the last n - per * W entries of the epoch's
 *   shuffled list, fewer than W) are trained by nobody this epoch; the shards are strictly disjoint. Every
 *   shard is empty when n < W.
 *
 * Because the list is reshuffled every epoch, padded or dropped entries differ from epoch to epoch.
 */
export function shardOf(
  indices: Uint32Array,
  weights: Float32Array,
  { rank, worldSize, dropLast = false }: ShardOptions,
): Selection {
  const n = indices.length;
  checkInt('worldSize', worldSize, 1, 2 ** 32 - 1);
  checkInt('rank', rank, 0, worldSize - 1);
  if (weights.length !== n) throw new PrunerError('weights.length', weights.length, `${n} (one weight per index)`);
  const per = dropLast ? Math.floor(n / worldSize) : Math.ceil(n / worldSize);
  const outI = new Uint32Array(per);
  const outW = new Float32Array(per);
  for (let i = 0, j = rank; i < per; i++, j += worldSize) {
    const p = j < n ? j : j % n;
    outI[i] = indices[p]!;
    outW[i] = weights[p]!;
  }
  return { indices: outI, weights: outW, kept: n };
}

/** Training slots added by padding (dropLast = false: per * W - n) or entries left out (dropLast = true) across all shards of a list of n. */
export function shardSlack(n: number, worldSize: number, dropLast = false): number {
  checkInt('n', n, 0);
  checkInt('worldSize', worldSize, 1, 2 ** 32 - 1);
  return dropLast ? n - Math.floor(n / worldSize) * worldSize : Math.ceil(n / worldSize) * worldSize - n;
}
