import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from './download.js';
import { DataError } from './errors.js';
import { removeTempDirs, tempDir } from './test-helpers.js';

afterAll(removeTempDirs);

const body = Buffer.from('x'.repeat(5000));
const md5 = createHash('md5').update(body).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('downloadFile', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    // /steady: 5 chunks 60 ms apart (300 ms in all); /stall: one chunk, then 600 ms of silence; /missing: 404.
    server = createServer(async (req, res) => {
      if (req.url === '/missing') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-length': String(body.length) });
      if (req.url === '/steady') {
        for (let i = 0; i < 5; i++) {
          res.write(body.subarray(i * 1000, (i + 1) * 1000));
          await sleep(60);
        }
        res.end();
      } else {
        res.write(body.subarray(0, 1000));
        await sleep(600);
        res.end(body.subarray(1000));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('times out a stalled transfer, not a slow steady one, and falls back to the next mirror', async () => {
    const dest = join(tempDir('download'), 'file.bin');
    const file = { name: 'file.bin', urls: [`${base}/stall`, `${base}/steady`], md5 };
    const seen: number[] = [];
    await downloadFile(file, dest, (received) => seen.push(received), { stallMs: 200 }); // /steady takes 300 ms in all
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(seen.at(-1)).toBe(5000);
    await expect(downloadFile({ ...file, urls: [`${base}/stall`] }, dest, undefined, { stallMs: 200 })).rejects.toThrow(
      /could not download file\.bin \(the only mirror failed: .*\/stall: no data for 0\.2 s\); fix: /,
    );
  });

  it('fails with a one-line DataError naming every mirror, its reason and the fix', async () => {
    const dest = join(tempDir('download'), 'file.bin');
    const err = await downloadFile(
      { name: 'file.bin', urls: [`${base}/missing`, `${base}/stall`], md5 },
      dest,
      undefined,
      { stallMs: 200 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    const message = (err as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toBe(
      `could not download file.bin (all 2 mirrors failed: ${base}/missing: HTTP 404; ${base}/stall: no data for 0.2 s); fix: check the network connection, or put file.bin (MD5 ${md5}) at ${dest} yourself`,
    );
  });
});
