/**
 * Training speed of the project's trainer (runSupervised) beside PyTorch on CPU, one thread each:
 * samples/s of the FedMultimodal-shaped audio, video and audio-visual models and the ratio
 * project ÷ PyTorch, measured case by case in one run (the PyTorch side right after ours, so both
 * see the same machine load). The PyTorch side is bench/torch_train.py under Debian's python3.
 *
 *   npm run bench:train -- [--batch 16] [--batches 12] [--repeats 3] [--only audio,av] [--no-torch]
 *
 * Wall-clock timing is the point of a benchmark (// wall-clock ok).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { initBackend, type BackendName } from '../src/model/backend.js';
import { runSupervised } from '../src/train/run-supervised.js';
import { initWeights } from '../src/train/init-weights.js';
import type { SupervisedTask } from '../src/train/types.js';
import { speedCases, speedStore, type SpeedCase } from './train-speed-cases.js';

const { values: args } = parseArgs({
  options: {
    batch: { type: 'string', default: '16' },
    batches: { type: 'string', default: '12' },
    repeats: { type: 'string', default: '3' },
    only: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'no-torch': { type: 'boolean', default: false },
  },
});
const repeats = Number(args.repeats);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

/** Median samples/s of `repeats` timed runSupervised tasks of `c.batches` batches, after a warm-up task. */
function measureProject(c: SpeedCase): number {
  const n = c.batchSize * c.batches;
  const store = speedStore(c.config, n, c.kind !== 'audio');
  const weights = initWeights(c.config, [c.kind], 'bench/train-speed');
  const hyper = { epochs: 1, batchSize: c.batchSize, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 };
  const task = (indices: number[]): SupervisedTask => ({ kind: 'supervised', model: c.kind, weights, sampleIndices: indices, hyper, seed: 'bench' });
  runSupervised(task([...Array(Math.min(n, 2 * c.batchSize)).keys()]), store, c.config);
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    runSupervised(task([...Array(n).keys()]), store, c.config);
    rates.push((n / (performance.now() - t0)) * 1000);
  }
  return median(rates);
}

/** PyTorch's samples/s for `c`, or a reason why there is none. */
function measureTorch(c: SpeedCase): number | string {
  if (args['no-torch']) return 'skipped (--no-torch)';
  if (!existsSync(args.python!)) return `no ${args.python}: apt-get install -y python3-torch`;
  const spec = JSON.stringify({ cases: [{ name: c.name, kind: c.kind, config: c.config, batchSize: c.batchSize, batches: c.batches, repeats }] });
  const run = spawnSync(args.python!, [new URL('./torch_train.py', import.meta.url).pathname, spec], { encoding: 'utf8' });
  if (run.status === 3) return 'torch missing: apt-get install -y python3-torch, run with /usr/bin/python3';
  if (run.status !== 0) return `torch_train.py failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n').pop()}`;
  return JSON.parse(run.stdout).results[0].samplesPerSecond as number;
}

const backend = await initBackend(args.backend as BackendName);
const only = args.only?.split(',');
const cases = speedCases(Number(args.batch), Number(args.batches)).filter((c) => !only || only.some((o) => c.name.startsWith(o)));
console.log(`backend ${backend}, one thread each; load average before: ${load()}`);
const table = new Table({ head: ['model', 'batch', 'project samples/s', 'PyTorch samples/s', 'project ÷ PyTorch', 'load (1 min)'] });
for (const c of cases) {
  const ours = measureProject(c);
  const torch = measureTorch(c);
  const ratio = typeof torch === 'number' ? (ours / torch).toFixed(2) : '-';
  table.push([c.name, c.batchSize, ours.toFixed(0), typeof torch === 'number' ? torch.toFixed(0) : torch, ratio, loadavg()[0].toFixed(2)]);
}
console.log(table.toString());
console.log(`load average after: ${load()}`);
