/**
 * `modality-mirror run <scenario>`: one simulation with a progress bar on stderr, a final table on
 * stdout and a run folder (summary.json, trace.jsonl, trace.msgpack, rounds.csv). A run that cannot
 * train still writes its folder, marked `complete: false` with the reason, prints no table and
 * rejects with the TrainingFailedError (exit code 1).
 */
import { buildRunConfig } from '../engine/build-run-config.js';
import { checkWork } from '../engine/estimate-work.js';
import { loadScenarioData } from '../engine/prepare-dataset.js';
import { TrainingFailedError } from '../engine/run-failure.js';
import { runSimulation } from '../engine/run-simulation.js';
import { renderTextTable } from '../report/text-table.js';
import { prepareOutDir } from './check-out-dir.js';
import { trainerFromFlags } from './cli-trainer.js';
import type { RunFlags } from './flags.js';
import { createProgress } from './progress.js';
import { prepareScenario } from './prepare-scenario.js';
import { writeRunFolder } from './write-run-folder.js';

export type { RunFlags } from './flags.js';

/** Runs one scenario and writes its folder; returns the summary. */
export async function runCommand(file: string, flags: RunFlags) {
  prepareOutDir(flags.out, '--out');
  const scenario = await prepareScenario(file, flags);
  const dataset = loadScenarioData(scenario, file);
  const config = { ...buildRunConfig(scenario, dataset, file), computeDoomed: flags.computeDoomed === true };
  // Absurd work (an epochs=1e9, a model of billions of weights) is refused with its estimate, before any training.
  if (flags.force !== true && flags.fakeTrainer !== true && flags.fakeFail === undefined) checkWork(config, file);
  const trainer = await trainerFromFlags(flags, dataset.store, config.model);
  const totalRounds = config.settings.rounds.reduce((a, b) => a + b, 0);
  const progress = createProgress(`${config.strategy.name} seed ${config.seed}`, totalRounds);
  const started = performance.now(); // wall-clock ok: reported, never used by the engine
  const extra = () => ({ workers: flags.workers, scenarioFile: file, wallTimeMs: Math.round(performance.now() - started) }); // wall-clock ok
  try {
    process.stderr.write(`backend: ${trainer.backend}, workers: ${flags.workers}, data: ${dataset.source} (${dataset.split.clients.length} clients, ${config.dataset.split.clients.filter((c) => c.hasVideo).length} with video)\n`);
    let result;
    try {
      result = await runSimulation(config, trainer, {
        observer: { onEval: (record, virtualMs) => progress.update(record.round + 1, virtualMs, record.scores[config.strategy.headline]?.test.accuracy ?? null) },
      });
    } catch (error) {
      progress.stop();
      if (error instanceof TrainingFailedError) {
        // Keep what was computed, marked incomplete; the caller prints the reason and exits 1.
        writeRunFolder(flags.out, config, error.result, extra());
        process.stderr.write(`run folder (incomplete, complete: false): ${flags.out}\n`);
      }
      throw error;
    }
    progress.stop();
    const { wallTimeMs } = extra();
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
