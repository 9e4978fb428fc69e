/**
 * One optimisation step in PyTorch's order (FedMultimodal's local update): gradients of the loss,
 * global-norm clip (clip_grad_norm_: scale by clipNorm / (norm + 1e-6) when that is < 1), then
 * SGD with weight decay added to the gradient (g + wd·w) and momentum (buf = m·buf + g; w -= lr·buf,
 * which is tf.train.momentum without Nesterov).
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainHyper } from './types.js';

/** Runs one step on `variables` and returns the loss value before the update. */
export function sgdStep(
  optimizer: tf.Optimizer,
  variables: readonly tf.Variable[],
  lossFn: () => tf.Scalar,
  hyper: TrainHyper,
): number {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(lossFn, variables as tf.Variable[]);
    // A variable the loss does not reach gets no entry and no update (PyTorch skips grad=None).
    const updated = variables.filter((v) => grads[v.name] !== undefined);
    let scale: tf.Scalar | null = null;
    if (hyper.clipNorm > 0) {
      const squares = updated.map((v) => tf.sum(tf.square(grads[v.name])));
      const norm = tf.sqrt(tf.addN(squares));
      scale = tf.minimum(1, tf.div(hyper.clipNorm, tf.add(norm, 1e-6))) as tf.Scalar;
    }
    const final: tf.NamedTensorMap = {};
    for (const v of updated) {
      let g: tf.Tensor = grads[v.name];
      if (scale !== null) g = tf.mul(g, scale);
      if (hyper.weightDecay !== 0) g = tf.add(g, tf.mul(v, hyper.weightDecay));
      final[v.name] = g;
    }
    optimizer.applyGradients(final);
    return value.dataSync()[0];
  });
}

/** Checks the hyper-parameters a step needs, naming the field and value. */
export function checkHyper(hyper: TrainHyper, context: string): void {
  const bad = (field: string, value: unknown, allowed: string) =>
    new Error(`${context}: hyper.${field} = ${JSON.stringify(value)} is invalid: ${allowed}`);
  if (!Number.isInteger(hyper.epochs) || hyper.epochs < 0) throw bad('epochs', hyper.epochs, 'an integer >= 0');
  if (!Number.isInteger(hyper.batchSize) || hyper.batchSize < 1) throw bad('batchSize', hyper.batchSize, 'an integer >= 1');
  if (!(hyper.lr >= 0)) throw bad('lr', hyper.lr, 'a number >= 0');
  if (!(hyper.momentum >= 0 && hyper.momentum < 1)) throw bad('momentum', hyper.momentum, 'a number in [0, 1)');
  if (!(hyper.weightDecay >= 0)) throw bad('weightDecay', hyper.weightDecay, 'a number >= 0');
  if (!(hyper.clipNorm >= 0)) throw bad('clipNorm', hyper.clipNorm, 'a number >= 0 (0 disables)');
}

/** Frees a momentum optimiser completely: its own dispose() forgets the inherited -lr scalar (tfjs 4.22). */
export function disposeMomentum(optimizer: tf.MomentumOptimizer): void {
  optimizer.dispose();
  tf.SGDOptimizer.prototype.dispose.call(optimizer);
}
