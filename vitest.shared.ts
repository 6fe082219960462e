import { defineProject } from 'vitest/config';
import { oneDnnDefault } from './packages/trainer/src/onednn-default.js';

/** Settings every package's tests share: native TensorFlow tests are slow to start and heavy, hence the long timeouts. */
export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // oneDNN as `dp` runs it (apps/cli/bin/dp.mjs): on, except on hosts where it crashes some layer shapes.
    env: { TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: process.env.TF_ENABLE_ONEDNN_OPTS ?? oneDnnDefault() },
  },
});
