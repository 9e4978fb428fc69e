/**
 * The comparison grid: methods × video-missing rates × seeds, all on one loaded dataset and one
 * trainer (one worker pool) — a sweep without varied fields (see run-sweep.ts), with the same cell
 * records, cell store and failure rule.
 */
import type { LoadedDataset } from '../data/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { Trainer } from '../protocol/trainer.js';
import type { CellRecord } from './cell-record.js';
import type { RunObserver } from './run-simulation.js';
import { runSweep, type SweepCache } from './run-sweep.js';
import type { SweepCell } from './sweep-cells.js';

export { GridCellFailedError } from './run-sweep.js';

/** One finished cell of the grid (a missing rate is always set). */
export type GridRun = CellRecord & { missingRate: number };

/** One cell of the grid. */
export type GridCell = SweepCell;

/** What to run. */
export interface GridSpec {
  methods: string[];
  missingRates: number[];
  seeds: number[];
  /** Compute updates the virtual clock already dooms (default false; results are the same). */
  computeDoomed?: boolean;
  /** Allow cells beyond the work and memory bounds (the CLI's --force). */
  force?: boolean;
}

/** Runs every cell in a fixed order (seed, missing rate, method) and reports each as it finishes. */
export async function runGrid(
  scenario: Scenario,
  dataset: LoadedDataset,
  trainer: Trainer,
  grid: GridSpec,
  source: string,
  hooks: {
    onRun?: (run: GridRun, index: number, total: number, reused: boolean) => void;
    observerFor?: (cell: GridCell & { rounds: number }) => RunObserver & { done?(): void };
  } = {},
  cache?: SweepCache,
  concurrency = 1,
): Promise<GridRun[]> {
  const { records } = await runSweep(
    scenario,
    dataset,
    trainer,
    { vary: [], methods: grid.methods, seeds: grid.seeds, missingRates: grid.missingRates, computeDoomed: grid.computeDoomed, force: grid.force },
    source,
    { onCell: (record, cell, reused) => hooks.onRun?.(record as GridRun, cell.index, cell.total, reused), observerFor: hooks.observerFor },
    cache,
    concurrency,
  );
  return records as GridRun[];
}
