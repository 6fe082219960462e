import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DataError } from './errors.js';
import type { FolderScan } from './folder-scan.js';
import { warn, type CommonLoadOptions } from './options.js';
import { centreCrop, resizeShorter, type Image } from './resample.js';
import type { CachedSplit } from './folder-cache.js';
import { combineDigests, fileDigest } from './folder-content.js';
import { sharedBytes } from './shared.js';

/** Decodes one encoded image to RGB uint8 HWC. Throws when the bytes are not a decodable image. */
export type ImageDecoder = (bytes: Uint8Array, file: string) => Image;

export interface FitOptions {
  /** Scale each image so its shorter side is this many pixels (antialiased linear). */
  resize?: number;
  /** Then keep the centred crop x crop square. */
  crop?: number;
}

export interface DecodeOptions extends CommonLoadOptions, FitOptions {
  /** The decoder used on this thread. */
  decodeImage?: ImageDecoder;
  /** An ES module exporting `decodeImage` (an ImageDecoder), which decode worker threads import. */
  decodeModule?: string | URL;
  /** Decode worker threads (default: min(4, cores) when `decodeModule` is set and the split has >= 1000 images; 0 decodes here). */
  decodeWorkers?: number;
  /** Entry point of the decode workers (default: decode-worker.js beside this module). */
  decodeWorkerScript?: string | URL;
}

export function checkFit(opts: FitOptions): void {
  for (const field of ['resize', 'crop'] as const) {
    const v = opts[field];
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 4096))
      throw new DataError(`${field} = ${v} is invalid`, 'use an integer number of pixels in [1, 4096]');
  }
}

/** A config error about one image (not a reason to skip it): the whole load stops. */
export class FitError extends DataError {}

/** Check the decoder's output and apply resize / centre crop. */
export function fitImage(img: Image, opts: FitOptions, path: string): Image {
  if (img.channels !== 3 || img.data.length !== img.height * img.width * 3) {
    throw new FitError(
      `the image decoder returned ${img.height}x${img.width}x${img.channels} (${img.data.length} bytes) for ${path}`,
      'the decoder must return RGB uint8 HWC pixels',
    );
  }
  let out = img;
  if (opts.resize) out = resizeShorter(out, opts.resize);
  if (opts.crop) {
    if (out.height < opts.crop || out.width < opts.crop) {
      throw new FitError(
        `${path} is ${out.height}x${out.width}${opts.resize ? ` after resizing to ${opts.resize}` : ''}, smaller than crop = ${opts.crop}`,
        `set resize >= ${opts.crop}`,
      );
    }
    out = centreCrop(out, opts.crop);
  }
  return out;
}

/** One file's outcome: the image or why it must be skipped, and the sha1 of its bytes (absent when unreadable). */
export interface DecodedFile {
  image: Image | string;
  digest?: string;
}

/** Read, decode and fit one file. FitErrors propagate. */
export function decodeOne(dir: string, rel: string, decode: ImageDecoder, opts: FitOptions): DecodedFile {
  const path = join(dir, rel);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { image: (e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]! };
  }
  const digest = fileDigest(bytes);
  let img: Image;
  try {
    img = decode(bytes, path);
  } catch (e) {
    return { image: (e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]!, digest };
  }
  return { image: fitImage(img, opts, path), digest };
}

/** A decoded split: NHWC uint8 pixels in shared memory; the same record the on-disk cache stores. */
export type DecodedSplit = CachedSplit;

const MAX_SKIP_WARNINGS = 20;

/**
 * Collects decoded images in any order into one slot per file, then compacts them in file order. Checks that
 * every image has one size and that no class ends up empty.
 */
class Assembler {
  private shape: [number, number, number] | undefined;
  private slots: Uint8Array | undefined;
  private readonly ok: Uint8Array;
  private readonly why: (string | undefined)[];
  private readonly digests: (string | undefined)[];
  private firstFile = '';
  private done = 0;

  constructor(
    private readonly scan: FolderScan,
    private readonly opts: DecodeOptions,
  ) {
    this.ok = new Uint8Array(scan.files.length);
    this.why = new Array(scan.files.length);
    this.digests = new Array(scan.files.length);
  }

  put(i: number, file: DecodedFile): void {
    const path = join(this.scan.dir, this.scan.files[i]!);
    const img = file.image;
    this.digests[i] = file.digest;
    if (typeof img === 'string') {
      this.why[i] = img;
    } else {
      if (!this.shape) {
        this.shape = [img.height, img.width, 3];
        this.slots = sharedBytes(this.scan.files.length * img.data.length);
        this.firstFile = path;
      } else if (img.height !== this.shape[0] || img.width !== this.shape[1]) {
        throw new DataError(
          `${path} is ${img.height}x${img.width} but ${this.firstFile} is ${this.shape[0]}x${this.shape[1]}: images of one dataset must share a size`,
          'pass resize and crop options to bring them to one size (e.g. resize 36, crop 32; with dp: --resize 36 --crop 32)',
        );
      }
      this.slots!.set(img.data, i * img.data.length);
      this.ok[i] = 1;
    }
    if (++this.done % 1000 === 0)
      this.opts.onProgress?.({
        phase: 'decode',
        split: this.scan.split,
        done: this.done,
        total: this.scan.files.length,
      });
  }

  finish(): DecodedSplit {
    const { scan, opts } = this;
    const total = scan.files.length;
    if (total % 1000 !== 0) opts.onProgress?.({ phase: 'decode', split: scan.split, done: total, total });
    const skipped: string[] = [];
    for (let i = 0; i < total; i++) {
      if (this.ok[i]) continue;
      skipped.push(scan.files[i]!);
      if (skipped.length <= MAX_SKIP_WARNINGS)
        warn(opts, `skipping ${join(scan.dir, scan.files[i]!)}: ${this.why[i] ?? 'not decoded'}`);
    }
    if (skipped.length > MAX_SKIP_WARNINGS)
      warn(
        opts,
        `skipped ${skipped.length} unreadable files in ${scan.dir} in all (first ${MAX_SKIP_WARNINGS} named above)`,
      );
    if (!this.shape || !this.slots)
      throw new DataError(
        `no image in ${scan.dir} could be decoded (${skipped.length} files tried)`,
        'check that the files are JPEG or PNG images',
      );
    const bytes = this.shape[0] * this.shape[1] * 3;
    const labels = new Uint16Array(total);
    let n = 0;
    for (let i = 0; i < total; i++) {
      if (!this.ok[i]) continue;
      if (n !== i) this.slots.copyWithin(n * bytes, i * bytes, (i + 1) * bytes);
      labels[n++] = scan.labels[i]!;
    }
    // A class whose every image was unreadable is as empty as an empty folder.
    const seen = new Uint8Array(scan.classNames.length);
    for (let i = 0; i < n; i++) seen[labels[i]!] = 1;
    for (const label of new Set(scan.labels)) {
      if (!seen[label])
        throw new DataError(
          `class folder ${join(scan.dir, scan.classNames[label]!)} has no readable image`,
          'replace its files with valid JPEG or PNG images',
        );
    }
    const content = combineDigests(scan, this.digests);
    return {
      images: this.slots.subarray(0, n * bytes),
      labels: labels.subarray(0, n),
      shape: this.shape,
      classNames: scan.classNames,
      skipped,
      ...(content ? { contentFingerprint: content } : {}),
    };
  }
}

/** Decode every image of `scan` on this thread (skipping, with a warning, files that cannot be read or decoded). */
export function decodeFolder(scan: FolderScan, decode: ImageDecoder, opts: DecodeOptions = {}): DecodedSplit {
  checkFit(opts);
  const out = new Assembler(scan, opts);
  for (let i = 0; i < scan.files.length; i++) out.put(i, decodeOne(scan.dir, scan.files[i]!, decode, opts));
  return out.finish();
}

/** Messages of the decode workers, tagged with the job they answer. */
export type DecodeReply =
  | { kind: 'images'; job: number; start: number; files: DecodedFile[] }
  | { kind: 'fatal'; job: number; message: string; fix: string }
  | { kind: 'done'; job: number };

/** A decode job: files[start ..] of dir, answered in chunks then 'done'. */
export interface DecodeJob {
  job: number;
  dir: string;
  files: string[];
  start: number;
}

/** Worker threads to use for `scan` (0: decode on this thread). */
export function decodeWorkerCount(files: number, opts: DecodeOptions): number {
  if (!opts.decodeModule) return 0;
  const n = opts.decodeWorkers ?? (files >= 1000 ? Math.min(4, availableParallelism()) : 0);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new DataError(`decodeWorkers = ${n} is invalid`, 'use an integer in [0, 64]');
  return Math.min(n, files);
}

const JOB_FILES = 1024;
const LOCAL_JOB = 32;

/**
 * Worker threads that each import `opts.decodeModule` once and decode jobs of files (at most 1,024, at least four
 * per worker) handed out as workers become free. One pool serves every split of a load, so the decoder (e.g. tfjs-node) starts once per thread.
 */
export class DecodePool {
  private readonly workers: Worker[];
  private nextJob = 1;

  constructor(size: number, opts: DecodeOptions) {
    checkFit(opts);
    const script = opts.decodeWorkerScript ?? new URL('./decode-worker.js', import.meta.url);
    const module = opts.decodeModule instanceof URL ? opts.decodeModule.href : opts.decodeModule;
    if (!module) throw new DataError('a decode pool needs decodeModule', 'pass decodeModule, or decode on this thread');
    this.workers = Array.from(
      { length: size },
      () =>
        new Worker(typeof script === 'string' ? script : fileURLToPath(script), {
          workerData: { module, resize: opts.resize, crop: opts.crop },
        }),
    );
  }

  /** Decode every image of `scan`: the same result as `decodeFolder`, in parallel. */
  async decode(scan: FolderScan, opts: DecodeOptions): Promise<DecodedSplit> {
    const out = new Assembler(scan, opts);
    const n = scan.files.length;
    // Jobs small enough that every worker gets several (load balance), at most 1,024 files.
    const jobFiles = Math.max(1, Math.min(JOB_FILES, Math.ceil(n / (this.workers.length * 4))));
    let next = 0;
    // This thread decodes small jobs too (when it has a decoder): it covers the workers' start-up (loading the
    // decoder module can take seconds) and yields between jobs so worker replies are taken promptly.
    const here = opts.decodeImage;
    const local = async () => {
      if (!here) return;
      while (next < n) {
        const start = next;
        next = Math.min(n, next + LOCAL_JOB);
        for (let i = start; i < next; i++) out.put(i, decodeOne(scan.dir, scan.files[i]!, here, opts));
        await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all([
      local(),
      ...this.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let job = 0;
            const give = () => {
              if (next >= n) return finish();
              const start = next;
              next = Math.min(n, next + jobFiles);
              job = this.nextJob++;
              const msg: DecodeJob = { job, dir: scan.dir, files: scan.files.slice(start, next), start };
              worker.postMessage(msg);
            };
            const onMessage = (m: DecodeReply) => {
              if (m.job !== job) return;
              try {
                if (m.kind === 'images') m.files.forEach((file, k) => out.put(m.start + k, file));
                else if (m.kind === 'fatal') fail(new DataError(m.message, m.fix));
                else give();
              } catch (e) {
                fail(e as Error);
              }
            };
            const onError = (e: Error) =>
              fail(
                new DataError(
                  `image decode worker failed: ${e.message.split('\n')[0]}`,
                  'use decodeWorkers: 0 to decode on the main thread',
                ),
              );
            const onExit = (code: number) =>
              fail(
                new DataError(
                  `image decode worker exited (code ${code}) before finishing`,
                  'use decodeWorkers: 0 to decode on the main thread',
                ),
              );
            const detach = () => {
              worker.off('message', onMessage);
              worker.off('error', onError);
              worker.off('exit', onExit);
            };
            const finish = () => {
              detach();
              resolve();
            };
            const fail = (e: Error) => {
              next = n; // the other workers stop taking jobs
              detach();
              reject(e);
            };
            worker.on('message', onMessage);
            worker.on('error', onError);
            worker.on('exit', onExit);
            give();
          }),
      ),
    ]);
    return out.finish();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Decode `scan` with `workers` threads importing `opts.decodeModule` (a pool for this one split). */
export async function decodeFolderParallel(
  scan: FolderScan,
  workers: number,
  opts: DecodeOptions,
): Promise<DecodedSplit> {
  const pool = new DecodePool(workers, opts);
  try {
    return await pool.decode(scan, opts);
  } finally {
    await pool.close();
  }
}
