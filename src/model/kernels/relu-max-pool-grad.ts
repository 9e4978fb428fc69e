/**
 * Gradient of ReLU followed by MaxPool 1-D (window 2, stride 2, 'valid') in one pass over memory.
 *
 * Input `y` [B, T, C] is the ReLU output (pre-pool), `dy` [B, floor(T/2), C] the gradient of the
 * pooled output. Output dz [B, T, C], the gradient at the ReLU's input: within each window the first
 * maximum receives dy (tfjs's and PyTorch's tie rule), the other step 0; a step whose ReLU output is
 * 0 passes no gradient (ReLU's derivative at 0 taken as 0, as in both libraries); an odd last step,
 * outside every window, gets 0. A second output is the bias gradient Σ dz over B and T, [C], summed
 * in float64 during the same pass (as a separate op it would be a transpose plus a reduction on wasm).
 */
import * as tf from '../tfjs.js';
import { kernelAvailable } from './kernel-available.js';
import { floatValues, newOutputs, registerCpuAndWasm } from './tensor-memory.js';

/** Name under which the kernel is registered (cpu and wasm). */
export const RELU_MAX_POOL_GRAD = 'ReluMaxPool1dGrad';

/** The kernel body on plain arrays: writes dz (and Σ dz per channel into `dBias`) for y and dy of the given sizes. */
export function reluMaxPoolGrad(
  y: Float32Array,
  dy: Float32Array,
  dz: Float32Array,
  dBias: Float32Array,
  batch: number,
  steps: number,
  channels: number,
): void {
  const pooled = Math.floor(steps / 2);
  const C = channels;
  const sums = new Float64Array(C);
  for (let b = 0; b < batch; b++) {
    const yRow = b * steps * C;
    const dRow = b * pooled * C;
    for (let p = 0; p < pooled; p++) {
      const first = yRow + 2 * p * C;
      const second = first + C;
      const g = dRow + p * C;
      for (let c = 0; c < C; c++) {
        const a = y[first + c];
        const v = y[second + c];
        const d = dy[g + c];
        // Branch-free: which step wins is data-dependent (about half the ReLU outputs are 0), so
        // branches mispredicted often; 0/1 factors made this loop ~2.7× faster. A loser's 0 may be
        // -0 (d < 0), which every consumer's +0-started sum absorbs; a non-finite d makes the
        // losing step NaN too, where that step's update is non-finite (and rejected) either way.
        const secondWins = +(v > a);
        const firstWins = +(a > 0) * (1 - secondWins);
        const toSecond = d * secondWins;
        const toFirst = d * firstWins;
        dz[first + c] = toFirst;
        dz[second + c] = toSecond;
        sums[c] += toFirst + toSecond;
      }
    }
    if (steps % 2 === 1) dz.fill(0, yRow + (steps - 1) * C, yRow + steps * C);
  }
  dBias.set(sums);
}

function kernel(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const { y, dy } = args.inputs as { y: tf.TensorInfo; dy: tf.TensorInfo };
  const [B, T, C] = y.shape;
  if (y.shape.length !== 3 || dy.shape.length !== 3 || dy.shape[0] !== B || dy.shape[1] !== Math.floor(T / 2) || dy.shape[2] !== C) {
    throw new Error(`${RELU_MAX_POOL_GRAD}: y [${y.shape}] and dy [${dy.shape}] must be [B, T, C] and [B, floor(T/2), C]`);
  }
  const { infos, values } = newOutputs(args.backend, [[B, T, C], [C]]);
  const yv = floatValues(args.backend, y, RELU_MAX_POOL_GRAD, 'y');
  const dyv = floatValues(args.backend, dy, RELU_MAX_POOL_GRAD, 'dy');
  reluMaxPoolGrad(yv, dyv, values[0], values[1], B, T, C);
  return infos;
}

registerCpuAndWasm(RELU_MAX_POOL_GRAD, kernel as unknown as tf.KernelFunc);

/**
 * The same gradient from stock tfjs ops, for backends without the kernel: within each window the
 * second step receives dy when it is strictly larger, else the first when it is positive (the
 * kernel's rule); an odd last step gets 0. The bias sum is a float32 reduction here.
 */
function reluMaxPoolGradFromOps(y: tf.Tensor3D, dy: tf.Tensor3D): [tf.Tensor3D, tf.Tensor1D] {
  const [B, T, C] = y.shape;
  const P = Math.floor(T / 2);
  const dz = tf.tidy(() => {
    const windows = tf.reshape(tf.slice(y, [0, 0, 0], [B, 2 * P, C]), [B, P, 2, C]);
    const [first, second] = tf.unstack(windows, 2);
    const secondWins = tf.greater(second, first);
    const firstWins = tf.logicalAnd(tf.logicalNot(secondWins), tf.greater(first, 0));
    const zeros = tf.zerosLike(dy);
    const pairs = tf.stack([tf.where(firstWins, dy, zeros), tf.where(secondWins, dy, zeros)], 2);
    const body = tf.reshape(pairs, [B, 2 * P, C]);
    return (T % 2 === 1 ? tf.pad(body, [[0, 0], [0, 1], [0, 0]]) : body) as tf.Tensor3D;
  });
  return [dz, tf.sum(dz, [0, 1]) as tf.Tensor1D];
}

/** [dz, dBias] for ReLU → MaxPool(2) given the ReLU output `y` [B,T,C] and the pooled gradient `dy`. */
export function reluMaxPoolGradOp(y: tf.Tensor3D, dy: tf.Tensor3D): [tf.Tensor3D, tf.Tensor1D] {
  if (!kernelAvailable(RELU_MAX_POOL_GRAD)) return reluMaxPoolGradFromOps(y, dy);
  return tf.engine().runKernel(RELU_MAX_POOL_GRAD, { y, dy }) as unknown as [tf.Tensor3D, tf.Tensor1D];
}
