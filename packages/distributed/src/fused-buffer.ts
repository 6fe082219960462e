/**
 * Named float32 arrays (a model's gradients) packed into one contiguous buffer and back, so that a training step
 * needs one collective instead of one per tensor. Pure.
 */
import { DistributedError } from './errors.js';
import { fnv1a31 } from './fnv.js';

export interface NamedArray {
  readonly name: string;
  readonly values: Float32Array;
}

export interface FusedLayout {
  readonly names: readonly string[];
  /** Start of each array in the buffer; offsets[i + 1] - offsets[i] is its length; the last entry is the total. */
  readonly offsets: readonly number[];
  /** 31-bit hash of names and lengths: equal layouts on every worker have equal fingerprints. */
  readonly fingerprint: number;
}

/** The layout of `arrays` in order, validated: unique non-empty names, Float32Array values. */
export function fusedLayout(arrays: readonly NamedArray[]): FusedLayout {
  if (!Array.isArray(arrays))
    throw DistributedError.invalid(
      'gradients',
      arrays,
      'an array of { name, values: Float32Array }',
      'pass [{ name, values }] in the same order on every worker',
    );
  const names: string[] = [];
  const offsets = [0];
  const seen = new Set<string>();
  arrays.forEach((a, i) => {
    const name = (a as Partial<NamedArray> | null)?.name;
    const values = (a as Partial<NamedArray> | null)?.values;
    if (typeof name !== 'string' || name === '' || seen.has(name)) {
      throw DistributedError.invalid(
        `gradients[${i}].name`,
        name,
        'a non-empty name no other entry has',
        'name each array after its variable',
      );
    }
    if (!(values instanceof Float32Array))
      throw DistributedError.invalid(
        `gradients[${i}].values`,
        values,
        'a Float32Array',
        'pass tensor.dataSync() of a float32 tensor',
      );
    seen.add(name);
    names.push(name);
    offsets.push(offsets[i]! + values.length);
  });
  return {
    names,
    offsets,
    fingerprint: fnv1a31(names.map((n, i) => `${n}:${offsets[i + 1]! - offsets[i]!};`).join('')),
  };
}

/** One Float32Array holding every array of `arrays` back to back, in `layout` order. */
export function packArrays(arrays: readonly NamedArray[], layout: FusedLayout = fusedLayout(arrays)): Float32Array {
  const buffer = new Float32Array(layout.offsets.at(-1)!);
  arrays.forEach((a, i) => buffer.set(a.values, layout.offsets[i]));
  return buffer;
}

/** The arrays of a packed buffer, as views into it (no copy), named as in `layout`. */
export function unpackArrays(buffer: Float32Array, layout: FusedLayout): NamedArray[] {
  const total = layout.offsets.at(-1)!;
  if (buffer.length !== total)
    throw DistributedError.invalid(
      'buffer.length',
      buffer.length,
      `${total} (the layout's total)`,
      'unpack with the layout the buffer was packed with',
    );
  return layout.names.map((name, i) => ({ name, values: buffer.subarray(layout.offsets[i], layout.offsets[i + 1]) }));
}
