/**
 * A 1-D convolution (stride 1, explicit zero padding) on the wasm backend through the SIMD product
 * of simd-gemm.ts: the input is copied once into a zero-padded buffer [B, T + before + after, in]
 * and the product reads output step t's receptive field, k·in contiguous floats, as row t of A with
 * a row stride of `in` (no im2col copy). Optional bias and fused ReLU.
 *
 * Same values, bit for bit, as tfjs-wasm's Conv2D / FusedConv2D on [B, 1, T, in] with the filter
 * [1, k, in, out] (XNNPACK's order of accumulation: bias, then taps, then input channels), at about
 * 1.4× their speed at the audio model's shapes. Registered for wasm only; {@link conv1dSimdAvailable}
 * says when an op may dispatch it, and callers keep tf.conv2d otherwise.
 */
import * as tf from '../tfjs.js';
import { heapGemm } from './simd-gemm.js';
import { simdGemmKernelAvailable } from './kernel-available.js';
import { checkRows, writePaddedRows } from './padded-rows.js';

/** Name under which the kernel is registered (wasm). */
export const CONV1D_SIMD = 'Conv1dSimd';

/** Attributes of the kernel. */
export interface Conv1dSimdAttrs {
  /** Zero steps added before and after the input. */
  padBefore: number;
  padAfter: number;
  relu: boolean;
  /**
   * Add the bias after the sum instead of starting the sum at it: what tfjs computes when it does not
   * fuse the bias into the convolution (under a gradient), which rounds differently.
   */
  biasLast: boolean;
  /**
   * Output steps to compute per sequence (the leading ones), or null/absent for all: the steps after
   * them are written as zeros. For callers that know which steps anything downstream reads.
   */
  rows?: number[] | null;
}

/** The parts of BackendWasm used here. */
type WasmBackendLike = {
  wasm: { HEAPF32: Float32Array };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  getMemoryOffset(dataId: object): number;
  disposeData(dataId: object): boolean;
};

/**
 * Whether {@link CONV1D_SIMD} can run now for a convolution with `outChannels` outputs: the active
 * backend is wasm, the SIMD product loads in its heap, and the outputs fill whole 8-wide panels.
 */
export function conv1dSimdAvailable(outChannels: number): boolean {
  return simdGemmKernelAvailable(CONV1D_SIMD, outChannels);
}

function kernel(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as unknown as WasmBackendLike;
  const { x, filter, bias } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
  const { padBefore, padAfter, relu, biasLast, rows = null } = args.attrs as unknown as Conv1dSimdAttrs;
  if (x.shape.length !== 3 || filter.shape.length !== 3) {
    throw new Error(`${CONV1D_SIMD}: x [${x.shape}] and filter [${filter.shape}] must be [B, T, in] and [k, in, out]`);
  }
  const [B, T, inDim] = x.shape;
  const [k, filterIn, outDim] = filter.shape;
  const padded = T + padBefore + padAfter;
  const steps = padded - k + 1;
  if (filterIn !== inDim || steps < 0 || (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== outDim))) {
    throw new Error(`${CONV1D_SIMD}: x [${x.shape}], filter [${filter.shape}], bias [${bias?.shape ?? ''}] and padding ${padBefore}+${padAfter} do not fit`);
  }
  for (const t of [x, filter, bias]) {
    if (t !== undefined && t.dtype !== 'float32') throw new Error(`${CONV1D_SIMD}: inputs must be float32, got ${t.dtype}`);
  }
  checkRows(CONV1D_SIMD, rows, B, steps);
  const gemm = heapGemm(backend);
  if (gemm === null) throw new Error(`${CONV1D_SIMD}: the wasm SIMD product is unavailable (check conv1dSimdAvailable first)`);
  const out = backend.makeOutput([B, steps, outDim], 'float32');
  if (B * steps * outDim === 0) return out;
  const needsCopy = padBefore > 0 || padAfter > 0;
  const pad = needsCopy ? backend.makeOutput([B, padded, inDim], 'float32') : x;
  // Offsets and the heap view only after every allocation: malloc may grow (and detach) the heap.
  const heap = backend.wasm.HEAPF32;
  const xAt = backend.getMemoryOffset(x.dataId) / 4;
  const padAt = backend.getMemoryOffset(pad.dataId) / 4;
  if (needsCopy) writePaddedRows(heap, xAt, padAt, { batch: B, steps: T, channels: inDim }, padBefore, padAfter);
  const call = {
    a: padAt * 4,
    lda: inDim * 4,
    aStep: 4,
    aBatch: padded * inDim * 4,
    b: backend.getMemoryOffset(filter.dataId),
    bPanel: 32,
    bRow: outDim * 4,
    bias: bias === undefined ? 0 : backend.getMemoryOffset(bias.dataId),
    biasLast,
    c: backend.getMemoryOffset(out.dataId),
    cBatch: steps * outDim * 4,
    batches: B,
    M: steps,
    N: outDim,
    K: k * inDim,
    relu,
  };
  try {
    if (rows === null) {
      gemm(call);
    } else {
      // One sequence at a time, its leading rows[b] steps; the rest of its output is zeros.
      const outAt = call.c / 4;
      for (let b = 0; b < B; b++) {
        const from = outAt + b * steps * outDim;
        heap.fill(0, from + rows[b] * outDim, from + steps * outDim);
        gemm({ ...call, a: call.a + b * call.aBatch, c: call.c + b * call.cBatch, batches: 1, M: rows[b] });
      }
    }
  } finally {
    if (needsCopy) backend.disposeData(pad.dataId);
  }
  return out;
}

if (tf.getKernel(CONV1D_SIMD, 'wasm') === undefined) {
  tf.registerKernel({ kernelName: CONV1D_SIMD, backendName: 'wasm', kernelFunc: kernel as unknown as tf.KernelFunc });
}

/**
 * y [B, T + before + after - k + 1, out] = conv1d(x [B, T, in], filter [k, in, out]) (+ bias) (ReLU)
 * through the kernel; check {@link conv1dSimdAvailable} first.
 */
export function conv1dSimd(x: tf.Tensor3D, filter: tf.Tensor3D, bias: tf.Tensor1D | null, attrs: Conv1dSimdAttrs): tf.Tensor3D {
  const inputs: tf.NamedTensorMap = bias === null ? { x, filter } : { x, filter, bias };
  return tf.engine().runKernel(CONV1D_SIMD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D;
}
