// `@dp/scores/testing`: the shared score test suite (needs fast-check, an optional peer dependency).
export { runScoreSuite } from './testing/suite.js';
export type { SuiteOptions, TestApi } from './testing/suite.js';
