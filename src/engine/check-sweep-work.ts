/**
 * The work and memory bounds applied to every cell of a sweep or compare grid at once, before any
 * cell trains: a grid that would stop at its seventh cell for size refuses at the start instead.
 */
import type { LoadedDataset } from '../data/types.js';
import { applyOverrides } from '../scenario/overrides.js';
import type { Scenario } from '../scenario/schema.js';
import { buildRunConfig } from './build-run-config.js';
import { checkWork } from './estimate-work.js';
import { sweepCells, type SweepSpec } from './sweep-cells.js';

/** Throws checkWork's ConfigError for the first cell beyond a bound, naming the cell. */
export function checkSweepWork(scenario: Scenario, dataset: LoadedDataset, spec: SweepSpec, source: string): void {
  for (const cell of sweepCells(spec)) {
    const config = buildRunConfig(applyOverrides(scenario, cell.assignments), dataset, source);
    checkWork(config, `${source} (cell ${cell.index} of ${cell.total}: ${cell.method}, seed ${cell.seed})`);
  }
}
