import { cpus } from 'node:os';
import { DataError, FASHION_MNIST, locateIdx } from '@dp/data';
import { nativeStatus } from '@dp/distributed';
import { describeCpu, oneDnnSafe, oneDnnState, type CpuInfo, type OneDnnState } from '@dp/trainer';
import { loadBackend, setupCommand } from '@dp/experiments';
import type { Command } from '../command.js';

export const doctor: Command = {
  name: 'doctor',
  summary: 'check the native backend and the default dataset',
  help: () => `Usage: dp doctor [--gpu] [--data-dir DIR]

Checks that training will run on the native TensorFlow backend and that the default dataset is found.
Exits 1 if training would fall back to the pure-JS cpu backend.
`,
  examples: ['dp doctor'],
  flags: { gpu: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  run: checkSetup,
};

async function checkSetup(values: Record<string, string | boolean | undefined>): Promise<number> {
  const cpu = describeCpu();
  const onednn = oneDnnState(cpu);
  // No onWarning: doctor reports the fallback itself (and was not given --allow-cpu).
  const info = await loadBackend({ gpu: Boolean(values.gpu), allowCpu: true });
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
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
    ['distributed', distributedLine()],
  ];
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(18)} ${v}\n`);
  if (info.backend !== 'tensorflow') {
    process.stdout.write(
      `\nFAIL: training would run on the pure-JS '${info.backend}' backend (${info.nativeError ?? 'unknown reason'}).\n      fix: run \`${setupCommand(info.package.endsWith('-gpu') || process.env.DP_TFJS === 'gpu' || Boolean(values.gpu))}\`.\n`,
    );
    return 1;
  }
  process.stdout.write('\nOK: training runs on the native TensorFlow backend.\n');
  return 0;
}

/** Whether @dp/distributed's native addon loads (multi-worker training: dp launch, TF_CONFIG), and why not. */
function distributedLine(): string {
  const s = nativeStatus();
  return s.ok
    ? `addon loads (TensorFlow ${s.tensorflow} collectives): dp launch and TF_CONFIG workers available`
    : `unavailable (one-process training is unaffected): ${s.reason}`;
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
    return `${s.enabled ? 'on' : 'off'} (this CPU hides its cache sizes, where oneDNN crashes some layer shapes with SIGFPE: dp leaves it off unless TF_ENABLE_ONEDNN_OPTS=1${s.source === 'env' ? `; TF_ENABLE_ONEDNN_OPTS=${s.env}` : ''})`;
  }
  if (s.source === 'env')
    return `${s.enabled ? 'on' : 'off'} (TF_ENABLE_ONEDNN_OPTS=${s.env}${s.enabled ? '' : '; unset it, or set 1, for up to 1.9x faster training'})`;
  const has = cpu.extensions.filter((x) => /vnni|bf16|amx/.test(x));
  return `${s.enabled ? 'on' : 'off'} (TensorFlow's default for this CPU: ${has.length ? `it has ${has.join(', ')}` : 'no AVX512_VNNI / AVX_VNNI / AMX'}; TF_ENABLE_ONEDNN_OPTS=1 turns it on)`;
}
