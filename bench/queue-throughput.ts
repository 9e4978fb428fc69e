/**
 * The same small compare grid on the local pool (2 worker threads) and on the queue (a
 * redis-server started here and 2 `modality-mirror worker` processes on this machine): wall time,
 * tasks, mean task latency, the per-task overhead of the queue (sequential 1-sample evaluations,
 * where compute is negligible), bytes moved per round, and whether both give the same hashes.
 *
 *   npm run bench:queue -- [--methods unifl,modality-mirror] [--rounds 3] [--samples 60] [--probes 30] [--repeat 3]
 *
 * Each grid runs `repeat` times on each trainer; the fastest run is reported (other load on a
 * shared machine only ever slows a run down).
 *
 * Wall-clock timing is the point of a benchmark (// wall-clock ok).
 */
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { loadScenarioFile } from '../src/cli/load-scenario-module.js';
import { buildRunConfig } from '../src/engine/build-run-config.js';
import { createTrainer } from '../src/engine/create-trainer.js';
import { loadScenarioData } from '../src/scenario/prepare-dataset.js';
import { runGrid, type GridRun } from '../src/engine/run-grid.js';
import { QueueTrainer } from '../src/queue/queue-trainer.js';
import { applyOverrides } from '../src/scenario/overrides.js';
import type { EvalTask, Trainer } from '../src/protocol/trainer.js';
import { startRedis } from '../test/queue/redis-server.js';
import { startWorker, stopCli } from '../test/queue/worker-process.js';

const { values: args } = parseArgs({
  options: {
    methods: { type: 'string', default: 'unifl,modality-mirror' },
    rounds: { type: 'string', default: '3' },
    samples: { type: 'string', default: '60' },
    probes: { type: 'string', default: '30' },
    repeat: { type: 'string', default: '3' },
  },
});
const methods = args.methods.split(',');
const scenario = applyOverrides(await loadScenarioFile('scenarios/default.ts'), [`rounds=${args.rounds}`, `data.samplesPerClass=${args.samples}`]);
const dataset = loadScenarioData(scenario, 'bench');
const model = buildRunConfig(scenario, dataset, 'bench').model;
const grid = { methods, missingRates: [0.5], seeds: [1] };

/** Counts a trainer's tasks and their latencies (call to result). */
function timed(inner: Trainer) {
  const stat = { tasks: 0, latencyMs: 0 };
  const time = async <T>(work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now(); // wall-clock ok
    try {
      return await work();
    } finally {
      stat.tasks++;
      stat.latencyMs += performance.now() - t0; // wall-clock ok
    }
  };
  const trainer: Trainer = {
    backend: inner.backend,
    initWeights: (m, s) => time(() => inner.initWeights(m, s)),
    train: (t) => time(() => inner.train(t)),
    evaluate: (t) => time(() => inner.evaluate(t)),
    close: () => inner.close(),
  };
  return { trainer, stat };
}

/** Mean ms of `n` sequential 1-sample evaluations: the fixed cost of one task. */
async function probe(trainer: Trainer, n: number): Promise<number> {
  const weights = await trainer.initWeights(['audio'], 'bench/probe');
  const task: EvalTask = { model: 'audio', weights, sampleIndices: [dataset.split.test[0]], batchSize: 1 };
  await Promise.all([0, 1, 2, 3].map((i) => trainer.evaluate({ ...task, sampleIndices: dataset.split.test.slice(i, i + 2) })));
  const t0 = performance.now(); // wall-clock ok
  for (let i = 0; i < n; i++) await trainer.evaluate({ ...task, sampleIndices: [dataset.split.test[i % dataset.split.test.length]] });
  return (performance.now() - t0) / n; // wall-clock ok
}

interface Measure {
  label: string;
  wallMs: number;
  tasks: number;
  meanLatencyMs: number;
  overheadMs: number;
  bytesPerRound: number | null;
  runs: GridRun[];
}

async function measure(label: string, inner: Trainer, bytes: () => number | null): Promise<Measure> {
  // Warm-up and fixed cost first: every worker has loaded the data and started its threads before the grid.
  const overheadMs = await probe(inner, Number(args.probes));
  let best: { wallMs: number; latencyMs: number; tasks: number; bytes: number | null; runs: GridRun[] } | null = null;
  for (let i = 0; i < Number(args.repeat); i++) {
    const bytesBefore = bytes() ?? 0;
    const { trainer, stat } = timed(inner);
    const t0 = performance.now(); // wall-clock ok
    const runs = await runGrid(scenario, dataset, trainer, grid, 'bench');
    const wallMs = performance.now() - t0; // wall-clock ok
    const after = bytes();
    if (best === null || wallMs < best.wallMs) best = { wallMs, latencyMs: stat.latencyMs, tasks: stat.tasks, bytes: after === null ? null : after - bytesBefore, runs };
  }
  const { wallMs, runs } = best!;
  const rounds = runs.reduce((s, r) => s + r.roundsPerPhase.reduce((a, b) => a + b, 0), 0);
  const stat = { tasks: best!.tasks, latencyMs: best!.latencyMs };
  const moved = best!.bytes;
  return { label, wallMs, tasks: stat.tasks, meanLatencyMs: stat.latencyMs / stat.tasks, overheadMs, bytesPerRound: moved === null ? null : moved / rounds, runs };
}

const pool = await createTrainer({ workers: 2, backend: 'wasm' }, dataset.store, model);
const local = await measure('local pool, 2 threads', pool, () => null).finally(() => pool.close());

const redis = await startRedis();
const workers = [await startWorker(redis.url), await startWorker(redis.url)];
let queued: Measure;
try {
  const queue = (await createTrainer({ workers: 0, backend: 'wasm', queue: { url: redis.url } }, dataset.store, model)) as QueueTrainer;
  try {
    queued = await measure('queue, 2 worker processes', queue, () => queue.stats.bytesOut + queue.stats.bytesIn);
  } finally {
    await queue.close();
  }
} finally {
  for (const w of workers) await stopCli(w);
  await redis.stop();
}

const same = local.runs.every((r, i) => r.traceHash === queued.runs[i].traceHash && r.weightsHash === queued.runs[i].weightsHash);
const table = new Table({ head: ['trainer', 'grid wall s', 'tasks', 'mean task latency ms', 'per-task fixed cost ms', 'bytes moved per round'] });
for (const m of [local, queued]) {
  table.push([m.label, (m.wallMs / 1000).toFixed(2), m.tasks, m.meanLatencyMs.toFixed(1), m.overheadMs.toFixed(2), m.bytesPerRound === null ? '(shared memory)' : `${(m.bytesPerRound / 1024).toFixed(0)} KiB`]);
}
process.stdout.write(`compare grid: ${methods.join(', ')} × missing 0.5 × seed 1, ${args.rounds} rounds per phase, ${dataset.store.numSamples} samples, backend wasm\n`);
process.stdout.write(`${table.toString()}\n`);
process.stdout.write(`queue / pool wall time: ${(queued.wallMs / local.wallMs).toFixed(2)}×; per-task overhead of the queue: ${(queued.overheadMs - local.overheadMs).toFixed(2)} ms\n`);
process.stdout.write(`same traceHash and weightsHash in every cell: ${same ? 'yes' : 'NO'}\n`);
if (!same) process.exitCode = 1;
