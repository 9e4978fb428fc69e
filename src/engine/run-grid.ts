/**
 * The comparison grid: methods × video-missing rates × seeds, all on one loaded dataset and one
 * trainer (one worker pool). Each cell is an ordinary run; the grid only collects what each run
 * reports (headline score, teacher/AV score, compute used, the per-round curve).
 */
import type { LoadedDataset } from '../data/types.js';
import type { Scenario } from '../scenario/schema.js';
import { applyOverrides } from '../scenario/overrides.js';
import type { Trainer } from '../train/types.js';
import { buildRunConfig } from './build-run-config.js';
import type { FinalScore } from './final-scores.js';
import { TrainingFailedError } from './run-failure.js';
import { runSimulation, type RunObserver } from './run-simulation.js';

/** One finished cell of the grid. */
export interface GridRun {
  method: string;
  missingRate: number;
  seed: number;
  headline: FinalScore | null;
  /** Scores of every evaluated model (e.g. `teacher-av`, `av`). */
  models: Record<string, FinalScore>;
  roundsPerPhase: number[];
  params: Record<string, number>;
  clientUpdates: number;
  virtualTimeMs: number;
  traceHash: string;
  weightsHash: string;
  /** Headline test accuracy after each round. */
  curve: Array<{ round: number; phase: string; atMs: number; accuracy: number }>;
}

/** What to run. */
export interface GridSpec {
  methods: string[];
  missingRates: number[];
  seeds: number[];
  /** Compute updates the virtual clock already dooms (default false; results are the same). */
  computeDoomed?: boolean;
}

/** One cell of the grid. */
export interface GridCell {
  method: string;
  missingRate: number;
  seed: number;
  /** 1-based position in the grid's order. */
  index: number;
  total: number;
}

/**
 * A cell that could not train: the grid stops there rather than average untrained cells. Carries
 * the cell, the cells finished before it and the cell's own failure and partial result.
 */
export class GridCellFailedError extends TrainingFailedError {
  constructor(
    readonly cell: GridCell,
    readonly completed: GridRun[],
    cause: TrainingFailedError,
  ) {
    super(cause.failure, cause.result, `grid cell ${cell.index}/${cell.total} (method ${cell.method}, missing ${cell.missingRate}, seed ${cell.seed}): ${cause.message}`);
    this.name = 'GridCellFailedError';
  }
}

/** Runs every cell in a fixed order (seed, missing rate, method) and reports each as it finishes. */
export async function runGrid(
  scenario: Scenario,
  dataset: LoadedDataset,
  trainer: Trainer,
  grid: GridSpec,
  source: string,
  hooks: { onRun?: (run: GridRun, index: number, total: number) => void; observerFor?: (cell: { method: string; missingRate: number; seed: number; index: number; total: number; rounds: number }) => RunObserver & { done?(): void } } = {},
): Promise<GridRun[]> {
  const runs: GridRun[] = [];
  const total = grid.methods.length * grid.missingRates.length * grid.seeds.length;
  for (const seed of grid.seeds) {
    for (const missingRate of grid.missingRates) {
      for (const method of grid.methods) {
        const cell = applyOverrides(scenario, [`algorithm.name=${method}`, `seed=${seed}`, `videoMissingRate=${missingRate}`]);
        const config = { ...buildRunConfig(cell, dataset, source), computeDoomed: grid.computeDoomed === true };
        const observer = hooks.observerFor?.({ method, missingRate, seed, index: runs.length + 1, total, rounds: config.settings.rounds.reduce((a, b) => a + b, 0) });
        let result;
        try {
          result = await runSimulation(config, trainer, { retainTrace: false, observer });
        } catch (error) {
          if (error instanceof TrainingFailedError) throw new GridCellFailedError({ method, missingRate, seed, index: runs.length + 1, total }, runs, error);
          throw error;
        } finally {
          observer?.done?.();
        }
        const headline = config.strategy.headline;
        const run: GridRun = {
          method,
          missingRate,
          seed,
          headline: result.headline,
          models: result.final,
          roundsPerPhase: config.settings.rounds,
          params: config.settings.params,
          clientUpdates: result.rounds.reduce((s, r) => s + r.succeeded.length, 0),
          virtualTimeMs: result.virtualTimeMs,
          traceHash: result.traceHash,
          weightsHash: result.weightsHash,
          curve: result.evals.filter((e) => e.scores[headline]).map((e) => ({ round: e.round, phase: e.phase, atMs: e.atMs, accuracy: e.scores[headline].test.accuracy })),
        };
        runs.push(run);
        hooks.onRun?.(run, runs.length, total);
      }
    }
  }
  return runs;
}
