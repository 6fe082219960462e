import { describe, expect, it } from 'vitest';
import { mirrorOf, setupBackend } from './setup.js';

describe('setupBackend', () => {
  it('is idempotent: where the binding already loads it rebuilds nothing and says so, then checks the addon', () => {
    const lines: string[] = [];
    const r = setupBackend({ from: process.cwd(), log: (l) => lines.push(l) });
    expect(r.route).toBe('already-built');
    expect(r.native.backend).toBe('tensorflow');
    expect(r.native.tensorflowVersion).toMatch(/^\d+\.\d+/);
    expect(lines).toContainEqual(
      expect.stringMatching(/already loads its native binding: nothing rebuilt \(backend tensorflow, TensorFlow /),
    );
    // @dp/distributed is installed here (a workspace): its addon, against the same libtensorflow.
    expect(r.distributed).toEqual({
      ok: true,
      summary: expect.stringMatching(/^@dp\/distributed addon (already )?built/),
    });
    expect(lines.at(-1)).toBe(r.distributed?.ok && r.distributed.summary);
  }, 300_000); // two child processes load TensorFlow (the binding's probe, the addon's): slow on a loaded machine

  it("names the mirror tfjs-node's install script will use, in that script's order", () => {
    expect(mirrorOf({})).toBe('https://storage.googleapis.com/');
    expect(mirrorOf({ TFJS_NODE_CDN_STORAGE: 'https://m/' })).toBe('https://m/');
    expect(mirrorOf({ TFJS_NODE_CDN_STORAGE: 'https://m/', TFJS_NODE_BASE_URI: 'https://b/lib-' })).toBe(
      'https://b/lib-',
    );
  });
});
