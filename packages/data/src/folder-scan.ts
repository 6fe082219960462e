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
  /**
   * sha1 over every file's path, size and mtime (or, for a file that cannot be stat'ed, its error code): changes
   * whenever the folder's content may have.
   */
  fingerprint: string;
  /**
   * sha1 over every file's path and size (or error code), without mtimes: when only this still matches, the
   * folder may have been re-copied with the same bytes, which a cache's content fingerprint can confirm.
   */
  listing: string;
  /** Non-image files found in class folders (ignored). */
  ignored: string[];
}

function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new DataError(
      `cannot list ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'check the path and its permissions',
    );
  }
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A directory, or a symlink to one (a dangling symlink, or one that vanished since the listing, is not). */
function isDirEntry(dir: string, d: Dirent): boolean {
  if (d.isDirectory()) return true;
  if (!d.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, d.name)).isDirectory();
  } catch {
    return false;
  }
}

/** Size and mtime of `path` for the fingerprints (the listing takes the size only), or the error code when it cannot be stat'ed. */
function statParts(path: string): { size: string; mtime: string } {
  try {
    const st = statSync(path);
    return { size: String(st.size), mtime: String(st.mtimeMs) };
  } catch (e) {
    const code = `unreadable ${(e as NodeJS.ErrnoException).code ?? 'error'}`;
    return { size: code, mtime: '' };
  }
}

/**
 * List root/<split>. `classNames` (the training split's) fixes the label of each class folder; a class folder
 * not among them is an error. Every class folder must hold at least one image.
 */
export function scanImageFolder(root: string, split: string, classNames?: readonly string[]): FolderScan {
  const dir = join(root, split);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new DataError(
      `image folder ${root} has no ${split}/ directory`,
      `lay it out as ${root}/${split}/<class>/*.jpg`,
    );
  const folders = listDir(dir)
    .filter((d) => isDirEntry(dir, d))
    .map((d) => d.name)
    .sort(byName);
  if (folders.length === 0)
    throw new DataError(`${dir} has no class folders`, `put each class's images in ${dir}/<class>/`);
  const names = classNames ? [...classNames] : folders;
  const labelOf = new Map(names.map((n, i) => [n, i]));
  const files: string[] = [];
  const labels: number[] = [];
  const ignored: string[] = [];
  const hash = createHash('sha1');
  const listing = createHash('sha1');
  for (const cls of folders) {
    const label = labelOf.get(cls);
    if (label === undefined)
      throw new DataError(
        `${join(dir, cls)} is a class the training split does not have (its classes: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''})`,
        'give every split the same class folders',
      );
    const entries = listDir(join(dir, cls))
      .filter((d) => !d.isDirectory())
      .map((d) => d.name)
      .sort(byName);
    const images = entries.filter((f) => IMAGE_EXT.test(f));
    for (const f of entries) if (!IMAGE_EXT.test(f)) ignored.push(`${cls}/${f}`);
    if (images.length === 0)
      throw new DataError(
        `empty class folder ${join(dir, cls)} (no .jpg, .jpeg or .png files)`,
        'add its images or remove the folder',
      );
    for (const f of images) {
      const rel = `${cls}/${f}`;
      // A file that vanished since the listing, or a dangling symlink, stays listed: decoding skips it with a warning
      // and records it among the skipped files, and its fingerprint entry changes when it becomes readable again.
      const st = statParts(join(dir, rel));
      hash.update(st.mtime ? `${rel}\t${st.size}\t${st.mtime}\n` : `${rel}\t${st.size}\n`);
      listing.update(`${rel}\t${st.size}\n`);
      files.push(rel);
      labels.push(label);
    }
  }
  return {
    dir,
    split,
    classNames: names,
    files,
    labels: Uint16Array.from(labels),
    fingerprint: hash.digest('hex'),
    listing: listing.digest('hex'),
    ignored,
  };
}
