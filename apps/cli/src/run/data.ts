import { loadDataset, type DatasetPair } from '@dp/data';
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
