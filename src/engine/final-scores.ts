/**
 * FedMultimodal's reporting rule: each model's reported test score is the one at the round of best
 * dev accuracy (ties go to the earlier round); without a dev set, the last round's.
 */
import type { ClassificationScore } from '../metrics/index.js';

/** One model's scores after one round, as the evaluator records them. */
export interface ScoredRound {
  round: number;
  phase: string;
  scores: Record<string, { dev: ClassificationScore | null; test: ClassificationScore }>;
}

/** The reported score of one model. */
export interface FinalScore extends ClassificationScore {
  /** Round whose test score is reported. */
  round: number;
  phase: string;
  /** Dev accuracy at that round (null without a dev set). */
  devAccuracy: number | null;
}

/** Reported score per model name, chosen by best dev accuracy over `records` (optionally only some phases). */
export function selectFinalScores(records: readonly ScoredRound[], phases?: readonly string[]): Record<string, FinalScore> {
  const best: Record<string, FinalScore> = {};
  const ordered = records.slice().sort((a, b) => a.round - b.round);
  for (const record of ordered) {
    if (phases && !phases.includes(record.phase)) continue;
    for (const [name, { dev, test }] of Object.entries(record.scores)) {
      const current = best[name];
      const devAccuracy = dev ? dev.accuracy : null;
      const better = !current || (devAccuracy === null ? true : devAccuracy > (current.devAccuracy ?? -Infinity));
      if (better) best[name] = { ...test, round: record.round, phase: record.phase, devAccuracy };
    }
  }
  return best;
}
