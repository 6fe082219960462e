import { ScoreError, show } from './errors.js';
import { SCORE_INPUTS, type Score } from './types.js';

const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Check that `candidate` implements the Score interface (shape only: behaviour is what the shared suite in
 * `@dp/scores/testing` checks). `source` names where it came from, for the message.
 */
export function validateScore(candidate: unknown, source = 'score'): Score {
  const fail = (problem: string) =>
    new ScoreError(
      `${source} is not a valid score: ${problem}`,
      'implement the Score interface of @dp/scores (name, summary, inputs, optionNames, create); see CONTRIBUTING.md',
      'score',
    );
  if (candidate === null || typeof candidate !== 'object') throw fail(`expected an object, got ${show(candidate)}`);
  const s = candidate as Record<string, unknown>;
  if (typeof s.name !== 'string' || !NAME.test(s.name))
    throw fail(`name = ${show(s.name)}: expected lower-case kebab-case like 'my-score'`);
  if (typeof s.summary !== 'string' || s.summary.trim() === '') throw fail('summary must be a non-empty string');
  if (!Array.isArray(s.inputs) || s.inputs.length === 0)
    throw fail(`inputs = ${show(s.inputs)}: expected a non-empty array of ${SCORE_INPUTS.join(', ')}`);
  for (const input of s.inputs) {
    if (!SCORE_INPUTS.includes(input as never))
      throw fail(`inputs contains ${show(input)}: allowed are ${SCORE_INPUTS.join(', ')}`);
  }
  if (!Array.isArray(s.optionNames) || !s.optionNames.every((o) => typeof o === 'string'))
    throw fail('optionNames must be an array of strings');
  if (typeof s.create !== 'function') throw fail('create(datasetSize, options) must be a function');
  return candidate as Score;
}
