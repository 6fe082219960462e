export type { DatasetPair, ImageDataset } from './dataset.js';
export { channelStats, sampleBytes } from './dataset.js';
export { DataError, DpError, isDpError } from './errors.js';
export { parseIdx, readIdx } from './idx.js';
export type { IdxArray } from './idx.js';
export { FASHION_MNIST, MNIST, loadIdxDataset, locateIdx } from './mnist.js';
export type { IdxLoadOptions } from './mnist.js';
export { CIFAR10, CIFAR100, decodeCifarRecords, loadCifar, locateCifar, readClassNames, recordBytes } from './cifar.js';
export type { Cifar100Dataset, CifarLoadOptions, CifarSpec } from './cifar.js';
export {
  folderCachePath,
  loadCifar10Jpeg,
  loadFolderSplit,
  loadImageFolder,
  loadImageFolderPair,
  locateCifar10Jpeg,
} from './folder.js';
export type { ImageFolderLoadOptions } from './folder.js';
export { scanImageFolder } from './folder-scan.js';
export type { FolderScan } from './folder-scan.js';
export { decodeFolder, decodeFolderParallel, DecodePool, fitImage } from './folder-decode.js';
export type { DecodedSplit, DecodeOptions, FitOptions, ImageDecoder } from './folder-decode.js';
export { readCache, writeCache } from './folder-cache.js';
export type { CachedSplit, CacheRead } from './folder-cache.js';
export { centreCrop, resampleInto, resizeShorter } from './resample.js';
export type { Box, Image } from './resample.js';
export { extractTarGz, readTar, readTarGz } from './tar.js';
export type { TarEntry } from './tar.js';
export { cacheDir, candidateDirs, searchDirs } from './locate.js';
export type { LocateOptions } from './locate.js';
export type { CommonLoadOptions, LoadProgress } from './options.js';
export { isShared, sharedBytes, toShared } from './shared.js';
export { batchCount, batches, gather } from './batches.js';
export type { Batch, BatchOptions } from './batches.js';
export { augmentBatch, parseAugment } from './augment.js';
export type { AugmentConfig, AugmentKind, AugmentSpec, Augmentation } from './augment.js';
export { normalizationTable, normalizeBatch } from './normalize.js';
export type { NormTable } from './normalize.js';
export { BatchRng, deriveSeed } from './rng.js';
export { splitValidation, takeSamples, validationRange, validationSplit } from './validation.js';
export type { ValidationIndices, ValidationSplitOptions } from './validation.js';
export { buildBatch, Scratch } from './batch-kernel.js';
export type { KernelData, ReadyBatch } from './batch-kernel.js';
export { createBatchLoader } from './loader.js';
export type { BatchLoader, BatchLoaderOptions, BatchStream } from './loader.js';
export { datasetNames, loadDataset, registerDataset, unregisterDataset } from './registry.js';
export type { DatasetEntry, LoadOptions } from './registry.js';
