/**
 * Times one Conv2DBackpropFilter on the wasm backend (our kernel) and, for reference, on cpu.
 * Run: npx tsx test/kernels/bench-conv-backprop-filter.ts [N H W Ci kh kw Co [reps [cpuReps]]]
 * (cpuReps 0 skips the cpu reference, which takes seconds per call on large shapes).
 * Not a test (no .test.ts suffix): a manual benchmark.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../../src/model/backend.js';

const arg = process.argv.slice(2).map(Number);
const [n, h, w, ci, kh, kw, co] = arg.length >= 7 ? arg : [16, 1, 250, 32, 1, 5, 64];
const reps = arg[7] ?? 20;
const cpuReps = arg[8] ?? 1;

/** Median milliseconds of one kernel call (after one warm-up call), data read back included. */
async function timeOn(backend: BackendName, repeats: number): Promise<number> {
  await initBackend(backend);
  const x = tf.randomNormal([n, h, w, ci], 0, 1, 'float32', 1);
  const dy = tf.randomNormal([n, h, w, co], 0, 1, 'float32', 2);
  const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [kh, kw, ci, co] };
  const run = () => {
    const r = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
    r.dataSync();
    r.dispose();
  };
  run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)];
  x.dispose();
  dy.dispose();
  return ms;
}

const shape = `x [${n},${h},${w},${ci}] filter [${kh},${kw},${ci},${co}] same, stride 1`;
console.log(`${shape}: wasm ${(await timeOn('wasm', reps)).toFixed(2)} ms/call (median)`);
if (cpuReps > 0) console.log(`${shape}: cpu  ${(await timeOn('cpu', cpuReps)).toFixed(2)} ms/call (median)`);
