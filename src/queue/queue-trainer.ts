/**
 * A Trainer whose tasks run on worker processes anywhere, through BullMQ on Redis. The
 * coordinator keeps the clock, the actors and the scenario; only tasks travel. Each task's payload
 * and result sit in Redis keys with an expiry (task-envelope.ts, redis-keys.ts), deleted as soon as
 * the result is read; job ids are deterministic (job-id.ts), so the same task added twice is one
 * job. A result is accepted only when it was computed on the run's backend with the run's package
 * versions. Redis gone for longer than `giveUpMs` fails every task with QueueUnavailableError.
 */
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { hashValue } from '../core/codec.js';
import type { FeatureStore } from '../data/types.js';
import { initBackend, type BackendName } from '../model/backend.js';
import { RequestTrainer } from '../train/request-trainer.js';
import type { ModelConfig } from '../model/model-config.js';
import type { WorkerRequest } from '../train/worker-protocol.js';
import { jobIdFor } from './job-id.js';
import { QueueTaskError, QueueUnavailableError } from './queue-errors.js';
import type { QueueAddress } from './queue-url.js';
import { connectGivingUp } from './redis-connection.js';
import { keyPrefix, PAYLOAD_TTL_MS, resultKey, taskKey, type JobData } from './redis-keys.js';
import { hashFeatureStore, readRequestSamples } from './store-hash.js';
import { portableDataSpec, type TaskDataSpec } from './task-data.js';
import { acceptResult, encodeTask } from './task-envelope.js';
import { packageVersions, type PackageVersions } from './versions.js';
import { WorkerWatch } from './worker-watch.js';

/** Options of QueueTrainer.create. */
export interface QueueTrainerOptions {
  address: QueueAddress;
  store: FeatureStore;
  config: ModelConfig;
  /** The scenario's data block: workers load the same data from it. */
  data: TaskDataSpec;
  /** Default: the first of tensorflow → wasm → cpu that starts here (workers must compute on it). */
  backend?: BackendName;
  /** How long Redis may be unreachable before the run stops, in ms (default 10 000). */
  giveUpMs?: number;
  /** Interval of the reconciliation and worker checks, in ms (default 1 000). */
  tickMs?: number;
  /** Interval of the repeated "no worker connected" notice, in ms (default 15 000). */
  noticeMs?: number;
  /** Where notices go (default stderr). */
  log?: (line: string) => void;
}

/** What crossed the queue so far. */
export interface QueueStats {
  /** Jobs added (a duplicate of a job in flight is not added again). */
  jobs: number;
  /** Payload bytes written to Redis. */
  bytesOut: number;
  /** Result bytes read from Redis. */
  bytesIn: number;
}

/** Times a task is added again after its result went missing (e.g. expired before it was read). */
const MAX_ATTEMPTS = 3;

type Outcome = { kind: 'result'; bytes: Uint8Array } | { kind: 'lost' };

interface InFlight {
  jobId: string;
  promise: Promise<Outcome>;
  resolve: (outcome: Outcome) => void;
  reject: (error: Error) => void;
  added: boolean;
}

/** Trains and evaluates on the queue's workers. */
export class QueueTrainer extends RequestTrainer {
  /** Totals of what travelled (for benchmarks and logs). */
  readonly stats: QueueStats = { jobs: 0, bytesOut: 0, bytesIn: 0 };
  private readonly inFlight = new Map<string, InFlight>();
  private failure: QueueUnavailableError | null = null;
  private readonly timer: NodeJS.Timeout;
  private ticking = false;
  private closed = false;

  private constructor(
    readonly backend: BackendName,
    private readonly address: QueueAddress,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly watch: WorkerWatch,
    private readonly fields: { config: ModelConfig; data: TaskDataSpec; storeHash: string; backend: BackendName; versions: PackageVersions },
    private readonly tag: string,
    lastError: () => string,
    tickMs: number,
    giveUpMs: number,
    private readonly store: FeatureStore,
  ) {
    super();
    events.on('completed', ({ jobId }) => void this.settle(jobId, null));
    events.on('failed', ({ jobId, failedReason }) => void this.settle(jobId, failedReason));
    events.on('error', () => {}); // connection trouble shows on `redis` (below)
    queue.on('error', () => {});
    redis.on('end', () => this.fail(lastError()));
    this.timer = setInterval(() => void this.tick(giveUpMs), tickMs); // wall-clock ok: polling Redis, never part of a result
    this.timer.unref();
  }

  /** Connects to the queue (QueueUnavailableError when Redis cannot be reached) and says whether workers serve it. */
  static async create(options: QueueTrainerOptions): Promise<QueueTrainer> {
    const { address } = options;
    const giveUpMs = options.giveUpMs ?? 10_000;
    const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
    const backend = options.backend ?? (await initBackend());
    let connection: Awaited<ReturnType<typeof connectGivingUp>>;
    try {
      connection = await connectGivingUp(address, giveUpMs);
    } catch (error) {
      throw new QueueUnavailableError(address.display, error instanceof Error ? error.message : String(error), 'start');
    }
    const { redis } = connection;
    const storeHash = hashFeatureStore(options.store);
    const fields = { config: options.config, data: portableDataSpec(options.data), storeHash, backend, versions: packageVersions(backend) };
    const tag = hashValue({ storeHash, config: options.config, backend }).slice(0, 12);
    const queue = new Queue<JobData>(address.name, { connection: redis });
    await queue.waitUntilReady();
    // Listen from the stream's current end: no event of a job added from now on can be missed.
    const last = (await redis.xrevrange(`${queue.keys.events}`, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
    const events = new QueueEvents(address.name, { connection: redis, lastEventId: last });
    await events.waitUntilReady();
    const watch = new WorkerWatch(queue, address.display, log, options.noticeMs ?? 15_000);
    await watch.check(0, performance.now()); // wall-clock ok: notices only
    return new QueueTrainer(backend, address, redis, queue, events, watch, fields, tag, connection.lastError, options.tickMs ?? 1_000, giveUpMs, options.store);
  }

  protected async run<T>(request: WorkerRequest): Promise<T> {
    if (this.failure) throw this.failure;
    // Lazily loaded data: the features of the client samples this task reads are checked per task.
    // Already read by the run's performer; a direct call reads them here.
    const samplesHash = readRequestSamples(this.store, request);
    const payload = encodeTask(request, samplesHash === null ? this.fields : { ...this.fields, samplesHash });
    for (let attempt = 1; ; attempt++) {
      const jobId = jobIdFor(this.tag, request, payload, attempt);
      const outcome = await this.submit(jobId, request.op, payload);
      if (outcome.kind === 'result') return acceptResult(outcome.bytes, this.fields, jobId) as T;
      if (attempt >= MAX_ATTEMPTS) throw new QueueTaskError(`task ${jobId}: its result went missing ${MAX_ATTEMPTS} times`);
    }
  }

  /** Adds the job (once per id) and resolves with its result bytes, or 'lost'. */
  private submit(jobId: string, op: string, payload: Uint8Array): Promise<Outcome> {
    const existing = this.inFlight.get(jobId);
    if (existing) return existing.promise;
    let resolve!: (o: Outcome) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<Outcome>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined); // a waiter that stopped listening (a run that stopped) must not crash the process
    const entry: InFlight = { jobId, promise, resolve, reject, added: false };
    this.inFlight.set(jobId, entry);
    const data: JobData = { task: taskKey(this.address.name, jobId), result: resultKey(this.address.name, jobId) };
    void (async () => {
      await this.redis.set(data.task, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), 'PX', PAYLOAD_TTL_MS);
      await this.queue.add(op, data, { jobId, removeOnComplete: true, removeOnFail: { age: 3600 }, attempts: 1 });
      this.stats.jobs++;
      this.stats.bytesOut += payload.length;
      entry.added = true;
    })().catch((error: unknown) => this.finish(jobId, this.failure ?? new QueueTaskError(`task ${jobId} could not be queued: ${error instanceof Error ? error.message : String(error)}`)));
    return promise;
  }

  /** A job finished (failedReason null: completed): read its result, clean up, settle its waiters. */
  private async settle(jobId: string, failedReason: string | null): Promise<void> {
    const entry = this.inFlight.get(jobId);
    if (!entry) return; // another coordinator's job, or settled already
    this.inFlight.delete(jobId);
    const task = taskKey(this.address.name, jobId);
    const result = resultKey(this.address.name, jobId);
    try {
      if (failedReason !== null) {
        await this.queue.remove(jobId).catch(() => 0);
        await this.redis.del(task, result);
        entry.reject(new QueueTaskError(failedReason));
        return;
      }
      const bytes = await this.redis.getBuffer(result);
      await this.redis.del(task, result);
      if (bytes === null) {
        entry.resolve({ kind: 'lost' });
        return;
      }
      this.stats.bytesIn += bytes.length;
      entry.resolve({ kind: 'result', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    } catch (error) {
      entry.reject(this.failure ?? new QueueTaskError(`task ${jobId}: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  /** Rejects `jobId`'s waiters with `error` (a job that could not even be queued). */
  private finish(jobId: string, error: Error): void {
    const entry = this.inFlight.get(jobId);
    if (!entry) return;
    this.inFlight.delete(jobId);
    entry.reject(error);
  }

  /**
   * Every tick: tell about workers, and settle jobs whose event was missed (a job that is gone
   * finished: its result key says whether it completed). A Redis that stops answering for longer
   * than `giveUpMs` ends the run like a lost connection.
   */
  private async tick(giveUpMs: number): Promise<void> {
    if (this.ticking || this.closed || this.failure) return;
    this.ticking = true;
    let stuck: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        stuck = setTimeout(() => reject(new Error(`no answer for ${giveUpMs} ms`)), giveUpMs); // wall-clock ok: liveness of Redis only
      });
      await Promise.race([this.reconcile(), timeout]);
    } catch (error) {
      if (!this.closed) this.fail(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(stuck);
      this.ticking = false;
    }
  }

  private async reconcile(): Promise<void> {
    await this.watch.check(this.inFlight.size, performance.now()); // wall-clock ok: notices only
    for (const entry of [...this.inFlight.values()]) {
      if (!entry.added) continue;
      const state = await this.queue.getJobState(entry.jobId);
      if (state === 'failed') {
        const job = await this.queue.getJob(entry.jobId);
        await this.settle(entry.jobId, job?.failedReason ?? 'failed');
      } else if (state === 'unknown') {
        await this.settle(entry.jobId, null);
      }
    }
  }

  /** Redis is gone for good: every waiting and later task fails with the queue named. */
  private fail(reason: string): void {
    if (this.failure || this.closed) return;
    this.failure = new QueueUnavailableError(this.address.display, reason, 'run');
    clearInterval(this.timer);
    for (const entry of this.inFlight.values()) entry.reject(this.failure);
    this.inFlight.clear();
    void this.events.close().catch(() => undefined);
    void this.queue.close().catch(() => undefined);
    this.redis.disconnect();
  }

  /** Redis keys of this project's payloads and results on the queue (for tests and checks). */
  async leftoverKeys(): Promise<string[]> {
    return this.redis.keys(`${keyPrefix(this.address.name)}*`);
  }

  /**
   * Stops. Tasks still in flight (a run that stopped early) are abandoned: their jobs are removed
   * where no worker holds them, and their payloads and results deleted (a worker still computing one
   * drops its result: the payload is gone).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const abandoned = [...this.inFlight.values()];
    this.inFlight.clear();
    if (!this.failure) {
      for (const entry of abandoned) {
        await this.queue.remove(entry.jobId).catch(() => 0);
        await this.redis.del(taskKey(this.address.name, entry.jobId), resultKey(this.address.name, entry.jobId)).catch(() => 0);
        entry.reject(new QueueTaskError(`task ${entry.jobId} abandoned: the trainer closed`));
      }
      await this.events.close().catch(() => undefined);
      await this.queue.close().catch(() => undefined);
      await this.redis.quit().catch(() => undefined);
    }
  }
}
