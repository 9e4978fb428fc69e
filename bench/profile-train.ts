/**
 * Where a training step's time goes, kernel by kernel: runs a few warm-up steps of runLocalStep,
 * then profiles one task with tf.profile and prints per-kernel totals and the share of wall time
 * spent outside tfjs kernels (JS: the GRU recurrence, dropout masks, batch gathering, engine overhead).
 *
 *   npx tsx bench/profile-train.ts [--case N] [--batches 4] [--backend wasm]
 *
 * Wall-clock timing is the point of a benchmark (// wall-clock ok).
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../src/model/backend.js';
import { initWeights } from '../src/train/init-weights.js';
import { modulesOf } from '../src/model/model-kinds.js';
import { runLocalStep } from '../src/train/run-local-step.js';
import type { SupervisedTask } from '../src/protocol/trainer.js';
import { speedCases, speedStore } from './train-speed-cases.js';

const { values: args } = parseArgs({
  options: {
    case: { type: 'string', default: '0' },
    batches: { type: 'string', default: '4' },
    batch: { type: 'string', default: '16' },
    backend: { type: 'string', default: 'wasm' },
  },
});
await initBackend(args.backend as BackendName);
const c = speedCases(Number(args.batch), Number(args.batches))[Number(args.case)];
const n = c.batchSize * c.batches;
const store = speedStore(c.config, n, c.kind !== 'audio');
const weights = initWeights(c.config, [c.kind], 'bench/profile');
const hyper = { epochs: 1, batchSize: c.batchSize, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 };
const task: SupervisedTask = { kind: 'supervised', model: c.kind, weights, sampleIndices: [...Array(n).keys()], hyper, seed: 'p' };
runLocalStep(task, store, c.config); // warm-up
let t0 = performance.now();
runLocalStep(task, store, c.config);
const plain = performance.now() - t0;
t0 = performance.now();
const info = await tf.profile(() => { runLocalStep(task, store, c.config); });
const wall = performance.now() - t0;
const totals = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const e = totals.get(k.name) ?? { ms: 0, calls: 0 };
  e.ms += k.kernelTimeMs as number;
  e.calls++;
  totals.set(k.name, e);
}
const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
const kernelMs = rows.reduce((s, [, e]) => s + e.ms, 0);
console.log(`${c.name} ${c.kind} batch ${c.batchSize} x ${c.batches} on ${tf.getBackend()} (modules ${modulesOf(c.kind).join(',')})`);
console.log(`unprofiled: ${plain.toFixed(0)} ms = ${((n / plain) * 1000).toFixed(0)} samples/s; profiled wall ${wall.toFixed(0)} ms, in kernels ${kernelMs.toFixed(0)} ms`);
console.log('per step (ms):');
for (const [name, e] of rows.slice(0, 25)) console.log(`  ${name.padEnd(24)} ${(e.ms / c.batches).toFixed(2).padStart(8)}  calls ${(e.calls / c.batches).toFixed(0)}`);
