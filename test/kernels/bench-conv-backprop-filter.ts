/**
 * Times one Conv2DBackpropFilter on the wasm backend (our kernel) against the wasm forward Conv2D
 * of the same shape (same multiply-adds, XNNPACK) and, optionally, the cpu backend's kernel.
 * Run: npx tsx test/kernels/bench-conv-backprop-filter.ts [N H W Ci kh kw Co [reps [cpuReps]]]
 * (cpuReps 0 skips the cpu reference, which takes seconds per call on large shapes).
 * Prints the median wall time and the mean process CPU time per call: wasm runs on one thread
 * here, so CPU time is the cost without other processes' interference. Not a test: a manual bench.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../../src/model/backend.js';

const arg = process.argv.slice(2).map(Number);
const [n, h, w, ci, kh, kw, co] = arg.length >= 7 ? arg : [16, 1, 250, 32, 1, 5, 64];
const reps = arg[7] ?? 20;
const cpuReps = arg[8] ?? 1;

/** Median wall ms and mean CPU ms of `run` (after one warm-up call). */
function measure(run: () => void, repeats: number): string {
  run();
  const wall: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    run();
    wall.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  wall.sort((a, b) => a - b);
  const cpuMs = (cpu.user + cpu.system) / 1000 / repeats;
  return `${wall[Math.floor(wall.length / 2)].toFixed(2)} ms wall (median), ${cpuMs.toFixed(2)} ms CPU (mean)`;
}

/** Times the filter gradient (and on wasm the forward conv) on `backend`, data read back included. */
async function timeOn(backend: BackendName, repeats: number): Promise<void> {
  await initBackend(backend);
  const x = tf.randomNormal([n, h, w, ci], 0, 1, 'float32', 1);
  const dy = tf.randomNormal([n, h, w, co], 0, 1, 'float32', 2);
  const filter = tf.randomNormal([kh, kw, ci, co], 0, 1, 'float32', 3) as tf.Tensor4D;
  const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [kh, kw, ci, co] };
  const once = (f: () => tf.Tensor) => () => {
    const r = f();
    r.dataSync();
    r.dispose();
  };
  const grad = once(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor);
  console.log(`${backend} Conv2DBackpropFilter: ${measure(grad, repeats)}`);
  if (backend === 'wasm') {
    const forward = once(() => tf.conv2d(x as tf.Tensor4D, filter, 1, 'same'));
    console.log(`${backend} Conv2D forward (reference): ${measure(forward, repeats)}`);
  }
  tf.dispose([x, dy, filter]);
}

console.log(`x [${n},${h},${w},${ci}] filter [${kh},${kw},${ci},${co}] same, stride 1`);
await timeOn('wasm', reps);
if (cpuReps > 0) await timeOn('cpu', cpuReps);
