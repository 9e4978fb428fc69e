/**
 * The wasm SIMD product (src/model/kernels/simd-gemm.ts) and the kernels built on it:
 * - the committed binary is what scripts/gen-simd-gemm.mjs generates from its WAT text;
 * - the product equals a scalar loop in XNNPACK's order (bias or +0, then each product added in
 *   order with float32 rounding, the bias after the sum with biasLast, then max(0, ·)) bit for bit,
 *   over row remainders, batches, overlapping rows, strided B and ReLU;
 * - the 1-D convolution equals tfjs-wasm's FusedConv2D (no gradient) and Conv2D + Add + Relu (what
 *   tfjs runs under a gradient), the input-gradient convolution equals Conv2D, the filter gradient
 *   equals the XNNPACK BatchMatMul path, and the matrix product (A or Aᵀ read in place) equals
 *   BatchMatMul on an explicit transpose, then Add, all bit for bit;
 * - the Conv1d block's value and gradients are the same with the product on and off (whole runs:
 *   bench:e2e's hashes); on the cpu backend nothing dispatches it.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { conv1dSimd, conv1dSimdAvailable } from '../../src/model/kernels/conv1d-simd.js';
import { matMulSimd, matMulSimdAvailable } from '../../src/model/kernels/mat-mul-simd.js';
import { heapGemm, setSimdGemmEnabled, simdGemmFor } from '../../src/model/kernels/simd-gemm.js';
import { conv1dReluPool } from '../../src/model/conv1d-block.js';
import { gru } from '../../src/model/fast-gru.js';
import { bitDiffs, signedValues } from '../helpers/bit-values.js';
// @ts-expect-error: a plain .mjs build script without type declarations
import { binarySource, gemmBinary } from '../../scripts/gen-simd-gemm.mjs';

const values = signedValues;

afterEach(() => setSimdGemmEnabled(true));

describe('simd gemm binary', () => {
  it('is what the generator writes from its WAT text', async () => {
    const committed = readFileSync(new URL('../../src/model/kernels/simd-gemm-binary.ts', import.meta.url), 'utf8');
    expect(binarySource(await gemmBinary())).toBe(committed);
  });
});

describe('simd gemm product', () => {
  const memory = new WebAssembly.Memory({ initial: 64 });
  const gemm = simdGemmFor(memory)!;

  it('loads where wasm SIMD exists (Node 20 has it)', () => {
    expect(gemm).not.toBeNull();
  });

  const cases = [
    { M: 1, K: 1, N: 8, batches: 1, overlap: false, bias: false, biasLast: false, relu: false },
    { M: 7, K: 13, N: 16, batches: 1, overlap: false, bias: true, biasLast: false, relu: true },
    { M: 5, K: 20, N: 40, batches: 3, overlap: true, bias: true, biasLast: true, relu: true },
    { M: 9, K: 33, N: 24, batches: 2, overlap: false, bias: false, biasLast: false, relu: true },
    { M: 12, K: 160, N: 64, batches: 2, overlap: true, bias: true, biasLast: false, relu: false },
    { M: 11, K: 30, N: 24, batches: 1, overlap: false, transposed: true, bias: true, biasLast: true, relu: false },
  ];
  for (const c of cases) {
    it(`equals the scalar loop in XNNPACK's order: ${JSON.stringify(c)}`, () => {
      const { M, K, N, batches } = c;
      // Overlapping rows: row i starts 4 floats after row i-1 (a convolution's padded input).
      // Transposed: A stored as [K, M], read with lda 1 and a step of M floats.
      const transposed = 'transposed' in c && c.transposed;
      const lda = transposed ? 1 : c.overlap ? 4 : K;
      const aStep = transposed ? M : 1;
      const aRows = transposed ? K * M : (M - 1) * lda + K;
      const aBatch = aRows + 3;
      const bRow = N + 8; // a strided B, as a sub-block of a wider matrix
      const a = values(batches * aBatch, `a/${M}/${K}`);
      const b = values(K * bRow, `b/${K}/${N}`);
      const bias = values(N, `bias/${N}`);
      const heap = new Float32Array(memory.buffer);
      const A = 16, B = A + a.length, BIAS = B + b.length, C = BIAS + N;
      heap.set(a, A);
      heap.set(b, B);
      heap.set(bias, BIAS);
      heap.fill(Number.NaN, C, C + batches * M * N);
      gemm({
        a: 4 * A, lda: 4 * lda, aStep: 4 * aStep, aBatch: 4 * aBatch, b: 4 * B, bPanel: 32, bRow: 4 * bRow,
        bias: c.bias ? 4 * BIAS : 0, biasLast: c.biasLast, c: 4 * C, cBatch: 4 * M * N, batches, M, N, K, relu: c.relu,
      });
      const expected = new Float32Array(batches * M * N);
      for (let q = 0; q < batches; q++) {
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let acc = c.bias && !c.biasLast ? bias[j] : 0;
            for (let k = 0; k < K; k++) acc = Math.fround(acc + Math.fround(a[q * aBatch + i * lda + k * aStep] * b[k * bRow + j]));
            if (c.bias && c.biasLast) acc = Math.fround(acc + bias[j]);
            expected[(q * M + i) * N + j] = c.relu ? (0 < acc ? acc : 0) : acc;
          }
        }
      }
      expect(bitDiffs(heap.subarray(C, C + batches * M * N), expected)).toBe(0);
    });
  }

  it('with accumulate goes on from C: K split over calls adds up as one chain in order', () => {
    const [M, K, N, batches] = [6, 29, 16, 2];
    const a = values(batches * M * K, 'acc-a');
    const b = values(K * N, 'acc-b');
    const heap = new Float32Array(memory.buffer);
    const A = 16, B = A + a.length, C = B + b.length;
    heap.set(a, A);
    heap.set(b, B);
    heap.fill(0, C, C + batches * M * N);
    // K = 29 as 3 calls of 10, 1 and 18 products, each starting where the last ended.
    let k0 = 0;
    for (const part of [10, 1, 18]) {
      gemm({
        a: 4 * (A + k0), lda: 4 * K, aStep: 4, aBatch: 4 * M * K, b: 4 * (B + k0 * N), bPanel: 32, bRow: 4 * N,
        bias: 0, biasLast: false, c: 4 * C, cBatch: 4 * M * N, batches, M, N, K: part, relu: false, accumulate: true,
      });
      k0 += part;
    }
    const expected = new Float32Array(batches * M * N);
    for (let q = 0; q < batches; q++) {
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let acc = 0;
          for (let k = 0; k < K; k++) acc = Math.fround(acc + Math.fround(a[(q * M + i) * K + k] * b[k * N + j]));
          expected[(q * M + i) * N + j] = acc;
        }
      }
    }
    expect(bitDiffs(heap.subarray(C, C + batches * M * N), expected)).toBe(0);
    const call = { a: 0, lda: 4, aStep: 4, aBatch: 0, b: 0, bPanel: 32, bRow: 32, bias: 0, biasLast: false, c: 0, cBatch: 0, batches: 1, M: 4, N: 8, K: 4, relu: false, accumulate: true };
    expect(() => gemm({ ...call, bias: 64 })).toThrow(/accumulate takes no bias/);
    expect(() => gemm({ ...call, relu: true })).toThrow(/accumulate takes no bias and no ReLU/);
  });

  it('rejects a call that would read past the heap, and N not a multiple of 8', () => {
    const call = { a: 0, lda: 4, aStep: 4, aBatch: 0, b: 0, bPanel: 32, bRow: 32, bias: 0, biasLast: false, c: 0, cBatch: 0, batches: 1, M: 4, N: 8, K: 4, relu: false };
    expect(() => gemm({ ...call, c: memory.buffer.byteLength - 16 })).toThrow(/past the heap/);
    expect(() => gemm({ ...call, N: 12 })).toThrow(/multiple of 8/);
    expect(() => gemm({ ...call, K: 0 })).toThrow(/K = 0/);
  });
});

describe('convolutions through the product on wasm', () => {
  const shapes = [
    { B: 16, T: 99, cin: 80, cout: 32, k: 5 },
    { B: 4, T: 41, cin: 32, cout: 64, k: 5 },
    { B: 3, T: 6, cin: 16, cout: 8, k: 3 },
    { B: 2, T: 2, cin: 8, cout: 16, k: 5 },
  ];
  for (const s of shapes) {
    it(`equal tfjs-wasm's kernels bit for bit: ${JSON.stringify(s)}`, async () => {
      await initBackend('wasm');
      expect(conv1dSimdAvailable(s.cout)).toBe(true);
      const key = JSON.stringify(s);
      tf.tidy(() => {
        const x = tf.tensor3d(values(s.B * s.T * s.cin, `x${key}`), [s.B, s.T, s.cin]);
        const w = tf.tensor3d(values(s.k * s.cin * s.cout, `w${key}`), [s.k, s.cin, s.cout]);
        const bias = tf.tensor1d(values(s.cout, `b${key}`));
        const left = Math.floor((s.k - 1) / 2);
        const pads = { padBefore: left, padAfter: s.k - 1 - left };
        const x4 = tf.reshape(x, [s.B, 1, s.T, s.cin]) as tf.Tensor4D;
        const w4 = tf.reshape(w, [1, s.k, s.cin, s.cout]) as tf.Tensor4D;
        // Fused (what tfjs runs without a gradient): bias first.
        const fused = tf.fused.conv2d({ x: x4, filter: w4, strides: 1, pad: 'same', bias, activation: 'relu' });
        const ours = conv1dSimd(x, w, bias, { ...pads, relu: true, biasLast: false });
        expect(bitDiffs(ours.dataSync(), fused.dataSync())).toBe(0);
        // Unfused (what tfjs runs under a gradient): conv, then + bias, then ReLU.
        const unfused = tf.relu(tf.add(tf.conv2d(x4, w4, 1, 'same'), bias));
        const oursLast = conv1dSimd(x, w, bias, { ...pads, relu: true, biasLast: true });
        expect(bitDiffs(oursLast.dataSync(), unfused.dataSync())).toBe(0);
        // Input gradient: a convolution with no bias and the complementary padding.
        const plain = tf.conv2d(x4, w4, 1, [[0, 0], [0, 0], [s.k - 1 - left, left], [0, 0]]);
        const oursPlain = conv1dSimd(x, w, null, { padBefore: s.k - 1 - left, padAfter: left, relu: false, biasLast: false });
        expect(bitDiffs(oursPlain.dataSync(), plain.dataSync())).toBe(0);
      });
    });
  }

  it('the filter gradient is the same with the product on and off', async () => {
    await initBackend('wasm');
    const [B, T, cin, cout, k] = [8, 37, 32, 64, 5];
    const x = tf.tensor4d(values(B * T * cin, 'fx'), [B, 1, T, cin]);
    const dy = tf.tensor4d(values(B * T * cout, 'fdy'), [B, 1, T, cout]);
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [1, k, cin, cout] };
    const grad = () => (tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync();
    const on = grad();
    setSimdGemmEnabled(false);
    expect(heapGemm(tf.backend())).toBeNull();
    const off = grad();
    expect(bitDiffs(on, off)).toBe(0);
    tf.dispose([x, dy]);
  });

  it('the Conv1d block gives the same value and gradients with the product on and off', async () => {
    await initBackend('wasm');
    const [B, T, cin, cout, k] = [6, 23, 16, 32, 5];
    const x = tf.tensor3d(values(B * T * cin, 'bx'), [B, T, cin]);
    const w = tf.tensor3d(values(k * cin * cout, 'bw'), [k, cin, cout]);
    const bias = tf.tensor1d(values(cout, 'bb'));
    const r = tf.tensor3d(values(B * Math.floor(T / 2) * cout, 'br'), [B, Math.floor(T / 2), cout]);
    const run = () => {
      const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(conv1dReluPool(xx as tf.Tensor3D, ww as tf.Tensor3D, bb as tf.Tensor1D), r)) as tf.Scalar;
      const { value, grads } = tf.valueAndGrads(f)([x, w, bias]);
      return [value, ...grads].map((t) => t.dataSync().slice());
    };
    const on = run();
    setSimdGemmEnabled(false);
    expect(conv1dSimdAvailable(cout)).toBe(false);
    const off = run();
    on.forEach((values, i) => expect(bitDiffs(values, off[i])).toBe(0));
    tf.dispose([x, w, bias, r]);
  });

  for (const [M, K, N, transposeA] of [[192, 128, 192, false], [128, 192, 192, true], [64, 37, 16, true], [5, 1280, 192, false]] as const) {
    it(`the matrix product equals BatchMatMul (explicit transpose) then Add: ${M}x${K}x${N}${transposeA ? ' (Aᵀ)' : ''}`, async () => {
      await initBackend('wasm');
      expect(matMulSimdAvailable(N)).toBe(true);
      tf.tidy(() => {
        const a = tf.tensor2d(values(M * K, `ma${M}`), transposeA ? [K, M] : [M, K]);
        const b = tf.tensor2d(values(K * N, `mb${K}`), [K, N]);
        const bias = tf.tensor2d(values(N, `mbias${N}`), [1, N]);
        const aa = transposeA ? (tf.transpose(a) as tf.Tensor2D) : a;
        expect(bitDiffs(matMulSimd(a, b, transposeA).dataSync(), tf.matMul(aa, b).dataSync())).toBe(0);
        expect(bitDiffs(matMulSimd(a, b, transposeA, bias).dataSync(), tf.add(tf.matMul(aa, b), bias).dataSync())).toBe(0);
      });
    });
  }

  it('the GRU gives the same value and gradients with the product on and off', async () => {
    await initBackend('wasm');
    const [B, T, inDim, u] = [5, 7, 24, 16];
    const x = tf.tensor3d(values(B * T * inDim, 'gx'), [B, T, inDim]);
    const kernel = tf.tensor2d(values(inDim * 3 * u, 'gk'), [inDim, 3 * u]);
    const recurrent = tf.tensor2d(values(u * 3 * u, 'gu'), [u, 3 * u]);
    const bias = tf.tensor2d(values(2 * 3 * u, 'gb'), [2, 3 * u]);
    const r = tf.tensor3d(values(B * T * u, 'gr'), [B, T, u]);
    const run = () => {
      const f = (xx: tf.Tensor, kk: tf.Tensor, uu: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.mul(gru(xx as tf.Tensor3D, kk as tf.Tensor2D, uu as tf.Tensor2D, bb as tf.Tensor2D), r)) as tf.Scalar;
      const { value, grads } = tf.valueAndGrads(f)([x, kernel, recurrent, bias]);
      return [value, ...grads].map((t) => t.dataSync().slice());
    };
    const on = run();
    setSimdGemmEnabled(false);
    expect(matMulSimdAvailable(3 * u)).toBe(false);
    const off = run();
    on.forEach((values, i) => expect(bitDiffs(values, off[i])).toBe(0));
    tf.dispose([x, kernel, recurrent, bias, r]);
  });

  it('is never dispatched on the cpu backend', async () => {
    await initBackend('cpu');
    expect(conv1dSimdAvailable(32)).toBe(false);
    expect(matMulSimdAvailable(32)).toBe(false);
    expect(heapGemm(tf.backend())).toBeNull();
    await initBackend('wasm');
  });
});
