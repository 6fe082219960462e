import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '@dp/internal/atomic-write';
import { dirname } from 'node:path';
import { DataError } from './errors.js';

export interface RemoteFile {
  name: string;
  urls: readonly string[];
  md5: string;
}

/**
 * Download `file` to `dest` (atomically: temporary file then rename), verifying its MD5.
 * `onProgress(received, total)` reports bytes as they arrive. A mirror that sends nothing for `stallMs` (default
 * 60 s) — to connect, to answer, or mid-body — is given up for the next one; a slow but steady transfer of any
 * length is not cut off.
 */
export async function downloadFile(
  file: RemoteFile,
  dest: string,
  onProgress?: (received: number, total: number) => void,
  { stallMs = 60_000 }: { stallMs?: number } = {},
): Promise<void> {
  const errors: string[] = [];
  for (const url of file.urls) {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const alive = () => {
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(new Error(`no data for ${stallMs / 1000} s`)), stallMs);
    };
    try {
      alive();
      const res = await fetch(url, { signal: abort.signal });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const total = Number(res.headers.get('content-length') ?? 0);
      const chunks: Uint8Array[] = [];
      let received = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        alive();
        chunks.push(chunk);
        received += chunk.length;
        onProgress?.(received, total);
      }
      clearTimeout(timer);
      const bytes = Buffer.concat(chunks);
      const md5 = createHash('md5').update(bytes).digest('hex');
      if (md5 !== file.md5) throw new Error(`checksum mismatch (md5 ${md5}, expected ${file.md5})`);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileAtomic(dest, bytes);
      return;
    } catch (e) {
      clearTimeout(timer);
      if (abort.signal.aborted) e = abort.signal.reason;
      const why = (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message;
      errors.push(`${url}: ${why.replace(/\s*\n\s*/g, ' ')}`);
    }
  }
  // One line, like every DataError: the mirrors' reasons are separated by semicolons.
  throw new DataError(
    `could not download ${file.name} (${errors.length === 1 ? 'the only mirror' : `all ${errors.length} mirrors`} failed: ${errors.join('; ')})`,
    `check the network connection, or put ${file.name} (MD5 ${file.md5}) at ${dest} yourself`,
  );
}
