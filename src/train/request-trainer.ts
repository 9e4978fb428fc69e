/**
 * The Trainer methods every real trainer shares: each is one worker request (`init`, `train`,
 * `evaluate`); subclasses only decide where a request runs (this thread, or a pool worker).
 */
import type { WeightMap } from '../core/weights.js';
import type { ModelKind } from '../model/model-config.js';
import type { EvalResult, EvalTask, Trainer, TrainResult, TrainTask } from '../protocol/trainer.js';
import type { WorkerRequest } from './worker-protocol.js';

/** A Trainer built on one `run(request)` primitive. */
export abstract class RequestTrainer implements Trainer {
  abstract readonly backend: string;

  /** Runs one request and resolves with its result. */
  protected abstract run<T>(request: WorkerRequest): Promise<T>;

  /** Seeded initial weights of every module of `models`. */
  initWeights(models: ModelKind[], seed: string): Promise<WeightMap> {
    return this.run({ op: 'init', models, seed });
  }

  /** Local training (one step of any registered objective). */
  train(task: TrainTask): Promise<TrainResult> {
    return this.run({ op: 'train', task });
  }

  /** Predictions on samples. */
  evaluate(task: EvalTask): Promise<EvalResult> {
    return this.run({ op: 'evaluate', task });
  }

  abstract close(): Promise<void>;
}
