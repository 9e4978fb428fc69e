/**
 * What a strategy asks of a client (a plan, not yet bound to the client's samples and seed) and of
 * the evaluator. The client actor turns a plan into trainer tasks with its own indices and seed.
 */
import type { WeightMap } from '../core/weights.js';
import type { DistillHyper, ModelKind, TrainHyper } from '../train/types.js';

/** One supervised step of a plan: train `model`, updating `trainModules` (default: all of the model's). */
export interface SupervisedStep {
  kind: 'supervised';
  model: ModelKind;
  trainModules?: string[];
  /** Feed zeros for video (MultiFL's zero-filled missing modality). Set by the client when it lacks video. */
  zeroVideoIfMissing?: boolean;
}

/** One distillation step: the audio student learns from the frozen audio-visual teacher. */
export interface DistillStep {
  kind: 'distill';
  distill: DistillHyper;
  /** The frozen audio-visual teacher (audio, video and fusion modules); the student is the plan's audio modules. */
  teacher: WeightMap;
}

/** A client's work for one round: steps run in order, each starting from the weights the previous left. */
export interface TaskPlan {
  /** Global weights the client starts from (every module any step uses). */
  weights: WeightMap;
  steps: Array<SupervisedStep | DistillStep>;
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
