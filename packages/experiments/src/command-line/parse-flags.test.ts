import { describe, expect, it } from 'vitest';
import { ExperimentError } from '../errors.js';
import { flagString, parseFlags } from './parse-flags.js';

const FLAGS = {
  seed: { type: 'string' as const },
  title: { type: 'string' as const },
  gpu: { type: 'boolean' as const },
  score: { type: 'string' as const, multiple: true },
};

describe('parseFlags (every dp command line)', () => {
  it('reads flags and positionals, and a negative number as the value of a string flag', () => {
    expect(parseFlags(['a.jsonl', '--seed', '-1', '--gpu', '--score', 'x', '--score', 'y'], FLAGS, 'report')).toEqual({
      values: { seed: '-1', gpu: true, score: ['x', 'y'] },
      positionals: ['a.jsonl'],
    });
    expect(parseFlags(['--seed', '-.5'], FLAGS, 'train').values.seed).toBe('-.5');
  });

  it('refuses an unknown flag and an empty value, in one line that points at the help', () => {
    expect(() => parseFlags(['--sead', '1'], FLAGS, 'train')).toThrow(ExperimentError);
    expect(() => parseFlags(['--sead', '1'], FLAGS, 'train')).toThrow(
      /^Unknown option '--sead'; fix: see `dp train --help`$/,
    );
    expect(() => parseFlags(['--seed', ''], FLAGS, 'train')).toThrow(
      '--seed "" is empty: expected a value; fix: give --seed a value, or leave it out for its default (see `dp train --help`)',
    );
    expect(() => parseFlags(['--score', 'x', '--score', ' '], FLAGS, 'score')).toThrow(/--score " " is empty/);
    expect(parseFlags(['--title', ''], FLAGS, 'report', ['title']).values.title).toBe('');
  });

  it('gives a string flag or undefined', () => {
    expect(flagString({ a: 'x', b: true }, 'a')).toBe('x');
    expect(flagString({ a: 'x', b: true }, 'b')).toBeUndefined();
    expect(flagString({}, 'c')).toBeUndefined();
  });
});
