/**
 * Per-step cost of each task kind of `npm run bench:e2e`, the project beside PyTorch, in CPU
 * milliseconds of one thread (steadier than wall time on a shared machine):
 *
 *   npx tsx bench/e2e-steps.ts [--reps 3] [--data runs/bench-e2e/data] [--python /usr/bin/python3]
 *
 * On the bench's data and model (bench/e2e-data.ts, Conv1d 80→32→64→128, GRU 64, heads 64, 10
 * classes), for the largest client with video: local training of the audio model, the video model,
 * the fusion head on frozen encoders, the distillation step (teacher forward + student step), 5
 * epochs of batch 16 each; and scoring the audio model on the test set (batches of 16). The project
 * calls its task functions in this thread (wasm backend); PyTorch runs bench/torch_e2e_steps.py (the
 * loops of bench/torch_e2e.py, one thread). One warm-up run, then the mean of --reps runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadNpyDataset } from '../src/data/npy/load-npy-dataset.js';
import { initBackend } from '../src/model/backend.js';
import { renderTextTable } from '../src/report/text-table.js';
import { initWeights } from '../src/train/init-weights.js';
import { runEvaluate } from '../src/train/run-evaluate.js';
import { runLocalStep } from '../src/train/run-local-step.js';
import type { ModelConfig } from '../src/model/model-config.js';
import type { TrainHyper } from '../src/protocol/trainer.js';
import { ensureE2eData } from './e2e-data.js';

const { values: args } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    data: { type: 'string', default: 'runs/bench-e2e/data' },
    python: { type: 'string', default: existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3' },
  },
});
const reps = Number(args.reps);
const dataDir = resolve(args.data!);
ensureE2eData(dataDir);
const backend = await initBackend('wasm');
const data = loadNpyDataset(dataDir);
const config: ModelConfig = {
  numClasses: data.store.numClasses,
  audio: { frames: data.store.audio.frames, dims: data.store.audio.dims, convChannels: [32, 64, 128], kernelSize: 5, gruUnits: 64 },
  video: { frames: data.store.video!.frames, dims: data.store.video!.dims, gruUnits: 64 },
  headHidden: 64,
  dropout: 0.1,
};
const withVideo = data.split.clients.filter((c) => c.hasVideo);
const client = withVideo.reduce((a, b) => (b.train.length > a.train.length ? b : a));
const weights = initWeights(config, ['audio', 'video', 'av'], 'bench/e2e-steps');
const hyper: TrainHyper = { epochs: 5, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 };
const trainSteps = hyper.epochs * Math.ceil(client.train.length / hyper.batchSize);
const evalSteps = Math.ceil(data.split.test.length / 16);
const base = { weights, sampleIndices: client.train, hyper, seed: 'bench/e2e-steps' };
const kinds: Array<[string, number, () => unknown]> = [
  ['train:audio', trainSteps, () => runLocalStep({ kind: 'supervised', model: 'audio', ...base }, data.store, config)],
  ['train:video', trainSteps, () => runLocalStep({ kind: 'supervised', model: 'video', ...base }, data.store, config)],
  ['train:av[fusion]', trainSteps, () => runLocalStep({ kind: 'supervised', model: 'av', trainModules: ['fusion'], ...base }, data.store, config)],
  ['distill', trainSteps, () => runLocalStep({ kind: 'distill', model: 'audio', ...base, frozen: weights, params: { alpha: 0.5, temperature: 2 } }, data.store, config)],
  ['evaluate:audio (test)', evalSteps, () => runEvaluate({ model: 'audio', weights, sampleIndices: data.split.test, batchSize: 16 }, data.store, config)],
];
const project = new Map<string, { cpu: number; wall: number }>();
const loadBefore = loadavg()[0];
for (const [name, steps, run] of kinds) {
  run(); // warm-up: builds the model, packs XNNPACK operators
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) run();
  const cpu = process.cpuUsage(c0);
  project.set(name, { cpu: (cpu.user + cpu.system) / 1000 / reps / steps, wall: (performance.now() - t0) / reps / steps });
}
const torchRun = spawnSync(args.python!, ['bench/torch_e2e_steps.py', dataDir, '--client', client.id, '--reps', String(reps)], {
  encoding: 'utf8',
  // One thread, BLAS included (Debian's torch may load a pthread OpenBLAS with a thread per core).
  env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
});
const torch = new Map<string, { cpu: number; wall: number }>();
let torchNote = '';
if (torchRun.status === 0) {
  const out = JSON.parse(torchRun.stdout.trim().split('\n').pop()!);
  for (const r of out.results) torch.set(r.name, { cpu: r.cpuMsPerStep, wall: r.wallMsPerStep });
  torchNote = `torch ${out.torch}, ${out.threads} thread`;
} else {
  torchNote = `PyTorch side failed or missing (${(torchRun.stderr || torchRun.stdout || '').trim().split('\n').pop()}): apt-get install -y python3-torch, run with /usr/bin/python3`;
}
const rows = kinds.map(([name, steps]) => {
  const p = project.get(name)!;
  const t = torch.get(name);
  return [name, steps, p.cpu.toFixed(2), t ? t.cpu.toFixed(2) : '—', t ? (p.cpu / t.cpu).toFixed(2) : '—', p.wall.toFixed(2), t ? t.wall.toFixed(2) : '—'];
});
process.stdout.write(`client ${client.id} (${client.train.length} clips), ${reps} reps after a warm-up; project backend ${backend}; ${torchNote}; load ${loadBefore.toFixed(2)} → ${loadavg()[0].toFixed(2)}\n`);
process.stdout.write(`${renderTextTable(['task', 'steps', 'project CPU ms/step', 'PyTorch CPU ms/step', 'ratio (CPU)', 'project wall ms/step', 'PyTorch wall ms/step'], rows)}\n`);
