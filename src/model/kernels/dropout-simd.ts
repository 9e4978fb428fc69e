/**
 * Seeded inverted dropout applied in the wasm backend's heap: y = x·mask with the mask of
 * seeded-dropout.ts's dropoutMask computed four elements at a time by the SIMD module's `dropout`
 * (simd-gemm.ts), instead of hashing in JavaScript, uploading the mask and running Multiply. Its
 * gradient is the same kernel on dy (the mask is recomputed from the same hash parameters).
 *
 * Same bits as tf.mul(x, tf.tensor(dropoutMask(...))): each mask value is 0 or float32(keep), and
 * each product is one float32 multiply. Registered for wasm only; {@link dropoutSimdAvailable} says
 * when it may run.
 */
import * as tf from '../tfjs.js';
import { heapDropout } from './simd-gemm.js';

/** Name under which the kernel is registered (wasm). */
export const DROPOUT_SIMD = 'SeededDropoutSimd';

/** The mask's hash parameters (seeded-dropout.ts): drop element i when (hash(base + i·golden) ^ 2³¹) < threshold. */
export interface DropoutHash {
  /** Int32 seed of the counter hash. */
  base: number;
  /** Signed int32 threshold of the compare. */
  threshold: number;
  /** The kept elements' factor 1 / (1 − rate). */
  keep: number;
}

/** The parts of BackendWasm used here. */
type WasmBackendLike = {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  getMemoryOffset(dataId: object): number;
};

/** Whether {@link DROPOUT_SIMD} can run now with `hash` (wasm, the module in its heap, a threshold the int32 compare can hold). */
export function dropoutSimdAvailable(hash: DropoutHash): boolean {
  if (tf.getBackend() !== 'wasm' || tf.getKernel(DROPOUT_SIMD, 'wasm') === undefined) return false;
  if (!Number.isInteger(hash.threshold) || hash.threshold < -2147483648 || hash.threshold > 2147483647) return false;
  return heapDropout(tf.backend()) !== null;
}

function kernel(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as unknown as WasmBackendLike;
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { base, threshold, keep } = args.attrs as unknown as DropoutHash;
  if (x.dtype !== 'float32') throw new Error(`${DROPOUT_SIMD}: x must be float32, got ${x.dtype}`);
  const dropout = heapDropout(backend);
  if (dropout === null) throw new Error(`${DROPOUT_SIMD}: the wasm SIMD module is unavailable (check dropoutSimdAvailable first)`);
  const out = backend.makeOutput([...x.shape], 'float32');
  const size = x.shape.reduce((a, b) => a * b, 1);
  if (size > 0) dropout(backend.getMemoryOffset(x.dataId), backend.getMemoryOffset(out.dataId), size, base | 0, threshold, keep);
  return out;
}

if (tf.getKernel(DROPOUT_SIMD, 'wasm') === undefined) {
  tf.registerKernel({ kernelName: DROPOUT_SIMD, backendName: 'wasm', kernelFunc: kernel as unknown as tf.KernelFunc });
}

function apply(x: tf.Tensor, hash: DropoutHash): tf.Tensor {
  return tf.engine().runKernel(DROPOUT_SIMD, { x }, hash as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** x·mask through the kernel, with its gradient dy·mask; check {@link dropoutSimdAvailable} first. */
export function dropoutSimd(x: tf.Tensor, hash: DropoutHash): tf.Tensor {
  const op = tf.customGrad(((input: tf.Tensor) => ({
    value: apply(input, hash),
    gradFunc: (dy: tf.Tensor) => apply(dy, hash),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x);
}
