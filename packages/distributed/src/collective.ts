/**
 * A process's membership of a TensorFlow collective-ops cluster: all-reduce and all-gather of typed arrays through
 * TensorFlow's own runtime (CollectiveReduceV2 / CollectiveGatherV2, ring implementation over gRPC), with a
 * watchdog that health-checks the peers while a collective waits and aborts it, naming the worker, when one is down.
 *
 * Every worker must call the same collectives in the same order: each call takes the next instance key.
 */
import { clusterFingerprint, type ClusterSpec, type TaskSpec } from './cluster-spec.js';
import { DistributedError } from './errors.js';
import { loadNative, type NativeCollective, type NativeContext } from './native.js';
import { resolveJoinOptions, type JoinOptions, type ResolvedJoinOptions } from './options.js';
import { encodeConfigProto, encodeServerDef } from './server-def.js';

export type ReduceOp = 'sum' | 'mean' | 'max' | 'min';
const REDUCE_OPS: Record<ReduceOp, readonly [merge: string, final: string]> = {
  sum: ['Add', 'Id'],
  mean: ['Add', 'Div'],
  max: ['Max', 'Id'],
  min: ['Min', 'Id'],
};
type Gatherable = Float32Array | Int32Array | Float64Array;
type Reducible = Float32Array | Float64Array | Int32Array;
/** How a pending collective is watched: every peer health-checked, or at start-up only the peers seen up once. */
type Watch = 'peers' | 'started peers';

const TF_UNAVAILABLE = 14;
const TF_CANCELLED = 1;
const HEALTH_ATTEMPTS = 2;

const describe = (t: TaskSpec, worldSize: number): string =>
  `worker ${t.rank} of ${worldSize} (${t.name} at ${t.address})`;
/** A pause that does not keep the process alive by itself. */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Joins this process to the cluster: starts its gRPC server, then waits (at most startupTimeoutMs) until every
 * worker has joined with the same cluster. Resolves to the membership; rejects with a DistributedError.
 */
export async function joinCluster(options: JoinOptions): Promise<Collective> {
  const o = resolveJoinOptions(options);
  const native = loadNative();
  let ctx: NativeContext;
  try {
    ctx = native.open(encodeServerDef(o.cluster), encodeConfigProto(o.cluster));
  } catch (e) {
    const self = o.cluster.self;
    throw new DistributedError(
      `${describe(self, o.cluster.worldSize)} could not start: ${(e as Error).message}`,
      `check that ${self.address} is this machine's address and its port is free (TF_CONFIG.task.index = ${self.index} names this process)`,
      'TF_CONFIG.task',
      self.address,
      (e as { code?: string }).code,
    );
  }
  const member = new Collective(native, ctx, o);
  await member.barrier();
  return member;
}

/** Every membership this process holds, joined or still joining: what abortCollectives() reaches. */
const members = new Set<Collective>();

/**
 * Aborts the pending and later collectives of every membership in this process, including a joinCluster still
 * waiting for its peers: for a process about to exit at once (Ctrl-C). Needed: a collective left pending holds a
 * thread that process exit waits for, so the process would not end.
 */
export function abortCollectives(reason: string): void {
  for (const m of members) m.abort(reason);
}

export class Collective {
  readonly cluster: ClusterSpec;
  readonly rank: number;
  readonly worldSize: number;
  /** The last instance key used: the number of collectives run so far. */
  private instanceKey = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Collectives issued and not yet settled. */
  private pending = 0;
  private failure: DistributedError | null = null;
  private closed = false;

  /** @internal use joinCluster */
  constructor(
    private readonly native: NativeCollective,
    private readonly ctx: NativeContext,
    private readonly options: ResolvedJoinOptions,
  ) {
    this.cluster = options.cluster;
    this.rank = options.cluster.rank;
    this.worldSize = options.cluster.worldSize;
    members.add(this);
  }

  /** Element-wise sum (or mean, max, min) of `data` over all workers; every worker gets the same result. */
  allReduce<T extends Reducible>(data: T, op: ReduceOp = 'sum'): Promise<T> {
    const ops = Object.prototype.hasOwnProperty.call(REDUCE_OPS, op) ? REDUCE_OPS[op] : undefined;
    if (!ops)
      throw DistributedError.invalid('allReduce op', op, Object.keys(REDUCE_OPS).join(' | '), "pass 'sum' or 'mean'");
    checkArray('allReduce data', data);
    return this.enqueue('all-reduce', data, false, ops[0], ops[1], this.options.timeoutMs) as Promise<T>;
  }

  /**
   * Every worker's `data`, concatenated in rank order (worker 0's first). Every worker must pass the same length;
   * the result has worldSize times as many elements.
   */
  allGather<T extends Gatherable>(data: T): Promise<T> {
    checkArray('allGather data', data);
    return this.enqueue('all-gather', data, true, '', '', this.options.timeoutMs) as Promise<T>;
  }

  /**
   * Leaves the cluster cleanly: resolves once every worker has finished all its collectives, so that this process
   * may exit. (TensorFlow's collectives pull data from peers: a worker that exits right after its last all-reduce
   * can still be needed by a slower peer, which then fails.) Two barriers: when the first completes anywhere, every
   * worker has completed all earlier collectives; a worker exits only after the second, so the first never loses a
   * peer, and the second's failures (a peer already gone) are harmless. Further collectives are refused; the
   * TensorFlow server itself lives until the process exits.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.enqueue('closing barrier', Float32Array.of(0), false, 'Add', 'Id', this.options.timeoutMs);
    await this.schedule(async () => {
      this.closed = true;
      if (this.failure) return;
      const key = ++this.instanceKey;
      const bound = Math.min(this.options.timeoutMs, this.options.healthCheckTimeoutMs) / 1000;
      await this.native
        .collective(
          this.ctx,
          false,
          Float32Array.of(0),
          this.worldSize,
          this.options.groupKey,
          key,
          'Add',
          'Id',
          bound,
          this.cluster.self.device,
        )
        .catch(() => undefined);
    });
  }

  /**
   * Fails this worker's pending and later collectives at once with `reason` (TensorFlow's are aborted): for a process
   * about to exit without waiting for its peers (a second Ctrl-C). The peers find it down by their health checks.
   */
  abort(reason: string): void {
    this.fail(
      new DistributedError(
        `${describe(this.cluster.self, this.worldSize)} aborted its collectives: ${reason}`,
        'restart every worker with the same TF_CONFIG (training resumes from the last checkpoint)',
        'collective',
        'aborted',
        'TF_CANCELLED',
      ),
    );
  }

  /** @internal Start-up: every worker joined, each with the same cluster and its own rank. */
  async barrier(): Promise<void> {
    const mine = Int32Array.of(this.rank, this.worldSize, clusterFingerprint(this.cluster));
    const all = (await this.enqueue(
      'start-up barrier',
      mine,
      true,
      '',
      '',
      this.options.startupTimeoutMs,
      'started peers',
    )) as Int32Array;
    for (let r = 0; r < this.worldSize; r++) {
      const [rank, size, fingerprint] = [all[3 * r], all[3 * r + 1], all[3 * r + 2]];
      if (rank !== r || size !== this.worldSize || fingerprint !== mine[2]) {
        throw this.fail(
          new DistributedError(
            `worker ${r} joined with a different cluster (its rank ${rank}, world size ${size}) than ${describe(this.cluster.self, this.worldSize)}`,
            'start every worker with the same TF_CONFIG.cluster, each with its own task.index',
            'TF_CONFIG.cluster',
            r,
          ),
        );
      }
    }
  }

  /**
   * Runs collectives one at a time, in call order. With none pending the collective starts now, and the addon copies
   * `data` before this returns; a queued one works on a copy taken now (the caller may reuse its array).
   */
  private enqueue(
    what: string,
    data: Gatherable,
    gather: boolean,
    merge: string,
    final: string,
    timeoutMs: number,
    watch: Watch = 'peers',
  ): Promise<Gatherable> {
    const input = this.pending === 0 ? data : (data.slice() as Gatherable);
    return this.schedule(() => this.execute(what, input, gather, merge, final, timeoutMs, watch));
  }

  private schedule<T>(task: () => Promise<T>): Promise<T> {
    const run = this.pending === 0 ? task() : this.queue.then(task);
    this.pending++;
    this.queue = run.then(
      () => void this.pending--,
      () => void this.pending--,
    );
    return run;
  }

  private async execute(
    what: string,
    input: Gatherable,
    gather: boolean,
    merge: string,
    final: string,
    timeoutMs: number,
    watch: Watch,
  ): Promise<Gatherable> {
    if (this.closed)
      throw new DistributedError(
        `${what} after close()`,
        'join the cluster again in a new process',
        'collective',
        'closed',
      );
    if (this.failure) throw this.failure;
    if (this.instanceKey >= 2 ** 31 - 1)
      throw new DistributedError(
        'more than 2^31 - 1 collectives in one process',
        'restart the workers (from a checkpoint)',
      );
    const key = ++this.instanceKey;
    const label = `${what} #${key} (${input.length} ${input.constructor.name.replace('Array', '')} values)`;
    const watchdog = this.watch(label, watch === 'started peers');
    try {
      const device = this.cluster.self.device;
      const buffer = await this.native.collective(
        this.ctx,
        gather,
        input,
        this.worldSize,
        this.options.groupKey,
        key,
        merge,
        final,
        timeoutMs / 1000,
        device,
      );
      return new (input.constructor as new (b: ArrayBuffer) => Gatherable)(buffer);
    } catch (e) {
      throw this.fail(watchdog?.found() ?? (await this.diagnose(e as Error & { code?: string }, label, timeoutMs)));
    } finally {
      watchdog?.stop();
    }
  }

  /**
   * Health-checks every peer until stopped; aborts the pending collective when one is down. `startup`: the start-up
   * barrier, where a peer not yet started fails its checks too: only a peer that answered once and then fails is
   * down (a worker that left during start-up, e.g. on Ctrl-C), so the others stop within the health-check bound
   * instead of waiting out startupTimeoutMs.
   */
  private watch(label: string, startup = false): { stop(): void; found(): DistributedError | null } {
    let stopped = false;
    let found: DistributedError | null = null;
    const seen = new Set<number>();
    const loop = async (): Promise<void> => {
      while (!stopped) {
        await sleep(this.options.healthCheckIntervalMs);
        if (stopped) return;
        const down = await this.downPeers(HEALTH_ATTEMPTS, () => stopped, startup ? seen : undefined);
        if (down.length > 0 && !stopped) {
          found = this.peersDown(down, label);
          this.native.abort(this.ctx, TF_UNAVAILABLE, found.message);
          return;
        }
      }
    };
    void loop();
    return { stop: () => void (stopped = true), found: () => found };
  }

  /**
   * The peers that fail `attempts` health checks in a row, with TensorFlow's messages. One peer at a time: a check
   * holds one of libuv's thread-pool threads (4 by default) while it waits, and a healthy peer answers in a moment.
   */
  private async downPeers(
    attempts: number,
    cancelled: () => boolean = () => false,
    seen?: Set<number>,
  ): Promise<Array<{ task: TaskSpec; message: string }>> {
    const down: Array<{ task: TaskSpec; message: string }> = [];
    for (const task of this.cluster.tasks) {
      if (task.rank === this.rank) continue;
      let message: string | null = '';
      // At start-up, a peer never seen up gets one check: it is either up now (seen) or not started yet.
      const tries = seen && !seen.has(task.rank) ? 1 : attempts;
      for (let a = 0; a < tries && message !== null; a++) {
        if (cancelled()) return [];
        message = await this.native.checkPeerHealth(this.ctx, task.name, this.options.healthCheckTimeoutMs).then(
          () => null,
          (e: Error) => e.message,
        );
      }
      if (message === null) seen?.add(task.rank);
      else if (!seen || seen.has(task.rank)) down.push({ task, message });
    }
    return cancelled() ? [] : down;
  }

  /** Names every peer found down (a worker that failed because of another may have exited too). */
  private peersDown(down: ReadonlyArray<{ task: TaskSpec; message: string }>, label: string): DistributedError {
    const which = down.map(
      ({ task, message }) => `${describe(task, this.worldSize)} is down (health check: ${message.split('\n')[0]})`,
    );
    return new DistributedError(
      `${which.join('; ')}; ${label} on worker ${this.rank} was aborted`,
      'restart every worker with the same TF_CONFIG (training resumes from the last checkpoint)',
      down.map(({ task }) => `worker ${task.rank}`).join(', '),
      down.map(({ task }) => task.address).join(', '),
      'TF_UNAVAILABLE',
    );
  }

  /** After a collective failed: name the peer that is down, or explain TensorFlow's error. */
  private async diagnose(e: Error & { code?: string }, label: string, timeoutMs: number): Promise<DistributedError> {
    if (e instanceof DistributedError) return e;
    const down = await this.downPeers(1);
    if (down.length > 0) return this.peersDown(down, label);
    const fix =
      e.code === 'TF_DEADLINE_EXCEEDED'
        ? `a peer did not reach the same collective within ${timeoutMs} ms: make every worker run the same steps in the same order, or raise timeoutMs (TF_CONFIG lists ${this.worldSize} workers; all must be started)`
        : 'check the other workers’ output; restart every worker with the same TF_CONFIG';
    return new DistributedError(
      `${label} failed on ${describe(this.cluster.self, this.worldSize)}: ${e.code ?? 'error'}: ${e.message.split('\n')[0]}`,
      fix,
      'collective',
      label,
      e.code,
    );
  }

  /** Records the first failure: later collectives fail with it at once (TensorFlow's collectives are aborted too). */
  private fail(error: DistributedError): DistributedError {
    if (!this.failure) {
      this.failure = error;
      try {
        this.native.abort(this.ctx, TF_CANCELLED, error.message);
      } catch {
        // already aborted
      }
    }
    return this.failure;
  }
}

function checkArray(field: string, data: unknown): void {
  if (!(data instanceof Float32Array || data instanceof Int32Array || data instanceof Float64Array)) {
    throw DistributedError.invalid(
      field,
      data,
      'a Float32Array, Int32Array or Float64Array',
      'pass tensor.dataSync() or a typed array',
    );
  }
}
