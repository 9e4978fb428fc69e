/**
 * One optimisation step in PyTorch's order (FedMultimodal's local update): gradients of the loss,
 * global-norm clip (clip_grad_norm_: scale by clipNorm / (norm + 1e-6) when that is < 1), then
 * SGD with weight decay added to the gradient (g + wd·w) and momentum (buf = m·buf + g; w -= lr·buf,
 * which is tf.train.momentum without Nesterov). The update after the gradients is one fused kernel
 * (src/model/kernels/sgd-momentum.ts); the momentum buffers live beside the optimiser object the
 * caller passes, so a fresh optimiser per task still restarts momentum.
 */
import * as tf from '../model/tfjs.js';
import { sgdMomentumOp } from '../model/kernels/sgd-momentum.js';
import type { TrainHyper } from '../protocol/trainer.js';

/** Momentum buffers by variable name, per optimiser object. */
const buffersOf = new WeakMap<object, Map<string, tf.Tensor>>();

/** Runs one step on `variables` and returns the loss value before the update. */
export function sgdStep(
  optimizer: tf.Optimizer,
  variables: readonly tf.Variable[],
  lossFn: () => tf.Scalar,
  hyper: TrainHyper,
): number {
  let buffers = buffersOf.get(optimizer);
  if (buffers === undefined) {
    buffers = new Map();
    buffersOf.set(optimizer, buffers);
  }
  const state = buffers;
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(lossFn, variables as tf.Variable[]);
    // A variable the loss does not reach gets no entry and no update (PyTorch skips grad=None).
    const updated = variables.filter((v) => grads[v.name] !== undefined);
    const outputs = sgdMomentumOp(
      updated,
      updated.map((v) => grads[v.name]),
      updated.map((v) => state.get(v.name) ?? null),
      { lr: hyper.lr, momentum: hyper.momentum, weightDecay: hyper.weightDecay, clipNorm: hyper.clipNorm },
    );
    updated.forEach((v, i) => {
      v.assign(outputs[i]);
      state.get(v.name)?.dispose();
      state.set(v.name, tf.keep(outputs[updated.length + i]));
    });
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

/**
 * Frees a momentum optimiser completely: the buffers sgdStep keeps for it, and the optimiser itself
 * (its own dispose() forgets the inherited -lr scalar in tfjs 4.22).
 */
export function disposeMomentum(optimizer: tf.MomentumOptimizer): void {
  const buffers = buffersOf.get(optimizer);
  if (buffers !== undefined) {
    for (const b of buffers.values()) b.dispose();
    buffersOf.delete(optimizer);
  }
  optimizer.dispose();
  tf.SGDOptimizer.prototype.dispose.call(optimizer);
}
