import { describe, expect, it } from 'vitest';
import { BUILTIN_SCORES } from './registry.js';
import { runScoreSuite } from './testing/suite.js';
import { batchLoss } from './scores/batch-loss.js';
import { lossEma } from './scores/loss-ema.js';

for (const score of BUILTIN_SCORES) runScoreSuite(score, { describe, it, expect });
// The UCB form of the EMA scores (values = mean + c * std) as well.
runScoreSuite(lossEma, { describe, it, expect }, { createOptions: { decay: 0.5, stdWeight: 2 }, numRuns: 25 });
runScoreSuite(batchLoss, { describe, it, expect }, { createOptions: { decay: 0, stdWeight: 1 }, numRuns: 25 });
