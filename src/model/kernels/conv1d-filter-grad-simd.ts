/**
 * The filter gradient of a 1-D convolution (stride 1, zero padding) on the wasm backend through the
 * SIMD product of simd-gemm.ts, with no patch matrix and no transpose:
 *
 *   dW[j, ci, co] = Σ_b Σ_{t < rows[b]} xpad[b, t + j, ci] · dz[b, t, co]
 *
 * For each sequence b, one call computes all k taps as k problems (tap j reads the padded input
 * shifted by j rows, transposed in place: ci along M, t along K) and adds onto dW, so the sum runs in
 * one chain over (b, t) in order: the order of the patch product `patchesT · dz` that
 * conv2d-backprop-filter-wasm.ts (and XNNPACK) computes, hence the same bits.
 *
 * `rows[b]` (default: every output step) says how many leading steps of sequence b may have a
 * nonzero dz; the steps after it are skipped. A skipped step whose dz is ±0 adds ±0, which leaves
 * every sum unchanged except that an all-zero sum may come out as +0 where it was −0.
 */
import * as tf from '../tfjs.js';
import { heapGemm } from './simd-gemm.js';
import { simdGemmKernelAvailable } from './kernel-available.js';
import { checkRows, writePaddedRows } from './padded-rows.js';

/** Name under which the kernel is registered (wasm). */
export const CONV1D_FILTER_GRAD_SIMD = 'Conv1dFilterGradSimd';

/** Attributes of the kernel. */
export interface Conv1dFilterGradAttrs {
  /** Taps k of the filter. */
  kernelSize: number;
  /** Zero steps before and after the input (the forward convolution's padding). */
  padBefore: number;
  padAfter: number;
  /** Leading output steps per sequence whose dz may be nonzero, or null for all of them. */
  rows: number[] | null;
}

/** The parts of BackendWasm used here. */
type WasmBackendLike = {
  wasm: { HEAPF32: Float32Array };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  getMemoryOffset(dataId: object): number;
  disposeData(dataId: object): boolean;
};

/** Whether {@link CONV1D_FILTER_GRAD_SIMD} can run now for `outChannels` outputs (wasm, SIMD product in its heap, 8-wide panels). */
export function conv1dFilterGradSimdAvailable(outChannels: number): boolean {
  return simdGemmKernelAvailable(CONV1D_FILTER_GRAD_SIMD, outChannels);
}

function kernel(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as unknown as WasmBackendLike;
  const { x, dz } = args.inputs as { x: tf.TensorInfo; dz: tf.TensorInfo };
  const { kernelSize: k, padBefore, padAfter, rows } = args.attrs as unknown as Conv1dFilterGradAttrs;
  if (x.shape.length !== 3 || dz.shape.length !== 3 || x.dtype !== 'float32' || dz.dtype !== 'float32') {
    throw new Error(`${CONV1D_FILTER_GRAD_SIMD}: x [${x.shape}] and dz [${dz.shape}] must be float32 [B, T, in] and [B, steps, out]`);
  }
  const [B, T, inDim] = x.shape;
  const [dzB, steps, outDim] = dz.shape;
  const padded = T + padBefore + padAfter;
  if (dzB !== B || !(k >= 1) || steps !== padded - k + 1) {
    throw new Error(`${CONV1D_FILTER_GRAD_SIMD}: x [${x.shape}], dz [${dz.shape}], ${k} taps and padding ${padBefore}+${padAfter} do not fit`);
  }
  checkRows(CONV1D_FILTER_GRAD_SIMD, rows, B, steps);
  const gemm = heapGemm(backend);
  if (gemm === null) throw new Error(`${CONV1D_FILTER_GRAD_SIMD}: the wasm SIMD product is unavailable (check conv1dFilterGradSimdAvailable first)`);
  const out = backend.makeOutput([k, inDim, outDim], 'float32');
  const pad = backend.makeOutput([B, padded, inDim], 'float32');
  // Offsets and the heap view only after every allocation: malloc may grow (and detach) the heap.
  const heap = backend.wasm.HEAPF32;
  const outAt = backend.getMemoryOffset(out.dataId);
  const padAt = backend.getMemoryOffset(pad.dataId);
  // The chain of adds starts at +0, as the single product does.
  heap.fill(0, outAt / 4, outAt / 4 + k * inDim * outDim);
  try {
    if (inDim > 0 && outDim > 0) {
      writePaddedRows(heap, backend.getMemoryOffset(x.dataId) / 4, padAt / 4, { batch: B, steps: T, channels: inDim }, padBefore, padAfter);
      const dzAt = backend.getMemoryOffset(dz.dataId);
      for (let b = 0; b < B; b++) {
        const K = rows === null ? steps : rows[b];
        if (K === 0) continue;
        gemm({
          // Tap j: A[ci, t] = xpad[b, t + j, ci]; ci along M (stride one float), t along K (one row).
          a: padAt + b * padded * inDim * 4, lda: 4, aStep: inDim * 4, aBatch: inDim * 4,
          b: dzAt + b * steps * outDim * 4, bPanel: 32, bRow: outDim * 4,
          bias: 0, biasLast: false, c: outAt, cBatch: inDim * outDim * 4, batches: k,
          M: inDim, N: outDim, K, relu: false, accumulate: true,
        });
      }
    }
  } finally {
    backend.disposeData(pad.dataId);
  }
  return out;
}

if (tf.getKernel(CONV1D_FILTER_GRAD_SIMD, 'wasm') === undefined) {
  tf.registerKernel({ kernelName: CONV1D_FILTER_GRAD_SIMD, backendName: 'wasm', kernelFunc: kernel as unknown as tf.KernelFunc });
}

/**
 * dW [k, in, out] of the convolution of x [B, T, in] that gave dz [B, steps, out] through the kernel;
 * check {@link conv1dFilterGradSimdAvailable} first.
 */
export function conv1dFilterGradSimd(x: tf.Tensor3D, dz: tf.Tensor3D, attrs: Conv1dFilterGradAttrs): tf.Tensor3D {
  return tf.engine().runKernel(CONV1D_FILTER_GRAD_SIMD, { x, dz }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D;
}
