/**
 * The shared front half of `run` and `compare`: load the scenario file, apply the command-line
 * overrides (seed, rounds, method, `--set`) and validate the result.
 */
import { ConfigError } from '../core/errors.js';
import { validateScenario } from '../scenario/load-scenario.js';
import { loadScenarioFile } from './load-scenario-module.js';
import { applyOverrides } from '../scenario/overrides.js';
import type { Scenario } from '../scenario/schema.js';

/** Overrides common to the commands. */
export interface ScenarioFlags {
  seed?: number;
  rounds?: number;
  method?: string;
  budget?: string;
  set?: string[];
  /** `fedmultimodal:<output dir>` or `npy:<dir>`: replaces the scenario's data. */
  data?: string;
  dataset?: string;
  alpha?: number;
  fold?: number;
  missingFile?: string;
}

/** The scenario's `data` block described by the --data flags. */
export function dataFromFlags(flags: ScenarioFlags): Record<string, unknown> | null {
  if (flags.data === undefined) return null;
  const colon = flags.data.indexOf(':');
  const kind = colon > 0 ? flags.data.slice(0, colon) : '';
  const dir = flags.data.slice(colon + 1);
  if (kind === 'npy') return { kind, dir, ...(flags.alpha !== undefined ? { alpha: flags.alpha } : {}) };
  if (kind !== 'fedmultimodal') throw new ConfigError('command line', '--data', flags.data, 'fedmultimodal:<output dir> or npy:<dir>');
  for (const [flag, value] of [['--dataset', flags.dataset], ['--alpha', flags.alpha], ['--fold', flags.fold]] as const) {
    if (value === undefined) throw new ConfigError('command line', flag, value, `required with --data fedmultimodal:… (e.g. --dataset ucf101 --alpha 0.1 --fold 1)`);
  }
  return { kind, outputDir: dir, dataset: flags.dataset, alpha: flags.alpha, fold: flags.fold, ...(flags.missingFile ? { missingFile: flags.missingFile } : {}) };
}

/** Loads `file` and applies the flags, each validated with the flag named as its source. */
export async function prepareScenario(file: string, flags: ScenarioFlags): Promise<Scenario> {
  const loaded = await loadScenarioFile(file);
  const data = dataFromFlags(flags);
  // Data from the command line replaces the scenario's; a simulation file then decides who lacks video.
  const scenario = data
    ? validateScenario({ ...loaded, data: data as Scenario['data'], ...(flags.missingFile ? { videoMissingRate: null } : {}) }, `${file} with --data`)
    : loaded;
  const assignments: string[] = [];
  if (flags.method !== undefined) assignments.push(`algorithm.name=${flags.method}`);
  if (flags.seed !== undefined) assignments.push(`seed=${flags.seed}`);
  if (flags.rounds !== undefined) assignments.push(`rounds=${flags.rounds}`);
  if (flags.budget !== undefined) assignments.push(`budget=${flags.budget}`);
  return applyOverrides(scenario, [...assignments, ...(flags.set ?? [])]);
}
