import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { DataError } from './errors.js';

/** Files of an image-folder split in the ImageNet layout, root/<split>/<class>/*.{jpg,jpeg,png}. */
const IMAGE_EXT = /\.(jpe?g|png)$/i;

export interface FolderScan {
  /** root/<split>. */
  dir: string;
  split: string;
  classNames: string[];
  /** 'class/file' per image, class-major, each class's files sorted. */
  files: string[];
  labels: Uint16Array;
  /** sha1 over every file's path, size and mtime: changes whenever the folder's content may have. */
  fingerprint: string;
  /** Non-image files found in class folders (ignored). */
  ignored: string[];
}

function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new DataError(`cannot list ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'check the path and its permissions');
  }
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * List root/<split>. `classNames` (the training split's) fixes the label of each class folder; a class folder
 * not among them is an error. Every class folder must hold at least one image.
 */
export function scanImageFolder(root: string, split: string, classNames?: readonly string[]): FolderScan {
  const dir = join(root, split);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError(`image folder ${root} has no ${split}/ directory`, `lay it out as ${root}/${split}/<class>/*.jpg`);
  const folders = listDir(dir).filter((d) => d.isDirectory() || (d.isSymbolicLink() && statSync(join(dir, d.name)).isDirectory())).map((d) => d.name).sort(byName);
  if (folders.length === 0) throw new DataError(`${dir} has no class folders`, `put each class's images in ${dir}/<class>/`);
  const names = classNames ? [...classNames] : folders;
  const labelOf = new Map(names.map((n, i) => [n, i]));
  const files: string[] = [];
  const labels: number[] = [];
  const ignored: string[] = [];
  const hash = createHash('sha1');
  for (const cls of folders) {
    const label = labelOf.get(cls);
    if (label === undefined) throw new DataError(`${join(dir, cls)} is a class the training split does not have (its classes: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''})`, 'give every split the same class folders');
    const entries = listDir(join(dir, cls)).filter((d) => !d.isDirectory()).map((d) => d.name).sort(byName);
    const images = entries.filter((f) => IMAGE_EXT.test(f));
    for (const f of entries) if (!IMAGE_EXT.test(f)) ignored.push(`${cls}/${f}`);
    if (images.length === 0) throw new DataError(`empty class folder ${join(dir, cls)} (no .jpg, .jpeg or .png files)`, 'add its images or remove the folder');
    for (const f of images) {
      const rel = `${cls}/${f}`;
      const st = statSync(join(dir, rel));
      hash.update(`${rel}\t${st.size}\t${st.mtimeMs}\n`);
      files.push(rel);
      labels.push(label);
    }
  }
  return { dir, split, classNames: names, files, labels: Uint16Array.from(labels), fingerprint: hash.digest('hex'), ignored };
}
