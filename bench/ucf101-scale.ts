/**
 * Scale check at UCF101 size: generate the UCF101-sized synthetic set into shared memory, start a
 * 2-worker pool over it and train a few rounds of ModalityMirror with FedMultimodal's models.
 * Reports load time, peak RSS and seconds per round of each phase.
 *   npm run bench:scale [-- --rounds 2 --workers 2]
 */
import { parseArgs } from 'node:util';
import { buildRunConfig } from '../src/engine/build-run-config.js';
import { createTrainer } from '../src/engine/create-trainer.js';
import { loadScenarioData } from '../src/scenario/prepare-dataset.js';
import { runSimulation } from '../src/engine/run-simulation.js';
import { loadScenarioFile } from '../src/scenario/load-scenario.js';
import { applyOverrides } from '../src/scenario/overrides.js';
import { renderTextTable } from '../src/report/text-table.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' }, workers: { type: 'string', default: '2' } } });
const file = 'scenarios/ucf101-scale.ts';
const scenario = applyOverrides(await loadScenarioFile(file), [`rounds=${values.rounds}`, 'evalBatchSize=128']);
const t0 = performance.now(); // wall-clock ok: benchmark
const dataset = loadScenarioData(scenario, file);
const loadSeconds = (performance.now() - t0) / 1000; // wall-clock ok
const rssAfterLoad = process.memoryUsage().rss / 2 ** 20;
const config = buildRunConfig(scenario, dataset, file);
const trainer = await createTrainer({ workers: Number(values.workers) }, dataset.store, config.model);
const roundSeconds: number[] = [];
let last = performance.now(); // wall-clock ok
const t1 = last;
const result = await runSimulation(config, trainer, {
  retainTrace: false,
  observer: { onEval: () => { const now = performance.now(); roundSeconds.push((now - last) / 1000); last = now; } }, // wall-clock ok
});
const runSeconds = (performance.now() - t1) / 1000; // wall-clock ok
await trainer.close();
const peak = process.resourceUsage().maxRSS / 1024;
const trainSamples = dataset.split.clients.reduce((s, c) => s + c.train.length, 0);
process.stdout.write(`${renderTextTable(['measure', 'value'], [
  ['clips / classes / clients', `${dataset.store.numSamples} / ${dataset.store.numClasses} / ${dataset.split.clients.length} (${trainSamples} train, ${dataset.split.dev.length} dev, ${dataset.split.test.length} test)`],
  ['feature memory (MiB, shared)', ((dataset.store.audio.data.byteLength + (dataset.store.video?.data.byteLength ?? 0)) / 2 ** 20).toFixed(0)],
  ['generate + split (s)', loadSeconds.toFixed(1)],
  ['RSS after load (MiB)', rssAfterLoad.toFixed(0)],
  [`backend / workers`, `${trainer.backend} / ${values.workers}`],
  ['rounds (phase)', result.rounds.map((r) => `${r.round}:${r.phase}`).join(', ')],
  ['seconds per round (train + eval, wall)', roundSeconds.map((s) => s.toFixed(1)).join(', ')],
  ['total run (s)', runSeconds.toFixed(1)],
  ['peak RSS, main thread + workers (MiB)', peak.toFixed(0)],
  ['headline audio accuracy (chance 1/51)', result.headline?.accuracy.toFixed(3) ?? '-'],
])}\n`);
