/**
 * `modality-mirror resume DIR`: continues a run that was killed or interrupted, from the checkpoint
 * in DIR/checkpoint/. The run is rebuilt as it was started (same scenario file, flags and working
 * directory; a scenario file that now resolves differently is refused) and finishes with the same
 * traceHash and weightsHash as a run never stopped. `--workers` may differ (results do not depend on it).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, DataError } from '../core/errors.js';
import { buildRunConfig } from '../engine/build-run-config.js';
import { CHECKPOINT_DIR, readCheckpoint, type LoadedCheckpoint } from '../engine/checkpoint-store.js';
import { loadScenarioData } from '../scenario/prepare-dataset.js';
import { prepareOutDir } from './check-out-dir.js';
import { executeRun } from './execute-run.js';
import { prepareScenario } from './prepare-scenario.js';
import { scenarioHash, type RunMeta } from './run-meta.js';
import { prepareWhilePoolStarts } from './cli-trainer.js';

/** Flags of `resume`. */
export interface ResumeFlags {
  workers?: number;
  force?: boolean;
}

/** Whether DIR's summary.json says the run is complete. */
function isComplete(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { complete?: unknown }).complete === true;
  } catch {
    return false;
  }
}

/** Resumes the run in `dirArg`; returns its summary (or null when it was complete already). */
export async function resumeCommand(dirArg: string, flags: ResumeFlags = {}) {
  const dir = prepareOutDir(dirArg, 'DIR');
  let loaded: LoadedCheckpoint<RunMeta> | null;
  try {
    loaded = readCheckpoint<RunMeta>(dir);
  } catch (error) {
    throw new DataError(join(dirArg, CHECKPOINT_DIR), null, 'checkpoint', (error as Error).message);
  }
  if (isComplete(dir)) {
    if (loaded) rmSync(join(dir, CHECKPOINT_DIR), { recursive: true, force: true });
    process.stderr.write(`${dirArg}: the run is complete (summary.json); nothing to resume\n`);
    return null;
  }
  if (!loaded) throw new ConfigError('command line', 'DIR', dirArg, 'a run folder with a checkpoint (`modality-mirror run` writes one after every round)');
  const { meta } = loaded;
  // The run's paths (scenario, --data) are relative to where it was started.
  if (existsSync(meta.cwd)) process.chdir(meta.cwd);
  const runFlags = { ...meta.flags, out: dir, workers: flags.workers ?? meta.flags.workers, force: flags.force ?? meta.flags.force };
  const scenario = await prepareScenario(meta.scenarioPath, runFlags);
  if (scenarioHash(scenario) !== meta.scenarioHash) {
    throw new ConfigError(resolve(meta.scenarioPath), 'scenario', meta.scenarioFile, `the scenario the run started with (the file or its imports changed since: it now resolves to another scenario)`);
  }
  // The pool's workers load tfjs while this thread loads the data, as for `run`.
  const { started, prepared: { dataset, config } } = await prepareWhilePoolStarts(runFlags, () => {
    const dataset = loadScenarioData(scenario, meta.scenarioFile);
    return { dataset, config: { ...buildRunConfig(scenario, dataset, meta.scenarioFile), computeDoomed: runFlags.computeDoomed === true } };
  });
  return executeRun({ file: meta.scenarioFile, flags: runFlags, config, dataset, meta: { ...meta }, resumeFrom: loaded, started });
}
