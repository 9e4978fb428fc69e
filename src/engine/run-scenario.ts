/**
 * One call from a scenario to a result, for programs that use the engine as a library: validate,
 * apply `--set`-style overrides, load the data, build the run configuration, train (fake, in this
 * thread, or on a worker pool) and close the trainer it made.
 */
import { validateScenario } from '../scenario/load-scenario.js';
import { applyOverrides } from '../scenario/overrides.js';
import type { ScenarioInput } from '../scenario/schema.js';
import type { Trainer } from '../protocol/trainer.js';
import { buildRunConfig } from './build-run-config.js';
import { createTrainer, type TrainerChoice } from './create-trainer.js';
import { loadScenarioData } from '../scenario/prepare-dataset.js';
import type { RunConfig } from './run-config.js';
import { runSimulation, type RunOptions, type RunResult } from './run-simulation.js';

/** Options of runScenario. */
export interface RunScenarioOptions extends RunOptions {
  /**
   * How to train: 'fake' (the deterministic fake trainer, no tfjs), a TrainerChoice
   * (`{ workers: 0 }` trains in this thread, `{ workers: 2, backend: 'wasm' }` on a pool), or a
   * Trainer you made (it is not closed). Default: `{ workers: 0 }`.
   */
  trainer?: 'fake' | TrainerChoice | Trainer;
  /** Overrides in `--set` form, e.g. ['rounds=3', 'seed=2', 'data.numClients=8']. */
  set?: string[];
  /** Compute updates the virtual clock already dooms (default false; results are the same). */
  computeDoomed?: boolean;
  /** Names the scenario in error messages (default `scenario <name>`). */
  source?: string;
}

/** Validates and runs a scenario; rejects with ConfigError/DataError for bad input, TrainingFailedError when it cannot train. */
export async function runScenario(input: ScenarioInput, options: RunScenarioOptions = {}): Promise<{ config: RunConfig; result: RunResult }> {
  const source = options.source ?? `scenario ${input.name}`;
  const scenario = applyOverrides(validateScenario(input, source), options.set ?? []);
  const dataset = loadScenarioData(scenario, source);
  const config: RunConfig = { ...buildRunConfig(scenario, dataset, source), computeDoomed: options.computeDoomed === true };
  const given = options.trainer;
  const owned = given === undefined || given === 'fake' || !('train' in given);
  const trainer: Trainer = owned
    ? await createTrainer(given === 'fake' ? { workers: 0, fake: true } : ((given as TrainerChoice | undefined) ?? { workers: 0 }), dataset.store, config.model)
    : (given as Trainer);
  try {
    const result = await runSimulation(config, trainer, { retainTrace: options.retainTrace, observer: options.observer, onUntrained: options.onUntrained });
    return { config, result };
  } finally {
    if (owned) await trainer.close();
  }
}
