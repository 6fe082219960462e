import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('error:'));

describe("the example's command line", () => {
  it.each([
    [['--bogus', '1'], /^error: Unknown option '--bogus' \(options: --policy /],
    [['--ratios', '0.7'], /^error: Unknown option '--ratios'/],
    [['--train=-5'], /^error: --train -5 is invalid: expected an integer in \[1, 60000\]$/],
    [['--data', '/nonexistent/fmnist'], /^error: --data \/nonexistent\/fmnist has no Fashion-MNIST IDX files/],
  ])('%j fails with one error line, exit code 2, and trains nothing', (args, pattern) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(errorLines(r.stderr)).toEqual([expect.stringMatching(pattern)]);
    expect(r.stdout).toBe('');
  });
});
