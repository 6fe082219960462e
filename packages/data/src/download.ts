import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError } from './errors.js';

export interface RemoteFile {
  name: string;
  urls: readonly string[];
  md5: string;
}

/**
 * Download `file` to `dest` (atomically: temporary file then rename), verifying its MD5.
 * `onProgress(received, total)` reports bytes as they arrive.
 */
export async function downloadFile(
  file: RemoteFile,
  dest: string,
  onProgress?: (received: number, total: number) => void,
): Promise<void> {
  const errors: string[] = [];
  for (const url of file.urls) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const total = Number(res.headers.get('content-length') ?? 0);
      const chunks: Uint8Array[] = [];
      let received = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        chunks.push(chunk);
        received += chunk.length;
        onProgress?.(received, total);
      }
      const bytes = Buffer.concat(chunks);
      const md5 = createHash('md5').update(bytes).digest('hex');
      if (md5 !== file.md5) throw new Error(`checksum mismatch (md5 ${md5}, expected ${file.md5})`);
      mkdirSync(dirname(dest), { recursive: true });
      const tmp = `${dest}.${process.pid}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, dest);
      return;
    } catch (e) {
      errors.push(`${url}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`);
    }
  }
  throw new DataError(`could not download ${file.name}:\n    ${errors.join('\n    ')}`);
}
