/** A plain-ops GRU (PyTorch nn.GRU gates), differentiated by tfjs: the reference for the fused GRU's tests. */
import * as tf from '@tensorflow/tfjs';

/** x [B, T, F], w [F, 3u], u [u, 3u], bias [2, 3u] → hidden states [B, T, u]. */
export function referenceGru(x: tf.Tensor3D, w: tf.Tensor2D, u: tf.Tensor2D, bias: tf.Tensor2D): tf.Tensor3D {
  const units = u.shape[0];
  const [bIn, bRec] = tf.split(bias, 2, 0).map((t) => t.reshape([3 * units]));
  let h: tf.Tensor = tf.zeros([x.shape[0], units]);
  const states: tf.Tensor[] = [];
  for (const xt of tf.unstack(x, 1)) {
    const [xz, xr, xn] = tf.split(tf.add(tf.matMul(xt as tf.Tensor2D, w), bIn), 3, 1);
    const [hz, hr, hn] = tf.split(tf.add(tf.matMul(h as tf.Tensor2D, u), bRec), 3, 1);
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    h = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
    states.push(h);
  }
  return tf.stack(states, 1) as tf.Tensor3D;
}
