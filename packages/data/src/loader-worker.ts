/**
 * Worker-thread side of the batch loader: builds batches from the shared uint8 pixels and posts them back with
 * their float32 buffers transferred (no copy). Each posted result bumps a shared counter so the main thread can
 * block on it (Atomics.wait) or await it (Atomics.waitAsync).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { buildBatch, Scratch, type KernelData } from './batch-kernel.js';

interface Init {
  data: KernelData;
  port: MessagePort;
  signal: Int32Array;
}

interface Task {
  tag: number;
  epoch: number;
  index: number;
  ids: Uint32Array;
  weights: Float32Array;
}

const { data, port, signal } = workerData as Init;
const scratch = new Scratch();

// Dying outside a task's try (an uncaught error elsewhere, process.exit): tell the main thread at once through the
// shared signal (slot 1 = dead, and a bump of the reply counter to wake it). It may be blocked in Atomics.wait,
// where the Worker's 'error' and 'exit' events cannot reach it; the message carries the reason when it gets through.
function die(reason: string): void {
  if (Atomics.load(signal, 1) !== 0) return;
  try {
    port.postMessage({ tag: 0, fatal: reason });
  } catch {
    // The port may already be closing: the flag below still gets through.
  }
  Atomics.store(signal, 1, 1);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}
process.on('uncaughtException', (e) => {
  die(e.stack ?? String(e));
  process.exit(1);
});
process.on('exit', (code) => die(`exited with code ${code}`));

port.on('message', (task: Task) => {
  try {
    const b = buildBatch(data, task.ids, task.weights, task.epoch, task.index, scratch);
    port.postMessage({ tag: task.tag, batch: b }, [
      b.x.buffer,
      b.labels.buffer,
      b.ids.buffer,
      b.weights.buffer,
    ] as ArrayBuffer[]);
  } catch (e) {
    port.postMessage({ tag: task.tag, error: (e as Error).stack ?? String(e) });
  }
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});

parentPort?.postMessage('ready');
