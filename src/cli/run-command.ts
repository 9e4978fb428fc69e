/**
 * `modality-mirror run <scenario>`: one simulation with a progress bar on stderr, a final table on
 * stdout and a run folder (summary.json, trace.jsonl, trace.msgpack, rounds.csv; checkpoint/ while
 * it runs). Inputs are checked before any work (the pool's workers start meanwhile, and are stopped
 * if an input is refused); then the folder is marked as holding an unfinished run (an earlier run's
 * files removed) and the run executes (see execute-run.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { FileOps } from '../engine/atomic-write.js';
import { buildRunConfig } from '../engine/build-run-config.js';
import { CHECKPOINT_DIR } from '../engine/checkpoint-store.js';
import { checkWork } from '../engine/estimate-work.js';
import { loadScenarioData } from '../scenario/prepare-dataset.js';
import { prepareOutDir } from './check-out-dir.js';
import { shellWord } from './cli-exit.js';
import { executeRun } from './execute-run.js';
import type { RunFlags } from './flags.js';
import { prepareScenario } from './prepare-scenario.js';
import { prepareWhilePoolStarts } from './cli-trainer.js';
import type { RunConfig } from '../engine/run-config.js';
import { runMeta } from './run-meta.js';
import { startRunFolder } from './write-run-folder.js';

export type { RunFlags } from './flags.js';

/** Runs one scenario and writes its folder; returns the summary. `io` replaces the file operations (tests). */
export async function runCommand(file: string, flags: RunFlags, io?: FileOps) {
  prepareOutDir(flags.out, '--out');
  if (existsSync(join(flags.out, CHECKPOINT_DIR, 'state.msgpack')) && flags.force !== true) {
    throw new ConfigError('command line', '--out', flags.out, `a folder without an unfinished run (it holds an interrupted run's checkpoint: continue it with \`modality-mirror resume ${shellWord(flags.out)}\`, or pass --force to start afresh)`);
  }
  const scenario = await prepareScenario(file, flags);
  // The pool's workers load tfjs while this thread loads the data (they need it only at 'ready').
  const { started, prepared: { dataset, config } } = await prepareWhilePoolStarts(flags, () => {
    const dataset = loadScenarioData(scenario, file);
    const config: RunConfig = { ...buildRunConfig(scenario, dataset, file), computeDoomed: flags.computeDoomed === true };
    // Absurd work (an epochs=1e9, a model of billions of weights) is refused with its estimate, before any training.
    if (flags.force !== true && flags.fakeTrainer !== true && flags.fakeFail === undefined) checkWork(config, file);
    // Every input is good: from here on the folder belongs to this run.
    startRunFolder(flags.out, { scenario: config.scenario, scenarioFile: file, seed: config.seed, started: `modality-mirror run ${process.argv.slice(3).join(' ')}` }, io);
    return { dataset, config };
  });
  return executeRun({ file, flags, config, dataset, meta: runMeta(file, flags, scenario), resumeFrom: null, io, started });
}
