import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tests/*'],
    reporters: ['default', './scripts/summary-reporter.mjs'],
  },
});
