/**
 * Whether the active backend has a kernel registered under a name. The project's own kernels read
 * backend memory directly and exist only for cpu and wasm; every op that calls one checks here and
 * otherwise computes the same values with stock tfjs ops, so backends such as tfjs-node's
 * 'tensorflow' (tensors in native memory, stock kernels only) train too.
 */
import * as tf from '../tfjs.js';

/** True when `kernelName` can be dispatched on the active backend. */
export function kernelAvailable(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}
