/**
 * A Trainer on a piscina pool of worker threads. The FeatureStore and ModelConfig reach each worker
 * once (workerData; the store's SharedArrayBuffers are shared, not copied); tasks carry indices and
 * weights, which are copied once and transferred both ways. Every worker computes with one backend,
 * so a result does not depend on which worker ran it: the workers choose it themselves as they
 * start (this thread need not load tfjs first, so they start at once), they must all report the
 * same one, and every task names it (a replacement worker computes on it or fails).
 *
 * Faults: a worker whose task throws, exits or runs out of memory is gone after that task (see
 * pool-worker.ts; piscina starts a fresh one), and the task is run again, up to `attempts` times in
 * all (tasks are pure: a retry that succeeds gives the same result); then it rejects with the reason.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { FeatureStore } from '../data/types.js';
import type { BackendName } from '../model/backend.js';
import type { ModelConfig } from '../model/model-config.js';
import { abortBarrier, createBarrier, movableRequest, type PoolTask, type PoolWorkerData, type WorkerRequest } from './worker-protocol.js';
import { RequestTrainer } from './request-trainer.js';
import { createMailbox, readMailbox } from './task-mailbox.js';
import type { StartBackendPlan, WorkerFaultPlan } from './worker-faults.js';

/** Default number of runs of a task before its failure is final. */
export const DEFAULT_TASK_ATTEMPTS = 3;

/** Options of PoolTrainer.create. */
export interface PoolTrainerOptions extends PoolStartOptions {
  store: FeatureStore;
  config: ModelConfig;
}

/** Options of PoolTrainer.start: everything but the data. */
export interface PoolStartOptions {
  /** Number of worker threads (min = max). */
  workers: number;
  /** tfjs backend; default: the first of tensorflow → wasm → cpu that starts (in the workers). */
  backend?: BackendName;
  /** Runs of a failing task before it rejects (default 3; each on a fresh worker). */
  attempts?: number;
  /** Heap limit of each worker in MiB (V8 old generation); a worker above it is stopped and replaced. */
  workerMemoryMb?: number;
  /** Faults to inject into worker tasks (tests only). */
  faults?: WorkerFaultPlan[];
  /** Backends the first workers start instead of the one asked for (tests only). */
  startBackends?: StartBackendPlan;
}

/** A pool whose workers are starting before its data is loaded (see PoolTrainer.start). */
export interface StartingPool {
  /** Hands the workers their data; resolves once every worker has reported the same backend. */
  attach(store: FeatureStore, config: ModelConfig): Promise<PoolTrainer>;
  /** Stops the workers (the run ended before its data was ready). */
  abort(): Promise<void>;
}

/** The one backend every worker reported starting; throws naming each worker's when they differ. */
export function agreedBackend(reported: readonly BackendName[]): BackendName {
  const distinct = [...new Set(reported)];
  if (distinct.length === 1) return distinct[0];
  throw new Error(
    `PoolTrainer: the workers started different tfjs backends (${reported.map((b, i) => `worker ${i + 1}: ${b}`).join(', ')}); ` +
      'a run computes on one backend: pass --backend to choose it',
  );
}

/** The worker file next to this one, and the node flags it needs when it is TypeScript source. */
function workerEntry(): { filename: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = fileURLToPath(new URL(fromSource ? './pool-worker.ts' : './pool-worker.js', import.meta.url));
  if (!fromSource) return { filename, execArgv: [] };
  // Run from source (tsx, vitest): the worker needs tsx's loader; resolved to an absolute URL so it
  // does not depend on the working directory.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename, execArgv: ['--import', tsx] };
}

/** Local training on `workers` threads. */
export class PoolTrainer extends RequestTrainer {
  private constructor(
    readonly backend: BackendName,
    private readonly pool: Piscina,
    private readonly attempts: number,
  ) {
    super();
  }

  /** Failed task runs so far (each cost its worker, replaced by a fresh one). */
  failedRuns = 0;
  private closing = false;

  /**
   * Starts the workers, each loading tfjs and its backend, and resolves once every worker has
   * reported the same backend (so start-up cost never lands inside a round, and a broken worker or
   * workers that disagree fail here).
   */
  static async create(options: PoolTrainerOptions): Promise<PoolTrainer> {
    return PoolTrainer.start(options).attach(options.store, options.config);
  }

  /**
   * Starts the workers before their data exists: they load tfjs and their backend while the caller
   * loads the data, then `attach` hands it over. Throws at once on a bad worker or attempt count.
   */
  static start(options: PoolStartOptions): StartingPool {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new Error(`PoolTrainer: workers = ${options.workers} must be an integer >= 1 (use InlineTrainer for 0)`);
    }
    const attempts = options.attempts ?? DEFAULT_TASK_ATTEMPTS;
    if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`PoolTrainer: attempts = ${attempts} must be an integer >= 1`);
    const workerData: PoolWorkerData = { backend: options.backend, faults: options.faults, startBackends: options.startBackends };
    const { filename, execArgv } = workerEntry();
    const pool = new Piscina({
      filename,
      execArgv,
      workerData,
      minThreads: options.workers,
      maxThreads: options.workers,
      concurrentTasksPerWorker: 1,
      // Keep the queue's order: by default a task that finds every worker busy goes back to the TAIL
      // of the queue, which rotates it and undoes the longest-first, evaluation-last start order of
      // src/engine/perform-work.ts (measured: a round's evaluation ran ahead of its last training).
      stricterFIFO: true,
      idleTimeout: Number.POSITIVE_INFINITY,
      ...(options.workerMemoryMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: options.workerMemoryMb } } : {}),
    });
    // A worker that fails outside any task (none is running on it) is replaced too; nothing to report.
    pool.on('error', () => {});
    let attached = false;
    return {
      attach: async (store, config) => {
        if (attached) throw new Error('PoolTrainer: attach() called twice');
        attached = true;
        // Workers started from now on (replacing one that failed) find the data in their
        // workerData: piscina hands each new worker this same object. Those already running
        // get it with their 'ready' task.
        workerData.store = store;
        workerData.config = config;
        const barrier = createBarrier();
        const request: WorkerRequest = { op: 'ready', barrier, workers: options.workers };
        const ready = Array.from({ length: options.workers }, () => pool.run({ request, data: { store, config } } satisfies PoolTask));
        const releaseOnFailure = (error: unknown) => {
          abortBarrier(barrier); // wake the workers already waiting, so destroy() does not hang
          throw error;
        };
        let backend: BackendName;
        try {
          backend = agreedBackend((await Promise.all(ready.map((started) => started.catch(releaseOnFailure)))) as BackendName[]);
        } catch (error) {
          await Promise.allSettled(ready);
          await pool.destroy();
          throw error;
        }
        return new PoolTrainer(backend, pool, attempts);
      },
      abort: () => pool.destroy(),
    };
  }

  private tasksRun = 0;

  protected async run<T>(request: WorkerRequest): Promise<T> {
    let reason = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      // Fresh copies each time: the previous attempt's buffers were transferred away.
      const moved = movableRequest(request);
      const mailbox = createMailbox();
      this.tasksRun++;
      try {
        return (await this.pool.run({ request: moved.request, mailbox, backend: this.backend } satisfies PoolTask, { transferList: moved.transferList })) as T;
      } catch (error) {
        if (this.closing) throw error;
        this.failedRuns++;
        reason = readMailbox(mailbox) ?? (error instanceof Error ? error.message : String(error));
      }
    }
    throw new Error(this.attempts === 1 ? reason : `${reason} (failed ${this.attempts} times, each time on a fresh worker)`);
  }

  /**
   * Worker busy time since the last reset: tasks run × their mean run time (piscina's run-time
   * histogram, in ms). piscina 5's own `utilization` divides that mean by 1000 once too often, so it
   * is not used.
   */
  busyMs(): number {
    return this.tasksRun * (this.pool.histogram.runTime?.mean ?? 0);
  }

  /** Starts a new busy-time measurement window. */
  resetBusy(): void {
    this.pool.histogram.resetRunTime();
    this.tasksRun = 0;
  }

  /** Waits for running tasks and stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await this.pool.close();
  }

  /** Stops the workers now, abandoning running tasks (an interrupted run: they are checkpointed as tasks). */
  async abort(): Promise<void> {
    this.closing = true;
    await this.pool.destroy();
  }
}
