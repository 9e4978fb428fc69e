/**
 * A trainer that makes chosen training tasks fail, around any other trainer: to test what a run
 * does when training breaks (a kernel missing on a backend, one client's task crashing).
 */
import type { WeightMap } from '../core/weights.js';
import type { ModelKind } from '../model/model-config.js';
import type { EvalResult, EvalTask, Trainer, TrainResult, TrainTask } from '../protocol/trainer.js';

/** Which tasks fail, and how. */
export interface FaultOptions {
  /** The error message of a failing task (default: `injected fault`). */
  reason?: string;
  /** Which training tasks fail (default: every one). `task.seed` names run seed, client and round. */
  when?: (task: TrainTask) => boolean;
}

/** Wraps `inner`: matching training tasks reject with `reason`; everything else is passed through. */
export class FaultInjectingTrainer implements Trainer {
  /** Training tasks made to fail, in submission order. */
  readonly failedTasks: TrainTask[] = [];

  constructor(
    private readonly inner: Trainer,
    private readonly options: FaultOptions = {},
  ) {}

  get backend(): string {
    return this.inner.backend;
  }

  initWeights(models: ModelKind[], seed: string): Promise<WeightMap> {
    return this.inner.initWeights(models, seed);
  }

  async train(task: TrainTask): Promise<TrainResult> {
    if (this.options.when?.(task) ?? true) {
      this.failedTasks.push(task);
      throw new Error(this.options.reason ?? 'injected fault');
    }
    return this.inner.train(task);
  }

  evaluate(task: EvalTask): Promise<EvalResult> {
    return this.inner.evaluate(task);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
