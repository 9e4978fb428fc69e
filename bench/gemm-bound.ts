/**
 * What bounds the ratios that stay below PyTorch: GFLOP/s of the matrix products that dominate a
 * training step, in tfjs-wasm (XNNPACK, 128-bit SIMD without FMA) beside torch.mm on one thread
 * (the BLAS Debian's python3-torch loads, and optionally OpenBLAS via --torch-lib).
 *
 *   npx tsx bench/gemm-bound.ts [--torch-lib DIR]
 *
 * Wall-clock timing is the point of a benchmark (// wall-clock ok).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import Table from 'cli-table3';
import { initBackend } from '../src/model/backend.js';

const { values: args } = parseArgs({ options: { 'torch-lib': { type: 'string' }, python: { type: 'string', default: '/usr/bin/python3' } } });

/** [m, k, n] and where the product occurs (FedMultimodal sizes, batch 16; the model, batch 32). */
const SHAPES: Array<[string, [number, number, number]]> = [
  ['video GRU input projection x·W (av, video)', [160, 1280, 384]],
  ['video GRU weight gradient xᵀ·dxp', [1280, 160, 384]],
  ['conv1 filter gradient, issue model (patchesᵀ·dz)', [400, 1600, 64]],
  ['conv1 forward as im2col, issue model', [1600, 400, 64]],
  ['audio GRU input projection (50 frames, batch 16)', [96, 128, 384]],
];

function tfjsRate([m, k, n]: [number, number, number]): number {
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  const reps = Math.max(3, Math.round(2e8 / (2 * m * k * n)));
  for (let i = 0; i < 2; i++) tf.matMul(a, b).dispose();
  const rates: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) tf.matMul(a, b).dataSync();
    rates.push((2 * m * k * n * reps) / ((performance.now() - t0) / 1000) / 1e9);
  }
  tf.dispose([a, b]);
  return rates.sort((x, y) => x - y)[2];
}

function torchRates(libDir?: string): { blas: string; gflops: number[] } | null {
  const env = libDir === undefined ? process.env : { ...process.env, LD_LIBRARY_PATH: libDir };
  const run = spawnSync(args.python!, [new URL('./torch_train.py', import.meta.url).pathname, JSON.stringify({ gemm: SHAPES.map(([, s]) => s) })], { encoding: 'utf8', env });
  return run.status === 0 ? JSON.parse(run.stdout) : null;
}

await initBackend('wasm');
console.log(`load average before: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
const ours = SHAPES.map(([, s]) => tfjsRate(s));
const system = torchRates();
const other = args['torch-lib'] === undefined ? null : torchRates(args['torch-lib']);
const head = ['product', '[m, k, n]', 'tfjs-wasm GFLOP/s', `torch GFLOP/s (${system?.blas ?? 'n/a'})`];
if (other) head.push(`torch GFLOP/s (${other.blas})`);
const table = new Table({ head });
SHAPES.forEach(([name, s], i) => {
  const row = [name, s.join('×'), ours[i].toFixed(1), system ? system.gflops[i].toFixed(1) : '-'];
  if (other) row.push(other.gflops[i].toFixed(1));
  table.push(row);
});
console.log(table.toString());
console.log(`load average after: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
