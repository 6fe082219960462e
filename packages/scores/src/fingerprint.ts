import { ScoreError, checkInt, invalid } from './errors.js';
import { Sha256, sha256Hex } from './sha256.js';

/**
 * Fingerprint of a training set's labels for score files: sha256 over a domain tag, the dataset name, its size, and
 * its labels (as little-endian int32), hex. Two datasets with the same name and size but different label order get
 * different fingerprints, so a score file cannot silently be applied to another ordering of the data. It does not
 * see the images: two image folders with the same per-class counts share it; pixelFingerprint tells them apart.
 */
export function datasetFingerprint(labels: ArrayLike<number>, size: number, name: string): string {
  checkInt('size', size, 1, 2 ** 32 - 1);
  if (typeof name !== 'string' || name === '') throw invalid('name', name, 'the dataset name (non-empty string)');
  if (labels == null || typeof labels.length !== 'number') throw invalid('labels', labels, 'an array of class labels');
  if (labels.length !== size) {
    throw new ScoreError(
      `labels has length ${labels.length} but size is ${size}`,
      'pass all training labels, one per sample',
      'labels',
    );
  }
  const h = new Sha256();
  const head = new TextEncoder().encode(`dp-dataset-fingerprint/v1\0${name}\0${size}\0`);
  h.update(head);
  const chunk = new Int32Array(4096);
  const bytes = new Uint8Array(chunk.buffer);
  const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  for (let i = 0; i < size; i += chunk.length) {
    const m = Math.min(chunk.length, size - i);
    for (let j = 0; j < m; j++) {
      const y = labels[i + j]!;
      if (!Number.isInteger(y) || y < 0 || y > 0x7fffffff)
        throw invalid(`labels[${i + j}]`, y, 'an integer class label >= 0');
      chunk[j] = little ? y : ((y & 0xff) << 24) | ((y & 0xff00) << 8) | ((y >>> 8) & 0xff00) | (y >>> 24);
    }
    h.update(bytes.subarray(0, m * 4));
  }
  return h.hex();
}

/**
 * Fingerprint of a training set's inputs for score files: sha256 of the pixel bytes exactly as the loaders give them
 * (uint8, sample-major, `size` samples of equal length), hex — every byte counts, so other images, another order,
 * another --resize/--crop or subset give another fingerprint. Node hashes CIFAR-10's 150 MB in ~0.2 s
 * (node:crypto); other runtimes use the pure-TypeScript SHA-256 (~2.4 s).
 */
export function pixelFingerprint(images: Uint8Array, size: number): string {
  checkInt('size', size, 1, 2 ** 32 - 1);
  if (!(images instanceof Uint8Array))
    throw invalid('images', images, 'the pixels as a Uint8Array (size x height x width x channels bytes)');
  if (images.length === 0 || images.length % size !== 0) {
    throw new ScoreError(
      `images has ${images.length} bytes, not a positive multiple of size ${size}`,
      "pass every training sample's pixels, sample-major (the dataset's images array)",
      'images',
    );
  }
  return sha256Hex(images);
}
