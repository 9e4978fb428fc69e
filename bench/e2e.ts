/**
 * `npm run bench:e2e`: a whole federated run, the project beside a PyTorch FedAvg loop (issue 13).
 *
 *   npm run bench:e2e -- [--rounds 20] [--epochs 5] [--methods unifl,modality-mirror] [--workers 1,2]
 *                        [--threads 1,2] [--quick] [--no-torch] [--python /usr/bin/python3]
 *                        [--data runs/bench-e2e/data] [--out runs/bench-e2e] [--from dist|source]
 *                        [--compare 1,2 | --compare none] [--repeat 1]
 *
 * 1. Exports the bench's data (bench/e2e-data.ts: the synthetic generator at the issue's shapes, 20
 *    clients, half without video) as an NPY folder, once.
 * 2. For each method, runs the engine through its CLI (`modality-mirror run scenarios/default.ts
 *    --data npy:DIR --method M --workers W --profile`, FedMultimodal-shaped models: Conv1d
 *    80→32→64→128, GRU 64, heads 64; 25% of clients per round, `epochs` local epochs, batch 16, SGD
 *    momentum 0.9, wd 1e-5, clip 10, plain FedAvg, dev and test scored every round, eval batch 16)
 *    with each --workers count, and bench/torch_e2e.py (PyTorch, the same configuration) with each
 *    --threads count. ModalityMirror runs --rounds rounds per phase on both sides.
 * 3. Times each child process whole (`/usr/bin/time`: wall, user + system CPU), reads the engine's
 *    profile.json (time split) and the PyTorch loop's own split, and prints the table, the ratios to
 *    PyTorch with one thread, the split, and the issue's goals met or not. Writes --out/results.json.
 *
 * The engine runs as a user runs it: the built CLI (`--from dist`, the default; the bench first
 * compiles with `tsc -p tsconfig.build.json`, as `npm run build` does), or from source through tsx
 * (`--from source`: each process and each worker also compiles TypeScript as it loads, ~2 s of CPU).
 *
 * 4. `--compare K,…` (default 1,2): the methods as one grid, `modality-mirror compare --methods … --missing 0
 *    --seeds 1 --workers 2 --concurrency K --profile`, for each K: wall, CPU and the workers' busy share
 *    over the grid (the issue's "busy during compare" goal); each cell's hashes must equal its `run`.
 *
 * `--repeat N` runs the whole set N times, interleaved; each ratio pairs the two sides' runs of one
 * repeat, and the table and the goals read the median of those ratios with their range (bench/e2e-stats.ts).
 *
 * `--quick` (1 round per phase, 1 epoch, 2 workers, 1 thread, from source unless --from dist) checks
 * the whole path in about a minute.
 * Other load on the machine slows either side: the load average is recorded with every run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTextTable } from '../src/report/text-table.js';
import type { RunProfile } from '../src/cli/run-profiler.js';
import { ensureE2eData } from './e2e-data.js';
import { median, readCpuVectorUnits, summariseRatios, type RatioSummary } from './e2e-stats.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string' },
    epochs: { type: 'string' },
    methods: { type: 'string', default: 'unifl,modality-mirror' },
    workers: { type: 'string' },
    threads: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
    python: { type: 'string', default: existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3' },
    data: { type: 'string', default: 'runs/bench-e2e/data' },
    out: { type: 'string', default: 'runs/bench-e2e' },
    from: { type: 'string' },
    compare: { type: 'string' },
    repeat: { type: 'string', default: '1' },
  },
});

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const METHODS = ['unifl', 'modality-mirror'];
const quick = args.quick === true;
const list = (flag: string, text: string) => text.split(',').map((s) => {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag}: ${JSON.stringify(s)} is not an integer >= 1`);
  return n;
});
const rounds = Number(args.rounds ?? (quick ? 1 : 20));
const epochs = Number(args.epochs ?? (quick ? 1 : 5));
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(epochs) || epochs < 1) throw new Error('--rounds and --epochs take integers >= 1');
const methods = args.methods!.split(',').map((m) => m.trim());
for (const m of methods) if (!METHODS.includes(m)) throw new Error(`--methods: unknown ${m}; one of ${METHODS.join(', ')}`);
const workerCounts = list('workers', args.workers ?? (quick ? '2' : '1,2'));
const threadCounts = list('threads', args.threads ?? (quick ? '1' : '1,2'));
const compareLevels = (args.compare ?? (quick ? 'none' : '1,2')) === 'none' ? [] : list('compare', args.compare ?? '1,2');
const outDir = resolve(args.out!);
// --quick runs from source by default: compiling dist takes longer than the check itself.
const from = args.from ?? (quick ? 'source' : 'dist');
if (from !== 'dist' && from !== 'source') throw new Error(`--from: ${JSON.stringify(from)} is not dist or source`);
const fromDist = from === 'dist';
const dataDir = resolve(args.data!);
const repeats = list('repeat', args.repeat!)[0];

/** One FL setting, both sides (FedMultimodal's local step; the issue's model sizes). */
const SETTINGS = { convChannels: [32, 64, 128], kernelSize: 5, gruUnits: 64, headHidden: 64, dropout: 0.1, epochs, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10, clientsPerRound: 0.25, evalBatchSize: 16, kdAlpha: 0.5, temperature: 2 };

const ENGINE_SETS = [
  ...SETTINGS.convChannels.map((c, i) => `model.convChannels.${i}=${c}`),
  `model.kernelSize=${SETTINGS.kernelSize}`, `model.audioGruUnits=${SETTINGS.gruUnits}`, `model.videoGruUnits=${SETTINGS.gruUnits}`,
  `model.headHidden=${SETTINGS.headHidden}`, `model.dropout=${SETTINGS.dropout}`, `epochs=${SETTINGS.epochs}`, `batchSize=${SETTINGS.batchSize}`,
  `lr=${SETTINGS.lr}`, `momentum=${SETTINGS.momentum}`, `weightDecay=${SETTINGS.weightDecay}`, `clipNorm=${SETTINGS.clipNorm}`,
  `clientsPerRound=${SETTINGS.clientsPerRound}`, `evalBatchSize=${SETTINGS.evalBatchSize}`, 'serverOptimizer=fedavg',
  // Which clients hold video is in the exported data (video length 0); no second draw.
  'videoMissingRate=0',
];

/** Whole-process figures of one child. */
interface Measured {
  code: number;
  stdout: string;
  wallS: number;
  cpuS: number | null;
  maxRssMb: number | null;
  loadBefore: number;
  loadAfter: number;
}

interface RunRow {
  /** Which pass of --repeat (0-based): ratios pair runs of the same pass. */
  repeat: number;
  method: string;
  side: 'project' | 'pytorch';
  /** Worker threads (project) or torch threads (PyTorch). */
  parallel: number;
  command: string;
  measured: Measured | null;
  skipped?: string;
  /** Test accuracy of the headline (audio) model after the last round. */
  lastTest: number | null;
  profile?: RunProfile;
  torchSplit?: Record<string, { wallS: number; cpuS: number }>;
  loopWallS?: number;
  loopCpuS?: number;
  hashes?: { traceHash: string; weightsHash: string };
  /** The BLAS library PyTorch loaded. */
  blas?: string;
}

const quote = (a: string) => (/^[\w./:=,+-]+$/.test(a) ? a : `'${a}'`);
const hasTime = existsSync('/usr/bin/time');

/** Runs `cmd argv` under /usr/bin/time (wall, user + sys CPU, max RSS); stderr goes to ours. */
function measure(cmd: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  const timeFile = join(tmpdir(), `bench-e2e-time-${process.pid}.txt`);
  const [file, fileArgv] = hasTime ? ['/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...argv]] : [cmd, argv];
  const loadBefore = loadavg()[0];
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(file, fileArgv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const wallS = (performance.now() - started) / 1000;
      let cpuS: number | null = null;
      let maxRssMb: number | null = null;
      let timedWall = wallS;
      if (hasTime && existsSync(timeFile)) {
        const fields = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        if (fields.length === 4 && fields.every(Number.isFinite)) {
          [timedWall] = fields;
          cpuS = fields[1] + fields[2];
          maxRssMb = fields[3] / 1024;
        }
        rmSync(timeFile, { force: true });
      }
      done({ code: code ?? 1, stdout, wallS: timedWall, cpuS, maxRssMb, loadBefore, loadAfter: loadavg()[0] });
    });
  });
}

/** Suffix of a run's output names for repeat `repeat` (none for the first, so one repeat keeps the old names). */
const repeatSuffix = (repeat: number) => (repeat > 0 ? `-r${repeat + 1}` : '');

async function runEngine(method: string, workers: number, repeat: number): Promise<RunRow> {
  const runDir = join(outDir, `project-${method}-w${workers}${repeatSuffix(repeat)}`);
  const entry = fromDist ? ['dist/src/cli/main.js', 'run', 'dist/scenarios/default.js'] : ['--import', 'tsx', 'src/cli/main.ts', 'run', 'scenarios/default.ts'];
  const argv = [...entry, '--data', `npy:${dataDir}`, '--method', method,
    '--rounds', String(rounds), '--seed', '1', '--workers', String(workers), ...ENGINE_SETS.flatMap((s) => ['--set', s]), '--profile', '--force', '--out', runDir];
  const command = `node ${argv.map(quote).join(' ')}`;
  process.stderr.write(`\n[project ${method}, ${workers} worker(s)] ${command}\n`);
  // The progress bar is off when stderr is not a terminal; CI=1 keeps it off either way.
  const measured = await measure(process.execPath, argv, { ...process.env, CI: '1' });
  if (measured.code !== 0) throw new Error(`engine run ${method} (${workers} workers) exited ${measured.code}:\n${measured.stdout}`);
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
  const profile = JSON.parse(readFileSync(join(runDir, 'profile.json'), 'utf8')) as RunProfile;
  const scored = (summary.rounds as Array<{ metrics?: Record<string, { test: { accuracy: number } }> }>).filter((r) => r.metrics?.audio);
  return {
    repeat, method, side: 'project', parallel: workers, command, measured, profile,
    lastTest: scored.length ? scored[scored.length - 1].metrics!.audio.test.accuracy : null,
    hashes: { traceHash: summary.traceHash, weightsHash: summary.weightsHash },
  };
}

/** One `compare` of every method on one pool of 2 workers, `concurrency` cells at once. */
interface CompareRow {
  repeat: number;
  concurrency: number;
  command: string;
  measured: Measured;
  profile: RunProfile;
  /** Per method: its cell's hashes equal those of its `run` with 2 workers (null: no such run measured). */
  sameAsRun: Record<string, boolean | null>;
}

async function runCompare(concurrency: number, runs: RunRow[], repeat: number): Promise<CompareRow> {
  const outRun = join(outDir, `project-compare-c${concurrency}${repeatSuffix(repeat)}`);
  const entry = fromDist ? ['dist/src/cli/main.js', 'compare', 'dist/scenarios/default.js'] : ['--import', 'tsx', 'src/cli/main.ts', 'compare', 'scenarios/default.ts'];
  // Grid cells are stored under --out/cells and reused: a fresh folder each time, so every cell computes.
  rmSync(outRun, { recursive: true, force: true });
  const argv = [...entry, '--data', `npy:${dataDir}`, '--methods', methods.join(','), '--missing', '0', '--seeds', '1',
    '--rounds', String(rounds), '--workers', '2', '--concurrency', String(concurrency), ...ENGINE_SETS.flatMap((s) => ['--set', s]), '--profile', '--force', '--out', outRun];
  const command = `node ${argv.map(quote).join(' ')}`;
  process.stderr.write(`\n[project compare, 2 workers, concurrency ${concurrency}] ${command}\n`);
  const measured = await measure(process.execPath, argv, { ...process.env, CI: '1' });
  if (measured.code !== 0) throw new Error(`compare (concurrency ${concurrency}) exited ${measured.code}:\n${measured.stdout.slice(-2000)}`);
  const compare = JSON.parse(readFileSync(join(outRun, 'compare.json'), 'utf8')) as { runs: Array<{ method: string; traceHash: string; weightsHash: string }> };
  const profile = JSON.parse(readFileSync(join(outRun, 'profile.json'), 'utf8')) as RunProfile;
  const sameAsRun: Record<string, boolean | null> = {};
  for (const cell of compare.runs) {
    const run = runs.find((r) => r.repeat === repeat && r.method === cell.method && r.side === 'project' && r.parallel === 2 && r.hashes);
    sameAsRun[cell.method] = run ? run.hashes!.traceHash === cell.traceHash && run.hashes!.weightsHash === cell.weightsHash : null;
  }
  return { repeat, concurrency, command, measured, profile, sameAsRun };
}

async function torchMissing(): Promise<string | null> {
  if (args['no-torch']) return 'skipped with --no-torch';
  const probe = await measure(args.python!, ['-c', 'import torch']).catch(() => null);
  return probe && probe.code === 0 ? null : `torch is not importable by ${args.python}: apt-get install -y python3-torch (Debian's PyTorch), then run with /usr/bin/python3 (--python)`;
}

async function runTorch(method: string, threads: number, repeat: number): Promise<RunRow> {
  const s = SETTINGS;
  const argv = ['bench/torch_e2e.py', dataDir, '--method', method, '--rounds', String(rounds), '--threads', String(threads), '--seed', '1',
    '--gru', String(s.gruUnits), '--filters', String(s.convChannels[0]), '--epochs', String(s.epochs), '--batch', String(s.batchSize),
    '--lr', String(s.lr), '--momentum', String(s.momentum), '--weight-decay', String(s.weightDecay), '--clip', String(s.clipNorm),
    '--clients-per-round', String(s.clientsPerRound), '--eval-batch', String(s.evalBatchSize), '--kd-alpha', String(s.kdAlpha), '--temperature', String(s.temperature)];
  const command = `OMP_NUM_THREADS=${threads} OPENBLAS_NUM_THREADS=${threads} ${args.python} ${argv.map(quote).join(' ')}`;
  process.stderr.write(`\n[pytorch ${method}, ${threads} thread(s)] ${command}\n`);
  // Debian's torch may load a pthread OpenBLAS with one thread per core: hold every pool to `threads`.
  const limits = { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const measured = await measure(args.python!, argv, { ...process.env, ...limits });
  if (measured.code !== 0) throw new Error(`torch_e2e.py ${method} (${threads} threads) exited ${measured.code}:\n${measured.stdout.slice(-2000)}`);
  const lines = measured.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const final = lines.find((l) => l.final)?.final;
  const roundsOut = lines.filter((l) => !l.final);
  const last = roundsOut[roundsOut.length - 1];
  writeFileSync(join(outDir, `pytorch-${method}-t${threads}${repeatSuffix(repeat)}.jsonl`), measured.stdout);
  return { repeat, method, side: 'pytorch', parallel: threads, command, measured, lastTest: last?.scores?.audio?.test ?? null, torchSplit: final?.split, loopWallS: final?.loopWallS, loopCpuS: final?.loopCpuS, blas: final?.blas };
}

const f1 = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(1));
const f2 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${(100 * v).toFixed(1)}%`);

/** A paired-ratio summary as text: the median, with the range over repeats when there are several. */
function ratioText(r: RatioSummary): string {
  if (r.n === 0) return '—';
  return r.n > 1 ? `${f2(r.median)} (${f2(r.min)}–${f2(r.max)})` : f2(r.median);
}

/** Rows of one configuration (method, side, parallel), in first-run order. */
function groupsOf(rows: RunRow[]): RunRow[][] {
  const groups = new Map<string, RunRow[]>();
  for (const r of rows) {
    const key = `${r.method}|${r.side}|${r.parallel}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

/** The measured run of a group whose wall time is the median (the lower middle for an even count). */
function medianRun(group: RunRow[]): RunRow | undefined {
  const measured = group.filter((r) => r.measured).sort((a, b) => a.measured!.wallS - b.measured!.wallS);
  return measured[(measured.length - 1) >> 1];
}

function report(rows: RunRow[], compares: CompareRow[]): string[] {
  const out: string[] = [];
  const torchRun = (method: string, repeat: number, threads: number) => rows.find((r) => r.repeat === repeat && r.method === method && r.side === 'pytorch' && r.parallel === threads && r.measured);
  const torch1 = (method: string, repeat: number) => torchRun(method, repeat, 1);
  /** Paired ratios of a group's runs to PyTorch's 1-thread run of the same repeat. */
  const ratios = (group: RunRow[], pick: (m: Measured) => number | null, limit?: number) =>
    summariseRatios(group.map((r) => [r.measured ? pick(r.measured) : null, (() => {
      const t = torch1(r.method, r.repeat)?.measured;
      return t ? pick(t) : null;
    })()] as const), limit);
  const groups = groupsOf(rows);
  const table = groups.map((group) => {
    const r = group[0];
    const measured = group.filter((g) => g.measured).map((g) => g.measured!);
    const busy = group.filter((g) => g.profile).map((g) => g.profile!.workersBusy.busyFraction);
    const loads = measured.flatMap((m) => [m.loadBefore, m.loadAfter]);
    return [
      r.method, r.side === 'project' ? `project, ${r.parallel} worker${r.parallel > 1 ? 's' : ''}` : `PyTorch, ${r.parallel} thread${r.parallel > 1 ? 's' : ''}`,
      r.skipped ? 'skipped' : f1(measured.length ? median(measured.map((m) => m.wallS)) : null),
      f1(measured.some((m) => m.cpuS === null) || !measured.length ? null : median(measured.map((m) => m.cpuS!))),
      ratioText(ratios(group, (m) => m.wallS)), ratioText(ratios(group, (m) => m.cpuS)),
      busy.length ? pct(median(busy)) : '—', f2(r.lastTest), loads.length ? `${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}` : '—',
    ];
  });
  out.push(renderTextTable(['method', 'side', 'wall s', 'CPU s', 'wall ÷ PyTorch 1 thread', 'CPU ÷ PyTorch 1 thread', 'workers busy', 'last test acc', 'load 1-min'], table));
  if (repeats > 1) out.push(`medians of ${repeats} repeats, interleaved; a ratio pairs the runs of one repeat (median, then the range over repeats); the split tables below show each configuration's median-wall run`);
  const split = groups.map(medianRun).filter((r): r is RunRow => r?.profile !== undefined).map((r) => {
    const p = r.profile!;
    const s = (ms: number) => (ms / 1000).toFixed(1);
    const cpu = r.measured?.cpuS ?? null;
    return [r.method, r.parallel, f1(r.measured?.wallS), s(p.wallMs), s(p.workersBusy.trainMs), s(p.workersBusy.evaluateMs), s(p.workersBusy.idleMs),
      s(p.mainThread.aggregationMs), s(p.mainThread.dispatchMs), s(p.mainThread.checkpointMs), s(p.mainThread.schedulerTraceMs), s(p.mainThread.idleMs),
      f1((r.measured?.wallS ?? 0) - p.wallMs / 1000), f1(cpu), p.cpuMs === undefined ? '—' : s(p.cpuMs), p.cpuMs === undefined || cpu === null ? '—' : f1(cpu - p.cpuMs / 1000)];
  });
  if (split.length) {
    out.push('project: where the time goes (seconds; worker columns summed over workers, main-thread columns on the main thread)');
    out.push(renderTextTable(['method', 'workers', 'process wall', 'run wall', 'training (workers)', 'evaluation (workers)', 'workers idle', 'aggregation', 'task dispatch', 'checkpoints', 'scheduler/trace/actors', 'main waiting', 'start-up + writing', 'process CPU', 'run CPU', 'start-up + writing CPU'], split));
  }
  const tsplit = groups.map(medianRun).filter((r): r is RunRow => r?.torchSplit !== undefined).map((r) => {
    const t = r.torchSplit!;
    const cpu = r.measured?.cpuS ?? null;
    return [r.method, r.parallel, f1(r.measured?.wallS), f1(r.loopWallS), f1(t.training?.wallS), f1(t.evaluation?.wallS), f2(t.aggregation?.wallS), f1((r.measured?.wallS ?? 0) - (r.loopWallS ?? 0)),
      f1(cpu), f1(r.loopCpuS), cpu === null || r.loopCpuS === undefined ? '—' : f1(cpu - r.loopCpuS)];
  });
  if (tsplit.length) {
    out.push(`PyTorch: where the time goes (wall seconds); BLAS: ${rows.find((r) => r.blas)?.blas ?? 'unknown'}`);
    out.push(renderTextTable(['method', 'threads', 'process wall', 'loop wall', 'training', 'evaluation', 'aggregation', 'start-up + loading', 'process CPU', 'loop CPU', 'start-up + loading CPU'], tsplit));
  }
  // The issue's goals, by the numbers: the median of the paired ratios decides; "k of N" says how many repeats met it.
  const goals: string[][] = [];
  const project2 = (method: string) => rows.filter((r) => r.method === method && r.side === 'project' && r.parallel === 2);
  const verdictOf = (r: RatioSummary, ok: (x: number) => boolean) => (r.n === 0 ? 'not measured' : ok(r.median) ? 'met' : 'NOT met');
  const within = (r: RatioSummary) => (r.n > 1 && r.within !== null ? `, ${r.within} of ${r.n} repeats` : '');
  for (const method of methods) {
    const p2 = project2(method);
    const wall = ratios(p2, (m) => m.wallS, 0.5);
    goals.push([method, `wall (2 workers) ≤ 0.5 × PyTorch 1 thread: ${ratioText(wall)}${within(wall)}`, verdictOf(wall, (x) => x <= 0.5)]);
    const stretch = summariseRatios(p2.map((r) => [r.measured?.wallS, torchRun(method, r.repeat, 2)?.measured?.wallS] as const), 1);
    goals.push([method, `stretch: wall (2 workers) < PyTorch 2 threads: ${ratioText(stretch)}`, verdictOf(stretch, (x) => x < 1)]);
    const cpu = ratios(p2, (m) => m.cpuS, 1.2);
    goals.push([method, `CPU (2 workers) ≤ 1.2 × PyTorch 1 thread: ${ratioText(cpu)}${within(cpu)}`, verdictOf(cpu, (x) => x <= 1.2)]);
    const busy = p2.filter((r) => r.profile).map((r) => r.profile!.workersBusy.busyFraction);
    goals.push([method, `workers busy ≥ 90% (2 workers): ${busy.length ? pct(median(busy)) : '—'}`, busy.length === 0 ? 'not measured' : median(busy) >= 0.9 ? 'met' : 'NOT met']);
  }
  for (const concurrency of [...new Set(compares.map((c) => c.concurrency))]) {
    const busy = median(compares.filter((c) => c.concurrency === concurrency).map((c) => c.profile.workersBusy.busyFraction));
    goals.push([methods.join('+'), `workers busy ≥ 90% during compare (2 workers, concurrency ${concurrency}): ${pct(busy)}`, busy >= 0.9 ? 'met' : 'NOT met']);
  }
  if (compares.length) {
    const torchSum = (repeat: number) => methods.reduce<number | null>((sum, m) => {
      const t = torch1(m, repeat)?.measured;
      return sum === null || !t ? null : sum + t.wallS;
    }, 0);
    out.push(`compare: ${methods.join(' + ')} as one grid on one pool of 2 workers (wall ÷ the PyTorch 1-thread runs of the same methods, one after the other)`);
    out.push(renderTextTable(['repeat', 'concurrency', 'wall s', 'CPU s', 'grid wall s', 'workers busy', 'workers idle s', 'wall ÷ PyTorch 1 thread (sum)', 'hashes = run', 'load 1-min'], compares.map((c) => {
      const sum = torchSum(c.repeat);
      return [
        c.repeat + 1, c.concurrency, f1(c.measured.wallS), f1(c.measured.cpuS), f1(c.profile.wallMs / 1000), pct(c.profile.workersBusy.busyFraction), f1(c.profile.workersBusy.idleMs / 1000),
        sum ? f2(c.measured.wallS / sum) : '—',
        Object.entries(c.sameAsRun).map(([m, same]) => `${m}: ${same === null ? 'not run' : same ? 'yes' : 'NO'}`).join(', '),
        `${c.measured.loadBefore.toFixed(2)}→${c.measured.loadAfter.toFixed(2)}`,
      ];
    })));
  }
  out.push(renderTextTable(['method', 'goal', 'verdict'], goals));
  return out;
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  if (!hasTime) process.stderr.write('/usr/bin/time not found (apt-get install time): CPU seconds are not measured, wall seconds are\n');
  if (fromDist) {
    process.stderr.write('building the CLI (tsc -p tsconfig.build.json) …\n');
    const built = await measure(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
    if (built.code !== 0) throw new Error(`tsc -p tsconfig.build.json exited ${built.code}:\n${built.stdout}`);
  }
  const data = ensureE2eData(dataDir);
  process.stderr.write(`${data.made ? 'made' : 'using'} the bench data in ${dataDir}\n`);
  const missing = await torchMissing();
  if (missing) process.stderr.write(`PyTorch side skipped: ${missing}\n`);
  const rows: RunRow[] = [];
  const compares: CompareRow[] = [];
  const save = () => writeFileSync(join(outDir, 'results.json'), JSON.stringify({
    command: `npm run bench:e2e -- ${process.argv.slice(2).map(quote).join(' ')}`.trim(), rounds, epochs, engineFrom: from, settings: SETTINGS, engineSets: ENGINE_SETS,
    repeats, machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, vectorUnits: readCpuVectorUnits() }, rows, compares,
  }, null, 1));
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const method of methods) {
      // Interleaved, so slow drift in the machine's load lands on both sides.
      const order: Array<['project' | 'pytorch', number]> = [];
      const longest = Math.max(workerCounts.length, threadCounts.length);
      for (let i = 0; i < longest; i++) {
        if (i < workerCounts.length) order.push(['project', workerCounts[workerCounts.length - 1 - i]]);
        if (i < threadCounts.length) order.push(['pytorch', threadCounts[i]]);
      }
      for (const [side, n] of order) {
        if (side === 'project') rows.push(await runEngine(method, n, repeat));
        else rows.push(missing ? { repeat, method, side, parallel: n, command: '', measured: null, skipped: missing, lastTest: null } : await runTorch(method, n, repeat));
        save();
      }
    }
    for (const concurrency of compareLevels) {
      compares.push(await runCompare(concurrency, rows, repeat));
      save();
    }
  }
  process.stdout.write(`\n${rounds} round(s)${rounds > 1 || methods.includes('modality-mirror') ? ' (per phase for modality-mirror)' : ''}, ${epochs} local epoch(s); ${cpus().length} cores; process times from ${hasTime ? '/usr/bin/time' : 'the parent (wall only)'}; project from ${fromDist ? 'dist (built CLI)' : 'source (tsx)'}${repeats > 1 ? `; ${repeats} repeats` : ''}\n`);
  const units = readCpuVectorUnits();
  // PyTorch's oneDNN and OpenBLAS use the widest units the CPU has; the wasm backend has 128-bit SIMD without FMA everywhere.
  if (units) process.stdout.write(`CPU: ${units.model ?? 'unknown'}; ${['avx2', 'fma', 'avx512f'].map((f) => `${f} ${units[f as 'avx2'] ? 'yes' : 'no'}`).join(', ')} (PyTorch's kernels use these; the wasm backend's are 128-bit SIMD without FMA)\n`);
  process.stdout.write(`${report(rows, compares).join('\n')}\nresults: ${join(outDir, 'results.json')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
