/**
 * The GRU forward recurrence on the wasm backend with the gate nonlinearities vectorised: per step
 * one direct XNNPACK matMul (h·U) and two direct XNNPACK sigmoid calls, on buffers that stay in the
 * wasm heap; JS loops do only adds and multiplies. tanh(a) is computed as 2·σ(2a) − 1.
 *
 * Why: in JS each gate element costs three Math.exp/Math.tanh calls (~40 ns together), which made
 * the element-wise part of the forward pass cost more than its matMuls; XNNPACK's SIMD sigmoid costs
 * ~1 ns per element. Same equations, inputs, outputs and tape as gruForward in gru-recurrence.ts.
 */
import type * as tf from './tfjs.js';
import type { GruDims, GruTape } from './gru-recurrence.js';
import { freeBuffer, heapBuffer, heapShape, tensorId, tensorOffset, wasmBackend, type HeapBuffer } from './kernels/wasm-direct.js';

/**
 * Runs the recurrence from h = 0 on wasm. `xp` [B, T, 3u] (a wasm tensor, read in place in the heap
 * rather than copied out) includes the input bias, `recBias` is [3u], `recurrent` is U [u, 3u] as a
 * wasm tensor. Writes every state [B, T, u] into `out` (all of it), returns it, and fills `tape`.
 */
export function gruForwardWasm(
  xp: tf.Tensor,
  recBias: Float32Array,
  recurrent: tf.Tensor2D,
  dims: GruDims,
  tape: GruTape,
  out: Float32Array,
): Float32Array {
  const backend = wasmBackend();
  if (backend === null) throw new Error('gruForwardWasm: the active backend is not wasm');
  const { batch: B, steps: T, units: u } = dims;
  const module = backend.wasm;
  const buffers: HeapBuffer[] = [];
  const buffer = (shape: number[]) => {
    const b = heapBuffer(backend, shape);
    buffers.push(b);
    return b;
  };
  const h = buffer([1, B, u]);
  const hp = buffer([1, B, 3 * u]);
  const zrIn = buffer([B * 2 * u]);
  const zr = buffer([B * 2 * u]);
  const nIn = buffer([B * u]);
  const nOut = buffer([B * u]);
  const aShape = heapShape(backend, [1, B, u]);
  const bShape = heapShape(backend, [1, u, 3 * u]);
  const uId = tensorId(backend, recurrent);
  const xpOffset = tensorOffset(backend, xp);
  if (xp.size !== B * T * 3 * u || out.length !== B * T * u) throw new Error('gruForwardWasm: xp or out does not match dims');
  try {
    module.HEAPF32.fill(0, h.offset, h.offset + h.size);
    for (let t = 0; t < T; t++) {
      module._BatchMatMul(h.id, aShape.pointer, 3, uId, bShape.pointer, 3, 0, 0, hp.id);
      let heap = module.HEAPF32;
      // z and r pre-activations, [B, 2u].
      for (let b = 0; b < B; b++) {
        const xo = xpOffset + (b * T + t) * 3 * u;
        const ho = hp.offset + b * 3 * u;
        const zo = zrIn.offset + b * 2 * u;
        for (let j = 0; j < 2 * u; j++) heap[zo + j] = heap[xo + j] + heap[ho + j] + recBias[j];
      }
      module._Sigmoid(zrIn.id, zr.id);
      heap = module.HEAPF32;
      // Candidate pre-activation, doubled for tanh(a) = 2σ(2a) − 1; hn goes on the tape.
      for (let b = 0; b < B; b++) {
        const xo = xpOffset + (b * T + t) * 3 * u + 2 * u;
        const ho = hp.offset + b * 3 * u + 2 * u;
        const ro = zr.offset + b * 2 * u + u;
        const no = nIn.offset + b * u;
        const k0 = (t * B + b) * u;
        for (let j = 0; j < u; j++) {
          const hn = heap[ho + j] + recBias[2 * u + j];
          tape.hn[k0 + j] = hn;
          heap[no + j] = 2 * (heap[xo + j] + heap[ro + j] * hn);
        }
      }
      module._Sigmoid(nIn.id, nOut.id);
      heap = module.HEAPF32;
      for (let b = 0; b < B; b++) {
        const zo = zr.offset + b * 2 * u;
        const so = h.offset + b * u;
        const no = nOut.offset + b * u;
        const oo = (b * T + t) * u;
        const k0 = (t * B + b) * u;
        for (let j = 0; j < u; j++) {
          const z = heap[zo + j];
          const n = 2 * heap[no + j] - 1;
          const prev = heap[so + j];
          const value = (1 - z) * n + z * prev;
          const k = k0 + j;
          tape.z[k] = z;
          tape.r[k] = heap[zo + u + j];
          tape.n[k] = n;
          tape.hPrev[k] = prev;
          heap[so + j] = value;
          out[oo + j] = value;
        }
      }
    }
  } finally {
    for (const b of buffers) freeBuffer(backend, b);
    aShape.free();
    bShape.free();
  }
  return out;
}
