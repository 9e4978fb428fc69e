/**
 * A Trainer on a piscina pool of worker threads. The FeatureStore and ModelConfig reach each worker
 * once (workerData; the store's SharedArrayBuffers are shared, not copied); tasks carry indices and
 * weights, which are copied once and transferred both ways. Every worker computes with the backend
 * chosen here, so a result does not depend on which worker ran it.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { FeatureStore } from '../data/types.js';
import { initBackend, type BackendName } from '../model/backend.js';
import type { ModelConfig } from './types.js';
import { abortBarrier, createBarrier, movableRequest, type PoolWorkerData, type WorkerRequest } from './worker-protocol.js';
import { RequestTrainer } from './request-trainer.js';

/** Options of PoolTrainer.create. */
export interface PoolTrainerOptions {
  store: FeatureStore;
  config: ModelConfig;
  /** Number of worker threads (min = max). */
  workers: number;
  /** tfjs backend; default: the first of tensorflow → wasm → cpu that starts in this thread. */
  backend?: BackendName;
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
  ) {
    super();
  }

  /**
   * Chooses the backend here, then starts the workers with it and resolves once every worker has
   * loaded its backend (so start-up cost never lands inside a round, and a broken worker fails here).
   */
  static async create(options: PoolTrainerOptions): Promise<PoolTrainer> {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new Error(`PoolTrainer: workers = ${options.workers} must be an integer >= 1 (use InlineTrainer for 0)`);
    }
    const backend = await initBackend(options.backend);
    const workerData: PoolWorkerData = { store: options.store, config: options.config, backend };
    const { filename, execArgv } = workerEntry();
    const pool = new Piscina({
      filename,
      execArgv,
      workerData,
      minThreads: options.workers,
      maxThreads: options.workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
    });
    const barrier = createBarrier();
    const request: WorkerRequest = { op: 'ready', barrier, workers: options.workers };
    const ready = Array.from({ length: options.workers }, () => pool.run(request));
    const releaseOnFailure = (error: unknown) => {
      abortBarrier(barrier); // wake the workers already waiting, so destroy() does not hang
      throw error;
    };
    try {
      await Promise.all(ready.map((started) => started.catch(releaseOnFailure)));
    } catch (error) {
      await Promise.allSettled(ready);
      await pool.destroy();
      throw error;
    }
    return new PoolTrainer(backend, pool);
  }

  private tasksRun = 0;

  protected async run<T>(request: WorkerRequest): Promise<T> {
    this.tasksRun++;
    const moved = movableRequest(request);
    return (await this.pool.run(moved.request, { transferList: moved.transferList })) as T;
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
    await this.pool.close();
  }
}
