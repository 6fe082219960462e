import { launchFailure, launchLocal, launchTarget, rankTag } from '@dp/distributed';
import type { Command } from '../command.js';

export const launch: Command = {
  name: 'launch',
  summary: 'start N data-parallel workers of a command on this machine (TF_CONFIG on loopback)',
  help: () => `Usage: dp launch --workers N [--port P] -- dp train [train options]

Starts N copies of the command after \`--\`, each with its own TF_CONFIG (a cluster of N workers on 127.0.0.1), so
that \`dp train\` trains data-parallel on this machine: --batch-size is the global batch, each worker trains
batch-size / N of it per step, gradients are averaged by TensorFlow's collective all-reduce, and worker 0 writes the
run directory. Each output line is prefixed with its worker's rank. If a worker dies, the others stop with an error
naming it and dp launch exits non-zero; resume all of them with the same N (\`dp launch --workers N -- dp train
--resume DIR\`). Ctrl-C / SIGTERM are forwarded to every worker: the first stops them all after the same step,
keeping the last checkpoint (before training starts, at once: nothing is written); a second stops them at once
(any worker still running 10 s later is killed), the last checkpoint intact; exit code 130. On several machines, start \`dp train\` on each with
TF_CONFIG set instead (see the README's multi-machine section).

  --workers N             number of workers (>= 1)
  --port P                worker 0's gRPC port, worker r uses P + r (default: free ports chosen by the system)
`,
  examples: [
    'dp launch --workers 2 -- dp train --dataset fashion-mnist --model cnn-small --batch-size 128 --out runs/dp2',
    'dp launch --workers 2 -- dp train --resume runs/dp2',
  ],
  flags: { workers: { type: 'string' }, port: { type: 'string' } },
  positionals: true,
  async run(values, positionals) {
    const target = launchTarget(
      { workers: values.workers, port: values.port, command: positionals },
      { node: process.execPath, script: process.argv[1]! },
    );
    const { workers } = target;
    const result = await launchLocal({
      ...target,
      onStart: (rank, pid, address) =>
        process.stderr.write(
          `${rankTag(rank, workers)}dp launch: worker ${rank} of ${workers}: pid ${pid}, gRPC at ${address}\n`,
        ),
      onSignal: (signal, count) =>
        process.stderr.write(
          count === 1
            ? `dp launch: ${signal}: every worker stops after the current step, keeping the last checkpoint; press Ctrl-C again to stop at once\n`
            : `dp launch: ${signal} again: every worker stops at once (killed if still running in 10 s); the last checkpoint stays intact\n`,
        ),
      onLine: (rank, stream, line) =>
        (stream === 'stdout' ? process.stdout : process.stderr).write(`${rankTag(rank, workers)}${line}\n`),
    });
    if (result.interrupted)
      process.stderr.write(`dp launch: ${result.interrupted} forwarded to every worker; they have stopped\n`);
    const failure = launchFailure(result, workers);
    if (failure) process.stderr.write(`dp launch: error: ${failure.message}\n`);
    return result.code;
  },
};
