/**
 * Time-to-accuracy in virtual time: how long (virtual ms, the scheduler's clock) a run took until its
 * headline test accuracy first reached a target. It compares methods whose rounds are not alike (a
 * synchronous round against an asynchronous server step) on the one clock they share.
 */
import type { CellRecord } from '../engine/cell-record.js';
import type { RoundSeries } from './types.js';

/** The targets `compare` reports when `--targets` is not given. */
export const DEFAULT_TARGETS: readonly number[] = [0.3, 0.5, 0.7];

/** Virtual ms of the first evaluation at or above `target`, or null when the run never got there. */
export function firstReachMs(curve: CellRecord['curve'], target: number): number | null {
  return curve.find((p) => p.accuracy >= target)?.atMs ?? null;
}

/** One method's time to one target at one missing rate, over its seeds. */
export interface TimeToTarget {
  method: string;
  missingRate: number | null;
  target: number;
  /** Mean virtual ms over the runs that reached the target (null when none did). */
  meanMs: number | null;
  /** Runs that reached it, of `runs`. */
  reached: number;
  runs: number;
  /** Each run's time (null: not reached), in seed order. */
  bySeed: Array<{ seed: number; atMs: number | null }>;
}

/** Time to each target per method and missing rate. */
export function timeToTargets(runs: ReadonlyArray<Pick<CellRecord, 'method' | 'missingRate' | 'seed' | 'curve'>>, targets: readonly number[]): TimeToTarget[] {
  const out: TimeToTarget[] = [];
  const methods = [...new Set(runs.map((r) => r.method))];
  const rates = [...new Set(runs.map((r) => r.missingRate))];
  for (const missingRate of rates) {
    for (const method of methods) {
      const mine = runs.filter((r) => r.method === method && r.missingRate === missingRate).sort((a, b) => a.seed - b.seed);
      if (mine.length === 0) continue;
      for (const target of targets) {
        const bySeed = mine.map((r) => ({ seed: r.seed, atMs: firstReachMs(r.curve, target) }));
        const hits = bySeed.filter((s) => s.atMs !== null).map((s) => s.atMs!);
        out.push({ method, missingRate, target, meanMs: hits.length > 0 ? hits.reduce((a, b) => a + b, 0) / hits.length : null, reached: hits.length, runs: mine.length, bySeed });
      }
    }
  }
  return out;
}

/** A table cell: mean virtual seconds, with n/N when some runs never reached the target. */
export function formatTimeToTarget(t: TimeToTarget): string {
  if (t.meanMs === null) return `not reached (0/${t.runs})`;
  const seconds = (t.meanMs / 1000).toFixed(1);
  return t.reached === t.runs ? `${seconds} s` : `${seconds} s (${t.reached}/${t.runs})`;
}

/** The time-to-accuracy table (report and terminal): a row per method and missing rate, a column per target. */
export function timeToAccuracyTable(toTarget: readonly TimeToTarget[], targets: readonly number[]): { headers: string[]; rows: string[][] } {
  const keys = [...new Map(toTarget.map((t) => [`${t.method}|${t.missingRate}`, t])).values()];
  const rows = keys.map((k) => [k.method, String(k.missingRate), ...targets.map((target) => formatTimeToTarget(toTarget.find((t) => t.method === k.method && t.missingRate === k.missingRate && t.target === target)!))]);
  return { headers: ['method', 'missing', ...targets.map((t) => `to ${t}`)], rows };
}

/** Accuracy against virtual seconds per method at one missing rate: the i-th evaluation's mean time and mean accuracy over seeds. */
export function timeCurves(runs: ReadonlyArray<Pick<CellRecord, 'method' | 'missingRate' | 'curve'>>, missingRate: number | null): RoundSeries[] {
  const methods = [...new Set(runs.map((r) => r.method))];
  return methods.map((method) => {
    const curves = runs.filter((r) => r.method === method && r.missingRate === missingRate).map((r) => r.curve);
    const length = curves.length > 0 ? Math.min(...curves.map((c) => c.length)) : 0;
    const points = Array.from({ length }, (_, i) => ({
      x: curves.reduce((s, c) => s + c[i].atMs, 0) / curves.length / 1000,
      accuracy: curves.reduce((s, c) => s + c[i].accuracy, 0) / curves.length,
    }));
    // Evaluations at one instant (a run that failed several steps at once) would repeat an x: keep the last.
    return { method, points: points.filter((p, i) => i === points.length - 1 || points[i + 1].x !== p.x) };
  });
}
