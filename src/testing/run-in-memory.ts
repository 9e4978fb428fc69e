/**
 * Protocol-testing kit: run a scenario in memory (by default with the fake trainer, no tfjs),
 * get its result and trace. Users unit-test protocol behaviour with it: who was selected, what was
 * dropped or late, which updates were aggregated.
 */
import { buildRunConfig } from '../engine/build-run-config.js';
import { loadScenarioData } from '../scenario/prepare-dataset.js';
import type { RunConfig } from '../engine/run-config.js';
import { runSimulation, type RunResult } from '../engine/run-simulation.js';
import { validateScenario } from '../scenario/load-scenario.js';
import { applyOverrides } from '../scenario/overrides.js';
import type { ScenarioInput } from '../scenario/schema.js';
import { FakeTrainer } from '../train/fake-trainer.js';
import type { Trainer } from '../protocol/trainer.js';
import { TraceQuery } from './trace-query.js';

/** Options of runInMemory. */
export interface InMemoryOptions {
  /** A trainer to use (default: the fake trainer over the scenario's labels). */
  trainer?: Trainer;
  /** `--set`-style overrides, e.g. ['rounds=3', 'deadlineMs=500']. */
  set?: string[];
  /** Compute updates the clock already dooms (default false). */
  computeDoomed?: boolean;
  /**
   * A run that could not train (every task of a round failed alike, or a phase with no successful
   * round): 'return' (default here: failures are data in protocol studies) gives the result with
   * `complete: false` and `failure` set; 'throw' rejects with a TrainingFailedError, as the CLI does.
   */
  onUntrained?: 'throw' | 'return';
}

/** A finished in-memory run. */
export interface InMemoryRun {
  config: RunConfig;
  result: RunResult;
  /** Query helper over the run's trace. */
  trace: TraceQuery;
}

/** Validates and runs `scenario` in memory; throws ConfigError for an invalid scenario, like the CLI. */
export async function runInMemory(scenario: ScenarioInput, options: InMemoryOptions = {}): Promise<InMemoryRun> {
  const source = `scenario ${scenario.name}`;
  const valid = applyOverrides(validateScenario(scenario, source), options.set ?? []);
  const dataset = loadScenarioData(valid, source);
  const config: RunConfig = { ...buildRunConfig(valid, dataset, source), computeDoomed: options.computeDoomed === true };
  const trainer = options.trainer ?? new FakeTrainer({ labels: dataset.store.labels, numClasses: dataset.store.numClasses });
  const result = await runSimulation(config, trainer, { onUntrained: options.onUntrained ?? 'return' });
  return { config, result, trace: new TraceQuery(result.trace) };
}
