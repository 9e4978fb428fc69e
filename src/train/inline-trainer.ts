/**
 * A Trainer that computes in the calling thread (`--workers 0`, tests). Tasks run one at a time in
 * submission order, because they share this thread's cached models.
 */
import type { FeatureStore } from '../data/types.js';
import { initBackend, type BackendName } from '../model/backend.js';
import { runRequest } from './run-request.js';
import type { ModelConfig } from '../model/model-config.js';
import type { WorkerRequest } from './worker-protocol.js';
import { RequestTrainer } from './request-trainer.js';

/** Options of InlineTrainer.create. */
export interface InlineTrainerOptions {
  store: FeatureStore;
  config: ModelConfig;
  /** tfjs backend; default: the first of tensorflow → wasm → cpu that starts. */
  backend?: BackendName;
}

/** Same computation as the pool, in this thread. */
export class InlineTrainer extends RequestTrainer {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly backend: BackendName,
    private readonly store: FeatureStore,
    private readonly config: ModelConfig,
  ) {
    super();
  }

  /** Starts the backend and returns a trainer over `store`. */
  static async create(options: InlineTrainerOptions): Promise<InlineTrainer> {
    const backend = await initBackend(options.backend);
    return new InlineTrainer(backend, options.store, options.config);
  }

  protected run<T>(request: WorkerRequest): Promise<T> {
    const result = this.tail.then(() => runRequest(request, this.store, this.config) as T);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Waits for queued tasks. */
  async close(): Promise<void> {
    await this.tail;
  }
}
