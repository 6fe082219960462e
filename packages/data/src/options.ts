import type { LocateOptions } from './locate.js';

/** Progress of a long load step, for a progress bar: `done` of `total` units (bytes, files or images). */
export interface LoadProgress {
  /** 'verify': reading an image folder's files to check a cache whose recorded mtimes no longer match. */
  phase: 'download' | 'extract' | 'read' | 'scan' | 'decode' | 'cache' | 'verify';
  /** 'train' or 'test' when the step is per split. */
  split?: string;
  /** The file concerned, when there is one. */
  file?: string;
  done: number;
  total: number;
}

/** Options every loader understands (loaders ignore the ones that do not apply to them). */
export interface CommonLoadOptions extends LocateOptions {
  /** Download the official files into the cache when no local copy exists (default true). */
  download?: boolean;
  /** Byte progress while downloading (kept for compatibility; `onProgress` also reports downloads). */
  onDownloadProgress?: (file: string, received: number, total: number) => void;
  /** Progress of downloads, extraction, reading and decoding. */
  onProgress?: (p: LoadProgress) => void;
  /** Problems the load survives (a skipped unreadable image, a rebuilt stale cache). Default: process.emitWarning. */
  onWarning?: (message: string) => void;
}

export function warn(opts: CommonLoadOptions, message: string): void {
  if (opts.onWarning) opts.onWarning(message);
  else process.emitWarning(message, 'DataWarning');
}
