// `@dp/policies/testing`: the property suite every policy passes, to run on a custom policy (needs fast-check, an
// optional peer dependency, loaded when the suite runs), and the helpers it uses.
export { runPolicySuite } from './testing/suite.js';
export type { PolicySuiteOptions, TestApi } from './testing/suite.js';
export { createPrunerWithSampler, fakeLoss, trainEpoch } from './testing/helpers.js';
