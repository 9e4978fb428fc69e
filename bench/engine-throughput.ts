/**
 * Engine overhead, measured: (a) scheduler + actor events per second with the fake trainer at
 * 10,000 clients (100 per round), and the peak RSS; (b) the share of wall time the training pool
 * spends computing during a real run with 2 workers (worker busy time ÷ wall time × workers).
 *   npm run bench:engine [-- --clients 10000 --per-round 100 --rounds 100 --real-rounds 20]
 * Benchmarks may read the wall clock; the engine never does.
 */
import { parseArgs } from 'node:util';
import { allocateStore } from '../src/data/shared-store.js';
import type { LoadedDataset } from '../src/data/types.js';
import { buildRunConfig } from '../src/engine/build-run-config.js';
import { loadScenarioData } from '../src/engine/prepare-dataset.js';
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
    clients: { type: 'string', default: '10000' },
    'per-round': { type: 'string', default: '100' },
    rounds: { type: 'string', default: '100' },
    'real-rounds': { type: 'string', default: '20' },
  },
});
const clients = Number(values.clients);
const perRound = Number(values['per-round']);
const rounds = Number(values.rounds);

/** A population of `n` clients with 2 samples each: the data does not matter to the fake trainer. */
function population(n: number): LoadedDataset {
  const perClient = 2;
  const store = allocateStore({ name: 'bench', numSamples: n * perClient + 10, numClasses: 2, audio: { frames: 1, dims: 1 }, video: null });
  for (let i = 0; i < store.numSamples; i++) store.labels[i] = i % 2;
  const ids = Array.from({ length: n }, (_, c) => String(c)).sort();
  return {
    store,
    source: 'bench',
    split: {
      clients: ids.map((id) => ({ id, train: [Number(id) * perClient, Number(id) * perClient + 1], hasAudio: true, hasVideo: false })),
      dev: [n * perClient, n * perClient + 1],
      test: Array.from({ length: 8 }, (_, k) => n * perClient + 2 + k),
    },
  };
}

const dataset = population(clients);
const config: RunConfig = {
  scenario: 'bench-engine', seed: 1, strategy: unifl as never,
  settings: { seed: 1, rounds: [rounds], params: {}, hyper: { epochs: 1, batchSize: 2, lr: 0.1, momentum: 0, weightDecay: 0, clipNorm: 0 } },
  rules: { clientsPerRound: perRound, fractionOf: 'population', overSelection: 1, deadlineMs: null, minReplies: 1 },
  cost: DEFAULT_COST,
  model: { numClasses: 2, audio: { frames: 1, dims: 1, convChannels: [1], kernelSize: 1, gruUnits: 1 }, video: { frames: 1, dims: 1, gruUnits: 1 }, headHidden: 1, dropout: 0 },
  dataset, evalBatchSize: 8, timeline: [], computeDoomed: false,
};
const trainer = new FakeTrainer({ labels: dataset.store.labels, numClasses: 2, paramsPerModule: 16 });
const t0 = performance.now(); // wall-clock ok: benchmark
const result = await runSimulation(config, trainer, { retainTrace: false });
const seconds = (performance.now() - t0) / 1000; // wall-clock ok: benchmark
const rssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`fake: ${clients} clients, ${result.events} events, ${seconds.toFixed(2)} s, ${Math.round(result.events / seconds)} ev/s, RSS ${rssMiB.toFixed(0)} MiB\n`);

if (Number(values['real-rounds']) === 0) process.exit(0);
// (b) A real run of the default scenario on 2 workers: how busy is the pool?
const scenario = applyOverrides(await loadScenarioFile('scenarios/default.ts'), [`rounds=${values['real-rounds']}`]);
const real = loadScenarioData(scenario, 'scenarios/default.ts');
const realConfig = buildRunConfig(scenario, real, 'scenarios/default.ts');
const pool = await PoolTrainer.create({ store: real.store, config: realConfig.model, workers: 2 });
await pool.initWeights(['audio'], 'warm-up'); // start both workers before timing
pool.resetBusy();
const t1 = performance.now(); // wall-clock ok: benchmark
const realResult = await runSimulation(realConfig, pool, { retainTrace: false });
const realSeconds = (performance.now() - t1) / 1000; // wall-clock ok: benchmark
const busy = pool.busyMs() / (realSeconds * 1000 * 2);
await pool.close();

process.stdout.write(`${renderTextTable(['measure', 'value'], [
  ['clients / per round / rounds', `${clients} / ${perRound} / ${rounds}`],
  ['events delivered (fake trainer)', result.events],
  ['wall time (s)', seconds.toFixed(2)],
  ['events per second', Math.round(result.events / seconds)],
  ['peak RSS (MiB)', rssMiB.toFixed(0)],
  [`real run: default scenario, ${values['real-rounds']} rounds, 2 workers, backend ${pool.backend}`, `${realSeconds.toFixed(1)} s, ${realResult.events} events`],
  ['pool busy share: worker busy time ÷ (wall time × 2 workers)', busy.toFixed(3)],
])}\n`);
