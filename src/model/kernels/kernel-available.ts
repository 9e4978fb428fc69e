/**
 * Whether the active backend has a kernel registered under a name. The project's own kernels read
 * backend memory directly and exist only for cpu and wasm; every op that calls one checks here and
 * otherwise computes the same values with stock tfjs ops, so backends such as tfjs-node's
 * 'tensorflow' (tensors in native memory, stock kernels only) train too.
 */
import * as tf from '../tfjs.js';
import { heapGemm } from './simd-gemm.js';

/** True when `kernelName` can be dispatched on the active backend. */
export function kernelAvailable(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/**
 * Whether a kernel built on the wasm SIMD product (simd-gemm.ts) can run now with `columns` output
 * columns: the active backend is wasm, the kernel is registered there, the product loads in its
 * heap, and the columns fill whole 8-wide panels.
 */
export function simdGemmKernelAvailable(kernelName: string, columns: number): boolean {
  if (tf.getBackend() !== 'wasm' || columns % 8 !== 0 || tf.getKernel(kernelName, 'wasm') === undefined) return false;
  return heapGemm(tf.backend()) !== null;
}
