/**
 * Engine overhead, measured: (a) with the fake trainer and 100 clients per round, at 10,000,
 * 100,000 and 1,000,000 clients (or `--clients N[,M…]`), each in its own process: start-up time
 * (population, actors, up to the first event), events per second and rounds per second of the
 * event loop, the process's peak RSS, and the bytes per client the population's rows and the
 * eligible index hold at rest (heap + array buffers after a GC, before the run); (b) the share of wall time the training pool spends
 * computing during a real run with 2 workers (worker busy time ÷ wall time × workers).
 *   npm run bench:engine [-- --clients 10000,100000,1000000 --per-round 100 --rounds 100 --real-rounds 20 --no-overlap]
 * `--real-rounds 0` skips (b); `--no-overlap` makes (b) await each evaluation in turn. Benchmarks may read the wall clock; the engine never does.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countedPopulation } from '../src/data/counted-population.js';
import { populationOf } from '../src/data/client-rows.js';
import { EligibleClients } from '../actors/eligible-clients.js';
import type { LoadedDataset } from '../src/data/types.js';
import { buildRunConfig } from '../src/engine/build-run-config.js';
import { loadScenarioData } from '../src/scenario/prepare-dataset.js';
import type { RunConfig } from '../src/engine/run-config.js';
import { runSimulation } from '../src/engine/run-simulation.js';
import { loadScenarioFile } from '../src/scenario/load-scenario.js';
import { applyOverrides } from '../src/scenario/overrides.js';
import { DEFAULT_COST } from '../src/sim/cost-model.js';
import { unifl } from '../src/strategies/unifl.js';
import { FakeTrainer } from '../src/train/fake-trainer.js';
import { PoolTrainer } from '../src/train/pool-trainer.js';
import { renderTextTable } from '../src/report/text-table.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '10000,100000,1000000' },
    one: { type: 'string' },
    'per-round': { type: 'string', default: '100' },
    rounds: { type: 'string', default: '100' },
    'real-rounds': { type: 'string', default: '20' },
    // (b) with each evaluation awaited before the next event, as before it overlapped training.
    'no-overlap': { type: 'boolean', default: false },
  },
});
const perRound = Number(values['per-round']);
const rounds = Number(values.rounds);
/** A population of `n` clients declared as a count (2 samples each): the data does not matter to the fake trainer. */
function population(n: number): LoadedDataset {
  return countedPopulation({ kind: 'counted', clients: n, samplesPerClient: { min: 2, max: 2 }, numClasses: 2, poolSamples: 1024, seed: 1 });
}

/** One population's measurement, in this process (so its peak RSS is its own). */
async function measureOne(clients: number): Promise<Record<string, number>> {
  const t0 = performance.now(); // wall-clock ok: benchmark
  // Per-client memory at rest: what the population's rows and the server's eligible index hold, per client.
  const held = () => { (globalThis as { gc?: () => void }).gc?.(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const before = held();
  const dataset = population(clients);
  // The server builds its own index in the run; this one is only weighed, then dropped.
  const bytesPerClient = ((index) => (held() - before) / index.count([0, 1, 2, 3]) )(new EligibleClients(populationOf(dataset), {}));
  const config: RunConfig = {
    scenario: 'bench-engine', seed: 1, strategy: unifl as never,
    settings: { seed: 1, rounds: [rounds], params: {}, hyper: { epochs: 1, batchSize: 2, lr: 0.1, momentum: 0, weightDecay: 0, clipNorm: 0 } },
    rules: { clientsPerRound: perRound, fractionOf: 'population', overSelection: 1, deadlineMs: null, minReplies: 1 },
    cost: DEFAULT_COST,
    model: { numClasses: 2, audio: { frames: 1, dims: 1, convChannels: [1], kernelSize: 1, gruUnits: 1 }, video: { frames: 1, dims: 1, gruUnits: 1 }, headHidden: 1, dropout: 0 },
    dataset, evalBatchSize: 8, timeline: [], computeDoomed: false,
  };
  const trainer = new FakeTrainer({ labels: dataset.store.labels, numClasses: 2, paramsPerModule: 16 });
  let firstEventAt = 0;
  const observer = { onTrace: () => { if (firstEventAt === 0) firstEventAt = performance.now(); } }; // wall-clock ok: benchmark
  const result = await runSimulation(config, trainer, { retainTrace: false, observer });
  const end = performance.now(); // wall-clock ok: benchmark
  const loopSeconds = (end - firstEventAt) / 1000;
  return {
    clients, rounds: result.rounds.length, events: result.events,
    startupSeconds: (firstEventAt - t0) / 1000, loopSeconds,
    eventsPerSecond: result.events / loopSeconds, roundsPerSecond: result.rounds.length / loopSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024, bytesPerClient,
  };
}

if (values.one !== undefined) {
  process.stdout.write(`${JSON.stringify(await measureOne(Number(values.one)))}\n`);
  process.exit(0);
}

const sizes = values.clients.split(',').map(Number);
const rows: Array<Record<string, number>> = [];
for (const n of sizes) {
  const out = execFileSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--one', String(n), '--rounds', String(rounds), '--per-round', String(perRound)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  rows.push(JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>);
}
const base = rows[0];
process.stdout.write(`fake trainer, ${perRound} clients per round, ${rounds} rounds, one process per population\n${renderTextTable(
  ['clients', 'events', 'start-up (s)', 'events/s', 'rounds/s', 'peak RSS (MiB)', 'bytes per client at rest', `events/s vs ${base.clients}`],
  rows.map((r) => [r.clients, r.events, r.startupSeconds.toFixed(2), Math.round(r.eventsPerSecond), r.roundsPerSecond.toFixed(1), r.peakRssMiB.toFixed(0), r.bytesPerClient.toFixed(1), (r.eventsPerSecond / base.eventsPerSecond).toFixed(2)]),
)}\n`);

if (Number(values['real-rounds']) === 0) process.exit(0);
// (b) A real run of the default scenario on 2 workers: how busy is the pool?
const scenario = applyOverrides(await loadScenarioFile('scenarios/default.ts'), [`rounds=${values['real-rounds']}`]);
const real = loadScenarioData(scenario, 'scenarios/default.ts');
const realConfig = buildRunConfig(scenario, real, 'scenarios/default.ts');
const pool = await PoolTrainer.create({ store: real.store, config: realConfig.model, workers: 2 });
await pool.initWeights(['audio'], 'warm-up'); // start both workers before timing
pool.resetBusy();
const t1 = performance.now(); // wall-clock ok: benchmark
const realResult = await runSimulation(realConfig, pool, { retainTrace: false, overlapEvaluation: !values['no-overlap'] });
const realSeconds = (performance.now() - t1) / 1000; // wall-clock ok: benchmark
const busy = pool.busyMs() / (realSeconds * 1000 * 2);
await pool.close();

process.stdout.write(`${renderTextTable(['measure', 'value'], [
  [`real run: default scenario, ${values['real-rounds']} rounds, 2 workers, backend ${pool.backend}${values['no-overlap'] ? ', evaluation not overlapped' : ''}`, `${realSeconds.toFixed(1)} s, ${realResult.events} events`],
  ['traceHash', realResult.traceHash.slice(0, 16)],
  ['pool busy share: worker busy time ÷ (wall time × 2 workers)', busy.toFixed(3)],
])}\n`);
