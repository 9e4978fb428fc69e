/**
 * The worker side of the queue: a BullMQ Worker that takes tasks from Redis, runs each on a local
 * pool of training threads (worker-computers.ts) and writes the result back, with this worker's
 * name, backend and versions. Work stays off the event loop, so BullMQ keeps renewing the locks of
 * running tasks; a worker that dies loses its locks and BullMQ's stalled-job check hands its tasks
 * to another worker. Closing waits for the tasks in hand to finish.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises'; // wall-clock ok: the worker process waits between Redis retries; no result depends on it
import { Worker, type Job } from 'bullmq';
import { connectForever } from './redis-connection.js';
import { PAYLOAD_TTL_MS, type JobData } from './redis-keys.js';
import type { QueueAddress } from './queue-url.js';
import { decodeTask, encodeResult } from './task-envelope.js';
import { packageVersions, versionDifferences } from './versions.js';
import { WorkerComputers } from './worker-computers.js';

/** Options of serveQueue. */
export interface ServeOptions {
  address: QueueAddress;
  /** Tasks run at once (and training threads in the local pool). */
  concurrency: number;
  /** `fedmultimodal:DIR` or `npy:DIR`: where this worker reads data of that kind. */
  data?: string;
  /** BullMQ lock duration in ms (default 30 000): a dead worker's task is free again after it. */
  lockMs?: number;
  /** BullMQ stalled-job check interval in ms (default 30 000). */
  stalledMs?: number;
  /** Tests only: wait this long inside every task before computing it. */
  taskDelayMs?: number;
  /** Where lines about what this worker does go. */
  log: (line: string) => void;
}

/** A running worker. */
export interface ServingWorker {
  /** `host:pid`. */
  name: string;
  /** Stops taking tasks, finishes the ones in hand (at once while Redis is unreachable), stops the pools and disconnects. */
  close(): Promise<void>;
}

/** Connects to the queue and serves tasks until closed. */
export async function serveQueue(options: ServeOptions): Promise<ServingWorker> {
  const name = `${hostname()}:${process.pid}`;
  const { address, log } = options;
  let lost = false;
  const redis = connectForever(address, (state, reason) => {
    lost = state === 'lost';
    log(state === 'lost' ? `lost the queue ${address.display} (${reason}); retrying every second` : `reconnected to ${address.display}`);
  });
  const stopping = new AbortController();
  const computers = new WorkerComputers({ threads: options.concurrency, data: options.data, log });

  const processor = async (job: Job<JobData>) => {
    const started = performance.now(); // wall-clock ok: reported in the log only
    const bytes = await redis.getBuffer(job.data.task);
    if (bytes === null) throw new Error(`the payload of task ${job.id} is gone from Redis (expired, or its run ended)`);
    const payload = decodeTask(bytes);
    log(`task ${job.id} started (${payload.request.op}, ${bytes.length} bytes in)`);
    if (options.taskDelayMs) await sleep(options.taskDelayMs, undefined, { signal: stopping.signal });
    const versions = packageVersions(payload.backend);
    const differences = versionDifferences(payload.versions, versions);
    if (differences.length > 0) throw new Error(`refused by worker ${name}: package versions differ from the run's (${differences.join(', ')})`);
    const { backend, response } = await computers.run(payload);
    const result = encodeResult({ worker: name, backend, versions, response });
    if ((await redis.exists(job.data.task)) === 0) {
      log(`task ${job.id}: its run ended meanwhile; result dropped`);
      return { worker: name, bytes: 0 };
    }
    await redis.set(job.data.result, Buffer.from(result.buffer, result.byteOffset, result.byteLength), 'PX', PAYLOAD_TTL_MS);
    log(`task ${job.id} done in ${Math.round(performance.now() - started)} ms (${result.length} bytes out)`); // wall-clock ok
    return { worker: name, bytes: result.length };
  };

  const worker = new Worker<JobData>(address.name, processor, {
    connection: redis,
    concurrency: options.concurrency,
    name,
    lockDuration: options.lockMs ?? 30_000,
    stalledInterval: options.stalledMs ?? 30_000,
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('failed', (job, error) => log(`task ${job?.id ?? '?'} failed: ${error.message}`));
  let lastError = '';
  worker.on('error', (error) => {
    // Connection trouble is reported once by the client above; anything else once per new message.
    if (lost || error.message === lastError) return;
    lastError = error.message;
    log(`queue error: ${error.message}`);
  });
  void worker.run();
  await worker.waitUntilReady();
  log(`worker ${name} serving queue ${address.display} (name ${address.name}), ${options.concurrency} task${options.concurrency === 1 ? '' : 's'} at a time${options.data ? `, data from ${options.data}` : ''}`);

  return {
    name,
    async close() {
      // Without Redis a task in hand cannot be returned anyway: stop at once (BullMQ hands it on).
      if (lost) {
        stopping.abort();
        redis.disconnect();
        await worker.close(true).catch(() => undefined);
      } else {
        await worker.close();
      }
      await computers.close(lost);
      if (!lost) await redis.quit().catch(() => undefined);
    },
  };
}
