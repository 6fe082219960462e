import { describe, expect, it } from 'vitest';
import { ScoreError } from '../errors.js';
import { loadFastCheck } from './fast-check.js';

describe('loadFastCheck', () => {
  it('loads the installed peer', () => {
    expect(typeof loadFastCheck().assert).toBe('function');
  });

  it("names the missing peer and the install command instead of Node's bare error", () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'fast-check'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadFastCheck(missing)).toThrow(ScoreError);
    expect(() => loadFastCheck(missing)).toThrow(
      /@dp\/scores\/testing needs fast-check.*; fix: npm install --save-dev fast-check@\^4\.3\.0/,
    );
  });

  it('rethrows any other failure unchanged', () => {
    const broken = () => {
      throw new SyntaxError('Unexpected token');
    };
    expect(() => loadFastCheck(broken)).toThrow(SyntaxError);
  });
});
