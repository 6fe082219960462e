import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { checkDataDirs, resolveFile, searchDirs } from './locate.js';
import { loadDataset } from './registry.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'dp-locate-'));

/** A tiny IDX file (unsigned bytes) with the given dims and every byte `fill`. */
function idx(dims: number[], fill: number): Uint8Array {
  const n = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + n);
  out.set([0, 0, 8, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.fill(fill, 4 + 4 * dims.length);
  return out;
}

describe('the folders a user names must be folders', () => {
  it('refuses a $DP_DATA_DIR that is a file or does not exist, instead of falling through to the cache', () => {
    const dir = tmp();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expect(() => searchDirs(['mnist'], [], { env: { DP_DATA_DIR: file } })).toThrow(
      `$DP_DATA_DIR=${file} is a file, not a folder; fix: point DP_DATA_DIR at the folder holding your datasets, or unset it`,
    );
    expect(() => checkDataDirs({ env: { DP_DATA_DIR: join(dir, 'missing') } })).toThrow(
      /^\$DP_DATA_DIR=.*missing does not exist; fix: /,
    );
    // A folder, or no $DP_DATA_DIR at all, is fine; --data-dir wins over $DP_DATA_DIR.
    expect(searchDirs(['mnist'], [], { env: { DP_DATA_DIR: dir, DP_CACHE_DIR: dir } })[0]).toBe(join(dir, 'mnist'));
    expect(() => checkDataDirs({ env: {} })).not.toThrow();
    expect(() => checkDataDirs({ dataDir: dir, env: { DP_DATA_DIR: file } })).not.toThrow();
  });

  it('refuses a --data-dir that is a file (naming it), and the loaders report it', async () => {
    const dir = tmp();
    const file = join(dir, 'train-images-idx3-ubyte.gz');
    writeFileSync(file, 'x');
    expect(() => checkDataDirs({ dataDir: file })).toThrow(`--data-dir ${file} is a file, not a folder; fix: `);
    await expect(loadDataset('fashion-mnist', { dataDir: file, env: {} })).rejects.toThrow(DataError);
    await expect(loadDataset('cifar10', { dataDir: file, env: {}, download: false })).rejects.toThrow(
      /is a file, not a folder/,
    );
  });
});

describe('an uncompressed IDX file beside its .gz', () => {
  it('is read when both hold the same data, and refused, naming both, when they differ', () => {
    const dir = tmp();
    const same = idx([3], 1);
    writeFileSync(join(dir, 'a-idx1-ubyte'), same);
    writeFileSync(join(dir, 'a-idx1-ubyte.gz'), gzipSync(same));
    expect(resolveFile(dir, 'a-idx1-ubyte')).toBe(join(dir, 'a-idx1-ubyte'));
    writeFileSync(join(dir, 'b-idx1-ubyte'), idx([3], 1));
    writeFileSync(join(dir, 'b-idx1-ubyte.gz'), gzipSync(idx([3], 2)));
    expect(() => resolveFile(dir, 'b-idx1-ubyte')).toThrow(
      `both ${join(dir, 'b-idx1-ubyte')} and ${join(dir, 'b-idx1-ubyte.gz')} exist and hold different data, so which one is the dataset is ambiguous; fix: delete the one`,
    );
    // A corrupt .gz beside a plain file cannot be shown to hold the same data: refused too.
    writeFileSync(join(dir, 'c-idx1-ubyte'), idx([3], 1));
    writeFileSync(join(dir, 'c-idx1-ubyte.gz'), 'not gzip');
    expect(() => resolveFile(dir, 'c-idx1-ubyte')).toThrow(/ambiguous/);
    // Only one of the two: that one.
    mkdirSync(join(dir, 'only'));
    writeFileSync(join(dir, 'only', 'd-idx1-ubyte.gz'), gzipSync(same));
    expect(resolveFile(join(dir, 'only'), 'd-idx1-ubyte')).toBe(join(dir, 'only', 'd-idx1-ubyte.gz'));
  });

  it('a whole dataset with one shadowing file is refused by the loader', async () => {
    const dir = tmp();
    const files: Record<string, Uint8Array> = {
      'train-images-idx3-ubyte': idx([4, 2, 2], 1),
      'train-labels-idx1-ubyte': idx([4], 2),
      't10k-images-idx3-ubyte': idx([2, 2, 2], 3),
      't10k-labels-idx1-ubyte': idx([2], 4),
    };
    for (const [f, bytes] of Object.entries(files)) writeFileSync(join(dir, `${f}.gz`), gzipSync(bytes));
    await expect(loadDataset('fashion-mnist', { dataDir: dir, env: {} })).resolves.toMatchObject({ source: dir });
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([4], 5));
    await expect(loadDataset('fashion-mnist', { dataDir: dir, env: {} })).rejects.toThrow(
      /train-labels-idx1-ubyte and .*train-labels-idx1-ubyte\.gz exist and hold different data/,
    );
  });
});
