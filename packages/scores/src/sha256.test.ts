import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Hex } from './sha256.js';

describe('sha256', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('sha256Hex (node:crypto in Node) gives the digest of the pure-TypeScript class, for views too', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(10), (bytes, cut) => {
        const view = bytes.subarray(Math.min(cut, bytes.length));
        expect(sha256Hex(view)).toBe(new Sha256().update(view).hex());
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('agrees with node:crypto on any bytes split into any chunks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 4 }), (bytes, cuts) => {
        const h = new Sha256();
        let at = 0;
        for (const c of [...cuts].sort((a, b) => a - b)) {
          const to = Math.min(c, bytes.length);
          if (to > at) h.update(bytes.subarray(at, to));
          at = Math.max(at, to);
        }
        h.update(bytes.subarray(at));
        expect(h.hex()).toBe(createHash('sha256').update(bytes).digest('hex'));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
