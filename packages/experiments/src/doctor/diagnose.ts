import { cpus } from 'node:os';
import { DataError, FASHION_MNIST, locateIdx } from '@dp/data';
import {
  describeCpu,
  ONEDNN_TESTED_MODELS,
  oneDnnSafe,
  oneDnnState,
  type CpuInfo,
  type OneDnnState,
} from '@dp/trainer';
import { loadBackend, setupCommand } from '../backend.js';

/** What `diagnose` found: named rows to show, and whether training runs on the native backend (else why, and the fix). */
export interface Diagnosis {
  rows: [string, string][];
  native: boolean;
  /** Without the native backend: the reason and the command that installs it. */
  failure?: { reason: string; fix: string };
}

/**
 * A row a package outside this one adds to the diagnosis (e.g. @dp/distributed's `distributedCheck`: whether its
 * native addon loads), shown after the built-in rows. It reports; it does not fail the diagnosis.
 */
export interface DiagnosisCheck {
  name: string;
  check(): string | Promise<string>;
}

/**
 * Check where training would run: the backend and its TensorFlow, the CPU, oneDNN and thread settings, the batch-norm
 * and inference paths (a small model compiled and run as one native graph), and where the default dataset is found.
 * `checks` add rows of other packages. Prints nothing; `dp doctor` shows the rows.
 */
export async function diagnose(
  options: { gpu?: boolean; dataDir?: string; checks?: readonly DiagnosisCheck[] } = {},
): Promise<Diagnosis> {
  const cpu = describeCpu();
  const onednn = oneDnnState(cpu);
  // No onWarning: the diagnosis reports the fallback itself.
  const info = await loadBackend({ gpu: Boolean(options.gpu), allowCpu: true });
  const { dataDir } = options;
  let fmnist: string | undefined;
  try {
    fmnist = locateIdx(FASHION_MNIST, { dataDir });
  } catch (e) {
    // A --data-dir or $DP_DATA_DIR that is not a folder: what doctor is for, shown as the dataset's row.
    if (!(e instanceof DataError)) throw e;
    fmnist = `error: ${e.message}`;
  }
  const rows: [string, string][] = [
    ['backend', info.backend],
    ['package', info.package],
    ['TensorFlow', info.tensorflowVersion ?? '(none: not native)'],
    ['tfjs', info.tfjsVersion],
    ['node', process.version],
    ['cpu', `${cpu.model} (${cpu.vendor})`],
    ['cpu cores', String(cpus().length)],
    ['vector extensions', cpu.extensions.length ? cpu.extensions.join(' ') : 'none of AVX2 / AVX-512 / AMX'],
    ['oneDNN', oneDnnLine(cpu, onednn)],
    [
      'intra-op threads',
      `${process.env.TF_NUM_INTRAOP_THREADS ?? `TensorFlow default (${cpus().length})`} (TF_NUM_INTRAOP_THREADS)`,
    ],
    [
      'inter-op threads',
      `${process.env.TF_NUM_INTEROP_THREADS ?? `TensorFlow default (${cpus().length})`} (TF_NUM_INTEROP_THREADS)`,
    ],
    [
      'batch norm / ReLU',
      info.backend === 'tensorflow'
        ? 'fused TensorFlow kernels (models default; batchNorm: reference for tfjs-layers)'
        : 'tfjs-layers reference layers',
    ],
    [
      'inference',
      info.backend === 'tensorflow'
        ? await checkCompiledInference()
        : 'tfjs-layers forward pass (compiled graphs need the native backend)',
    ],
    ['fashion-mnist', fmnist ?? 'not found (apt-get install dataset-fashion-mnist, or it downloads on first use)'],
  ];
  for (const c of options.checks ?? []) rows.push([c.name, await c.check()]);
  if (info.backend !== 'tensorflow') {
    const gpu = info.package.endsWith('-gpu') || process.env.DP_TFJS === 'gpu' || Boolean(options.gpu);
    const reason = `training would run on the pure-JS '${info.backend}' backend (${info.nativeError ?? 'unknown reason'})`;
    return { rows, native: false, failure: { reason, fix: `run \`${setupCommand(gpu)}\`` } };
  }
  return { rows, native: true };
}

/** Compile and run a small model as one native graph: the path evaluation and scoring take by default. */
async function checkCompiledInference(): Promise<string> {
  const [{ buildModel, compileInference }, tf] = await Promise.all([
    import('@dp/models'),
    import('@tensorflow/tfjs-core'),
  ]);
  const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
  try {
    const compiled = await compileInference(model);
    const x = tf.zeros([2, 28, 28, 1]);
    const y = compiled.predict(x);
    const ok = y.shape.join('x') === '2x10' && Array.from(y.dataSync()).every(Number.isFinite);
    tf.dispose([x, y]);
    compiled.dispose();
    return ok
      ? 'compiled TensorFlow graph, checked (--inference reference for tfjs-layers)'
      : 'compiled graph gave a wrong output: use --inference reference';
  } catch (e) {
    return `compiled graph failed (${(e as Error).message}): use --inference reference`;
  } finally {
    model.dispose();
  }
}

/** oneDNN's state and why, with what changes it. */
function oneDnnLine(cpu: CpuInfo, s: OneDnnState): string {
  if (!oneDnnSafe(cpu)) {
    return `${s.enabled ? 'on' : 'off'} (this CPU hides its cache sizes, where oneDNN crashes some layer shapes with SIGFPE: dp turns it on only for the models tested here, ${ONEDNN_TESTED_MODELS.join(', ')}, and only when it reads every model a command trains from its arguments; TF_ENABLE_ONEDNN_OPTS in the environment wins${s.source === 'env' ? `; TF_ENABLE_ONEDNN_OPTS=${s.env}` : ''})`;
  }
  if (s.source === 'env')
    return `${s.enabled ? 'on' : 'off'} (TF_ENABLE_ONEDNN_OPTS=${s.env}${s.enabled ? '' : '; unset it, or set 1, for up to 1.9x faster training'})`;
  const has = cpu.extensions.filter((x) => /vnni|bf16|amx/.test(x));
  return `${s.enabled ? 'on' : 'off'} (TensorFlow's default for this CPU: ${has.length ? `it has ${has.join(', ')}` : 'no AVX512_VNNI / AVX_VNNI / AMX'}; TF_ENABLE_ONEDNN_OPTS=1 turns it on)`;
}
