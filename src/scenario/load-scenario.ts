/**
 * Loads a scenario file (a TypeScript or JavaScript module whose default export is
 * `defineScenario({...})`) and validates it. Errors name the file and the field.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../core/errors.js';
import { scenarioSchema, type Scenario, type ScenarioInput } from './schema.js';
import { timelineIds } from './overrides.js';
import { parseOrThrow } from './validate.js';
import { validateParams } from '../strategies/params.js';

/** Validates a scenario object; `source` names the file it came from. */
export function validateScenario(input: ScenarioInput, source: string): Scenario {
  const scenario = parseOrThrow(scenarioSchema, input, source);
  validateParams(scenario.algorithm.params, source);
  timelineIds(scenario, source);
  return scenario;
}

/** Imports and validates a scenario file. */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  const path = resolve(file);
  if (!existsSync(path)) throw new ConfigError('command line', 'scenario', file, 'a path to an existing scenario file (see `modality-mirror list`)');
  const module = (await import(pathToFileURL(path).href)) as { default?: ScenarioInput };
  if (!module.default || typeof module.default !== 'object') {
    throw new ConfigError(file, 'default export', module.default, 'a scenario object made with defineScenario({...})');
  }
  return validateScenario(module.default, file);
}
