/**
 * The one way the dp packages append a record to a file (log.jsonl, a results file): whole or not at all. Every byte is
 * written with its count checked (short writes continued, no progress reported as ENOSPC, as in atomic-write.ts) and
 * fsynced; when any of it fails, the file is cut back to the size it had, so a disk that fills up mid-append leaves no
 * half line for a reader to drop or for the next append to be glued to. One FileWriteError names the path.
 */
import {
  chunks,
  openForWriting,
  writeFailure,
  writeFully,
  type FileContent,
  type WriteOptions,
} from './atomic-write.js';
import { nodeFileSystem } from './node-fs.js';

/** Append all of `data` to `path` (created if missing) and fsync it; on failure the file keeps its old bytes. */
export function appendFileSynced(path: string, data: FileContent, { fs = nodeFileSystem }: WriteOptions = {}): void {
  const fd = openForWriting(fs, path, 'a');
  let before: number | undefined;
  try {
    before = fs.size(fd);
    for (const chunk of chunks(data)) writeFully(fs, fd, chunk, path);
    fs.fsync(fd);
  } catch (e) {
    if (before !== undefined) {
      try {
        fs.truncate(fd, before);
        fs.fsync(fd);
      } catch {
        // Cannot cut it back (the device failed): the readers still drop a line that is not whole JSON.
      }
    }
    throw writeFailure(path, e);
  } finally {
    try {
      fs.close(fd);
    } catch {
      // A close that fails adds nothing to the outcome above.
    }
  }
}
