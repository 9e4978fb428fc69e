/**
 * The wasm SIMD module (src/model/kernels/simd-gemm.ts: the product, the patch-free filter gradient
 * and the in-heap seeded dropout) beside tfjs-wasm's stock kernels at the
 * bench:e2e model's shapes (Conv1d 80→32→64→128 over a batch of 16 clips of ~99 frames, GRU 64 over
 * 12 pooled steps), each pair measured back to back in one process, with the same inputs, and
 * checked bit for bit equal:
 *
 *   npm run bench:simd -- [--reps 300]
 *
 * Columns: ms per call of each side, their ratio, GFLOP/s of the SIMD side, and whether the outputs
 * are the same bits. Wall-clock timing is the point of a benchmark (// wall-clock ok).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/model/backend.js';
import { conv1dSimd } from '../src/model/kernels/conv1d-simd.js';
import { matMulSimd } from '../src/model/kernels/mat-mul-simd.js';
import { conv1dFilterGradSimd } from '../src/model/kernels/conv1d-filter-grad-simd.js';
import { dropoutSimd } from '../src/model/kernels/dropout-simd.js';
import { dropoutHash, dropoutMask } from '../src/model/seeded-dropout.js';
import { setSimdGemmEnabled } from '../src/model/kernels/simd-gemm.js';
import { renderTextTable } from '../src/report/text-table.js';

const { values: args } = parseArgs({ options: { reps: { type: 'string', default: '300' } } });
const reps = Number(args.reps);
await initBackend('wasm');

/** Mean ms per call of `f` after 20 warm-up calls. */
function time(f: () => tf.Tensor): number {
  // tidy: a side's intermediate tensors (an uploaded mask, a reshape) are freed with its result.
  for (let i = 0; i < 20; i++) tf.tidy(f).dispose();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(f).dispose();
  return (performance.now() - t0) / reps;
}

/** Whether two tensors hold the same bits. */
function sameBits(a: tf.Tensor, b: tf.Tensor): boolean {
  const x = a.dataSync();
  const y = b.dataSync();
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}

const rand = (shape: number[]) => tf.randomUniform(shape, -1, 1, 'float32', 7);
const rows: string[][] = [];
const add = (name: string, flops: number, stock: () => tf.Tensor, simd: () => tf.Tensor) => {
  const same = tf.tidy(() => sameBits(stock(), simd()));
  const a = time(stock);
  const b = time(simd);
  rows.push([name, a.toFixed(3), b.toFixed(3), (b / a).toFixed(2), flops > 0 ? (flops / b / 1e6).toFixed(1) : '—', same ? 'yes' : 'NO']);
};

const B = 16;
for (const [T, cin, cout] of [[99, 80, 32], [49, 32, 64], [24, 64, 128]]) {
  const k = 5;
  const x = rand([B, T, cin]) as tf.Tensor3D;
  const w = rand([k, cin, cout]) as tf.Tensor3D;
  const bias = rand([cout]) as tf.Tensor1D;
  const x4 = x.reshape([B, 1, T, cin]) as tf.Tensor4D;
  const w4 = w.reshape([1, k, cin, cout]) as tf.Tensor4D;
  const flops = 2 * B * T * k * cin * cout;
  add(`conv ${cin}→${cout}, T ${T}: forward, bias + ReLU fused`, flops,
    () => tf.fused.conv2d({ x: x4, filter: w4, strides: 1, pad: 'same', bias, activation: 'relu' }),
    () => conv1dSimd(x, w, bias, { padBefore: 2, padAfter: 2, relu: true, biasLast: false }));
  const dz = rand([B, T, cout]) as tf.Tensor3D;
  const wT = rand([k, cout, cin]) as tf.Tensor3D;
  if (cin % 8 === 0 && cin !== 80) {
    add(`conv ${cin}→${cout}, T ${T}: input gradient`, 2 * B * T * k * cin * cout,
      () => tf.conv2d(dz.reshape([B, 1, T, cout]) as tf.Tensor4D, wT.reshape([1, k, cout, cin]) as tf.Tensor4D, 1, [[0, 0], [0, 0], [2, 2], [0, 0]]),
      () => conv1dSimd(dz, wT, null, { padBefore: 2, padAfter: 2, relu: false, biasLast: false }));
  }
  const filterGrad = () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: x4, dy: dz.reshape([B, 1, T, cout]) }, {
    strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [1, k, cin, cout],
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
  add(`conv ${cin}→${cout}, T ${T}: filter gradient (patches + product)`, flops,
    () => { setSimdGemmEnabled(false); try { return filterGrad(); } finally { setSimdGemmEnabled(true); } },
    filterGrad);
  // What the conv block runs now: no patches, no transpose, k taps per clip added onto dW in place.
  add(`conv ${cin}→${cout}, T ${T}: filter gradient (patch-free, accumulating)`, flops,
    () => { setSimdGemmEnabled(false); try { return filterGrad().reshape([k, cin, cout]); } finally { setSimdGemmEnabled(true); } },
    () => conv1dFilterGradSimd(x, dz, { kernelSize: k, padBefore: 2, padAfter: 2, rows: null }));
  // Seeded dropout of the block's pooled output: mask hashed in JS, uploaded, Multiply; or all in the heap.
  const pooled = rand([B, Math.floor(T / 2), cout]);
  const hash = dropoutHash(0.1, `bench/${cin}`);
  add(`dropout 0.1 of [${pooled.shape}] (mask upload + Multiply vs in the heap)`, 0,
    () => tf.mul(pooled, tf.tensor(dropoutMask(pooled.size, 0.1, `bench/${cin}`), pooled.shape)),
    () => dropoutSimd(pooled, hash));
}
for (const [M, K, N, transposeA, name] of [
  [192, 128, 192, false, 'GRU input projection x·W'],
  [128, 192, 192, true, 'GRU input weight gradient xᵀ·dxp'],
  [64, 192, 192, true, 'GRU recurrent weight gradient hᵀ·dhp'],
  [128, 1280, 192, false, 'video GRU input projection x·W'],
  [1280, 128, 192, true, 'video GRU input weight gradient xᵀ·dxp'],
] as const) {
  const a = rand(transposeA ? [K, M] : [M, K]) as tf.Tensor2D;
  const b = rand([K, N]) as tf.Tensor2D;
  add(`${name} [${M}×${K}]·[${K}×${N}]`, 2 * M * K * N,
    () => tf.matMul(transposeA ? (tf.transpose(a) as tf.Tensor2D) : a, b),
    () => matMulSimd(a, b, transposeA));
}
process.stdout.write(`tfjs-wasm's stock kernels (XNNPACK) beside the SIMD module, ${reps} calls each, load ${loadavg()[0].toFixed(2)}\n`);
process.stdout.write(`${renderTextTable(['operation', 'stock ms', 'SIMD ms', 'SIMD ÷ stock', 'SIMD GFLOP/s', 'same bits'], rows)}\n`);
