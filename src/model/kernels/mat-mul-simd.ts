/**
 * A 2-D matrix product C = op(A)·B (+ bias after the sum) on the wasm backend through the SIMD
 * product of simd-gemm.ts, where op(A) is A or Aᵀ read in place (a transposed A is a stride, not a
 * Transpose kernel). For the GRU's input projection and its weight gradients (M = B·T rows).
 *
 * Same bits as tfjs-wasm's BatchMatMul on an explicitly transposed A, then Add for the bias (the
 * sum starts at +0, the bias is added after it); ~1.8× their speed at the GRU's shapes. Registered
 * for wasm only; {@link matMulSimdAvailable} says when an op may dispatch it.
 */
import * as tf from '../tfjs.js';
import { heapGemm } from './simd-gemm.js';
import { simdGemmKernelAvailable } from './kernel-available.js';

/** Name under which the kernel is registered (wasm). */
export const MAT_MUL_SIMD = 'MatMulSimd';

/** The parts of BackendWasm used here. */
type WasmBackendLike = {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  getMemoryOffset(dataId: object): number;
};

/** Whether {@link MAT_MUL_SIMD} can run now for a product with `columns` output columns. */
export function matMulSimdAvailable(columns: number): boolean {
  return simdGemmKernelAvailable(MAT_MUL_SIMD, columns);
}

function kernel(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as unknown as WasmBackendLike;
  const { a, b, bias } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
  const { transposeA } = args.attrs as unknown as { transposeA: boolean };
  if (a.shape.length !== 2 || b.shape.length !== 2) throw new Error(`${MAT_MUL_SIMD}: a [${a.shape}] and b [${b.shape}] must be matrices`);
  const [M, K] = transposeA ? [a.shape[1], a.shape[0]] : a.shape;
  const N = b.shape[1];
  if (b.shape[0] !== K || (bias !== undefined && (bias.shape.reduce((x, y) => x * y, 1) !== N))) {
    throw new Error(`${MAT_MUL_SIMD}: a [${a.shape}]${transposeA ? 'ᵀ' : ''}, b [${b.shape}] and bias [${bias?.shape ?? ''}] do not fit`);
  }
  for (const t of [a, b, bias]) {
    if (t !== undefined && t.dtype !== 'float32') throw new Error(`${MAT_MUL_SIMD}: inputs must be float32, got ${t.dtype}`);
  }
  const gemm = heapGemm(backend);
  if (gemm === null) throw new Error(`${MAT_MUL_SIMD}: the wasm SIMD product is unavailable (check matMulSimdAvailable first)`);
  const out = backend.makeOutput([M, N], 'float32');
  if (M * N === 0) return out;
  if (K === 0) throw new Error(`${MAT_MUL_SIMD}: an empty inner dimension is not supported`);
  gemm({
    a: backend.getMemoryOffset(a.dataId),
    // A[i, k]: row-major [M, K], or [K, M] read as its transpose.
    lda: transposeA ? 4 : 4 * K,
    aStep: transposeA ? 4 * M : 4,
    aBatch: 0,
    b: backend.getMemoryOffset(b.dataId),
    bPanel: 32,
    bRow: 4 * N,
    bias: bias === undefined ? 0 : backend.getMemoryOffset(bias.dataId),
    biasLast: true,
    c: backend.getMemoryOffset(out.dataId),
    cBatch: 0,
    batches: 1,
    M,
    N,
    K,
    relu: false,
  });
  return out;
}

if (tf.getKernel(MAT_MUL_SIMD, 'wasm') === undefined) {
  tf.registerKernel({ kernelName: MAT_MUL_SIMD, backendName: 'wasm', kernelFunc: kernel as unknown as tf.KernelFunc });
}

/**
 * op(a)·b (+ bias, added after the sum) through the kernel: a [M, K] (or [K, M] with `transposeA`),
 * b [K, N], bias of N values; check {@link matMulSimdAvailable} first.
 */
export function matMulSimd(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, bias: tf.Tensor | null = null): tf.Tensor2D {
  const inputs: tf.NamedTensorMap = bias === null ? { a, b } : { a, b, bias };
  return tf.engine().runKernel(MAT_MUL_SIMD, inputs, { transposeA } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
