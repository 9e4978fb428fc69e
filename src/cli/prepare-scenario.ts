/**
 * The shared front half of `run` and `compare`: load the scenario file, apply the command-line
 * overrides (seed, rounds, method, `--set`) and validate the result.
 */
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { applyOverrides } from '../scenario/overrides.js';
import type { Scenario } from '../scenario/schema.js';

/** Overrides common to the commands. */
export interface ScenarioFlags {
  seed?: number;
  rounds?: number;
  method?: string;
  budget?: string;
  set?: string[];
}

/** Loads `file` and applies the flags, each validated with the flag named as its source. */
export async function prepareScenario(file: string, flags: ScenarioFlags): Promise<Scenario> {
  const scenario = await loadScenarioFile(file);
  const assignments: string[] = [];
  if (flags.method !== undefined) assignments.push(`algorithm.name=${flags.method}`);
  if (flags.seed !== undefined) assignments.push(`seed=${flags.seed}`);
  if (flags.rounds !== undefined) assignments.push(`rounds=${flags.rounds}`);
  if (flags.budget !== undefined) assignments.push(`budget=${flags.budget}`);
  return applyOverrides(scenario, [...assignments, ...(flags.set ?? [])]);
}
