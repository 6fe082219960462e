import { loadDataset, type DatasetPair, type ImageDataset } from '@dp/data';
import { ProgressBar } from '../progress.js';

/** loadDataset with a progress bar for long steps (downloads, first decode of an image folder) and warnings on stderr. */
export async function loadData(name: string, dataDir: string | undefined): Promise<DatasetPair> {
  let bar: ProgressBar | undefined;
  let key = '';
  const pair = await loadDataset(name, {
    dataDir,
    onProgress: (p) => {
      const k = `${p.phase}:${p.split ?? ''}:${p.file ?? ''}`;
      if (k !== key) {
        bar?.done();
        key = k;
        bar = p.total > 1 ? new ProgressBar(`${name}: ${p.phase}${p.split ? ` ${p.split}` : ''}`, p.total) : undefined;
      }
      bar?.update(p.done);
    },
    onWarning: (m) => {
      bar?.done();
      process.stderr.write(`dp: warning: ${m}\n`);
    },
  });
  bar?.done();
  return pair;
}

/** The first `n` samples of a split (0 or n >= size: the whole split), sharing its pixel buffer. */
export function subset(d: ImageDataset, n: number): ImageDataset {
  if (!n || n >= d.size) return d;
  const bytes = d.shape[0] * d.shape[1] * d.shape[2];
  return { ...d, size: n, images: d.images.subarray(0, n * bytes), labels: d.labels.subarray(0, n) };
}
