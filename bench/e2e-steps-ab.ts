/**
 * Per-step CPU of bench/e2e-steps.ts's tasks, this tree against an earlier commit, measured as pairs
 * in one process: each tree runs in its own worker thread (its own tfjs, wasm backend and heap), and
 * the two take turns on the same task, so both see the same load from whatever else runs on the
 * machine. Separate runs of bench/e2e-steps.ts moved by ±15% between runs on the shared development
 * machine, more than the changes they were meant to measure; pairs taken seconds apart do not.
 *
 *   npx tsx bench/e2e-steps-ab.ts [--base HEAD~1] [--rounds 14] [--data runs/bench-e2e/data]
 *
 * The earlier tree's src/ is extracted with `git archive` into runs/steps-ab/<commit>/. Prints, per
 * task, the median CPU ms per step of each tree and the median of the per-pair ratios (this ÷ base),
 * its interquartile range, how many pairs this tree won, and whether both trees computed the same
 * result (a digest of every weight and prediction of the warm-up run). The workers are single threads; the
 * process CPU (garbage-collector and compiler threads included) is taken around each turn.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** Task kinds, with the runs per turn and steps per run. */
const KINDS: Record<string, { runs: number; steps: number }> = {
  'train:audio': { runs: 1, steps: 30 },
  'train:video': { runs: 3, steps: 30 },
  'train:av[fusion]': { runs: 2, steps: 30 },
  distill: { runs: 1, steps: 30 },
  'evaluate:audio (test)': { runs: 3, steps: 23 },
};

async function workerMain(root: string, dataDir: string): Promise<void> {
  const load = (path: string) => import(pathToFileURL(join(root, path)).href);
  const { loadNpyDataset } = await load('src/data/npy/load-npy-dataset.ts');
  const { initBackend } = await load('src/model/backend.ts');
  const { initWeights } = await load('src/train/init-weights.ts');
  const { runLocalStep } = await load('src/train/run-local-step.ts');
  const { runEvaluate } = await load('src/train/run-evaluate.ts');
  await initBackend('wasm');
  const data = loadNpyDataset(dataDir);
  // The model and client of bench/e2e-steps.ts.
  const config = {
    numClasses: data.store.numClasses,
    audio: { frames: data.store.audio.frames, dims: data.store.audio.dims, convChannels: [32, 64, 128], kernelSize: 5, gruUnits: 64 },
    video: { frames: data.store.video.frames, dims: data.store.video.dims, gruUnits: 64 },
    headHidden: 64,
    dropout: 0.1,
  };
  type Client = { hasVideo: boolean; train: number[] };
  const withVideo = (data.split.clients as Client[]).filter((c) => c.hasVideo);
  const client = withVideo.reduce((a, b) => (b.train.length > a.train.length ? b : a));
  const weights = initWeights(config, ['audio', 'video', 'av'], 'bench/e2e-steps');
  const hyper = { epochs: 5, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 };
  const base = { weights, sampleIndices: client.train, hyper, seed: 'bench/e2e-steps' };
  const tasks: Record<string, () => unknown> = {
    'train:audio': () => runLocalStep({ kind: 'supervised', model: 'audio', ...base }, data.store, config),
    'train:video': () => runLocalStep({ kind: 'supervised', model: 'video', ...base }, data.store, config),
    'train:av[fusion]': () => runLocalStep({ kind: 'supervised', model: 'av', trainModules: ['fusion'], ...base }, data.store, config),
    distill: () => runLocalStep({ kind: 'distill', model: 'audio', ...base, frozen: weights, params: { alpha: 0.5, temperature: 2 } }, data.store, config),
    'evaluate:audio (test)': () => runEvaluate({ model: 'audio', weights, sampleIndices: data.split.test, batchSize: 16 }, data.store, config),
  };
  // Warm-up (builds the models, packs XNNPACK operators), keeping a digest of each task's result:
  // the two trees must compute the same bits for the comparison to be about speed only.
  const digests: Record<string, string> = {};
  for (const [kind, run] of Object.entries(tasks)) digests[kind] = digestResult(run());
  parentPort!.on('message', (m: { kind: string; runs: number }) => {
    for (let i = 0; i < m.runs; i++) tasks[m.kind]();
    parentPort!.postMessage('done');
  });
  parentPort!.postMessage({ ready: true, digests });
}

/** sha256 of a task's result: every typed array's bytes (weights, predictions), in key order, and the numbers. */
function digestResult(value: unknown): string {
  const hash = createHash('sha256');
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    else if (v !== null && typeof v === 'object') for (const key of Object.keys(v).sort()) {
      hash.update(key);
      visit((v as Record<string, unknown>)[key]);
    }
    else hash.update(String(v));
  };
  visit(value);
  return hash.digest('hex').slice(0, 16);
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      base: { type: 'string', default: 'HEAD~1' },
      rounds: { type: 'string', default: '14' },
      data: { type: 'string', default: 'runs/bench-e2e/data' },
    },
  });
  const { ensureE2eData } = await import('./e2e-data.js');
  const dataDir = resolve(args.data!);
  ensureE2eData(dataDir);
  const commit = execFileSync('git', ['rev-parse', args.base!], { encoding: 'utf8' }).trim();
  const baseRoot = resolve('runs/steps-ab', commit.slice(0, 12));
  if (!existsSync(join(baseRoot, 'src'))) {
    mkdirSync(baseRoot, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${commit} src | tar -x -C ${JSON.stringify(baseRoot)}`]);
  }
  const start = (root: string) =>
    new Promise<{ worker: Worker; digests: Record<string, string> }>((done) => {
      // An eval'd JS entry registers tsx in the worker before loading this file (--import tsx in
      // execArgv did not reach the worker's own entry module).
      const entry = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(import.meta.url)}); });`;
      const w = new Worker(entry, { eval: true, workerData: { root, dataDir } });
      w.once('message', (m: { digests: Record<string, string> }) => done({ worker: w, digests: m.digests }));
    });
  const started = [await start(baseRoot), await start(resolve('.'))];
  const trees = started.map((t) => t.worker);
  const turn = (w: Worker, kind: string, runs: number) =>
    new Promise<number>((done) => {
      const c0 = process.cpuUsage();
      w.once('message', () => {
        const c = process.cpuUsage(c0);
        done((c.user + c.system) / 1000);
      });
      w.postMessage({ kind, runs });
    });
  const pairs = new Map<string, Array<[number, number]>>();
  const loadBefore = loadavg()[0];
  for (let r = 0; r < Number(args.rounds); r++) {
    for (const [kind, { runs, steps }] of Object.entries(KINDS)) {
      // Alternate which tree goes first.
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      const ms: number[] = [0, 0];
      for (const i of order) ms[i] = (await turn(trees[i], kind, runs)) / runs / steps;
      pairs.set(kind, [...(pairs.get(kind) ?? []), [ms[0], ms[1]]]);
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
  process.stdout.write(`base ${commit.slice(0, 12)} against this tree, ${args.rounds} pairs per task; load ${loadBefore.toFixed(2)} → ${loadavg()[0].toFixed(2)}\n`);
  process.stdout.write('task | base CPU ms/step | this CPU ms/step | ratio (median of pairs) | IQR | pairs won | same result\n');
  for (const [kind, ps] of pairs) {
    const ratios = ps.map(([b, t]) => t / b);
    process.stdout.write(
      `${kind} | ${median(ps.map((p) => p[0])).toFixed(2)} | ${median(ps.map((p) => p[1])).toFixed(2)} | ${median(ratios).toFixed(3)} | ` +
        `${quantile(ratios, 0.25).toFixed(3)}–${quantile(ratios, 0.75).toFixed(3)} | ${ratios.filter((x) => x < 1).length}/${ratios.length} | ` +
        `${started[0].digests[kind] === started[1].digests[kind] ? 'yes' : `NO (${started[0].digests[kind]} vs ${started[1].digests[kind]})`}\n`,
    );
  }
  for (const w of trees) await w.terminate();
}

if (isMainThread) await main();
else await workerMain(workerData.root, workerData.dataDir);
