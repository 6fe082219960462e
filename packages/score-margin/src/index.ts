// A scoring plug-in: the default export implements @dp/scores' Score interface.
// Load it with `loadScorePlugin('@dp/score-margin')` (or `dp score --score @dp/score-margin`).
export { default, negatedMargin } from './margin.js';
