/**
 * The local-step API: how an algorithm says what a client trains, written in the algorithm's own
 * file (its client half) and run by the generic trainer loop (src/train/run-local-step.ts).
 *
 * A plan step (`LocalStep`) names an **objective** by `kind` and the model it trains. The
 * objective (`Objective`) is a small value: which frozen model it reads, which numbers it needs,
 * and `loss(ctx)`, the batch loss built only from `ctx.ops` — stock tfjs ops that every backend
 * has (tfjs-node, wasm, cpu), so an objective never needs a kernel of its own. The trainer owns
 * everything else, the same for every objective: the seeded batch order, seeded dropout, the
 * gradient, norm clip, weight decay and SGD momentum (src/train/sgd-step.ts).
 *
 * No tfjs here (types and one helper): strategies stay free of tensors.
 */
import type { WeightMap } from '../core/weights.js';
import type { ModelKind } from '../model/model-config.js';
import { modulesOf } from '../model/model-kinds.js';

/** One step of a client's plan: train `model` with the objective named `kind`. */
export interface LocalStep {
  /** The objective's registered name ('supervised', 'distill', 'fedprox', …). */
  kind: string;
  /** The model that trains. */
  model: ModelKind;
  /** Modules whose weights change; the rest of the model is frozen. Default: all of the model's. */
  trainModules?: string[];
  /** Feed zeros for video when the client has none (MultiFL's zero-filled missing modality). */
  zeroVideoIfMissing?: boolean;
  /** Weights of the objective's frozen model (`Objective.frozenModel`), e.g. a distillation teacher. */
  frozen?: WeightMap;
  /** The numbers the objective reads (`Objective.params`), e.g. `{ mu: 0.01 }`. */
  params?: Record<string, number>;
}

/** A tensor the trainer owns; objectives only pass it to `LossOps` (a tf.Tensor underneath). */
export interface LossTensor {
  readonly shape: number[];
}

/**
 * The ops a loss is built from. Each is the stock tfjs op of that name (numbers broadcast as
 * scalars), plus two building blocks the trainer computes for every objective alike.
 */
export interface LossOps {
  add(a: LossTensor | number, b: LossTensor | number): LossTensor;
  sub(a: LossTensor | number, b: LossTensor | number): LossTensor;
  mul(a: LossTensor | number, b: LossTensor | number): LossTensor;
  div(a: LossTensor | number, b: LossTensor | number): LossTensor;
  neg(x: LossTensor): LossTensor;
  exp(x: LossTensor): LossTensor;
  square(x: LossTensor): LossTensor;
  logSoftmax(x: LossTensor): LossTensor;
  sum(x: LossTensor, axis?: number): LossTensor;
  mean(x: LossTensor, axis?: number): LossTensor;
  /** Softmax cross-entropy, the mean over the batch of −Σ y·log softmax(logits). */
  crossEntropy(logits: LossTensor, oneHot: LossTensor): LossTensor;
  /**
   * Σ over the trained weights of ‖w − w₀‖², where w₀ are the weights this step started from (the
   * global model for a one-step plan): the distance a proximal term penalises.
   */
  squaredDistanceFromStart(): LossTensor;
}

/** What `Objective.loss` sees for one batch. */
export interface LossContext {
  /** The trained model's logits on the batch, [batch, classes] (in training mode: seeded dropout). */
  readonly logits: LossTensor;
  /** The batch's labels, one-hot [batch, classes]. */
  readonly labels: LossTensor;
  /**
   * The frozen model's logits on the batch, [batch, classes], computed in inference mode outside
   * the gradient (a constant target). Present when the objective names a `frozenModel`.
   */
  readonly frozenLogits?: LossTensor;
  /** The step's `params`. */
  readonly params: Readonly<Record<string, number>>;
  readonly ops: LossOps;
}

/** What a parameter's value must be: a sentence for the error message, and the check. */
export interface ParamRule {
  /** What is allowed, e.g. "the proximal weight μ, >= 0". */
  allowed: string;
  ok: (value: number) => boolean;
}

/** A local objective: the client half of an algorithm (see README "Adding an algorithm"). */
export interface Objective {
  /** The name plan steps give as `kind`; unique across the registry. */
  readonly name: string;
  /** The model kind of the step's `frozen` weights, run on each batch for `ctx.frozenLogits`. */
  readonly frozenModel?: ModelKind;
  /** Numbers a step must carry in `params`, each with its rule (checked before any training). */
  readonly params?: Readonly<Record<string, ParamRule>>;
  /**
   * The cost model's kind for one sample-pass of this step (src/sim/cost-model.ts msPerSample);
   * default: the trained model's kind.
   */
  readonly cost?: 'audio' | 'video' | 'av' | 'distill';
  /** The batch loss to minimise (a scalar), built from `ctx.ops` only. */
  loss(ctx: LossContext): LossTensor;
}

/** Modules a step changes: its `trainModules`, or every module of its model. */
export function stepModules(step: LocalStep): string[] {
  return step.trainModules ?? [...modulesOf(step.model)];
}
