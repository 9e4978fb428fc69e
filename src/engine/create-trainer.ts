/**
 * Chooses the trainer for a run: a piscina pool (workers >= 1), the calling thread (workers = 0),
 * worker processes through a queue (`queue`), or the fake trainer (protocol studies without tfjs). The backend is chosen once, here.
 */
import { ConfigError } from '../core/errors.js';
import type { FeatureStore } from '../data/types.js';
import type { BackendName } from '../model/backend.js';
import { FakeTrainer } from '../train/fake-trainer.js';
import type { ModelConfig } from '../model/model-config.js';
import type { Trainer } from '../protocol/trainer.js';
import type { Scenario } from '../scenario/schema.js';
import type { StartingPool } from '../train/pool-trainer.js';
import { dataSpecOf } from '../scenario/prepare-dataset.js';

/** Backends a user may ask for. */
export const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** How to train. */
export interface TrainerChoice {
  /** 0 = in this thread; N >= 1 = a pool of N workers. */
  workers: number;
  backend?: BackendName;
  fake?: boolean;
  /**
   * Train on worker processes through a BullMQ queue on Redis: its address (`redis://HOST:PORT`) and
   * the data block the workers load (default: the one the store was loaded from by loadScenarioData).
   */
  queue?: { url: string; data?: Scenario['data'] };
}

/** Refuses a backend or worker count the choice cannot have. */
function checkChoice(choice: TrainerChoice): void {
  if (choice.backend !== undefined && !BACKENDS.includes(choice.backend)) {
    throw new ConfigError('command line', '--backend', choice.backend, `one of ${BACKENDS.join(', ')}`);
  }
  if (!Number.isInteger(choice.workers) || choice.workers < 0) {
    throw new ConfigError('command line', '--workers', choice.workers, 'an integer >= 0 (0 trains in the main thread)');
  }
}

/**
 * Starts the worker pool the choice asks for before the data is loaded (its workers load tfjs
 * meanwhile); null for any other trainer. Pass it to createTrainer, or abort it if the run stops first.
 */
export async function startPool(choice: TrainerChoice): Promise<StartingPool | null> {
  checkChoice(choice);
  if (choice.queue !== undefined || choice.fake || choice.workers === 0) return null;
  const { PoolTrainer } = await import('../train/pool-trainer.js');
  return PoolTrainer.start({ workers: choice.workers, backend: choice.backend });
}

/** Creates the trainer for a store and model configuration (on the pool `started` by startPool, if given). */
export async function createTrainer(choice: TrainerChoice, store: FeatureStore, config: ModelConfig, started: StartingPool | null = null): Promise<Trainer> {
  checkChoice(choice);
  if (started) return started.attach(store, config);
  if (choice.queue !== undefined) {
    if (choice.fake) throw new ConfigError('command line', '--queue', choice.queue.url, 'not with --fake-trainer (the fake trainer runs in this process)');
    const { parseQueueUrl } = await import('../queue/queue-url.js');
    const address = parseQueueUrl(choice.queue.url);
    const data = choice.queue.data ?? dataSpecOf(store);
    if (data === undefined) throw new ConfigError('trainer choice', 'queue.data', undefined, 'the scenario data block the workers load (the store was not loaded by loadScenarioData)');
    const { QueueTrainer } = await import('../queue/queue-trainer.js');
    return QueueTrainer.create({ address, store, config, data, backend: choice.backend });
  }
  if (choice.fake) return new FakeTrainer({ labels: store.labels, numClasses: store.numClasses });
  // tfjs loads only when a real trainer is asked for: importing the engine (or the fake trainer) stays quick.
  if (choice.workers === 0) {
    const { InlineTrainer } = await import('../train/inline-trainer.js');
    return InlineTrainer.create({ store, config, backend: choice.backend });
  }
  const { PoolTrainer } = await import('../train/pool-trainer.js');
  return PoolTrainer.create({ store, config, workers: choice.workers, backend: choice.backend });
}
