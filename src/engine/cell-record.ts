/**
 * What a grid or sweep keeps of one finished run: its identity (cell, resolved scenario, hashes),
 * its scores (headline accuracy, macro-F1 and UAR, every evaluated model such as the teacher's AV
 * score), the compute it used, participation per round, and the per-round accuracy curve.
 */
import type { Scenario } from '../scenario/schema.js';
import type { RunConfig } from './run-config.js';
import type { FinalScore } from './final-scores.js';
import type { RunResult } from './run-simulation.js';
import { stalenessSummary } from '../../actors/staleness-summary.js';

/** Participation in one round (counts; the run's summary.json has the client ids and reasons). */
export interface RoundParticipation {
  round: number;
  phase: string;
  startedAtMs: number;
  closedAtMs: number | null;
  selected: number;
  succeeded: number;
  dropped: number;
  late: number;
  failed: number;
  rejected: number;
  status: string;
  /** Buffered server steps only: mean and largest staleness of the updates applied. */
  stalenessMean?: number | null;
  stalenessMax?: number | null;
}

/** One finished cell. */
export interface CellRecord {
  /** Key under which the cell is stored (see cell-store.ts). */
  key: string;
  method: string;
  seed: number;
  missingRate: number | null;
  /** The varied fields' values of this cell (empty for compare). */
  vary: Record<string, string | number | boolean | null>;
  /** The cell's scenario with every default and override applied, timeline included. */
  scenario: Scenario;
  backend: string;
  headline: FinalScore | null;
  /** Scores of every evaluated model (e.g. `teacher-av`, `av`). */
  models: Record<string, FinalScore>;
  roundsPerPhase: number[];
  params: Record<string, number>;
  clientUpdates: number;
  virtualTimeMs: number;
  traceHash: string;
  weightsHash: string;
  participation: RoundParticipation[];
  /** Headline test accuracy after each round. */
  curve: Array<{ round: number; phase: string; atMs: number; accuracy: number }>;
}

/** The record of a finished run of `config`. */
export function cellRecord(
  cell: { key: string; method: string; seed: number; missingRate: number | null; vary: CellRecord['vary']; scenario: Scenario },
  config: RunConfig,
  result: RunResult,
): CellRecord {
  const headline = config.strategy.headline;
  return {
    ...cell,
    backend: result.backend,
    headline: result.headline,
    models: result.final,
    roundsPerPhase: config.settings.rounds,
    params: config.settings.params,
    clientUpdates: result.rounds.reduce((s, r) => s + r.succeeded.length, 0),
    virtualTimeMs: result.virtualTimeMs,
    traceHash: result.traceHash,
    weightsHash: result.weightsHash,
    participation: result.rounds.map((r) => ({
      round: r.round,
      phase: r.phase,
      startedAtMs: r.startedAtMs,
      closedAtMs: r.closedAtMs,
      selected: r.selected.length,
      succeeded: r.succeeded.length,
      dropped: r.dropped.length,
      late: r.late.length,
      failed: r.failed.length,
      rejected: (r.rejected ?? []).length,
      status: r.status,
      ...(r.contributions ? stalenessSummary(r.contributions) : {}),
    })),
    curve: result.evals.filter((e) => e.scores[headline]).map((e) => ({ round: e.round, phase: e.phase, atMs: e.atMs, accuracy: e.scores[headline].test.accuracy })),
  };
}
