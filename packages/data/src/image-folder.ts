/**
 * `@dp/data/image-folder`: JPEG/PNG decoding through tfjs-node (an optional peer dependency of @dp/data) and the
 * image-folder loaders bound to it. Importing this entry loads @tensorflow/tfjs-node; the main entry never does.
 */
import * as tf from '@tensorflow/tfjs-node';
import type { DatasetPair } from './dataset.js';
import { markBuiltInDecoder } from './decoder-identity.js';
import type { ImageDecoder } from './folder-decode.js';
import { loadCifar10Jpeg, loadImageFolder, loadImageFolderPair, type ImageFolderLoadOptions } from './folder.js';
import type { Image } from './resample.js';

function kind(bytes: Uint8Array): 'jpeg' | 'png' | undefined {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'png';
  return undefined;
}

/**
 * Index just past the main image's start-of-scan marker (FF DA) of a JPEG, or -1. Walks the header's marker
 * segments by their lengths, so the bytes inside a segment (an EXIF thumbnail in APP1 is a whole JPEG, with its own
 * scan and end marker) are never taken for the image's own.
 */
function firstScan(bytes: Uint8Array): number {
  let i = 2;
  while (i + 3 < bytes.length) {
    if (bytes[i] !== 0xff) return -1; // not at a marker: a damaged header
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
    } else if (marker === 0xda) {
      return i + 2;
    } else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
    } else {
      i += 2 + ((bytes[i + 2]! << 8) | bytes[i + 3]!);
    }
  }
  return -1;
}

/**
 * libjpeg (inside TensorFlow) "recovers" a truncated JPEG by filling the missing rows with grey, silently. A
 * complete file has its end-of-image marker (FF D9) after its first scan: entropy-coded data escapes 0xFF, so a
 * truncated scan has none.
 */
function checkComplete(bytes: Uint8Array, k: 'jpeg' | 'png'): void {
  if (k === 'jpeg') {
    const scan = firstScan(bytes);
    let end = -1;
    for (let i = bytes.length - 2; i >= Math.max(scan, 0); i--) {
      if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) {
        end = i;
        break;
      }
    }
    if (scan < 0 || end < 0) throw new Error('truncated JPEG (no end-of-image marker after the image data)');
  } else {
    const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 12))).toString('latin1');
    if (!tail.includes('IEND')) throw new Error('truncated PNG (no IEND chunk at the end)');
  }
}

/** Decode JPEG or PNG bytes to RGB uint8 HWC with tfjs-node (grayscale and RGBA become RGB). The built-in decoder: not part of the image cache's key. */
export const decodeImageTfjs: ImageDecoder = markBuiltInDecoder((bytes: Uint8Array): Image => {
  const k = kind(bytes);
  if (!k)
    throw new Error(
      `not a JPEG or PNG file (starts with ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ') || 'nothing'})`,
    );
  checkComplete(bytes, k);
  const t = k === 'jpeg' ? tf.node.decodeJpeg(bytes, 3) : tf.node.decodePng(bytes, 3);
  try {
    const [height, width] = t.shape as [number, number, number];
    const values = t.dataSync();
    const data = values instanceof Uint8Array ? new Uint8Array(values) : Uint8Array.from(values);
    return { data, height, width, channels: 3 };
  } finally {
    t.dispose();
  }
});

/** The name decode worker threads look for in a decoder module. */
export const decodeImage: ImageDecoder = decodeImageTfjs;

/**
 * This entry as a decoder module for decode worker threads: the ES module build `image-folder.js` beside the built
 * files. The CommonJS build (whose `import.meta.url` is that of a shared chunk) names the same file, so both builds
 * start the same workers and share decoded-image caches (decoder-identity.ts).
 */
export const TFJS_DECODER_MODULE = new URL('./image-folder.js', import.meta.url);

// Running from source (tests), there is no built entry for workers to import: decode on this thread.
const built = /\.c?js$/.test(import.meta.url);
const withTfjs = (opts: ImageFolderLoadOptions): ImageFolderLoadOptions => ({
  ...opts,
  decodeImage: opts.decodeImage ?? decodeImageTfjs,
  decodeModule: opts.decodeModule ?? (built ? TFJS_DECODER_MODULE : undefined),
});

/** The CIFAR-10 JPEG folder, decoded with tfjs-node (see `loadCifar10Jpeg`). */
export function loadCifar10JpegTfjs(opts: ImageFolderLoadOptions = {}): Promise<DatasetPair> {
  return loadCifar10Jpeg(withTfjs(opts));
}

/** An ImageNet-layout folder at `dataDir`, decoded with tfjs-node (see `loadImageFolder`). */
export function loadImageFolderTfjs(opts: ImageFolderLoadOptions = {}): Promise<DatasetPair> {
  return loadImageFolder(withTfjs(opts));
}

/** Any folder root with train/ and val/ (or test/), decoded with tfjs-node. */
export function loadImageFolderPairTfjs(
  name: string,
  root: string,
  opts: ImageFolderLoadOptions = {},
): Promise<DatasetPair> {
  return loadImageFolderPair(name, root, withTfjs(opts));
}

export type { ImageFolderLoadOptions } from './folder.js';
export type { ImageDecoder } from './folder-decode.js';
