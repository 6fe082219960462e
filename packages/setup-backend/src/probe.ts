import { run } from './exec.js';

export interface NativeProbe {
  /** 'tensorflow' when the binding loaded. */
  backend: string;
  /** libtensorflow's version, from the binding. */
  tensorflowVersion: string;
}

/**
 * Load tfjs-node from `dir` in a child process (a broken binding can crash the process that loads it) and report
 * the backend it registered. Null when it does not load or is not the native backend.
 */
export function probeNative(dir: string, cwd: string, env: NodeJS.ProcessEnv): NativeProbe | null {
  const script = `const tf=require(${JSON.stringify(dir)});process.stdout.write(JSON.stringify({backend:tf.getBackend(),v:String(tf.backend().binding.TF_Version||'')}))`;
  const r = run(process.execPath, ['-e', script], cwd, { ...env, TF_CPP_MIN_LOG_LEVEL: '2' });
  if (!r.ok) return null;
  try {
    const j = JSON.parse(r.stdout) as { backend?: string; v?: string };
    return j.backend === 'tensorflow' ? { backend: j.backend, tensorflowVersion: j.v ?? '' } : null;
  } catch {
    return null;
  }
}
