import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Documentation checks: the results tables in README.md and results/README.md are what the results files give.
export default mergeConfig(shared, defineProject({ test: { name: 'docs', testTimeout: 180_000 } }));
