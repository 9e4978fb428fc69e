/**
 * A small matrix product repeated many times against the same weights, e.g. h·U once per GRU step.
 *
 * Through the engine one such product costs a tensor upload, a kernel dispatch, a download and two
 * disposals (≈ 0.1–0.2 ms each on wasm, more than the arithmetic). On wasm this calls the backend's
 * exported BatchMatMul (XNNPACK) directly, on an input and an output buffer that stay in the wasm
 * heap for the whole sequence; XNNPACK keeps the packed weights between calls because the weight
 * tensor is the same. Elsewhere it falls back to tf.matMul.
 */
import * as tf from '../tfjs.js';
import { freeBuffer, heapBuffer, heapShape, tensorId, wasmBackend } from './wasm-direct.js';

/** rows·W for a fixed W. */
export interface StepMatMul {
  /** `input` [rows, k] → [rows, n]; the result is only valid until the next call. */
  run(input: Float32Array): Float32Array;
  /** Frees the heap buffers (on wasm). */
  dispose(): void;
}

/** A product with `weights` [k, n] (a tensor of the active backend) for inputs of `rows` rows. */
export function createStepMatMul(weights: tf.Tensor2D, rows: number): StepMatMul {
  const [k, n] = weights.shape;
  const backend = wasmBackend();
  if (backend === null) {
    const out = new Float32Array(rows * n);
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
  const a = heapBuffer(backend, [1, rows, k]);
  const out = heapBuffer(backend, [1, rows, n]);
  const aShape = heapShape(backend, [1, rows, k]);
  const bShape = heapShape(backend, [1, k, n]);
  const bId = tensorId(backend, weights);
  const module = backend.wasm;
  return {
    run: (input) => {
      module.HEAPF32.set(input, a.offset);
      module._BatchMatMul(a.id, aShape.pointer, 3, bId, bShape.pointer, 3, 0, 0, out.id);
      // A fresh view: the call may have grown (replaced) the heap.
      return module.HEAPF32.subarray(out.offset, out.offset + out.size);
    },
    dispose: () => {
      freeBuffer(backend, a);
      freeBuffer(backend, out);
      aShape.free();
      bShape.free();
    },
  };
}
