import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { quietTensorFlowLogs } from './quiet-tensorflow.js';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
// @dp/models first, then tfjs-node, then a compiled inference (which loads a SavedModel: TensorFlow's INFO lines).
const script = `
const { buildModel, compileInference } = await import(${JSON.stringify(dist)});
const tf = await import('@tensorflow/tfjs-node');
const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
const compiled = await compileInference(model);
console.log('shape', compiled.predict(tf.zeros([1, 28, 28, 1])).shape.join('x'));
`;

function run(env: Record<string, string | undefined>) {
  const clean = { ...process.env };
  delete clean.TF_CPP_MIN_LOG_LEVEL;
  delete clean.DP_TF_LOG;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...clean, TF_ENABLE_ONEDNN_OPTS: '0', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('quietTensorFlowLogs', () => {
  it('sets level 2 only when the user set nothing', () => {
    const env: Record<string, string | undefined> = {};
    expect(quietTensorFlowLogs(env)).toBe(true);
    expect(env.TF_CPP_MIN_LOG_LEVEL).toBe('2');
    const mine: Record<string, string | undefined> = { TF_CPP_MIN_LOG_LEVEL: '0' };
    expect(quietTensorFlowLogs(mine)).toBe(false);
    expect(mine.TF_CPP_MIN_LOG_LEVEL).toBe('0');
    const verbose: Record<string, string | undefined> = { DP_TF_LOG: '1' };
    expect(quietTensorFlowLogs(verbose)).toBe(false);
    expect(verbose.TF_CPP_MIN_LOG_LEVEL).toBeUndefined();
  });
});

describe('TensorFlow INFO lines for library users', () => {
  it('are silenced when the user set nothing', () => {
    const r = run({});
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('shape 1x10');
    expect(r.stderr).not.toMatch(/SavedModel/);
  });

  it('are kept when the user asked for them (their TF_CPP_MIN_LOG_LEVEL wins)', () => {
    const r = run({ TF_CPP_MIN_LOG_LEVEL: '0' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/SavedModel/);
  });
});
