import { describe, expect, it } from 'vitest';
import { PrunerError } from '@dp/policies';
import { ExperimentError } from '../errors.js';
import { closest } from './closest.js';
import { errorLine, explainError, isUserError } from './user-error.js';

describe('how a command shows the error it stopped on', () => {
  it('shows a user error (any dp error, or a named error class of a package) as one line with a fix and exit code', () => {
    expect(explainError(new ExperimentError('no run there; fix: give a run directory'), 'train')).toEqual({
      line: 'no run there; fix: give a run directory',
      exitCode: 2,
    });
    expect(explainError(new ExperimentError('stopped; fix: resume it', 130), 'train')!.exitCode).toBe(130);
    expect(isUserError(new PrunerError('pruneRatio', 2, 'a number in [0, 1)'))).toBe(true);
    class PluginError extends Error {
      override name = 'PluginError';
    }
    // A package's error without a fix of its own gets the command's help as its fix; line breaks are collapsed.
    expect(explainError(new PluginError('bad\n  input'), 'score')).toEqual({
      line: 'bad input; fix: see `dp score --help`',
      exitCode: 2,
    });
  });

  it('shows a file-system error with its path and a fix (exit 1), and leaves a bug to its stack', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      syscall: 'write',
      path: '/full/run',
    });
    expect(isUserError(enospc)).toBe(false);
    expect(explainError(enospc, 'train')).toEqual({
      line: expect.stringMatching(/^cannot write \/full\/run: ENOSPC \(no space left on device\); fix: free space/),
      exitCode: 1,
    });
    expect(explainError(new TypeError("Cannot read properties of undefined (reading 'x')"), 'train')).toBeUndefined();
    expect(explainError('a string', 'train')).toBeUndefined();
  });

  it('keeps a fix given mid-sentence', () => {
    expect(errorLine('it broke. fix: retry', 'bench')).toBe('it broke. fix: retry');
    expect(errorLine('fix: retry', 'bench')).toBe('fix: retry');
  });

  it('suggests the one nearest candidate within two edits, none when two are equally near', () => {
    expect(closest('trian', ['train', 'compare', 'report'])).toBe('train');
    expect(closest('REPORT', ['train', 'compare', 'report'])).toBe('report');
    expect(closest('zzzzzz', ['train', 'compare'])).toBeUndefined();
    expect(closest('ab', ['ax', 'bb'])).toBeUndefined();
  });
});
