/**
 * The rows of rounds.csv: one per closed round, with its accounting (how many clients were
 * selected, and how many of them succeeded, dropped, were late, failed or had their update
 * rejected by validation) and the headline model's scores after that round. A buffered
 * (asynchronous) run's server steps add the staleness of the updates each applied (mean and max).
 */
import type { RunResult } from '../engine/run-simulation.js';
import { stalenessSummary } from '../../actors/staleness-summary.js';

/** One line of rounds.csv. */
export interface RoundRow {
  round: number;
  phase: string;
  status: string;
  startedAtMs: number;
  closedAtMs: number | null;
  selected: number;
  succeeded: number;
  dropped: number;
  late: number;
  failed: number;
  rejected: number;
  trainLoss: number | null;
  devAccuracy: number | null;
  testAccuracy: number | null;
  testMacroF1: number | null;
  /** Buffered server steps only: mean and largest staleness of the applied updates (null when none). */
  stalenessMean?: number | null;
  stalenessMax?: number | null;
}

/** Builds rounds.csv's rows from a run's records; `headline` names the model whose scores are shown. */
export function roundRows(result: Pick<RunResult, 'rounds' | 'evals'>, headline: string): RoundRow[] {
  // Evaluations indexed by round once, so a long run is not quadratic here.
  const evalByRound = new Map(result.evals.map((e) => [e.round, e]));
  return result.rounds.map((r) => {
    const scores = evalByRound.get(r.round)?.scores[headline];
    return {
      round: r.round, phase: r.phase, status: r.status, startedAtMs: r.startedAtMs, closedAtMs: r.closedAtMs,
      selected: r.selected.length, succeeded: r.succeeded.length, dropped: r.dropped.length, late: r.late.length, failed: r.failed.length,
      rejected: (r.rejected ?? []).length,
      trainLoss: r.trainLoss, devAccuracy: scores?.dev?.accuracy ?? null, testAccuracy: scores?.test.accuracy ?? null, testMacroF1: scores?.test.macroF1 ?? null,
      ...(r.contributions ? stalenessSummary(r.contributions) : {}),
    };
  });
}

/** The column order of rounds.csv. */
export const ROUND_COLUMNS: ReadonlyArray<keyof RoundRow> = [
  'round', 'phase', 'status', 'startedAtMs', 'closedAtMs', 'selected', 'succeeded', 'dropped', 'late', 'failed', 'rejected',
  'trainLoss', 'devAccuracy', 'testAccuracy', 'testMacroF1',
];

/** rounds.csv's columns for `rows`: the round columns, plus the staleness columns when a row has them (buffered runs). */
export function roundColumns(rows: readonly RoundRow[]): Array<keyof RoundRow> {
  return rows.some((r) => r.stalenessMean !== undefined) ? [...ROUND_COLUMNS, 'stalenessMean', 'stalenessMax'] : [...ROUND_COLUMNS];
}
