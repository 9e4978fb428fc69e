/**
 * What a strategy asks of a client (a plan, not yet bound to the client's samples and seed) and of
 * the evaluator. The client actor turns a plan into trainer tasks with its own indices and seed.
 */
import type { WeightMap } from '../core/weights.js';
import type { ModelKind } from '../model/model-config.js';
import type { TrainHyper } from './trainer.js';
import type { LocalStep } from './local-step.js';

export type { LocalStep } from './local-step.js';

/** A client's work for one round: steps run in order, each starting from the weights the previous left. */
export interface TaskPlan {
  /** Global weights the client starts from (every module any step uses). */
  weights: WeightMap;
  /** Each names its objective (`kind`, see ./local-step.ts) and the model it trains. */
  steps: LocalStep[];
  hyper: TrainHyper;
  /** Modules the client keeps locally between rounds (Harmony's personal encoders): overlaid on `weights` if held. */
  keepLocal?: string[];
}

/** One model the evaluator scores. */
export interface EvalSpec {
  /** Report name, e.g. `audio`, `teacher-av`. */
  name: string;
  model: ModelKind;
  weights: WeightMap;
  zeroVideo?: boolean;
}
