#!/usr/bin/env node
// TensorFlow's C++ start-up chatter (oneDNN / CPU feature notices) is noise for CLI users; DP_TF_LOG=1 keeps it.
if (!process.env.TF_CPP_MIN_LOG_LEVEL && !process.env.DP_TF_LOG) process.env.TF_CPP_MIN_LOG_LEVEL = '2';
// Thread settings (read by TensorFlow only before tfjs-node is imported): all cores for intra-op parallelism, one
// inter-op thread because eager ops run one at a time (bench/speed/README.md). Explicit values win.
import { availableParallelism } from 'node:os';
process.env.TF_NUM_INTRAOP_THREADS ??= String(availableParallelism());
process.env.TF_NUM_INTEROP_THREADS ??= '1';
// TensorFlow's oneDNN kernels: on (TensorFlow 2.21 turns them on by default only on CPUs with AVX512_VNNI / AVX_VNNI /
// AMX; elsewhere training is 1.6-1.9x slower without them, bench/speed/README.md). On hosts that hide their cache
// sizes, where they crash some layer shapes, only for the models tested there (@dp/trainer oneDnnDecision), read from
// the arguments (--model, --models, --config, --resume). A value in the environment wins.
if (process.env.TF_ENABLE_ONEDNN_OPTS === undefined) {
  // If @dp/trainer cannot load (an unbuilt checkout), leave the variable unset: TensorFlow's own default is the safe one
  // on hosts where forcing oneDNN on would crash, and the command that follows reports the missing build.
  const trainer = await import('@dp/trainer').catch(() => null);
  const argvModels = await import('../dist/onednn-models.js').catch(() => null);
  if (trainer) {
    const { readFileSync } = await import('node:fs');
    const models = argvModels?.modelsOfCommand(process.argv.slice(2), (f) => readFileSync(f, 'utf8'));
    process.env.TF_ENABLE_ONEDNN_OPTS = trainer.oneDnnDefault(undefined, models);
  }
}
// A reader that stops early (`dp bench --dry-run | head`) closes stdout: stop quietly, as Unix tools do, rather than
// with an EPIPE stack trace. Any other stdout error is real and is rethrown.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import('../dist/main.js').catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/main.js')) {
    console.error(
      'dp: error: the CLI is not built (dist/main.js is missing); fix: in the repository run `npm run setup` (or `npm run build`); an installed @dp/cli ships it built: reinstall it',
    );
    process.exit(2);
  }
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
