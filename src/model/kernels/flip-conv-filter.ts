/**
 * The filter of a 1-D convolution's input gradient: W [k, in, out] → W' [1, k, out, in] with
 * W'[0, j, o, i] = W[k - 1 - j, i, o] (taps reversed, in and out swapped), so that dx is a forward
 * convolution of dz with W'. One pass over a small array; as tfjs ops it was a Reverse (slow on
 * wasm for its size) plus a Transpose.
 */
import * as tf from '../tfjs.js';
import { kernelAvailable } from './kernel-available.js';
import { floatValues, newOutputs, registerCpuAndWasm } from './tensor-memory.js';

/** Name under which the kernel is registered (cpu and wasm). */
export const FLIP_CONV_FILTER = 'FlipConv1dFilter';

/** The kernel body on plain arrays. */
export function flipConvFilter(w: Float32Array, out: Float32Array, taps: number, inDim: number, outDim: number): void {
  for (let j = 0; j < taps; j++) {
    const src = (taps - 1 - j) * inDim * outDim;
    const dst = j * outDim * inDim;
    for (let i = 0; i < inDim; i++) {
      for (let o = 0; o < outDim; o++) out[dst + o * inDim + i] = w[src + i * outDim + o];
    }
  }
}

function kernel(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { filter } = args.inputs as { filter: tf.TensorInfo };
  if (filter.shape.length !== 3) throw new Error(`${FLIP_CONV_FILTER}: filter [${filter.shape}] must be [k, in, out]`);
  const [k, inDim, outDim] = filter.shape;
  const { infos, values } = newOutputs(args.backend, [[1, k, outDim, inDim]]);
  flipConvFilter(floatValues(args.backend, filter, FLIP_CONV_FILTER, 'filter'), values[0], k, inDim, outDim);
  return infos[0];
}

registerCpuAndWasm(FLIP_CONV_FILTER, kernel as unknown as tf.KernelFunc);

/** W [k, in, out] → [1, k, out, in], taps reversed (see the file comment). */
export function flipConvFilterOp(filter: tf.Tensor3D): tf.Tensor4D {
  if (!kernelAvailable(FLIP_CONV_FILTER)) {
    // Stock ops for backends without the kernel: reverse the taps, swap in and out.
    const [k, inDim, outDim] = filter.shape;
    return tf.tidy(() => tf.reshape(tf.transpose(tf.reverse(filter, 0), [0, 2, 1]), [1, k, outDim, inDim]) as tf.Tensor4D);
  }
  return tf.engine().runKernel(FLIP_CONV_FILTER, { filter }) as tf.Tensor4D;
}
