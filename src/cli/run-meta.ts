/**
 * What a checkpoint of `modality-mirror run` records so `resume` can rebuild the same run: the
 * scenario file (as given and as resolved), the working directory its paths are relative to, the
 * flags, a hash of the resolved scenario (a scenario file edited since is refused), the backend
 * and the checkpoint interval.
 */
import { resolve } from 'node:path';
import { hashValue } from '../core/codec.js';
import type { Scenario } from '../scenario/schema.js';
import type { RunFlags } from './flags.js';
import { resolveScenarioPath } from './load-scenario-module.js';

/** A run's identity and how it was started. */
export interface RunMeta {
  scenarioFile: string;
  scenarioPath: string;
  cwd: string;
  flags: RunFlags;
  scenarioHash: string;
  backend: string;
  checkpointEvery: number;
}

/** Hash of a resolved scenario (its JSON form, as the cell store keys cells). */
export function scenarioHash(scenario: Scenario): string {
  return hashValue(JSON.parse(JSON.stringify(scenario)));
}

/** The meta of a run started now (the backend is added once the trainer has chosen it). */
export function runMeta(file: string, flags: RunFlags, scenario: Scenario): Omit<RunMeta, 'backend'> {
  return {
    scenarioFile: file,
    scenarioPath: resolve(resolveScenarioPath(file)),
    cwd: process.cwd(),
    flags: JSON.parse(JSON.stringify(flags)) as RunFlags,
    scenarioHash: scenarioHash(scenario),
    checkpointEvery: flags.checkpointEvery ?? 1,
  };
}
