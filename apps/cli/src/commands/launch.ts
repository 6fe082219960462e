import { launchLocal } from '@dp/distributed';
import { ExperimentError } from '@dp/experiments';
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
--resume DIR\`). Ctrl-C / SIGTERM are forwarded to every worker. On several machines, start \`dp train\` on each with
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
    const workers = integerFlag('workers', values.workers, true)!;
    const port = integerFlag('port', values.port, false);
    if (positionals.length === 0)
      throw new ExperimentError(
        'no command to launch; fix: give it after `--`, e.g. dp launch --workers 2 -- dp train --epochs 1',
      );
    // `dp ...` runs this very CLI, with the same Node.
    const [command, args] =
      positionals[0] === 'dp'
        ? [process.execPath, [process.argv[1]!, ...positionals.slice(1)]]
        : [positionals[0]!, positionals.slice(1)];
    const width = String(workers - 1).length;
    const result = await launchLocal({
      workers,
      ...(port !== undefined ? { port } : {}),
      command,
      args,
      onStart: (rank, pid, address) =>
        process.stderr.write(
          `[${String(rank).padStart(width)}] dp launch: worker ${rank} of ${workers}: pid ${pid}, gRPC at ${address}\n`,
        ),
      onLine: (rank, stream, line) =>
        (stream === 'stdout' ? process.stdout : process.stderr).write(`[${String(rank).padStart(width)}] ${line}\n`),
    });
    if (result.interrupted)
      process.stderr.write(`dp launch: ${result.interrupted} forwarded to every worker; they have stopped\n`);
    else if (result.failed) {
      const f = result.failed;
      const how = f.signal ? `was killed by ${f.signal}` : `exited with code ${f.code}`;
      process.stderr.write(
        `dp launch: error: worker ${f.rank} of ${workers} (pid ${f.pid}) ${how}, the first to fail; the others were stopped; fix: see its output above ([${f.rank}] lines), then resume every worker from the last checkpoint with the same --workers ${workers}\n`,
      );
    }
    return result.code;
  },
};

function integerFlag(name: string, value: string | boolean | undefined, required: boolean): number | undefined {
  if (value === undefined) {
    if (required) throw new ExperimentError(`--${name} is required; fix: pass --${name} N, e.g. --${name} 2`);
    return undefined;
  }
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new ExperimentError(`--${name} ${String(value)} is invalid: expected an integer; fix: pass --${name} 2`);
  return n;
}
