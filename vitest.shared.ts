import { defineProject } from 'vitest/config';

/** Settings every package's tests share: native TensorFlow tests are slow to start and heavy, hence the long timeouts. */
export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { TF_CPP_MIN_LOG_LEVEL: '2' },
  },
});
