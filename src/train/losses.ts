/** Training losses as tfjs functions of logits (means over the batch). */
import * as tf from '@tensorflow/tfjs';

/** Softmax cross-entropy: mean over rows of -Σ y·log softmax(logits). `oneHot` is [B, C]. */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar);
}

/**
 * Knowledge-distillation loss: alpha·CE(y, s) + (1 - alpha)·T²·KL(softmax(t/T) ‖ softmax(s/T)),
 * with the KL summed over classes and averaged over the batch (PyTorch's 'batchmean'). The T²
 * factor keeps the soft term's gradient scale independent of T. Compute `teacherLogits` outside the
 * gradient closure (they are a constant target).
 */
export function distillLoss(
  studentLogits: tf.Tensor2D,
  teacherLogits: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  alpha: number,
  temperature: number,
): tf.Scalar {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`distillLoss: alpha = ${alpha} must be in [0, 1]`);
  if (!(temperature > 0)) throw new Error(`distillLoss: temperature = ${temperature} must be > 0`);
  return tf.tidy(() => {
    const hard = crossEntropy(studentLogits, oneHot);
    const logQ = tf.logSoftmax(tf.div(studentLogits, temperature));
    const logP = tf.logSoftmax(tf.div(teacherLogits, temperature));
    const kl = tf.mean(tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), 1));
    return tf.add(tf.mul(alpha, hard), tf.mul((1 - alpha) * temperature * temperature, kl));
  });
}
