/**
 * Mean over time of the steps a 0/1 mask marks: sum(h·m) / divisor, where the divisor is each row's
 * own count ('own'), or the largest count of the batch ('batch-longest', what torch.mean over
 * pad_packed_sequence's zero-padded output computes). Divisors are at least 1, so a row whose mask is
 * all zero pools to the zero vector.
 */
import * as tf from './tfjs.js';

/** What the masked sum is divided by. */
export type MeanDivisor = 'own' | 'batch-longest';

/** Layer: inputs [sequence [B, T, H], mask [B, T]] → [B, H]. */
export class MaskedMeanPool extends tf.layers.Layer {
  /** tfjs class name. */
  static readonly className = 'MaskedMeanPool';
  private readonly divisor: MeanDivisor;

  constructor(args: { name: string; divisor?: MeanDivisor }) {
    super({ name: args.name });
    this.divisor = args.divisor ?? 'own';
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const seq = (inputShape as tf.Shape[])[0];
    return [seq[0], seq[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [seq, mask] = inputs as tf.Tensor[];
    const summed = tf.sum(tf.mul(seq, tf.expandDims(mask, 2)), 1);
    const counts = tf.sum(mask, 1, true);
    const count = tf.maximum(this.divisor === 'own' ? counts : tf.max(counts), 1);
    return tf.div(summed, count);
  }
}
