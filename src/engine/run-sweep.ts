/**
 * A sweep: every cell of a SweepSpec run on one loaded dataset and one trainer (one worker pool).
 * Each cell is an ordinary run of the base scenario with the cell's assignments applied; with a
 * cell store, a cell already computed under the same key is read back instead of run again, and
 * each new cell is stored as soon as it finishes.
 */
import type { LoadedDataset } from '../data/types.js';
import type { Scenario } from '../scenario/schema.js';
import { applyOverrides } from '../scenario/overrides.js';
import type { Trainer } from '../train/types.js';
import { buildRunConfig } from './build-run-config.js';
import { cellRecord, type CellRecord } from './cell-record.js';
import { cellKey, type CellStore } from './cell-store.js';
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

/** Runs (or reads back) every cell in order; returns the records and how many were reused. */
export async function runSweep(
  scenario: Scenario,
  dataset: LoadedDataset,
  trainer: Trainer,
  spec: SweepSpec,
  source: string,
  hooks: SweepHooks = {},
  cache?: SweepCache,
): Promise<{ records: CellRecord[]; reused: number }> {
  const records: CellRecord[] = [];
  let reused = 0;
  const computeDoomed = spec.computeDoomed === true;
  for (const cell of sweepCells(spec)) {
    const resolved = applyOverrides(scenario, cell.assignments);
    const config = { ...buildRunConfig(resolved, dataset, source), computeDoomed };
    const key = cellKey({ scenario: resolved, backend: trainer.backend, computeDoomed, version: cache?.version ?? '' });
    const stored = cache?.store.get<CellRecord>(key) ?? null;
    if (stored !== null && stored.key === key) {
      records.push(stored);
      reused++;
      hooks.onCell?.(stored, cell, true);
      continue;
    }
    const observer = hooks.observerFor?.({ ...cell, rounds: config.settings.rounds.reduce((a, b) => a + b, 0) });
    let result;
    try {
      result = await runSimulation(config, trainer, { retainTrace: false, observer });
    } catch (error) {
      if (error instanceof TrainingFailedError) throw new GridCellFailedError(cell, records, error);
      throw error;
    } finally {
      observer?.done?.();
    }
    const record = cellRecord({ key, method: cell.method, seed: cell.seed, missingRate: cell.missingRate, vary: cell.vary, scenario: resolved }, config, result);
    cache?.store.put(key, record);
    records.push(record);
    hooks.onCell?.(record, cell, false);
  }
  return { records, reused };
}
