/**
 * `npm run bench:learning`: does the engine's UniFL learn on real, hard data where PyTorch does?
 * (issue 10; docs/learning-check.md).
 *
 *   npm run bench:learning -- [--rounds 160] [--seeds 1,2] [--variants as-shipped,keras-init,per-clip,before-fix]
 *                             [--no-torch] [--data DIR] [--out DIR] [--margin 0.2] [--workers 2] [--python /usr/bin/python3]
 *                             [--reuse]
 *
 * 1. Makes the "digits-av" set (scripts/learning-check/make_hard_av_set.py: sklearn's handwritten
 *    digits as video, espeak-ng's spoken digit words in heavy noise as audio, FedMultimodal's layout)
 *    in --data (default runs/learning-check/data) unless it is there already.
 * 2. For each seed, runs the engine's UniFL through the CLI (`modality-mirror run scenarios/default.ts
 *    --data fedmultimodal:… --method unifl`, FedMultimodal's audio model with GRU 64 and the settings
 *    below) in each variant, one after the other, then the independent PyTorch FedAvg loop
 *    (scripts/learning-check/torch_fedavg.py) on the same files with the same settings.
 * 3. Reports per run: the first round whose dev accuracy exceeds chance + margin (rounds counted from
 *    1), the final test accuracy, the test accuracy at the round of best dev accuracy (ties: earlier
 *    round; FedMultimodal's rule), and the wall time. Writes --out/results.json (every round's dev and
 *    test accuracy of every run) and prints a table. With --reuse, a run already in --out/results.json
 *    with the same rounds and settings is taken from there instead of being run again (to finish an
 *    interrupted bench).
 *
 * Variants (engine): `as-shipped` = as shipped (PyTorch default init, FedMultimodal's sequence semantics);
 * `keras-init` = --set model.init=keras; `per-clip` = --set model.pooling=per-clip; `before-fix` =
 * both (the engine before the parity fix).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTextTable } from '../src/report/text-table.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '160' },
    seeds: { type: 'string', default: '1' },
    variants: { type: 'string', default: 'as-shipped,keras-init,per-clip,before-fix' },
    'no-torch': { type: 'boolean', default: false },
    data: { type: 'string', default: 'runs/learning-check/data' },
    out: { type: 'string', default: 'runs/learning-check' },
    margin: { type: 'string', default: '0.2' },
    workers: { type: 'string', default: '2' },
    python: { type: 'string', default: existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3' },
    'data-seed': { type: 'string', default: '1' },
    reuse: { type: 'boolean', default: false },
  },
});

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const DATASET = 'digits-av';
const ALPHA = 0.5;
const FOLD = 1;
const MISSING_FILE = 'simulation_feature/digits-av/fold1/mm00_alpha05.json';
const NUM_CLASSES = 10;

/** One setting, both sides: FedMultimodal's audio model (n_filters 32) with GRU 64, its optimiser, 5 local epochs, 25% of 20 clients per round. */
const SETTINGS = { gruUnits: 64, convChannels: [32, 64, 128], kernelSize: 5, headHidden: 64, dropout: 0.1, epochs: 5, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10, clientsPerRound: 0.25, evalBatchSize: 16 };

const ENGINE_SETS = [
  ...SETTINGS.convChannels.map((c, i) => `model.convChannels.${i}=${c}`),
  `model.kernelSize=${SETTINGS.kernelSize}`, `model.audioGruUnits=${SETTINGS.gruUnits}`, `model.videoGruUnits=${SETTINGS.gruUnits}`,
  `model.headHidden=${SETTINGS.headHidden}`, `model.dropout=${SETTINGS.dropout}`,
  `epochs=${SETTINGS.epochs}`, `batchSize=${SETTINGS.batchSize}`, `lr=${SETTINGS.lr}`, `momentum=${SETTINGS.momentum}`,
  `weightDecay=${SETTINGS.weightDecay}`, `clipNorm=${SETTINGS.clipNorm}`, `clientsPerRound=${SETTINGS.clientsPerRound}`,
  `evalBatchSize=${SETTINGS.evalBatchSize}`, 'serverOptimizer=fedavg',
];

const VARIANTS: Record<string, { sets: string[]; what: string }> = {
  'as-shipped': { sets: [], what: 'as shipped: PyTorch default init, FedMultimodal sequence semantics' },
  'keras-init': { sets: ['model.init=keras'], what: 'Keras init (Glorot / orthogonal / zero biases)' },
  'per-clip': { sets: ['model.pooling=per-clip'], what: 'per-clip pooling (own-length mean, ceil steps)' },
  'before-fix': { sets: ['model.init=keras', 'model.pooling=per-clip'], what: 'both: the engine before the fix' },
};

interface RoundPoint { round: number; dev: number; test: number }
interface RunResult {
  name: string;
  side: 'engine' | 'pytorch';
  seed: number;
  what: string;
  command: string;
  rounds: RoundPoint[];
  firstRoundAboveChance: number | null;
  finalTest: number | null;
  bestDevRound: number | null;
  bestDev: number | null;
  testAtBestDev: number | null;
  wallS: number;
  loadBefore: number;
  extra?: Record<string, unknown>;
  skipped?: string;
  /** Taken from an earlier results file (--reuse). */
  reused?: boolean;
}

const rounds = Number(args.rounds);
const seeds = args.seeds!.split(',').map((s) => Number(s.trim()));
const margin = Number(args.margin);
const threshold = 1 / NUM_CLASSES + margin;
const variants = args.variants!.split(',').map((v) => v.trim()).filter(Boolean);
for (const v of variants) if (!VARIANTS[v]) throw new Error(`--variants: unknown ${v}; one of ${Object.keys(VARIANTS).join(', ')}`);
if (!(Number.isInteger(rounds) && rounds >= 1) || seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error('--rounds and --seeds take integers');
const dataDir = resolve(args.data!);
const outputDir = resolve(dataDir, 'output');
const outDir = resolve(args.out!);
mkdirSync(outDir, { recursive: true });

/** Runs a child; resolves with its exit code and stdout; stderr goes to ours; `onLine` sees each stdout line. */
function runChild(cmd: string, argv: string[], onLine?: (line: string) => void): Promise<{ code: number; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) onLine?.(line);
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout }));
  });
}

const quote = (a: string) => (/^[\w./:=,+-]+$/.test(a) ? a : `'${a}'`);

/** Scores of one run's per-round history. */
function score(points: RoundPoint[]) {
  const above = points.find((p) => p.dev > threshold);
  let best: RoundPoint | null = null;
  for (const p of points) if (!best || p.dev > best.dev) best = p;
  return {
    firstRoundAboveChance: above ? above.round : null,
    finalTest: points.length ? points[points.length - 1].test : null,
    bestDevRound: best?.round ?? null,
    bestDev: best?.dev ?? null,
    testAtBestDev: best?.test ?? null,
  };
}

/** Runs of an earlier results file that used the same rounds, margin, settings and engine sets. */
function reusable(file: string): RunResult[] {
  if (!existsSync(file)) return [];
  const old = JSON.parse(readFileSync(file, 'utf8'));
  const same = old.rounds === rounds && old.margin === margin && JSON.stringify(old.settings) === JSON.stringify(SETTINGS) && JSON.stringify(old.engineSets) === JSON.stringify(ENGINE_SETS);
  return same ? (old.results as RunResult[]) : [];
}

async function ensureData(): Promise<Record<string, unknown>> {
  const partition = resolve(outputDir, 'partition', DATASET, `fold${FOLD}`, 'partition_alpha05.json');
  if (!existsSync(partition)) {
    process.stderr.write(`making ${DATASET} in ${dataDir} …\n`);
    const { code } = await runChild(args.python!, ['scripts/learning-check/make_hard_av_set.py', dataDir, '--seed', args['data-seed']!], (l) => process.stderr.write(`${l}\n`));
    if (code !== 0) throw new Error(`make_hard_av_set.py exited ${code} (needs numpy, python3-sklearn, espeak-ng, sox)`);
  } else {
    process.stderr.write(`using ${DATASET} in ${dataDir}\n`);
  }
  return JSON.parse(readFileSync(resolve(dataDir, 'summary.json'), 'utf8')) as Record<string, unknown>;
}

async function runEngine(variant: string, seed: number): Promise<RunResult> {
  const runDir = resolve(outDir, `${variant}-seed${seed}`);
  const argv = [
    '--import', 'tsx', 'src/cli/main.ts', 'run', 'scenarios/default.ts',
    '--data', `fedmultimodal:${outputDir}`, '--dataset', DATASET, '--alpha', String(ALPHA), '--fold', String(FOLD),
    '--missing-file', MISSING_FILE, '--method', 'unifl', '--rounds', String(rounds), '--seed', String(seed),
    '--workers', args.workers!, ...[...ENGINE_SETS, ...VARIANTS[variant].sets].flatMap((s) => ['--set', s]), '--out', runDir,
  ];
  const command = `npx tsx ${argv.slice(2).map(quote).join(' ')}`;
  process.stderr.write(`\n[engine ${variant}, seed ${seed}] ${command}\n`);
  const loadBefore = loadavg()[0];
  const started = performance.now();
  const { code, stdout } = await runChild(process.execPath, argv);
  const wallS = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`engine run ${variant} seed ${seed} exited ${code}:\n${stdout}`);
  const summary = JSON.parse(readFileSync(resolve(runDir, 'summary.json'), 'utf8'));
  const points: RoundPoint[] = summary.rounds
    .filter((r: { metrics: unknown }) => r.metrics)
    .map((r: { round: number; metrics: { audio: { dev: { accuracy: number }; test: { accuracy: number } } } }) => ({ round: r.round + 1, dev: r.metrics.audio.dev.accuracy, test: r.metrics.audio.test.accuracy }));
  const scores = score(points);
  const reported = summary.final.unifl;
  // The engine's own reporting rule must agree with the bench's.
  if (reported && Math.abs(reported.accuracy - (scores.testAtBestDev ?? NaN)) > 1e-12) {
    process.stderr.write(`warning: engine's reported test ${reported.accuracy} (round ${reported.round + 1}) differs from the bench's best-dev test ${scores.testAtBestDev}\n`);
  }
  return {
    name: `engine ${variant}`, side: 'engine', seed, what: VARIANTS[variant].what, command, rounds: points, ...scores, wallS, loadBefore,
    extra: { backend: summary.backend, traceHash: summary.traceHash, weightsHash: summary.weightsHash, engineWallS: summary.wallTimeMs / 1000, model: summary.parameters.model, hyper: summary.parameters.hyper, runDir },
  };
}

async function torchAvailable(): Promise<string | null> {
  const { code } = await runChild(args.python!, ['-c', 'import torch']).catch(() => ({ code: 127, stdout: '' }));
  return code === 0 ? null : `torch is not importable by ${args.python}: apt-get install -y python3-torch (Debian's PyTorch), then run with /usr/bin/python3 (--python)`;
}

async function runTorch(seed: number): Promise<RunResult> {
  const s = SETTINGS;
  const argv = [
    'scripts/learning-check/torch_fedavg.py', outputDir, '--dataset', DATASET, '--alpha', String(ALPHA), '--fold', String(FOLD),
    '--rounds', String(rounds), '--seed', String(seed), '--gru', String(s.gruUnits), '--filters', String(s.convChannels[0]),
    '--epochs', String(s.epochs), '--batch', String(s.batchSize), '--lr', String(s.lr), '--momentum', String(s.momentum),
    '--weight-decay', String(s.weightDecay), '--clip', String(s.clipNorm), '--clients-per-round', String(s.clientsPerRound),
    '--eval-batch', String(s.evalBatchSize),
  ];
  const command = `${args.python} ${argv.map(quote).join(' ')}`;
  process.stderr.write(`\n[pytorch, seed ${seed}] ${command}\n`);
  const loadBefore = loadavg()[0];
  const started = performance.now();
  const points: RoundPoint[] = [];
  let final: Record<string, unknown> = {};
  const { code, stdout } = await runChild(args.python!, argv, (line) => {
    if (!line.startsWith('{')) return;
    const record = JSON.parse(line);
    if (record.final) final = record.final;
    else {
      points.push({ round: record.round + 1, dev: record.dev, test: record.test });
      if ((record.round + 1) % 10 === 0 || record.round + 1 === rounds) process.stderr.write(`pytorch seed ${seed}: round ${record.round + 1}/${rounds}, dev ${record.dev.toFixed(3)}, test ${record.test.toFixed(3)}, ${record.wallS} s\n`);
    }
  });
  const wallS = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`torch_fedavg.py seed ${seed} exited ${code}:\n${stdout.slice(-2000)}`);
  writeFileSync(resolve(outDir, `pytorch-seed${seed}.jsonl`), stdout);
  return { name: 'pytorch', side: 'pytorch', seed, what: 'PyTorch FedAvg (fedmultimodal_torch.AudioModel)', command, rounds: points, ...score(points), wallS, loadBefore, extra: { torch: final.torch } };
}

function skippedTorch(seed: number, reason: string): RunResult {
  return { name: 'pytorch', side: 'pytorch', seed, what: 'skipped', command: '', rounds: [], firstRoundAboveChance: null, finalTest: null, bestDevRound: null, bestDev: null, testAtBestDev: null, wallS: 0, loadBefore: loadavg()[0], skipped: reason };
}

async function main() {
  const data = await ensureData();
  const torchMissing = args['no-torch'] ? 'skipped with --no-torch' : await torchAvailable();
  if (torchMissing) process.stderr.write(`PyTorch side skipped: ${torchMissing}\n`);
  const results: RunResult[] = [];
  const resultsFile = resolve(outDir, 'results.json');
  const earlier = args.reuse ? reusable(resultsFile) : [];
  const reuseOr = async (name: string, seed: number, run: () => Promise<RunResult>) => {
    const found = earlier.find((r) => r.name === name && r.seed === seed && !r.skipped);
    if (found) process.stderr.write(`reusing ${name}, seed ${seed} from ${resultsFile}\n`);
    return found ? { ...found, reused: true } : run();
  };
  const save = () =>
    writeFileSync(resultsFile, JSON.stringify({
      command: `npm run bench:learning -- ${process.argv.slice(2).map(quote).join(' ')}`.trim(),
      rounds, seeds, margin, chance: 1 / NUM_CLASSES, threshold, settings: SETTINGS, engineSets: ENGINE_SETS,
      variants: Object.fromEntries(variants.map((v) => [v, VARIANTS[v]])), data, machine: { cpus: cpus().length, node: process.version },
      results,
    }, null, 1));
  for (const seed of seeds) {
    for (const variant of variants) {
      results.push(await reuseOr(`engine ${variant}`, seed, () => runEngine(variant, seed)));
      save();
    }
    results.push(torchMissing ? skippedTorch(seed, torchMissing) : await reuseOr('pytorch', seed, () => runTorch(seed)));
    save();
  }
  const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  const rows = results.map((r) => [
    r.name, r.seed, r.skipped ? 0 : r.rounds.length,
    r.skipped ? 'skipped' : r.firstRoundAboveChance === null ? `never (≤ ${threshold.toFixed(2)})` : String(r.firstRoundAboveChance),
    fmt(r.finalTest), r.bestDevRound === null ? '—' : `${fmt(r.bestDev)} (r${r.bestDevRound})`, fmt(r.testAtBestDev), r.skipped ? '—' : r.wallS.toFixed(0),
  ]);
  process.stdout.write(`\nUniFL on ${DATASET} (${String((data.splits as { clientClips: number }).clientClips)} client clips, dev ${String((data.splits as { dev: number }).dev)}, test ${String((data.splits as { test: number }).test)}); chance ${1 / NUM_CLASSES}, threshold dev > ${threshold.toFixed(2)}; rounds counted from 1\n`);
  process.stdout.write(`${renderTextTable(['run', 'seed', 'rounds', `first round dev > ${threshold.toFixed(2)}`, 'final test', 'best dev (round)', 'test at best dev', 'wall s'], rows)}\n`);
  if (seeds.length > 1) {
    const meanStd = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
      return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
    };
    const names = [...new Set(results.filter((r) => !r.skipped).map((r) => r.name))];
    const summary = names.map((name) => {
      const runs = results.filter((r) => r.name === name && !r.skipped);
      return {
        name, seeds: runs.map((r) => r.seed), leftPlateau: runs.filter((r) => r.firstRoundAboveChance !== null).length,
        firstRounds: runs.map((r) => r.firstRoundAboveChance), testAtBestDev: meanStd(runs.map((r) => r.testAtBestDev!)), finalTest: meanStd(runs.map((r) => r.finalTest!)),
      };
    });
    process.stdout.write(`\nOver seeds ${seeds.join(', ')} (mean ± sample std):\n`);
    process.stdout.write(`${renderTextTable(['run', `seeds with dev > ${threshold.toFixed(2)}`, 'first round per seed', 'test at best dev', 'final test'],
      summary.map((m) => [m.name, `${m.leftPlateau} of ${m.seeds.length}`, m.firstRounds.map((f) => f ?? 'never').join(', '), m.testAtBestDev, m.finalTest]))}\n`);
    writeFileSync(resultsFile, JSON.stringify({ ...JSON.parse(readFileSync(resultsFile, 'utf8')), overSeeds: summary }, null, 1));
  }
  process.stdout.write(`results: ${resultsFile}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
