/**
 * `modality-mirror run <scenario>`: one simulation with a progress bar on stderr, a final table on
 * stdout and a run folder (summary.json, trace.jsonl, rounds.csv).
 */
import { buildRunConfig } from '../engine/build-run-config.js';
import { createTrainer } from '../engine/create-trainer.js';
import { loadScenarioData } from '../engine/prepare-dataset.js';
import { runSimulation } from '../engine/run-simulation.js';
import type { BackendName } from '../model/backend.js';
import { renderTextTable } from '../report/text-table.js';
import { createProgress } from './progress.js';
import { prepareScenario, type ScenarioFlags } from './prepare-scenario.js';
import { writeRunFolder } from './write-run-folder.js';

/** Flags of `run`. */
export interface RunFlags extends ScenarioFlags {
  workers: number;
  out: string;
  backend?: BackendName;
  fakeTrainer?: boolean;
  computeDoomed?: boolean;
}

/** Runs one scenario and writes its folder; returns the summary. */
export async function runCommand(file: string, flags: RunFlags) {
  const scenario = await prepareScenario(file, flags);
  const dataset = loadScenarioData(scenario, file);
  const config = { ...buildRunConfig(scenario, dataset, file), computeDoomed: flags.computeDoomed === true };
  const trainer = await createTrainer({ workers: flags.workers, backend: flags.backend, fake: flags.fakeTrainer }, dataset.store, config.model);
  const totalRounds = config.settings.rounds.reduce((a, b) => a + b, 0);
  const progress = createProgress(`${config.strategy.name} seed ${config.seed}`, totalRounds);
  const started = performance.now(); // wall-clock ok: reported, never used by the engine
  try {
    process.stderr.write(`backend: ${trainer.backend}, workers: ${flags.workers}, data: ${dataset.source} (${dataset.split.clients.length} clients, ${config.dataset.split.clients.filter((c) => c.hasVideo).length} with video)\n`);
    const result = await runSimulation(config, trainer, {
      observer: { onEval: (record, virtualMs) => progress.update(record.round + 1, virtualMs, record.scores[config.strategy.headline]?.test.accuracy ?? null) },
    });
    progress.stop();
    const wallTimeMs = Math.round(performance.now() - started); // wall-clock ok
    const summary = writeRunFolder(flags.out, config, result, { workers: flags.workers, scenarioFile: file, wallTimeMs });
    const rows = Object.entries(result.final).map(([name, s]) => [name === config.strategy.headline ? `${name} (headline)` : name, s.accuracy, s.macroF1, s.uar, s.round, s.phase]);
    process.stdout.write(`${renderTextTable(['model', 'test accuracy', 'macro-F1', 'UAR', 'round', 'phase'], rows)}\n`);
    process.stdout.write(`method ${config.strategy.name} | backend ${result.backend} | rounds ${totalRounds} | virtual time ${(result.virtualTimeMs / 1000).toFixed(1)} s | wall ${(wallTimeMs / 1000).toFixed(1)} s\n`);
    process.stdout.write(`traceHash ${result.traceHash}\nweightsHash ${result.weightsHash}\nrun folder: ${flags.out}\n`);
    return summary;
  } finally {
    progress.stop();
    await trainer.close();
  }
}
