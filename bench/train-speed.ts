/**
 * Training speed of the project's trainer (runLocalStep) beside PyTorch on CPU, one thread each:
 * samples/s of the FedMultimodal-shaped audio, video and audio-visual models and the ratio
 * project ÷ PyTorch, measured case by case in one run (the PyTorch side right after ours, so both
 * see the same machine load). The PyTorch side is bench/torch_train.py under Debian's python3.
 * Rates are given per wall-clock second and per CPU second of the process: on a shared machine the
 * wall-clock rate of either side swings with other jobs, the CPU-time rate much less, so the CPU
 * ratio is the steadier comparison (both sides run one compute thread).
 *
 *   npm run bench:train -- [--batch 16] [--batches 12] [--repeats 3] [--only audio,av] [--no-torch]
 *                          [--torch-lib DIR]
 *
 * Debian's python3-torch does its matrix products through whatever libblas.so.3 resolves to: the
 * reference BLAS unless an optimised one (OpenBLAS) is installed. `--torch-lib DIR` adds a second
 * PyTorch column run with LD_LIBRARY_PATH=DIR (e.g. an unpacked libopenblas0-serial), so both can be
 * compared without changing the system's alternatives. The BLAS each run loaded is printed.
 *
 * Wall-clock timing is the point of a benchmark (// wall-clock ok).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { initBackend, type BackendName } from '../src/model/backend.js';
import { runLocalStep } from '../src/train/run-local-step.js';
import { initWeights } from '../src/train/init-weights.js';
import type { SupervisedTask } from '../src/protocol/trainer.js';
import { speedCases, speedStore, type SpeedCase } from './train-speed-cases.js';

const { values: args } = parseArgs({
  options: {
    batch: { type: 'string', default: '16' },
    batches: { type: 'string', default: '12' },
    repeats: { type: 'string', default: '3' },
    only: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'torch-lib': { type: 'string' },
    'no-torch': { type: 'boolean', default: false },
  },
});
const repeats = Number(args.repeats);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

/** A rate per wall-clock second and per CPU second of this process. */
interface Rate {
  wall: number;
  cpu: number;
}

/** Median rates of `repeats` timed runLocalStep tasks of `c.batches` batches, after a warm-up task. */
function measureProject(c: SpeedCase): Rate {
  const n = c.batchSize * c.batches;
  const store = speedStore(c.config, n, c.kind !== 'audio');
  const weights = initWeights(c.config, [c.kind], 'bench/train-speed');
  const hyper = { epochs: 1, batchSize: c.batchSize, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 };
  const task = (indices: number[]): SupervisedTask => ({ kind: 'supervised', model: c.kind, weights, sampleIndices: indices, hyper, seed: 'bench' });
  runLocalStep(task([...Array(Math.min(n, 2 * c.batchSize)).keys()]), store, c.config);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    runLocalStep(task([...Array(n).keys()]), store, c.config);
    const used = process.cpuUsage(c0);
    wall.push((n / (performance.now() - t0)) * 1000);
    cpu.push((n / (used.user + used.system)) * 1e6);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** PyTorch's rates for `c` (with LD_LIBRARY_PATH=`libDir` when given), or a reason why there are none. */
function measureTorch(c: SpeedCase, libDir?: string): Rate | string {
  if (args['no-torch']) return 'skipped (--no-torch)';
  if (!existsSync(args.python!)) return `no ${args.python}: apt-get install -y python3-torch`;
  const spec = JSON.stringify({ cases: [{ name: c.name, kind: c.kind, config: c.config, batchSize: c.batchSize, batches: c.batches, repeats }] });
  const env = libDir === undefined ? process.env : { ...process.env, LD_LIBRARY_PATH: libDir };
  const run = spawnSync(args.python!, [new URL('./torch_train.py', import.meta.url).pathname, spec], { encoding: 'utf8', env });
  if (run.status === 3) return 'torch missing: apt-get install -y python3-torch, run with /usr/bin/python3';
  if (run.status !== 0) return `torch_train.py failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n').pop()}`;
  const parsed = JSON.parse(run.stdout) as { blas: string; results: Array<{ samplesPerSecond: number; samplesPerCpuSecond: number }> };
  blasSeen.set(libDir === undefined ? 'system' : 'torch-lib', parsed.blas.split(' ')[0]);
  return { wall: parsed.results[0].samplesPerSecond, cpu: parsed.results[0].samplesPerCpuSecond };
}

/** BLAS each PyTorch variant loaded ('system' and 'torch-lib'). */
const blasSeen = new Map<string, string>();

const backend = await initBackend(args.backend as BackendName);
const only = args.only?.split(',');
const cases = speedCases(Number(args.batch), Number(args.batches)).filter((c) => !only || only.some((o) => c.name.startsWith(o)));
console.log(`backend ${backend}, one thread each; load average before: ${load()}`);
const libDir = args['torch-lib'];
const table = new Table({
  head: ['model', 'batch', 'PyTorch BLAS', 'project /s (wall)', 'PyTorch /s (wall)', 'ratio (wall)', 'project /s (CPU)', 'PyTorch /s (CPU)', 'ratio (CPU)', 'load 1 min'],
});
for (const c of cases) {
  const ours = measureProject(c);
  const variants: Array<[string, string | undefined]> = [['system', undefined]];
  if (libDir !== undefined) variants.push(['torch-lib', libDir]);
  for (const [label, dir] of variants) {
    const torch = measureTorch(c, dir);
    const blas = `${label}: ${blasSeen.get(label) ?? '?'}`;
    if (typeof torch === 'string') {
      table.push([c.name, c.batchSize, blas, ours.wall.toFixed(0), torch, '-', ours.cpu.toFixed(0), '-', '-', loadavg()[0].toFixed(2)]);
    } else {
      table.push([
        c.name, c.batchSize, blas,
        ours.wall.toFixed(0), torch.wall.toFixed(0), (ours.wall / torch.wall).toFixed(2),
        ours.cpu.toFixed(0), torch.cpu.toFixed(0), (ours.cpu / torch.cpu).toFixed(2),
        loadavg()[0].toFixed(2),
      ]);
    }
  }
}
console.log(table.toString());
if (libDir !== undefined) console.log(`torch-lib: LD_LIBRARY_PATH=${libDir}`);
console.log(`load average after: ${load()}`);
