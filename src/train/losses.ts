/** Training losses as tfjs functions of logits (means over the batch). */
import * as tf from '../model/tfjs.js';

/** Softmax cross-entropy: mean over rows of -Σ y·log softmax(logits). `oneHot` is [B, C]. */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar);
}
