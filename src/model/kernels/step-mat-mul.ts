/**
 * A small matrix product repeated many times against the same weights, e.g. h·U once per GRU step.
 *
 * Through the engine one such product costs a tensor upload, a kernel dispatch, a download and two
 * disposals (≈ 0.1–0.2 ms each on wasm, more than the arithmetic). On wasm this calls the backend's
 * BatchMatMul kernel (XNNPACK) directly on one input buffer that lives in the wasm heap for the
 * whole sequence; XNNPACK keeps the packed weights between calls because the weight tensor is the
 * same. Elsewhere it falls back to tf.matMul.
 */
import * as tf from '@tensorflow/tfjs';

/** rows·W for a fixed W; `run`'s result is a buffer reused by the next call. */
export interface StepMatMul {
  /** `input` [rows, k] → [rows, n]; the returned array is overwritten by the next call. */
  run(input: Float32Array): Float32Array;
  /** Frees the heap buffer (on wasm). */
  dispose(): void;
}

/** The parts of BackendWasm used here. */
type WasmBackend = {
  wasm: { HEAPF32: Float32Array };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  getMemoryOffset(dataId: object): number;
  disposeData(dataId: object): boolean;
};

/** A product with `weights` [k, n] for inputs of `rows` rows, in the active backend. */
export function createStepMatMul(weights: tf.Tensor2D, rows: number): StepMatMul {
  const [k, n] = weights.shape;
  const out = new Float32Array(rows * n);
  if (tf.getBackend() !== 'wasm') {
    return {
      run: (input) => {
        const product = tf.tidy(() => tf.matMul(tf.tensor2d(input, [rows, k]), weights));
        out.set(product.dataSync());
        product.dispose();
        return out;
      },
      dispose: () => undefined,
    };
  }
  const backend = tf.backend() as unknown as WasmBackend;
  const kernel = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  const a = backend.makeOutput([rows, k], 'float32');
  return {
    run: (input) => {
      backend.wasm.HEAPF32.set(input, backend.getMemoryOffset(a.dataId) / 4);
      const product = kernel({
        inputs: { a, b: weights },
        backend: backend as unknown as tf.KernelBackend,
        attrs: { transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      // Read the heap view only now: the output's allocation may have grown (replaced) the heap.
      const offset = backend.getMemoryOffset(product.dataId) / 4;
      out.set(backend.wasm.HEAPF32.subarray(offset, offset + rows * n));
      backend.disposeData(product.dataId);
      return out;
    },
    dispose: () => {
      backend.disposeData(a.dataId);
    },
  };
}
