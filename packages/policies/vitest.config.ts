import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Type tests (src/**/*.test-d.ts: the typed pruner config) run with the others, type-checked by tsc.
export default mergeConfig(
  shared,
  defineProject({ test: { name: '@dp/policies', typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] } } }),
);
