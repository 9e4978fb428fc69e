/**
 * The trainer's side of the local-step API (src/protocol/local-step.ts): `LossOps` as stock tfjs
 * ops, which every backend has, and the step's start weights for proximal terms.
 */
import * as tf from '../model/tfjs.js';
import type { LossOps, LossTensor } from '../protocol/local-step.js';
import { crossEntropy } from './losses.js';

const tensor = (x: LossTensor | number): tf.Tensor | number => (typeof x === 'number' ? x : (x as unknown as tf.Tensor));
const wrap = (x: tf.Tensor): LossTensor => x as unknown as LossTensor;

/**
 * The ops an objective's loss is built from; `squaredDistanceFromStart` is the trainer's (it knows
 * the trained variables and where the step began).
 */
export function lossOps(squaredDistanceFromStart: () => tf.Scalar): LossOps {
  return {
    add: (a, b) => wrap(tf.add(tensor(a), tensor(b))),
    sub: (a, b) => wrap(tf.sub(tensor(a), tensor(b))),
    mul: (a, b) => wrap(tf.mul(tensor(a), tensor(b))),
    div: (a, b) => wrap(tf.div(tensor(a), tensor(b))),
    neg: (x) => wrap(tf.neg(tensor(x))),
    exp: (x) => wrap(tf.exp(tensor(x))),
    square: (x) => wrap(tf.square(tensor(x))),
    logSoftmax: (x) => wrap(tf.logSoftmax(tensor(x) as tf.Tensor)),
    sum: (x, axis) => wrap(tf.sum(tensor(x), axis)),
    mean: (x, axis) => wrap(tf.mean(tensor(x), axis)),
    crossEntropy: (logits, oneHot) => wrap(crossEntropy(tensor(logits) as tf.Tensor2D, tensor(oneHot) as tf.Tensor2D)),
    squaredDistanceFromStart: () => wrap(squaredDistanceFromStart()),
  };
}

/**
 * Σ‖v − v₀‖² over `variables`, v₀ read from `start` (the step's input weights by key). The start
 * tensors are made on first use and kept until `dispose`, so an objective that never asks costs
 * nothing.
 */
export class StartDistance {
  private readonly anchors = new Map<string, tf.Tensor>();

  constructor(
    private readonly variables: ReadonlyArray<readonly [string, tf.Variable]>,
    private readonly start: Readonly<Record<string, Float32Array>>,
  ) {}

  /** The squared distance (call inside the gradient closure: it depends on the variables). */
  readonly compute = (): tf.Scalar => {
    let total: tf.Scalar | null = null;
    for (const [key, variable] of this.variables) {
      let anchor = this.anchors.get(key);
      if (anchor === undefined) {
        anchor = tf.keep(tf.tensor(this.start[key].slice(), variable.shape, 'float32'));
        this.anchors.set(key, anchor);
      }
      const term = tf.sum(tf.square(tf.sub(variable, anchor))) as tf.Scalar;
      total = total === null ? term : (tf.add(total, term) as tf.Scalar);
    }
    return total ?? tf.scalar(0);
  };

  /** Frees the start tensors. */
  dispose(): void {
    for (const anchor of this.anchors.values()) anchor.dispose();
    this.anchors.clear();
  }
}
