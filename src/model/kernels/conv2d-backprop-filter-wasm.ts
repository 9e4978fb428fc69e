/**
 * Conv2DBackpropFilter for the wasm backend, which ships without it (every conv layer's training
 * needs it; tfjs-layers runs conv1d through conv2d).
 *
 * dW[kh, kw, ci, co] = sum over (n, oh, ow) of x[n, oh*sh + kh - padTop, ow*sw + kw - padLeft, ci]
 * * dy[n, oh, ow, co]. Computed as one matrix product patchesT [taps*Ci, M] @ dy [M, Co], all in the
 * wasm heap: the input is transposed to channels-first by the wasm Transpose kernel, the patches are
 * block-copied by {@link writePatchesTransposed}, and the product runs through the SIMD kernel of
 * simd-gemm.ts when the output channels fill 8-wide panels, else wasm BatchMatMul (XNNPACK; a
 * transposed operand would take its ~10x slower reference path). Both give the same bits.
 */
import * as tf from '../tfjs.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { writePatchesTransposed, patchesSize, type PatchGeometry } from './patches-transposed.js';
import { heapGemm } from './simd-gemm.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];
/** The Emscripten module's float view of the heap (present at runtime, absent from its typings). */
type HeapModule = { HEAPF32: Float32Array };
type Conv2DBackpropFilterAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

/** Runs another wasm kernel's implementation directly (kernels may not call back into the engine). */
function wasmKernel(name: string): tf.KernelFunc {
  const config = tf.getKernel(name, 'wasm');
  if (config === undefined) throw new Error(`conv2DBackpropFilter: wasm kernel ${name} is missing`);
  return config.kernelFunc;
}

/** Kernel function for Conv2DBackpropFilter on the wasm backend. */
export function conv2DBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter (wasm): expected float32 x and dy, got ${x.dtype}, ${dy.dtype}`);
  }
  const channelsFirst = attrs.dataFormat === 'NCHW';
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  const g: PatchGeometry = {
    batch: info.batchSize,
    inChannels: info.inChannels,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
  const m = g.batch * g.outHeight * g.outWidth;
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  const transpose = wasmKernel('Transpose');

  // Input as [Ci, N, H, W] so that one image row of one channel is contiguous.
  const xT = transpose({ inputs: { x }, backend, attrs: { perm: channelsFirst ? [1, 0, 2, 3] : [3, 0, 1, 2] } }) as tf.TensorInfo;
  // dy as [M, Co]; NHWC already is, NCHW needs its channels moved last.
  const dyLast = channelsFirst
    ? (transpose({ inputs: { x: dy }, backend, attrs: { perm: [0, 2, 3, 1] } }) as tf.TensorInfo)
    : dy;
  const patches = backend.makeOutput([k, m], 'float32');
  // Read offsets and the heap view only after every allocation: malloc may grow (and detach) it.
  const heap = (backend.wasm as unknown as HeapModule).HEAPF32;
  const xOffset = backend.getMemoryOffset(xT.dataId) / 4;
  const patchesOffset = backend.getMemoryOffset(patches.dataId) / 4;
  if (patchesSize(g) > 0) writePatchesTransposed(heap, xOffset, patchesOffset, g);
  backend.disposeData(xT.dataId);

  const dyMatrix: tf.TensorInfo = { dataId: dyLast.dataId, shape: [m, info.outChannels], dtype: 'float32' };
  const gemm = heapGemm(backend);
  let out: tf.TensorInfo;
  if (gemm !== null && info.outChannels % 8 === 0 && k > 0 && m > 0) {
    // The same product (same bits) through the SIMD kernel, ~1.4× faster than XNNPACK's here.
    out = backend.makeOutput([k, info.outChannels], 'float32');
    gemm({
      a: backend.getMemoryOffset(patches.dataId), lda: 4 * m, aStep: 4, aBatch: 0,
      b: backend.getMemoryOffset(dyMatrix.dataId), bPanel: 32, bRow: 4 * info.outChannels,
      bias: 0, biasLast: false, c: backend.getMemoryOffset(out.dataId), cBatch: 0, batches: 1,
      M: k, N: info.outChannels, K: m, relu: false,
    });
  } else {
    out = wasmKernel('BatchMatMul')({
      inputs: { a: patches, b: dyMatrix },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
  }
  backend.disposeData(patches.dataId);
  if (channelsFirst) backend.disposeData(dyLast.dataId);
  return { dataId: out.dataId, shape: [...attrs.filterShape], dtype: 'float32' };
}

/** Registry entry for {@link conv2DBackpropFilterWasm}. */
export const conv2DBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm as unknown as tf.KernelFunc,
};
