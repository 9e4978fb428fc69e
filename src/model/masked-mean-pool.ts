/**
 * Mean over time that counts only real steps: sum(h·m) / max(1, sum(m)). A sample whose mask is all
 * zero (modality absent, e.g. zero-filled video) pools to the zero vector.
 */
import * as tf from '@tensorflow/tfjs';

/** Layer: inputs [sequence [B, T, H], mask [B, T]] → [B, H]. */
export class MaskedMeanPool extends tf.layers.Layer {
  /** tfjs class name. */
  static readonly className = 'MaskedMeanPool';

  constructor(args: { name: string }) {
    super({ name: args.name });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const seq = (inputShape as tf.Shape[])[0];
    return [seq[0], seq[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [seq, mask] = inputs as tf.Tensor[];
    const summed = tf.sum(tf.mul(seq, tf.expandDims(mask, 2)), 1);
    const count = tf.maximum(tf.sum(mask, 1, true), 1);
    return tf.div(summed, count);
  }
}
