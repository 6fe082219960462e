import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// The packed-tarball test: npm pack of every public package, installed offline into projects outside the repository.
export default mergeConfig(
  shared,
  defineProject({ test: { name: 'packed', testTimeout: 600_000, hookTimeout: 600_000 } }),
);
