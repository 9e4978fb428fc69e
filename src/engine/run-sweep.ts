/**
 * A sweep: every cell of a SweepSpec run on one loaded dataset and one trainer (one worker pool).
 * Each cell is an ordinary run of the base scenario with the cell's assignments applied; with a
 * cell store, a cell already computed under the same key is read back instead of run again, and
 * each new cell is stored as soon as it finishes. With `concurrency` K > 1, K cells run at once on
 * the one trainer, which keeps its workers busy across round barriers; each run has its own clock
 * and its tasks are pure, so every record is the same as with K = 1 (and records keep cell order).
 */
import type { LoadedDataset } from '../data/types.js';
import type { Scenario } from '../scenario/schema.js';
import { applyOverrides } from '../scenario/overrides.js';
import type { Trainer } from '../protocol/trainer.js';
import { buildRunConfig } from './build-run-config.js';
import { cellRecord, type CellRecord } from './cell-record.js';
import { cellKey, type CellStore } from './cell-store.js';
import { checkSweepWork } from './check-sweep-work.js';
import { TrainingFailedError } from './run-failure.js';
import { runSimulation, type RunObserver } from './run-simulation.js';
import { sweepCells, type SweepCell, type SweepSpec } from './sweep-cells.js';

/**
 * A cell that could not train: the sweep stops there rather than average untrained cells. Carries
 * the cell, the cells finished before it and the cell's own failure and partial result.
 */
export class GridCellFailedError extends TrainingFailedError {
  constructor(
    readonly cell: SweepCell,
    readonly completed: CellRecord[],
    cause: TrainingFailedError,
  ) {
    const vary = Object.entries(cell.vary).map(([k, v]) => `${k} ${String(v)}, `).join('');
    const missing = cell.missingRate === null ? '' : `missing ${cell.missingRate}, `;
    super(cause.failure, cause.result, `grid cell ${cell.index}/${cell.total} (method ${cell.method}, ${vary}${missing}seed ${cell.seed}): ${cause.message}`);
    this.name = 'GridCellFailedError';
  }
}

/** Hooks a sweep reports through. */
export interface SweepHooks {
  /** A cell finished (`reused`: read back from the cell store). */
  onCell?: (record: CellRecord, cell: SweepCell, reused: boolean) => void;
  /** An observer for a cell about to run (`rounds`: its total rounds). */
  observerFor?: (cell: SweepCell & { rounds: number }) => RunObserver & { done?(): void };
}

/** Where finished cells are kept, and the package version that is part of their key. */
export interface SweepCache {
  store: CellStore;
  version: string;
}

/** Runs (or reads back) every cell, `concurrency` at a time; returns the records in cell order and how many were reused. */
export async function runSweep(
  scenario: Scenario,
  dataset: LoadedDataset,
  trainer: Trainer,
  spec: SweepSpec,
  source: string,
  hooks: SweepHooks = {},
  cache?: SweepCache,
  concurrency = 1,
): Promise<{ records: CellRecord[]; reused: number }> {
  const computeDoomed = spec.computeDoomed === true;
  const cells = sweepCells(spec);
  // Every cell is checked before any trains (--force lifts the bounds); each run then skips its own check.
  if (spec.force !== true && trainer.backend !== 'fake') checkSweepWork(scenario, dataset, spec, source);
  const records: Array<CellRecord | undefined> = new Array(cells.length);
  let reused = 0;
  let failure: unknown = null;
  /** Runs (or reads back) one cell; records land at the cell's position whatever finishes first. */
  const runCell = async (cell: SweepCell, position: number): Promise<void> => {
    const resolved = applyOverrides(scenario, cell.assignments);
    const config = { ...buildRunConfig(resolved, dataset, source), computeDoomed };
    const key = cellKey({ scenario: resolved, backend: trainer.backend, computeDoomed, version: cache?.version ?? '' });
    const stored = cache?.store.get<CellRecord>(key) ?? null;
    if (stored !== null && stored.key === key) {
      records[position] = stored;
      reused++;
      hooks.onCell?.(stored, cell, true);
      return;
    }
    const observer = hooks.observerFor?.({ ...cell, rounds: config.settings.rounds.reduce((a, b) => a + b, 0) });
    let result;
    try {
      result = await runSimulation(config, trainer, { retainTrace: false, observer, force: true /* checked above */ });
    } finally {
      observer?.done?.();
    }
    const record = cellRecord({ key, method: cell.method, seed: cell.seed, missingRate: cell.missingRate, vary: cell.vary, scenario: resolved }, config, result);
    cache?.store.put(key, record);
    records[position] = record;
    hooks.onCell?.(record, cell, false);
  };
  // K lanes take cells in order; a failure stops every lane from starting new cells.
  let next = 0;
  const lane = async (): Promise<void> => {
    while (failure === null && next < cells.length) {
      const position = next++;
      try {
        await runCell(cells[position], position);
      } catch (error) {
        if (failure === null) failure = { error, cell: cells[position] };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, cells.length)) }, lane));
  if (failure !== null) {
    const { error, cell } = failure as { error: unknown; cell: SweepCell };
    const done = records.filter((r): r is CellRecord => r !== undefined);
    if (error instanceof TrainingFailedError) throw new GridCellFailedError(cell, done, error);
    throw error;
  }
  return { records: records as CellRecord[], reused };
}
