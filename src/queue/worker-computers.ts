/**
 * A worker process's compute: the datasets it has loaded (each checked against the content hash
 * the coordinator sent) and, per (data, model configuration, backend), a local pool of training
 * threads running the same pure task functions as the coordinator's own pool would. The two most
 * recently used of each are kept; older pools are closed once no task runs on them.
 */
import { hashValue } from '../core/codec.js';
import type { FeatureStore } from '../data/types.js';
import type { BackendName } from '../model/backend.js';
import { PoolTrainer } from '../train/pool-trainer.js';
import type { WorkerRequest, WorkerResponse } from '../train/worker-protocol.js';
import { describeDataSpec, loadTaskStore, localDataSpec } from './task-data.js';
import type { TaskPayload } from './task-envelope.js';
import { hashFeatureStore, readRequestSamples } from './store-hash.js';
import { lazySamplesOf } from '../data/lazy-samples.js';

const KEEP = 2;

interface Pool {
  trainer: Promise<PoolTrainer>;
  active: number;
}

/** Loads data and starts pools on demand for the tasks of any run. */
export class WorkerComputers {
  private readonly stores = new Map<string, Promise<{ store: FeatureStore; hash: string }>>();
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: { threads: number; data?: string; log: (line: string) => void }) {}

  /** The store of a payload's data, loaded once; rejects with the reason when its hash is not the coordinator's. */
  private async store(payload: TaskPayload): Promise<FeatureStore> {
    const spec = localDataSpec(payload.data, this.options.data);
    const key = hashValue(spec);
    let loaded = this.stores.get(key);
    if (loaded === undefined) {
      loaded = Promise.resolve().then(() => {
        const store = loadTaskStore(spec);
        const hash = hashFeatureStore(store);
        this.options.log(`loaded ${describeDataSpec(spec)}: ${store.numSamples} samples, content hash ${hash.slice(0, 12)}${lazySamplesOf(store) ? ' (read lazily: dev and test now, a client\'s samples with its first task, each compared with the run\'s)' : ''}`);
        return { store, hash };
      });
      this.stores.set(key, loaded);
      loaded.catch(() => this.stores.delete(key));
      trim(this.stores);
    }
    const { store, hash } = await loaded;
    if (hash !== payload.storeHash) {
      throw new Error(`refused: this worker's data (${describeDataSpec(spec)}) has content hash ${hash.slice(0, 12)}…, the run's data ${payload.storeHash.slice(0, 12)}… (not the same data)`);
    }
    return store;
  }

  /** Runs one request on the pool for its (data, config, backend). */
  async run(payload: TaskPayload): Promise<{ backend: BackendName; response: WorkerResponse }> {
    const store = await this.store(payload);
    // Lazily loaded data: read the samples this task names (before it is posted to the pool) and
    // compare them with the coordinator's, as the store hash does for what was read at load.
    const samplesHash = readRequestSamples(store, payload.request);
    if (samplesHash !== (payload.samplesHash ?? null)) {
      const spec = describeDataSpec(localDataSpec(payload.data, this.options.data));
      throw new Error(`refused: this worker's data (${spec}) differs from the run's in the samples this task reads: hash ${samplesHash?.slice(0, 12) ?? 'none'}…, the run's ${payload.samplesHash?.slice(0, 12) ?? 'none'}… (not the same data)`);
    }
    const key = hashValue({ data: payload.storeHash, config: payload.config, backend: payload.backend });
    let pool = this.pools.get(key);
    if (pool === undefined) {
      const trainer = PoolTrainer.create({ store, config: payload.config, workers: this.options.threads, backend: payload.backend }).catch((error: unknown) => {
        this.pools.delete(key);
        throw new Error(`this worker cannot compute on backend ${payload.backend}: ${error instanceof Error ? error.message : String(error)}`);
      });
      pool = { trainer, active: 0 };
      this.pools.set(key, pool);
      void trainer.then(() => this.options.log(`started ${this.options.threads} training thread${this.options.threads === 1 ? '' : 's'} on backend ${payload.backend}`), () => {});
    }
    this.pools.delete(key); // re-insert: most recently used last
    this.pools.set(key, pool);
    pool.active++;
    try {
      const trainer = await pool.trainer;
      return { backend: trainer.backend, response: await runOn(trainer, payload.request) };
    } finally {
      pool.active--;
      await this.evictIdle();
    }
  }

  /** Closes pools beyond the newest KEEP that run nothing. */
  private async evictIdle(): Promise<void> {
    const excess = this.pools.size - KEEP;
    if (excess <= 0) return;
    for (const [key, pool] of [...this.pools].slice(0, excess)) {
      if (pool.active > 0) continue;
      this.pools.delete(key);
      await (await pool.trainer.catch(() => null))?.close();
    }
  }

  /** Stops every pool: after the tasks running on them, or at once (`abandon`, their tasks dropped). */
  async close(abandon = false): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    for (const pool of pools) {
      const trainer = await pool.trainer.catch(() => null);
      await (abandon ? trainer?.abort() : trainer?.close());
    }
  }
}

/** Drops the oldest entries of a cache beyond KEEP. */
function trim<V>(cache: Map<string, V>): void {
  for (const key of [...cache.keys()].slice(0, Math.max(0, cache.size - KEEP))) cache.delete(key);
}

/** One request through a trainer's public methods. */
function runOn(trainer: PoolTrainer, request: WorkerRequest): Promise<WorkerResponse> {
  switch (request.op) {
    case 'init':
      return trainer.initWeights(request.models, request.seed);
    case 'train':
      return trainer.train(request.task);
    case 'evaluate':
      return trainer.evaluate(request.task);
    default:
      throw new Error(`a queue task cannot be ${JSON.stringify(request.op)}`);
  }
}
