/**
 * Decode worker: imports the decoder module named by the main thread once (e.g. @dp/data/image-folder, which loads
 * tfjs-node in this thread), then decodes the jobs it is sent and posts the pixels back in chunks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DataError } from './errors.js';
import { decodeOne, type DecodedFile, type DecodeJob, type DecodeReply, type ImageDecoder } from './folder-decode.js';

interface Init {
  module: string;
  resize?: number;
  crop?: number;
}

const CHUNK = 256;
const init = workerData as Init;
const post = (m: DecodeReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

const decoder: Promise<ImageDecoder> = import(init.module).then((mod: { decodeImage?: ImageDecoder }) => {
  if (typeof mod.decodeImage !== 'function')
    throw new DataError(
      `decoder module ${init.module} does not export a decodeImage function`,
      'export decodeImage(bytes, file) from it',
    );
  return mod.decodeImage;
});
decoder.catch(() => undefined); // reported per job below

function fatal(job: number, e: unknown): void {
  if (DataError.isInstance(e)) {
    post({ kind: 'fatal', job, message: e.problem, fix: e.fix });
  } else {
    const first = ((e as Error).message ?? String(e)).split('\n')[0];
    post({
      kind: 'fatal',
      job,
      message: `image decode worker failed: ${first}`,
      fix: `check that decodeModule ${init.module} can be imported in a worker thread, or use decodeWorkers: 0`,
    });
  }
}

parentPort!.on('message', async (task: DecodeJob) => {
  try {
    const decode = await decoder;
    for (let s = 0; s < task.files.length; s += CHUNK) {
      const files: DecodedFile[] = [];
      const transfer = new Set<ArrayBuffer>();
      for (let i = s; i < Math.min(s + CHUNK, task.files.length); i++) {
        const file = decodeOne(task.dir, task.files[i]!, decode, init);
        let img = file.image;
        if (typeof img !== 'string') {
          const buf = img.data.buffer;
          // Transfer whole, unshared buffers owned by this image; copy views into anything else.
          const own =
            buf instanceof ArrayBuffer &&
            img.data.byteOffset === 0 &&
            img.data.byteLength === buf.byteLength &&
            !transfer.has(buf);
          if (!own) img = { ...img, data: img.data.slice() };
          transfer.add(img.data.buffer as ArrayBuffer);
        }
        files.push({ ...file, image: img });
      }
      post({ kind: 'images', job: task.job, start: task.start + s, files }, [...transfer]);
    }
    post({ kind: 'done', job: task.job });
  } catch (e) {
    fatal(task.job, e);
  }
});
