import { getScore, scoreNames } from '@dp/scores';
import { EQUAL_STEPS } from './equal-steps.js';
import { methodInfo, methodNames } from './methods.js';

/**
 * Method names for help texts and examples, chosen by their metadata, so an application's help names no policy of
 * its own: the full-data baseline, the uniform reference, the equal-steps baseline, and the pruning methods that
 * select by training losses (in registry order), with an example option of the first: its first numeric option at
 * twice its default.
 */
export function exampleMethods(): {
  full: string;
  uniform: string;
  equalSteps: string;
  scored: string[];
  option: { name: string; value: number };
  /** The method that keeps the top of a score file (dp score). */
  scoreFile: string;
} {
  const infos = methodNames().map(methodInfo);
  const scored = infos.filter((m) => m.role === 'pruning' && m.consumes === 'losses');
  const first = scored[0]!;
  const own = Object.entries(first.defaults).find(
    ([k, v]) => typeof v === 'number' && v > 0 && !methodInfo(infos[0]!.name).optionNames.includes(k),
  )!;
  return {
    full: infos.find((m) => m.role === 'full-data')!.name,
    uniform: infos.find((m) => m.role === 'uniform')!.name,
    equalSteps: EQUAL_STEPS,
    scored: scored.map((m) => m.name),
    option: { name: own[0], value: 2 * (own[1] as number) },
    scoreFile: infos.find((m) => m.consumes === 'score-file')!.name,
  };
}

/** The scores with a default protocol (the built-in static scores), those trained first leading. */
export function exampleScores(): string[] {
  const withDefaults = scoreNames().filter((n) => getScore(n).defaults);
  return [
    ...withDefaults.filter((n) => getScore(n).defaults!.epochs > 0),
    ...withDefaults.filter((n) => !getScore(n).defaults!.epochs),
  ];
}

/** The built-in scores' default protocols in words ('el2n 2 epochs x 2 runs, ...'), for help texts. */
export function scoreDefaultsText(): string {
  return scoreNames()
    .flatMap((n) => {
      const d = getScore(n).defaults;
      return d ? [`${n} ${d.epochs} x ${d.runs}`] : [];
    })
    .join(', ');
}
