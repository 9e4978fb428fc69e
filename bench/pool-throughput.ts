/**
 * Local-training throughput of the audio model: samples/s inline (workers 0) and on piscina pools of
 * 1 and 2 workers, on the same tasks, with the 2-vs-1 speed-up. Also checks that every pool size
 * returns bitwise-identical weights.
 *
 *   npm run bench:pool -- [--tasks 8] [--samples 32] [--size default|small] [--backend wasm] [--no-inline]
 *
 * Wall-clock timing is the point of a benchmark (// wall-clock ok).
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { openStream } from '../src/core/seed-streams.js';
import type { WeightMap } from '../src/core/weights.js';
import { allocateStore, writeSequence } from '../src/data/shared-store.js';
import type { BackendName } from '../src/model/backend.js';
import { InlineTrainer } from '../src/train/inline-trainer.js';
import { PoolTrainer } from '../src/train/pool-trainer.js';
import type { ModelConfig } from '../src/model/model-config.js';
import type { SupervisedTask, Trainer } from '../src/protocol/trainer.js';
import { fedMultimodalConfig } from './train-speed-cases.js';

const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '8' },
    samples: { type: 'string', default: '32' },
    size: { type: 'string', default: 'default' },
    backend: { type: 'string' },
    'no-inline': { type: 'boolean', default: false },
  },
});
const numTasks = Number(args.tasks);
const samplesPerTask = Number(args.samples);

/** FedMultimodal's UCF101 audio model, or a small one for a quick look. */
const config: ModelConfig =
  args.size === 'small'
    ? { numClasses: 51, audio: { frames: 100, dims: 40, convChannels: [16, 32], kernelSize: 5, gruUnits: 32 }, video: { frames: 10, dims: 64, gruUnits: 32 }, headHidden: 32, dropout: 0.1 }
    : fedMultimodalConfig(500);

/** Random clips of 60–100% of the maximum length; every task reads its own samples. */
function makeStore() {
  const n = numTasks * samplesPerTask;
  const store = allocateStore({ name: 'bench', numSamples: n, numClasses: config.numClasses, audio: config.audio, video: null });
  const s = openStream('bench/store');
  for (let i = 0; i < n; i++) {
    store.labels[i] = i % config.numClasses;
    const len = Math.round(config.audio.frames * (0.6 + 0.4 * s.next()));
    writeSequence(store.audio, i, Float32Array.from({ length: len * config.audio.dims }, () => s.normal()), len);
  }
  return store;
}

function hashWeights(weights: WeightMap): string {
  const h = createHash('sha256');
  for (const key of Object.keys(weights).sort()) h.update(key).update(new Uint8Array(weights[key].buffer, weights[key].byteOffset, weights[key].byteLength));
  return h.digest('hex').slice(0, 12);
}

const store = makeStore();
const hyper = { epochs: 1, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 };
const task = (weights: WeightMap, i: number): SupervisedTask => ({
  kind: 'supervised',
  model: 'audio',
  weights,
  sampleIndices: Array.from({ length: samplesPerTask }, (_, k) => i * samplesPerTask + k),
  hyper,
  seed: `bench/task/${i}`,
});

async function measure(label: string, workers: number, make: () => Promise<Trainer>) {
  const trainer = await make();
  const weights = await trainer.initWeights(['audio'], 'bench/init');
  // Warm-up: one small task per worker (model build, wasm compilation), not timed.
  const warm = { ...task(weights, 0), sampleIndices: task(weights, 0).sampleIndices.slice(0, hyper.batchSize) };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, () => trainer.train(warm)));
  const start = process.hrtime.bigint(); // wall-clock ok
  const results = await Promise.all(Array.from({ length: numTasks }, (_, i) => trainer.train(task(weights, i))));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9; // wall-clock ok
  await trainer.close();
  const samples = numTasks * samplesPerTask;
  return { label, backend: trainer.backend, seconds, rate: samples / seconds, hash: hashWeights(results[numTasks - 1].weights) };
}

const backend = args.backend as BackendName | undefined;
const rows = [];
if (!args['no-inline']) rows.push(await measure('inline (0 workers)', 0, () => InlineTrainer.create({ store, config, backend })));
for (const workers of [1, 2]) {
  rows.push(await measure(`pool, ${workers} worker${workers > 1 ? 's' : ''}`, workers, () => PoolTrainer.create({ store, config, workers, backend })));
}
const one = rows.find((r) => r.label.startsWith('pool, 1'))!;
const table = new Table({ head: ['trainer', 'backend', 'seconds', 'samples/s', 'vs 1 worker', 'last weights'] });
for (const r of rows) table.push([r.label, r.backend, r.seconds.toFixed(2), r.rate.toFixed(1), (r.rate / one.rate).toFixed(2), r.hash]);
console.log(`audio model '${args.size}', ${numTasks} tasks × ${samplesPerTask} samples, batch ${hyper.batchSize}, 1 epoch`);
console.log(table.toString());
const identical = new Set(rows.map((r) => r.hash)).size === 1;
console.log(`results identical across trainers: ${identical ? 'yes' : 'NO'}`);
if (!identical) process.exitCode = 1;
