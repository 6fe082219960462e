// Helpers for testing policies: deterministic fake losses and a training-loop epoch (also in @dp/policies/testing).
import { encodeTyped } from '../codec.js';
import type { PrunerConfig } from '../config.js';
import { createPruner } from '../create.js';
import type { SamplerVersion } from '../sampler.js';
import { mix32 } from '../rng.js';
import type { Pruner, PrunerState } from '../pruner.js';
import type { Json, Selection } from '../types.js';

/** A deterministic pseudo-random loss in [0, 4) for (salt, id, epoch). */
export function fakeLoss(salt: number, id: number, epoch: number): number {
  return (mix32(mix32(salt ^ 0x5bd1e995) ^ mix32(id + 1) ^ Math.imul(epoch + 1, 0x27d4eb2d)) / 4294967296) * 4;
}

/**
 * For tests of a policy's load(): `edit(f)` is a copy of the JSON state `before` changed by f; `b64(a)` the base64
 * form of a typed array, as state() writes it.
 */
export function stateEditor(before: string): {
  edit: (f: (s: Record<string, any>) => void) => Json;
  b64: (a: Uint32Array | Float32Array) => string;
} {
  return {
    edit: (f) => {
      const s = JSON.parse(before);
      f(s);
      return s;
    },
    b64: encodeTyped,
  };
}

/** Select `epoch`, then observe a loss for every selected sample in batches of 7 (as a training loop would). */
export function trainEpoch(p: Pruner, epoch: number, loss: (id: number, epoch: number) => number): Selection {
  const sel = p.select(epoch);
  for (let s = 0; s < sel.indices.length; s += 7) {
    const ids = sel.indices.subarray(s, s + 7);
    p.observe(
      ids,
      Float32Array.from(ids, (id) => loss(id, epoch)),
    );
  }
  return sel;
}

/**
 * A new pruner for `config` that selects with the selection-algorithm version `sampler`: what a run resuming a
 * checkpoint written by that version gets (a fresh pruner's state, with its `sampler` field as that version writes it).
 */
export function createPrunerWithSampler(config: PrunerConfig, sampler: SamplerVersion): Pruner {
  const { sampler: _latest, ...state } = createPruner(config).state();
  const saved: PrunerState = sampler === 1 ? state : { ...state, sampler };
  return createPruner(config, saved);
}
