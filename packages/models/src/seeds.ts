import { SplitMix32 } from '@dp/internal/rng/splitmix32';

/**
 * Deterministic seed streams for weight initialisation: every initialiser of a model gets its own 32-bit seed
 * derived from the model seed by a splitmix32 sequence, so a model is a pure function of (architecture, seed)
 * and two layers of one model never share a random stream. Draw k of seed s hashes the state s + k·0x9e3779b9, so
 * seeds less than 21,582,161 apart share no state within their first 143 draws, while seed s + m·0x9e3779b9
 * (mod 2^32) repeats seed s's draws shifted by m (kept as is: changing it would change published initialisations).
 * The generator is splitmix32 of the dp RNG family (@dp/internal/rng).
 */
export class SeedStream extends SplitMix32 {
  /** The next derived seed, an integer in [0, 2^32). */
  next(): number {
    return this.nextUint32();
  }
}

/**
 * The seed to hand a tfjs initialiser or random op. tfjs' normal and truncated-normal generators treat a seed of 0
 * as "no seed" (`seed ? seed : Math.random()` in tfjs-core's rand_util), so a literal 0 would make the weights
 * differ on every build; it is replaced by a fixed non-zero value (the splitmix32 increment). Any other seed is
 * passed through unchanged.
 */
export function tfjsSeed(seed: number): number {
  return seed === 0 ? 0x9e3779b9 : seed;
}
